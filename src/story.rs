//! A story's text area on the newspaper page: its depth, the photos and
//! round graphics placed inside it, and its text composed around them so
//! that every column ends on the same baseline. Where the copy is a little
//! long or short for that, banmian copyfits within limits an editor
//! accepts — the height of a photo inside the text by up to six lines
//! shorter or three taller, a round photo's diameter by up to eight characters
//! less or three more,
//! and up to five lines gained (three a paragraph) or taken out by setting
//! paragraphs' last lines a character or two
//! short or their punctuation tighter — and reports what it did.
//! Line pitch never changes.

use serde::Serialize;

use crate::compose::{self, COLUMN, ComposedLine, GUTTER, Metrics, PITCH, Shape};

/// A photo set inside the text (runaround), as the data places it.
#[derive(Debug, Clone)]
pub struct Inline {
    /// Index of the photo among the section's photos.
    pub photo: usize,
    /// 0-based first column.
    pub column: usize,
    /// Columns spanned.
    pub columns: usize,
    /// 0-based line of the text area where it starts.
    pub line: usize,
    /// Round (a circle) or square-cornered.
    pub circle: bool,
    /// Pixel aspect, height / width.
    pub aspect: f64,
    /// Caption and credit, as printed.
    pub caption: String,
}

/// How an inline photo is drawn, in em from the text area's top-left.
#[derive(Debug, Clone, Serialize)]
pub struct PlacedInline {
    /// Index among the section's photos.
    pub photo: usize,
    /// The image's box (for a circle: its bounding square).
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
    /// Round?
    pub circle: bool,
    /// Caption lines.
    pub caption: Vec<String>,
    /// Caption's left edge.
    pub caption_x: f64,
    /// Caption's first line (grid line index).
    pub caption_line: usize,
    /// Caption width.
    pub caption_w: f64,
}

/// The composed text area of one story.
#[derive(Debug, Clone, Serialize)]
pub struct TextArea {
    /// Columns.
    pub columns: usize,
    /// Lines per column.
    pub depth: usize,
    /// The text, line by line.
    pub lines: Vec<ComposedLine>,
    /// Photos inside the text.
    pub inlines: Vec<PlacedInline>,
    /// The outlines text keeps clear of (photos and their captions).
    pub shapes: Vec<Shape>,
    /// What copyfitting changed, in words.
    pub adjustments: Vec<String>,
    /// Lines left empty at the foot of the last column when balance was
    /// out of reach (0 when balanced).
    pub short: usize,
}

