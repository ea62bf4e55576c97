//! Every paragraph, headline and caption is in every layout laid out.

use typst_layout::PagedDocument;

use crate::findings::{FieldPath, Finding};
use crate::fonts;
use crate::inspect::inspect;
use crate::layouts::Layout;
use crate::report::LoadedReport;

/// Every paragraph, headline and caption is in every layout laid out:
/// nothing dropped from the page or the brochure.
pub fn check(loaded: &LoadedReport, documents: &[(Layout, PagedDocument)]) -> Vec<Finding> {
    let squeeze = |s: &str| {
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{2060}')
            .collect::<String>()
    };
    let mut found = Vec::new();
    for (layout, document) in documents {
        let inspection = inspect(document);
        // Body lines alone, for paragraphs: a caption floated to a page
        // break, a running head or a folio may sit between two lines of one.
        let body: String = inspection
            .lines
            .iter()
            .filter(|l| {
                l.runs
                    .iter()
                    .all(|r| r.family == fonts::SERIF && r.weight < 700)
            })
            .map(|l| squeeze(&l.text()))
            .collect();
        let all: String = inspection
            .lines
            .iter()
            .map(|l| squeeze(&l.text()))
            .collect();
        let mut expect = |path: FieldPath, wanted: &str| {
            let wanted = squeeze(&crate::typeset::prepare(wanted));
            let is_paragraph = path
                .segments()
                .iter()
                .any(|s| matches!(s, crate::findings::Segment::Key(k) if k == "paragraphs"));
            let text = if is_paragraph { &body } else { &all };
            if !wanted.is_empty() && !text.contains(&wanted) {
                found.push(
                    Finding::error(
                        "consistency-missing",
                        format!("the {} does not carry {}", layout.name(), describe(&path)),
                    )
                    .at(loaded.source.locate(&path)),
                );
            }
        };
        for (i, section) in loaded.report.sections.iter().enumerate() {
            let at = FieldPath::root().key("sections").index(i);
            expect(at.key("headline"), &section.headline.lines().concat());
            for (j, paragraph) in section.paragraphs.iter().enumerate() {
                expect(at.key("paragraphs").index(j), paragraph);
            }
        }
        for (i, photo) in loaded.report.photos.iter().enumerate() {
            expect(
                FieldPath::root().key("photos").index(i).key("caption"),
                &photo.caption,
            );
        }
    }
    found
}

fn describe(path: &FieldPath) -> String {
    format!("the text at {path}")
}
