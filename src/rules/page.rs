//! The page's composition, measured on the laid-out newspaper page
//! (COMPOSITION.md): holes in the grid, leg depths, bumping headlines,
//! the photos' share, size, crop and resolution, loose lines, and the lead
//! story's place. Positions come from what the template drew (text lines,
//! images) and the markers it publishes on purpose (each module, headline,
//! photo block, figures box and rule line), never from the plan alone.

use typst_layout::PagedDocument;

use super::{ASCENT, EM, GRID_TOLERANCE, Rule, Tally, areas, grid_top};
use crate::cjk::is_han;
use crate::compose::grid::{self, COLUMN, COLUMNS, GUTTER, PITCH};
use crate::compose::module::{LEG_MAX, LEG_MIN, MAX_CROP, PPI};
use crate::fonts;
use crate::inspect::{Inspection, markers};
use crate::pipeline::Prepared;
use crate::report::PhotoShape;

/// The photos' share of the area, as a range: the composer's.
const SHARE: (f64, f64) = crate::compose::module::PHOTO_SHARE;
/// The widest gap between two Han characters, in em.
const LOOSE: f64 = 1.0 / 3.0;

/// One grid: columns × lines of the module area, what covers each cell.
struct Cells {
    left: f64,
    top: f64,
    lines: usize,
    filled: Vec<bool>,
}

impl Cells {
    fn new(left: f64, top: f64, lines: usize) -> Self {
        Self {
            left,
            top,
            lines,
            filled: vec![false; lines * COLUMNS],
        }
    }

    /// The column (0-based) whose box contains `x` pt, gutters going to
    /// the column on their right.
    fn column(&self, x: f64) -> Option<usize> {
        let c = ((x - self.left + GUTTER * EM / 2.0) / ((COLUMN + GUTTER) * EM)).floor();
        (c >= 0.0 && (c as usize) < COLUMNS).then_some(c as usize)
    }

    fn line(&self, y: f64) -> Option<usize> {
        let l = ((y - self.top) / (PITCH * EM)).floor();
        (l >= 0.0 && (l as usize) < self.lines).then_some(l as usize)
    }

    /// Fills the cells of a box `columns` × `lines` from its top-left.
    fn fill_box(&mut self, x: f64, y: f64, columns: usize, lines: usize) {
        let (Some(c0), Some(l0)) = (self.column(x + 1.0), self.line(y + 1.0)) else {
            return;
        };
        for l in l0..(l0 + lines).min(self.lines) {
            for c in c0..(c0 + columns).min(COLUMNS) {
                self.filled[l * COLUMNS + c] = true;
            }
        }
    }

    /// Fills the cells a box in pt covers by half or more.
    fn fill_pt(&mut self, left: f64, top: f64, right: f64, bottom: f64) {
        let pitch = PITCH * EM;
        for l in 0..self.lines {
            let (t, b) = (
                self.top + l as f64 * pitch,
                self.top + (l + 1) as f64 * pitch,
            );
            if (bottom.min(b) - top.max(t)) < pitch / 2.0 {
                continue;
            }
            for c in 0..COLUMNS {
                let x0 = self.left + c as f64 * (COLUMN + GUTTER) * EM;
                let x1 = x0 + COLUMN * EM;
                if right.min(x1) - left.max(x0) >= COLUMN * EM / 2.0 {
                    self.filled[l * COLUMNS + c] = true;
                }
            }
        }
    }

    fn holes(&self) -> Vec<(usize, usize)> {
        (0..self.lines)
            .flat_map(|l| (0..COLUMNS).map(move |c| (c, l)))
            .filter(|&(c, l)| !self.filled[l * COLUMNS + c])
            .collect()
    }
}

/// Counts the page-level rules into `tally`.
pub(super) fn check(
    prepared: &Prepared,
    document: &PagedDocument,
    inspection: &Inspection,
    tally: &mut Tally,
) {
    let Some(area) = ModuleArea::of(document) else {
        return;
    };
    holes(&area, prepared, document, inspection, tally);
    legs(prepared, document, inspection, tally);
    bumping_heads(document, tally);
    photos(&area, prepared, document, inspection, tally);
    loose_lines(&area, inspection, tally);
    lead_first(document, tally);
}

