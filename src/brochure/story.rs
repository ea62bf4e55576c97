//! One story of the brochure, measured once and laid out in any of its
//! variants: how it opens (a wide photo under the headline, a photo one
//! column wide, a spread with the photo across the left page, or the
//! headline alone), how its other photos go (in the text, or a gallery
//! grid after it, two or three across) and how much the lead photo is
//! cropped. Every variant gives whole pages, whose count and faults the
//! booklet's search weighs.

use serde::Serialize;

use super::geometry::{CAPTION, CAPTION_GAP, CAPTION_PITCH, Geometry};
use crate::compose::lines::{self as compose, ComposedLine, Metrics, Slot};

/// A photo of a story, as the brochure needs it.
#[derive(Debug, Clone)]
pub struct PhotoInput {
    /// Its index among the report's photos.
    pub index: usize,
    /// Its pixels, across and down.
    pub pixels: (u32, u32),
    /// Caption and credit as printed.
    pub caption: String,
}

impl PhotoInput {
    /// Width over height.
    pub fn aspect(&self) -> f64 {
        f64::from(self.pixels.0.max(1)) / f64::from(self.pixels.1.max(1))
    }
}

/// A story as the brochure gets it: text prepared for setting, the lead
/// photo first.
pub struct StoryInput<'a> {
    /// The section's index.
    pub section: usize,
    /// 引题.
    pub kicker: Option<&'a str>,
    /// The headline's lines as the editor broke them.
    pub headline: &'a [String],
    /// 副题.
    pub subhead: Option<&'a str>,
    /// The paragraphs.
    pub paragraphs: &'a [String],
    /// The pull quote, a sentence of one paragraph.
    pub quote: Option<String>,
    /// Photos, the lead photo first.
    pub photos: Vec<PhotoInput>,
}

/// The fonts' advances, per face.
pub struct Faces<'a> {
    /// 宋体 (body, headlines).
    pub song: &'a dyn Metrics,
    /// 楷体 (captions, quotes).
    pub kai: &'a dyn Metrics,
}

/// Headline size: 二号 on A4, 小二 on A5.
fn headline_size(g: &Geometry) -> f64 {
    if g.columns > 1 { 22.0 } else { 18.0 }
}
/// How much wider bold sets than the regular face's advances say.
const BOLD: f64 = 1.04;
/// A display opener's headline: 一号.
const DISPLAY: f64 = 26.0;
const KICKER: f64 = 16.0;
const SUBHEAD: f64 = 14.0;
/// The pull quote: 小三 楷体.
pub const QUOTE: f64 = 15.0;
const QUOTE_PITCH: f64 = 22.5;

/// Something placed on a page, in pt from the text area's top-left.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Item {
    /// The story's headline block.
    Headline {
        /// The section.
        section: usize,
        /// Top.
        y: f64,
        /// Height given.
        height: f64,
        /// 引题.
        kicker: Option<String>,
        /// The headline's printed lines.
        lines: Vec<String>,
        /// Its size, pt.
        size: f64,
        /// 副题.
        subhead: Option<String>,
        /// Set at the foot of its height, large.
        display: bool,
    },
    /// A photo with its caption under it.
    Photo {
        /// The report's photo index.
        photo: usize,
        /// Left.
        x: f64,
        /// Top.
        y: f64,
        /// Width.
        w: f64,
        /// Height of the picture.
        h: f64,
        /// The caption's lines, under the picture.
        caption: Vec<String>,
    },
    /// A photo over the whole page, into the bleed, its caption in a band
    /// at the foot: the left page of a spread opener.
    Bleed {
        /// The report's photo index.
        photo: usize,
        /// The caption's lines.
        caption: Vec<String>,
    },
    /// A line of body text.
    Line {
        /// Left.
        x: f64,
        /// Top of the line's box.
        y: f64,
        /// Width.
        w: f64,
        /// The text.
        text: String,
        /// Opens a paragraph.
        indent: bool,
        /// Justified (all but a paragraph's last line).
        justify: bool,
        /// Letters and digits take a share of the slack.
        spread: bool,
        /// Their tracking, em.
        latin_tracking: f64,
    },
    /// The pull quote.
    Quote {
        /// Left.
        x: f64,
        /// Top.
        y: f64,
        /// Width.
        w: f64,
        /// Height given.
        height: f64,
        /// Its lines.
        lines: Vec<String>,
    },
}

/// What a page of a story is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Text, with its headline or photos.
    Story,
    /// Only photos of a gallery, with their captions: a designed page.
    Gallery,
    /// The left page of a spread opener: one photo into the bleed.
    Spread,
}

/// One page of a story.
#[derive(Debug, Clone, Serialize)]
pub struct StoryPage {
    /// What the page is.
    pub kind: Kind,
    /// What is on it.
    pub items: Vec<Item>,
}

