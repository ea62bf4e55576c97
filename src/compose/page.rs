//! The search for the page: which module goes where, at which span and
//! depth, so that the modules tile the area under the title band with no
//! hole, the lead story on top and widest, headlines staggered.
//!
//! The space searched is the guillotine partitions of the grid: the area
//! is one module, or two rectangles stacked (a rule line between) or side
//! by side (a rule in the gutter), each tiled the same way. Stories keep
//! their reading order along the partition (top before bottom, left before
//! right), the lead first; the key figures go after the lead or last. When
//! the data pins a side column (`[newspaper] main`, or a story's `place`),
//! the first cut is that column.
//!
//! Each story has, at every span, the depths it can take and what each
//! costs ([`super::module`]); a dynamic programme over (run of items,
//! width, depth, which top corners start with a headline) finds the
//! cheapest exact tiling for each span of the lead. Page terms (photo
//! share, bumping headlines, order) are added and the cheapest page wins.
//! Ties keep the first found: the search is deterministic.

use rayon::prelude::*;

use std::sync::{Arc, LazyLock};

use super::grid::COLUMNS;
use super::lines::Metrics;
use super::memo::{self, Memo, StoryKey};
use super::module::{self, FiguresShape, Head, RowTable, StoryCopy, Terms, TextOptions, weight};
use super::plan::{Arrangement, Placed, PlacedModule};
use crate::report::Place;

/// One thing to place: a story or the key figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Item {
    /// A story, by its index in the composer's list.
    Story(usize),
    /// The key-figures box.
    Figures,
}

/// What an item can be at one depth: its cost, terms, and how to build it.
#[derive(Debug, Clone, Copy)]
struct Option_ {
    cost: f64,
    terms: Terms,
    /// Index into the span's text areas (stories).
    text: usize,
    /// Lines of air added to the headline (stories) or the box (figures).
    air: usize,
    /// Where its headline is: lines from the module's top, and its lines
    /// (0 for the key figures).
    head: (usize, usize),
    /// Which of the span's headline sizes (0 the largest).
    size: usize,
}

/// Everything a story can be at one span.
struct AtSpan {
    /// The headline at its largest size, and a size or two smaller.
    heads: Vec<Head>,
    texts: TextOptions,
    /// Rows of every photo not inside the text.
    rows: RowTable,
    /// Rows without the corner's photos, by how many the corner takes.
    rows_corner: Vec<RowTable>,
    /// by depth: [headline on top, a photo row on top].
    by_depth: Vec<[Option<Option_>; 2]>,
}

/// What stories could be, by story, span and height, while
/// [`memo::remember`] is on.
static SPANS: LazyLock<Memo<SpanKey, Option<Arc<AtSpan>>>> = LazyLock::new(Memo::default);

/// A story, a span, the area's height.
type SpanKey = (Arc<StoryKey>, usize, usize);

/// The key figures' input.
pub struct FiguresCopy {
    /// Whether the box has a title.
    pub title: bool,
    /// The labels, prepared.
    pub labels: Vec<String>,
}

/// The composer's inputs and what it learnt about each item.
pub struct Composer<'a> {
    stories: &'a [StoryCopy<'a>],
    figures: Option<&'a FiguresCopy>,
    /// Lines of the area the modules tile.
    height: usize,
    /// The wide part's columns, when the data pins them.
    main_pin: Option<usize>,
    /// [story][span] (span 0 and 1 unused).
    spans: Vec<Vec<Option<Arc<AtSpan>>>>,
    /// [span]: the figures box.
    figure_spans: Vec<Option<FiguresShape>>,
    /// Arrangements tried (tier choices looked at).
    pub tried: usize,
}

/// A family of pages: the items in reading order and, when the data pins a
/// side column, its width and items.
type Family = (Vec<Item>, Option<(usize, Vec<Item>)>);

/// The side column's table: (cost, depth of the last item, photo on top,
/// rule lines above it).
type StackStep = Option<(f64, usize, bool, usize)>;

/// The most lines of air the title band takes to let the area fit.
const MAX_BAND_AIR: usize = 2;

/// The narrowest module.
const MIN_SPAN: usize = 2;

