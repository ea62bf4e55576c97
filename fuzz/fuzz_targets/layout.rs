//! Data all the way to the laid-out newspaper page and the PDF, with the
//! bundled fonts: any TOML that loads is composed, laid out and exported,
//! or refused with findings, never a panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn folder() -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("a temporary folder"))
}

fuzz_target!(|data: &[u8]| {
    let path = folder().path().join("report.toml");
    std::fs::write(&path, data).expect("the temporary file is writable");
    let Ok(prepared) = banmian::pipeline::prepare(&path, &[]) else {
        return;
    };
    let output = banmian::export::Output {
        destination: banmian::export::Destination::Folder(folder().path().join("out")),
        format: banmian::export::OutputFormat::Pdf,
        ppi: 72.0,
    };
    for layout in banmian::layouts::Layout::ALL.iter().copied() {
        if let Ok((document, _)) = banmian::pipeline::compile(&prepared, layout) {
            // Made in memory only: nothing is written.
            let _ = banmian::export::export(&document, layout, &path, &output, prepared.date);
        }
    }
});