/// How a story opens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Opener {
    /// Its lead photo across the text area under the headline; the factor
    /// is its height over the photo's own (a crop of at most 15 %).
    Wide(f64),
    /// Its lead photo one column wide at the head of the text.
    Column,
    /// The lead photo over the whole left page, the headline on the right.
    Spread,
    /// The headline alone; every photo goes with the others.
    Plain,
    /// The headline set large at the foot of a third of the page (a
    /// display opener, for a story with no photo to open with); every photo
    /// goes with the others.
    Display,
}

/// Where the photos after the lead go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Others {
    /// One column wide, spread through the text.
    InText,
    /// A grid after the text, this many across.
    Gallery(usize),
}

/// One way to lay out a story.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Variant {
    /// How it opens.
    pub opener: Opener,
    /// Where its other photos go.
    pub others: Others,
}

impl Variant {
    /// In words, for the editor.
    pub fn describe(&self) -> String {
        let opener = match self.opener {
            Opener::Wide(f) if (f - 1.0).abs() < 1e-9 => "its lead photo across the page".into(),
            Opener::Wide(f) if f < 1.0 => "its lead photo across the page, cropped lower".into(),
            Opener::Wide(_) => "its lead photo across the page, cropped taller".to_string(),
            Opener::Column => "its lead photo one column wide".into(),
            Opener::Spread => "a spread (its lead photo over the left page)".into(),
            Opener::Plain => "its headline alone".into(),
            Opener::Display => "its headline large over a third of the page".into(),
        };
        match self.others {
            Others::InText => format!("opens with {opener}"),
            Others::Gallery(n) => {
                format!("opens with {opener}, its photos in a gallery {n} across")
            }
        }
    }
}

/// A story laid out: its pages and what is wrong with them.
#[derive(Debug, Clone)]
pub struct Laid {
    /// The variant.
    pub variant: Variant,
    /// Its pages, the first opening the story.
    pub pages: Vec<StoryPage>,
    /// The first page must be a left-hand (even) page.
    pub opens_left: bool,
    /// How far it is from the best design and how full its last page is:
    /// the lower the better.
    pub cost: f64,
    /// Pages that break a brochure rule (a short block of text alone, a
    /// photo alone): the search avoids them.
    pub faults: usize,
}

impl Laid {
    /// What the search weighs: the cost, and each fault as more than any
    /// design choice.
    pub fn score(&self) -> f64 {
        self.cost + FAULT * self.faults as f64
    }
}

/// A story measured: its text broken into column lines once, its headline,
/// quote and captions broken for their widths.
pub struct Story<'a> {
    input: &'a StoryInput<'a>,
    geometry: Geometry,
    lines: Vec<ComposedLine>,
    /// For each line, the paragraph it belongs to.
    paragraph_of: Vec<usize>,
    head: Head,
    /// The headline of a display opener.
    display: Head,
    quote: Option<(usize, Vec<String>)>,
    kai: &'a dyn Metrics,
}

struct Head {
    lines: Vec<String>,
    size: f64,
    /// Grid lines it takes, with the space under it.
    depth: usize,
}

impl Head {
    /// The headline at `size`: its lines broken for the text width, the
    /// kicker, the subhead and the rule under it.
    fn measure(input: &StoryInput, g: &Geometry, size: f64, song: &dyn Metrics) -> Self {
        // Set bold, a little wider than the regular face measures.
        let width = |size: f64| g.text_width() / size / BOLD;
        let lines: Vec<String> = input
            .headline
            .iter()
            .flat_map(|line| compose::break_text(line, width(size), song))
            .collect();
        let mut height = lines.len() as f64 * size * 1.3;
        if let Some(kicker) = input.kicker {
            height += compose::break_text(kicker, width(KICKER), song).len() as f64 * KICKER * 1.5;
        }
        if let Some(subhead) = input.subhead {
            let subhead = format!("——{subhead}");
            height +=
                compose::break_text(&subhead, width(SUBHEAD), song).len() as f64 * SUBHEAD * 1.6;
        }
        // The rule under it and its space.
        height += 14.0;
        Self {
            lines,
            size,
            depth: g.lines_for(height) + 1,
        }
    }
}

/// The resolution a photo needs to fill a page of a spread: what the
/// print check asks of every photo without a warning.
const SPREAD_PPI: f64 = 200.0;

/// The resolution a photo prints at over the whole page (into the bleed),
/// cropped to fill it.
fn full_page_ppi(photo: &PhotoInput, g: &Geometry) -> f64 {
    let bleed = 2.0 * super::impose::BLEED;
    let (w, h) = (
        f64::from(photo.pixels.0.max(1)),
        f64::from(photo.pixels.1.max(1)),
    );
    let points_per_pixel = ((g.width + bleed) / w).max((g.height + bleed) / h);
    72.0 / points_per_pixel
}

