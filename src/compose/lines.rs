//! The composer: breaks a story's text into lines on the page's character
//! grid and pours them into the story's columns, around photos and round
//! graphics, so that every column ends on the same baseline.
//!
//! Typst 0.15.1 has no baseline grid, no column balancing and no text wrap
//! around shapes (TYPOGRAPHY.md §1 items 17, 18, 20), so banmian does what a
//! newspaper system does: it breaks lines itself, with the rules Typst and
//! GB/T 15834 use (line-start and line-end prohibitions, —— and …… kept
//! whole, Latin words and numbers never split, ¼ em between Han and Latin,
//! closing punctuation compressed to half at a line end), and hands the
//! template one string per line. Typst then only justifies each line.
//!
//! All lengths here are in em of the body size (小五, 9 pt).

use serde::Serialize;

use crate::cjk::{
    WORD_JOINER as WJ, is_cj, is_latin, is_punct as is_cjk_punct, left_aligned, no_end, no_start,
};
use std::collections::HashMap;
use std::sync::Mutex;

pub use super::grid::{COLUMN, GUTTER, PITCH};
/// Clearance between text and an obstacle, in em.
pub const CLEARANCE: f64 = 1.0;
/// The narrowest band text may run in, in characters.
pub const MIN_BAND: f64 = 4.0;
/// First-line indent, in em.
pub const INDENT: f64 = 2.0;

/// Advance widths of the body face, in em. Shared by the composer's
/// threads.
pub trait Metrics: Sync {
    /// The advance of `c` in em.
    fn advance(&self, c: char) -> f64;
}

/// One face's metrics with another's for some characters — as a Typst
/// font list with `covers` sets them.
pub struct Fallback<'a> {
    /// The face for most characters.
    pub main: &'a dyn Metrics,
    /// The face for `chars`.
    pub other: &'a dyn Metrics,
    /// The characters the other face sets.
    pub chars: &'static str,
}

impl Metrics for Fallback<'_> {
    fn advance(&self, c: char) -> f64 {
        // A Han character is never among them: no search for most text.
        if !('\u{3400}'..='\u{9FFF}').contains(&c) && self.chars.chars().any(|s| s == c) {
            self.other.advance(c)
        } else {
            self.main.advance(c)
        }
    }
}

/// A cache's lock: a cache is whole between two statements, so a thread
/// that panicked holding it left nothing half-written.
pub fn locked<T>(cache: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    cache
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Characters that break nowhere inside a run of them (words, numbers).
fn is_word(c: char) -> bool {
    !c.is_whitespace() && !is_cj(c) && !is_cjk_punct(c) && c != WJ
}

/// Whether a line may break between `a` and `b`.
fn may_break(a: char, b: char) -> bool {
    if a == WJ || b == WJ || no_start(b) || no_end(a) {
        return false;
    }
    if (a == '—' && b == '—') || (a == '…' && b == '…') {
        return false;
    }
    // A Latin word or number may break after its hyphen or slash.
    if matches!(a, '-' | '/') && b.is_ascii_alphanumeric() {
        return true;
    }
    // A dash joining numbers or words (2021—2023) keeps them on one line.
    if a == '—' && b.is_alphanumeric() {
        return false;
    }
    if is_word(a) && is_word(b) {
        return false;
    }
    true
}

/// The natural width of `chars` set as one line, as Typst will set it
/// before justification.
fn line_width(chars: &[char], metrics: &dyn Metrics) -> f64 {
    measure(chars, metrics).0
}

/// A line's natural width (as [`line_width`]) and the gaps Typst stretches
/// when it justifies it: between two CJK characters, and at spaces. One
/// pass, nothing allocated: the paragraph search asks this very often.
fn measure(chars: &[char], metrics: &dyn Metrics) -> (f64, usize) {
    let mut line = Measure::default();
    for &c in chars {
        line.push(c, metrics.advance(c));
    }
    line.result()
}

/// A paragraph as the line breaker reads it: its characters, each one's
/// advance and where a line may end, worked out once (the searches ask
/// for them again and again).
struct Run {
    chars: Vec<char>,
    advance: Vec<f64>,
    /// `legal[end]`: a line may end before `chars[end]` (always at the
    /// text's end).
    legal: Vec<bool>,
    /// Each character's classes ([`CJ`], [`LATIN`], [`WORD`], [`LEFT`],
    /// [`SHRINK`]), worked out once: the breaker asks again for every
    /// line it tries.
    class: Vec<u8>,
    /// What [`scan`] found in this run, kept for the searches to come
    /// (see [`Scans`]).
    scans: std::cell::RefCell<Scans>,
}

/// Chinese or Japanese script.
const CJ: u8 = 1;
/// A Western letter or number.
const LATIN: u8 = 2;
/// Part of a word or number, which breaks nowhere inside.
const WORD: u8 = 4;
/// Set in the left half of its em.
const LEFT: u8 = 8;
/// Half of it may be squeezed out (left-aligned or an opening mark).
const SHRINK: u8 = 16;
/// CJK punctuation.
const PUNCT: u8 = 32;
/// A full stop, exclamation or question mark, after which Typst does not
/// justify.
const STOP: u8 = 64;
/// A space.
const SPACE: u8 = 128;

/// The classes of `c`.
fn class_of(c: char) -> u8 {
    let mut class = 0;
    if is_cj(c) {
        class |= CJ;
    }
    if is_latin(c) {
        class |= LATIN;
    }
    if is_word(c) {
        class |= WORD;
    }
    if left_aligned(c) {
        class |= LEFT | SHRINK;
    }
    if no_end(c) {
        class |= SHRINK;
    }
    if is_cjk_punct(c) {
        class |= PUNCT;
    }
    if matches!(c, '。' | '！' | '？') {
        class |= STOP;
    }
    if c == ' ' {
        class |= SPACE;
    }
    class
}

impl Run {
    #[cfg(test)]
    fn new(text: &str, metrics: &dyn Metrics) -> Self {
        let chars: Vec<char> = text.chars().collect();
        let advance: Vec<f64> = chars.iter().map(|&c| metrics.advance(c)).collect();
        Self::with_advances(chars, advance)
    }

    /// The run of `text` set in `metrics`, made once per thread: a
    /// paragraph is poured again and again (211 times on the example page,
    /// into 189 different sets of bands), and its characters' classes and
    /// breaks, and most of the lines its searches scan, are the same each
    /// time. Known by its text and checked by its advances (the same text
    /// set in another face is made afresh). A thread keeps at most
    /// [`MAX_REMEMBERED`] runs (a `watch` or a `batch` keeps its threads);
    /// it composes one story span at a time, so no lock.
    fn remembered(text: &str, metrics: &dyn Metrics) -> std::rc::Rc<Self> {
        thread_local! {
            static RUNS: std::cell::RefCell<std::collections::HashMap<String, std::rc::Rc<Run>>> =
                std::cell::RefCell::default();
        }
        let advance: Vec<f64> = text.chars().map(|c| metrics.advance(c)).collect();
        RUNS.with(|runs| {
            let mut runs = runs.borrow_mut();
            if let Some(run) = runs.get(text)
                && run.advance == advance
            {
                return std::rc::Rc::clone(run);
            }
            if runs.len() >= MAX_REMEMBERED {
                runs.clear();
            }
            let run = std::rc::Rc::new(Self::with_advances(text.chars().collect(), advance));
            runs.insert(text.to_string(), std::rc::Rc::clone(&run));
            run
        })
    }

    fn with_advances(chars: Vec<char>, advance: Vec<f64>) -> Self {
        let n = chars.len();
        let legal = (0..=n)
            .map(|end| end == 0 || end == n || may_break(chars[end - 1], chars[end]))
            .collect();
        let class = chars.iter().map(|&c| class_of(c)).collect();
        Self {
            chars,
            advance,
            legal,
            class,
            scans: Default::default(),
        }
    }

    fn len(&self) -> usize {
        self.chars.len()
    }

    /// Where a line starting after `p` starts: past the spaces at `p`.
    fn start_of(&self, p: usize) -> usize {
        let mut s = p;
        while s < self.chars.len() && self.chars[s] == ' ' {
            s += 1;
        }
        s
    }
}

/// The characters of a line that count for a 孤字: not marks, joiners or
/// spaces.
fn content(chars: &[char]) -> usize {
    chars
        .iter()
        .filter(|&&c| !is_cjk_punct(c) && c != WJ && c != ' ')
        .count()
}

/// A line measured as it grows a character at a time, so that the
/// paragraph search measures every end of a line from one start in one
/// pass.
#[derive(Default, Clone, Copy)]
struct Measure {
    width: f64,
    gaps: usize,
    previous: Option<char>,
    last: Option<char>,
    before_last: Option<char>,
    /// The last character's advance.
    last_advance: f64,
    trailing: f64,
}

impl Measure {
    /// The line grown by `c`, `advance` em wide.
    fn push(&mut self, c: char, advance: f64) {
        if c == WJ {
            return;
        }
        let cjk = |c: char| is_cj(c) || is_cjk_punct(c);
        self.width += advance;
        if let Some(p) = self.previous {
            if (is_cj(p) && is_latin(c)) || (is_latin(p) && is_cj(c)) {
                self.width += 0.25;
            }
            // Typst leaves a sentence's full stop as it is.
            if (cjk(p) && cjk(c) && !matches!(p, '。' | '！' | '？')) || (p == ' ' && c != ' ') {
                self.gaps += 1;
            }
        }
        if c == ' ' {
            self.trailing += advance;
        } else {
            self.trailing = 0.0;
            self.before_last = self.previous;
            self.last = Some(c);
            self.last_advance = advance;
        }
        self.previous = Some(c);
    }

    /// The width and gaps of the line as it ends here: trailing spaces
    /// vanish at a line end; left-aligned punctuation halves, but only
    /// after a CJK character (after a Latin letter or a digit Typst keeps
    /// it whole).
    fn result(&self) -> (f64, usize) {
        let mut width = self.width - self.trailing;
        if let Some(l) = self.last
            && left_aligned(l)
            && self.before_last.is_none_or(|b| !is_word(b))
        {
            width -= self.last_advance / 2.0;
        }
        (width, self.gaps)
    }

    /// As [`stretch`], for the line as it ends here.
    fn stretch(&self, width: f64) -> f64 {
        let (natural, gaps) = self.result();
        spread_of(width - natural, gaps)
    }
}

/// How far (em) a line's natural width may pass its band's and still
/// count as fitting: rounding, far below Typst's own tolerance (10⁻⁴ pt).
const FITS: f64 = 1e-9;

/// Normal punctuation squeeze per line, em.
const SQUEEZE: f64 = 0.5;
/// Squeeze per line when a paragraph is tightened by copyfit, em.
const TIGHT: f64 = 1.0;

/// A place for one line of text: a column, a line, and the band's left
/// edge and width within the column, in em.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slot {
    /// 0-based column of the text area.
    pub column: usize,
    /// 0-based line of the text area.
    pub line: usize,
    /// Left edge of the band within the column.
    pub x: f64,
    /// Width of the band.
    pub width: f64,
}

