//! What one story can look like as a module of the page, at each span (its
//! columns) and depth (its lines): its headline (引题, 主题, 副题) across
//! the module, its photos in rows (each kept near its aspect, captions
//! under them) or inside the text, and its text in balanced legs. The key
//! figures (数说) are a module too. The page search ([`super::page`]) asks
//! each item for the depths it can take at a span and what each costs.

use serde::Serialize;

use super::grid::{self, EM_PT, GUTTER, PITCH};
use super::lines::{self as compose, Metrics};
use super::text::{Copyfit, Inline, TextArea};
use crate::report::{PhotoPlace, Place};

pub use super::text::{LEG_MAX, LEG_MIN};
/// The most a photo is cropped from its aspect, as a share of one side.
pub const MAX_CROP: f64 = 0.15;
/// Print resolution the composer keeps photos at, where the original allows.
pub const PPI: f64 = 200.0;
/// The most lines of air the composer adds around a headline.
pub const MAX_HEAD_AIR: usize = 3;

/// Weights of the score: what one unit of each fault costs.
pub mod weight {
    /// A photo cropped by its whole side (15 % costs 3).
    pub const CROP: f64 = 20.0;
    /// A photo one column off the width its rank wants.
    pub const PHOTO_SPAN: f64 = 1.5;
    /// Each row of photos (fewer, larger rows read better).
    pub const PHOTO_ROW: f64 = 0.5;
    /// A photo set above its story's headline (to stagger headlines).
    pub const PHOTO_TOP: f64 = 4.0;
    /// The lead story's photo set above its headline.
    pub const LEAD_PHOTO_TOP: f64 = 20.0;
    /// A headline set a size smaller than it could be.
    pub const HEAD_SMALLER: f64 = 2.5;
    /// A line of air added around a headline.
    pub const HEAD_AIR: f64 = 2.0;
    /// A unit of copyfit (a line loosened costs 3, a photo line 1).
    pub const COPYFIT: f64 = 1.0;
    /// A line of a leg outside 8–30 lines, the depths that read best.
    pub const LEG: f64 = 0.3;
    /// A line of the key-figures box beyond what it needs.
    pub const FIGURES_AIR: f64 = 0.7;
    /// A column the lead story is narrower than the page.
    pub const LEAD_SPAN: f64 = 3.0;
    /// A line of a module deeper than 16 lines a column of its width (a
    /// tower).
    pub const TOWER: f64 = 0.5;
    /// A story other than the lead across the whole page (通栏): one is
    /// a strong bottom, a page of them reads as a report, not a newspaper.
    pub const STRIP: f64 = 5.0;
    /// A row of photos beyond the second in one story (photos stacked).
    pub const STACKED_ROW: f64 = 3.0;
    /// A column another story is wider than the lead.
    pub const LEAD_WIDTH: f64 = 8.0;
    /// A second line of air around a rule between stacked modules.
    pub const RULE_AIR: f64 = 1.5;
    /// Two headlines side by side at one height.
    pub const BUMP: f64 = 50.0;
    /// A story read out of the data's order.
    pub const ORDER: f64 = 1.0;
}

/// A story as the composer sees it.
pub struct StoryCopy<'a> {
    /// Index among the report's sections.
    pub section: usize,
    /// 引题, prepared.
    pub kicker: Option<String>,
    /// 主题, the editor's lines, prepared.
    pub headline: Vec<String>,
    /// 副题, prepared, without a typed leading ——.
    pub subhead: Option<String>,
    /// The headline size the data pins, in pt.
    pub size: Option<f64>,
    /// The body.
    pub copy: &'a Copyfit<'a>,
    /// Its photos, the lead photo first.
    pub photos: Vec<PhotoCopy>,
    /// The part of the page the data pins it to.
    pub place: Option<Place>,
    /// 0 for the lead story, then 1, 2… in reading order.
    pub rank: usize,
}

/// A photo as the composer sees it.
#[derive(Debug, Clone)]
pub struct PhotoCopy {
    /// Index among the report's photos.
    pub index: usize,
    /// Index among its section's photos.
    pub local: usize,
    /// Pixels across.
    pub width: u32,
    /// Pixels down.
    pub height: u32,
    /// Caption and credit, as printed.
    pub caption: String,
    /// Pinned span.
    pub columns: Option<usize>,
    /// Pinned place.
    pub place: Option<PhotoPlace>,
    /// Pinned first column inside the text (0-based).
    pub column: Option<usize>,
    /// Pinned first line inside the text (0-based).
    pub line: Option<usize>,
    /// Round.
    pub circle: bool,
    /// The span (in columns, fractional) the page wants it at: see
    /// [`photo_targets`].
    pub target: f64,
}

