//! Composition of the brochure: the same report as a booklet a district
//! office prints as it is.
//!
//! - [`geometry`]: the page, its margins, columns and line grid;
//! - [`story`]: one story measured once and laid out in each of its
//!   variants (opener, photos in the text or a gallery, crop), with no
//!   paragraph's first line alone at a column's foot nor its last at a
//!   head, and the last page's columns balanced;
//! - [`booklet`]: the whole booklet, and the search over the stories'
//!   variants that reaches the page count the binding needs (a multiple of
//!   4 for saddle stitching) without a blank page.
//!
//! banmian breaks every line here, as it does for the newspaper page; the
//! template only draws what the plan says, so the page count is known
//! before Typst runs.

pub mod booklet;
pub mod geometry;
pub mod impose;
pub mod story;

pub use booklet::{Booklet, Matter, Page, Part};

pub use geometry::Geometry;
pub use story::{Faces, PhotoInput, StoryInput};

use crate::compose::lines::{self as compose, Metrics};
use crate::findings::{FieldPath, Finding};
use crate::report::{BrochureSettings, LoadedReport};

/// The lede's size (小四 楷体) and pitch on the opening page.
pub const LEDE: f64 = 12.0;
const LEDE_PITCH: f64 = 21.0;
/// The opening page's parts as the template sets them, pt: the title
/// over the lede, the space between lede and contents, the contents'
/// heading; an entry's line pitch (小四) and the space after it.
const OPENING_TITLE: f64 = 64.0;
const OPENING_GAP: f64 = 36.0;
const CONTENTS_HEAD: f64 = 56.0;
const ENTRY_PITCH: f64 = 18.0;
const ENTRY_GAP: f64 = 12.0;

/// What the brochure sets besides its stories.
pub struct Matters<'a> {
    /// The report's title, line by line (over the lede).
    pub title: &'a [String],
    /// The lede's paragraphs.
    pub lede: &'a [String],
    /// Key figures, by count.
    pub figures: usize,
    /// Lines of the colophon besides the photos' credits (publication,
    /// date, byline, editors).
    pub colophon_rows: usize,
    /// Each credited photo's caption and credit, as the colophon lists
    /// them.
    pub credits: Vec<String>,
}

/// The colophon's heading, its rows (小四 with their space) and its list
/// of photos: a heading, then each caption (小五 楷体) with its space.
const COLOPHON_HEAD: f64 = 56.0;
const COLOPHON_ROW: f64 = 37.0;
const CREDITS_HEAD: f64 = 49.0;
const CREDIT_PITCH: f64 = 17.0;
const CREDIT_GAP: f64 = 7.0;

/// Composes the brochure for `stories` (reading order).
pub fn compose(
    stories: &[StoryInput],
    matters: &Matters,
    settings: &BrochureSettings,
    faces: &Faces,
) -> Booklet {
    let geometry = Geometry::of(settings.paper);
    let measured: Vec<story::Story> = stories
        .iter()
        .map(|s| story::Story::new(s, geometry, faces))
        .collect();
    let title = compose::break_text(
        &matters.title.concat(),
        geometry.text_width() / 22.0,
        faces.song,
    );
    let lede_height = OPENING_TITLE
        + (title.len().max(1) - 1) as f64 * 22.0 * 1.3
        + lede_height(matters.lede, &geometry, faces.kai);
    // Each entry: its headline (room kept for the leader and the number).
    let entries: Vec<f64> = stories
        .iter()
        .map(|s| {
            let headline = s.headline.join("　");
            let width = (geometry.text_width() - 3.0 * LEDE) / LEDE;
            let lines = compose::break_text(&headline, width, faces.song)
                .len()
                .max(1);
            lines as f64 * ENTRY_PITCH + ENTRY_GAP
        })
        .collect();
    let contents = CONTENTS_HEAD + entries.iter().sum::<f64>();
    let matter = Matter {
        opening_fits_one: lede_height + OPENING_GAP + contents
            <= geometry.text_height() - geometry.pitch,
        contents_pages: contents_pages(&entries, geometry.text_height() - geometry.pitch),
        has_lede: !matters.lede.is_empty(),
        lede_fill: lede_height / geometry.text_height(),
        figures: matters.figures,
        colophon_fits: colophon_height(matters, &geometry, faces.kai) <= geometry.text_height(),
    };
    booklet::compose(&measured, &matter, settings.binding, geometry)
}

/// The contents on pages of their own: the entries (by height) each page
/// of `room` holds, the heading on each.
fn contents_pages(entries: &[f64], room: f64) -> Vec<(usize, usize)> {
    let mut pages = Vec::new();
    let (mut from, mut used) = (0, CONTENTS_HEAD);
    for (i, &height) in entries.iter().enumerate() {
        if used + height > room && i > from {
            pages.push((from, i));
            (from, used) = (i, CONTENTS_HEAD);
        }
        used += height;
    }
    pages.push((from, entries.len()));
    pages
}

/// The colophon's height, pt, as the template sets it.
fn colophon_height(matters: &Matters, g: &Geometry, kai: &dyn Metrics) -> f64 {
    let credits: f64 = matters
        .credits
        .iter()
        .map(|c| {
            compose::break_text(c, g.text_width() / geometry::CAPTION, kai).len() as f64
                * CREDIT_PITCH
                + CREDIT_GAP
        })
        .sum();
    let list = if matters.credits.is_empty() {
        0.0
    } else {
        CREDITS_HEAD + credits
    };
    COLOPHON_HEAD + matters.colophon_rows as f64 * COLOPHON_ROW + list
}

/// The lede's height on its page, pt.
pub fn lede_height(lede: &[String], g: &Geometry, kai: &dyn Metrics) -> f64 {
    let lines: usize = lede
        .iter()
        .map(|p| compose::break_text(&format!("　　{p}"), g.text_width() / LEDE, kai).len())
        .sum();
    lines as f64 * LEDE_PITCH + lede.len().saturating_sub(1) as f64 * (LEDE_PITCH - LEDE)
}

/// What composing the brochure tells the editor: a page count the binding
/// does not take (a warning, with why), and which stories were made
/// fuller or emptier than their own best to reach the count (a note).
pub fn findings(booklet: &Booklet, loaded: &LoadedReport) -> Vec<Finding> {
    let binding = loaded.report.brochure.binding;
    let mut out = Vec::new();
    let pages = booklet.pages.len();
    if booklet.lede_fill > 1.0 {
        let mut finding = loaded.source.error_at_path(
            &FieldPath::root().key("lede"),
            format!(
                "the lede takes {:.0} % of a brochure page with the title over it; it must fit one",
                100.0 * booklet.lede_fill
            ),
        );
        finding.code = "layout-overflow";
        out.push(finding.hint(format!(
            "cut about {:.0} % of the lede",
            100.0 * (1.0 - 1.0 / booklet.lede_fill)
        )));
    }
    if let Some(why) = &booklet.off_count {
        out.push(
            Finding::warning("brochure-page-count", why.clone())
                .hint("add or cut copy, add photos, or set [brochure] binding = \"perfect\""),
        );
    }
    if !booklet.choices.is_empty() {
        let binding = match binding {
            crate::report::Binding::Saddle => "saddle stitching takes a multiple of 4",
            crate::report::Binding::Perfect => "perfect binding takes an even count",
        };
        out.push(Finding::note(
            "brochure-pages",
            format!("{pages} pages ({binding}): {}", booklet.choices.join("; ")),
        ));
    }
    out
}