/// One composed line, as the template places it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ComposedLine {
    /// 0-based column.
    pub column: usize,
    /// 0-based line.
    pub line: usize,
    /// Left edge within the column, em.
    pub x: f64,
    /// Band width, em.
    pub width: f64,
    /// The text.
    pub text: String,
    /// Opens a paragraph (indented two characters).
    pub indent: bool,
    /// Justified to the band (all lines but a paragraph's last).
    pub justify: bool,
    /// A justified line whose gaps between Han characters alone would open
    /// wider than ⅓ em (an unbreakable number or word took the rest of the
    /// band): every character takes a share of the slack instead.
    pub spread: bool,
    /// For such a line, the tracking (em) its Latin letters and digits
    /// take, so that the gaps between Han characters keep under ⅓ em.
    pub latin_tracking: f64,
    /// Wider at its natural width than its band: it fits only with its
    /// punctuation squeezed. Typst finds such a line with its optimal line
    /// breaker; every other line it sets with its first-fit one, which
    /// gives the same line for less work (it asks no more than whether the
    /// text fits).
    pub shrinks: bool,
}

/// Lines set one under the other in one band: one column, one left edge
/// and width, consecutive grid lines. The template sets each such run as
/// one block (its lines ended by forced breaks, its leading the grid's),
/// not a block per line: Typst lays the page out in less time, every line
/// where it was. A line that fits only with its punctuation squeezed is a
/// block of its own.
#[derive(Debug, Serialize)]
pub struct LineBlock<'a> {
    /// 0-based column.
    pub column: usize,
    /// 0-based line of its first line.
    pub line: usize,
    /// Left edge within the column, em.
    pub x: f64,
    /// Band width, em.
    pub width: f64,
    /// Its one line fits only with its punctuation squeezed
    /// ([`ComposedLine::shrinks`]).
    pub shrinks: bool,
    /// Its lines, top to bottom (the template takes of each only what
    /// sets it: [`serialize_settings`]).
    #[serde(serialize_with = "serialize_settings")]
    pub lines: &'a [ComposedLine],
}

/// What sets one line of a block: its text and how it is justified (where
/// it goes is the block's).
#[derive(Serialize)]
struct LineSetting<'a> {
    text: &'a str,
    indent: bool,
    justify: bool,
    spread: bool,
    latin_tracking: f64,
}

/// Serialises a block's lines as [`LineSetting`]s: half the JSON Typst
/// reads and makes into dictionaries before it lays out the page.
fn serialize_settings<S: serde::Serializer>(
    lines: &&[ComposedLine],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(lines.iter().map(|l| LineSetting {
        text: &l.text,
        indent: l.indent,
        justify: l.justify,
        spread: l.spread,
        latin_tracking: l.latin_tracking,
    }))
}

/// `lines` (in the order they were composed) as [`LineBlock`]s.
pub fn blocks(lines: &[ComposedLine]) -> Vec<LineBlock<'_>> {
    let mut blocks = Vec::new();
    let mut start = 0;
    for end in 1..=lines.len() {
        let first = &lines[start];
        // A line that fits only squeezed is a block of its own: Typst's
        // optimal breaker, which it needs, costs more the more lines it
        // is given.
        let continues = lines.get(end).is_some_and(|l| {
            l.column == first.column
                && l.x == first.x
                && l.width == first.width
                && l.line == first.line + (end - start)
                && !l.shrinks
                && !lines[end - 1].shrinks
        });
        if !continues {
            let run = &lines[start..end];
            blocks.push(LineBlock {
                column: first.column,
                line: first.line,
                x: first.x,
                width: first.width,
                shrinks: run.iter().any(|l| l.shrinks),
                lines: run,
            });
            start = end;
        }
    }
    blocks
}