impl<'a> Composer<'a> {
    /// Works out every item's options at every span.
    pub fn new(
        stories: &'a [StoryCopy<'a>],
        figures: Option<&'a FiguresCopy>,
        height: usize,
        main_pin: Option<usize>,
        body: &dyn Metrics,
        kai: &dyn Metrics,
    ) -> Self {
        // Every (story, span) on its own: the longest part of composing,
        // spread over the cores. The stories' caches are shared and
        // locked; what each pair finds does not depend on the order.
        // The longest stories' pairs go first, one task each, so that no
        // core is left with a long pair at the end while the other idles.
        let mut pairs: Vec<(usize, usize)> = (0..stories.len())
            .flat_map(|s| (0..=COLUMNS).map(move |k| (s, k)))
            .collect();
        pairs.sort_by_key(|&(s, k)| (std::cmp::Reverse(stories[s].copy.plain_lines()), k));
        // While `watch` runs, what a story can be is remembered: an edit
        // works out again only the story it touched.
        let keys: Option<Vec<Arc<StoryKey>>> = memo::remembering().then(|| {
            SPANS.round();
            stories.iter().map(|s| Arc::new(StoryKey::of(s))).collect()
        });
        let found: Vec<Option<Arc<AtSpan>>> = pairs
            .par_iter()
            .with_max_len(1)
            .map(|&(s, k)| {
                let story = &stories[s];
                // With a pinned side column, a story in it takes its width
                // and one beside it no more than the wide part's.
                let widest = match (main_pin, story.place) {
                    (Some(main), Some(Place::Side)) => (COLUMNS - main, COLUMNS - main),
                    (Some(main), _) => (MIN_SPAN, main),
                    (None, Some(Place::Side)) => (MIN_SPAN, COLUMNS - MIN_SPAN),
                    (None, _) => (MIN_SPAN, COLUMNS),
                };
                if k < widest.0 || k > widest.1 {
                    return None;
                }
                let make = || at_span(story, k, height, body, kai).map(Arc::new);
                match &keys {
                    Some(keys) => {
                        let key = (Arc::clone(&keys[s]), k, height);
                        Option::clone(&SPANS.get_or(key, make))
                    }
                    None => make(),
                }
            })
            .collect();
        let mut spans: Vec<Vec<Option<Arc<AtSpan>>>> = vec![vec![None; COLUMNS + 1]; stories.len()];
        for (&(s, k), at) in pairs.iter().zip(found) {
            spans[s][k] = at;
        }
        let figure_spans = (0..=COLUMNS)
            .map(|k| {
                let f = figures?;
                (k >= MIN_SPAN).then(|| module::figures_shape(f.title, &f.labels, k, kai))
            })
            .collect();
        Self {
            stories,
            figures,
            height,
            main_pin,
            spans,
            figure_spans,
            tried: 0,
        }
    }

    /// The cheapest way for `item` to be `depth` lines deep at span `k`.
    fn option(&self, item: Item, k: usize, depth: usize, photo_top: bool) -> Option<Option_> {
        match item {
            Item::Story(s) => {
                self.spans[s][k].as_ref()?.by_depth.get(depth)?[usize::from(photo_top)]
            }
            Item::Figures => {
                if photo_top {
                    return None;
                }
                let shape = self.figure_spans[k].as_ref()?;
                let air = depth.checked_sub(shape.natural)?;
                // Up to half again as deep as it needs.
                (air <= shape.natural / 2 + 2).then(|| {
                    let terms = Terms {
                        figures_air: weight::FIGURES_AIR * air as f64,
                        ..Terms::default()
                    };
                    Option_ {
                        cost: terms.total(),
                        terms,
                        text: 0,
                        air,
                        head: (0, 0),
                        size: 0,
                    }
                })
            }
        }
    }

    /// Searches every family and returns the cheapest page.
    pub fn compose(&mut self) -> Option<Arrangement> {
        // When no page fills the area exactly, the title band takes a line
        // or two more air and the area is searched again.
        // A page that still breaks a page rule (headlines bumping, the lead
        // narrower, photos out of share) is kept only if no other is found.
        let full = self.height;
        let mut fallback = None;
        for air in 0..=MAX_BAND_AIR {
            self.height = full - air;
            if let Some(page) = self.search() {
                let page = Arrangement {
                    band_air: air,
                    ..page
                };
                let t = &page.terms;
                if t.bumping == 0.0 && t.lead_width == 0.0 && t.photo_share == 0.0 {
                    self.height = full;
                    return Some(page);
                }
                fallback.get_or_insert(page);
            }
        }
        self.height = full;
        fallback
    }

    /// The cheapest page of every family, at the area's current height.
    fn search(&mut self) -> Option<Arrangement> {
        let n = self.stories.len();
        let pinned = self.main_pin.is_some() || self.stories.iter().any(|s| s.place.is_some());
        let families = self.families();
        // The data's own order comes first; the other orders are searched
        // only when it gives no page that keeps every page rule.
        let first_orders = if pinned {
            families.len()
        } else if self.figures.is_some() && n > 1 {
            2
        } else {
            1
        };
        let mut best: Option<Arrangement> = None;
        for (f, (items, side)) in families.iter().enumerate() {
            if f == first_orders
                && best.as_ref().is_some_and(|b| {
                    b.terms.bumping == 0.0
                        && b.terms.lead_width == 0.0
                        && b.terms.photo_share == 0.0
                })
            {
                break;
            }
            // First without a fixed span for the lead (a wide lead costs
            // less); then, if another story came out wider, with the lead
            // at each span and no story wider.
            let mut page = self.family(items, side.as_ref(), None);
            if page.as_ref().is_some_and(|p| p.terms.lead_width > 0.0) {
                for lead in (MIN_SPAN..=COLUMNS).rev() {
                    let pinned = self.family(items, side.as_ref(), Some(lead));
                    if pinned.as_ref().is_some_and(|p| {
                        page.as_ref()
                            .is_none_or(|b| p.terms.total() < b.terms.total() - 1e-9)
                    }) {
                        page = pinned;
                    }
                }
            }
            if let Some(page) = page
                && best
                    .as_ref()
                    .is_none_or(|b| page.terms.total() < b.terms.total() - 1e-9)
            {
                best = Some(page);
            }
        }
        best.map(|page| Arrangement {
            tried: self.tried,
            ..page
        })
    }

    /// The families of pages to search: the item sequence (reading order,
    /// the key figures after the lead or last) and, when the data pins a
    /// side column, the split between the wide part and the side column.
    fn families(&self) -> Vec<Family> {
        let n = self.stories.len();
        let stories: Vec<Item> = (0..n).map(Item::Story).collect();
        let pinned = self.main_pin.is_some() || self.stories.iter().any(|s| s.place.is_some());
        let mut families: Vec<Family> = Vec::new();
        if pinned {
            let side_stories: Vec<Item> = (0..n)
                .filter(|&s| self.stories[s].place == Some(Place::Side))
                .map(Item::Story)
                .collect();
            let main: Vec<Item> = stories
                .iter()
                .copied()
                .filter(|i| !side_stories.contains(i))
                .collect();
            let widths: Vec<usize> = match self.main_pin {
                Some(main) => vec![main],
                None if side_stories.is_empty() => vec![COLUMNS],
                None => vec![6, 5],
            };
            for wide in widths {
                let mut side: Vec<Item> = self.figures.iter().map(|_| Item::Figures).collect();
                side.extend(&side_stories);
                if wide == COLUMNS {
                    let mut all = main.clone();
                    all.extend(&side);
                    families.push((all, None));
                } else {
                    families.push((main.clone(), Some((wide, side.clone()))));
                    if self.figures.is_some() && !side_stories.is_empty() {
                        let mut main = main.clone();
                        main.push(Item::Figures);
                        families.push((main, Some((wide, side_stories.clone()))));
                    }
                }
            }
        } else {
            // The data's order, and each story but the lead moved last or
            // up beside the lead (a story the page reads out of order
            // costs); the key figures after the lead or last.
            let mut orders = vec![stories.clone()];
            for s in 1..n.saturating_sub(1) {
                let mut order: Vec<Item> = stories
                    .iter()
                    .copied()
                    .filter(|&i| i != Item::Story(s))
                    .collect();
                order.push(Item::Story(s));
                orders.push(order);
            }
            // And each moved up beside the lead.
            for s in 2..n {
                let mut order: Vec<Item> = stories
                    .iter()
                    .copied()
                    .filter(|&i| i != Item::Story(s))
                    .collect();
                order.insert(1, Item::Story(s));
                orders.push(order);
            }
            for order in orders {
                if self.figures.is_some() {
                    let mut last = order.clone();
                    last.push(Item::Figures);
                    families.push((last, None));
                    if n > 1 {
                        let mut early = order.clone();
                        early.insert(1, Item::Figures);
                        families.push((early, None));
                    }
                } else {
                    families.push((order, None));
                }
            }
        }
        families
    }

    /// The cheapest page of one family: `items` across the page, or beside
    /// a side column of `side` when the data pins one.
    fn family(
        &mut self,
        items: &[Item],
        side: Option<&(usize, Vec<Item>)>,
        lead: Option<usize>,
    ) -> Option<Arrangement> {
        let h = self.height;
        let leaves = match side {
            None => {
                let table = self.tile(items, lead);
                table.best(0, items.len(), COLUMNS, h)?;
                table.leaves(0, items.len(), COLUMNS, h, 0, 0)
            }
            Some((wide, side_items)) => {
                if lead.is_some_and(|l| l > *wide) {
                    return None;
                }
                let left = self.tile(items, lead);
                left.best(0, items.len(), *wide, h)?;
                let mut leaves = left.leaves(0, items.len(), *wide, h, 0, 0);
                // The side column's headlines keep clear of those on the
                // other side of its rule.
                let avoid: Vec<(usize, usize)> = leaves
                    .iter()
                    .filter(|l| l.2 + l.4 == *wide)
                    .filter_map(|&(item, top, _, y, k, depth)| {
                        let o = self.option(item, k, depth, top)?;
                        (o.head.1 > 0).then_some((y + o.head.0, y + o.head.0 + o.head.1))
                    })
                    .collect();
                leaves.extend(self.stack(side_items, COLUMNS - wide, *wide, &avoid)?);
                leaves
            }
        };
        Some(self.unbump(leaves))
    }

    /// A column of modules `k` wide at column `x`, the area's depth, one
    /// above the other with a rule line between, their headlines clear of
    /// the line ranges in `avoid` (a headline beside one costs as a bump).
    fn stack(
        &mut self,
        items: &[Item],
        k: usize,
        x: usize,
        avoid: &[(usize, usize)],
    ) -> Option<Vec<Leaf>> {
        let h = self.height;
        let n = items.len();
        // best[i][y]: items ..i in y lines: (cost, depth of item i-1, top,
        // rule lines above it).
        let mut best: Vec<Vec<StackStep>> = vec![vec![None; h + 1]; n + 1];
        best[0][0] = Some((0.0, 0, false, 0));
        for (i, &item) in items.iter().enumerate() {
            let gaps: &[usize] = if i > 0 { &[1, 2] } else { &[0] };
            for y in 0..=h {
                let Some((cost, ..)) = best[i][y] else {
                    continue;
                };
                for &gap in gaps {
                    for depth in 1..=h.saturating_sub(y + gap) {
                        for top in [false, true] {
                            self.tried += 1;
                            let Some(o) = self.option(item, k, depth, top) else {
                                continue;
                            };
                            let start = y + gap;
                            let (a, b) = (start + o.head.0, start + o.head.0 + o.head.1);
                            let bumps = avoid
                                .iter()
                                .filter(|&&(c, d)| o.head.1 > 0 && a < d && c < b)
                                .count();
                            let air = weight::RULE_AIR * gap.saturating_sub(1) as f64;
                            let total = cost + o.cost + air + weight::BUMP * bumps as f64;
                            let next = &mut best[i + 1][start + depth];
                            if next.is_none_or(|(c, ..)| total < c - 1e-9) {
                                *next = Some((total, depth, top, gap));
                            }
                        }
                    }
                }
            }
        }
        best[n][h]?;
        let mut out = Vec::new();
        let mut y = h;
        for i in (0..n).rev() {
            let (_, depth, top, gap) = best[i + 1][y]?;
            let start = y - depth;
            out.push((items[i], top, x, start, k, depth));
            y = start.saturating_sub(gap);
        }
        out.reverse();
        Some(out)
    }

    /// The guillotine search over `items` (in reading order): for every
    /// run of items, width and depth, the cheapest way to tile that
    /// rectangle — one module, or two rectangles stacked (a rule line
    /// between) or side by side (a rule in the gutter) — keeping which
    /// top corners start with a headline so that no two headlines meet
    /// across a gutter at the top of a split. `lead`, when given, is the
    /// first item's span, and no other story is wider.
    fn tile(&mut self, items: &[Item], lead: Option<usize>) -> Tiling {
        let n = items.len();
        let h = self.height;
        let mut tiling = Tiling::new(n);
        for len in 1..=n {
            for (i, &first) in items.iter().enumerate().take(n - len + 1) {
                let j = i + len;
                for w in MIN_SPAN..=COLUMNS {
                    let mut cells: Vec<Cell> = vec![[None, None, None, None]; h + 1];
                    if len == 1 {
                        self.leaf(&mut cells, first, w, lead);
                    } else {
                        for m in i + 1..j {
                            self.stacked(&mut cells, &tiling, (i, m, j), w);
                            self.beside(&mut cells, &tiling, (i, m, j), w);
                        }
                    }
                    tiling.set(i, j, w, cells);
                }
            }
        }
        tiling.items = items.to_vec();
        tiling
    }

    /// One item alone, `w` columns wide, at every depth.
    fn leaf(&mut self, cells: &mut [Cell], item: Item, w: usize, lead: Option<usize>) {
        let fits = match (item, lead) {
            (Item::Story(0), Some(lead)) => w == lead,
            (Item::Story(_), Some(lead)) => w <= lead,
            _ => true,
        };
        if fits {
            for (depth, cell) in cells.iter_mut().enumerate().skip(1) {
                for top in [false, true] {
                    self.tried += 1;
                    let Some(o) = self.option(item, w, depth, top) else {
                        continue;
                    };
                    // The lead opens with its headline, as wide as
                    // it can.
                    let cost = o.cost
                        + if item == Item::Story(0) {
                            weight::LEAD_SPAN * (COLUMNS - w) as f64
                                + if top { weight::LEAD_PHOTO_TOP } else { 0.0 }
                        } else {
                            0.0
                        };
                    let head = matches!(item, Item::Story(_)) && !top;
                    let flags = if head { 3 } else { 0 };
                    put(&mut cell[flags], cost, How::Leaf { item, top });
                }
            }
        }
    }

    /// Items `i..m` above `m..j`, a rule in the one or two lines between.
    fn stacked(
        &mut self,
        cells: &mut [Cell],
        tiling: &Tiling,
        (i, m, j): (usize, usize, usize),
        w: usize,
    ) {
        let h = self.height;
        let (upper, lower) = (tiling.get(i, m, w), tiling.get(m, j, w));
        let below: Vec<Option<(f64, u8)>> = lower.iter().map(cheapest).collect();
        for (h1, up) in upper.iter().enumerate() {
            for (flags, region) in up.iter().enumerate() {
                let Some(region) = region else { continue };
                for gap in 1..=2 {
                    let air = weight::RULE_AIR * (gap - 1) as f64;
                    for (h2, down) in below.iter().enumerate().skip(1) {
                        let total = h1 + gap + h2;
                        if total > h {
                            break;
                        }
                        let Some((cost, fb)) = down else { continue };
                        self.tried += 1;
                        put(
                            &mut cells[total][flags],
                            region.0 + cost + air,
                            How::Stacked {
                                m,
                                h1,
                                gap,
                                ft: flags as u8,
                                fb: *fb,
                            },
                        );
                    }
                }
            }
        }
    }

    /// Items `i..m` on the left of `m..j`, every split of the `w` columns.
    fn beside(
        &mut self,
        cells: &mut [Cell],
        tiling: &Tiling,
        (i, m, j): (usize, usize, usize),
        w: usize,
    ) {
        let h = self.height;
        for w1 in MIN_SPAN..=w.saturating_sub(MIN_SPAN) {
            let (left, right) = (tiling.get(i, m, w1), tiling.get(m, j, w - w1));
            for depth in 1..=h {
                for fl in 0..4u8 {
                    let Some(l) = &left[depth][fl as usize] else {
                        continue;
                    };
                    for fr in 0..4u8 {
                        // Headlines meeting across the gutter at the top.
                        if fl & 1 == 1 && fr & 2 == 2 {
                            continue;
                        }
                        let Some(r) = &right[depth][fr as usize] else {
                            continue;
                        };
                        self.tried += 1;
                        let flags = (fl & 2) | (fr & 1);
                        put(
                            &mut cells[depth][flags as usize],
                            l.0 + r.0,
                            How::Beside { m, w1, fl, fr },
                        );
                    }
                }
            }
        }
    }

    /// The page, with headlines that still meet across a gutter (away from
    /// the tops the search sees) moved apart where a story can set its
    /// photo above its headline instead, at the same depth.
    fn unbump(&self, mut leaves: Vec<Leaf>) -> Arrangement {
        let mut page = self.arrange(&leaves);
        for _ in 0..leaves.len() {
            let bumps = super::plan::bumping(&page.modules);
            let mut better = None;
            'pairs: for &(a, b) in &bumps {
                for m in [b, a] {
                    let module = &page.modules[m];
                    let Some(at) = leaves
                        .iter()
                        .position(|l| l.2 == module.column && l.3 == module.line)
                    else {
                        continue;
                    };
                    let (item, top, _, _, k, depth) = leaves[at];
                    if self.option(item, k, depth, !top).is_none() {
                        continue;
                    }
                    let mut trial = leaves.clone();
                    trial[at].1 = !top;
                    let tried = self.arrange(&trial);
                    if super::plan::bumping(&tried.modules).len() < bumps.len() {
                        better = Some((trial, tried));
                        break 'pairs;
                    }
                }
            }
            match better {
                Some((trial, tried)) => {
                    leaves = trial;
                    page = tried;
                }
                None => break,
            }
        }
        page
    }

    /// The page from the search's modules, with the page terms.
    fn arrange(&self, leaves: &[Leaf]) -> Arrangement {
        let mut modules: Vec<PlacedModule> = leaves
            .iter()
            .map(|&(item, top, x, y, k, depth)| {
                let o = self
                    .option(item, k, depth, top)
                    .expect("chosen by the search");
                self.build(item, k, depth, top, o.text, o.air, o.terms, x, y)
            })
            .collect();
        // Reading order: top to bottom, then left to right, the lead first.
        modules.sort_by_key(|m| {
            (
                m.section() != Some(self.stories[0].section),
                m.line,
                m.column,
            )
        });
        let mut terms = modules.iter().fold(Terms::default(), |t, m| t + m.terms);
        let lead = modules[0].columns;
        // Stories out of the data's order (a side column story before a
        // wide part one).
        let sections: Vec<usize> = modules.iter().filter_map(PlacedModule::section).collect();
        let inversions = sections
            .iter()
            .enumerate()
            .skip(1)
            .map(|(a, x)| sections[a + 1..].iter().filter(|y| *y < x).count())
            .sum::<usize>();
        terms.order = weight::ORDER * inversions as f64;
        let widest_other = modules
            .iter()
            .skip(1)
            .filter(|m| m.section().is_some())
            .map(|m| m.columns)
            .max()
            .unwrap_or(0);
        terms.lead = (COLUMNS - lead) as f64 * weight::LEAD_SPAN;
        terms.lead_width = weight::LEAD_WIDTH * widest_other.saturating_sub(lead) as f64;
        if matches!(
            modules[0].placed,
            Placed::Story {
                photo_top: true,
                ..
            }
        ) {
            terms.lead += weight::LEAD_PHOTO_TOP;
        }
        terms.bumping = weight::BUMP * super::plan::bumping(&modules).len() as f64;
        let share = super::plan::photo_share(&modules, self.height);
        let has_photos = self.stories.iter().any(|s| !s.photos.is_empty());
        if has_photos {
            let off = (module::PHOTO_SHARE.0 - share)
                .max(share - module::PHOTO_SHARE.1)
                .max(0.0);
            terms.photo_share = if off > 0.0 { 200.0 + 1000.0 * off } else { 0.0 };
        }
        Arrangement {
            height: self.height,
            band_air: 0,
            modules,
            terms,
            tried: 0,
        }
    }

    /// One module, placed: its headline, photo rows and text.
    #[allow(clippy::too_many_arguments)]
    fn build(
        &self,
        item: Item,
        k: usize,
        depth: usize,
        photo_top: bool,
        text: usize,
        air: usize,
        terms: Terms,
        x: usize,
        y: usize,
    ) -> PlacedModule {
        let placed = match item {
            Item::Figures => {
                let shape = self.figure_spans[k].as_ref().expect("figures at this span");
                Placed::Figures {
                    across: shape.across,
                    labels: shape.labels.clone(),
                    air,
                }
            }
            Item::Story(s) => {
                let at = self.spans[s][k].as_ref().expect("story at this span");
                let story = &self.stories[s];
                let option = &at.texts.options[text];
                let size = self.option(item, k, depth, photo_top).map_or(0, |o| o.size);
                let head_lines = at.heads[size].lines + air;
                let rows_lines = depth - head_lines - option.depth;
                let (rows, area) = match &option.corner {
                    Some(corner) => {
                        let inlines = module::corner_inlines(story, k, corner);
                        let sizes = vec![corner.image; inlines.len()];
                        let (_, area) = story
                            .copy
                            .sized(k, option.depth, &inlines, &sizes)
                            .expect("the corner balances, as counted");
                        let table = &at.rows_corner[corner.photos.len() - 1];
                        (table.rows(rows_lines), area)
                    }
                    None => (
                        at.rows.rows(rows_lines),
                        option.area.clone().expect("worked out"),
                    ),
                };
                let mut head = at.heads[size].clone();
                head.lines = head_lines;
                Placed::Story {
                    section: self.stories[s].section,
                    rank: self.stories[s].rank,
                    head,
                    photo_top,
                    rows,
                    text: Box::new(area),
                    photos: self.stories[s]
                        .photos
                        .iter()
                        .map(|p| (p.index, p.width, p.height))
                        .collect(),
                }
            }
        };
        PlacedModule {
            column: x,
            line: y,
            columns: k,
            lines: depth,
            placed,
            terms,
        }
    }

    /// Why no page was found, per story, in characters and lines.
    pub fn diagnose(&self) -> Diagnosis {
        let h = self.height;
        let area = (h * COLUMNS) as i64;
        let mut least = 0i64;
        let mut most = 0i64;
        let mut per_story = Vec::new();
        for (s, story) in self.stories.iter().enumerate() {
            let mut lo = i64::MAX;
            let mut hi = 0i64;
            for k in MIN_SPAN..=COLUMNS {
                if let Some(at) = &self.spans[s][k] {
                    for (depth, o) in at.by_depth.iter().enumerate() {
                        if o[0].is_some() || o[1].is_some() {
                            lo = lo.min((depth * k) as i64);
                            hi = hi.max((depth * k) as i64);
                        }
                    }
                }
            }
            let longest = story
                .headline
                .iter()
                .map(|l| l.chars().filter(|c| *c != '\u{2060}').count())
                .max()
                .unwrap_or(0) as f64;
            let widest = super::grid::span_pt(COLUMNS);
            let widest_span = match (self.main_pin, story.place) {
                (Some(main), Some(Place::Side)) => COLUMNS - main,
                (Some(main), _) => main,
                (None, Some(Place::Side)) => COLUMNS - MIN_SPAN,
                (None, _) => COLUMNS,
            };
            per_story.push(StoryFit {
                widest: widest_span,
                headline_pt: story
                    .size
                    .filter(|size| size * longest > widest)
                    .map(|size| (size, size * longest, widest)),
                story: s,
                least: (lo != i64::MAX).then_some(lo as usize),
                most: hi as usize,
                lines: story.copy.plain_lines(),
                characters: story.copy.characters(),
            });
            if lo != i64::MAX {
                least += lo;
                most += hi;
            }
        }
        if let Some(f) = self
            .figures
            .as_ref()
            .and(self.figure_spans.get(2))
            .and_then(Option::as_ref)
        {
            least += (f.natural * 2) as i64;
            most += (f.natural * 3 / 2 + 2) as i64 * 4;
        }
        // Rule lines between modules, about one per story.
        let rules = (self.stories.len() as i64) * 3;
        Diagnosis {
            area: area as usize,
            least: (least + rules) as usize,
            most: (most + rules) as usize,
            stories: per_story,
            tried: self.tried,
        }
    }
}

