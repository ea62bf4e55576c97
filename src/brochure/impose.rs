//! Booklet imposition: the brochure's pages two up on sheets twice their
//! width (A4 pages on A3, A5 on A4), in printer's spreads — last + first,
//! second + second-to-last, … — so that the sheets, printed on both sides
//! and folded as a stack, make the booklet (saddle stitching). The pages
//! are the brochure's PDF pages as they are (vector), placed by Typst.

use typst::foundations::{Bytes, Datetime};
use typst_layout::PagedDocument;

use crate::findings::Finding;
use crate::fonts::Fonts;
use crate::world::ReportWorld;

/// The sides of the sheets, each (left page, right page), 1-based, for a
/// booklet of `pages` pages. A count that is not a multiple of 4 is made
/// one with blank pages (`None`) before the back cover, which stays last.
pub fn saddle_order(pages: usize) -> Vec<[Option<usize>; 2]> {
    if pages == 0 {
        return Vec::new();
    }
    let total = pages.div_ceil(4) * 4;
    // Page n of the folded booklet: the brochure's, or a blank before the
    // back cover.
    let page = |n: usize| -> Option<usize> {
        if n < pages {
            Some(n)
        } else if n == total {
            Some(pages)
        } else {
            None
        }
    };
    (0..total / 2)
        .map(|k| {
            let (outer, inner) = (total - k, k + 1);
            if k % 2 == 0 {
                [page(outer), page(inner)]
            } else {
                [page(inner), page(outer)]
            }
        })
        .collect()
}

/// The bleed the brochure's full-bleed pages (the cover, a spread's photo
/// page) have on every side, pt: 3 mm, as `layouts/brochure.typ` sets it.
pub const BLEED: f64 = 3.0 * 72.0 / 25.4;

/// The brochure's PDF (`pdf`, `pages` pages of `width` × `height` pt
/// trimmed; those numbered in `bleed` larger by [`BLEED`] on every side)
/// imposed for saddle stitching.
pub fn impose(
    pdf: Vec<u8>,
    pages: usize,
    (width, height): (f64, f64),
    bleed: &[usize],
    fonts: &Fonts,
    today: Datetime,
) -> Result<PagedDocument, Vec<Finding>> {
    let job = serde_json::json!({
        "page_width": width,
        "page_height": height,
        "sides": saddle_order(pages),
        "bleed": bleed,
        "bleed_width": BLEED,
    });
    let files = vec![
        (
            "/impose.json".to_string(),
            Bytes::new(job.to_string().into_bytes()),
        ),
        ("/brochure.pdf".to_string(), Bytes::new(pdf)),
    ];
    let world = ReportWorld::with_entry("/layouts/impose.typ", fonts, files, today);
    typst::compile::<PagedDocument>(&world)
        .output
        .map_err(|errors| {
            errors
                .iter()
                .map(|e| {
                    Finding::error(
                        "output-failed",
                        format!("cannot impose the brochure: {}", e.message),
                    )
                })
                .collect()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eight_pages_make_two_sheets_in_printers_spreads() {
        let sides = saddle_order(8);
        let s = |a, b| [Some(a), Some(b)];
        assert_eq!(sides, vec![s(8, 1), s(2, 7), s(6, 3), s(4, 5)]);
    }

    #[test]
    fn every_page_once_and_each_side_sums_to_one_more_than_the_count() {
        for pages in [4, 12, 16, 40] {
            let sides = saddle_order(pages);
            assert_eq!(sides.len(), pages / 2);
            let mut seen: Vec<usize> = sides.iter().flatten().flatten().copied().collect();
            seen.sort_unstable();
            assert_eq!(seen, (1..=pages).collect::<Vec<_>>());
            for side in &sides {
                assert_eq!(side[0].unwrap() + side[1].unwrap(), pages + 1);
            }
        }
    }

    #[test]
    fn a_count_short_of_a_multiple_of_four_gets_blanks_before_the_back_cover() {
        let sides = saddle_order(10);
        assert_eq!(sides.len(), 6);
        // The back cover (10) backs the cover (1) on the outer sheet.
        assert_eq!(sides[0], [Some(10), Some(1)]);
        let blanks = sides.iter().flatten().filter(|p| p.is_none()).count();
        assert_eq!(blanks, 2);
    }
}