/// Serialises lines as the template takes them: as [`blocks`].
pub fn serialize_as_blocks<S: serde::Serializer>(
    lines: &[ComposedLine],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(blocks(lines))
}

/// Breaks `text` from char `start` into one line of at most `width` em,
/// squeezing punctuation by up to `squeeze` em. Returns the end
/// (exclusive) of the line: [`scan`]'s farthest end, asked for no other.
fn break_one(run: &Run, start: usize, width: f64, squeeze: f64) -> usize {
    scan(run, start, width, squeeze, run.len() + 1, &mut Vec::new())
}

/// A word longer than the band: the end where a line from `start`
/// overflows `width`, past its first character.
fn overflow_end(run: &Run, start: usize, width: f64) -> usize {
    let chars = &run.chars;
    let mut line = Measure::default();
    line.push(chars[start], run.advance[start]);
    let mut end = start + 1;
    while end < chars.len() {
        line.push(chars[end], run.advance[end]);
        if line.result().0 > width {
            break;
        }
        end += 1;
    }
    end
}

/// Breaks one paragraph into the slots from `slots[next..]`, `delta`
/// lines longer (its last lines set a character short) or shorter (its
/// last lines' punctuation squeezed by up to an em): a line's worth of
/// copyfit. Returns the lines and the next slot, or `None` when the slots
/// run out or the paragraph cannot change by exactly `delta` lines.
fn pour_paragraph(
    text: &str,
    slots: &[Slot],
    next: usize,
    delta: i32,
    metrics: &dyn Metrics,
    known: Option<&KnownBreaks>,
) -> Option<(Vec<ComposedLine>, usize)> {
    // In whole columns a paragraph breaks the same wherever it starts: the
    // lines are set once, and then only placed.
    let whole = |lines: usize| {
        (next..next + lines + delta.max(0) as usize + 1)
            .all(|i| slots.get(i).is_none_or(|s| s.width == COLUMN))
    };
    if let Some(breaks) = known {
        let map = locked(&breaks.0);
        if let Some(set) = map.get(text)
            && whole(set.greedy)
            && let Some(lines) = set.by_delta.get(&delta)
        {
            let lines = lines.as_ref()?;
            if next + lines.len() > slots.len() {
                return None;
            }
            let placed = lines
                .iter()
                .zip(&slots[next..])
                .map(|(line, slot)| ComposedLine {
                    column: slot.column,
                    line: slot.line,
                    x: slot.x,
                    width: slot.width,
                    ..line.clone()
                })
                .collect();
            return Some((placed, next + lines.len()));
        }
    }
    let run = Run::remembered(text, metrics);
    // The fewest lines it takes (greedy, punctuation squeezed as Typst
    // does), then the best breaks for that many lines plus the copyfit's:
    // looser lines to gain, punctuation squeezed harder to take out.
    let greedy = breaks(&run, slots, next, true);
    let ends = paragraph_ends(&run, slots, next, delta, &greedy, metrics);
    // Lines past the last slot are this start's problem, not the text's:
    // what is known is only what holds wherever the paragraph starts.
    let set = ends
        .as_ref()
        .filter(|ends| next + ends.len() <= slots.len())
        .and_then(|ends| set_lines(&run.chars, slots, next, ends.clone(), metrics));
    if let Some(breaks) = known.filter(|_| whole(greedy.len()))
        && (ends.is_none() || set.is_some())
    {
        let mut map = locked(&breaks.0);
        if map.len() >= MAX_KNOWN {
            map.clear();
        }
        map.entry(text.to_string())
            .or_insert_with(|| SetInColumns {
                greedy: greedy.len(),
                by_delta: HashMap::new(),
            })
            .by_delta
            .insert(delta, set.as_ref().map(|(lines, _)| lines.clone()));
    }
    set
}

/// Where a paragraph's lines end when it is poured from `slots[next..]`
/// `delta` lines longer or shorter; `greedy` its lines packed full.
fn paragraph_ends(
    run: &Run,
    slots: &[Slot],
    next: usize,
    delta: i32,
    greedy: &[usize],
    metrics: &dyn Metrics,
) -> Option<Vec<usize>> {
    let chars = &run.chars;
    let wanted = usize::try_from(greedy.len() as i64 + i64::from(delta))
        .ok()
        .filter(|&w| w > 0)?;
    let squeeze = if delta < 0 { TIGHT } else { SQUEEZE };
    // How many lines set loose, `None` with a 孤字.
    let loose = |ends: &[usize]| {
        let mut start = 0;
        let count = ends.len();
        let mut loose = 0;
        for (i, &end) in ends.iter().enumerate() {
            let band =
                slots.get(next + i).map_or(COLUMN, |s| s.width) - if i == 0 { INDENT } else { 0.0 };
            if i + 1 == count {
                let content = chars[start..end]
                    .iter()
                    .filter(|&&c| !is_cjk_punct(c) && c != WJ && c != ' ')
                    .count();
                if count > 1 && content < 2 {
                    return None;
                }
            } else if band >= COLUMN - INDENT - 1e-6
                && stretch(&chars[start..end], band, metrics) > LOOSE
            {
                loose += 1;
            }
            start = end;
            while start < chars.len() && chars[start] == ' ' {
                start += 1;
            }
        }
        Some(loose)
    };
    // The greedy breaks when they set no line loose and leave no 孤字;
    // otherwise (and for copyfit) the whole paragraph's best.
    if delta == 0 && loose(greedy) == Some(0) {
        return Some(greedy.to_vec());
    }
    let ends = optimal(run, slots, next, wanted, squeeze, true, greedy)?;
    // Copyfit that sets a line loose is no copyfit, unless the paragraph
    // set plain has as many (a long code or number no break can tighten).
    if delta != 0 {
        let found = loose(&ends)?;
        if found > 0 {
            let plain = paragraph_ends(run, slots, next, 0, greedy, metrics)?;
            if loose(&plain).is_none_or(|plain| found > plain) {
                return None;
            }
        }
    }
    Some(ends)
}

/// The lines of a paragraph ending at `ends`, set in the slots from
/// `slots[next..]`; the lines and the next slot.
fn set_lines(
    chars: &[char],
    slots: &[Slot],
    mut next: usize,
    ends: Vec<usize>,
    metrics: &dyn Metrics,
) -> Option<(Vec<ComposedLine>, usize)> {
    let mut lines = Vec::new();
    let mut start = 0;
    let count = ends.len();
    for (i, end) in ends.into_iter().enumerate() {
        let slot = slots[next];
        next += 1;
        let text: String = chars[start..end]
            .iter()
            .collect::<String>()
            .trim()
            .to_string();
        // A band beside a photo that the line would set loose is narrowed
        // on the photo's side to what the line needs: the text goes round
        // the photo a little further off instead.
        let (mut x, mut width) = (slot.x, slot.width);
        let indent = if i == 0 { INDENT } else { 0.0 };
        let justify = i + 1 < count;
        if justify
            && width < COLUMN - 1e-6
            && stretch(&chars[start..end], width - indent, metrics) > LOOSE
        {
            let needed = (line_width(&chars[start..end], metrics) + indent).max(MIN_BAND);
            if needed < width {
                if x > 0.0 {
                    x += width - needed;
                }
                width = needed;
            }
        }
        // A line no break could tighten: Latin letters and digits take the
        // slack past what the gaps between Han characters may hold.
        let (natural, gaps) = measure(&chars[start..end], metrics);
        let shrinks = natural + indent > width + FITS;
        let slack = (width - indent - natural).max(0.0);
        let spread = justify && slack > LOOSE * gaps as f64 + 1e-6;
        let latin = chars[start..end]
            .iter()
            .filter(|c| is_latin(**c) || matches!(c, '.' | '-' | '/' | '+'))
            .count();
        let rest = slack - gaps as f64 * LOOSE * 0.9;
        let latin_tracking = if spread && latin > 0 && rest > 0.0 {
            (rest / latin as f64).min(0.3)
        } else {
            0.0
        };
        lines.push(ComposedLine {
            column: slot.column,
            line: slot.line,
            x,
            width,
            text,
            indent: i == 0,
            justify,
            spread,
            latin_tracking,
            shrinks,
        });
        start = end;
        while start < chars.len() && chars[start] == ' ' {
            start += 1;
        }
    }
    Some((lines, next))
}