/// Lays out a story's text area: `k` columns, photos inside it, the text.
pub fn lay_out(
    paragraphs: &[String],
    k: usize,
    inlines: &[Inline],
    body: &dyn Metrics,
    kai: &dyn Metrics,
) -> TextArea {
    let natural: Vec<usize> = inlines.iter().map(natural_lines).collect();
    let plain_lines = {
        let tall = compose::slots(1, 100_000, &[]);
        compose::pour(paragraphs, &tall, &[], body).map_or(0, |(lines, _)| lines.len())
    };
    // A low first guess at the depth: text plus about the least a photo
    // inside the text takes (six lines in each column it covers).
    let blocked: usize = inlines.iter().map(|p| p.columns * 6).sum();
    let first = (plain_lines + blocked)
        .div_ceil(k.max(1))
        .max(inlines.iter().map(|p| p.line + 1).max().unwrap_or(1));

    // Candidates: depth from where the text first fits, the first rect
    // photo's height within ±3 lines, loosening that gains the lines left.
    // The lever: the first rectangular photo's height in lines, else the
    // first round one's diameter in em.
    let adjustable = inlines
        .iter()
        .position(|p| !p.circle)
        .or_else(|| (!inlines.is_empty()).then_some(0));
    let mut heights: Vec<i64> = match adjustable {
        Some(i) if !inlines[i].circle => (-6..=3).collect(),
        Some(_) => (-8..=3).collect(),
        None => vec![0],
    };
    // Smallest changes first, so that the search can stop early.
    heights.sort_by_key(|dh| dh.abs());
    // What each paragraph can take on its own, in a plain column: the
    // search then only tries combinations that can work.
    // Worked out only when a search needs it, and once.
    let column = compose::slots(1, 2_000, &[]);
    let known = std::cell::RefCell::new(std::collections::HashMap::new());
    let feasible = |paragraph: usize, delta: i32| -> bool {
        *known
            .borrow_mut()
            .entry((paragraph, delta))
            .or_insert_with(|| {
                let one = std::slice::from_ref(&paragraphs[paragraph]);
                compose::pour(one, &column, &[delta], body).is_some()
            })
    };
    let mut best: Option<(i64, TextArea)> = None;
    let mut fallback: Option<TextArea> = None;
    let mut first_fit: Option<usize> = None;
    for depth in first.saturating_sub(3).max(1)..first + 24 {
        if first_fit.is_some_and(|f| depth > f + 2) {
            break;
        }
        for &dh in &heights {
            // Nothing at this depth and size can beat what was found.
            let floor = first_fit.map_or(0, |f| (depth as i64 - f as i64).abs() * 4) + dh.abs();
            if best.as_ref().is_some_and(|(cost, _)| *cost <= floor) {
                continue;
            }
            let mut lines_of = natural.clone();
            if let Some(i) = adjustable {
                let h = lines_of[i] as i64 + dh;
                if h < if inlines[i].circle { 8 } else { 4 } {
                    continue;
                }
                lines_of[i] = h as usize;
            }
            let placed = place(inlines, &lines_of, kai);
            if placed.iter().any(|p| p.2 > depth) {
                continue;
            }
            let shapes: Vec<Shape> = placed.iter().flat_map(|p| p.1.clone()).collect();
            let slots = compose::slots(k, depth, &shapes);
            let area =
                |lines: Vec<ComposedLine>, short: usize, adjustments: Vec<String>| TextArea {
                    columns: k,
                    depth,
                    lines,
                    inlines: placed.iter().map(|p| p.0.clone()).collect(),
                    shapes: shapes.clone(),
                    adjustments,
                    short,
                };
            let mut adjustments = Vec::new();
            if let (Some(i), true) = (adjustable, dh != 0) {
                let (what, unit) = if inlines[i].circle {
                    ("round photo", "character(s) wider")
                } else {
                    ("photo", "line(s) taller")
                };
                let unit = if dh > 0 {
                    unit.to_string()
                } else {
                    unit.replace("wider", "narrower")
                        .replace("taller", "shorter")
                };
                adjustments.push(format!(
                    "{what} {} inside the text set {} {unit} to balance the columns",
                    inlines[i].photo + 1,
                    dh.abs()
                ));
            }
            // How the plain text fits: lines left over, or lines too many.
            let mut extended = slots.clone();
            let spare_column = k.saturating_sub(1);
            extended.extend((depth..depth + 40).map(|line| compose::Slot {
                column: spare_column,
                line,
                x: 0.0,
                width: COLUMN,
            }));
            let Some((plain, _)) = compose::pour(paragraphs, &extended, &[], body) else {
                continue;
            };
            let balance = slots.len() as i64 - plain.len() as i64;
            if balance >= 0 {
                first_fit.get_or_insert(depth);
            }
            let cost_base = (depth as i64 - first_fit.unwrap_or(depth) as i64).abs() * 4 + dh.abs();
            if balance == 0 {
                consider(&mut best, cost_base, area(plain, 0, adjustments));
                continue;
            }
            if balance > 0
                && depth == first_fit.unwrap_or(depth)
                && fallback.as_ref().is_none_or(|f| f.short > balance as usize)
            {
                let (lines, left) =
                    compose::pour(paragraphs, &slots, &[], body).unwrap_or_default();
                fallback = Some(area(lines, left, adjustments.clone()));
            }
            // Gain (or take out) the lines that balance needs, by setting up
            // to three paragraphs' last lines a character short (or their
            // punctuation tighter).
            if balance.abs() <= MAX_FIT_LINES {
                for delta in distributions(paragraphs.len(), &feasible, balance as i32) {
                    if let Some((lines, 0)) = compose::pour(paragraphs, &slots, &delta, body) {
                        let mut adjustments = adjustments.clone();
                        for (i, &d) in delta.iter().enumerate().filter(|(_, d)| **d != 0) {
                            adjustments.push(if d > 0 {
                                format!("paragraph {} set {d} line(s) longer (its last lines a character short)", i + 1)
                            } else {
                                format!("paragraph {} set {} line(s) shorter (its punctuation squeezed)", i + 1, -d)
                            });
                        }
                        let moved: i64 = delta.iter().map(|d| i64::from(d.abs())).sum();
                        consider(
                            &mut best,
                            cost_base + 3 * moved,
                            area(lines, 0, adjustments),
                        );
                        break;
                    }
                }
            }
        }
    }
    match (best, fallback) {
        (Some((_, area)), _) => area,
        (None, Some(area)) => area,
        (None, None) => TextArea {
            columns: k,
            depth: first,
            lines: Vec::new(),
            inlines: Vec::new(),
            shapes: Vec::new(),
            adjustments: Vec::new(),
            short: 0,
        },
    }
}

/// The most lines copyfitting gains or takes out of a story's paragraphs.
const MAX_FIT_LINES: i64 = 5;

