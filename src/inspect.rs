//! The inspector: walks a laid-out document and lists every line of text
//! with its position, font and size, and every image with its box. Tests
//! and checks use it to verify layout rules exactly instead of by eye.

use typst::layout::{Frame, FrameItem, Point, Transform};
use typst::text::TextItem;
use typst_layout::PagedDocument;

/// A run of glyphs in one font and size (one Typst text item).
#[derive(Debug, Clone)]
pub struct Run {
    /// The run's text.
    pub text: String,
    /// Left edge in pt from the page's left.
    pub x: f64,
    /// Baseline in pt from the page's top.
    pub y: f64,
    /// Width of the em boxes in pt (justification stretch after the last
    /// letter left out).
    pub width: f64,
    /// Width to the end of the last glyph's ink, in pt.
    pub ink_width: f64,
    /// Font size in pt.
    pub size: f64,
    /// The face's family name.
    pub family: String,
    /// The face's weight (400 regular, 700 bold…).
    pub weight: u16,
    /// Each glyph's character and advance in pt, in order.
    pub glyphs: Vec<(char, f64)>,
}

/// One line of text: the runs laid out together on one baseline.
#[derive(Debug, Clone)]
pub struct Line {
    /// 1-based page number.
    pub page: usize,
    /// The runs, left to right.
    pub runs: Vec<Run>,
}

impl Line {
    /// Every glyph's character and advance (pt), left to right, word
    /// joiners left out.
    pub fn glyphs(&self) -> Vec<(char, f64)> {
        self.runs
            .iter()
            .flat_map(|r| r.glyphs.iter().copied())
            .filter(|(c, _)| *c != '\u{2060}')
            .collect()
    }

    /// The line's text, word joiners removed.
    pub fn text(&self) -> String {
        self.runs
            .iter()
            .flat_map(|r| r.text.chars())
            .filter(|&c| c != '\u{2060}')
            .collect()
    }

    /// Left edge in pt.
    pub fn left(&self) -> f64 {
        self.runs.iter().map(|r| r.x).fold(f64::INFINITY, f64::min)
    }

    /// Right edge in pt.
    pub fn right(&self) -> f64 {
        self.runs
            .iter()
            .map(|r| r.x + r.width)
            .fold(f64::NEG_INFINITY, f64::max)
    }

    /// Right edge of the ink in pt: where the last glyph's outline ends
    /// for a punctuation mark, its em box for a letter.
    pub fn ink_right(&self) -> f64 {
        self.runs
            .iter()
            .map(|r| r.x + r.ink_width)
            .fold(f64::NEG_INFINITY, f64::max)
    }

    /// Baseline in pt from the page's top.
    pub fn baseline(&self) -> f64 {
        self.runs.first().map_or(0.0, |r| r.y)
    }

    /// The largest font size on the line.
    pub fn size(&self) -> f64 {
        self.runs.iter().map(|r| r.size).fold(0.0, f64::max)
    }

    /// The family of the line's first run.
    pub fn family(&self) -> &str {
        self.runs.first().map_or("", |r| r.family.as_str())
    }
}

/// An image placed on a page, with its visible box.
#[derive(Debug, Clone)]
pub struct Picture {
    /// 1-based page number.
    pub page: usize,
    /// Left, top, right, bottom in pt (after clipping to its frame).
    pub bbox: [f64; 4],
}

/// Everything the inspector found in a document.
#[derive(Debug, Default)]
pub struct Inspection {
    /// Page sizes (width, height) in pt.
    pub pages: Vec<(f64, f64)>,
    /// Lines, in layout order.
    pub lines: Vec<Line>,
    /// Images, in layout order.
    pub pictures: Vec<Picture>,
}

/// Walks every page of a document.
pub fn inspect(document: &PagedDocument) -> Inspection {
    let mut inspection = Inspection::default();
    for (index, page) in document.pages().iter().enumerate() {
        let size = page.frame.size();
        inspection.pages.push((size.x.to_pt(), size.y.to_pt()));
        walk(
            &page.frame,
            Transform::identity(),
            None,
            index + 1,
            &mut inspection,
        );
    }
    inspection
}

fn walk(frame: &Frame, ts: Transform, clip: Option<[f64; 4]>, page: usize, out: &mut Inspection) {
    // A line is a run of text items, next to each other in one frame, on
    // one baseline; anything else in between ends it. Items are taken in
    // the frame's own order, which is the order Typst laid them out in.
    let mut line: Vec<Run> = Vec::new();
    let flush = |line: &mut Vec<Run>, out: &mut Inspection| {
        if !line.is_empty() {
            let mut runs = std::mem::take(line);
            runs.sort_by(|a, b| a.x.total_cmp(&b.x));
            out.lines.push(Line { page, runs });
        }
    };
    for (pos, item) in frame.items() {
        match item {
            FrameItem::Text(text) => {
                let run = run(text, Point::new(pos.x, pos.y).transform(ts), ts);
                if line
                    .last()
                    .is_some_and(|last| (last.y - run.y).abs() > 0.01)
                {
                    flush(&mut line, out);
                }
                line.push(run);
            }
            FrameItem::Group(group) => {
                let inner = ts
                    .pre_concat(Transform::translate(pos.x, pos.y))
                    .pre_concat(group.transform);
                // A box inside a line (text kept together: `together` in
                // layouts/common.typ) is part of that line: one run of text
                // on the line's baseline joins it.
                if group.clip.is_none() {
                    let mut boxed = Inspection::default();
                    walk(&group.frame, inner, clip, page, &mut boxed);
                    if let ([only], []) = (&boxed.lines[..], &boxed.pictures[..]) {
                        // It continues the line where the last run ends (up
                        // to an em of justification after it), on its
                        // baseline; else it starts a line of its own.
                        let first = &only.runs[0];
                        let continues = line.last().is_some_and(|last| {
                            let gap = first.x - (last.x + last.width);
                            (last.y - first.y).abs() <= 0.01 && (-1.0..=last.size).contains(&gap)
                        });
                        if !continues {
                            flush(&mut line, out);
                        }
                        line.extend(only.runs.iter().cloned());
                        continue;
                    }
                }
                flush(&mut line, out);
                let clip = match &group.clip {
                    Some(_) => {
                        let size = group.frame.size();
                        Some(intersect(clip, bbox(inner, size.x.to_pt(), size.y.to_pt())))
                    }
                    None => clip,
                };
                walk(&group.frame, inner, clip, page, out);
            }
            FrameItem::Image(_, size, _) => {
                flush(&mut line, out);
                let box_ = bbox(
                    ts.pre_concat(Transform::translate(pos.x, pos.y)),
                    size.x.to_pt(),
                    size.y.to_pt(),
                );
                out.pictures.push(Picture {
                    page,
                    bbox: intersect(clip, box_),
                });
            }
            FrameItem::Shape(..) | FrameItem::Link(..) | FrameItem::Tag(_) => {}
        }
    }
    flush(&mut line, out);
}