/// How far a story's module can shrink and grow, in line-columns.
#[derive(Debug, Clone)]
pub struct StoryFit {
    /// Index in the composer's list.
    pub story: usize,
    /// The least area of any module of it (`None`: no module at all).
    pub least: Option<usize>,
    /// The most.
    pub most: usize,
    /// Lines of its copy in one column.
    pub lines: usize,
    /// Its characters.
    pub characters: usize,
    /// The most columns the pins leave it.
    pub widest: usize,
    /// A pinned headline size too large for the page's width: (size,
    /// the longest line's width, the page's width), pt.
    pub headline_pt: Option<(f64, f64, f64)>,
}

/// What the composer found when no page tiles the area.
#[derive(Debug, Clone)]
pub struct Diagnosis {
    /// The area, in line-columns.
    pub area: usize,
    /// The least the stories can take together.
    pub least: usize,
    /// The most.
    pub most: usize,
    /// Each story.
    pub stories: Vec<StoryFit>,
    /// Arrangements tried.
    pub tried: usize,
}

/// A story's options at span `k`: `None` when its headline cannot be set
/// that narrow or a pinned photo does not fit.
fn at_span(
    story: &StoryCopy,
    k: usize,
    height: usize,
    body: &dyn Metrics,
    kai: &dyn Metrics,
) -> Option<AtSpan> {
    let heads: Vec<Head> = (0..3)
        .map_while(|step| module::head(story, k, step, body))
        .collect();
    if heads.is_empty() {
        return None;
    }
    let inside = module::inlines(story, k).ok()?;
    let in_rows: Vec<usize> = (0..story.photos.len())
        .filter(|&p| inside.iter().all(|i| i.photo != story.photos[p].local))
        .collect();
    let texts = TextOptions::new(story, k, &inside, kai);
    if texts.options.is_empty() {
        return None;
    }
    let rows = RowTable::new(story, &in_rows, k, height, kai);
    // Rows without the photos a corner takes, by how many it takes.
    let rows_corner: Vec<RowTable> = (1..=texts.corner_photos.len())
        .map(|r| {
            let taken = &texts.corner_photos[texts.corner_photos.len() - r..];
            let rest: Vec<usize> = in_rows
                .iter()
                .copied()
                .filter(|p| !taken.contains(p))
                .collect();
            RowTable::new(story, &rest, k, height, kai)
        })
        .collect();
    let by_depth = by_depth(story, k, height, &heads, &texts, &rows, &rows_corner);
    Some(AtSpan {
        heads,
        texts,
        rows,
        rows_corner,
        by_depth,
    })
}