/// The module area as the template drew it: its page, its top and left in
/// pt, its lines.
struct ModuleArea {
    page: usize,
    top: f64,
    left: f64,
    lines: usize,
}

impl ModuleArea {
    fn of(document: &PagedDocument) -> Option<Self> {
        let top = grid_top(document)?;
        let grid = markers(document, "banmian-grid").into_iter().next()?;
        let lines = grid
            .value
            .get("lines")
            .and_then(|v| v.as_u64())
            .unwrap_or(0) as usize;
        Some(Self {
            page: grid.page,
            top,
            left: (grid.page_width - grid::span_pt(COLUMNS)) / 2.0,
            lines,
        })
    }

    /// Whether a line of text sits inside it.
    fn holds(&self, l: &crate::inspect::Line) -> bool {
        l.page == self.page
            && l.baseline() > self.top
            && l.baseline() < self.top + self.lines as f64 * PITCH * EM
    }
}

/// Holes: every cell of the grid holds something the page drew.
fn holes(
    area: &ModuleArea,
    prepared: &Prepared,
    document: &PagedDocument,
    inspection: &Inspection,
    tally: &mut Tally,
) {
    let page = area.page;
    let mut cells = Cells::new(area.left, area.top, area.lines);
    for label in [
        "banmian-headline",
        "banmian-block",
        "banmian-figures",
        "banmian-rule",
    ] {
        for m in markers(document, label).iter().filter(|m| m.page == page) {
            let count = |key: &str| m.value.get(key).and_then(|v| v.as_u64()).unwrap_or(0) as usize;
            cells.fill_box(m.x, m.y, count("columns"), count("lines"));
        }
    }
    for line in inspection.lines.iter().filter(|l| area.holds(l)) {
        if let (Some(l), true) = (
            cells.line(line.baseline() - ASCENT + 1.0),
            line.size() <= EM + 0.01,
        ) {
            let (Some(c0), Some(c1)) =
                (cells.column(line.left()), cells.column(line.right() - 1.0))
            else {
                continue;
            };
            for c in c0..=c1 {
                cells.filled[l * COLUMNS + c] = true;
            }
        }
    }
    for picture in inspection.pictures.iter().filter(|p| p.page == page) {
        let [x0, y0, x1, y1] = picture.bbox;
        cells.fill_pt(x0, y0, x1, y1);
    }
    // Photos inside the text: the shapes the text keeps clear of.
    for area in areas(prepared, document) {
        for shape in &area.text.shapes {
            let (x0, y0, x1, y1) = match *shape {
                crate::compose::Shape::Rect { x, y, w, h } => (x, y, x + w, y + h),
                crate::compose::Shape::Circle { cx, cy, r } => (cx - r, cy - r, cx + r, cy + r),
            };
            cells.fill_pt(
                area.x + x0 * EM,
                area.y + y0 * EM,
                area.x + x1 * EM,
                area.y + y1 * EM + 0.5 * EM,
            );
        }
    }
    for (c, l) in cells.holes() {
        tally.hit(Rule::Holes, || {
            format!("column {}, line {} of the module area", c + 1, l + 1)
        });
    }
}

/// Legs: runs of text lines in each column of each text area, 5 to 40
/// lines deep.
fn legs(prepared: &Prepared, document: &PagedDocument, inspection: &Inspection, tally: &mut Tally) {
    for area in areas(prepared, document) {
        for column in 0..area.text.columns {
            let x0 = area.x + column as f64 * (COLUMN + GUTTER) * EM;
            let mut rows: Vec<usize> = inspection
                .lines
                .iter()
                .filter(|l| {
                    l.page == area.page
                        && (l.size() - EM).abs() < 0.01
                        && l.family() == fonts::SERIF
                        && l.left() >= x0 - 0.5
                        && l.left() < x0 + COLUMN * EM
                        && l.baseline() > area.y
                        && l.baseline() < area.y + area.text.depth as f64 * PITCH * EM
                })
                .map(|l| ((l.baseline() - ASCENT - area.y) / (PITCH * EM)).round() as usize)
                .collect();
            rows.sort_unstable();
            rows.dedup();
            let mut start = 0;
            for i in 1..=rows.len() {
                if i == rows.len() || rows[i] != rows[i - 1] + 1 {
                    let depth = i - start;
                    if depth > 0 && !(LEG_MIN..=LEG_MAX).contains(&depth) {
                        tally.hit(Rule::LegDepth, || {
                            format!(
                                "section {} column {}: a leg of {depth} lines",
                                area.section + 1,
                                column + 1
                            )
                        });
                    }
                    start = i;
                }
            }
        }
    }
}

