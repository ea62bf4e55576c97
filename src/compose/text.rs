//! A story's text area on the newspaper page: its depth, the photos and
//! round graphics placed inside it, and its text composed around them so
//! that every column ends on the same baseline. Where the copy is a little
//! long or short for that, banmian copyfits within limits an editor
//! accepts — the height of a photo inside the text by up to six lines
//! shorter or three taller, a round photo's diameter by up to eight characters
//! less or three more,
//! and up to five lines gained (three a paragraph) or taken out by setting
//! paragraphs a little looser (never a gap over ⅓ em) or their punctuation
//! tighter — and reports what it did.
//! Line pitch never changes.

use serde::Serialize;

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use crate::compose::{self, COLUMN, ComposedLine, GUTTER, KnownBreaks, Metrics, PITCH, Shape};

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
    /// The text, line by line (the template takes it as
    /// [`compose::lines::blocks`]).
    #[serde(
        rename = "blocks",
        serialize_with = "compose::lines::serialize_as_blocks"
    )]
    pub lines: Vec<ComposedLine>,
    /// Photos inside the text.
    pub inlines: Vec<PlacedInline>,
    /// The outlines text keeps clear of (photos and their captions).
    pub shapes: Vec<Shape>,
    /// What copyfitting changed, in words.
    pub adjustments: Vec<String>,
}

impl TextArea {
    /// Whether every leg is [`LEG_MIN`]–[`LEG_MAX`] lines deep.
    pub fn legs_ok(&self) -> bool {
        self.legs()
            .iter()
            .all(|&(_, depth)| (LEG_MIN..=LEG_MAX).contains(&depth))
    }

    /// Its legs: each run of lines in one column (photos inside the text
    /// part them), as (column, lines).
    pub fn legs(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for column in 0..self.columns {
            let mut rows: Vec<usize> = self
                .lines
                .iter()
                .filter(|l| l.column == column)
                .map(|l| l.line)
                .collect();
            rows.sort_unstable();
            let mut start = 0;
            for i in 1..=rows.len() {
                if i == rows.len() || rows[i] != rows[i - 1] + 1 {
                    out.push((column, i - start));
                    start = i;
                }
            }
        }
        out
    }
}

/// The least lines a text leg may take, and the most (no strips, no towers).
pub const LEG_MIN: usize = 5;
/// The most lines of one text leg.
pub const LEG_MAX: usize = 40;

/// Lines of text.
type Lines = Vec<ComposedLine>;

/// Text set a few lines longer or shorter: its lines, the adjustments in
/// words, and the lines moved.
type Loosened = (Lines, Vec<String>, i64);

/// Every story's breaks, while stories are remembered between renders.
static SHARED_BREAKS: LazyLock<Arc<KnownBreaks>> = LazyLock::new(Arc::default);

/// A story's copy, with what copyfitting has learnt about it, shared by
/// every span and depth the composer tries: the lines it takes in a plain
/// column, and the ways to gain or take out lines by loosening or
/// tightening paragraphs.
pub struct Copyfit<'a> {
    paragraphs: &'a [String],
    body: &'a dyn Metrics,
    kai: &'a dyn Metrics,
    /// Lines in one plain column.
    plain: usize,
    /// (paragraph, delta) → that paragraph alone, changed so, in a plain
    /// column (`None`: it cannot change so).
    feasible: Mutex<HashMap<(usize, i32), Option<Lines>>>,
    /// Lines gained (or taken out, negative) → the text in one plain
    /// column with that many more lines, and the adjustments that made it.
    loosened: Mutex<HashMap<i64, Option<Loosened>>>,
    /// Captions broken at a width.
    captions: Mutex<HashMap<(String, u64), Vec<String>>>,
    /// The paragraphs' breaks in whole columns.
    known: Arc<KnownBreaks>,
}

impl<'a> Copyfit<'a> {
    /// Prepares a story's paragraphs for composing.
    pub fn new(paragraphs: &'a [String], body: &'a dyn Metrics, kai: &'a dyn Metrics) -> Self {
        // Every line holds a character at least.
        let most: usize = paragraphs.iter().map(|p| p.chars().count() + 1).sum();
        let tall = compose::slots(1, most, &[]);
        let known = if super::memo::remembering() {
            Arc::clone(&SHARED_BREAKS)
        } else {
            Arc::default()
        };
        let plain = known
            .pour(paragraphs, &tall, &[], body)
            .map_or(0, |(lines, _)| lines.len());
        Self {
            paragraphs,
            body,
            kai,
            plain,
            feasible: Mutex::default(),
            loosened: Mutex::default(),
            captions: Mutex::default(),
            known,
        }
    }

