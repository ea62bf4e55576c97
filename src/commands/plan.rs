//! `banmian plan`: the newspaper page's arrangement as a map of the grid
//! and the terms of its score, so an editor sees why; nothing written.

use std::path::PathBuf;

use super::Print;
use crate::exit::Exit;
use crate::findings::{self, Finding};
use crate::layouts::Layout;
use crate::pipeline::{self, Request};
use crate::typeset::Composition;

/// Composes the page and prints its plan, or the errors that say why no
/// page was found.
pub fn run(data: PathBuf, font_paths: Vec<PathBuf>, print: Print) -> Exit {
    // The newspaper page, composed (and laid out: the pipeline composes
    // only the layouts asked for).
    let outcome = pipeline::run(&Request {
        data,
        layouts: vec![Layout::Newspaper],
        font_paths,
        pixels: false,
        pdf: Default::default(),
        archive: false,
    });
    let errors = |found: &[Finding]| {
        found
            .iter()
            .filter(|f| f.is_error())
            .cloned()
            .collect::<Vec<_>>()
    };
    let Some(prepared) = &outcome.prepared else {
        findings::print(&errors(&outcome.findings));
        return outcome.exit(false);
    };
    let Composition::Page(page) = &prepared.composition else {
        findings::print(&errors(&prepared.fit));
        return Exit::Refused;
    };
    let band = prepared.data.band();
    let headline = |section: usize| prepared.data.section_headline(section);
    match print {
        Print::Human => print!("{}", page.describe(band, &headline)),
        Print::Json => println!(
            "{}",
            serde_json::to_string_pretty(&page.to_json(band, &headline)).expect("JSON serialises")
        ),
    }
    Exit::Success
}