impl PhotoCopy {
    /// Height over width.
    pub fn aspect(&self) -> f64 {
        f64::from(self.height) / f64::from(self.width.max(1))
    }

    /// Whether the photo prints at [`PPI`] or more in a box `columns` wide
    /// and `height` pt tall (filled, so cropped): always at the narrowest
    /// span, or when pinned, whatever the original has.
    fn sharp(&self, columns: usize, height: f64) -> bool {
        if columns <= 2 || self.columns.is_some() {
            return true;
        }
        let scale =
            (grid::span_pt(columns) / f64::from(self.width)).max(height / f64::from(self.height));
        72.0 / scale >= PPI
    }

    /// The narrowest span it may take: one column for an upright photo (a
    /// 单栏图), two for the rest.
    fn narrowest(&self) -> usize {
        if self.aspect() > 1.2 { 1 } else { 2 }
    }

    /// The widest span at which the photo still prints at [`PPI`].
    fn widest(&self) -> usize {
        let inches = f64::from(self.width) / PPI;
        (1..=grid::COLUMNS)
            .rev()
            .find(|&c| grid::span_pt(c) / 72.0 <= inches)
            .unwrap_or(1)
    }
}

/// Named parts of a score, summed over the page and printed by `plan`.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Terms {
    /// Photos cropped from their aspect.
    pub crop: f64,
    /// Photos off the width their rank wants.
    pub photo_span: f64,
    /// Rows of photos, and photos set above their headline.
    pub photo_rows: f64,
    /// Air added around headlines.
    pub head_air: f64,
    /// Copyfit: lines loosened or tightened, photo sizes inside the text.
    pub copyfit: f64,
    /// Legs deeper or shallower than reads best.
    pub legs: f64,
    /// Air in the key-figures box.
    pub figures_air: f64,
    /// Page terms: the lead story narrower than the page, or under a photo.
    pub lead: f64,
    /// Page terms: another story wider than the lead.
    pub lead_width: f64,
    /// Page terms: headlines side by side at one height.
    pub bumping: f64,
    /// Page terms: the photos' share of the area out of 20–55 %.
    pub photo_share: f64,
    /// Page terms: stories out of the data's order.
    pub order: f64,
    /// Modules much deeper than wide.
    pub shape: f64,
}

impl Terms {
    /// The score: lower is better.
    pub fn total(&self) -> f64 {
        self.named().iter().map(|(_, value)| value).sum()
    }