/// What printing a lead photo this large costs: a breach under the print
/// check's 100 ppi (it would refuse the brochure), a little under 200 (it
/// would warn).
fn resolution_cost(photo: &PhotoInput, item: &Item) -> f64 {
    let Item::Photo { w, h, .. } = item else {
        return 0.0;
    };
    let (px_w, px_h) = (
        f64::from(photo.pixels.0.max(1)),
        f64::from(photo.pixels.1.max(1)),
    );
    let ppi = 72.0 / (w / px_w).max(h / px_h);
    if ppi < 100.0 {
        FAULT
    } else if ppi < SPREAD_PPI {
        1.0
    } else {
        0.0
    }
}

/// The most of a photo's height a frame may cut or add.
const MAX_CROP: f64 = 0.15;
/// What a breach of a brochure rule costs in the search: more than any
/// design choice.
pub const FAULT: f64 = 20.0;

/// Lines of space after a block (photo, quote) in the text.
const AIR: usize = 1;
/// The fewest lines of text a page may hold alone.
pub const MIN_ALONE: usize = 6;

impl<'a> Story<'a> {
    /// Measures a story for a page geometry.
    pub fn new(input: &'a StoryInput<'a>, geometry: Geometry, faces: &Faces<'a>) -> Self {
        let g = geometry;
        let width = g.em(g.column);
        // Every paragraph into one long column; pages are cut from it.
        let capacity: usize = input
            .paragraphs
            .iter()
            .map(|p| p.chars().count() + 1)
            .sum::<usize>()
            .max(1);
        let slots: Vec<Slot> = (0..capacity)
            .map(|line| Slot {
                column: 0,
                line,
                x: 0.0,
                width,
            })
            .collect();
        let mut lines = Vec::new();
        let mut paragraph_of = Vec::new();
        for (p, paragraph) in input.paragraphs.iter().enumerate() {
            let one = std::slice::from_ref(paragraph);
            let Some((mut set, _)) = compose::pour(one, &slots, &[0], faces.song) else {
                continue;
            };
            paragraph_of.extend(std::iter::repeat_n(p, set.len()));
            lines.append(&mut set);
        }
        let head = Head::measure(input, &g, headline_size(&g), faces.song);
        let display = Head::measure(input, &g, DISPLAY.min(headline_size(&g) * 1.4), faces.song);
        let quote = input.quote.as_deref().and_then(|quote| {
            let after = input.paragraphs.iter().position(|p| p.contains(quote))?;
            let lines = compose::break_text(quote, g.column / QUOTE, faces.kai);
            Some((after, lines))
        });
        Self {
            input,
            geometry,
            lines,
            paragraph_of,
            head,
            display,
            quote,
            kai: faces.kai,
        }
    }

    /// The story's section index.
    pub fn section(&self) -> usize {
        self.input.section
    }

    /// Body lines of its text in one column.
    pub fn text_lines(&self) -> usize {
        self.lines.len()
    }

    /// Every variant worth trying.
    pub fn variants(&self) -> Vec<Variant> {
        let photos = self.input.photos.len();
        let mut openers = vec![Opener::Plain, Opener::Display];
        if photos > 0 {
            let lead = &self.input.photos[0];
            if lead.aspect() >= 1.0 || self.geometry.columns == 1 {
                openers.extend([Opener::Wide(0.85), Opener::Wide(1.0), Opener::Wide(1.15)]);
            }
            if self.geometry.columns > 1 {
                openers.push(Opener::Column);
            }
            // Over a whole page only with the pixels for it.
            if full_page_ppi(lead, &self.geometry) >= SPREAD_PPI {
                openers.push(Opener::Spread);
            }
        }
        let mut others = vec![Others::InText];
        let across: &[usize] = if self.geometry.columns > 1 {
            &[2, 3]
        } else {
            &[1, 2]
        };
        for &n in across {
            others.push(Others::Gallery(n));
        }
        let mut out = Vec::new();
        for &opener in &openers {
            let rest = photos - usize::from(!matches!(opener, Opener::Plain | Opener::Display));
            for &o in &others {
                let useful = match o {
                    Others::InText => true,
                    Others::Gallery(n) => rest >= 2 && (n <= rest || n == across[0]),
                };
                if useful {
                    out.push(Variant { opener, others: o });
                }
            }
        }
        out
    }

