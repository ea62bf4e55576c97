//! Helpers the integration tests share.

use std::path::Path;

/// The example report's photos copied into `dir/photos`, and the example
/// report's text, to write there edited.
pub fn example_in(dir: &Path) -> String {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    std::fs::create_dir_all(dir.join("photos")).unwrap();
    for entry in std::fs::read_dir(data.join("photos")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join("photos").join(entry.file_name())).unwrap();
    }
    std::fs::read_to_string(data.join("zhongzhan-2020.toml")).unwrap()
}