    /// Each term by name, for `plan`.
    pub fn named(&self) -> [(&'static str, f64); 13] {
        [
            ("crop", self.crop),
            ("photo-span", self.photo_span),
            ("photo-rows", self.photo_rows),
            ("head-air", self.head_air),
            ("copyfit", self.copyfit),
            ("legs", self.legs),
            ("figures-air", self.figures_air),
            ("lead", self.lead),
            ("lead-width", self.lead_width),
            ("bumping", self.bumping),
            ("photo-share", self.photo_share),
            ("order", self.order),
            ("shape", self.shape),
        ]
    }
}

impl std::ops::Add for Terms {
    type Output = Terms;
    fn add(self, o: Terms) -> Terms {
        Terms {
            crop: self.crop + o.crop,
            photo_span: self.photo_span + o.photo_span,
            photo_rows: self.photo_rows + o.photo_rows,
            head_air: self.head_air + o.head_air,
            copyfit: self.copyfit + o.copyfit,
            legs: self.legs + o.legs,
            figures_air: self.figures_air + o.figures_air,
            lead: self.lead + o.lead,
            lead_width: self.lead_width + o.lead_width,
            bumping: self.bumping + o.bumping,
            photo_share: self.photo_share + o.photo_share,
            order: self.order + o.order,
            shape: self.shape + o.shape,
        }
    }
}

/// A headline block, as set.
#[derive(Debug, Clone, Serialize)]
pub struct Head {
    /// Lines of the grid it takes (air included).
    pub lines: usize,
    /// The 主题 size, pt.
    pub size: f64,
    /// 引题 lines.
    pub kicker: Vec<String>,
    /// 主题 lines.
    pub headline: Vec<String>,
    /// 副题 lines (with the leading ——).
    pub subhead: Vec<String>,
}

/// The share of the area the photos aim at, when the copy leaves room.
const PHOTO_SHARE_AIM: f64 = 0.36;
/// The least and most share photos may take (COMPOSITION.md).
pub const PHOTO_SHARE: (f64, f64) = (0.20, 0.55);

/// Sets each photo's target span so that the photos together take about
/// the share of the area the copy leaves them (within 20–55 %), each
/// story's lead photo twice the others, the lead story's half again.
/// `height` is the area's lines; `fixed` the line-columns headlines and
/// the key figures take.
pub fn photo_targets(stories: &mut [StoryCopy], height: usize, fixed: usize) {
    let area = (height * grid::COLUMNS) as f64;
    let text: usize = stories.iter().map(|s| s.copy.plain_lines()).sum();
    let room = (area - text as f64 - fixed as f64) / area;
    let share = room
        .clamp(
            PHOTO_SHARE.0 + 0.03,
            PHOTO_SHARE_AIM.max(PHOTO_SHARE.0 + 0.03),
        )
        .min(PHOTO_SHARE.1 - 0.05);
    let weights: Vec<Vec<f64>> = stories
        .iter()
        .map(|s| {
            (0..s.photos.len())
                .map(|i| {
                    if i == 0 {
                        if s.rank == 0 { 3.0 } else { 2.0 }
                    } else {
                        1.0
                    }
                })
                .collect()
        })
        .collect();
    let total: f64 = weights.iter().flatten().sum();
    if total == 0.0 {
        return;
    }
    let area_pt = grid::span_pt(grid::COLUMNS) * grid::lines_pt(height) * share;
    for (story, weights) in stories.iter_mut().zip(&weights) {
        for (photo, weight) in story.photos.iter_mut().zip(weights) {
            let wanted = area_pt * weight / total;
            // w × w·aspect = wanted.
            let width = (wanted / photo.aspect()).sqrt();
            let columns = (width / grid::EM_PT + GUTTER) / (grid::COLUMN + GUTTER);
            photo.target = columns.clamp(2.0, photo.widest().max(2) as f64);
        }
    }
}

/// Sizes a 主题 may take, largest first: 小一, 二号, 20 pt, 小二, 三号,
/// 小三, 四号.
const HEADLINE_SIZES: [f64; 7] = [24.0, 22.0, 20.0, 18.0, 16.0, 15.0, 14.0];
/// The largest size by rank: the lead story's headline is the largest.
fn largest_for(rank: usize) -> f64 {
    match rank {
        0 => 24.0,
        1 => 22.0,
        _ => 20.0,
    }
}
/// 引题 size (三号) and 副题 size (小三), pt.
const KICKER_PT: f64 = 16.0;
const SUBHEAD_PT: f64 = 15.0;

/// The headline block at a width (em): the size (pinned, or the largest
/// the rank allows that keeps each of the editor's lines on one line) and
/// its height in lines; `None` when no size keeps the lines whole.
/// `smaller`: steps below that size (a smaller headline takes fewer
/// lines, for the page's fit; the lead's never).
pub fn head(story: &StoryCopy, k: usize, smaller: usize, body: &dyn Metrics) -> Option<Head> {
    let width_pt = grid::span_pt(k);
    let longest = story
        .headline
        .iter()
        .map(|l| l.chars().filter(|c| *c != '\u{2060}').count())
        .max()
        .unwrap_or(1) as f64;
    let size = match story.size {
        // A pinned size keeps the editor's lines whole, or the span is out.
        Some(size) if size * longest <= width_pt && smaller == 0 => size,
        Some(_) => return None,
        None if smaller > 0 && story.rank == 0 => return None,
        None => *HEADLINE_SIZES
            .iter()
            .filter(|&&s| s <= largest_for(story.rank))
            .filter(|&&s| s * (longest + 0.5) <= width_pt)
            // Never below 小三, the 副题's size.
            .filter(|&&s| s >= SUBHEAD_PT)
            .nth(smaller)?,
    };
    let wrap = |text: &str, pt: f64| compose::break_text(text, width_pt / pt, body);
    let kicker = story
        .kicker
        .as_deref()
        .map_or_else(Vec::new, |k| wrap(k, KICKER_PT));
    let subhead = story
        .subhead
        .as_deref()
        .map_or_else(Vec::new, |s| wrap(&format!("——{s}"), SUBHEAD_PT));
    // Every line box is one size tall (em-box edges); lines of one
    // paragraph are 0.28 size apart, paragraphs 0.45.
    let leading = 0.28 * size;
    let spacing = 0.45 * size;
    let n = story.headline.len() as f64;
    let mut height = n * size + (n - 1.0) * leading;
    if !kicker.is_empty() {
        let m = kicker.len() as f64;
        height += m * KICKER_PT + (m - 1.0) * leading + spacing;
    }
    if !subhead.is_empty() {
        let m = subhead.len() as f64;
        height += m * SUBHEAD_PT + (m - 1.0) * leading + spacing;
    }
    let pitch = PITCH * EM_PT;
    Some(Head {
        lines: ((height + pitch / 2.0) / pitch).ceil() as usize,
        size,
        kicker,
        headline: story.headline.clone(),
        subhead,
    })
}

/// One photo in a row, as placed in the module.
#[derive(Debug, Clone, Serialize)]
pub struct RowPhoto {
    /// Index among the story's photos (as the story lists them).
    pub photo: usize,
    /// First column, from the module's left.
    pub column: usize,
    /// Columns.
    pub columns: usize,
    /// Caption lines.
    pub caption: Vec<String>,
}

/// A row of photos across the module: one image height, captions under.
#[derive(Debug, Clone, Serialize)]
pub struct PhotoRow {
    /// Lines of image.
    pub image: usize,
    /// Lines of caption (the row's longest).
    pub caption: usize,
    /// The photos, left to right.
    pub photos: Vec<RowPhoto>,
}

impl PhotoRow {
    /// Lines the row takes: image, caption and a line of air under it.
    pub fn lines(&self) -> usize {
        self.image + self.caption + 1
    }
}

/// How one row could be set: spans, and the image lines that keep every
/// photo within its crop.
#[derive(Clone)]
struct RowShape {
    spans: Vec<usize>,
    lo: usize,
    hi: usize,
    caption: Vec<Vec<String>>,
    /// Span terms of the row (its crop depends on the height).
    span_cost: f64,
}

/// The crop of a photo of aspect `a` (h/w) printed `w` pt wide and
/// `image` lines tall: the share of one side cut away.
fn crop(a: f64, w: f64, image: usize) -> f64 {
    let b = grid::image_pt(image) / w;
    1.0 - (b / a).min(a / b)
}

/// The same for a photo inside the text.
fn inline_crop(a: f64, w: f64, image: usize) -> f64 {
    let b = grid::inline_image_pt(image) / w;
    1.0 - (b / a).min(a / b)
}

/// Every way to split `k` columns into `n` spans, each at least `min` (or
/// as pinned).
fn spans(k: usize, pins: &[Option<usize>], mins: &[usize]) -> Vec<Vec<usize>> {
    fn walk(
        left: usize,
        pins: &[Option<usize>],
        mins: &[usize],
        now: &mut Vec<usize>,
        out: &mut Vec<Vec<usize>>,
    ) {
        let i = now.len();
        if i == pins.len() {
            if left == 0 {
                out.push(now.clone());
            }
            return;
        }
        let choices: Vec<usize> = match pins[i] {
            Some(c) => vec![c],
            None => (mins[i]..=left).collect(),
        };
        for c in choices {
            if c <= left {
                now.push(c);
                walk(left - c, pins, mins, now, out);
                now.pop();
            }
        }
    }
    let mut out = Vec::new();
    walk(k, pins, mins, &mut Vec::new(), &mut out);
    out
}

/// A row of `group` side by side at the columns of `split`: the image
/// lines each photo's crop allows them all, what the spans cost, and the
/// captions; `None` when no height fits them all or a photo would print
/// wider than its pixels allow.
fn row_shape(group: &[&PhotoCopy], split: Vec<usize>, kai: &dyn Metrics) -> Option<RowShape> {
    let mut lo = 1;
    let mut hi = usize::MAX;
    let mut span_cost = weight::PHOTO_ROW;
    let mut fine = true;
    for (p, &c) in group.iter().zip(&split) {
        let w = grid::span_pt(c);
        let a = p.aspect();
        // Image lines within the crop limit.
        let lines_for = |h: f64| (h + (PITCH - 1.0) * EM_PT) / (PITCH * EM_PT);
        let l0 = lines_for(w * a * (1.0 - MAX_CROP)).ceil() as usize;
        let l1 = lines_for(w * a / (1.0 - MAX_CROP)).floor() as usize;
        lo = lo.max(l0);
        hi = hi.min(l1);
        if c > p.widest() && p.columns.is_none() && c > 2 {
            fine = false;
        }
        span_cost += weight::PHOTO_SPAN * (c as f64 - p.target).abs();
    }
    // No photo over a quarter of the page.
    if group
        .iter()
        .zip(&split)
        .any(|(_, &c)| grid::span_pt(c) * grid::image_pt(hi.min(200)) > grid::page_area_pt() / 4.0)
    {
        hi = (lo..=hi.min(200))
            .rev()
            .find(|&l| {
                split
                    .iter()
                    .all(|&c| grid::span_pt(c) * grid::image_pt(l) <= grid::page_area_pt() / 4.0)
            })
            .unwrap_or(0);
    }
    if !fine || lo > hi {
        return None;
    }
    let caption = group
        .iter()
        .zip(&split)
        .map(|(p, &c)| compose::break_text(&p.caption, grid::span(c), kai))
        .collect();
    Some(RowShape {
        spans: split,
        lo,
        hi,
        caption,
        span_cost,
    })
}

/// The cheapest way to set photos i.. in some lines: (cost, terms, photos
/// in the first row, its shape, its image lines).
type RowStep = Option<(f64, Terms, usize, usize, usize)>;

/// The photo rows of a story at one span: for each total of lines, the
/// cheapest rows that take exactly that many.
pub struct RowTable {
    /// cost[i][r]: cheapest way to set photos i.. in r lines.
    best: Vec<Vec<RowStep>>,
    shapes: Vec<Vec<RowShape>>,
    photos: Vec<usize>,
    /// Each photo's index among its section's photos (the template's).
    locals: Vec<usize>,
}

impl RowTable {
    /// Builds the table for `photos` (indices into the story's photos, the
    /// lead first) across `k` columns, up to `max_lines`.
    pub fn new(
        story: &StoryCopy,
        photos: &[usize],
        k: usize,
        max_lines: usize,
        kai: &dyn Metrics,
    ) -> Self {
        let m = photos.len();
        // Shapes of a row starting at photo i with j photos.
        let mut shapes: Vec<Vec<RowShape>> = vec![Vec::new(); m * 5];
        for i in 0..m {
            for j in 1..=4.min(m - i) {
                let group: Vec<&PhotoCopy> =
                    photos[i..i + j].iter().map(|&p| &story.photos[p]).collect();
                let pins: Vec<Option<usize>> =
                    group.iter().map(|p| p.columns.map(|c| c.min(k))).collect();
                let mins: Vec<usize> = group.iter().map(|p| p.narrowest()).collect();
                shapes[i * 5 + j] = spans(k, &pins, &mins)
                    .into_iter()
                    .filter_map(|split| row_shape(&group, split, kai))
                    .collect();
            }
        }
        // best[i][r]: photos i.. in exactly r lines.
        let mut best: Vec<Vec<RowStep>> = vec![vec![None; max_lines + 1]; m + 1];
        best[m][0] = Some((0.0, Terms::default(), 0, 0, 0));
        for i in (0..m).rev() {
            for j in 1..=4.min(m - i) {
                for (s, shape) in shapes[i * 5 + j].iter().enumerate() {
                    let caption = shape.caption.iter().map(Vec::len).max().unwrap_or(0);
                    for image in shape.lo..=shape.hi {
                        let row = image + caption + 1;
                        if row > max_lines {
                            break;
                        }
                        let sharp = photos[i..i + j]
                            .iter()
                            .zip(&shape.spans)
                            .all(|(&p, &c)| story.photos[p].sharp(c, grid::image_pt(image)));
                        if !sharp {
                            continue;
                        }
                        let crop_cost: f64 = photos[i..i + j]
                            .iter()
                            .zip(&shape.spans)
                            .map(|(&p, &c)| crop(story.photos[p].aspect(), grid::span_pt(c), image))
                            .sum::<f64>()
                            * weight::CROP;
                        for r in 0..=max_lines - row {
                            let Some((rest, rest_terms, ..)) = best[i + j][r] else {
                                continue;
                            };
                            let terms = rest_terms
                                + Terms {
                                    crop: crop_cost,
                                    photo_span: shape.span_cost - weight::PHOTO_ROW,
                                    photo_rows: weight::PHOTO_ROW,
                                    ..Terms::default()
                                };
                            let cost = rest + crop_cost + shape.span_cost;
                            let slot = &mut best[i][r + row];
                            if slot.is_none_or(|(c, ..)| cost < c - 1e-9) {
                                *slot = Some((cost, terms, j, s, image));
                            }
                        }
                    }
                }
            }
        }
        Self {
            best,
            shapes,
            photos: photos.to_vec(),
            locals: photos.iter().map(|&p| story.photos[p].local).collect(),
        }
    }

