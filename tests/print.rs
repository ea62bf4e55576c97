//! The printer's PDF: page boxes for `--bleed` and `--marks`, marks only
//! outside the bleed, and colour in CMYK with black text on the black
//! plate only.

use std::process::Command;

use crate::support::{Workspace, example_in, stderr};

/// Every page's boxes, in pt: (media, bleed, trim), each [l, b, r, t];
/// a box the PDF does not give is `None`.
type Boxes = ([f64; 4], Option<[f64; 4]>, Option<[f64; 4]>);

/// The boxes of each page dictionary, read from the PDF's bytes (Typst
/// writes page dictionaries as plain objects).
fn boxes(pdf: &[u8]) -> Vec<Boxes> {
    let text = String::from_utf8_lossy(pdf);
    let read = |dict: &str, key: &str| -> Option<[f64; 4]> {
        let at = dict.find(&format!("/{key}["))? + key.len() + 2;
        let end = at + dict[at..].find(']')?;
        let numbers: Vec<f64> = dict[at..end]
            .split_whitespace()
            .map(|n| n.parse().unwrap())
            .collect();
        Some([numbers[0], numbers[1], numbers[2], numbers[3]])
    };
    text.split("/Type/Page/")
        .skip(1)
        .map(|rest| {
            let dict = &rest[..rest.find(">>").unwrap()];
            (
                read(dict, "MediaBox").unwrap(),
                read(dict, "BleedBox"),
                read(dict, "TrimBox"),
            )
        })
        .collect()
}

fn render(ws: &Workspace, args: &[&str], out: &str) -> Vec<u8> {
    let mut all = vec!["render", "report.toml", "-o", out];
    all.extend_from_slice(args);
    let output = ws.run(&all);
    assert!(output.status.success(), "{}", stderr(&output));
    std::fs::read(ws.path(out)).unwrap()
}

const MM: f64 = 72.0 / 25.4;

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.01
}

#[test]
fn bleed_and_marks_give_each_page_its_boxes() {
    let ws = Workspace::new();
    ws.write("report.toml", example_in(&ws.path(".")));
    for (layout, width, height) in [("newspaper", 390.0, 545.0), ("brochure", 210.0, 297.0)] {
        // --bleed alone: the media box is the bleed, the trim the page.
        let pdf = render(
            &ws,
            &["--layout", layout, "--bleed", "3mm"],
            &format!("{layout}-bleed.pdf"),
        );
        for (media, bleed, trim) in boxes(&pdf) {
            let trim = trim.expect("a trim box");
            assert!(bleed.is_none());
            assert!(near(trim[2] - trim[0], width * MM) && near(trim[3] - trim[1], height * MM));
            assert!(near(trim[0] - media[0], 3.0 * MM) && near(media[3] - trim[3], 3.0 * MM));
        }
        // With marks: MediaBox ⊇ BleedBox ⊇ TrimBox, the bleed 3 mm.
        let pdf = render(
            &ws,
            &["--layout", layout, "--bleed", "3mm", "--marks"],
            &format!("{layout}-marks.pdf"),
        );
        let pages = boxes(&pdf);
        assert!(!pages.is_empty());
        for (media, bleed, trim) in pages {
            let (bleed, trim) = (bleed.expect("a bleed box"), trim.expect("a trim box"));
            assert!(near(trim[2] - trim[0], width * MM) && near(trim[3] - trim[1], height * MM));
            for side in 0..4 {
                let outward = if side < 2 { -1.0 } else { 1.0 };
                assert!(
                    near((bleed[side] - trim[side]) * outward, 3.0 * MM),
                    "{layout}: {bleed:?} {trim:?}"
                );
                assert!(
                    (media[side] - bleed[side]) * outward >= 10.0 * MM,
                    "room for the marks"
                );
            }
        }
    }
}

