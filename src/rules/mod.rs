//! The rules of the newspaper page, checked on the laid-out page: the
//! typographic ones of every line (TYPOGRAPHY.md, clreq, GB/T 15834) here,
//! and the page's composition (COMPOSITION.md: holes, legs, bumping
//! headlines, photos, loose lines, the lead) in [`page`]. Each rule, how
//! often it is broken, and where. The example page and every report of the
//! test corpus show zero.

mod page;

use typst_layout::PagedDocument;

use crate::cjk::{self, NO_END, NO_START, is_han};
use crate::compose::grid::{self, COLUMN, GUTTER, PITCH};
use crate::compose::{self, Shape};
use crate::fonts;
use crate::inspect::{Inspection, Line, markers};
use crate::pipeline::Prepared;

/// The body size in pt; lengths in the composed data are in em of it.
const EM: f64 = grid::EM_PT;
/// Baseline offset of a body line in its line box.
const ASCENT: f64 = grid::TOP_EDGE * EM;
/// How far a baseline may stray from the grid, pt.
const GRID_TOLERANCE: f64 = 0.1;

/// One rule and what the page does against it.
#[derive(Debug, Clone)]
pub struct RuleCount {
    /// Short name.
    pub rule: &'static str,
    /// What the rule asks.
    pub description: &'static str,
    /// How often it is broken.
    pub count: usize,
    /// A few of the offending lines, for a person to look at.
    pub examples: Vec<String>,
}

/// The counts as they are made.
pub(crate) struct Tally(Vec<RuleCount>);

impl Tally {
    fn rule(&mut self, rule: &'static str, description: &'static str) {
        self.0.push(RuleCount {
            rule,
            description,
            count: 0,
            examples: Vec::new(),
        });
    }

    pub(crate) fn hit(&mut self, rule: &str, example: impl FnOnce() -> String) {
        let entry = self
            .0
            .iter_mut()
            .find(|r| r.rule == rule)
            .expect("rule declared");
        entry.count += 1;
        if entry.examples.len() < 5 {
            entry.examples.push(example());
        }
    }
}

/// A story's text area as laid out: where it is and what the composer put
/// in it.
pub(crate) struct Area<'a> {
    pub(crate) section: usize,
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) page: usize,
    pub(crate) text: &'a crate::compose::text::TextArea,
}

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

/// Every rule, by name, with what it asks.
pub const RULES: &[(&str, &str)] = &[
    (
        "baseline-grid",
        "body and caption baselines sit on one 13.5 pt grid",
    ),
    (
        "full-columns",
        "every column of a story ends on the story's last baseline",
    ),
    (
        "runaround-clearance",
        "text keeps a character's clearance from photos inside it",
    ),
    ("narrow-band", "no text band narrower than 4 characters"),
    (
        "justified",
        "every line but a paragraph's last fills its band, edge to edge",
    ),
    (
        "line-start",
        "no line starts with closing punctuation, ·, — or ～",
    ),
    ("line-end", "no line ends with opening punctuation"),
    ("split-dash", "—— and …… never split"),
    ("orphan", "no one-character last line of a paragraph (孤字)"),
    ("hanging-punctuation", "nothing hangs past the column edge"),
    ("space-between-han", "no space between two Han characters"),
    (
        "punctuation-width",
        "CJK marks are full-width (1 em), half at most when squeezed",
    ),
    (
        "punctuation-pairs",
        "two adjacent marks take 1.5 em, not 2 (GB/T 15834 compression)",
    ),
    ("headline-punctuation", "no 。，；、 at a headline line end"),
    ("headline-one-character", "no one-character headline line"),
    (
        "holes",
        "every grid cell of the module area holds text, a photo, a headline, the figures or a rule",
    ),
    ("leg-depth", "every leg of text is 5 to 40 lines deep"),
    (
        "bumping-heads",
        "no two headlines side by side at one height",
    ),
    (
        "photo-share",
        "photos take 20–55 % of the module area (when the report has photos)",
    ),
    ("photo-size", "no photo over a quarter of the page"),
    (
        "photo-crop",
        "a rectangular photo keeps its aspect within a 15 % crop",
    ),
    (
        "photo-ppi",
        "photos print at 200 ppi or more where the original has the pixels for their span",
    ),
    ("loose-line", "no gap over ⅓ em between two Han characters"),
    (
        "lead-first",
        "the lead story is first, on top, the widest, with the largest headline",
    ),
];