/// One text item as a run: where it sits, how wide its box and its ink
/// are, its face, and each glyph's advance.
fn run(text: &TextItem, origin: Point, ts: Transform) -> Run {
    let info = text.font.font().info();
    // A run's em box ends after its last glyph, less the
    // justification stretch Typst put after a letter; its ink ends
    // where the last glyph's outline ends (a squeezed mark's ink
    // sits well inside its box).
    let (trailing, ink_trailing) = text.glyphs.last().map_or((0.0, 0.0), |glyph| {
        let advance = glyph.x_advance.get();
        let last = text.text[glyph.range()].chars().next().unwrap_or(' ');
        let ink = text
            .font
            .ttf()
            .glyph_bounding_box(ttf_parser::GlyphId(glyph.id))
            .map_or(advance, |bbox| {
                f64::from(bbox.x_max) / text.font.units_per_em() + glyph.x_offset.get()
            });
        let box_end = if last.is_alphanumeric() {
            // Typst puts the ¼ em after Latin as an offset.
            text.font
                .x_advance(glyph.id)
                .map_or(advance, |em| (em.get() + glyph.x_offset.get()).min(advance))
        } else {
            advance
        };
        let ink_end = if last.is_alphanumeric() { box_end } else { ink };
        let size = text.size.to_pt();
        ((advance - box_end) * size, (advance - ink_end) * size)
    });
    Run {
        text: text.text.to_string(),
        x: origin.x.to_pt(),
        y: origin.y.to_pt(),
        width: (text.width().to_pt() - trailing) * ts.sx.get(),
        ink_width: (text.width().to_pt() - ink_trailing) * ts.sx.get(),
        size: text.size.to_pt() * ts.sy.get(),
        family: info.family.clone(),
        weight: info.variant.weight.to_number(),
        glyphs: text
            .glyphs
            .iter()
            .map(|g| {
                let c = text.text[g.range()].chars().next().unwrap_or(' ');
                (c, g.x_advance.get() * text.size.to_pt())
            })
            .collect(),
    }
}

fn bbox(ts: Transform, width: f64, height: f64) -> [f64; 4] {
    let corners = [(0.0, 0.0), (width, 0.0), (0.0, height), (width, height)].map(|(x, y)| {
        let p = Point::new(typst::layout::Abs::pt(x), typst::layout::Abs::pt(y)).transform(ts);
        (p.x.to_pt(), p.y.to_pt())
    });
    let xs = corners.map(|c| c.0);
    let ys = corners.map(|c| c.1);
    [
        xs.iter().copied().fold(f64::INFINITY, f64::min),
        ys.iter().copied().fold(f64::INFINITY, f64::min),
        xs.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        ys.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    ]
}

fn intersect(clip: Option<[f64; 4]>, b: [f64; 4]) -> [f64; 4] {
    match clip {
        Some(c) => [
            b[0].max(c[0]),
            b[1].max(c[1]),
            b[2].min(c[2]),
            b[3].min(c[3]),
        ],
        None => b,
    }
}

/// Metadata a template published on purpose (`metadata(..) <label>`): its
/// value, and where it landed.
#[derive(Debug, Clone)]
pub struct Marker {
    /// The metadata's value.
    pub value: serde_json::Value,
    /// 1-based page number.
    pub page: usize,
    /// Position in pt from the page's top-left.
    pub x: f64,
    /// Position in pt from the page's top-left.
    pub y: f64,
    /// The page's width in pt.
    pub page_width: f64,
}

/// Every marker a template published under `label`, in document order.
pub fn markers(document: &PagedDocument, label: &str) -> Vec<Marker> {
    use typst::foundations::{Label, Selector};
    let label = Label::new(typst::utils::PicoStr::intern(label)).expect("a valid label");
    let introspector = document.introspector();
    introspector
        .elements()
        .query(&Selector::Label(label))
        .iter()
        .filter_map(|content| {
            let value = serde_json::to_value(content.get_by_name("value").ok()?).ok()?;
            let position = introspector.position(content.location()?)?;
            let page = position.page.get();
            Some(Marker {
                value,
                page,
                x: position.point.x.to_pt(),
                y: position.point.y.to_pt(),
                page_width: document.pages().get(page - 1)?.frame.width().to_pt(),
            })
        })
        .collect()
}