    /// The paragraphs, prepared.
    pub fn paragraphs(&self) -> &'a [String] {
        self.paragraphs
    }

    /// Lines the copy takes in one plain column.
    pub fn plain_lines(&self) -> usize {
        self.plain
    }

    /// Characters of the copy (for messages in characters).
    pub fn characters(&self) -> usize {
        self.paragraphs.iter().map(|p| p.chars().count()).sum()
    }

    /// Depths worth trying for `k` columns with these photos inside.
    pub fn depths(&self, k: usize, inlines: &[Inline]) -> std::ops::RangeInclusive<usize> {
        let k = k.max(1);
        if inlines.is_empty() {
            let lo = (self.plain as i64 - MAX_FIT_LINES).max(1) as usize;
            let hi = self.plain + MAX_FIT_LINES as usize;
            return lo.div_ceil(k)..=hi / k;
        }
        let blocked: usize = inlines
            .iter()
            .map(|p| p.columns * natural_lines(p).min(40))
            .sum();
        let first = (self.plain + blocked)
            .div_ceil(k)
            .max(inlines.iter().map(|p| p.line + 1).max().unwrap_or(1));
        // Resizing the photos (PHOTO_STEPS) moves the balance by a line or
        // so a column: a few depths either side of the natural one.
        first.saturating_sub(4).max(1)..=first + 3
    }

    /// The text area at exactly `depth` lines in `k` columns, every column
    /// ending on the last line, with its cost (lines of copyfit, photo
    /// size changes); `None` when copyfit cannot balance it there.
    pub fn at(&self, k: usize, depth: usize, inlines: &[Inline]) -> Option<(i64, TextArea)> {
        if inlines.is_empty() {
            return self.plain_at(k, depth);
        }
        if inlines.iter().all(|p| !p.circle) {
            // Rectangles on whole columns: the first one's height is the
            // lever, the text is poured without breaking it again.
            let mut sizes: Vec<usize> = inlines.iter().map(natural_lines).collect();
            let natural = sizes[0] as i64;
            let mut heights: Vec<i64> = PHOTO_STEPS.collect();
            heights.sort_by_key(|dh| dh.abs());
            let mut best: Option<(i64, TextArea)> = None;
            for dh in heights {
                if best.as_ref().is_some_and(|(cost, _)| *cost <= dh.abs()) {
                    break;
                }
                if natural + dh < 4 {
                    continue;
                }
                sizes[0] = (natural + dh) as usize;
                if let Some((cost, mut area)) = self
                    .sized(k, depth, inlines, &sizes)
                    .filter(|(_, a)| a.legs_ok())
                {
                    if dh != 0 {
                        area.adjustments.insert(
                            0,
                            format!(
                                "photo {} inside the text set {} line(s) {} to balance the columns",
                                inlines[0].photo + 1,
                                dh.abs(),
                                if dh > 0 { "taller" } else { "shorter" }
                            ),
                        );
                    }
                    consider(&mut best, cost + dh.abs(), area);
                }
            }
            // Rectangles on whole columns leave whole-column slots: the
            // slower search around shapes finds nothing more.
            return best;
        }
        self.around(k, depth, inlines)
    }

    /// The copyfit cost of gaining (or taking out) `balance` lines, `None`
    /// when copyfit cannot.
    pub fn fit_cost(&self, balance: i64) -> Option<i64> {
        if balance.abs() > MAX_FIT_LINES {
            return None;
        }
        self.loosen(balance).map(|(_, _, moved)| 3 * moved)
    }

    /// Lines gained by loosening (or taken out by tightening), in one plain
    /// column; cached, since every span asks for the same few.
    fn loosen(&self, balance: i64) -> Option<(Vec<ComposedLine>, Vec<String>, i64)> {
        if let Some(known) = compose::locked(&self.loosened).get(&balance) {
            return known.clone();
        }
        let tall = compose::slots(1, self.plain + 2 * MAX_FIT_LINES as usize, &[]);
        let found = if balance == 0 {
            self.known
                .pour(self.paragraphs, &tall, &[], self.body)
                .map(|(lines, _)| (lines, Vec::new(), 0))
        } else {
            // In a plain column each paragraph breaks the same wherever it
            // starts: put the copyfit together from each paragraph's own.
            distributions(
                self.paragraphs.len(),
                &|p, d| self.feasible(p, d),
                balance as i32,
                &mut |delta| {
                    let mut lines = Vec::new();
                    for (p, &d) in delta.iter().enumerate() {
                        lines.extend(self.paragraph(p, d)?);
                    }
                    (lines.len() as i64 == self.plain as i64 + balance).then(|| {
                        let moved = delta.iter().map(|d| i64::from(d.abs())).sum();
                        (lines, describe(delta), moved)
                    })
                },
            )
        };
        compose::locked(&self.loosened).insert(balance, found.clone());
        found
    }

    fn feasible(&self, paragraph: usize, delta: i32) -> bool {
        self.paragraph(paragraph, delta).is_some()
    }

    /// One paragraph set in a plain column `delta` lines longer (or
    /// shorter), cached.
    fn paragraph(&self, paragraph: usize, delta: i32) -> Option<Vec<ComposedLine>> {
        if let Some(known) = compose::locked(&self.feasible).get(&(paragraph, delta)) {
            return known.clone();
        }
        let text = &self.paragraphs[paragraph];
        let column = compose::slots(1, text.chars().count() + 8, &[]);
        let one = std::slice::from_ref(text);
        let lines = compose::pour(one, &column, &[delta], self.body).map(|(lines, _)| lines);
        compose::locked(&self.feasible).insert((paragraph, delta), lines.clone());
        lines
    }

    /// Plain columns: the lines of one tall column, cut into `k` legs.
    fn plain_at(&self, k: usize, depth: usize) -> Option<(i64, TextArea)> {
        self.sized(k, depth, &[], &[])
    }

    /// The text area with rectangular photos inside at the sizes given
    /// (`image_lines`, one per photo), when every slot left is a whole
    /// column wide: the lines of one tall column, loosened or tightened by
    /// the balance, poured into the slots in order. `None` when a slot is
    /// narrower (a circle, a photo off the columns) or copyfit cannot
    /// balance it.
    pub fn sized(
        &self,
        k: usize,
        depth: usize,
        inlines: &[Inline],
        image_lines: &[usize],
    ) -> Option<(i64, TextArea)> {
        let placed = place(inlines, image_lines, &|t, w| self.caption(t, w));
        if placed.iter().any(|p| p.2 > depth) {
            return None;
        }
        let shapes: Vec<Shape> = placed.iter().flat_map(|p| p.1.clone()).collect();
        let slots = compose::slots(k, depth, &shapes);
        if slots.iter().any(|s| s.width < COLUMN || s.x != 0.0) {
            return None;
        }
        let balance = slots.len() as i64 - self.plain as i64;
        if balance.abs() > MAX_FIT_LINES {
            return None;
        }
        let (lines, adjustments, moved) = self.loosen(balance)?;
        let lines = lines
            .into_iter()
            .zip(&slots)
            .map(|(line, slot)| ComposedLine {
                column: slot.column,
                line: slot.line,
                ..line
            })
            .collect();
        Some((
            3 * moved,
            TextArea {
                columns: k,
                depth,
                lines,
                inlines: placed.into_iter().map(|p| p.0).collect(),
                shapes,
                adjustments,
            },
        ))
    }

    /// A caption broken at a width (em), cached: the search places the
    /// same photo at many sizes.
    fn caption(&self, text: &str, width: f64) -> Vec<String> {
        let key = (text.to_string(), width.to_bits());
        if let Some(known) = compose::locked(&self.captions).get(&key) {
            return known.clone();
        }
        let lines = compose::break_text(text, width, self.kai);
        compose::locked(&self.captions).insert(key, lines.clone());
        lines
    }

    /// Lines a rectangular photo inside the text blocks in its columns at
    /// `image_lines` of image: image, caption, a line of air.
    pub fn blocked_lines(&self, photo: &Inline, image_lines: usize) -> usize {
        image_lines + self.caption(&photo.caption, span(photo.columns)).len() + 1
    }

    /// Columns with photos inside: the photo's size (the first rectangle's
    /// height, else the first circle's diameter) and loosening, smallest
    /// change first.
    fn around(&self, k: usize, depth: usize, inlines: &[Inline]) -> Option<(i64, TextArea)> {
        let natural: Vec<usize> = inlines.iter().map(natural_lines).collect();
        let adjustable = inlines
            .iter()
            .position(|p| !p.circle)
            .or_else(|| (!inlines.is_empty()).then_some(0));
        let mut heights: Vec<i64> = match adjustable {
            Some(i) if !inlines[i].circle => PHOTO_STEPS.collect(),
            Some(_) => CIRCLE_STEPS.collect(),
            None => vec![0],
        };
        heights.sort_by_key(|dh| dh.abs());
        let mut best: Option<(i64, TextArea)> = None;
        for &dh in &heights {
            if best.as_ref().is_some_and(|(cost, _)| *cost <= dh.abs()) {
                break;
            }
            let mut lines_of = natural.clone();
            let mut adjustments = Vec::new();
            if let Some(i) = adjustable {
                let h = lines_of[i] as i64 + dh;
                let least = if inlines[i].circle {
                    LEAST_CIRCLE
                } else {
                    LEAST_PHOTO
                };
                if h < least {
                    continue;
                }
                lines_of[i] = h as usize;
                if dh != 0 {
                    adjustments.push(size_change(&inlines[i], dh));
                }
            }
            if let Some((cost, area)) =
                self.poured_around(k, depth, inlines, &lines_of, adjustments)
            {
                consider(&mut best, dh.abs() + cost, area);
            }
        }
        best
    }

    /// The text poured around the photos at the sizes given, balanced by
    /// copyfit; its cost (the lines moved) and area, when the legs keep
    /// their limits.
    fn poured_around(
        &self,
        k: usize,
        depth: usize,
        inlines: &[Inline],
        lines_of: &[usize],
        adjustments: Vec<String>,
    ) -> Option<(i64, TextArea)> {
        let placed = place(inlines, lines_of, &|t, w| self.caption(t, w));
        if placed.iter().any(|p| p.2 > depth) {
            return None;
        }
        let shapes: Vec<Shape> = placed.iter().flat_map(|p| p.1.clone()).collect();
        let slots = compose::slots(k, depth, &shapes);
        // Narrow bands hold less than a line each: the text takes
        // between its plain lines and that plus one a narrow band.
        let narrow = slots.iter().filter(|s| s.width < COLUMN).count() as i64;
        let room = slots.len() as i64 - self.plain as i64;
        if room < -MAX_FIT_LINES || room - narrow > MAX_FIT_LINES {
            return None;
        }
        // The slots' width in whole lines tells the balance to within a
        // line or two (narrow bands hold their share): no pour when it
        // is out of copyfit's reach.
        let capacity = slots.iter().map(|s| s.width).sum::<f64>() / COLUMN - self.plain as f64;
        if capacity.abs() > MAX_FIT_LINES as f64 + CAPACITY_MARGIN {
            return None;
        }
        // How the plain text fits: lines left over, or lines too many.
        let mut extended = slots.clone();
        extended.extend((depth..depth + OVERFLOW_LINES).map(|line| compose::Slot {
            column: k.saturating_sub(1),
            line,
            x: 0.0,
            width: COLUMN,
        }));
        let (plain, _) = self
            .known
            .pour(self.paragraphs, &extended, &[], self.body)?;
        let balance = slots.len() as i64 - plain.len() as i64;
        let area = |lines: Vec<ComposedLine>, adjustments: Vec<String>| TextArea {
            columns: k,
            depth,
            lines,
            inlines: placed.iter().map(|p| p.0.clone()).collect(),
            shapes: shapes.clone(),
            adjustments,
        };
        if balance == 0 {
            let area = area(plain, adjustments);
            return area.legs_ok().then_some((0, area));
        }
        if balance.abs() > MAX_FIT_LINES {
            return None;
        }
        let feasible = |p: usize, d: i32| self.feasible(p, d);
        // The likeliest few: each try pours the whole story around the shapes.
        let mut tries = 0;
        distributions(
            self.paragraphs.len(),
            &feasible,
            balance as i32,
            &mut |delta| {
                tries += 1;
                if tries > AROUND_TRIES {
                    // Given up: the first answer ends the search.
                    return Some(None);
                }
                let (lines, 0) = self.known.pour(self.paragraphs, &slots, delta, self.body)? else {
                    return None;
                };
                let mut adjustments = adjustments.clone();
                adjustments.extend(describe(delta));
                let moved: i64 = delta.iter().map(|d| i64::from(d.abs())).sum();
                let area = area(lines, adjustments);
                Some(area.legs_ok().then_some((3 * moved, area)))
            },
        )
        .flatten()
    }
}

