//! The typographic rules of every line (TYPOGRAPHY.md, clreq, GB/T
//! 15834): the baseline grid, full and justified columns, runaround
//! clearance, line starts and ends, punctuation widths, headlines.

use typst_layout::PagedDocument;

use super::{ASCENT, Area, EM, GRID_TOLERANCE, Rule, Tally, boxes, grid_top, letters};
use crate::cjk::{self, NO_END, NO_START, is_han};
use crate::compose::grid::{COLUMN, GUTTER, PITCH};
use crate::compose::{self, Shape};
use crate::fonts;
use crate::inspect::{Inspection, Line};

/// Marks that are full-width in Chinese text.
const FULL_WIDTH_MARKS: &str = "，。、：；？！“”‘’（）《》「」『』【】";
/// Marks whose blank half may be squeezed when two meet.
const COMPRESSIBLE: &str = "，。、：；？！”’）》」』】“‘（《「『【";

/// The justification stretch Typst gave a line's glyphs (twice the most
/// any Han glyph was widened), which a pair of marks may also carry.
fn justification(glyphs: &[(char, f64)]) -> f64 {
    glyphs
        .iter()
        .filter(|(c, _)| is_han(*c))
        .map(|(_, a)| (a - EM).max(0.0))
        .fold(0.0, f64::max)
        * 2.0
}

/// Punctuation, or the word joiner banmian puts between characters.
fn is_punct(c: char) -> bool {
    cjk::is_punct(c) || c == cjk::WORD_JOINER
}

/// Whether a line box [l0, l1] × [t0, t1] (em) comes closer to a shape
/// than the clearance allows (a little slack for rounding).
fn intrudes(shape: &Shape, l0: f64, l1: f64, t0: f64, t1: f64) -> bool {
    let slack = 0.1;
    match *shape {
        Shape::Rect { x, y, w, h } => {
            let gap = compose::CLEARANCE - slack;
            l1 > x - gap && l0 < x + w + gap && t1 > y - 0.5 + slack && t0 < y + h + 0.5 - slack
        }
        Shape::Circle { cx, cy, r } => {
            let nx = cx.clamp(l0, l1);
            let ny = cy.clamp(t0, t1);
            ((nx - cx).powi(2) + (ny - cy).powi(2)).sqrt() < r + compose::CLEARANCE - slack
        }
    }
}

/// Body and caption lines: 9 pt, in the song or kai face.
pub(super) fn body(inspection: &Inspection) -> Vec<&Line> {
    inspection
        .lines
        .iter()
        .filter(|l| (l.size() - EM).abs() < 0.01 && matches!(l.family(), fonts::SERIF | fonts::KAI))
        .collect()
}

/// Every 9 pt line below the top of the module area sits on one grid with
/// the area's first line (the key figures' box aside, which sets its own).
pub(super) fn baseline_grid(document: &PagedDocument, body: &[&Line], tally: &mut Tally) {
    if let Some(top) = grid_top(document) {
        let phase = top + ASCENT;
        let boxed = boxes(document, "banmian-figures");
        let in_box = |l: &Line| {
            boxed.iter().any(|b| {
                l.page == b.0
                    && l.left() >= b.1 - 0.5
                    && l.left() <= b.3
                    && l.baseline() >= b.2
                    && l.baseline() <= b.4
            })
        };
        for line in body.iter().filter(|l| l.baseline() > top && !in_box(l)) {
            let off = (line.baseline() - phase).rem_euclid(PITCH * EM);
            if off.min(PITCH * EM - off) > GRID_TOLERANCE {
                tally.hit(Rule::BaselineGrid, || {
                    format!("{:.2} pt off: {}", off.min(PITCH * EM - off), line.text())
                });
            }
        }
    }
}