    /// Lays the story out in `variant`.
    pub fn lay_out(&self, variant: Variant) -> Laid {
        let g = self.geometry;
        let mut flow = Flow::new(g);
        let photos = &self.input.photos;
        let (lead, others) = match variant.opener {
            Opener::Plain | Opener::Display => (None, &photos[..]),
            _ => (photos.first(), photos.get(1..).unwrap_or(&[])),
        };
        if let (Opener::Spread, Some(lead)) = (variant.opener, lead) {
            let caption = self.caption_lines(lead, g.text_width());
            flow.pages[0] = StoryPage {
                kind: Kind::Spread,
                items: vec![Item::Bleed {
                    photo: lead.index,
                    caption,
                }],
            };
            flow.new_page();
        }
        // The headline, across the text area.
        let (head, depth) = match variant.opener {
            Opener::Display => (&self.display, self.display.depth.max(g.lines / 3)),
            _ => (&self.head, self.head.depth),
        };
        flow.place_across(
            Item::Headline {
                section: self.input.section,
                y: 0.0,
                height: (depth - 1) as f64 * g.pitch,
                kicker: self.input.kicker.map(str::to_string),
                lines: head.lines.clone(),
                size: head.size,
                subhead: self.input.subhead.map(str::to_string),
                display: variant.opener == Opener::Display,
            },
            depth,
        );
        let mut crop_cost = 0.0;
        if let (Opener::Wide(factor), Some(lead)) = (variant.opener, lead) {
            let (item, depth, crop) = self.photo_block(lead, g.text_width(), factor, g.lines / 2);
            // The crop as set (the page's half may have cut it further);
            // past 15 % a photo is no longer the photographer's.
            crop_cost = crop * 1.5 + if crop > MAX_CROP { FAULT } else { 0.0 };
            crop_cost += resolution_cost(lead, &item);
            flow.place_across(item, depth + AIR);
        }
        // The flow: text lines, with the column photo, the quote and the
        // other photos (in the text) as blocks between paragraphs.
        let mut blocks: Vec<(usize, Block)> = Vec::new();
        if let (Opener::Column, Some(lead)) = (variant.opener, lead) {
            let (item, depth, crop) = self.photo_block(lead, g.column, 1.0, g.lines / 2);
            crop_cost = crop * 1.5 + if crop > MAX_CROP { FAULT } else { 0.0 };
            crop_cost += resolution_cost(lead, &item);
            blocks.push((0, Block { item, depth }));
        }
        let paragraphs = self.input.paragraphs.len();
        if let Some((after, lines)) = &self.quote {
            let height = lines.len() as f64 * QUOTE_PITCH + 16.0;
            let depth = g.lines_for(height);
            blocks.push((
                after + 1,
                Block {
                    item: Item::Quote {
                        x: 0.0,
                        y: 0.0,
                        w: g.column,
                        height: depth as f64 * g.pitch,
                        lines: lines.clone(),
                    },
                    depth,
                },
            ));
        }
        if variant.others == Others::InText {
            for (j, photo) in others.iter().enumerate() {
                // Spread through the text: after paragraph ⌈(j+1)·n/(k+1)⌉.
                let after = ((j + 1) * paragraphs).div_ceil(others.len() + 1);
                let (item, depth, _) = self.photo_block(photo, g.column, 1.0, g.lines / 2);
                blocks.push((after.max(1), Block { item, depth }));
            }
        }
        blocks.sort_by_key(|(after, _)| *after);
        let mut units = Vec::new();
        let mut next_block = blocks.into_iter().peekable();
        for (i, line) in self.lines.iter().enumerate() {
            let p = self.paragraph_of[i];
            while next_block
                .peek()
                .is_some_and(|(after, _)| *after <= p && line.indent)
            {
                let (_, block) = next_block.next().expect("peeked");
                units.push(Unit::Block(block));
            }
            units.push(Unit::Line(line));
        }
        units.extend(next_block.map(|(_, b)| Unit::Block(b)));
        flow.pour(units);
        // The gallery after the text.
        if let Others::Gallery(across) = variant.others {
            flow.gallery(&self.gallery_rows(others, across));
        }
        self.judge(variant, flow, crop_cost)
    }

    /// Cost and faults of a laid-out variant.
    fn judge(&self, variant: Variant, flow: Flow, crop_cost: f64) -> Laid {
        let g = self.geometry;
        let pages = flow.pages;
        let long = self.lines.len() as f64 / (g.columns * g.lines) as f64;
        let mut cost = crop_cost
            + match variant.opener {
                // A long story opens best with a spread.
                Opener::Wide(_) if long >= 2.0 => 0.3,
                Opener::Wide(_) => 0.0,
                Opener::Column => 0.6,
                Opener::Spread if long >= 2.0 => 0.0,
                Opener::Spread if long >= 1.5 => 0.3,
                Opener::Spread => 3.0,
                Opener::Plain if self.input.photos.is_empty() => 0.0,
                Opener::Plain => 1.5,
                Opener::Display if self.input.photos.is_empty() => 0.8,
                Opener::Display => 1.5,
            }
            + match variant.others {
                Others::InText if self.input.photos.len() > 3 => 2.0,
                Others::InText => 0.0,
                Others::Gallery(n) if n == 3 || g.columns == 1 && n == 2 => 0.4,
                Others::Gallery(_) => 0.2,
            };
        let mut faults = 0;
        for page in &pages {
            let text = page
                .items
                .iter()
                .filter(|i| matches!(i, Item::Line { .. }))
                .count();
            let photos = page
                .items
                .iter()
                .filter(|i| matches!(i, Item::Photo { .. }))
                .count();
            let other = page.items.len() - text - photos;
            if text > 0 && text < 6 && photos == 0 && other == 0 {
                faults += 1;
            }
            // Photos with no text: only a gallery's pages are designed so.
            if page.kind == Kind::Story && text == 0 && other == 0 && photos > 0 {
                faults += 1;
            }
        }
        // The white under each column of each page (a spread's photo page
        // is full as it is).
        for page in pages.iter().filter(|p| p.kind != Kind::Spread) {
            let white: f64 = (0..g.columns)
                .map(|c| 1.0 - column_bottom(page, &g, c) / g.text_height())
                .sum::<f64>()
                / g.columns as f64;
            cost += super::booklet::WHITE * white.max(0.0);
        }
        Laid {
            variant,
            opens_left: variant.opener == Opener::Spread,
            pages,
            cost,
            faults,
        }
    }

