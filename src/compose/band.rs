//! The title band (title, lede, byline) above the modules: its depth in
//! lines, worked out before composing so that the composer knows the area
//! it tiles. The template sets the band in exactly these lines and reports
//! an error if its content would need more.

use super::grid::{self, EM_PT, PITCH};
use super::lines::{self as compose, Metrics};

/// Columns the title takes; the lede takes the rest.
pub const TITLE_COLUMNS: usize = 3;
/// The largest title size, pt.
const TITLE_MAX_PT: f64 = 110.0;
/// The lede's size (小四) and pitch, pt.
pub const LEDE_PT: f64 = 12.0;
const LEDE_PITCH_PT: f64 = 19.5;
/// A line of the title's cap-height box, as a share of its size.
const CAP: f64 = 0.76;

/// The title band's parts, as the composer sees them.
pub struct TitleBand<'a> {
    /// 引题 over the title.
    pub kicker: Option<&'a str>,
    /// The title's lines.
    pub title: &'a [String],
    /// 副题 under it.
    pub subtitle: Option<&'a str>,
    /// Lede paragraphs.
    pub lede: &'a [String],
    /// The byline as printed (文/… 图/…).
    pub byline: &'a str,
}

/// The title's size in pt: the largest that sets its longest line across
/// the title's columns, at most 110 pt.
pub fn title_size(title: &[String]) -> f64 {
    let longest = title
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(1)
        .max(1);
    (grid::span_pt(TITLE_COLUMNS) / longest as f64).min(TITLE_MAX_PT)
}

/// Lines the band takes.
pub fn lines(band: &TitleBand, kai: &dyn Metrics) -> usize {
    let size = title_size(band.title);
    let leading = 0.3 * size;
    let n = band.title.len().max(1) as f64;
    let mut title = n * CAP * size + (n - 1.0) * leading;
    if band.kicker.is_some() {
        title += CAP * 16.0 + leading;
    }
    if band.subtitle.is_some() {
        title += CAP * 18.0 + leading;
    }
    let lede_width = grid::span_pt(grid::COLUMNS - TITLE_COLUMNS) / LEDE_PT;
    let lede_lines: usize = band
        .lede
        .iter()
        .map(|p| compose::break_text(&format!("\u{3000}\u{3000}{p}"), lede_width, kai).len())
        .sum();
    let byline_lines =
        compose::break_text(band.byline, grid::span(grid::COLUMNS - TITLE_COLUMNS), kai).len();
    let gap = LEDE_PITCH_PT - LEDE_PT;
    let mut lede = 0.0;
    if lede_lines > 0 {
        lede = lede_lines as f64 * LEDE_PITCH_PT - gap + 2.0 * gap;
    }
    lede += byline_lines as f64 * EM_PT + (byline_lines as f64 - 1.0) * gap;
    let pitch = PITCH * EM_PT;
    ((title.max(lede) + pitch) / pitch).ceil() as usize
}