/// A story's text area: each column full to the last line, no line past
/// the column edge or into a photo's clearance, every line on its band,
/// no 孤字.
pub(super) fn text_area(area: &Area, body: &[&Line], tally: &mut Tally) {
    let k = area.text.columns;
    let depth = area.text.depth;
    let inside = |l: &&&Line| {
        l.page == area.page
            && l.baseline() > area.y
            && l.baseline() < area.y + depth as f64 * PITCH * EM
            && l.left() >= area.x - 0.5
            && l.right() <= area.x + (k as f64 * (COLUMN + GUTTER) - GUTTER) * EM + 0.5
    };
    let lines: Vec<&&Line> = body
        .iter()
        .filter(inside)
        .filter(|l| l.family() == fonts::SERIF)
        .collect();
    // Where text may go: the composer's slots around the obstacles.
    let slots = compose::slots(k, depth, &area.text.shapes);
    for column in 0..k {
        let left = area.x + column as f64 * (COLUMN + GUTTER) * EM;
        let right = left + COLUMN * EM;
        let in_column: Vec<&Line> = lines
            .iter()
            .filter(|l| l.left() >= left - 0.5 && l.left() < right)
            .map(|l| **l)
            .collect();
        let Some(last_slot) = slots
            .iter()
            .filter(|s| s.column == column)
            .map(|s| s.line)
            .max()
        else {
            continue;
        };
        full_column(area, column, last_slot, &in_column, tally);
        for line in in_column {
            in_its_band(area, column, line, tally);
        }
    }
    orphans(area, tally);
}

/// A column's last line sits on its last slot.
fn full_column(area: &Area, column: usize, last_slot: usize, lines: &[&Line], tally: &mut Tally) {
    let bottom = area.y + last_slot as f64 * PITCH * EM + ASCENT;
    let last = lines
        .iter()
        .map(|l| l.baseline())
        .fold(f64::NEG_INFINITY, f64::max);
    if (last - bottom).abs() > GRID_TOLERANCE {
        tally.hit(Rule::FullColumns, || {
            format!(
                "section {} column {}: ends {:.1} lines short",
                area.section + 1,
                column + 1,
                (bottom - last) / (PITCH * EM)
            )
        });
    }
}

/// One line of a text area: inside its column, clear of the photos, on
/// the band the composer gave it, edge to edge when justified.
fn in_its_band(area: &Area, column: usize, line: &Line, tally: &mut Tally) {
    let right = area.x + column as f64 * (COLUMN + GUTTER) * EM + COLUMN * EM;
    if line.ink_right() > right + 0.1 {
        tally.hit(Rule::HangingPunctuation, || {
            format!(
                "{:.2} pt past the edge: {}",
                line.ink_right() - right,
                line.text()
            )
        });
    }
    // A line ending in a mark: its ink (Typst widens the mark's box when it
    // justifies the line).
    let right = if line.text().ends_with(is_punct) {
        line.ink_right()
    } else {
        line.right()
    };
    let (l0, l1) = ((line.left() - area.x) / EM, (right - area.x) / EM);
    let t0 = (line.baseline() - ASCENT - area.y) / EM;
    for shape in &area.text.shapes {
        if intrudes(shape, l0, l1, t0, t0 + 1.0) {
            tally.hit(Rule::RunaroundClearance, || line.text());
        }
    }
    // A justified line fills its band: find the band by grid line.
    let row = ((line.baseline() - ASCENT - area.y) / (PITCH * EM)).round() as usize;
    let Some(composed) = area
        .text
        .lines
        .iter()
        .find(|c| c.column == column && c.line == row)
    else {
        return;
    };
    if composed.width < compose::MIN_BAND {
        tally.hit(Rule::NarrowBand, || line.text());
    }
    // Typst sets the line as it was composed: a line it broke in two
    // shows as a part of it on its band and the rest over the next.
    if letters(&line.text()) != letters(&composed.text) {
        tally.hit(Rule::AsComposed, || {
            format!("set as 「{}」: {}", line.text(), composed.text)
        });
    }
    let band_left = area.x / EM + column as f64 * (COLUMN + GUTTER) + composed.x;
    let indent = if composed.indent {
        compose::INDENT
    } else {
        0.0
    };
    if composed.justify && ((l0 + area.x / EM) - band_left - indent).abs() > 0.05 {
        tally.hit(Rule::Justified, || {
            format!("starts off its band: {}", line.text())
        });
    }
    // A line ending in a squeezed mark ends where Typst's squeeze puts it;
    // only lines ending in a letter are measured.
    let letter_end = composed
        .text
        .chars()
        .last()
        .is_some_and(char::is_alphanumeric);
    let short = band_left + composed.width - (l1 + area.x / EM);
    if composed.justify && letter_end && short.abs() * EM > 0.6 {
        tally.hit(Rule::Justified, || {
            format!("{:.2} pt short of its band: {}", short * EM, line.text())
        });
    }
}