/// Line ends of a paragraph poured from `slots[next..]`, each line
/// packed as full as it goes (punctuation squeezed as Typst does); the
/// first line indented when `indent`. The fewest lines it can take.
fn breaks(run: &Run, slots: &[Slot], next: usize, indent: bool) -> Vec<usize> {
    let chars = &run.chars;
    let mut ends = Vec::new();
    let mut start = 0;
    let mut slot = next;
    while start < chars.len() {
        // Past the last slot, count on a full column: the caller checks
        // whether the lines fit, and copyfit needs the count either way.
        let band = slots.get(slot).map_or(COLUMN, |s| s.width);
        let first = if indent && ends.is_empty() {
            INDENT
        } else {
            0.0
        };
        let end = break_one(run, start, band - first, SQUEEZE);
        ends.push(end);
        start = end;
        while start < chars.len() && chars[start] == ' ' {
            start += 1;
        }
        slot += 1;
    }
    ends
}

/// The most a justified line may widen the gap between two characters,
/// in em (COMPOSITION.md: no gap over ⅓ em), with a margin.
pub const LOOSE: f64 = 0.3;

/// How much justification widens each gap of the line `chars` set in
/// `width` em: its slack over the characters Typst stretches after
/// (CJK characters and spaces, all but the last).
pub fn stretch(chars: &[char], width: f64, metrics: &dyn Metrics) -> f64 {
    let (natural, gaps) = measure(chars, metrics);
    spread_of(width - natural, gaps)
}

/// The widening of each of `gaps` gaps that takes up `slack` em.
fn spread_of(slack: f64, gaps: usize) -> f64 {
    let slack = slack.max(0.0);
    if gaps == 0 {
        return if slack > 1e-6 { f64::INFINITY } else { 0.0 };
    }
    slack / gaps as f64
}

/// The lines from char `start` in one pass: the farthest end a line of
/// `width` em reaches (punctuation squeezed by up to `squeeze` em; widths
/// kept as running sums), and into `out` each end from `earliest` on
/// where a line may end, up to that one, with how much justifying that
/// line widens its gaps (as a [`Measure`] grown a character at a time
/// says). The paragraph search asks this for every start of every line it
/// tries.
fn scan(
    run: &Run,
    start: usize,
    width: f64,
    squeeze: f64,
    earliest: usize,
    out: &mut Vec<(usize, f64)>,
) -> usize {
    let n = run.len();
    let from = out.len();
    // break_one's state.
    let mut best = None;
    let mut scanned = start;
    let mut adv_sum = 0.0;
    let mut spacing = 0.0;
    let mut trailing_spaces = 0.0;
    let mut previous: Option<u8> = None;
    let mut last: Option<u8> = None;
    let mut last_advance = 0.0;
    let mut before_last: Option<u8> = None;
    let mut shrink_all = 0.0;
    let mut last_shrink = 0.0;
    let mut previous_natural = 0.0;
    // Measure's state (its width sums the Latin spacing as it goes).
    let mut m_width = 0.0;
    let mut gaps = 0usize;
    let mut m_trailing = 0.0;
    for end in start + 1..=n {
        scanned = end;
        let c = run.chars[end - 1];
        if c != WJ {
            let class = run.class[end - 1];
            let advance = run.advance[end - 1];
            adv_sum += advance;
            m_width += advance;
            if let Some(p) = previous {
                if (p & CJ != 0 && class & LATIN != 0) || (p & LATIN != 0 && class & CJ != 0) {
                    spacing += 0.25;
                    m_width += 0.25;
                }
                let cjk = |k: u8| k & (CJ | PUNCT) != 0;
                if (cjk(p) && cjk(class) && p & STOP == 0) || (p & SPACE != 0 && class & SPACE == 0)
                {
                    gaps += 1;
                }
            }
            if class & SPACE != 0 {
                trailing_spaces += advance;
                m_trailing += advance;
            } else {
                trailing_spaces = 0.0;
                m_trailing = 0.0;
                before_last = previous;
                last = Some(class);
                last_advance = advance;
                last_shrink = if class & SHRINK != 0 {
                    advance / 2.0
                } else {
                    0.0
                };
                shrink_all += last_shrink;
            }
            previous = Some(class);
        }
        let after_word = before_last.is_some_and(|b| b & WORD != 0);
        let halved = last.is_some_and(|l| l & LEFT != 0) && !after_word;
        let mut natural = adv_sum + spacing - trailing_spaces;
        if halved {
            natural -= last_advance / 2.0;
        }
        let shrink = (shrink_all - last_shrink).min(squeeze);
        let fits = natural <= width + 1e-6 || natural - shrink <= width + 1e-6;
        let legal = run.legal[end];
        if fits && legal {
            best = Some(end);
        }
        if legal && end >= earliest {
            let mut measured = m_width - m_trailing;
            if halved {
                measured -= last_advance / 2.0;
            }
            out.push((end, spread_of(width - measured, gaps)));
        }
        if !fits && previous_natural > width + 1.0 {
            break;
        }
        previous_natural = natural;
    }
    // Never short of a character, never past the text.
    let farthest = best
        .unwrap_or_else(|| overflow_end(run, start, width))
        .max(start + 1)
        .min(n);
    // Ends past the farthest are no line; ends the scan did not reach
    // (only when a word overflows) are measured as the search did.
    let kept = out[from..]
        .iter()
        .take_while(|&&(end, _)| end <= farthest)
        .count();
    out.truncate(from + kept);
    if farthest > scanned {
        let mut line = Measure::default();
        for end in start + 1..=farthest {
            line.push(run.chars[end - 1], run.advance[end - 1]);
            if end > scanned && end >= earliest && run.legal[end] {
                out.push((end, line.stretch(width)));
            }
        }
    }
    farthest
}

/// What [`scan`] found from each start of a run (its farthest end and
/// every end it may take, from the start on), by band and squeeze, then by
/// start: the paragraph search asks the same scans again and again (of
/// the example's 69,000 scans, 7,800 differ) as copyfit tries a paragraph
/// longer and shorter and the composer sets a story at every span.
#[derive(Default)]
struct Scans(Vec<Band>);

/// One band's scans: its width's and squeeze's bits, and the scans by
/// start.
type Band = ((u64, u64), Vec<Option<Scan>>);

/// One scan: its farthest end, and every end it may take from its start
/// on with how much the line's gaps widen.
type Scan = (usize, Vec<(usize, f64)>);