/// The cheapest way for a story at span `k` to be each depth: every text
/// option with every headline size and air, over the photo rows that make
/// up the rest.
fn by_depth(
    story: &StoryCopy,
    k: usize,
    height: usize,
    heads: &[Head],
    texts: &TextOptions,
    rows: &RowTable,
    rows_corner: &[RowTable],
) -> Vec<[Option<Option_>; 2]> {
    let mut by_depth: Vec<[Option<Option_>; 2]> = vec![[None, None]; height + 1];
    for (t, option) in texts.options.iter().enumerate() {
        let table = match &option.corner {
            Some(corner) => &rows_corner[corner.photos.len() - 1],
            None => rows,
        };
        for (size, head) in heads.iter().enumerate() {
            for air in 0..=module::MAX_HEAD_AIR {
                let fixed = head.lines + air + option.depth;
                for (depth, slot) in by_depth.iter_mut().enumerate().skip(fixed) {
                    let r = depth - fixed;
                    let (row_cost, row_terms) = if table.is_empty() {
                        if r > 0 {
                            break;
                        }
                        (0.0, Terms::default())
                    } else {
                        match table.cost(r) {
                            Some(c) => c,
                            None => continue,
                        }
                    };
                    let shape = shape_cost(story, k, depth, table.rows_count(r));
                    let terms = row_terms
                        + option.terms
                        + Terms {
                            head_air: weight::HEAD_AIR * air as f64
                                + weight::HEAD_SMALLER * size as f64,
                            shape,
                            ..Terms::default()
                        };
                    let way = Option_ {
                        cost: row_cost + option.cost + terms.head_air + shape,
                        terms,
                        text: t,
                        air,
                        head: (0, head.lines + air),
                        size,
                    };
                    offer(slot, table, r, way);
                }
            }
        }
    }
    by_depth
}