/// A photo inside the text set larger or smaller, in words.
fn size_change(photo: &Inline, dh: i64) -> String {
    let (what, unit) = match (photo.circle, dh > 0) {
        (true, true) => ("round photo", "character(s) wider"),
        (true, false) => ("round photo", "character(s) narrower"),
        (false, true) => ("photo", "line(s) taller"),
        (false, false) => ("photo", "line(s) shorter"),
    };
    format!(
        "{what} {} inside the text set {} {unit} to balance the columns",
        photo.photo + 1,
        dh.abs()
    )
}

/// Copyfit by paragraph, in words.
fn describe(delta: &[i32]) -> Vec<String> {
    delta
        .iter()
        .enumerate()
        .filter(|(_, d)| **d != 0)
        .map(|(i, &d)| {
            if d > 0 {
                format!(
                    "paragraph {} set {d} line(s) longer (its lines set a little looser)",
                    i + 1
                )
            } else {
                format!(
                    "paragraph {} set {} line(s) shorter (its punctuation squeezed)",
                    i + 1,
                    -d
                )
            }
        })
        .collect()
}

/// How many ways of spreading copyfit over the paragraphs the search
/// around round photos tries at each size and depth.
const AROUND_TRIES: usize = 6;

/// How a rectangular photo inside the text may change to balance the
/// columns, in lines of image: shorter by up to 6 (a crop the eye does not
/// miss on a photo of 15 lines or more) or taller by up to 3 (taller
/// photos push text into the next column fast).
const PHOTO_STEPS: std::ops::RangeInclusive<i64> = -6..=3;
/// A round photo's diameter may change by −8 to +3 characters: a circle
/// has no crop, only its size to give.
const CIRCLE_STEPS: std::ops::RangeInclusive<i64> = -8..=3;
/// The smallest photo inside the text, in lines of image: under 4 it reads
/// as a stamp.
const LEAST_PHOTO: i64 = 4;
/// The smallest round photo's diameter, in characters.
const LEAST_CIRCLE: i64 = 8;
/// How far the slots' width in lines may miss the copy before a pour is
/// not worth trying: narrow bands beside a photo hold a line's share only
/// within two or three lines.
const CAPACITY_MARGIN: f64 = 3.0;
/// Lines added after the last slot to count how far a plain pour runs over.
const OVERFLOW_LINES: usize = 40;

