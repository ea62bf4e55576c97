//! The newspaper page's grid, in one place: the page, its 8 columns of 13
//! characters of 小五 with one-character gutters, the 13.5 pt line pitch,
//! and the area under the strip and the title band that the modules tile.
//! Lengths are in em of the body size (9 pt) unless a name says pt or mm.

use serde::Serialize;

/// The body size, in pt: 小五.
pub const EM_PT: f64 = 9.0;
/// Column width in em: 13 characters.
pub const COLUMN: f64 = 13.0;
/// Gutter in em: one character.
pub const GUTTER: f64 = 1.0;
/// Line pitch in em (13.5 pt at 9 pt).
pub const PITCH: f64 = 1.5;
/// The top of a line box above its baseline, in em: the text's top edge,
/// so that every line box is exactly one em tall (a baseline grid).
pub const TOP_EDGE: f64 = 0.88;
/// Columns of the page.
pub const COLUMNS: usize = 8;
/// The page, in mm.
pub const PAGE_W_MM: f64 = 390.0;
/// The page's height, in mm.
pub const PAGE_H_MM: f64 = 545.0;
/// From the page's top edge to the first line of the type area, in mm.
pub const MARGIN_TOP_MM: f64 = 22.0;
/// Below the type area, in mm.
pub const MARGIN_BOTTOM_MM: f64 = 18.0;
/// Lines the publication strip (报眉) takes.
pub const STRIP_LINES: usize = 4;

/// pt per mm.
const PT_PER_MM: f64 = 72.0 / 25.4;

/// The grid as the templates read it from `/report.json` (`grid`), so that
/// they never restate it.
#[derive(Debug, Clone, Serialize)]
pub struct Spec {
    /// The body size, pt.
    pub size: f64,
    /// Columns of the page.
    pub columns: usize,
    /// Column width, em.
    pub column: f64,
    /// Gutter, em.
    pub gutter: f64,
    /// Line pitch, em.
    pub pitch: f64,
    /// A line box's top edge above its baseline, em.
    pub top_edge: f64,
    /// The page, mm.
    pub page_w: f64,
    /// The page, mm.
    pub page_h: f64,
    /// The top margin, mm.
    pub margin_top: f64,
    /// The bottom margin, mm.
    pub margin_bottom: f64,
    /// Lines of the publication strip.
    pub strip_lines: usize,
}

/// The grid, for the templates.
pub const SPEC: Spec = Spec {
    size: EM_PT,
    columns: COLUMNS,
    column: COLUMN,
    gutter: GUTTER,
    pitch: PITCH,
    top_edge: TOP_EDGE,
    page_w: PAGE_W_MM,
    page_h: PAGE_H_MM,
    margin_top: MARGIN_TOP_MM,
    margin_bottom: MARGIN_BOTTOM_MM,
    strip_lines: STRIP_LINES,
};

/// Lines of the type area, strip and title band included.
pub fn area_lines() -> usize {
    ((PAGE_H_MM - MARGIN_TOP_MM - MARGIN_BOTTOM_MM) * PT_PER_MM / (PITCH * EM_PT)).floor() as usize
}

/// Width of `n` columns with the gutters between them, in em.
pub fn span(n: usize) -> f64 {
    n as f64 * (COLUMN + GUTTER) - GUTTER
}

/// Width of `n` columns, in pt.
pub fn span_pt(n: usize) -> f64 {
    span(n) * EM_PT
}

/// Left edge of column `c` (0-based) from the type area's left, in em.
pub fn column_x(c: usize) -> f64 {
    c as f64 * (COLUMN + GUTTER)
}

/// Height of `n` lines, in pt.
pub fn lines_pt(n: usize) -> f64 {
    n as f64 * PITCH * EM_PT
}

/// The page's area in pt².
pub fn page_area_pt() -> f64 {
    PAGE_W_MM * PT_PER_MM * PAGE_H_MM * PT_PER_MM
}

/// A photo's image height in pt when it takes `n` lines: the last line's
/// space under the image is the gap to its caption.
pub fn image_pt(n: usize) -> f64 {
    lines_pt(n) - (PITCH - 1.0) * EM_PT
}

/// A photo's image height in pt inside the text when it takes `n` lines:
/// a character of air under it, before its caption.
pub fn inline_image_pt(n: usize) -> f64 {
    lines_pt(n) - EM_PT
}

/// The newspaper column (1–8) at `x` pt on a page `width` pt wide, the
/// columns centred; `None` for another layout.
pub fn column_at(layout: crate::layouts::Layout, width: f64, x: f64) -> Option<usize> {
    if layout != crate::layouts::Layout::Newspaper {
        return None;
    }
    let pitch = span_pt(1) + GUTTER * EM_PT;
    let left = (width - span_pt(COLUMNS)) / 2.0;
    Some((((x - left) / pitch).floor().max(0.0) as usize + 1).min(COLUMNS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_broadsheet_has_106_lines_of_8_columns() {
        assert_eq!(area_lines(), 106);
        // 8 columns of 117 pt and 7 gutters of 9 pt: 999 pt, about 352 mm.
        assert!((span_pt(COLUMNS) - 999.0).abs() < 1e-9);
    }
}