/// Bumping headlines: side by side, overlapping in height.
fn bumping_heads(document: &PagedDocument, tally: &mut Tally) {
    let heads = markers(document, "banmian-headline");
    let head_box = |m: &crate::inspect::Marker| {
        let columns = m
            .value
            .get("columns")
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0);
        let n = m.value.get("lines").and_then(|v| v.as_f64()).unwrap_or(0.0);
        (
            m.x,
            m.y,
            m.x + grid::span(columns as usize) * EM,
            m.y + n * PITCH * EM,
        )
    };
    for (a, ma) in heads.iter().enumerate() {
        for mb in heads.iter().skip(a + 1) {
            let (ax0, ay0, ax1, ay1) = head_box(ma);
            let (bx0, by0, bx1, by1) = head_box(mb);
            let beside =
                (bx0 - ax1).abs() <= GUTTER * EM + 0.5 || (ax0 - bx1).abs() <= GUTTER * EM + 0.5;
            if ma.page == mb.page
                && beside
                && ay0 < by1 - GRID_TOLERANCE
                && by0 < ay1 - GRID_TOLERANCE
            {
                tally.hit(Rule::BumpingHeads, || {
                    format!(
                        "sections {} and {}",
                        ma.value
                            .get("section")
                            .and_then(|v| v.as_u64())
                            .unwrap_or(0)
                            + 1,
                        mb.value
                            .get("section")
                            .and_then(|v| v.as_u64())
                            .unwrap_or(0)
                            + 1
                    )
                });
            }
        }
    }
}

/// Photos: their share of the area, each one's size, crop and resolution.
fn photos(
    area: &ModuleArea,
    prepared: &Prepared,
    document: &PagedDocument,
    inspection: &Inspection,
    tally: &mut Tally,
) {
    let page = area.page;
    let area_pt = grid::span_pt(COLUMNS) * area.lines as f64 * PITCH * EM;
    let (page_w, page_h) = inspection
        .pages
        .get(page - 1)
        .copied()
        .unwrap_or((0.0, 0.0));
    let placed = markers(document, "banmian-photo");
    let mut photo_area = 0.0;
    for m in placed.iter().filter(|m| m.page == page) {
        let (Some(index), Some(w), Some(h)) = (
            m.value.get("photo").and_then(|v| v.as_u64()),
            m.value.get("width").and_then(|v| v.as_f64()),
            m.value.get("height").and_then(|v| v.as_f64()),
        ) else {
            continue;
        };
        let index = index as usize;
        let round = prepared
            .loaded
            .report
            .photos
            .get(index)
            .is_some_and(|p| p.shape == PhotoShape::Circle);
        photo_area += if round {
            std::f64::consts::PI / 4.0 * w * h
        } else {
            w * h
        };
        if w * h > page_w * page_h / 4.0 {
            tally.hit(Rule::PhotoSize, || {
                format!(
                    "photo {} takes {:.0} % of the page",
                    index + 1,
                    100.0 * w * h / (page_w * page_h)
                )
            });
        }
        let Some(file) = prepared.photos.get(index) else {
            continue;
        };
        let (pw, ph) = (f64::from(file.width), f64::from(file.height));
        // A round photo is cut to a circle by the editor's choice.
        let aspect = (h / w) / (ph / pw.max(1.0));
        let crop = 1.0 - aspect.min(1.0 / aspect);
        if !round && crop > MAX_CROP + 0.005 {
            tally.hit(Rule::PhotoCrop, || {
                format!("photo {} cropped {:.0} %", index + 1, 100.0 * crop)
            });
        }
        // Pixels across the visible width (cover fit: the larger scale).
        let scale = (w / pw).max(h / ph);
        let ppi = 72.0 / scale;
        let smallest = grid::span_pt(2) / 72.0 * PPI;
        if ppi < PPI - 0.5 && pw >= smallest {
            tally.hit(Rule::PhotoPpi, || {
                format!("photo {} at {ppi:.0} ppi", index + 1)
            });
        }
    }
    if !prepared.loaded.report.photos.is_empty() {
        let share = photo_area / area_pt;
        if share < SHARE.0 || share > SHARE.1 {
            tally.hit(Rule::PhotoShare, || {
                format!("photos take {:.0} % of the module area", 100.0 * share)
            });
        }
    }
}

