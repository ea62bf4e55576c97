//! `banmian schema`: the JSON Schema of the report format, or of the
//! findings `check --format json` prints.

use crate::exit::Exit;

/// Prints the schema.
pub fn run(findings: bool) -> Exit {
    let schema = if findings {
        serde_json::from_str(super::check::FINDINGS_SCHEMA).expect("the findings schema is JSON")
    } else {
        crate::report::schema()
    };
    println!(
        "{}",
        serde_json::to_string_pretty(&schema).expect("JSON serialises")
    );
    Exit::Success
}
