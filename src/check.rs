//! `banmian check`: every problem of a report, found by laying out every
//! layout without writing anything. `render` runs the same checks and
//! writes only when they find no error.

use std::path::PathBuf;

use serde_json::json;
use typst_layout::PagedDocument;

use crate::findings::{FieldPath, Finding, PageLocation, Severity};
use crate::inspect::{inspect, markers};
use crate::layouts::Layout;
use crate::lint;
use crate::render::{self, Prepared};
use crate::report::{self, LoadedReport};

/// Effective resolution below which a photo is flagged, pixels per inch.
pub const PPI_WARNING: f64 = 200.0;
/// Effective resolution below which a photo will print visibly soft.
pub const PPI_ERROR: f64 = 100.0;

/// What to check.
#[derive(Debug, Clone)]
pub struct CheckConfig {
    /// The report file.
    pub data: PathBuf,
    /// The layouts to lay out.
    pub layouts: Vec<Layout>,
    /// Folders with extra fonts.
    pub font_paths: Vec<PathBuf>,
}

/// Everything a check found, and what it laid out.
pub struct Outcome {
    /// Findings, data problems first, then layout ones.
    pub findings: Vec<Finding>,
    /// The report ready for export, when it could be prepared.
    pub prepared: Option<Prepared>,
    /// Each layout that laid out without error.
    pub documents: Vec<(Layout, PagedDocument)>,
}

impl Outcome {
    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(Finding::is_error)
    }
}

/// Runs every check.
pub fn run(config: &CheckConfig) -> Outcome {
    let loaded = match report::load(&config.data) {
        Ok(loaded) => loaded,
        Err(findings) => {
            return Outcome {
                findings,
                prepared: None,
                documents: Vec::new(),
            };
        }
    };
    let mut findings = lint::lint(&loaded);
    let prepared = match render::prepare_loaded(loaded, &config.font_paths) {
        Ok(prepared) => prepared,
        Err(found) => {
            findings.extend(found);
            return Outcome {
                findings,
                prepared: None,
                documents: Vec::new(),
            };
        }
    };
    findings.extend(glyph_fallbacks(&prepared));
    let mut documents = Vec::new();
    for &layout in &config.layouts {
        match render::compile(&prepared, layout) {
            Ok((document, found)) => {
                findings.extend(found);
                findings.extend(resolution(&prepared, layout, &document));
                documents.push((layout, document));
            }
            Err(found) => findings.extend(found),
        }
    }
    // Copyfit notes are the newspaper's.
    if config.layouts.contains(&Layout::Newspaper) {
        findings.extend(prepared.fit.iter().filter(|f| !f.is_error()).cloned());
    }
    findings.extend(consistency(&prepared, &documents));
    Outcome {
        findings,
        prepared: Some(prepared),
        documents,
    }
}

/// The face each kind of text asks for: (family, weight).
fn face_for(path: &FieldPath) -> (&'static str, u16) {
    use crate::findings::Segment::Key;
    let keys: Vec<&str> = path
        .segments()
        .iter()
        .filter_map(|s| {
            if let Key(k) = s {
                Some(k.as_str())
            } else {
                None
            }
        })
        .collect();
    match keys.as_slice() {
        ["title"] => ("Noto Serif CJK SC", 900),
        ["sections", "headline"] => ("Noto Serif CJK SC", 700),
        ["sections", "paragraphs"] => ("Noto Serif CJK SC", 400),
        ["figures", "items", "value"] => ("Noto Serif CJK SC", 900),
        ["lede"] | ["byline", ..] | ["photos", ..] | ["figures", "items", "label"] => {
            ("Banmian Kai", 400)
        }
        _ => ("Noto Sans CJK SC", 700),
    }
}