/// Loose lines: two Han characters more than ⅓ em apart.
fn loose_lines(area: &ModuleArea, inspection: &Inspection, tally: &mut Tally) {
    for line in inspection
        .lines
        .iter()
        .filter(|l| area.holds(l) && (l.size() - EM).abs() < 0.01)
    {
        let glyphs = line.glyphs();
        // Typst puts the ¼ em between Han and Latin into the Han glyph's
        // advance: that is spacing, not looseness.
        let latin = |c: Option<&(char, f64)>| {
            c.is_some_and(|(c, _)| c.is_ascii_alphanumeric() || matches!(c, '%' | '.'))
        };
        let loose = (0..glyphs.len().saturating_sub(1)).any(|i| {
            let spacing = if (i > 0 && latin(glyphs.get(i - 1))) || latin(glyphs.get(i + 1)) {
                0.25 * EM
            } else {
                0.0
            };
            is_han(glyphs[i].0)
                && is_han(glyphs[i + 1].0)
                && glyphs[i].1 - EM - spacing > LOOSE * EM + 0.05
        });
        if loose {
            tally.hit(Rule::LooseLine, || line.text());
        }
    }
}

/// The lead: first, on top, widest, largest headline.
fn lead_first(document: &PagedDocument, tally: &mut Tally) {
    let heads = markers(document, "banmian-headline");
    let modules = markers(document, "banmian-module");
    let rank = |m: &crate::inspect::Marker| m.value.get("rank").and_then(|v| v.as_u64());
    let is_story =
        |m: &&crate::inspect::Marker| m.value.get("kind").and_then(|v| v.as_str()) == Some("story");
    let columns =
        |m: &crate::inspect::Marker| m.value.get("columns").and_then(|v| v.as_u64()).unwrap_or(0);
    if let Some(lead) = modules.iter().filter(is_story).find(|m| rank(m) == Some(0)) {
        let top_y = modules.iter().map(|m| m.y).fold(f64::INFINITY, f64::min);
        let on_top = (lead.y - top_y).abs() < 0.5
            && modules
                .iter()
                .filter(|m| (m.y - top_y).abs() < 0.5)
                .all(|m| m.x >= lead.x - 0.5);
        let widest = modules
            .iter()
            .filter(is_story)
            .all(|m| columns(m) <= columns(lead));
        let section = lead.value.get("section").and_then(|v| v.as_u64());
        let size = |m: &crate::inspect::Marker| {
            m.value.get("size").and_then(|v| v.as_f64()).unwrap_or(0.0)
        };
        let lead_size = heads
            .iter()
            .find(|h| h.value.get("section").and_then(|v| v.as_u64()) == section)
            .map(size);
        let largest = lead_size.is_some_and(|s| heads.iter().all(|h| size(h) <= s + 0.01));
        for (ok, what) in [
            (on_top, "is not at the top left"),
            (widest, "is narrower than another story"),
            (largest, "has a smaller headline than another story"),
        ] {
            if !ok {
                tally.hit(Rule::LeadFirst, || {
                    format!(
                        "the lead story (section {}) {what}",
                        section.unwrap_or(0) + 1
                    )
                });
            }
        }
    }
}