    /// A caption broken for `width` pt.
    fn caption_lines(&self, photo: &PhotoInput, width: f64) -> Vec<String> {
        compose::break_text(&photo.caption, width / CAPTION, self.kai)
    }

    /// A photo `width` wide, its height its own times `factor` (at most
    /// `most` lines with the caption), fitted to whole lines with its
    /// caption: the item at (0, 0), the lines it takes, and how much of
    /// the photo's height the picture shows or adds (0 = none cropped).
    fn photo_block(
        &self,
        photo: &PhotoInput,
        width: f64,
        factor: f64,
        most: usize,
    ) -> (Item, usize, f64) {
        let g = self.geometry;
        let caption = self.caption_lines(photo, width);
        let under = CAPTION_GAP + caption.len() as f64 * CAPTION_PITCH;
        let natural = width / photo.aspect();
        let wanted = natural * factor + under;
        // At least three lines of picture above a caption, however long.
        let least = g.lines_for(under) + 3;
        let depth = ((wanted / g.pitch).round() as usize).clamp(least, most.max(least));
        let h = depth as f64 * g.pitch - under;
        let crop = (1.0 - h / natural).abs();
        (
            Item::Photo {
                photo: photo.index,
                x: 0.0,
                y: 0.0,
                w: width,
                h,
                caption,
            },
            depth,
            crop,
        )
    }

    /// The gallery's rows: `across` photos a row, each as tall as its own
    /// aspect makes it, its caption under it.
    fn gallery_rows(&self, photos: &[PhotoInput], across: usize) -> Vec<(Vec<Item>, usize)> {
        let g = self.geometry;
        let across = across.max(1);
        let cell = (g.text_width() - (across - 1) as f64 * g.gutter) / across as f64;
        photos
            .chunks(across)
            .map(|row| {
                // Each photo at its own aspect (uncropped from 0.66 to
                // 1.8, a tall upright to a wide panorama), its caption
                // under it; the row as deep as its deepest cell.
                let cells: Vec<(f64, Vec<String>)> = row
                    .iter()
                    .map(|p| {
                        (
                            cell / p.aspect().clamp(0.66, 1.8),
                            self.caption_lines(p, cell),
                        )
                    })
                    .collect();
                let depth = cells
                    .iter()
                    .map(|(h, caption)| {
                        g.lines_for(h + CAPTION_GAP + caption.len() as f64 * CAPTION_PITCH)
                    })
                    .max()
                    .unwrap_or(1);
                // A last row short of photos is centred.
                let short = (across - row.len()) as f64 * (cell + g.gutter) / 2.0;
                let items = row
                    .iter()
                    .zip(cells)
                    .enumerate()
                    .map(|(i, (photo, (h, caption)))| Item::Photo {
                        photo: photo.index,
                        x: short + i as f64 * (cell + g.gutter),
                        y: 0.0,
                        w: cell,
                        h,
                        caption,
                    })
                    .collect();
                (items, depth + AIR)
            })
            .collect()
    }
}

/// A block in the text: a photo one column wide or the quote.
struct Block {
    item: Item,
    depth: usize,
}

/// What the text flow carries.
enum Unit<'a> {
    Line(&'a ComposedLine),
    Block(Block),
}

impl Unit<'_> {
    fn depth(&self) -> usize {
        match self {
            Unit::Line(_) => 1,
            Unit::Block(b) => b.depth + AIR,
        }
    }
}

/// Pages being filled.
struct Flow {
    g: Geometry,
    pages: Vec<StoryPage>,
    /// First free line of the current page, across all columns.
    top: usize,
}

impl Flow {
    fn new(g: Geometry) -> Self {
        Self {
            g,
            pages: vec![StoryPage {
                kind: Kind::Story,
                items: Vec::new(),
            }],
            top: 0,
        }
    }

    fn new_page(&mut self) {
        self.pages.push(StoryPage {
            kind: Kind::Story,
            items: Vec::new(),
        });
        self.top = 0;
    }

    fn page(&mut self) -> &mut StoryPage {
        self.pages.last_mut().expect("a page")
    }

    /// Places a block across the columns at the current top.
    fn place_across(&mut self, mut item: Item, depth: usize) {
        if self.top + depth > self.g.lines && self.top > 0 {
            self.new_page();
        }
        set_position(&mut item, 0.0, self.top as f64 * self.g.pitch);
        self.page().items.push(item);
        self.top += depth;
    }