/// Every way to spread `lines` (negative: take out) over `n` paragraphs,
/// at most three per paragraph; fewest paragraphs first, later paragraphs
/// first.
/// `feasible(i, d)` says whether paragraph i can change by d lines on its
/// own.
fn distributions(n: usize, feasible: &dyn Fn(usize, i32) -> bool, lines: i32) -> Vec<Vec<i32>> {
    let sign = lines.signum();
    let total = lines.unsigned_abs() as usize;
    let mut out: Vec<Vec<i32>> = Vec::new();
    let mut current = vec![0i32; n];
    fn walk(
        i: usize,
        left: usize,
        current: &mut Vec<i32>,
        sign: i32,
        feasible: &dyn Fn(usize, i32) -> bool,
        out: &mut Vec<Vec<i32>>,
    ) {
        if left == 0 {
            out.push(current.clone());
            return;
        }
        if i == 0 {
            return;
        }
        let p = i - 1;
        for take in (0..=left.min(3)).rev() {
            let delta = sign * take as i32;
            if delta != 0 && !feasible(p, delta) {
                continue;
            }
            current[p] = delta;
            walk(p, left - take, current, sign, feasible, out);
        }
        current[p] = 0;
    }
    walk(n, total, &mut current, sign, feasible, &mut out);
    out.sort_by_key(|d| d.iter().filter(|x| **x != 0).count());
    out
}

fn consider(best: &mut Option<(i64, TextArea)>, cost: i64, area: TextArea) {
    if best.as_ref().is_none_or(|(c, _)| cost < *c) {
        *best = Some((cost, area));
    }
}

/// A photo's natural size: image lines for a rectangle, the diameter in em
/// for a circle.
fn natural_lines(photo: &Inline) -> usize {
    if photo.circle {
        return (span(photo.columns) * CIRCLE).floor() as usize;
    }
    let width = span(photo.columns) * if photo.circle { CIRCLE } else { 1.0 };
    (((width * photo.aspect) + 1.0) / PITCH).round().max(4.0) as usize
}

/// A circle's diameter as a share of the columns it spans.
const CIRCLE: f64 = 0.62;

/// Width of `n` columns in em.
fn span(n: usize) -> f64 {
    n as f64 * (COLUMN + GUTTER) - GUTTER
}

/// Places each inline photo at its size (`image_lines`: lines of image for
/// a rectangle, diameter in em for a circle): its drawing,
/// its obstacle shapes, and the last line it occupies (exclusive).
fn place(
    inlines: &[Inline],
    image_lines: &[usize],
    kai: &dyn Metrics,
) -> Vec<(PlacedInline, Vec<Shape>, usize)> {
    inlines
        .iter()
        .zip(image_lines)
        .map(|(p, &lines)| {
            let left = p.column as f64 * (COLUMN + GUTTER);
            let width = span(p.columns);
            if p.circle {
                let d = lines as f64;
                let cx = left + width / 2.0;
                let top = p.line as f64 * PITCH + 0.5;
                let cy = top + d / 2.0;
                let caption_w = d.floor();
                let caption = compose::break_text(&p.caption, caption_w, kai);
                let caption_line = ((top + d + 0.5) / PITCH).ceil() as usize;
                let caption_shape = Shape::Rect {
                    x: cx - caption_w / 2.0,
                    y: caption_line as f64 * PITCH,
                    w: caption_w,
                    h: caption.len() as f64 * PITCH - 0.5,
                };
                let end = caption_line + caption.len() + 1;
                let drawn = PlacedInline {
                    photo: p.photo,
                    x: cx - d / 2.0,
                    y: top,
                    w: d,
                    h: d,
                    circle: true,
                    caption,
                    caption_x: cx - caption_w / 2.0,
                    caption_line,
                    caption_w,
                };
                (
                    drawn,
                    vec![Shape::Circle { cx, cy, r: d / 2.0 }, caption_shape],
                    end,
                )
            } else {
                let caption = compose::break_text(&p.caption, width, kai);
                let top = p.line as f64 * PITCH + 0.5;
                let image_h = lines as f64 * PITCH - 1.0;
                let cells = lines + caption.len() + 1;
                // Blocks lines p.line .. p.line + cells in its columns.
                let shape = Shape::Rect {
                    x: left,
                    y: top,
                    w: width,
                    h: cells as f64 * PITCH - 1.0 - 0.001,
                };
                let drawn = PlacedInline {
                    photo: p.photo,
                    x: left,
                    y: top,
                    w: width,
                    h: image_h,
                    circle: false,
                    caption,
                    caption_x: left,
                    caption_line: p.line + lines,
                    caption_w: width,
                };
                (drawn, vec![shape], p.line + cells)
            }
        })
        .collect()
}