/// Counts the violations of every rule on a newspaper page.
pub fn check(
    prepared: &Prepared,
    document: &PagedDocument,
    inspection: &Inspection,
) -> Vec<RuleCount> {
    let mut tally = Tally(Vec::new());
    for (rule, description) in RULES {
        tally.rule(rule, description);
    }

    let areas = areas(prepared, document);
    let body: Vec<&Line> = inspection
        .lines
        .iter()
        .filter(|l| (l.size() - EM).abs() < 0.01 && matches!(l.family(), fonts::SERIF | fonts::KAI))
        .collect();

    // Baseline grid: every 9 pt line below the top of the column groups on
    // one grid with the groups' first line.
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
                tally.hit("baseline-grid", || {
                    format!("{:.2} pt off: {}", off.min(PITCH * EM - off), line.text())
                });
            }
        }
    }

    for area in &areas {
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
        let shapes: &[Shape] = &area.text.shapes;
        let slots = compose::slots(k, depth, shapes);
        for column in 0..k {
            let left = area.x + column as f64 * (COLUMN + GUTTER) * EM;
            let right = left + COLUMN * EM;
            let in_column: Vec<&&&Line> = lines
                .iter()
                .filter(|l| l.left() >= left - 0.5 && l.left() < right)
                .collect();
            let Some(last_slot) = slots
                .iter()
                .filter(|s| s.column == column)
                .map(|s| s.line)
                .max()
            else {
                continue;
            };
            let bottom = area.y + last_slot as f64 * PITCH * EM + ASCENT;
            let last = in_column
                .iter()
                .map(|l| l.baseline())
                .fold(f64::NEG_INFINITY, f64::max);
            if (last - bottom).abs() > GRID_TOLERANCE {
                tally.hit("full-columns", || {
                    format!(
                        "section {} column {}: ends {:.1} lines short",
                        area.section + 1,
                        column + 1,
                        (bottom - last) / (PITCH * EM)
                    )
                });
            }
            for line in in_column {
                if line.ink_right() > right + 0.1 {
                    tally.hit("hanging-punctuation", || {
                        format!(
                            "{:.2} pt past the edge: {}",
                            line.ink_right() - right,
                            line.text()
                        )
                    });
                }
                // A line ending in a mark: its ink (Typst widens the mark's
                // box when it justifies the line).
                let right = if line.text().ends_with(|c: char| is_punct(c)) {
                    line.ink_right()
                } else {
                    line.right()
                };
                let (l0, l1) = ((line.left() - area.x) / EM, (right - area.x) / EM);
                let (t0, t1) = (
                    (line.baseline() - ASCENT - area.y) / EM,
                    (line.baseline() - ASCENT - area.y) / EM + 1.0,
                );
                for shape in shapes {
                    if intrudes(shape, l0, l1, t0, t1) {
                        tally.hit("runaround-clearance", || line.text());
                    }
                }
                // A justified line fills its band: find the band by grid line.
                let row = ((line.baseline() - ASCENT - area.y) / (PITCH * EM)).round() as usize;
                if let Some(composed) = area
                    .text
                    .lines
                    .iter()
                    .find(|c| c.column == column && c.line == row)
                {
                    if composed.width < compose::MIN_BAND {
                        tally.hit("narrow-band", || line.text());
                    }
                    let band = (
                        area.x / EM + column as f64 * (COLUMN + GUTTER) + composed.x,
                        composed.width,
                    );
                    if composed.justify
                        && ((l0 + area.x / EM)
                            - band.0
                            - if composed.indent {
                                compose::INDENT
                            } else {
                                0.0
                            })
                        .abs()
                            > 0.05
                    {
                        tally.hit("justified", || {
                            format!("starts off its band: {}", line.text())
                        });
                    }
                    // A line ending in a squeezed mark ends where Typst's
                    // squeeze puts it; only lines ending in a letter are
                    // measured.
                    let letter_end = composed
                        .text
                        .chars()
                        .last()
                        .is_some_and(char::is_alphanumeric);
                    if composed.justify
                        && letter_end
                        && ((l1 + area.x / EM) - (band.0 + band.1)).abs() * EM > 0.6
                    {
                        tally.hit("justified", || {
                            format!(
                                "{:.2} pt short of its band: {}",
                                (band.0 + band.1 - l1 - area.x / EM) * EM,
                                line.text()
                            )
                        });
                    }
                }
            }
        }
        for composed in &area.text.lines {
            if !composed.justify
                && composed
                    .text
                    .chars()
                    .filter(|c| !is_punct(*c) && !c.is_whitespace())
                    .count()
                    < 2
                && !composed.indent
            {
                tally.hit("orphan", || composed.text.clone());
            }
        }
    }

    for line in &inspection.lines {
        let text = line.text();
        let text = text.trim();
        let (Some(first), Some(last)) = (text.chars().next(), text.chars().last()) else {
            continue;
        };
        // A dash or an ellipsis is two characters that stay together: the
        // pair may start a line, one alone may not.
        let pair = text.starts_with("——") || text.starts_with("……");
        if NO_START.contains(first) && !pair {
            tally.hit("line-start", || text.to_string());
        }
        if NO_END.contains(last) {
            tally.hit("line-end", || text.to_string());
        }
        if (text.ends_with('—') && !text.ends_with("——"))
            || (text.ends_with('…') && !text.ends_with("……"))
        {
            tally.hit("split-dash", || text.to_string());
        }
        let chars: Vec<char> = text.chars().collect();
        for w in chars.windows(3) {
            if is_han(w[0]) && w[1] == ' ' && is_han(w[2]) {
                tally.hit("space-between-han", || text.to_string());
            }
        }
        // Punctuation widths, glyph by glyph, in body and caption lines.
        if (line.size() - EM).abs() < 0.01 {
            let glyphs = line.glyphs();
            for (i, &(c, advance)) in glyphs.iter().enumerate() {
                if FULL_WIDTH_MARKS.contains(c) && advance < 0.5 * EM - 0.05 {
                    tally.hit("punctuation-width", || {
                        format!("{c} is {:.2} em: {text}", advance / EM)
                    });
                }
                if let Some(&(next, next_advance)) = glyphs.get(i + 1)
                    && i + 2 < glyphs.len()
                    && COMPRESSIBLE.contains(c)
                    && COMPRESSIBLE.contains(next)
                    && advance + next_advance > 1.5 * EM + 0.05 + justification(&glyphs)
                {
                    tally.hit("punctuation-pairs", || {
                        format!(
                            "{c}{next} take {:.2} em: {text}",
                            (advance + next_advance) / EM
                        )
                    });
                }
            }
        }
        if line.size() >= 16.0 && line.family() == fonts::SERIF && line.runs[0].weight >= 700 {
            if text.ends_with(['。', '，', '；', '、']) {
                tally.hit("headline-punctuation", || text.to_string());
            }
            if text.chars().filter(|c| !is_punct(*c)).count() < 2 {
                tally.hit("headline-one-character", || text.to_string());
            }
        }
    }
    page::check(prepared, document, inspection, &mut tally);
    tally.0
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