/// The most lines copyfitting gains or takes out of a story's paragraphs.
const MAX_FIT_LINES: i64 = 5;

/// Every way to spread `lines` (negative: take out) over `n` paragraphs,
/// at most three per paragraph; fewest paragraphs first, later paragraphs
/// first. Each is handed to `try_one` as it is found, until it returns
/// `Some`: the search goes no further than the first that works, so that
/// `feasible(i, d)` (whether paragraph i can change by d lines on its own,
/// which sets the paragraph again) is asked only of the paragraphs a
/// distribution looked at so far touches.
fn distributions<T>(
    n: usize,
    feasible: &dyn Fn(usize, i32) -> bool,
    lines: i32,
    try_one: &mut dyn FnMut(&[i32]) -> Option<T>,
) -> Option<T> {
    let sign = lines.signum();
    let total = lines.unsigned_abs() as usize;
    /// The ways with exactly `changed` paragraphs changed among the first
    /// `i`, `left` lines still to spread, later paragraphs first and larger
    /// changes first.
    struct Walk<'a, T> {
        sign: i32,
        feasible: &'a dyn Fn(usize, i32) -> bool,
        try_one: &'a mut dyn FnMut(&[i32]) -> Option<T>,
        current: Vec<i32>,
    }
    impl<T> Walk<'_, T> {
        fn walk(&mut self, i: usize, left: usize, changed: usize) -> Option<T> {
            if left == 0 {
                return if changed == 0 {
                    (self.try_one)(&self.current)
                } else {
                    None
                };
            }
            // Each changed paragraph takes one to three lines.
            if changed == 0 || i < changed || left < changed || left > 3 * changed {
                return None;
            }
            let p = i - 1;
            for take in (0..=left.min(3)).rev() {
                let delta = self.sign * take as i32;
                let now = changed - usize::from(take > 0);
                // What is left must still be spreadable before asking.
                let rest = left - take;
                if rest > 3 * now || rest < now || (now == 0 && rest != 0) || p < now {
                    continue;
                }
                if delta != 0 && !(self.feasible)(p, delta) {
                    continue;
                }
                self.current[p] = delta;
                let found = self.walk(p, left - take, now);
                self.current[p] = 0;
                if found.is_some() {
                    return found;
                }
            }
            None
        }
    }
    let mut walk = Walk {
        sign,
        feasible,
        try_one,
        current: vec![0; n],
    };
    (1..=n.min(total)).find_map(|changed| walk.walk(n, total, changed))
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
    captions: &dyn Fn(&str, f64) -> Vec<String>,
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
                // The caption takes the photo's whole columns, so that no
                // body line shares its baselines across the gutter.
                let caption_w = width;
                let caption = captions(&p.caption, caption_w);
                let caption_line = ((top + d + 0.5) / PITCH).ceil() as usize;
                let caption_shape = Shape::Rect {
                    x: left,
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
                    caption_x: left,
                    caption_line,
                    caption_w,
                };
                (
                    drawn,
                    vec![Shape::Circle { cx, cy, r: d / 2.0 }, caption_shape],
                    end,
                )
            } else {
                let caption = captions(&p.caption, width);
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

#[cfg(test)]
mod tests {
    use super::distributions;

    /// Every distribution, as the search sees them: each way found in turn,
    /// none taken.
    fn all(n: usize, feasible: &dyn Fn(usize, i32) -> bool, lines: i32) -> Vec<Vec<i32>> {
        let mut out = Vec::new();
        distributions::<()>(n, feasible, lines, &mut |d| {
            out.push(d.to_vec());
            None
        });
        out
    }

    /// The order asked for, worked out another way: every vector of
    /// changes of one to three lines (of the sign of `lines`) that sums to
    /// it, fewest paragraphs changed first, then the later paragraphs'
    /// changes first and larger ones first (the order of a walk from the
    /// last paragraph that tries larger changes first).
    fn reference(n: usize, feasible: &dyn Fn(usize, i32) -> bool, lines: i32) -> Vec<Vec<i32>> {
        let sign = lines.signum();
        let mut out: Vec<Vec<i32>> = Vec::new();
        let count = 4usize.pow(n as u32);
        for code in 0..count {
            let d: Vec<i32> = (0..n)
                .map(|p| sign * ((code / 4usize.pow(p as u32)) % 4) as i32)
                .collect();
            if d.iter().sum::<i32>() == lines
                && d.iter().enumerate().all(|(p, &x)| x == 0 || feasible(p, x))
            {
                out.push(d);
            }
        }
        out.sort_by(|a, b| {
            let changed = |d: &Vec<i32>| d.iter().filter(|x| **x != 0).count();
            changed(a).cmp(&changed(b)).then_with(|| {
                b.iter()
                    .rev()
                    .map(|x| x.abs())
                    .cmp(a.iter().rev().map(|x| x.abs()))
            })
        });
        out
    }

    #[test]
    fn distributions_come_fewest_paragraphs_first_then_later_paragraphs_first() {
        let every = |_: usize, _: i32| true;
        // Paragraph 2 cannot lose lines, paragraph 0 cannot gain two.
        let some = |p: usize, d: i32| !((p == 2 && d < 0) || (p == 0 && d == 2));
        for n in 1..=5 {
            for lines in [-5, -3, -1, 1, 2, 4, 5] {
                assert_eq!(
                    all(n, &every, lines),
                    reference(n, &every, lines),
                    "{n} {lines}"
                );
                assert_eq!(
                    all(n, &some, lines),
                    reference(n, &some, lines),
                    "{n} {lines}"
                );
            }
        }
        assert_eq!(
            all(3, &every, 2)[..3],
            [vec![0, 0, 2], vec![0, 2, 0], vec![2, 0, 0]]
        );
    }

    #[test]
    fn distributions_ask_only_what_the_ways_tried_touch() {
        let asked = std::cell::RefCell::new(Vec::new());
        let feasible = |p: usize, d: i32| {
            asked.borrow_mut().push((p, d));
            p <= 30
        };
        // The first way that works changes paragraph 30 alone: of forty
        // paragraphs, only it and the nine after it are asked about.
        let first = distributions(40, &feasible, 2, &mut |d| Some(d.to_vec()));
        let mut want = vec![0; 40];
        want[30] = 2;
        assert_eq!(first, Some(want));
        assert!(
            asked.borrow().iter().all(|&(p, _)| p >= 30),
            "{:?}",
            asked.borrow()
        );
    }
}