    /// The cheapest rows taking exactly `lines`, with their terms.
    pub fn cost(&self, lines: usize) -> Option<(f64, Terms)> {
        self.best
            .first()?
            .get(lines)
            .copied()
            .flatten()
            .map(|(c, t, ..)| (c, t))
    }

    /// How many rows the cheapest rows taking exactly `lines` have.
    pub fn rows_count(&self, lines: usize) -> usize {
        let (mut i, mut r, mut count) = (0, lines, 0);
        while i < self.photos.len() {
            let Some((_, _, j, s, image)) = self.best[i].get(r).copied().flatten() else {
                break;
            };
            let shape = &self.shapes[i * 5 + j][s];
            let caption = shape.caption.iter().map(Vec::len).max().unwrap_or(0);
            r -= image + caption + 1;
            i += j;
            count += 1;
        }
        count
    }

    /// Whether the story has photos in rows at all.
    pub fn is_empty(&self) -> bool {
        self.photos.is_empty()
    }

    /// The rows taking exactly `lines`.
    pub fn rows(&self, lines: usize) -> Vec<PhotoRow> {
        let mut out = Vec::new();
        let (mut i, mut r) = (0, lines);
        while i < self.photos.len() {
            let Some((_, _, j, s, image)) = self.best[i][r] else {
                break;
            };
            let shape = &self.shapes[i * 5 + j][s];
            let caption = shape.caption.iter().map(Vec::len).max().unwrap_or(0);
            let mut column = 0;
            let photos = (0..j)
                .map(|q| {
                    let placed = RowPhoto {
                        photo: self.locals[i + q],
                        column,
                        columns: shape.spans[q],
                        caption: shape.caption[q].clone(),
                    };
                    column += shape.spans[q];
                    placed
                })
                .collect();
            let row = PhotoRow {
                image,
                caption,
                photos,
            };
            r -= row.lines();
            out.push(row);
            i += j;
        }
        out
    }
}

/// Photos in the top right corner of the text area, side by side at one
/// image height, the text beside and under them (each caption under its
/// image, in its columns).
#[derive(Debug, Clone)]
pub struct Corner {
    /// Indices into the story's photos, left to right.
    pub photos: Vec<usize>,
    /// Their columns.
    pub spans: Vec<usize>,
    /// Image lines.
    pub image: usize,
}

impl Corner {
    /// Columns the corner takes.
    pub fn columns(&self) -> usize {
        self.spans.iter().sum()
    }
}

/// One way to set a story's text at a span.
pub struct TextOption {
    /// Lines of the text area.
    pub depth: usize,
    /// Its cost.
    pub cost: f64,
    /// Its terms.
    pub terms: Terms,
    /// The area, worked out (without a corner photo).
    pub area: Option<TextArea>,
    /// The corner photo (the area is worked out when chosen).
    pub corner: Option<Corner>,
}

/// The text of a story at one span: the depths it balances at.
pub struct TextOptions {
    /// Every option, by depth.
    pub options: Vec<TextOption>,
    /// The photos corner options may take: the story's last free ones.
    pub corner_photos: Vec<usize>,
}

/// The photos pinned inside the text, as the text setter takes them, for
/// a story at span `k`; `Err` names the photo whose pin does not fit.
pub fn inlines(story: &StoryCopy, k: usize) -> Result<Vec<Inline>, usize> {
    // `Inline::photo` is the photo's index among its section's photos, as
    // the template finds it.
    story
        .photos
        .iter()
        .enumerate()
        .filter(|(_, p)| p.place == Some(PhotoPlace::Inline))
        .map(|(i, p)| {
            let columns = p.columns.unwrap_or(if p.circle { 2 } else { 2.min(k) });
            let column = p.column.unwrap_or(k.saturating_sub(columns));
            if columns > k || column + columns > k {
                return Err(i);
            }
            Ok(Inline {
                photo: p.local,
                column,
                columns,
                line: p.line.unwrap_or(0),
                circle: p.circle,
                aspect: p.aspect(),
                caption: p.caption.clone(),
            })
        })
        .collect()
}

impl TextOptions {
    /// Balanced text areas at every depth copyfit reaches, legs within
    /// [`LEG_MIN`]–[`LEG_MAX`]; with no photo pinned inside, also with the
    /// story's last free photo in the text's top right corner.
    pub fn new(story: &StoryCopy, k: usize, inside: &[Inline], kai: &dyn Metrics) -> Self {
        let mut options = Vec::new();
        for depth in story.copy.depths(k, inside) {
            if !(LEG_MIN..=LEG_MAX).contains(&depth) {
                continue;
            }
            if let Some((cost, area)) = story.copy.at(k, depth, inside).filter(|(_, a)| a.legs_ok())
            {
                let terms = Terms {
                    copyfit: weight::COPYFIT * cost as f64,
                    legs: leg_cost(depth),
                    ..Terms::default()
                };
                options.push(TextOption {
                    depth,
                    cost: terms.total(),
                    terms,
                    area: Some(area),
                    corner: None,
                });
            }
        }
        // The last free photos (least important first), up to three.
        let corner_photos: Vec<usize> = if inside.is_empty() && k >= 3 {
            let free: Vec<usize> = (0..story.photos.len())
                .filter(|&p| story.photos[p].place.is_none())
                .collect();
            free.iter().rev().take(3).rev().copied().collect()
        } else {
            Vec::new()
        };
        for r in 1..=corner_photos.len() {
            let photos = &corner_photos[corner_photos.len() - r..];
            options.extend(corners(story, k, photos, kai));
        }
        Self {
            options,
            corner_photos,
        }
    }
}

/// The cheapest corner option at each depth for `photos` side by side:
/// every split of columns and image height within every photo's crop, the
/// text's balance worked out by arithmetic (every slot left is a whole
/// column).
fn corners(story: &StoryCopy, k: usize, photos: &[usize], kai: &dyn Metrics) -> Vec<TextOption> {
    let mut best: Vec<Option<TextOption>> = (0..=LEG_MAX).map(|_| None).collect();
    let group: Vec<&PhotoCopy> = photos.iter().map(|&p| &story.photos[p]).collect();
    let pins: Vec<Option<usize>> = group.iter().map(|p| p.columns).collect();
    let mins: Vec<usize> = group.iter().map(|p| p.narrowest()).collect();
    for width in mins.iter().sum::<usize>()..k {
        for split in spans(width, &pins, &mins) {
            if group
                .iter()
                .zip(&split)
                .any(|(p, &c)| c > p.widest().max(2))
            {
                continue;
            }
            let corner = CornerShape::new(&group, split, kai);
            for (depth, slot) in best.iter_mut().enumerate().skip(LEG_MIN) {
                for image in corner.lo..=corner.hi {
                    if !group
                        .iter()
                        .zip(&corner.spans)
                        .all(|(p, &c)| p.sharp(c, grid::inline_image_pt(image)))
                    {
                        continue;
                    }
                    let blocked: Vec<usize> =
                        corner.captions.iter().map(|cap| image + cap + 1).collect();
                    if blocked.iter().any(|&b| b > depth) {
                        break;
                    }
                    let Some(option) = corner.at(story, k, photos, depth, image, &blocked) else {
                        continue;
                    };
                    if slot.as_ref().is_none_or(|o| option.cost < o.cost - 1e-9) {
                        *slot = Some(option);
                    }
                }
            }
        }
    }
    best.into_iter().flatten().collect()
}

/// Photos side by side in the text's corner at one split of columns: the
/// image heights their crops allow, their captions' lines, what the spans
/// cost.
struct CornerShape<'a> {
    group: &'a [&'a PhotoCopy],
    spans: Vec<usize>,
    captions: Vec<usize>,
    lo: usize,
    hi: usize,
    span_cost: f64,
}