/// No paragraph's last line holds one character (孤字).
fn orphans(area: &Area, tally: &mut Tally) {
    for composed in &area.text.lines {
        let content = composed
            .text
            .chars()
            .filter(|c| !is_punct(*c) && !c.is_whitespace())
            .count();
        if !composed.justify && content < 2 && !composed.indent {
            tally.hit(Rule::Orphan, || composed.text.clone());
        }
    }
}

/// One line of the page, whatever it sets: how it starts and ends, spaces
/// between Han, punctuation widths, and headline lines.
pub(super) fn line(line: &Line, tally: &mut Tally) {
    let text = line.text();
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    line_ends(text, tally);
    // Punctuation widths, glyph by glyph, in body and caption lines.
    if (line.size() - EM).abs() < 0.01 {
        punctuation(&line.glyphs(), text, tally);
    }
    if line.size() >= 16.0 && line.family() == fonts::SERIF && line.runs[0].weight >= 700 {
        headline(text, tally);
    }
}

/// How a line's text starts and ends, and no space between two Han.
fn line_ends(text: &str, tally: &mut Tally) {
    let (Some(first), Some(last)) = (text.chars().next(), text.chars().last()) else {
        return;
    };
    // A dash or an ellipsis is two characters that stay together: the
    // pair may start a line, one alone may not.
    let pair = text.starts_with("——") || text.starts_with("……");
    if NO_START.contains(first) && !pair {
        tally.hit(Rule::LineStart, || text.to_string());
    }
    if NO_END.contains(last) {
        tally.hit(Rule::LineEnd, || text.to_string());
    }
    if (text.ends_with('—') && !text.ends_with("——"))
        || (text.ends_with('…') && !text.ends_with("……"))
    {
        tally.hit(Rule::SplitDash, || text.to_string());
    }
    let chars: Vec<char> = text.chars().collect();
    for w in chars.windows(3) {
        if is_han(w[0]) && w[1] == ' ' && is_han(w[2]) {
            tally.hit(Rule::SpaceBetweenHan, || text.to_string());
        }
    }
}

/// Marks full-width, and two marks side by side compressed to 1.5 em.
fn punctuation(glyphs: &[(char, f64)], text: &str, tally: &mut Tally) {
    for (i, &(c, advance)) in glyphs.iter().enumerate() {
        if FULL_WIDTH_MARKS.contains(c) && advance < 0.5 * EM - 0.05 {
            tally.hit(Rule::PunctuationWidth, || {
                format!("{c} is {:.2} em: {text}", advance / EM)
            });
        }
        if let Some(&(next, next_advance)) = glyphs.get(i + 1)
            && i + 2 < glyphs.len()
            && COMPRESSIBLE.contains(c)
            && COMPRESSIBLE.contains(next)
            && advance + next_advance > 1.5 * EM + 0.05 + justification(glyphs)
        {
            tally.hit(Rule::PunctuationPairs, || {
                format!(
                    "{c}{next} take {:.2} em: {text}",
                    (advance + next_advance) / EM
                )
            });
        }
    }
}