    /// Pours the units into the columns, page after page; the last page's
    /// columns balanced. No paragraph's first line alone at a column's
    /// foot, no last line alone at its head.
    fn pour(&mut self, mut units: Vec<Unit>) {
        let g = self.g;
        let mut next = 0;
        while next < units.len() {
            if self.top >= g.lines.saturating_sub(1) {
                self.new_page();
            }
            let room = g.lines - self.top;
            let depth = self.depth_for(&units, next, room);
            let mut deepest = 0;
            let before = next;
            for c in 0..g.columns {
                if next >= units.len() {
                    break;
                }
                defer_block(&mut units, next, depth);
                let (mut end, _) = self.column_end(&units, next, depth);
                if end == next {
                    // A block deeper than a column of this page: the next
                    // page takes it; on a fresh page it is set regardless.
                    if self.top > 0 {
                        break;
                    }
                    end = next + 1;
                }
                let mut y = self.top;
                for unit in &units[next..end] {
                    let x = g.column_x(c);
                    let top = y as f64 * g.pitch;
                    match unit {
                        Unit::Line(line) => self.page().items.push(Item::Line {
                            x,
                            y: top,
                            w: g.column,
                            text: line.text.clone(),
                            indent: line.indent,
                            justify: line.justify,
                            spread: line.spread,
                            latin_tracking: line.latin_tracking,
                        }),
                        Unit::Block(block) => {
                            let mut item = block.item.clone();
                            set_position(&mut item, x, top);
                            self.page().items.push(item);
                        }
                    }
                    y += unit.depth();
                }
                deepest = deepest.max(y - self.top);
                next = end;
            }
            if next == before {
                self.new_page();
                continue;
            }
            self.top += deepest;
            if next < units.len() {
                self.new_page();
            } else {
                // Space between the text and what follows.
                self.top += AIR;
            }
        }
    }

    /// The depth of this page's columns from `from`: the shallowest that
    /// takes all that is left with no widow or orphan (the last page,
    /// balanced); else the whole room, or a line or three less where the
    /// page after would hold fewer than 6 lines alone.
    fn depth_for(&self, units: &[Unit], from: usize, room: usize) -> usize {
        let columns = self.g.columns;
        let left: usize = units[from..].iter().map(Unit::depth).sum();
        if left <= room * columns
            && let Some(depth) = (left.div_ceil(columns)..=room)
                .find(|&d| self.takes(units, from, d) == (units.len(), true))
        {
            return depth;
        }
        let back = MIN_ALONE.div_ceil(self.g.columns);
        for depth in (room.saturating_sub(back).max(1)..=room).rev() {
            let (end, _) = self.takes(units, from, depth);
            let rest: usize = units[end..].iter().map(Unit::depth).sum();
            if rest == 0 || rest >= MIN_ALONE {
                return depth;
            }
        }
        room
    }

    /// Where the page's columns at `depth` from `from` end, and whether
    /// every column ends clean (no widow, no orphan) and none is deeper
    /// than the one before it.
    fn takes(&self, units: &[Unit], from: usize, depth: usize) -> (usize, bool) {
        let mut next = from;
        let mut clean = true;
        let mut before = usize::MAX;
        for _ in 0..self.g.columns {
            let (end, ok) = self.column_end(units, next, depth);
            // Balanced columns fall from left to right, never rise.
            let used: usize = units[next..end].iter().map(Unit::depth).sum();
            clean &= ok && used <= before;
            before = used;
            next = end;
            if next >= units.len() {
                break;
            }
        }
        (next, clean)
    }

    /// Where a column of `depth` lines starting at unit `from` ends: as
    /// many units as fit, then one less while that leaves a paragraph's
    /// first line at the foot or its last line at the head of the next;
    /// and whether it could end clean.
    fn column_end(&self, units: &[Unit], from: usize, depth: usize) -> (usize, bool) {
        let mut used = 0;
        let mut end = from;
        while end < units.len() && used + units[end].depth() <= depth {
            used += units[end].depth();
            end += 1;
        }
        if end >= units.len() || end == from {
            return (end, true);
        }
        let first_line = |i: usize| matches!(units.get(i), Some(Unit::Line(l)) if l.indent);
        let continues = |i: usize| matches!(units.get(i), Some(Unit::Line(l)) if !l.indent);
        let last_line = |i: usize| matches!(units.get(i), Some(Unit::Line(l)) if !l.justify);
        // The next line of text, past any block set between.
        let next_line = |i: usize| {
            (i..units.len())
                .find(|&j| matches!(units[j], Unit::Line(_)))
                .unwrap_or(units.len())
        };
        let split_badly = |end: usize| {
            let orphan = first_line(end - 1) && continues(next_line(end));
            let widow = continues(end) && last_line(end);
            orphan || widow
        };
        for _ in 0..3 {
            if split_badly(end) && end - 1 > from {
                end -= 1;
            } else {
                break;
            }
        }
        (end, !split_badly(end))
    }