impl<'a> CornerShape<'a> {
    fn new(group: &'a [&'a PhotoCopy], spans: Vec<usize>, kai: &dyn Metrics) -> Self {
        let captions: Vec<usize> = group
            .iter()
            .zip(&spans)
            .map(|(p, &c)| compose::break_text(&p.caption, grid::span(c), kai).len())
            .collect();
        // Inside the text a photo's image leaves a character of air above
        // its caption.
        let lines_for = |h: f64| (h + EM_PT) / (PITCH * EM_PT);
        let lo = group
            .iter()
            .zip(&spans)
            .map(|(p, &c)| {
                lines_for(grid::span_pt(c) * p.aspect() * (1.0 - MAX_CROP)).ceil() as usize
            })
            .max()
            .unwrap_or(1)
            .max(1);
        let hi = group
            .iter()
            .zip(&spans)
            .map(|(p, &c)| {
                lines_for(grid::span_pt(c) * p.aspect() / (1.0 - MAX_CROP)).floor() as usize
            })
            .min()
            .unwrap_or(0);
        let span_cost: f64 = group
            .iter()
            .zip(&spans)
            .map(|(p, &c)| weight::PHOTO_SPAN * (c as f64 - p.target).abs())
            .sum();
        Self {
            group,
            spans,
            captions,
            lo,
            hi,
            span_cost,
        }
    }

    /// The text option with the corner's images `image` lines tall in a
    /// text `depth` lines deep (`blocked`: the lines each photo takes from
    /// its columns), when the legs under the photos are deep enough and
    /// copyfit balances the columns.
    fn at(
        &self,
        story: &StoryCopy,
        k: usize,
        photos: &[usize],
        depth: usize,
        image: usize,
        blocked: &[usize],
    ) -> Option<TextOption> {
        if blocked
            .iter()
            .any(|&b| depth - b != 0 && depth - b < LEG_MIN)
        {
            return None;
        }
        let taken: usize = blocked.iter().zip(&self.spans).map(|(b, c)| b * c).sum();
        let balance = (k * depth - taken) as i64 - story.copy.plain_lines() as i64;
        let fit = story.copy.fit_cost(balance)?;
        let under = blocked
            .iter()
            .map(|&b| depth - b)
            .filter(|&u| u > 0)
            .map(leg_cost)
            .sum::<f64>();
        let terms = Terms {
            crop: weight::CROP
                * self
                    .group
                    .iter()
                    .zip(&self.spans)
                    .map(|(p, &c)| inline_crop(p.aspect(), grid::span_pt(c), image))
                    .sum::<f64>(),
            photo_span: self.span_cost,
            photo_rows: weight::PHOTO_ROW,
            copyfit: weight::COPYFIT * fit as f64,
            legs: leg_cost(depth) + under,
            ..Terms::default()
        };
        Some(TextOption {
            depth,
            cost: terms.total(),
            terms,
            area: None,
            corner: Some(Corner {
                photos: photos.to_vec(),
                spans: self.spans.clone(),
                image,
            }),
        })
    }
}