impl Scans {
    /// The scans in a band `width` em wide, punctuation squeezed by up to
    /// `squeeze`, by start (of a run of `len` characters; a paragraph
    /// meets a few bands).
    fn band(&mut self, width: f64, squeeze: f64, len: usize) -> &mut [Option<Scan>] {
        let key = (width.to_bits(), squeeze.to_bits());
        let at = match self.0.iter().position(|(band, _)| *band == key) {
            Some(at) => at,
            None => {
                self.0.push((key, vec![None; len]));
                self.0.len() - 1
            }
        };
        &mut self.0[at].1
    }
}

/// The most runs a thread remembers (see [`Run::remembered`]).
const MAX_REMEMBERED: usize = 512;

/// [`scan`], remembered in `band` (see [`Scans::band`]): the same ends
/// (those from `earliest` on) and the same farthest end.
fn scan_remembered(
    band: &mut [Option<Scan>],
    run: &Run,
    start: usize,
    width: f64,
    squeeze: f64,
    earliest: usize,
    out: &mut Vec<(usize, f64)>,
) -> usize {
    let (farthest, ends) = band[start].get_or_insert_with(|| {
        let mut ends = Vec::new();
        let farthest = scan(run, start, width, squeeze, 0, &mut ends);
        (farthest, ends)
    });
    // The ends come in order.
    let from = ends.partition_point(|&(end, _)| end < earliest);
    out.extend_from_slice(&ends[from..]);
    *farthest
}

/// How many characters before its greedy end a line may end in the
/// paragraph search, per line gained: a line a character or two shorter
/// is what copyfit wants; sixteen keeps the search small with room for a
/// long word.
const REACH: usize = 16;

/// The best breaks of a paragraph into exactly `lines` lines poured from
/// `slots[next..]` (a whole-paragraph search, as Knuth and Plass's): no
/// line over its band (punctuation squeezed by up to `squeeze` em), as few
/// gaps wider than [`LOOSE`] as can be and the slack spread evenly, and
/// no one-character last line (孤字). `indent`: the first line is indented
/// two characters. `greedy` are the ends packing each line full: line j
/// ends no later than its greedy end and, to keep the search small, no
/// more than `reach` characters before it. `None` when no breaking takes
/// that many lines.
#[allow(clippy::too_many_arguments)]
fn optimal(
    run: &Run,
    slots: &[Slot],
    next: usize,
    lines: usize,
    squeeze: f64,
    indent: bool,
    greedy: &[usize],
) -> Option<Vec<usize>> {
    let chars = &run.chars;
    let n = run.len();
    if n == 0 || lines == 0 {
        return None;
    }
    // Extra lines push every break earlier; the corridor widens with them.
    let extra = lines.saturating_sub(greedy.len());
    let reach = REACH * (extra + 1);
    let start_of = |p: usize| run.start_of(p);
    let content = |from: usize, to: usize| content(&chars[from..to]);
    // best[j]: for each char p line j may end at, the least badness of j
    // lines ending there and the end of line j - 1. Each row holds only the
    // ends its lines can reach, so a long paragraph takes memory by its
    // lines, not by its lines times its characters.
    let mut scans = run.scans.borrow_mut();
    let mut ends: Vec<(usize, f64)> = Vec::new();
    let mut best: Vec<Row> = Vec::with_capacity(lines + 1);
    best.push(Row {
        lo: 0,
        cells: vec![Some((0.0, 0))],
    });
    for j in 1..=lines {
        let band = slots.get(next + j - 1).map_or(COLUMN, |s| s.width);
        let width = band - if indent && j == 1 { INDENT } else { 0.0 };
        // The latest line j may end: its greedy end (or the text's end).
        let latest = greedy.get(j - 1).copied().unwrap_or(n).max(1);
        let earliest = latest.saturating_sub(reach);
        // Each start, the farthest its line reaches, and the ends it may
        // take (in `ends`, from `range`).
        let mut starts: Vec<(usize, f64, usize, usize, std::ops::Range<usize>)> = Vec::new();
        let band = scans.band(width, squeeze, n);
        for (p, (base, _)) in best[j - 1].entries() {
            let s = if j == 1 { 0 } else { start_of(p) };
            if s < n {
                let from = ends.len();
                let farthest = scan_remembered(band, run, s, width, squeeze, earliest, &mut ends);
                starts.push((p, base, s, farthest, from..ends.len()));
            }
        }
        let hi = starts.iter().map(|&(.., far, _)| far).max().unwrap_or(0);
        let mut row = Row {
            lo: earliest,
            cells: vec![None; (hi + 1).saturating_sub(earliest)],
        };
        for (p, base, s, _, range) in starts {
            for &(end, stretch) in &ends[range] {
                let last = j == lines;
                if last != (start_of(end) >= n) {
                    continue;
                }
                let badness = if last {
                    // No 孤字, unless the paragraph is one line.
                    if lines > 1 && content(s, end) < 2 {
                        1000.0
                    } else {
                        0.0
                    }
                } else {
                    badness(stretch)
                };
                let total = base + badness;
                let cell = &mut row.cells[end - earliest];
                if cell.is_none_or(|(b, _)| total < b - 1e-12) {
                    *cell = Some((total, p));
                }
            }
        }
        ends.clear();
        best.push(row);
    }
    best[lines].get(n)?;
    let mut ends = vec![n];
    let mut p = n;
    for j in (2..=lines).rev() {
        let (_, previous) = best[j].get(p)?;
        ends.push(previous);
        p = previous;
    }
    ends.reverse();
    Some(ends)
}

/// One line of the paragraph search: for each end from `lo`, the least
/// badness of the lines so far ending there, and the previous line's end.
struct Row {
    lo: usize,
    cells: Vec<Option<(f64, usize)>>,
}

impl Row {
    fn get(&self, end: usize) -> Option<(f64, usize)> {
        end.checked_sub(self.lo)
            .and_then(|i| self.cells.get(i).copied().flatten())
    }

    /// The ends reached, first to last.
    fn entries(&self) -> impl Iterator<Item = (usize, (f64, usize))> + '_ {
        self.cells
            .iter()
            .enumerate()
            .filter_map(|(i, cell)| cell.map(|c| (self.lo + i, c)))
    }
}

/// How bad a justified line is whose gaps widen by `gap` em: the square of
/// the gap, and far worse past [`LOOSE`].
fn badness(gap: f64) -> f64 {
    let gap = gap.min(10.0);
    gap * gap
        + if gap > LOOSE {
            100.0 + 1000.0 * (gap - LOOSE)
        } else {
            0.0
        }
}

/// An obstacle in a story's text area, in em from the area's top-left.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
#[serde(tag = "shape", rename_all = "lowercase")]
pub enum Shape {
    /// A rectangle.
    Rect {
        /// Left.
        x: f64,
        /// Top.
        y: f64,
        /// Width.
        w: f64,
        /// Height.
        h: f64,
    },
    /// A circle.
    Circle {
        /// Centre x.
        cx: f64,
        /// Centre y.
        cy: f64,
        /// Radius.
        r: f64,
    },
}

impl Shape {
    /// The x-range the shape (grown by the clearance) covers over the
    /// vertical band [top, bottom], if any.
    fn cover(&self, top: f64, bottom: f64) -> Option<(f64, f64)> {
        match *self {
            Shape::Rect { x, y, w, h } => (bottom > y - CLEARANCE / 2.0
                && top < y + h + CLEARANCE / 2.0)
                .then_some((x - CLEARANCE, x + w + CLEARANCE)),
            Shape::Circle { cx, cy, r } => {
                let r = r + CLEARANCE;
                let dy = if cy < top {
                    top - cy
                } else if cy > bottom {
                    cy - bottom
                } else {
                    0.0
                };
                (dy < r).then(|| {
                    let half = (r * r - dy * dy).sqrt();
                    (cx - half, cx + half)
                })
            }
        }
    }
}