/// A headline line ends without a stop and holds more than one character.
fn headline(text: &str, tally: &mut Tally) {
    if text.ends_with(['。', '，', '；', '、']) {
        tally.hit(Rule::HeadlinePunctuation, || text.to_string());
    }
    if text.chars().filter(|c| !is_punct(*c)).count() < 2 {
        tally.hit(Rule::HeadlineOneCharacter, || text.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(rule: Rule, text: &str) -> usize {
        let mut tally = Tally::new(&Rule::NEWSPAPER);
        line_ends(text, &mut tally);
        tally
            .0
            .iter()
            .find(|c| c.rule == rule)
            .map_or(0, |c| c.count)
    }

    #[test]
    fn a_line_may_not_start_with_what_belongs_to_the_number_before_it() {
        // The composer's own list: %, ℃, ‰ and + read with the number.
        for text in ["%，同比增长", "℃左右", "‰的增幅", "、三是", "”他说", "…等"]
        {
            assert_eq!(count(Rule::LineStart, text), 1, "{text}");
        }
        // A dash or an ellipsis pair may start a line; a Han may.
        for text in ["——记中站区", "……", "中站区"] {
            assert_eq!(count(Rule::LineStart, text), 0, "{text}");
        }
    }

    /// A body line laid out on grid line `row` of an area's first column,
    /// the area at the page's top left.
    fn laid(text: &str, row: usize) -> Line {
        let glyphs: Vec<(char, f64)> = text.chars().map(|c| (c, EM)).collect();
        let width = glyphs.len() as f64 * EM;
        Line {
            page: 1,
            runs: vec![crate::inspect::Run {
                text: text.into(),
                x: 0.0,
                y: row as f64 * PITCH * EM + ASCENT,
                width,
                ink_width: width,
                size: EM,
                family: fonts::SERIF.into(),
                weight: 400,
                glyphs,
            }],
        }
    }

    #[test]
    fn a_line_typst_broke_in_two_is_not_as_composed() {
        let composed = |text: &str, line: usize| compose::ComposedLine {
            column: 0,
            line,
            x: 0.0,
            width: COLUMN,
            text: text.into(),
            indent: false,
            justify: line == 0,
            spread: false,
            latin_tracking: 0.0,
            shrinks: false,
        };
        let text = compose::text::TextArea {
            columns: 1,
            depth: 2,
            lines: vec![
                composed("该区坚持以产业集群化、融合", 0),
                composed("化为目标。", 1),
            ],
            inlines: Vec::new(),
            shapes: Vec::new(),
            adjustments: Vec::new(),
        };
        let area = Area {
            section: 0,
            x: 0.0,
            y: 0.0,
            page: 1,
            text: &text,
        };
        let hits = |lines: &[Line]| {
            let mut tally = Tally::new(&Rule::NEWSPAPER);
            for line in lines {
                in_its_band(&area, 0, line, &mut tally);
            }
            let found = tally.0.iter().find(|c| c.rule == Rule::AsComposed);
            found.map_or(0, |c| c.count)
        };
        // Set as composed (a word joiner or a space in between is no
        // difference).
        assert_eq!(
            hits(&[laid("该区坚持以产业集群化、融合", 0), laid("化为目标。", 1)]),
            0
        );
        assert_eq!(hits(&[laid("该区坚持以产业\u{2060}集群化、 融合", 0)]), 0);
        // The first line broken in two: its last character goes down onto
        // the second line's band.
        assert_eq!(
            hits(&[
                laid("该区坚持以产业集群化、融", 0),
                laid("合", 1),
                laid("化为目标。", 1),
            ]),
            2
        );
    }

    #[test]
    fn a_line_may_not_end_with_an_opening_mark_or_half_a_dash() {
        assert_eq!(count(Rule::LineEnd, "他说“"), 1);
        assert_eq!(count(Rule::SplitDash, "中站区—"), 1);
        assert_eq!(count(Rule::SplitDash, "中站区——"), 0);
    }
}
