//! The brochure's rules, measured on the laid-out booklet (COMPOSITION.md,
//! "The brochure"): the page count the binding takes, no blank page, no
//! page holding only a photo (the cover and a spread's photo page are
//! designed so), no short block of text alone on a page, no headline low on
//! a page, captions under their photos, no paragraph's first line alone at
//! a column's foot nor its last at a column's head, every line set as the
//! composer broke it — and the line rules.
//!
//! What a page is (cover, story, gallery…) the template says with a marker;
//! what is on it — text lines, their fonts and positions, pictures — is
//! read from the laid-out document.

use typst_layout::PagedDocument;

use super::{Rule, RuleCount, Tally, letters, lines};
use crate::brochure::story::Item;
use crate::brochure::{Booklet, Geometry};
use crate::fonts;
use crate::inspect::{Inspection, Line, Picture, markers};
use crate::pipeline::Prepared;

/// Counts the breaches of every brochure rule.
pub fn check(
    prepared: &Prepared,
    document: &PagedDocument,
    inspection: &Inspection,
) -> Vec<RuleCount> {
    let mut tally = Tally::new(&Rule::BROCHURE);
    let g = crate::brochure::Geometry::of(prepared.loaded.report.brochure.paper);
    let pages = document.pages().len();
    let per = prepared.loaded.report.brochure.binding.pages_per_sheet();
    if !pages.is_multiple_of(per) {
        tally.hit(Rule::PageCount, || {
            format!("{pages} pages, not a multiple of {per}")
        });
    }
    let parts: Vec<(usize, String, String)> = markers(document, "brochure-page")
        .iter()
        .map(|m| {
            let field = |k: &str| {
                m.value
                    .get(k)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            (m.page, field("part"), field("kind"))
        })
        .collect();
    let part_of = |page: usize| {
        parts
            .iter()
            .find(|(p, _, _)| *p == page)
            .map(|(_, part, kind)| (part.as_str(), kind.as_str()))
            .unwrap_or(("", ""))
    };
    let headlines = markers(document, "brochure-headline");
    let body: Vec<&Line> = inspection.lines.iter().filter(|l| is_body(l, &g)).collect();
    for page in 1..=pages {
        let (part, kind) = part_of(page);
        let height = inspection.pages.get(page - 1).map_or(0.0, |p| p.1);
        // What is printed in the text area (running heads and folios sit
        // in the margins).
        let content = inspection
            .lines
            .iter()
            .filter(|l| l.page == page)
            .filter(|l| part == "cover" || part == "back" || in_text_area(l, &g))
            .count();
        let pictures: Vec<&Picture> = inspection
            .pictures
            .iter()
            .filter(|p| p.page == page)
            .collect();
        let text = body.iter().filter(|l| l.page == page).count();
        let heads = headlines.iter().filter(|h| h.page == page).count();
        if content == 0 && pictures.is_empty() {
            tally.hit(Rule::BlankPage, || format!("page {page}"));
        }
        let designed =
            part == "cover" || kind == "spread" || (kind == "gallery" && pictures.len() >= 2);
        if !pictures.is_empty() && text == 0 && heads == 0 && !designed {
            tally.hit(Rule::PhotoOnlyPage, || {
                format!("page {page}: {} photo(s), no text", pictures.len())
            });
        }
        // Body lines and nothing else (no photo, headline, quote, caption).
        if part == "story" && (1..6).contains(&text) && pictures.is_empty() && content == text {
            tally.hit(Rule::ShortTextPage, || {
                format!("page {page}: {text} line(s) alone")
            });
        }
        for head in headlines.iter().filter(|h| h.page == page) {
            if head.y > 0.8 * height {
                tally.hit(Rule::HeadlineLow, || {
                    format!(
                        "page {page}: a headline {:.0} % down",
                        100.0 * head.y / height
                    )
                });
            }
        }
        if part != "cover" {
            for picture in &pictures {
                if !captioned(picture, inspection) {
                    tally.hit(Rule::CaptionWithPhoto, || {
                        format!(
                            "page {page}: a photo at {:.0} pt with no caption under it",
                            picture.bbox[1]
                        )
                    });
                }
            }
        }
    }
    widows_and_orphans(&body, &g, &mut tally);
    if let Some(booklet) = prepared.data.booklet() {
        as_composed(booklet, &body, &mut tally);
    }
    for line in &inspection.lines {
        lines::line(line, &mut tally);
    }
    tally.0
}

/// Each story page's body lines are the lines the composer broke, as it
/// broke them: a line Typst broke in two would leave a part where the
/// line was and the rest as a line of its own.
fn as_composed(booklet: &Booklet, body: &[&Line], tally: &mut Tally) {
    for page in &booklet.pages {
        let Some(story) = &page.story else {
            continue;
        };
        let mut composed: Vec<String> = story
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Line { text, .. } => Some(letters(text)),
                _ => None,
            })
            .collect();
        let mut set: Vec<String> = body
            .iter()
            .filter(|l| l.page == page.number)
            .map(|l| letters(&l.text()))
            .collect();
        composed.sort();
        set.sort();
        if composed != set {
            let stray = set
                .iter()
                .find(|l| !composed.contains(l))
                .or_else(|| composed.iter().find(|l| !set.contains(l)))
                .cloned()
                .unwrap_or_default();
            tally.hit(Rule::AsComposed, || {
                format!(
                    "page {}: {} line(s) set, {} composed; 「{stray}」",
                    page.number,
                    set.len(),
                    composed.len()
                )
            });
        }
    }
}