#[test]
fn marks_stand_outside_the_bleed_and_nowhere_else() {
    let Some(pdftoppm) = crate::archive::tool("pdftoppm") else {
        return;
    };
    let ws = Workspace::new();
    ws.write("report.toml", example_in(&ws.path(".")));
    let png = |pdf: &str| {
        let output = Command::new(&pdftoppm)
            // Two pixels a millimetre: the 12 mm of slug is whole pixels.
            .args(["-r", "50.8", "-png", "-f", "1", "-l", "1", "-singlefile"])
            .arg(ws.path(pdf))
            .arg(ws.path(pdf).with_extension(""))
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        image::open(ws.path(pdf).with_extension("png"))
            .unwrap()
            .to_luma8()
    };
    render(
        &ws,
        &["--layout", "newspaper", "--bleed", "3mm"],
        "plain.pdf",
    );
    let marked = render(
        &ws,
        &["--layout", "newspaper", "--bleed", "3mm", "--marks"],
        "marked.pdf",
    );
    let (plain, with_marks) = (png("plain.pdf"), png("marked.pdf"));
    let (media, bleed, _) = boxes(&marked)[0];
    let bleed = bleed.unwrap();
    // The bleed box's corner on the marked sheet, in pixels.
    let px = |pt: f64| (pt / 72.0 * 50.8).round() as u32;
    let (left, top) = (px(bleed[0] - media[0]), px(media[3] - bleed[3]));
    // Inside the bleed the two pages are the same.
    let mut differ = 0;
    for y in 0..plain.height().min(with_marks.height() - top) {
        for x in 0..plain.width().min(with_marks.width() - left) {
            let a = i32::from(plain.get_pixel(x, y)[0]);
            let b = i32::from(with_marks.get_pixel(x + left, y + top)[0]);
            if (a - b).abs() > 48 {
                differ += 1;
            }
        }
    }
    // A photo's edge is smoothed a little differently on a larger sheet (a
    // few dozen pixels); a mark would be a line across hundreds.
    let limit = plain.width() * plain.height() / 5000;
    assert!(
        differ < limit,
        "{differ} pixels inside the bleed changed with --marks (limit {limit})"
    );
    // Outside it, on the marked sheet only, there is ink: the marks.
    let outside = (0..with_marks.height())
        .flat_map(|y| (0..with_marks.width()).map(move |x| (x, y)))
        .filter(|&(x, y)| {
            x < left || y < top || x >= left + plain.width() || y >= top + plain.height()
        })
        .filter(|&(x, y)| with_marks.get_pixel(x, y)[0] < 160)
        .count();
    assert!(outside > 20, "no marks outside the bleed");
}

#[test]
fn text_and_rules_are_cmyk_and_black_is_the_black_plate_only() {
    let Some(qpdf) = crate::archive::tool("qpdf") else {
        return;
    };
    let ws = Workspace::new();
    ws.write("report.toml", example_in(&ws.path(".")));
    for layout in ["newspaper", "brochure"] {
        render(&ws, &["--layout", layout], &format!("{layout}.pdf"));
        // Content streams uncompressed, to read their colour operators.
        let output = Command::new(&qpdf)
            .args(["--qdf", "--object-streams=disable"])
            .arg(ws.path(&format!("{layout}.pdf")))
            .arg(ws.path(&format!("{layout}.qdf")))
            .output()
            .unwrap();
        assert!(
            output.status.code().is_some_and(|c| c == 0 || c == 3),
            "{}",
            stderr(&output)
        );
        let text =
            String::from_utf8_lossy(&std::fs::read(ws.path(&format!("{layout}.qdf"))).unwrap())
                .into_owned();
        let operators = |op: &str| {
            text.lines()
                .flat_map(|line| line.split(['\n']))
                .filter(|line| {
                    line.ends_with(&format!(" {op}")) || line.contains(&format!(" {op} "))
                })
                .count()
        };
        assert_eq!(
            operators("rg") + operators("RG"),
            0,
            "{layout}: DeviceRGB colour"
        );
        assert!(
            text.contains("0 0 0 1 k"),
            "{layout}: no black on the black plate"
        );
        // Black is never four inks: no other CMYK with all of C, M, Y set
        // at once as dark as black.
        assert!(
            !text.contains("1 1 1 1 k"),
            "{layout}: registration black on the page"
        );
    }
}