/// What a module's shape costs: photos stacked beyond two rows, a module
/// far deeper than wide, a story other than the lead across the page.
fn shape_cost(story: &StoryCopy, k: usize, depth: usize, rows: usize) -> f64 {
    let strip = if k == COLUMNS && story.rank > 0 {
        weight::STRIP
    } else {
        0.0
    };
    weight::STACKED_ROW * rows.saturating_sub(2) as f64
        + weight::TOWER * depth.saturating_sub(16 * k) as f64
        + strip
}

/// Offers `way` (its photo rows `r` lines deep, from `table`) for a depth:
/// with the headline on top and, when the story has rows, with its first
/// row above the headline; each kept where it is cheaper.
fn offer(slot: &mut [Option<Option_>; 2], table: &RowTable, r: usize, way: Option_) {
    for top in [false, true] {
        if top && table.is_empty() {
            continue;
        }
        let mut way = way;
        if top {
            way.terms.photo_rows += weight::PHOTO_TOP;
            way.cost += weight::PHOTO_TOP;
            way.head.0 = table.rows(r).first().map_or(0, |row| row.lines());
        }
        let cell = &mut slot[usize::from(top)];
        if cell.is_none_or(|c| way.cost < c.cost - 1e-9) {
            *cell = Some(way);
        }
    }
}