/// The slots of a text area of `columns` × `depth` lines around `shapes`,
/// in reading order (down column 1, then column 2…). Bands narrower than
/// four characters are left empty; bands are whole characters wide and
/// keep to the side of the column away from the obstacle.
pub fn slots(columns: usize, depth: usize, shapes: &[Shape]) -> Vec<Slot> {
    let mut out = Vec::new();
    for column in 0..columns {
        let left = column as f64 * (COLUMN + GUTTER);
        let right = left + COLUMN;
        for line in 0..depth {
            let top = line as f64 * PITCH;
            let bottom = top + 1.0;
            // The free interval: narrow it from whichever side each
            // obstacle intrudes; a covered middle keeps the wider side.
            let (mut a, mut b) = (left, right);
            for shape in shapes {
                if let Some((x0, x1)) = shape.cover(top, bottom) {
                    if x1 <= a || x0 >= b {
                        continue;
                    }
                    let left_room = (x0 - a).max(0.0);
                    let right_room = (b - x1).max(0.0);
                    if left_room >= right_room {
                        b = b.min(x0);
                    } else {
                        a = a.max(x1);
                    }
                }
            }
            let width = (b - a).max(0.0).floor();
            if width >= MIN_BAND {
                let x = if a > left + 1e-6 {
                    right - width - left
                } else {
                    0.0
                };
                out.push(Slot {
                    column,
                    line,
                    x,
                    width,
                });
            }
        }
    }
    out
}

/// Pours paragraphs into slots. `delta[i]` lines are gained (or, when
/// negative, taken out) in paragraph i. Returns the lines and how many
/// slots were left unused, or `None` when the text does not fit.
pub fn pour(
    paragraphs: &[String],
    slots: &[Slot],
    delta: &[i32],
    metrics: &dyn Metrics,
) -> Option<(Vec<ComposedLine>, usize)> {
    pour_in(paragraphs, slots, delta, metrics, None)
}

fn pour_in(
    paragraphs: &[String],
    slots: &[Slot],
    delta: &[i32],
    metrics: &dyn Metrics,
    known: Option<&KnownBreaks>,
) -> Option<(Vec<ComposedLine>, usize)> {
    let mut lines = Vec::new();
    let mut next = 0;
    for (i, paragraph) in paragraphs.iter().enumerate() {
        let (mut more, after) = pour_paragraph(
            paragraph,
            slots,
            next,
            delta.get(i).copied().unwrap_or(0),
            metrics,
            known,
        )?;
        lines.append(&mut more);
        next = after;
    }
    Some((lines, slots.len() - next))
}

/// The breaks of paragraphs in whole columns, by text and delta: a
/// paragraph that meets no photo breaks the same wherever it starts, so
/// pouring a story again and again around its photos breaks again only
/// the paragraphs beside them. One story's own, or (while `watch` runs,
/// see [`super::memo`]) every story's from render to render, so that an
/// edit breaks again only the paragraph edited.
#[derive(Default)]
pub struct KnownBreaks(Mutex<HashMap<String, SetInColumns>>);

/// A paragraph set in whole columns.
struct SetInColumns {
    /// How many lines it takes packed full.
    greedy: usize,
    /// By delta, its lines (their text and setting; where they go is the
    /// slots'), or `None` when it cannot take that many.
    by_delta: HashMap<i32, Option<Vec<ComposedLine>>>,
}

/// The most paragraphs known breaks hold before they start afresh: a long
/// watch session does not grow without end.
const MAX_KNOWN: usize = 10_000;

impl KnownBreaks {
    /// As [`pour`], for the paragraphs these breaks were learnt from.
    pub fn pour(
        &self,
        paragraphs: &[String],
        slots: &[Slot],
        delta: &[i32],
        metrics: &dyn Metrics,
    ) -> Option<(Vec<ComposedLine>, usize)> {
        pour_in(paragraphs, slots, delta, metrics, Some(self))
    }
}

