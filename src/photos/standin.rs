//! Stand-ins: layout without decoding a photo.
//!
//! Typst decodes every image it lays out, yet a JPEG goes into the PDF as
//! its own compressed bytes, and the templates size every photo from the
//! pixel size banmian read from its header. Decoding is most of a render's
//! time and memory and prints nothing. So Typst lays out a tiny JPEG in
//! each photo's place — the same colour components and ICC profile, and a
//! comment that makes it unique — and the PDF it writes gets the original
//! back: the image object's stream, its `/Length`, `/Width` and `/Height`,
//! and the cross-reference offsets after it. Raster output (PNG, SVG,
//! the preview) still lays out the real photos.

use memchr::memmem;

use super::jpeg::Header;
use crate::pdfpatch::Splice;

/// The stand-in's side, in pixels.
const SIDE: u32 = 8;

/// A stand-in for a JPEG that [`super::jpeg::strip`] could follow (its
/// bytes as stored, and their `header`): an 8-bit grey or colour JPEG.
/// `None` for anything else (CMYK, 12-bit), which Typst then decodes as
/// it is.
pub fn make(header: &Header, jpeg: &[u8], index: usize) -> Option<Vec<u8>> {
    if header.precision != 8 {
        return None;
    }
    let encoded = blank(header.components)?;
    // After SOI: the profile (Typst passes it to the PDF as the image's
    // colour space), then a comment naming the photo and its bytes, so that
    // no two stand-ins are alike and none is found by chance in a PDF.
    let tag = format!("banmian stand-in {index} {:016x}", fingerprint(jpeg));
    let mut out = encoded[..2].to_vec();
    out.extend_from_slice(&header.icc);
    out.extend_from_slice(&[0xFF, 0xFE]);
    out.extend_from_slice(&u16::try_from(tag.len() + 2).ok()?.to_be_bytes());
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&encoded[2..]);
    Some(out)
}

/// A black JPEG of [`SIDE`] pixels a side with `components` colour
/// components (1 or 3), encoded once per process.
fn blank(components: u8) -> Option<&'static [u8]> {
    static GREY: std::sync::OnceLock<Option<Vec<u8>>> = std::sync::OnceLock::new();
    static COLOUR: std::sync::OnceLock<Option<Vec<u8>>> = std::sync::OnceLock::new();
    let encode = |image: image::DynamicImage| {
        let mut encoded = Vec::new();
        image
            .write_to(
                &mut std::io::Cursor::new(&mut encoded),
                image::ImageFormat::Jpeg,
            )
            .ok()?;
        Some(encoded)
    };
    match components {
        1 => GREY.get_or_init(|| {
            encode(image::DynamicImage::ImageLuma8(image::GrayImage::new(
                SIDE, SIDE,
            )))
        }),
        3 => COLOUR.get_or_init(|| {
            encode(image::DynamicImage::ImageRgb8(image::RgbImage::new(
                SIDE, SIDE,
            )))
        }),
        _ => return None,
    }
    .as_deref()
}

/// A cheap fingerprint for the stand-in's tag: FNV-1a's step taken over
/// eight bytes at a time (a byte at a time cost 2.5 ms on the example's
/// 1.8 MB of photos), the length folded in last.
fn fingerprint(bytes: &[u8]) -> u64 {
    const PRIME: u64 = 0x0100_0000_01b3;
    let mut chunks = bytes.chunks_exact(8);
    let mut hash = chunks.by_ref().fold(0xcbf2_9ce4_8422_2325, |hash, chunk| {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        (hash ^ word).wrapping_mul(PRIME)
    });
    for &b in chunks.remainder() {
        hash = (hash ^ u64::from(b)).wrapping_mul(PRIME);
    }
    (hash ^ bytes.len() as u64).wrapping_mul(PRIME)
}

/// One photo to put back: its stand-in, and the original with its size.
pub struct Swap<'a> {
    /// The stand-in Typst laid out.
    pub standin: &'a [u8],
    /// The original JPEG's bytes.
    pub original: &'a [u8],
    /// The original's pixel size.
    pub size: (u32, u32),
    /// The original is a CMYK JPEG with Adobe's marker (inks stored
    /// inverted) where Typst laid out a colour stand-in: the image object's
    /// colour space becomes DeviceCMYK, with the decode that inverts.
    pub cmyk: bool,
}