/// The corner's photos as the text setter takes them.
pub fn corner_inlines(story: &StoryCopy, k: usize, corner: &Corner) -> Vec<Inline> {
    let mut column = k - corner.columns();
    corner
        .photos
        .iter()
        .zip(&corner.spans)
        .map(|(&photo, &c)| {
            let p = &story.photos[photo];
            let inline = Inline {
                photo: p.local,
                column,
                columns: c,
                line: 0,
                circle: false,
                aspect: p.aspect(),
                caption: p.caption.clone(),
            };
            column += c;
            inline
        })
        .collect()
}

/// The cost of legs `depth` deep.
pub fn leg_cost(depth: usize) -> f64 {
    let off = 8usize.saturating_sub(depth) + depth.saturating_sub(30);
    weight::LEG * off as f64
}

/// The key figures as a module, set on the grid: a line of inset, the
/// title (two lines), then rows of figures — the value (two lines of 小一)
/// and the label's lines — a line apart, a line of inset.
pub struct FiguresShape {
    /// Columns of figures inside the box.
    pub across: usize,
    /// Label lines of each item.
    pub labels: Vec<Vec<String>>,
    /// Lines the box needs.
    pub natural: usize,
}

/// Lines a figure's value takes (小一, 24 pt, on a 13.5 pt grid).
pub const FIGURE_VALUE_LINES: usize = 2;
/// Lines the box's title takes (三号 and air).
pub const FIGURES_TITLE_LINES: usize = 2;

/// Lines and label breaks of the key-figures box at span `k`.
pub fn figures_shape(title: bool, labels: &[String], k: usize, kai: &dyn Metrics) -> FiguresShape {
    let across = if k >= 6 { 4 } else { 2 };
    // The box has a one-character inset each side and gutters between.
    let inner = grid::span(k) - 2.0 - (across as f64 - 1.0);
    let column = (inner / across as f64).floor();
    let labels: Vec<Vec<String>> = labels
        .iter()
        .map(|l| compose::break_text(l, column, kai))
        .collect();
    let rows: usize = labels
        .chunks(across)
        .map(|row| FIGURE_VALUE_LINES + row.iter().map(Vec::len).max().unwrap_or(1) + 1)
        .sum();
    FiguresShape {
        across,
        labels,
        natural: 1 + if title { FIGURES_TITLE_LINES } else { 0 } + rows,
    }
}