    /// Places the gallery's rows after the text, a new page when a row
    /// does not fit.
    fn gallery(&mut self, rows: &[(Vec<Item>, usize)]) {
        for (items, depth) in rows {
            if self.top + depth - AIR > self.g.lines && self.top > 0 {
                self.new_page();
            }
            let y = self.top as f64 * self.g.pitch;
            for item in items {
                let mut item = item.clone();
                if let Item::Photo { y: top, .. } = &mut item {
                    *top = y;
                }
                self.page().items.push(item);
            }
            self.top += depth;
        }
        // Pages of the gallery alone are designed pages.
        for page in &mut self.pages {
            let only_photos = !page.items.is_empty()
                && page.items.iter().all(|i| matches!(i, Item::Photo { .. }));
            if only_photos && page.items.len() >= 2 {
                page.kind = Kind::Gallery;
            }
        }
    }
}

/// A block (photo, quote) that does not fit what is left of a column of
/// `depth` from unit `from` waits: the lines after it that fit go first,
/// and the block opens the next column — no white under a column for a
/// float that did not fit.
fn defer_block(units: &mut [Unit], from: usize, depth: usize) {
    let mut used = 0;
    let mut at = from;
    while at < units.len() && used + units[at].depth() <= depth {
        used += units[at].depth();
        at += 1;
    }
    if !matches!(units.get(at), Some(Unit::Block(_))) {
        return;
    }
    let room = depth - used;
    let lines = units[at + 1..]
        .iter()
        .take(room)
        .take_while(|u| matches!(u, Unit::Line(_)))
        .count();
    if lines > 0 {
        units[at..=at + lines].rotate_left(1);
    }
}

/// How far down column `c` of a page something is set, pt.
fn column_bottom(page: &StoryPage, g: &Geometry, c: usize) -> f64 {
    let (left, right) = (g.column_x(c), g.column_x(c) + g.column);
    page.items
        .iter()
        .filter_map(|item| {
            let (x, w, bottom) = match item {
                Item::Line { x, y, w, .. } => (*x, *w, y + g.pitch),
                Item::Photo {
                    x,
                    y,
                    w,
                    h,
                    caption,
                    ..
                } => (
                    *x,
                    *w,
                    y + h + CAPTION_GAP + caption.len() as f64 * CAPTION_PITCH,
                ),
                Item::Quote {
                    x, y, w, height, ..
                } => (*x, *w, y + height),
                Item::Headline { y, height, .. } => (0.0, g.text_width(), y + height),
                Item::Bleed { .. } => (0.0, g.text_width(), g.text_height()),
            };
            (x < right && x + w > left).then_some(bottom)
        })
        .fold(0.0, f64::max)
}