/// A one-page PDF, written by hand, whose only content is `content`.
fn pdf_with(content: &str) -> Vec<u8> {
    let objects = [
        "<</Type/Catalog/Pages 2 0 R>>".to_string(),
        "<</Type/Pages/Kids[3 0 R]/Count 1>>".to_string(),
        "<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 300]/Contents 4 0 R>>".to_string(),
        format!(
            "<</Length {}>>\nstream\n{content}\nendstream",
            content.len()
        ),
    ];
    let mut pdf = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f\r\n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n\r\n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<</Size {}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

/// The codes `check --preflight --format json` found, and its exit code.
fn preflight(ws: &Workspace, target: &str) -> (Option<i32>, Vec<String>) {
    let output = ws.run(&["check", target, "--preflight", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("JSON: {}", stderr(&output)));
    let codes = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect();
    (output.status.code(), codes)
}

#[test]
fn preflight_flags_an_rgb_rule_a_heavy_solid_and_a_low_resolution_photo() {
    let ws = Workspace::new();
    // A rule drawn in RGB, by hand; then a solid of four full inks.
    ws.write("rule.pdf", pdf_with("1 0 0 RG 2 w 10 10 m 200 10 l S"));
    let (code, codes) = preflight(&ws, "rule.pdf");
    assert_eq!(code, Some(1));
    assert!(codes.contains(&"preflight-rgb".to_string()), "{codes:?}");
    assert!(
        codes.contains(&"preflight-boxes".to_string()),
        "no trim box: {codes:?}"
    );
    ws.write("solid.pdf", pdf_with("1 1 1 1 k 10 10 100 100 re f"));
    let (code, codes) = preflight(&ws, "solid.pdf");
    assert_eq!(code, Some(1));
    assert!(codes.contains(&"preflight-ink".to_string()), "{codes:?}");
    // 250 % passes the default 300 %, not newsprint's 240 % when the
    // output intent names newsprint.
    let heavy = pdf_with("0.7 0.6 0.6 0.6 k 10 10 100 100 re f");
    ws.write("heavy.pdf", heavy.clone());
    let (_, codes) = preflight(&ws, "heavy.pdf");
    assert!(!codes.contains(&"preflight-ink".to_string()), "{codes:?}");
    let newsprint =
        banmian::press::with_output_intent(&heavy, banmian::press::Press::Newsprint).unwrap();
    ws.write("heavy-newsprint.pdf", newsprint);
    let (code, codes) = preflight(&ws, "heavy-newsprint.pdf");
    assert_eq!(code, Some(1));
    assert!(codes.contains(&"preflight-ink".to_string()), "{codes:?}");
    // The example, as the printer gets it, is clean.
    ws.write("report.toml", example_in(&ws.path(".")));
    for layout in ["newspaper", "brochure"] {
        render(
            &ws,
            &["--layout", layout, "--bleed", "3mm", "--marks"],
            &format!("{layout}.pdf"),
        );
        let (code, codes) = preflight(&ws, &format!("{layout}.pdf"));
        // Only a note: the photos are RGB, for the RIP to separate.
        assert_eq!(
            (code, codes),
            (Some(0), vec!["preflight-rgb-photos".to_string()]),
            "{layout}"
        );
    }
    // A photo too small for its place: found on the render.
    ws.write("photos/01-wangxiaoping.jpg", crate::support::jpeg(120, 80));
    let (code, codes) = preflight(&ws, "report.toml");
    assert_eq!(code, Some(1));
    assert!(codes.contains(&"photo-resolution".to_string()), "{codes:?}");
}

/// The colour space of every image object in a PDF (Typst writes image
/// dictionaries as plain objects).
fn image_colour_spaces(pdf: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(pdf);
    text.split("/Subtype/Image")
        .skip(1)
        .map(|rest| {
            let dict = &rest[..rest.find(">>").unwrap()];
            let at = dict
                .find("/ColorSpace")
                .expect("an image with a colour space")
                + 11;
            dict[at..]
                .split(['/', '['])
                .find(|part| !part.trim().is_empty())
                .unwrap()
                .trim()
                .to_string()
        })
        .collect()
}

/// The output condition identifiers a PDF's output intents name.
fn output_conditions(pdf: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(pdf);
    text.split("/OutputConditionIdentifier(")
        .skip(1)
        .map(|rest| rest[..rest.find(')').unwrap()].to_string())
        .collect()
}

#[test]
fn the_print_pdf_names_its_press_and_cmyk_photos_are_separated_for_it() {
    let ws = Workspace::new();
    ws.write("report.toml", example_in(&ws.path(".")));
    // Each layout names its own press; --press names another.
    for (layout, args, press) in [
        ("newspaper", &[][..], "IFRA26"),
        ("brochure", &[][..], "FOGRA39"),
        ("newspaper", &["--press", "uncoated"][..], "FOGRA47"),
    ] {
        let mut all = vec!["--layout", layout];
        all.extend_from_slice(args);
        let pdf = render(&ws, &all, &format!("{layout}-{press}.pdf"));
        assert_eq!(output_conditions(&pdf), [press], "{layout} {args:?}");
        // The photos stay as they came: RGB, named by their ICC profile
        // or as DeviceRGB.
        let spaces = image_colour_spaces(&pdf);
        assert!(!spaces.is_empty());
        assert!(spaces.iter().all(|s| s != "DeviceCMYK"), "{spaces:?}");
    }
    // Separated: every photo is a CMYK JPEG with the decode of Adobe's
    // inverted inks, and preflight finds nothing left in RGB.
    for layout in ["newspaper", "brochure"] {
        let name = format!("{layout}-cmyk.pdf");
        let args = ["--layout", layout, "--cmyk-photos", "--bleed", "3mm"];
        let pdf = render(&ws, &args, &name);
        let spaces = image_colour_spaces(&pdf);
        assert!(!spaces.is_empty());
        assert!(
            spaces.iter().all(|s| s == "DeviceCMYK"),
            "{layout}: {spaces:?}"
        );
        let text = String::from_utf8_lossy(&pdf);
        assert_eq!(
            text.matches("/DeviceCMYK/Decode[1 0 1 0 1 0 1 0]").count(),
            spaces.len()
        );
        let (code, codes) = preflight(&ws, &name);
        assert_eq!((code, codes), (Some(0), Vec::new()), "{layout}");
        // Same data, same bytes.
        let again = render(&ws, &args, "again.pdf");
        assert!(
            again == pdf,
            "{layout}: a separation that is not reproducible"
        );
    }
}

#[test]
fn an_archive_keeps_its_own_output_intent_and_refuses_cmyk_photos() {
    let ws = Workspace::new();
    ws.write("report.toml", example_in(&ws.path(".")));
    let pdf = render(&ws, &["--layout", "newspaper", "--archive"], "archive.pdf");
    let text = String::from_utf8_lossy(&pdf);
    assert_eq!(text.matches("/Type/OutputIntent").count(), 1);
    assert!(text.contains("/S/GTS_PDFA1"));
    let output = ws.run(&[
        "render",
        "report.toml",
        "--archive",
        "--cmyk-photos",
        "-o",
        "refused.pdf",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--cmyk-photos"),
        "{}",
        stderr(&output)
    );
    assert!(!ws.path("refused.pdf").exists());
}