/// The colour space of an image object holding an Adobe CMYK JPEG.
const CMYK: &[u8] = b"/ColorSpace/DeviceCMYK/Decode[1 0 1 0 1 0 1 0]";

/// The PDF with every stand-in's image object holding its original, and
/// the edits `also` made in the same pass. An error names what was not as
/// Typst writes it; the caller then lays out the real photos instead.
pub fn restore(pdf: &[u8], swaps: &[Swap], also: Vec<Splice>) -> Result<Vec<u8>, String> {
    let mut splices = also;
    for swap in swaps {
        for at in memmem::find_iter(pdf, swap.standin) {
            let end = at + swap.standin.len();
            let before = &pdf[..at];
            let dict_end = before
                .strip_suffix(b"stream\n")
                .or_else(|| before.strip_suffix(b"stream\r\n"))
                .ok_or("a stand-in outside a stream")?
                .len();
            if !(pdf[end..].starts_with(b"\nendstream") || pdf[end..].starts_with(b"\r\nendstream"))
            {
                return Err("a stand-in that is not a whole stream".into());
            }
            let dict_start = memmem::rfind(&pdf[..dict_end], b" obj")
                .ok_or("a stand-in stream outside an object")?
                + 4;
            let mut dict = pdf[dict_start..dict_end].to_vec();
            let (width, height) = swap.size;
            for (key, old, new) in [
                ("Length", swap.standin.len(), swap.original.len()),
                ("Width", SIDE as usize, width as usize),
                ("Height", SIDE as usize, height as usize),
            ] {
                dict = replace_number(&dict, key, old, new)
                    .ok_or_else(|| format!("a stand-in's image object without /{key} {old}"))?;
            }
            if swap.cmyk {
                dict = replace_colour_space(&dict, CMYK)
                    .ok_or("a stand-in's image object without one colour space")?;
            }
            splices.push(Splice {
                start: dict_start,
                end: dict_end,
                with: dict.into(),
            });
            splices.push(Splice {
                start: at,
                end,
                with: swap.original.into(),
            });
        }
    }
    crate::pdfpatch::apply(pdf, splices)
}

/// `dict` with `/Key old` (a whole number) made `/Key new`; `None` unless
/// it occurs exactly once.
fn replace_number(dict: &[u8], key: &str, old: usize, new: usize) -> Option<Vec<u8>> {
    let needle = format!("/{key} {old}");
    let hits: Vec<usize> = memmem::find_iter(dict, needle.as_bytes())
        .filter(|&i| {
            dict.get(i + needle.len())
                .is_none_or(|b| !b.is_ascii_digit())
        })
        .collect();
    let [at] = hits[..] else {
        return None;
    };
    let mut out = dict[..at].to_vec();
    out.extend_from_slice(format!("/{key} {new}").as_bytes());
    out.extend_from_slice(&dict[at + needle.len()..]);
    Some(out)
}

