//! Any text in the example report's fields, all the way to the laid-out
//! newspaper page, the brochure and their PDFs, with the bundled fonts and
//! the example's photos: each is made or refused with findings, never a
//! panic. The first byte chooses the field (a paragraph, the title, a
//! caption, a headline); the rest, read as UTF-8, is its text.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

const EXAMPLE: &str = include_str!("../../data/zhongzhan-2020.toml");

/// A folder with the example's photos, made once per process.
fn folder() -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let photos = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/photos");
        std::fs::create_dir_all(dir.path().join("photos")).expect("a photos folder");
        for entry in std::fs::read_dir(photos).expect("the example's photos") {
            let entry = entry.expect("a photo");
            std::fs::copy(
                entry.path(),
                dir.path().join("photos").join(entry.file_name()),
            )
            .expect("a copy");
        }
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&field, text)) = data.split_first() else {
        return;
    };
    let text = toml::Value::String(String::from_utf8_lossy(text).into_owned());
    let mut report: toml::Value = toml::from_str(EXAMPLE).expect("the example is TOML");
    match field % 4 {
        0 => report["sections"][0]["paragraphs"][0] = text,
        1 => report["title"] = toml::Value::Array(vec![text]),
        2 => report["photos"][0]["caption"] = text,
        _ => report["sections"][1]["headline"] = toml::Value::Array(vec![text]),
    }
    let path = folder().path().join("report.toml");
    std::fs::write(&path, toml::to_string(&report).expect("TOML")).expect("writable");
    let Ok(prepared) = banmian::pipeline::prepare(&path, &[]) else {
        return;
    };
    let output = banmian::export::Output {
        destination: banmian::export::Destination::Folder(folder().path().join("out")),
        format: banmian::export::OutputFormat::Pdf,
        ppi: 72.0,
        pdf: Default::default(),
    };
    for layout in banmian::layouts::Layout::ALL.iter().copied() {
        if let Ok((document, _)) = banmian::pipeline::compile(&prepared, layout) {
            // Made in memory only: nothing is written.
            let _ = banmian::export::export(&document, layout, &path, &output, &prepared);
        }
    }
    comemo::evict(0);
});