/// Boxes the template marks with `label`, as (page, left, top, right,
/// bottom) in pt; the metadata gives their size in lines and columns.
fn boxes(document: &PagedDocument, label: &str) -> Vec<(usize, f64, f64, f64, f64)> {
    markers(document, label)
        .iter()
        .filter_map(|m| {
            let lines = m.value.get("lines")?.as_f64()?;
            let columns = m.value.get("columns")?.as_f64()?;
            let width = (columns * (COLUMN + GUTTER) - GUTTER) * EM;
            Some((m.page, m.x, m.y, m.x + width, m.y + lines * PITCH * EM))
        })
        .collect()
}

/// The top of the column groups, where the template starts the grid.
pub(crate) fn grid_top(document: &PagedDocument) -> Option<f64> {
    markers(document, "banmian-grid").first().map(|m| m.y)
}

/// The text areas the template laid out, located through the metadata it
/// publishes at each area's top-left corner.
pub(crate) fn areas<'a>(prepared: &'a Prepared, document: &PagedDocument) -> Vec<Area<'a>> {
    let texts: Vec<(usize, String, &crate::compose::text::TextArea)> =
        prepared.data.text_areas().collect();
    markers(document, "banmian-area")
        .iter()
        .filter_map(|m| {
            let section = m.value.get("section")?.as_u64()? as usize;
            let (_, _, text) = texts.iter().find(|(i, _, _)| *i == section)?;
            Some(Area {
                section,
                x: m.x,
                y: m.y,
                page: m.page,
                text,
            })
        })
        .collect()
}

/// The counts as a table a person reads.
pub fn table(counts: &[RuleCount]) -> String {
    let mut out = String::new();
    for count in counts {
        out.push_str(&format!(
            "{:>4}  {:<24} {}\n",
            count.count, count.rule, count.description
        ));
        for example in &count.examples {
            out.push_str(&format!("        {example}\n"));
        }
    }
    out
}