/// Breaks a caption (or any short text) into lines of `width` em, with no
/// one-character last line.
pub fn break_text(text: &str, width: f64, metrics: &dyn Metrics) -> Vec<String> {
    let run = Run::remembered(text, metrics);
    let chars = &run.chars;
    let band = Slot {
        column: 0,
        line: 0,
        x: 0.0,
        width,
    };
    let slots = vec![band; chars.len().max(1)];
    // No indent: captions start flush.
    let fewest = breaks(&run, &slots, 0, false);
    let ends = optimal(&run, &slots, 0, fewest.len(), SQUEEZE, false, &fewest).unwrap_or(fewest);
    let mut lines = Vec::new();
    let mut start = 0;
    for end in ends {
        lines.push(
            chars[start..end]
                .iter()
                .collect::<String>()
                .trim()
                .to_string(),
        );
        start = end;
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cjk::{NO_END, NO_START};

    /// Han and full-width marks 1 em, everything else half.
    struct Fixed;
    impl Metrics for Fixed {
        fn advance(&self, c: char) -> f64 {
            if is_cj(c) || is_cjk_punct(c) {
                1.0
            } else if c == WJ {
                0.0
            } else {
                0.5
            }
        }
    }

    fn lines_of(text: &str, width: f64) -> Vec<String> {
        break_text(text, width, &Fixed)
    }

    fn slot(column: usize, line: usize, x: f64, width: f64) -> Slot {
        Slot {
            column,
            line,
            x,
            width,
        }
    }

    #[test]
    fn a_line_that_fits_only_squeezed_says_it_shrinks() {
        let column = [slot(0, 0, 0.0, 13.0), slot(0, 1, 0.0, 13.0)];
        let set = |text: &str| pour(&[text.into()], &column, &[0], &Fixed).unwrap().0;
        // A paragraph's first line, indented 2 em, has 11 em. Ten Han and
        // a comma ending the line take 10.5 em at their natural width (a
        // comma ending a line takes half): Typst's first-fit breaker
        // finds that line.
        let lines = set("一二三四五六七八九十，甲乙丙");
        assert_eq!(lines[0].text, "一二三四五六七八九十，");
        assert!(lines.iter().all(|l| !l.shrinks), "{lines:?}");
        // With a comma inside too they take 11.5 em: the line fits only
        // with that comma squeezed.
        let lines = set("一二，三四五六七八九十，甲乙丙");
        assert_eq!(lines[0].text, "一二，三四五六七八九十，");
        assert!(lines[0].shrinks, "{lines:?}");
        assert!(!lines[1].shrinks, "{lines:?}");
    }

    #[test]
    fn a_block_is_the_lines_of_one_band_one_under_the_other() {
        let line = |column: usize, line: usize, x: f64, width: f64, shrinks: bool| ComposedLine {
            column,
            line,
            x,
            width,
            text: "一".into(),
            indent: false,
            justify: true,
            spread: false,
            latin_tracking: 0.0,
            shrinks,
        };
        // Column 0 whole; in column 1 a photo takes line 1 and narrows
        // lines 2–3.
        let lines = [
            line(0, 0, 0.0, 13.0, false),
            line(0, 1, 0.0, 13.0, true),
            line(0, 2, 0.0, 13.0, false),
            line(1, 0, 0.0, 13.0, false),
            line(1, 2, 5.0, 8.0, false),
            line(1, 3, 5.0, 8.0, false),
            line(1, 4, 0.0, 13.0, false),
        ];
        let blocks = blocks(&lines);
        let runs: Vec<(usize, usize, f64, f64, usize, bool)> = blocks
            .iter()
            .map(|b| (b.column, b.line, b.x, b.width, b.lines.len(), b.shrinks))
            .collect();
        // Column 0's second line fits only squeezed: a block of its own.
        assert_eq!(
            runs,
            vec![
                (0, 0, 0.0, 13.0, 1, false),
                (0, 1, 0.0, 13.0, 1, true),
                (0, 2, 0.0, 13.0, 1, false),
                (1, 0, 0.0, 13.0, 1, false),
                (1, 2, 5.0, 8.0, 2, false),
                (1, 4, 0.0, 13.0, 1, false),
            ]
        );
        assert!(
            blocks
                .iter()
                .zip([0, 1, 2, 3, 4, 6])
                .all(|(b, first)| b.lines[0] == lines[first])
        );
        assert!(super::blocks(&[]).is_empty());
        // The template takes the lines as these blocks.
        let json = serde_json::to_value(&crate::compose::text::TextArea {
            columns: 2,
            depth: 5,
            lines: lines.to_vec(),
            inlines: Vec::new(),
            shapes: Vec::new(),
            adjustments: Vec::new(),
        })
        .unwrap();
        assert_eq!(json["blocks"].as_array().map(Vec::len), Some(6));
        assert_eq!(json["blocks"][4]["line"], 2);
        assert_eq!(json["blocks"][4]["lines"][1]["text"], "一");
        assert_eq!(json["blocks"][4]["lines"][1].get("line"), None);
    }

    #[test]
    fn thirteen_han_to_a_line() {
        let text = "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳";
        assert_eq!(
            lines_of(text, 13.0),
            vec!["一二三四五六七八九十甲乙丙", "丁戊己庚辛壬癸子丑寅卯辰巳"]
        );
    }

    #[test]
    fn a_comma_at_the_line_end_is_set_at_half_width() {
        // 12 Han and a comma take 12.5 em: the comma stays on the line
        // rather than starting the next one.
        let lines = lines_of("一二三四五六七八九十甲乙，丙丁", 13.0);
        assert_eq!(lines[0], "一二三四五六七八九十甲乙，");
        // 13 Han and a comma do not fit: the 13th Han goes down with it.
        let lines = lines_of("一二三四五六七八九十甲乙丙，丁戊", 13.0);
        assert_eq!(lines[0], "一二三四五六七八九十甲乙");
        assert_eq!(lines[1], "丙，丁戊");
    }

    #[test]
    fn no_line_starts_with_closing_or_ends_with_opening_marks() {
        let lines = lines_of(
            "一二三四五六七八九十甲乙丙丁。戊己“庚辛”壬癸子丑寅卯辰巳午未申酉戌亥“天地”",
            13.0,
        );
        for line in &lines {
            let first = line.chars().next().unwrap();
            let last = line.chars().last().unwrap();
            assert!(!NO_START.contains(first), "{line}");
            assert!(!NO_END.contains(last), "{line}");
        }
    }

    #[test]
    fn words_and_numbers_are_never_split() {
        let lines = lines_of("一二三四五六七八九十甲乙58.04亿元", 13.0);
        assert!(lines.iter().any(|l| l.contains("58.04")), "{lines:?}");
    }

    #[test]
    fn a_caption_never_ends_on_one_character() {
        let lines = lines_of(
            "已建设落成的搬迁安置小区——和美三期。　本报记者 刘金元 摄",
            27.0,
        );
        assert!(
            lines
                .last()
                .unwrap()
                .chars()
                .filter(|c| !c.is_whitespace())
                .count()
                > 1,
            "{lines:?}"
        );
    }

    #[test]
    fn dashes_and_ellipses_stay_whole() {
        let lines = lines_of("一二三四五六七八九十甲乙丙——丁", 14.0);
        assert!(
            lines.iter().all(|l| !l.ends_with('—') || l.ends_with("——")),
            "{lines:?}"
        );
        assert!(lines.iter().all(|l| !l.starts_with('—')), "{lines:?}");
    }

    #[test]
    fn slots_skip_bands_narrower_than_four_characters() {
        // A circle over the gutter between columns 1 and 2.
        let circle = Shape::Circle {
            cx: 13.5,
            cy: 9.0,
            r: 9.0,
        };
        let slots = slots(2, 14, &[circle]);
        assert!(slots.iter().all(|s| s.width >= MIN_BAND));
        assert!(slots.len() < 28, "the circle takes some lines");
        // Column 2's bands beside the circle keep to its right edge.
        for s in slots.iter().filter(|s| s.column == 1 && s.width < COLUMN) {
            assert!((s.x + s.width - COLUMN).abs() < 1e-9);
        }
    }

    #[test]
    fn a_paragraph_can_gain_a_line() {
        let text: String = "中站区精准研判、果断决策、快速行动，创新采取有效措施。".repeat(6);
        let slots = slots(1, 30, &[]);
        let (plain, left) = pour(std::slice::from_ref(&text), &slots, &[0], &Fixed).unwrap();
        let (loose, left_loose) = pour(std::slice::from_ref(&text), &slots, &[1], &Fixed).unwrap();
        // Loosened lines are at most a character or two short.
        let body = &loose[..loose.len() - 1];
        assert!(
            body.iter().all(|l| l.text.chars().count() >= 11),
            "{loose:?}"
        );
        assert_eq!(loose.len(), plain.len() + 1);
        assert_eq!(left_loose, left - 1);
    }

    #[test]
    fn known_breaks_set_the_same_lines_as_breaking_afresh() {
        // Paragraphs in whole columns and beside a circle, plain and
        // copyfitted: whatever the known breaks remember, each pour sets
        // exactly the lines a fresh one does.
        let paragraphs: Vec<String> = [
            "中站区精准研判、果断决策、快速行动，创新采取有效措施。",
            "全区上下齐心协力，坚决打赢疫情防控阻击战，2020年GDP增长3.1%。",
            "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸",
        ]
        .iter()
        .map(|p| p.repeat(3))
        .collect();
        let circle = Shape::Circle {
            cx: 13.5,
            cy: 20.0,
            r: 7.0,
        };
        let known = KnownBreaks::default();
        for depth in [12, 14, 17] {
            for shapes in [vec![], vec![circle]] {
                let slots = slots(2, depth, &shapes);
                for delta in [[0, 0, 0], [1, 0, 0], [0, -1, 1]] {
                    let fresh = pour(&paragraphs, &slots, &delta, &Fixed);
                    let learnt = known.pour(&paragraphs, &slots, &delta, &Fixed);
                    assert_eq!(fresh, learnt, "depth {depth}, {shapes:?}, {delta:?}");
                    // Asked again, the lines come from what was learnt.
                    let again = known.pour(&paragraphs, &slots, &delta, &Fixed);
                    assert_eq!(fresh, again, "depth {depth}, {shapes:?}, {delta:?}");
                }
            }
        }
        assert!(
            !locked(&known.0).is_empty(),
            "whole columns were remembered"
        );
    }

    #[test]
    fn a_line_measured_as_it_grows_measures_as_a_whole() {
        let text: Vec<char> = "增长3.1%，“十四五” 开局（2021—2025）。".chars().collect();
        let mut line = Measure::default();
        for end in 1..=text.len() {
            line.push(text[end - 1], Fixed.advance(text[end - 1]));
            assert_eq!(line.result(), measure(&text[..end], &Fixed), "{end}");
        }
    }

    #[test]
    fn a_paragraph_with_a_line_no_break_can_tighten_can_still_gain_a_line() {
        // A code of 20 Latin characters (10 em) does not break: the line
        // before it is set loose whatever copyfit does. Gaining a line
        // must not be refused for a looseness it does not add.
        let text = format!(
            "{}项目编号ZZQ2020ABCDEFG0123已完成验收。{}",
            "中站区精准研判、果断决策、快速行动。".repeat(2),
            "创新采取有效措施，全区上下齐心协力。".repeat(3)
        );
        let column = slots(1, 40, &[]);
        let one = std::slice::from_ref(&text);
        let (plain, _) = pour(one, &column, &[0], &Fixed).unwrap();
        let loose = |lines: &[ComposedLine]| {
            lines[..lines.len() - 1]
                .iter()
                .filter(|l| {
                    let chars: Vec<char> = l.text.chars().collect();
                    let band = l.width - if l.indent { INDENT } else { 0.0 };
                    stretch(&chars, band, &Fixed) > LOOSE
                })
                .count()
        };
        assert!(loose(&plain) > 0, "the code sets a line loose: {plain:#?}");
        let (longer, _) = pour(one, &column, &[1], &Fixed).expect("a line gained");
        assert_eq!(longer.len(), plain.len() + 1);
        assert!(loose(&longer) <= loose(&plain));
    }

    #[test]
    fn one_scan_measures_each_end_as_a_growing_measure_does() {
        // The second pass the paragraph search made before `scan`: a
        // line grown from the start to the farthest end, measured at each.
        fn two_passes(
            run: &Run,
            s: usize,
            width: f64,
            squeeze: f64,
            earliest: usize,
        ) -> (usize, Vec<(usize, f64)>) {
            let farthest = break_one(run, s, width, squeeze).max(s + 1).min(run.len());
            let mut line = Measure::default();
            let mut ends = Vec::new();
            for end in s + 1..=farthest {
                line.push(run.chars[end - 1], run.advance[end - 1]);
                if end >= earliest && run.legal[end] {
                    ends.push((end, line.stretch(width)));
                }
            }
            (farthest, ends)
        }
        let texts = [
            "新冠肺炎疫情发生后，中站区精准研判、果断决策、快速行动，创新采取“三统一”“三到位”措施。",
            "2020年全区新增贷款58.04亿元，占全市的29.84%，GDP增长1.9%（居全市第一）！是吗？是的。",
            "Typst and 版面 set text: a long-word-that-does-not-break-anywhere-at-all 在这里。",
            "“引号”《书名》——破折号……省略号·间隔号～1～11月\u{2060}连\u{2060}接 end of line.",
            "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十",
        ];
        for text in texts {
            let run = Run::new(text, &Fixed);
            for s in 0..run.len() {
                for width in [3.0, 6.5, 11.0, 13.0, 20.0] {
                    for squeeze in [SQUEEZE, TIGHT] {
                        for earliest in [0, s + 3, s + 9] {
                            let mut ends = Vec::new();
                            let farthest = scan(&run, s, width, squeeze, earliest, &mut ends);
                            let expected = two_passes(&run, s, width, squeeze, earliest);
                            assert_eq!((farthest, ends), expected, "{text:?} from {s} in {width}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_remembered_scan_is_the_scan() {
        // Asked in every order, for ends from every `earliest`: the same
        // ends and farthest end as a scan of its own.
        let text = "2020年全区新增贷款58.04亿元，占全市的29.84%，GDP增长1.9%（居全市第一）！“引号”《书名》——破折号。";
        let run = Run::new(text, &Fixed);
        let mut scans = Scans::default();
        for pass in 0..2 {
            for s in (0..run.len()).rev() {
                for width in [3.0, 6.5, 13.0] {
                    for squeeze in [SQUEEZE, TIGHT] {
                        for earliest in [0, s + 2, s + 9, run.len() + 1] {
                            let (mut direct, mut remembered) = (Vec::new(), Vec::new());
                            let far = scan(&run, s, width, squeeze, earliest, &mut direct);
                            let again = scan_remembered(
                                scans.band(width, squeeze, run.len()),
                                &run,
                                s,
                                width,
                                squeeze,
                                earliest,
                                &mut remembered,
                            );
                            assert_eq!(
                                (far, direct),
                                (again, remembered),
                                "pass {pass}, {s} in {width}"
                            );
                        }
                    }
                }
            }
        }
        // A run is remembered with its scans; the same text in another
        // face starts afresh.
        struct Wider;
        impl Metrics for Wider {
            fn advance(&self, c: char) -> f64 {
                Fixed.advance(c) * 1.1
            }
        }
        let found = |run: &Run| {
            let scans = run.scans.borrow();
            scans.0.iter().flat_map(|(_, band)| band).flatten().count()
        };
        let first = Run::remembered(text, &Fixed);
        scan_remembered(
            first.scans.borrow_mut().band(13.0, SQUEEZE, first.len()),
            &first,
            0,
            13.0,
            SQUEEZE,
            0,
            &mut Vec::new(),
        );
        assert_eq!(found(&first), 1);
        let again = Run::remembered(text, &Fixed);
        assert!(std::rc::Rc::ptr_eq(&first, &again));
        assert_eq!(found(&again), 1);
        assert_eq!(found(&Run::remembered(text, &Wider)), 0);
    }

    #[test]
    fn a_line_ends_at_the_last_break_where_it_fits() {
        let texts = [
            "新冠肺炎疫情发生后，中站区精准研判、果断决策、快速行动，创新采取“三统一”“三到位”措施。",
            "2020年全区新增贷款58.04亿元，占全市的29.84%，GDP增长1.9%（居全市第一）！是吗？是的。",
            "Typst and 版面 set text: a long-word-that-does-not-break-anywhere-at-all 在这里。",
        ];
        for text in texts {
            let run = Run::new(text, &Fixed);
            let n = run.len();
            // Whether the line from `s` to `e` fits `width`: its natural
            // width, or that less what its punctuation may give (half of
            // each squeezable mark but the last, at most `squeeze`).
            let fits = |s: usize, e: usize, width: f64, squeeze: f64| {
                let mut line = Measure::default();
                for i in s..e {
                    line.push(run.chars[i], run.advance[i]);
                }
                let natural = line.result().0;
                let marks: Vec<usize> = (s..e)
                    .filter(|&i| run.chars[i] != ' ' && run.chars[i] != WJ)
                    .collect();
                let give: f64 = marks[..marks.len().saturating_sub(1)]
                    .iter()
                    .filter(|&&i| class_of(run.chars[i]) & SHRINK != 0)
                    .map(|&i| run.advance[i] / 2.0)
                    .sum();
                natural <= width + 1e-6 || natural - give.min(squeeze) <= width + 1e-6
            };
            for s in 0..n {
                for width in [3.0, 6.5, 11.0, 13.0, 20.0] {
                    for squeeze in [SQUEEZE, TIGHT] {
                        let end = break_one(&run, s, width, squeeze);
                        let longest = (s + 1..=n)
                            .filter(|&e| run.legal[e] && fits(s, e, width, squeeze))
                            .max();
                        match longest {
                            Some(longest) => {
                                assert_eq!(end, longest, "{text:?} from {s} in {width}")
                            }
                            // A word longer than the band breaks where it
                            // overflows.
                            None => assert_eq!(end, overflow_end(&run, s, width)),
                        }
                    }
                }
            }
        }
    }
}
