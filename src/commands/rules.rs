//! `banmian rules`: the newspaper page (or the brochure) laid out and
//! measured against every rule, typographic and of the page; a table of
//! breaches per rule.

use std::path::PathBuf;

use crate::exit::Exit;
use crate::findings;
use crate::inspect::inspect;
use crate::layouts::Layout;
use crate::pipeline::{self, Request};

/// Lays out `layout`, prints the table, and says how it ended: refused
/// when any rule is broken.
pub fn run(data: PathBuf, layout: Layout, font_paths: Vec<PathBuf>) -> Exit {
    let outcome = pipeline::run(&Request {
        data,
        layouts: vec![layout],
        font_paths,
        pixels: false,
        pdf: Default::default(),
        archive: false,
    });
    let (Some(prepared), [(_, document)], Exit::Success) = (
        &outcome.prepared,
        outcome.documents.as_slice(),
        outcome.exit(false),
    ) else {
        findings::print(&outcome.findings);
        return match outcome.exit(false) {
            Exit::Success => Exit::Refused,
            other => other,
        };
    };
    let inspection = inspect(document);
    let counts = match layout {
        Layout::Newspaper => crate::rules::check(prepared, document, &inspection),
        Layout::Brochure => crate::rules::check_brochure(prepared, document, &inspection),
    };
    print!("{}", crate::rules::table(&counts));
    let broken: usize = counts.iter().map(|c| c.count).sum();
    println!("{broken} breach(es) of {} rules", counts.len());
    if broken == 0 {
        Exit::Success
    } else {
        Exit::Refused
    }
}
