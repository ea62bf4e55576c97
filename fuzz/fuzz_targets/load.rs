//! The data loader on any bytes, as TOML or as JSON: it answers with a
//! report or findings, and never panics, hangs or allocates without bound.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn folder() -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("a temporary folder"))
}

fuzz_target!(|data: &[u8]| {
    // The first byte chooses the format; the rest is the file.
    let Some((&choice, bytes)) = data.split_first() else {
        return;
    };
    let name = if choice % 2 == 0 {
        "report.toml"
    } else {
        "report.json"
    };
    let path = folder().path().join(name);
    std::fs::write(&path, bytes).expect("the temporary file is writable");
    let _ = banmian::report::load(&path);
});