/// A line of body text: 宋体 at the body size.
fn is_body(line: &Line, g: &Geometry) -> bool {
    (line.size() - g.body).abs() < 0.01
        && line.family() == fonts::SERIF
        && line.runs[0].weight < 600
}

fn in_text_area(line: &Line, g: &Geometry) -> bool {
    let y = line.baseline();
    y > g.top && y < g.top + g.text_height() + g.pitch
}

/// A caption line (楷体 at the caption size) just under the picture, or
/// in a band over its foot, overlapping it across.
fn captioned(picture: &Picture, inspection: &Inspection) -> bool {
    let [left, _, right, bottom] = picture.bbox;
    inspection.lines.iter().any(|l| {
        l.page == picture.page
            && l.family() == fonts::KAI
            && (l.size() - crate::brochure::geometry::CAPTION).abs() < 0.01
            && l.baseline() > bottom - 60.0
            && l.baseline() < bottom + 30.0
            && l.left() < right
            && l.right() > left
    })
}

/// Body lines in reading order (page, column, top to bottom): a column's
/// last line that opens a paragraph going on (an orphan), a column's first
/// line that ends a paragraph begun before (a widow).
fn widows_and_orphans(body: &[&Line], g: &Geometry, tally: &mut Tally) {
    // The text area's left edge: the inside margin on right-hand (odd)
    // pages, the outside margin on left-hand ones.
    // The nearest column start (an indent is two characters, far less than
    // half a column and its gutter).
    let column_of = |l: &Line| -> (usize, f64) {
        let left = if l.page % 2 == 1 { g.inside } else { g.outside };
        let c = ((l.left() - left) / (g.column + g.gutter)).round().max(0.0) as usize;
        (c, left + g.column_x(c))
    };
    let mut order: Vec<(usize, usize, f64, bool, &Line)> = body
        .iter()
        .map(|l| {
            let (column, x) = column_of(l);
            let indented = l.left() - x > 0.75 * g.body;
            (l.page, column, l.baseline(), indented, *l)
        })
        .collect();
    order.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then(a.2.total_cmp(&b.2)));
    for (i, &(page, column, _, indented, line)) in order.iter().enumerate() {
        let next = order.get(i + 1);
        let previous = i.checked_sub(1).map(|j| order[j]);
        let last_in_column = next.is_none_or(|n| (n.0, n.1) != (page, column));
        let first_in_column = previous.is_none_or(|p| (p.0, p.1) != (page, column));
        let next_continues = next.is_some_and(|n| !n.3);
        if last_in_column && indented && next_continues {
            tally.hit(Rule::ParagraphOrphan, || {
                format!("page {page}: {}", line.text())
            });
        }
        let ends_paragraph = next.is_none_or(|n| n.3);
        if first_in_column && !indented && ends_paragraph && previous.is_some() {
            tally.hit(Rule::ParagraphWidow, || {
                format!("page {page}: {}", line.text())
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inspect::Run;
    use crate::report::Paper;

    /// A body line on page 1 (a right-hand page) in column `c`, line `n`.
    fn line(g: &Geometry, c: usize, n: usize, indent: bool) -> Line {
        let x = g.inside + g.column_x(c) + if indent { 2.0 * g.body } else { 0.0 };
        Line {
            page: 1,
            runs: vec![Run {
                text: "正文".into(),
                x,
                y: g.top + n as f64 * g.pitch + 0.88 * g.body,
                width: g.column,
                ink_width: g.column,
                size: g.body,
                family: fonts::SERIF.into(),
                weight: 400,
                glyphs: Vec::new(),
            }],
        }
    }

    fn count(lines: &[Line], rule: Rule) -> usize {
        let g = Geometry::of(Paper::A4);
        let mut tally = Tally::new(&Rule::BROCHURE);
        let body: Vec<&Line> = lines.iter().collect();
        widows_and_orphans(&body, &g, &mut tally);
        tally
            .0
            .iter()
            .find(|c| c.rule == rule)
            .map_or(0, |c| c.count)
    }

    #[test]
    fn a_first_line_alone_at_a_columns_foot_is_an_orphan() {
        let g = Geometry::of(Paper::A4);
        // Column 0: a paragraph of 3 lines, then a new one's first line;
        // column 1 goes on with it.
        let lines = vec![
            line(&g, 0, 0, true),
            line(&g, 0, 1, false),
            line(&g, 0, 2, false),
            line(&g, 0, 3, true),
            line(&g, 1, 0, false),
            line(&g, 1, 1, false),
        ];
        assert_eq!(count(&lines, Rule::ParagraphOrphan), 1);
        assert_eq!(count(&lines, Rule::ParagraphWidow), 0);
        // The same paragraph moved whole to column 1: clean.
        let lines = vec![
            line(&g, 0, 0, true),
            line(&g, 0, 1, false),
            line(&g, 0, 2, false),
            line(&g, 1, 0, true),
            line(&g, 1, 1, false),
            line(&g, 1, 2, false),
        ];
        assert_eq!(count(&lines, Rule::ParagraphOrphan), 0);
        assert_eq!(count(&lines, Rule::ParagraphWidow), 0);
    }

    #[test]
    fn a_last_line_alone_at_a_columns_head_is_a_widow() {
        let g = Geometry::of(Paper::A4);
        let lines = vec![
            line(&g, 0, 0, true),
            line(&g, 0, 1, false),
            line(&g, 0, 2, false),
            line(&g, 1, 0, false),
            line(&g, 1, 1, true),
            line(&g, 1, 2, false),
        ];
        assert_eq!(count(&lines, Rule::ParagraphWidow), 1);
        assert_eq!(count(&lines, Rule::ParagraphOrphan), 0);
    }
}
