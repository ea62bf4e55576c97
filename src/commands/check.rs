//! `banmian check`: every problem of a report, found by running the
//! pipeline over every layout asked for, writing nothing; printed for
//! people or as the versioned JSON document CI reads.

use std::path::Path;

use serde_json::json;

use super::Print;
use crate::exit::Exit;
use crate::findings::{self, Finding, Severity};
use crate::layouts::Layout;
use crate::pipeline::{self, Request};
use crate::typeset::Composition;

/// What to check and how to say it.
#[derive(Debug, Clone)]
pub struct CheckConfig {
    /// The report, the layouts, the fonts.
    pub request: Request,
    /// For people or for CI.
    pub print: Print,
    /// Warnings fail the check too.
    pub strict: bool,
}

/// Checks, prints the findings, and says how it ended.
pub fn run(config: &CheckConfig) -> Exit {
    let outcome = pipeline::run(&config.request);
    let data = &config.request.data;
    let found = &outcome.findings;
    match config.print {
        Print::Json => {
            let mut json = to_json(data, found);
            // The newspaper's plan, when its page was composed.
            if let Some(prepared) = &outcome.prepared
                && config.request.layouts.contains(&Layout::Newspaper)
                && let Composition::Page(page) = &prepared.composition
            {
                let headline = |section: usize| prepared.data.section_headline(section);
                json["plan"] = page.to_json(prepared.data.band(), &headline);
            }
            println!(
                "{}",
                serde_json::to_string_pretty(&json).expect("JSON serialises")
            );
        }
        Print::Human => {
            findings::print(found);
            let count = |s: Severity| found.iter().filter(|f| f.severity == s).count();
            eprintln!(
                "{}: {} error(s), {} warning(s), {} note(s)",
                data.display(),
                count(Severity::Error),
                count(Severity::Warning),
                count(Severity::Note)
            );
        }
    }
    outcome.exit(config.strict)
}

/// The JSON Schema of the findings output.
pub const FINDINGS_SCHEMA: &str = include_str!("../../schemas/findings.json");

/// The version of the JSON findings format; see `schemas/findings.json`.
pub const JSON_VERSION: u32 = 1;

/// The findings as the versioned JSON document CI reads.
pub fn to_json(data: &Path, findings: &[Finding]) -> serde_json::Value {
    let count = |severity: Severity| findings.iter().filter(|f| f.severity == severity).count();
    json!({
        "version": JSON_VERSION,
        "tool": format!("banmian {}", env!("CARGO_PKG_VERSION")),
        "data": data.display().to_string(),
        "summary": {
            "errors": count(Severity::Error),
            "warnings": count(Severity::Warning),
            "notes": count(Severity::Note),
        },
        "findings": findings.iter().map(Finding::to_json).collect::<Vec<_>>(),
    })
}