/// `dict` with its `/ColorSpace` entry (a name or a reference) made
/// `entry`; `None` unless there is exactly one and no `/Decode`.
fn replace_colour_space(dict: &[u8], entry: &[u8]) -> Option<Vec<u8>> {
    let key = b"/ColorSpace";
    let hits: Vec<usize> = memmem::find_iter(dict, key).collect();
    let ([at], None) = (&hits[..], memmem::find(dict, b"/Decode")) else {
        return None;
    };
    let at = *at;
    let value = at + key.len();
    let rest = &dict[value..];
    let skip = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
    let rest = &rest[skip..];
    let length = if rest.first() == Some(&b'/') {
        // A name: up to the next delimiter.
        1 + rest[1..]
            .iter()
            .position(|b| b"/[]<>() \r\n\t".contains(b))
            .unwrap_or(rest.len() - 1)
    } else {
        // A reference: `N G R`.
        let text = std::str::from_utf8(&rest[..rest.len().min(32)]).ok()?;
        let mut parts = text.splitn(3, ' ');
        let (n, g) = (parts.next()?, parts.next()?);
        if !(n.bytes().all(|b| b.is_ascii_digit()) && g.bytes().all(|b| b.is_ascii_digit())) {
            return None;
        }
        let tail = parts.next()?;
        if !tail.starts_with('R') {
            return None;
        }
        n.len() + g.len() + 3
    };
    let mut out = dict[..at].to_vec();
    out.extend_from_slice(entry);
    out.extend_from_slice(&rest[length..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::super::test_jpeg as jpeg;

    /// [`make`] from the JPEG's own header.
    fn made(jpeg: &[u8], index: usize) -> Option<Vec<u8>> {
        make(&super::super::jpeg::header(jpeg)?, jpeg, index)
    }

    #[test]
    fn a_stand_in_is_a_small_jpeg_of_the_same_kind_unique_to_its_photo() {
        let original = jpeg(640, 480);
        let a = made(&original, 0).unwrap();
        let b = made(&original, 1).unwrap();
        assert_ne!(a, b);
        let decoded = image::load_from_memory(&a).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (SIDE, SIDE));
        assert_eq!(decoded.color().channel_count(), 3);
        assert!(a.len() < 1000, "{} bytes", a.len());
    }

    #[test]
    fn the_original_goes_back_into_its_object_and_every_offset_follows() {
        let standin = made(&jpeg(16, 16), 0).unwrap();
        let original = jpeg(300, 200);
        let mut image = format!(
            "<</Length {}/Type/XObject/Subtype/Image/Width 8/Height 8>>\nstream\n",
            standin.len()
        )
        .into_bytes();
        image.extend_from_slice(&standin);
        image.extend_from_slice(b"\nendstream");
        let pdf = crate::pdfpatch::test_pdf(
            &[
                b"<</Type/Catalog>>".to_vec(),
                image,
                b"<</Length 0>>\nstream\n\nendstream".to_vec(),
            ],
            1,
        );
        // The output intent goes in in the same pass.
        let intent = crate::press::output_intent(&pdf, crate::press::Press::Newsprint).unwrap();
        let restored = restore(
            &pdf,
            &[Swap {
                standin: &standin,
                original: &original,
                size: (300, 200),
                cmyk: false,
            }],
            intent.into_iter().collect(),
        )
        .unwrap();
        let text = String::from_utf8_lossy(&restored);
        assert!(text.contains(
            "<</OutputIntents[<</Type/OutputIntent/S/GTS_PDFX/OutputConditionIdentifier(IFRA26)"
        ));
        assert!(text.contains(&format!(
            "/Length {}/Type/XObject/Subtype/Image/Width 300/Height 200>>",
            original.len()
        )));
        assert!(memmem::find(&restored, &original).is_some());
        assert!(memmem::find(&restored, &standin).is_none());
        crate::pdfpatch::assert_offsets(&restored);
    }

    #[test]
    fn a_pdf_not_as_expected_is_refused_not_broken() {
        let standin = made(&jpeg(16, 16), 0).unwrap();
        let mut pdf = b"%PDF-1.7\n1 0 obj\n<</Length 5>>\nstream\n".to_vec();
        pdf.extend_from_slice(&standin);
        pdf.extend_from_slice(b"\nendstream\nendobj\n");
        let swap = Swap {
            standin: &standin,
            original: b"x",
            size: (1, 1),
            cmyk: false,
        };
        assert!(restore(&pdf, &[swap], Vec::new()).is_err());
    }

    #[test]
    fn a_cmyk_original_gets_its_colour_space_and_decode() {
        for (dict, rest) in [
            ("<</Length 9/ColorSpace 12 0 R/Width 8>>", "/Width 8>>"),
            ("<</Length 9/ColorSpace/DeviceRGB/Width 8>>", "/Width 8>>"),
            ("<</ColorSpace /DeviceRGB>>", ">>"),
        ] {
            let out = replace_colour_space(dict.as_bytes(), CMYK).unwrap();
            let text = String::from_utf8(out).unwrap();
            assert!(
                text.ends_with(&format!(
                    "/ColorSpace/DeviceCMYK/Decode[1 0 1 0 1 0 1 0]{rest}"
                )),
                "{text}"
            );
        }
        assert!(replace_colour_space(b"<</Width 8>>", CMYK).is_none());
        assert!(replace_colour_space(b"<</ColorSpace/DeviceRGB/Decode[0 1]>>", CMYK).is_none());
    }
}