/// Which top corners of a rectangle start with a headline: bit 2 the
/// top-left module, bit 1 the top-right one; the cheapest way for each.
type Cell = [Option<(f64, How)>; 4];

/// How a rectangle is tiled.
#[derive(Debug, Clone, Copy)]
enum How {
    /// One module.
    Leaf { item: Item, top: bool },
    /// Items `..m` above (`h1` lines), `gap` lines with a rule, the rest
    /// below.
    Stacked {
        m: usize,
        h1: usize,
        gap: usize,
        ft: u8,
        fb: u8,
    },
    /// Items `..m` on the left (`w1` columns), the rest on the right.
    Beside { m: usize, w1: usize, fl: u8, fr: u8 },
}

fn put(cell: &mut Option<(f64, How)>, cost: f64, how: How) {
    if cell.as_ref().is_none_or(|(c, _)| cost < c - 1e-9) {
        *cell = Some((cost, how));
    }
}

/// The cheapest of a cell's flags.
fn cheapest(cell: &Cell) -> Option<(f64, u8)> {
    cell.iter()
        .enumerate()
        .filter_map(|(f, r)| r.as_ref().map(|r| (r.0, f as u8)))
        .min_by(|a, b| a.0.total_cmp(&b.0))
}

/// The guillotine table: for items i..j, width w, depth h, by flags.
struct Tiling {
    n: usize,
    cells: Vec<Vec<Cell>>,
    items: Vec<Item>,
}

