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
    /// Preflight the PDFs too (or the PDF given instead of a report).
    pub preflight: bool,
}

/// Checks, prints the findings, and says how it ended.
pub fn run(config: &CheckConfig) -> Exit {
    let data = &config.request.data;
    let is_pdf = data
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    if config.preflight && is_pdf {
        return preflight_file(config);
    }
    let mut outcome = pipeline::run(&config.request);
    if config.preflight {
        let found = preflight_render(&outcome, data);
        outcome.findings.extend(found);
    }
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
        Print::Human => print_human(data, found),
    }
    outcome.exit(config.strict)
}

/// A written PDF, preflighted.
fn preflight_file(config: &CheckConfig) -> Exit {
    let data = &config.request.data;
    let found = match std::fs::read(data) {
        Ok(bytes) => crate::checks::preflight::preflight(bytes, &data.display().to_string()),
        Err(err) => {
            eprintln!("error: cannot read {}: {err}", data.display());
            return Exit::CannotRun;
        }
    };
    print_findings(config, data, &found);
    let errors = found.iter().any(Finding::is_error);
    let warned = found.iter().any(|f| f.severity == Severity::Warning);
    if errors || (config.strict && warned) {
        Exit::Refused
    } else {
        Exit::Success
    }
}

/// Each laid-out layout made into the PDF `render` would write, and
/// preflighted.
fn preflight_render(outcome: &pipeline::Outcome, data: &Path) -> Vec<Finding> {
    let Some(prepared) = &outcome.prepared else {
        return Vec::new();
    };
    let output = crate::export::Output {
        destination: crate::export::Destination::Folder(std::path::PathBuf::from("out")),
        format: crate::export::OutputFormat::Pdf,
        ppi: 72.0,
        pdf: Default::default(),
    };
    let mut found = Vec::new();
    for (layout, document) in &outcome.documents {
        match crate::export::export(document, *layout, data, &output, prepared) {
            Ok(files) => {
                for (_, bytes) in files {
                    found.extend(crate::checks::preflight::preflight(
                        bytes,
                        &format!("the {} PDF", layout.name()),
                    ));
                }
            }
            Err(failure) => found.extend(failure.findings().iter().cloned()),
        }
    }
    found
}

/// Prints findings as `check` does.
fn print_findings(config: &CheckConfig, data: &Path, found: &[Finding]) {
    match config.print {
        Print::Json => println!(
            "{}",
            serde_json::to_string_pretty(&to_json(data, found)).expect("JSON serialises")
        ),
        Print::Human => print_human(data, found),
    }
}

/// The findings for people, then the count of each severity.
fn print_human(data: &Path, found: &[Finding]) {
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
