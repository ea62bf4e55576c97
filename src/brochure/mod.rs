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
use crate::findings::Finding;
use crate::report::{Binding, BrochureSettings};

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

/// Composes the brochure for `stories` (reading order).
pub fn compose(
    stories: &[StoryInput],
    lede: &[String],
    figures: usize,
    settings: &BrochureSettings,
    faces: &Faces,
) -> Booklet {
    let geometry = Geometry::of(settings.paper);
    let measured: Vec<story::Story> = stories
        .iter()
        .map(|s| story::Story::new(s, geometry, faces))
        .collect();
    let lede_height = OPENING_TITLE + lede_height(lede, &geometry, faces.kai);
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
        has_lede: !lede.is_empty(),
        lede_fill: lede_height / geometry.text_height(),
        figures,
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
pub fn findings(booklet: &Booklet, binding: Binding) -> Vec<Finding> {
    let mut out = Vec::new();
    let pages = booklet.pages.len();
    if let Some(why) = &booklet.off_count {
        out.push(
            Finding::warning("brochure-page-count", why.clone())
                .hint("add or cut copy, add photos, or set [brochure] binding = \"perfect\""),
        );
    }
    if !booklet.choices.is_empty() {
        let binding = match binding {
            Binding::Saddle => "saddle stitching takes a multiple of 4",
            Binding::Perfect => "perfect binding takes an even count",
        };
        out.push(Finding::note(
            "brochure-pages",
            format!("{pages} pages ({binding}): {}", booklet.choices.join("; ")),
        ));
    }
    out
}
