//! Stand-ins: the PDF laid out with a tiny JPEG in each photo's place and
//! the photos put back afterwards is the PDF laid out with the photos.

use banmian::layouts::Layout;
use banmian::pipeline;

use crate::support::example_in;

/// A gradient of `width` × `height` px, grey or in colour, as `format`.
fn image_file(width: u32, height: u32, grey: bool, format: image::ImageFormat) -> Vec<u8> {
    let colour = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x / 7) as u8, (y / 5) as u8, 120])
    });
    let image = if grey {
        image::DynamicImage::ImageLuma8(image::DynamicImage::ImageRgb8(colour).to_luma8())
    } else {
        image::DynamicImage::ImageRgb8(colour)
    };
    let mut bytes = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut bytes), format)
        .unwrap();
    bytes
}

/// The PDF with its instance id (a hash of what Typst was given, in the
/// XMP metadata and the trailer's /ID) blanked out.
fn without_instance_id(pdf: &[u8]) -> Vec<u8> {
    let find = |from: usize, what: &[u8]| {
        pdf[from..]
            .windows(what.len())
            .position(|w| w == what)
            .map(|i| from + i)
    };
    let start = find(0, b"<xmpMM:InstanceID>").expect("an instance id") + 18;
    let end = find(start, b"</").unwrap();
    let id = &pdf[start..end];
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(hit) = find(at, id) {
        out.extend_from_slice(&pdf[at..hit]);
        out.extend_from_slice(b"(instance)");
        at = hit + id.len();
    }
    out.extend_from_slice(&pdf[at..]);
    out
}

#[test]
fn a_pdf_laid_out_with_stand_ins_is_the_pdf_laid_out_with_the_photos() {
    let dir = tempfile::tempdir().unwrap();
    // The example's colour JPEGs, with one grey JPEG and one PNG among them.
    let report = example_in(dir.path())
        .replace("photos/01-wangxiaoping.jpg", "photos/grey.jpg")
        .replace("photos/02-xuyixian.jpg", "photos/colour.png");
    std::fs::write(
        dir.path().join("photos/grey.jpg"),
        image_file(1600, 1067, true, image::ImageFormat::Jpeg),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("photos/colour.png"),
        image_file(1600, 1067, false, image::ImageFormat::Png),
    )
    .unwrap();
    let data = dir.path().join("report.toml");
    std::fs::write(&data, report).unwrap();
    let pdf_of = |pixels: bool, layout: Layout| {
        let loaded = banmian::report::load(&data).unwrap_or_else(|_| panic!("a valid report"));
        let prepared = pipeline::prepare_loaded(loaded, &[], &[layout], pixels)
            .unwrap_or_else(|e| panic!("prepared: {e:?}"));
        let (document, _) =
            pipeline::compile(&prepared, layout).unwrap_or_else(|e| panic!("{e:?}"));
        let pdf = typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).unwrap();
        let standins = prepared
            .photos
            .iter()
            .filter(|p| p.served(false) != &p.bytes)
            .count();
        (pdf, prepared, standins)
    };
    for layout in Layout::ALL.iter().copied() {
        let (with_photos, _, _) = pdf_of(true, layout);
        let (with_standins, prepared, standins) = pdf_of(false, layout);
        // Every JPEG has a stand-in, the grey one too; the PNG has none.
        assert_eq!(standins, prepared.photos.len() - 1, "{layout:?}");
        assert_ne!(
            with_standins, with_photos,
            "{layout:?}: the stand-ins were laid out"
        );
        let restored = banmian::photos::restore(&with_standins, &prepared.photos, None, Vec::new())
            .unwrap_or_else(|e| panic!("{layout:?}: {e}"));
        assert!(
            without_instance_id(&restored) == without_instance_id(&with_photos),
            "{layout:?}: the PDFs differ"
        );
    }
}
