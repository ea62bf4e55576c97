//! Archive output: PDF/A-3b carrying the data file and a manifest, read
//! back by `extract`, rendered again by `verify`, and the same bytes for
//! the same data whatever the machine's time zone, locale or folder.

use std::process::Command;

use crate::support::{BIN, Workspace, example_in, stderr};

/// A SHA-256 as `banmian` writes it.
fn sha256(bytes: &[u8]) -> String {
    banmian::archive::sha256(bytes)
}

/// The example in a workspace, rendered with `args` into `out/`.
fn rendered(args: &[&str]) -> Workspace {
    let ws = Workspace::new();
    let example = example_in(&ws.path("."));
    ws.write("report.toml", example);
    let mut all = vec!["render", "report.toml", "-o", "out/"];
    all.extend_from_slice(args);
    let output = ws.run(&all);
    assert!(output.status.success(), "{}", stderr(&output));
    ws
}

#[test]
fn an_archived_pdf_carries_its_data_and_manifest_and_verifies() {
    let ws = rendered(&["--archive"]);
    for layout in ["newspaper", "brochure"] {
        let pdf = format!("out/report.{layout}.pdf");
        let bytes = std::fs::read(ws.path(&pdf)).unwrap();
        // PDF/A-3b, as its metadata says.
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            text.contains("<pdfaid:part>3</pdfaid:part>"),
            "{layout}: not PDF/A-3"
        );
        assert!(text.contains("<pdfaid:conformance>B</pdfaid:conformance>"));
        assert!(
            text.contains("/OutputIntents"),
            "{layout}: no output intent"
        );
        assert!(
            text.contains("/AFRelationship /Source") || text.contains("/AFRelationship/Source")
        );
        // The files come back byte for byte.
        let folder = format!("x-{layout}");
        let output = ws.run(&["extract", &pdf, "-o", &folder]);
        assert!(output.status.success(), "{}", stderr(&output));
        assert_eq!(
            std::fs::read(ws.path(&format!("{folder}/report.toml"))).unwrap(),
            std::fs::read(ws.path("report.toml")).unwrap()
        );
        let manifest: serde_json::Value = serde_json::from_slice(
            &std::fs::read(ws.path(&format!("{folder}/banmian-manifest.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(manifest["layout"], layout);
        assert_eq!(
            manifest["data"]["sha256"],
            sha256(&std::fs::read(ws.path("report.toml")).unwrap())
        );
        let photos = manifest["photos"].as_array().unwrap();
        assert!(!photos.is_empty());
        for photo in photos {
            let file = photo["file"].as_str().unwrap();
            assert_eq!(
                photo["sha256"],
                sha256(&std::fs::read(ws.path(file)).unwrap())
            );
        }
        assert!(!manifest["fonts"].as_array().unwrap().is_empty());
        assert!(!manifest["templates"].as_array().unwrap().is_empty());
        // No path of this machine in the PDF.
        let here = ws.path(".").canonicalize().unwrap();
        assert!(
            !text.contains(here.to_str().unwrap()),
            "{layout}: a path of the machine"
        );
        // Rendered again from what it carries: the same bytes.
        let output = ws.run(&["verify", &pdf, "--photos", "."]);
        assert!(output.status.success(), "{layout}: {}", stderr(&output));
        assert!(String::from_utf8_lossy(&output.stdout).starts_with("verified: "));
    }
    // A photo changed since: verify says which, and fails.
    let first = {
        let manifest: serde_json::Value = serde_json::from_slice(
            &std::fs::read(ws.path("x-newspaper/banmian-manifest.json")).unwrap(),
        )
        .unwrap();
        manifest["photos"][0]["file"].as_str().unwrap().to_string()
    };
    ws.photo(&first);
    let output = ws.run(&["verify", "out/report.newspaper.pdf", "--photos", "."]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("is not the one the PDF was made from"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_pdf_without_files_is_not_an_archive() {
    let ws = rendered(&["--layout", "newspaper"]);
    let output = ws.run(&["extract", "out/report.newspaper.pdf"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("carries no files"));
    let output = ws.run(&["verify", "out/report.newspaper.pdf"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no manifest"));
}

#[test]
fn the_same_data_gives_the_same_bytes_whatever_the_machine() {
    let ws = rendered(&["--archive", "--manifest"]);
    // Another time zone, locale and working folder, the report named by an
    // absolute path.
    let elsewhere = tempfile::tempdir().unwrap();
    let data = ws.path("report.toml");
    let output = Command::new(BIN)
        .args([
            "render",
            data.to_str().unwrap(),
            "--archive",
            "--manifest",
            "-o",
        ])
        .arg(elsewhere.path().join("out/"))
        .current_dir(elsewhere.path())
        .env("TZ", "America/Los_Angeles")
        .env("LANG", "fr_FR.UTF-8")
        .env("LC_ALL", "fr_FR.UTF-8")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    for name in [
        "report.newspaper.pdf",
        "report.brochure.pdf",
        "report.newspaper.manifest.json",
        "report.brochure.manifest.json",
    ] {
        assert!(
            std::fs::read(ws.path(&format!("out/{name}"))).unwrap()
                == std::fs::read(elsewhere.path().join("out").join(name)).unwrap(),
            "{name} differs"
        );
    }
    // The manifest beside the PDF holds the PDF's own hash.
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(ws.path("out/report.newspaper.manifest.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        manifest["output"]["sha256"],
        sha256(&std::fs::read(ws.path("out/report.newspaper.pdf")).unwrap())
    );
}

#[test]
fn source_date_epoch_sets_the_date_and_a_bad_one_is_refused() {
    let ws = rendered(&["--layout", "newspaper"]);
    let run = |epoch: &str, out: &str| {
        Command::new(BIN)
            .args(["render", "report.toml", "--layout", "newspaper", "-o", out])
            .current_dir(ws.path("."))
            .env("SOURCE_DATE_EPOCH", epoch)
            .output()
            .unwrap()
    };
    let output = run("1609459200", "epoch.pdf");
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8_lossy(&std::fs::read(ws.path("epoch.pdf")).unwrap()).into_owned();
    assert!(
        text.contains("2021-01-01T00:00:00"),
        "the date of 1609459200"
    );
    let output = run("yesterday", "bad.pdf");
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("SOURCE_DATE_EPOCH"));
}

/// A tool from Debian the test needs (tools/test installs it), or `None`
/// when it is missing and the suite does not require it.
pub fn tool(name: &str) -> Option<std::path::PathBuf> {
    let found = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    });
    if found.is_none() {
        assert_ne!(
            std::env::var("BANMIAN_TEST_TOOLS").as_deref(),
            Ok("required"),
            "no {name} on this machine (tools/test installs it)"
        );
        eprintln!("skipped: no {name} on this machine; `tools/test` installs it");
    }
    found
}

/// What a PDF reader extracts from a PDF, without white space.
fn text_of(pdftotext: &std::path::Path, pdf: &std::path::Path) -> String {
    let output = Command::new(pdftotext)
        .args(["-raw", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    String::from_utf8(output.stdout)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[test]
fn every_sentence_caption_and_credit_is_found_by_a_text_search_of_each_pdf() {
    let Some(pdftotext) = tool("pdftotext") else {
        return;
    };
    let ws = rendered(&[]);
    let report: banmian::report::Report =
        toml::from_str(&std::fs::read_to_string(ws.path("report.toml")).unwrap()).unwrap();
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let mut wanted: Vec<String> = Vec::new();
    for section in &report.sections {
        for paragraph in &section.paragraphs {
            let mut sentence = String::new();
            for c in paragraph.chars() {
                sentence.push(c);
                if matches!(c, '。' | '！' | '？' | '；') {
                    wanted.push(squeeze(&sentence));
                    sentence.clear();
                }
            }
            if !sentence.trim().is_empty() {
                wanted.push(squeeze(&sentence));
            }
        }
    }
    for photo in &report.photos {
        wanted.push(squeeze(&photo.caption));
        if let Some(credit) = &photo.credit {
            wanted.push(squeeze(credit));
        }
    }
    assert!(
        wanted.iter().any(|w| w.contains('～')),
        "the example has a ～ to search for"
    );
    for layout in ["newspaper", "brochure"] {
        let text = text_of(&pdftotext, &ws.path(&format!("out/report.{layout}.pdf")));
        assert!(
            !text.contains('\u{2060}'),
            "{layout}: a word joiner in the text"
        );
        let missing: Vec<&String> = wanted
            .iter()
            .filter(|w| !text.contains(w.as_str()))
            .collect();
        assert!(
            missing.is_empty(),
            "{layout}: not found by a search: {missing:#?}"
        );
    }
}

#[test]
fn the_archive_pdfs_pass_qpdf_and_embed_every_font() {
    let (Some(qpdf), Some(pdffonts)) = (tool("qpdf"), tool("pdffonts")) else {
        return;
    };
    let ws = rendered(&["--archive"]);
    for layout in ["newspaper", "brochure"] {
        let pdf = ws.path(&format!("out/report.{layout}.pdf"));
        let output = Command::new(&qpdf)
            .arg("--check")
            .arg(&pdf)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{layout}: qpdf --check: {}{}",
            String::from_utf8_lossy(&output.stdout),
            stderr(&output)
        );
        // Every font embedded and subset: pdffonts' `emb` and `sub` columns.
        let output = Command::new(&pdffonts).arg(&pdf).output().unwrap();
        let listing = String::from_utf8_lossy(&output.stdout).into_owned();
        let fonts: Vec<&str> = listing.lines().skip(2).collect();
        assert!(!fonts.is_empty(), "{layout}: no fonts listed");
        for font in fonts {
            let columns: Vec<&str> = font.split_whitespace().collect();
            let flags = &columns[columns.len() - 5..columns.len() - 2];
            assert_eq!(flags, ["yes", "yes", "yes"], "{layout}: {font}");
        }
    }
}

/// A PDF's structure: the kind of every structure element in document
/// order, and the titles of its top-level bookmarks.
fn structure(pdf: &[u8]) -> (Vec<String>, Vec<String>) {
    use hayro_syntax::object::{Dict, Name, Object};
    fn walk(object: Object, kinds: &mut Vec<String>) {
        match object {
            Object::Dict(dict) => {
                if let Some(kind) = dict.get::<Name>(b"S") {
                    kinds.push(kind.as_str().to_string());
                    if let Some(children) = dict.get::<Object>(b"K") {
                        walk(children, kinds);
                    }
                }
            }
            Object::Array(items) => {
                for item in items.iter::<Object>() {
                    walk(item, kinds);
                }
            }
            _ => {}
        }
    }
    let text = |bytes: &[u8]| match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => String::from_utf16(
            &utf16
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect::<Vec<_>>(),
        )
        .unwrap(),
        None => String::from_utf8_lossy(bytes).into_owned(),
    };
    let pdf = hayro_syntax::Pdf::new(pdf.to_vec()).unwrap();
    let root: Dict = pdf.xref().get(pdf.xref().root_id()).unwrap();
    let mut kinds = Vec::new();
    let tree = root.get::<Dict>(b"StructTreeRoot").expect("a tagged PDF");
    walk(tree.get::<Object>(b"K").unwrap(), &mut kinds);
    let mut titles = Vec::new();
    let mut item = root
        .get::<Dict>(b"Outlines")
        .and_then(|o| o.get::<Dict>(b"First"));
    while let Some(bookmark) = item {
        let title = bookmark
            .get::<hayro_syntax::object::String>(b"Title")
            .unwrap();
        titles.push(text(title.as_ref()));
        item = bookmark.get::<Dict>(b"Next");
    }
    (kinds, titles)
}

#[test]
fn each_story_is_a_heading_in_the_structure_and_a_bookmark() {
    let ws = rendered(&["--pdf-standard", "ua-1"]);
    let report = banmian::report::load(&ws.path("report.toml")).unwrap_or_else(|_| panic!("loads"));
    let mut headlines: Vec<String> = report
        .report
        .sections
        .iter()
        .map(|s| s.headline.lines().join(" "))
        .collect();
    headlines.sort();
    for layout in ["newspaper", "brochure"] {
        let pdf = std::fs::read(ws.path(&format!("out/report.{layout}.pdf"))).unwrap();
        let (kinds, titles) = structure(&pdf);
        assert_eq!(
            kinds.first().map(String::as_str),
            Some("Document"),
            "{layout}"
        );
        let heads = kinds.iter().filter(|k| *k == "H1").count();
        assert_eq!(
            heads,
            headlines.len(),
            "{layout}: one H1 a story: {kinds:?}"
        );
        // Each heading is followed by what it heads, not by another heading.
        assert!(
            !kinds.windows(2).any(|w| w[0] == "H1" && w[1] == "H1"),
            "{layout}: {kinds:?}"
        );
        // The headline's lines a space apart (an ideographic one in the
        // brochure's).
        let mut titles: Vec<String> = titles.iter().map(|t| t.replace('　', " ")).collect();
        titles.sort();
        assert_eq!(titles, headlines, "{layout}: a bookmark a story");
    }
}