/// Characters the face a text asks for lacks, which another face will set.
fn glyph_fallbacks(prepared: &Prepared) -> Vec<Finding> {
    let book = prepared.fonts.book();
    let mut seen = std::collections::HashSet::new();
    let mut found = Vec::new();
    for (path, text) in report::texts(&prepared.loaded.report) {
        let (family, weight) = face_for(&path);
        let Some(face) = book.select(&family.to_lowercase(), variant(weight)) else {
            continue;
        };
        for (i, c) in text.chars().enumerate() {
            if !crate::fonts::needs_glyph(c)
                || prepared.fonts.face_covers(face, c)
                || "“”‘’".contains(c)
            {
                continue;
            }
            if prepared.fonts.covers(c) && seen.insert((c, family)) {
                found.push(
                    Finding::warning(
                        "glyph-fallback",
                        format!("{family} has no {c} (U+{:04X}); it will be set in another face and may not match", c as u32),
                    )
                    .at(prepared.loaded.source.locate_nth(&path, text, i))
                    .hint("check the character, or give a font for it with --font-path"),
                );
            }
        }
    }
    found
}

fn variant(weight: u16) -> typst::text::FontVariant {
    typst::text::FontVariant::new(
        typst::text::FontStyle::Normal,
        typst::text::FontWeight::from_number(weight),
        typst::text::FontStretch::NORMAL,
    )
}

/// Photos printed at an effective resolution too low for print: each
/// placement the layout reports, against the photo's pixels (a photo
/// cropped to fill its frame is scaled by the larger of the two ratios).
fn resolution(prepared: &Prepared, layout: Layout, document: &PagedDocument) -> Vec<Finding> {
    let mut found = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for marker in markers(document, "banmian-photo") {
        let value = &marker.value;
        let (Some(index), Some(width), Some(height)) = (
            value.get("photo").and_then(|v| v.as_u64()),
            value.get("width").and_then(|v| v.as_f64()),
            value.get("height").and_then(|v| v.as_f64()),
        ) else {
            continue;
        };
        let index = index as usize;
        let Some(photo) = prepared.photos.get(index) else {
            continue;
        };
        let ppi =
            (f64::from(photo.width) * 72.0 / width).min(f64::from(photo.height) * 72.0 / height);
        if ppi >= PPI_WARNING || !seen.insert(index) {
            continue;
        }
        let file = &prepared.loaded.report.photos[index].file;
        let message = format!(
            "photo {file} prints at {ppi:.0} ppi on the {} ({:.0} × {:.0} mm from {} × {} px)",
            layout.name(),
            width / 72.0 * 25.4,
            height / 72.0 * 25.4,
            photo.width,
            photo.height
        );
        let finding = if ppi < PPI_ERROR {
            Finding::error("photo-resolution", message)
        } else {
            Finding::warning("photo-resolution", message)
        };
        found.push(
            finding
                .at(prepared
                    .loaded
                    .source
                    .locate(&FieldPath::root().key("photos").index(index).key("file")))
                .hint(format!(
                    "print wants {PPI_WARNING:.0} ppi: a larger original, or fewer columns"
                ))
                .on_page(PageLocation {
                    layout: layout.name().into(),
                    page: marker.page,
                    column: render::newspaper_column(layout, marker.page_width, marker.x),
                }),
        );
    }
    found
}

/// Every paragraph, headline and caption is in every layout laid out:
/// nothing dropped from the page or the brochure.
pub fn consistency(prepared: &Prepared, documents: &[(Layout, PagedDocument)]) -> Vec<Finding> {
    let squeeze = |s: &str| {
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{2060}')
            .collect::<String>()
    };
    let mut found = Vec::new();
    let loaded: &LoadedReport = &prepared.loaded;
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
                    .all(|r| r.family == "Noto Serif CJK SC" && r.weight < 700)
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

/// The JSON Schema of the findings output.
pub const FINDINGS_SCHEMA: &str = include_str!("../schemas/findings.json");

/// The version of the JSON findings format; see `schemas/findings.json`.
pub const JSON_VERSION: u32 = 1;

/// The findings as the versioned JSON document CI reads.
pub fn to_json(data: &std::path::Path, findings: &[Finding]) -> serde_json::Value {
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