/// Moves an item to (x, y) (items built at the origin).
fn set_position(item: &mut Item, to_x: f64, to_y: f64) {
    match item {
        Item::Photo { x, y, .. } | Item::Quote { x, y, .. } | Item::Line { x, y, .. } => {
            *x += to_x;
            *y = to_y;
        }
        Item::Headline { y, .. } => *y = to_y,
        Item::Bleed { .. } => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Paper;

    /// Every character one em wide.
    struct Even;
    impl Metrics for Even {
        fn advance(&self, _: char) -> f64 {
            1.0
        }
    }

    fn story(paragraphs: &[String], photos: usize) -> StoryInput<'_> {
        StoryInput {
            section: 0,
            kicker: None,
            headline: &[],
            subhead: None,
            paragraphs,
            quote: None,
            photos: (0..photos)
                .map(|index| PhotoInput {
                    index,
                    pixels: (6000, 4000),
                    caption: "图片说明。".into(),
                })
                .collect(),
        }
    }

    /// The body lines of each page, by column, as (indent, justify).
    fn columns(laid: &Laid, g: &Geometry) -> Vec<Vec<Vec<(bool, bool)>>> {
        laid.pages
            .iter()
            .map(|page| {
                (0..g.columns)
                    .map(|c| {
                        let mut lines: Vec<(f64, bool, bool)> = page
                            .items
                            .iter()
                            .filter_map(|item| match item {
                                Item::Line {
                                    x,
                                    y,
                                    indent,
                                    justify,
                                    ..
                                } if (*x - g.column_x(c)).abs() < 0.1 => {
                                    Some((*y, *indent, *justify))
                                }
                                _ => None,
                            })
                            .collect();
                        lines.sort_by(|a, b| a.0.total_cmp(&b.0));
                        lines.into_iter().map(|(_, i, j)| (i, j)).collect()
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn no_column_starts_with_a_paragraphs_last_line_nor_ends_with_its_first() {
        let g = Geometry::of(Paper::A4);
        let faces = Faces {
            song: &Even,
            kai: &Even,
        };
        // Paragraphs of every length, so that breaks fall everywhere.
        let paragraphs: Vec<String> = (0..60).map(|i| "字".repeat(19 + (i * 37) % 90)).collect();
        let input = story(&paragraphs, 0);
        let measured = Story::new(&input, g, &faces);
        for variant in measured.variants() {
            let laid = measured.lay_out(variant);
            let pages = columns(&laid, &g);
            let flat: Vec<(bool, bool)> = pages.iter().flatten().flatten().copied().collect();
            let mut seen = 0;
            for column in pages.iter().flatten().filter(|c| !c.is_empty()) {
                let (first, last) = (column[0], column[column.len() - 1]);
                seen += column.len();
                let next = flat.get(seen);
                assert!(
                    !(last.0 && next.is_some_and(|n| !n.0)),
                    "{variant:?}: a first line alone at a column's foot"
                );
                assert!(
                    !(!first.0 && !first.1 && seen > column.len()),
                    "{variant:?}: a last line alone at a column's head"
                );
            }
            assert_eq!(
                flat.len(),
                measured.text_lines(),
                "{variant:?}: every line set once"
            );
        }
    }

    #[test]
    fn the_last_page_is_balanced_and_never_a_few_lines_alone() {
        let g = Geometry::of(Paper::A4);
        let faces = Faces {
            song: &Even,
            kai: &Even,
        };
        for n in [3, 7, 12, 40, 81, 83, 85, 120] {
            // n lines of text in one-line paragraphs.
            let paragraphs: Vec<String> = (0..n).map(|_| "字".repeat(10)).collect();
            let input = story(&paragraphs, 0);
            let measured = Story::new(&input, g, &faces);
            let laid = measured.lay_out(Variant {
                opener: Opener::Plain,
                others: Others::InText,
            });
            let last = &columns(&laid, &g)[laid.pages.len() - 1];
            let (a, b) = (last[0].len(), last[1].len());
            assert!(a >= b && a - b <= 1, "{n} lines: columns of {a} and {b}");
            if laid.pages.len() > 1 {
                assert!(
                    a + b >= MIN_ALONE,
                    "{n} lines: {} alone on the last page",
                    a + b
                );
            }
        }
    }

    #[test]
    fn a_spread_opens_with_the_lead_photo_over_the_left_page_and_costs_a_short_story_dear() {
        let g = Geometry::of(Paper::A4);
        let faces = Faces {
            song: &Even,
            kai: &Even,
        };
        let paragraphs: Vec<String> = (0..40).map(|_| "字".repeat(120)).collect();
        let input = story(&paragraphs, 1);
        let measured = Story::new(&input, g, &faces);
        let spread = measured.lay_out(Variant {
            opener: Opener::Spread,
            others: Others::InText,
        });
        assert!(spread.opens_left);
        assert_eq!(spread.pages[0].kind, Kind::Spread);
        assert!(matches!(
            spread.pages[0].items[..],
            [Item::Bleed { photo: 0, .. }]
        ));
        assert!(matches!(spread.pages[1].items[0], Item::Headline { .. }));
        // A short story's spread costs a page of white and more.
        let short = vec!["字".repeat(300)];
        let input = story(&short, 1);
        let short = Story::new(&input, g, &faces);
        let cost = |opener| {
            short
                .lay_out(Variant {
                    opener,
                    others: Others::InText,
                })
                .cost
        };
        assert!(cost(Opener::Spread) > cost(Opener::Wide(1.0)) + 2.0);
    }

    #[test]
    fn a_photo_without_the_pixels_for_a_whole_page_never_opens_a_spread() {
        let g = Geometry::of(Paper::A4);
        let faces = Faces {
            song: &Even,
            kai: &Even,
        };
        let paragraphs: Vec<String> = (0..40).map(|_| "字".repeat(120)).collect();
        let mut input = story(&paragraphs, 1);
        // 1600 × 1067 over an A4 page: about 90 ppi.
        input.photos[0].pixels = (1600, 1067);
        let measured = Story::new(&input, g, &faces);
        assert!(
            measured
                .variants()
                .iter()
                .all(|v| v.opener != Opener::Spread)
        );
        input.photos[0].pixels = (6000, 4000);
        let measured = Story::new(&input, g, &faces);
        assert!(
            measured
                .variants()
                .iter()
                .any(|v| v.opener == Opener::Spread)
        );
    }

    #[test]
    fn eight_photos_of_a_short_story_make_a_gallery_not_eight_floats() {
        let g = Geometry::of(Paper::A4);
        let faces = Faces {
            song: &Even,
            kai: &Even,
        };
        let paragraphs = vec!["字".repeat(165)];
        let input = story(&paragraphs, 8);
        let measured = Story::new(&input, g, &faces);
        let best = measured
            .variants()
            .into_iter()
            .map(|v| measured.lay_out(v))
            .min_by(|a, b| a.score().total_cmp(&b.score()))
            .unwrap();
        assert!(
            matches!(best.variant.others, Others::Gallery(_)),
            "{:?}",
            best.variant
        );
        assert!(best.pages.len() <= 2, "{} pages", best.pages.len());
        assert_eq!(best.faults, 0);
    }
}