/// A module placed by the search: (item, photo on top, column, line,
/// columns, lines).
type Leaf = (Item, bool, usize, usize, usize, usize);

impl Tiling {
    fn new(n: usize) -> Self {
        Self {
            n,
            cells: vec![Vec::new(); (n + 1) * (n + 1) * (COLUMNS + 1)],
            items: Vec::new(),
        }
    }

    fn index(&self, i: usize, j: usize, w: usize) -> usize {
        (i * (self.n + 1) + j) * (COLUMNS + 1) + w
    }

    fn get(&self, i: usize, j: usize, w: usize) -> &[Cell] {
        &self.cells[self.index(i, j, w)]
    }

    fn set(&mut self, i: usize, j: usize, w: usize, cells: Vec<Cell>) {
        let at = self.index(i, j, w);
        self.cells[at] = cells;
    }

    /// The cheapest tiling of items i..j in w × h, any flags.
    fn best(&self, i: usize, j: usize, w: usize, h: usize) -> Option<(f64, u8)> {
        self.get(i, j, w).get(h).and_then(cheapest)
    }

    /// The cheapest with flags `ok` allows.
    fn best_flags(
        &self,
        i: usize,
        j: usize,
        w: usize,
        h: usize,
        ok: impl Fn(u8) -> bool,
    ) -> Option<(f64, u8)> {
        let cell = self.get(i, j, w).get(h)?;
        cell.iter()
            .enumerate()
            .filter(|(f, _)| ok(*f as u8))
            .filter_map(|(f, r)| r.as_ref().map(|r| (r.0, f as u8)))
            .min_by(|a, b| a.0.total_cmp(&b.0))
    }

