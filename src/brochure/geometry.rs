//! The brochure's page: paper, margins, text columns and the line grid
//! that text, headlines, photos and galleries are all set on. The one
//! source of these numbers: the template reads them from the plan.

use serde::Serialize;

use crate::report::Paper;

/// Points per millimetre.
const MM: f64 = 72.0 / 25.4;

/// The body size: 五号.
pub const BODY: f64 = 10.5;
/// Distance between two body baselines.
pub const PITCH: f64 = 18.0;
/// Captions: 小五 in 楷体, on a pitch of their own inside their block.
pub const CAPTION: f64 = 9.0;
/// Distance between two caption baselines.
pub const CAPTION_PITCH: f64 = 13.5;
/// Space between a photo and its caption.
pub const CAPTION_GAP: f64 = 4.0;

/// A page of the brochure, in pt.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Geometry {
    /// Page width.
    pub width: f64,
    /// Page height.
    pub height: f64,
    /// Margin at the spine.
    pub inside: f64,
    /// Margin at the fore-edge.
    pub outside: f64,
    /// Margin above the text area (the running head sits in it).
    pub top: f64,
    /// Text columns.
    pub columns: usize,
    /// Width of one text column.
    pub column: f64,
    /// Space between columns.
    pub gutter: f64,
    /// Body size.
    pub body: f64,
    /// Body line pitch.
    pub pitch: f64,
    /// Lines in a column.
    pub lines: usize,
}

impl Geometry {
    /// The page for a paper size: A4 in two columns of 21 characters, A5
    /// in one of 28, both on an 18 pt grid of 五号 text.
    pub fn of(paper: Paper) -> Self {
        match paper {
            Paper::A4 => Self {
                width: 210.0 * MM,
                height: 297.0 * MM,
                inside: 25.0 * MM,
                outside: 210.0 * MM - 25.0 * MM - 462.0,
                top: 24.0 * MM,
                columns: 2,
                column: 21.0 * BODY,
                gutter: 2.0 * BODY,
                body: BODY,
                pitch: PITCH,
                lines: 40,
            },
            Paper::A5 => Self {
                width: 148.0 * MM,
                height: 210.0 * MM,
                inside: 22.0 * MM,
                outside: 148.0 * MM - 22.0 * MM - 294.0,
                top: 20.0 * MM,
                columns: 1,
                column: 28.0 * BODY,
                gutter: 2.0 * BODY,
                body: BODY,
                pitch: PITCH,
                lines: 27,
            },
        }
    }

    /// Width of the text area.
    pub fn text_width(&self) -> f64 {
        self.columns as f64 * self.column + (self.columns as f64 - 1.0) * self.gutter
    }

    /// Height of the text area.
    pub fn text_height(&self) -> f64 {
        self.lines as f64 * self.pitch
    }

    /// Left edge of column `c` in the text area.
    pub fn column_x(&self, c: usize) -> f64 {
        c as f64 * (self.column + self.gutter)
    }

    /// Whole grid lines that `height` pt takes.
    pub fn lines_for(&self, height: f64) -> usize {
        ((height - 0.01) / self.pitch).ceil().max(0.0) as usize
    }

    /// A width in em of the body size.
    pub fn em(&self, width: f64) -> f64 {
        width / self.body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_area_fits_the_paper_with_the_wider_margin_at_the_spine() {
        for paper in [Paper::A4, Paper::A5] {
            let g = Geometry::of(paper);
            assert!((g.inside + g.text_width() + g.outside - g.width).abs() < 0.01);
            assert!(g.inside >= g.outside - 2.0 * MM, "{paper:?}");
            let bottom = g.height - g.top - g.text_height();
            assert!(bottom > 15.0 * MM, "{paper:?}: the folio needs room");
        }
    }
}