    /// The modules of the cheapest tiling, placed from (x, y).
    fn leaves(&self, i: usize, j: usize, w: usize, h: usize, x: usize, y: usize) -> Vec<Leaf> {
        self.leaves_with(i, j, w, h, x, y, |_| true)
    }

    /// The same, among the flags `ok` allows.
    #[allow(clippy::too_many_arguments)]
    fn leaves_with(
        &self,
        i: usize,
        j: usize,
        w: usize,
        h: usize,
        x: usize,
        y: usize,
        ok: impl Fn(u8) -> bool,
    ) -> Vec<Leaf> {
        let Some((_, flags)) = self.best_flags(i, j, w, h, ok) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        self.walk(i, j, w, h, flags, x, y, &mut out);
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn walk(
        &self,
        i: usize,
        j: usize,
        w: usize,
        h: usize,
        flags: u8,
        x: usize,
        y: usize,
        out: &mut Vec<Leaf>,
    ) {
        let Some((_, how)) = self.get(i, j, w)[h][flags as usize] else {
            return;
        };
        match how {
            How::Leaf { item, top } => out.push((item, top, x, y, w, h)),
            How::Stacked { m, h1, gap, ft, fb } => {
                self.walk(i, m, w, h1, ft, x, y, out);
                self.walk(m, j, w, h - h1 - gap, fb, x, y + h1 + gap, out);
            }
            How::Beside { m, w1, fl, fr } => {
                self.walk(i, m, w1, h, fl, x, y, out);
                self.walk(m, j, w - w1, h, fr, x + w1, y, out);
            }
        }
    }
}
