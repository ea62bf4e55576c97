//! The chosen arrangement: each module's place on the grid and what is in
//! it, as the template draws it (absolute lines and columns, every line of
//! every headline, caption and leg decided here), and as `banmian plan`
//! prints it (a map of the grid and every score term).

use serde::Serialize;

use super::grid::{self, COLUMNS};
use super::module::{Head, PhotoRow, Terms};
use super::text::TextArea;

/// What a module holds.
#[derive(Debug, Clone)]
pub enum Placed {
    /// A story.
    Story {
        /// Index among the report's sections.
        section: usize,
        /// 0 for the lead.
        rank: usize,
        /// Its headline block.
        head: Head,
        /// Whether its first photo row sits above the headline.
        photo_top: bool,
        /// Photo rows.
        rows: Vec<PhotoRow>,
        /// Its text area (photos inside it included).
        text: Box<TextArea>,
        /// The story's photos: (report index, pixels across, down).
        photos: Vec<(usize, u32, u32)>,
    },
    /// The key figures.
    Figures {
        /// Figures across the box.
        across: usize,
        /// Lines of air beyond what the box needs.
        air: usize,
        /// Label lines of each figure.
        labels: Vec<Vec<String>>,
    },
}

/// A module on the grid.
#[derive(Debug, Clone)]
pub struct PlacedModule {
    /// First column (0-based).
    pub column: usize,
    /// First line of the area (0-based).
    pub line: usize,
    /// Columns.
    pub columns: usize,
    /// Lines.
    pub lines: usize,
    /// Its content.
    pub placed: Placed,
    /// Its share of the score.
    pub terms: Terms,
}

impl PlacedModule {
    /// The headline block's lines, (first, count), for stories.
    pub fn head_lines(&self) -> Option<(usize, usize)> {
        match &self.placed {
            Placed::Story {
                head,
                photo_top,
                rows,
                ..
            } => {
                let above = if *photo_top {
                    rows.first().map_or(0, PhotoRow::lines)
                } else {
                    0
                };
                Some((self.line + above, head.lines))
            }
            Placed::Figures { .. } => None,
        }
    }

    /// The section it sets, for stories.
    pub fn section(&self) -> Option<usize> {
        match &self.placed {
            Placed::Story { section, .. } => Some(*section),
            Placed::Figures { .. } => None,
        }
    }
}

/// The chosen page.
#[derive(Debug, Clone)]
pub struct Arrangement {
    /// Lines of the area.
    pub height: usize,
    /// Lines of air the title band took above what it needs, so that the
    /// area fits.
    pub band_air: usize,
    /// The modules, in reading order.
    pub modules: Vec<PlacedModule>,
    /// The score, term by term.
    pub terms: Terms,
    /// Arrangements the search looked at.
    pub tried: usize,
}

/// Pairs of modules whose headlines sit side by side at one height.
pub fn bumping(modules: &[PlacedModule]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (a, ma) in modules.iter().enumerate() {
        for (b, mb) in modules.iter().enumerate().skip(a + 1) {
            let (Some((ya, ha)), Some((yb, hb))) = (ma.head_lines(), mb.head_lines()) else {
                continue;
            };
            let touching =
                ma.column + ma.columns == mb.column || mb.column + mb.columns == ma.column;
            if touching && ya < yb + hb && yb < ya + ha {
                out.push((a, b));
            }
        }
    }
    out
}

/// The photos' share of the area.
pub fn photo_share(modules: &[PlacedModule], height: usize) -> f64 {
    let mut photo = 0.0;
    for m in modules {
        if let Placed::Story { rows, text, .. } = &m.placed {
            for row in rows {
                for p in &row.photos {
                    photo += grid::span_pt(p.columns) * grid::image_pt(row.image);
                }
            }
            for p in &text.inlines {
                let (w, h) = (p.w * grid::EM_PT, p.h * grid::EM_PT);
                photo += if p.circle {
                    std::f64::consts::PI / 4.0 * w * h
                } else {
                    w * h
                };
            }
        }
    }
    photo / (grid::span_pt(COLUMNS) * grid::lines_pt(height))
}

/// What the template draws, in absolute grid units from the area's
/// top-left: columns and lines (and em inside text areas).
#[derive(Debug, Clone, Serialize)]
pub struct Drawing {
    /// Lines of the title band above the area.
    pub band: usize,
    /// Lines of the area.
    pub lines: usize,
    /// The modules.
    pub modules: Vec<DrawnModule>,
    /// Rules between modules: horizontal ones on a line between tiers,
    /// vertical ones in a gutter. (column, line, length, vertical).
    pub rules: Vec<DrawnRule>,
}

/// A rule between modules.
#[derive(Debug, Clone, Serialize)]
pub struct DrawnRule {
    /// Column where it starts (a vertical rule: the column it stands left of).
    pub column: usize,
    /// Line where it starts.
    pub line: usize,
    /// Length, in columns (horizontal) or lines (vertical).
    pub length: usize,
    /// Lines of air it stands in (horizontal: the rule is drawn in their
    /// middle).
    pub lines: usize,
    /// Vertical.
    pub vertical: bool,
}

/// A module, as drawn.
#[derive(Debug, Clone, Serialize)]
pub struct DrawnModule {
    /// "story" or "figures".
    pub kind: &'static str,
    /// Section index (stories).
    pub section: Option<usize>,
    /// Reading order, 0 for the lead.
    pub rank: usize,
    /// Place and size.
    pub column: usize,
    /// First line.
    pub line: usize,
    /// Columns.
    pub columns: usize,
    /// Lines.
    pub lines: usize,
    /// The headline block (stories).
    pub head: Option<DrawnHead>,
    /// Photos in rows (stories).
    pub photos: Vec<DrawnPhoto>,
    /// The text area's first line (stories).
    pub text_line: usize,
    /// The text area (stories).
    pub text: Option<TextArea>,
    /// Label lines of each figure (figures).
    pub labels: Vec<Vec<String>>,
    /// Figures across (figures).
    pub across: usize,
    /// The first line of the figures' content, from the module's top
    /// (figures: the inset and half the air).
    pub top: usize,
}

impl DrawnModule {
    /// A placed module as the template draws it.
    fn of(m: &PlacedModule) -> Self {
        let mut drawn = Self {
            kind: "figures",
            section: None,
            rank: 0,
            column: m.column,
            line: m.line,
            columns: m.columns,
            lines: m.lines,
            head: None,
            photos: Vec::new(),
            text_line: 0,
            text: None,
            labels: Vec::new(),
            across: 0,
            top: 0,
        };
        match &m.placed {
            Placed::Figures {
                across,
                labels,
                air,
            } => {
                drawn.labels = labels.clone();
                drawn.across = *across;
                drawn.top = 1 + air / 2;
            }
            Placed::Story {
                section,
                rank,
                head,
                photo_top,
                rows,
                text,
                ..
            } => {
                drawn.kind = "story";
                drawn.section = Some(*section);
                drawn.rank = *rank;
                drawn.story(m, head, *photo_top, rows, text);
            }
        }
        drawn
    }

    /// A story's blocks from its top: a photo row above the headline when
    /// the composer chose one, the headline, the other rows, the text.
    fn story(
        &mut self,
        m: &PlacedModule,
        head: &Head,
        photo_top: bool,
        rows: &[PhotoRow],
        text: &TextArea,
    ) {
        let mut y = m.line;
        let place_row = |row: &PhotoRow, y: &mut usize, out: &mut Vec<DrawnPhoto>| {
            for p in &row.photos {
                out.push(DrawnPhoto {
                    photo: p.photo,
                    column: m.column + p.column,
                    line: *y,
                    columns: p.columns,
                    image: row.image,
                    caption: p.caption.clone(),
                });
            }
            *y += row.lines();
        };
        let mut rest = rows.iter();
        if photo_top && let Some(first) = rest.next() {
            place_row(first, &mut y, &mut self.photos);
        }
        self.head = Some(DrawnHead {
            line: y,
            lines: head.lines,
            size: head.size,
            kicker: head.kicker.clone(),
            headline: head.headline.clone(),
            subhead: head.subhead.clone(),
        });
        y += head.lines;
        for row in rest {
            place_row(row, &mut y, &mut self.photos);
        }
        self.text_line = y;
        self.text = Some(text.clone());
    }
}

/// A headline block, as drawn.
#[derive(Debug, Clone, Serialize)]
pub struct DrawnHead {
    /// First line.
    pub line: usize,
    /// Lines.
    pub lines: usize,
    /// 主题 size, pt.
    pub size: f64,
    /// 引题 lines.
    pub kicker: Vec<String>,
    /// 主题 lines.
    pub headline: Vec<String>,
    /// 副题 lines.
    pub subhead: Vec<String>,
}

/// A photo in a row, as drawn.
#[derive(Debug, Clone, Serialize)]
pub struct DrawnPhoto {
    /// Index among the section's photos.
    pub photo: usize,
    /// First column.
    pub column: usize,
    /// First line.
    pub line: usize,
    /// Columns.
    pub columns: usize,
    /// Image lines.
    pub image: usize,
    /// Caption lines.
    pub caption: Vec<String>,
}

impl Arrangement {
    /// The page as the template draws it.
    pub fn drawing(&self, band: usize) -> Drawing {
        Drawing {
            band,
            lines: self.height,
            modules: self.modules.iter().map(DrawnModule::of).collect(),
            rules: self.rules(),
        }
    }

    /// Lines of air above a module, between it and what is above it in its
    /// columns (0 at the top of the area).
    fn air_above(&self, m: &PlacedModule) -> usize {
        let above = self
            .modules
            .iter()
            .filter(|o| o.column < m.column + m.columns && m.column < o.column + o.columns)
            .map(|o| o.line + o.lines)
            .filter(|&bottom| bottom <= m.line)
            .max()
            .unwrap_or(0);
        m.line - above
    }

    /// Rules: a horizontal one in the air above every module that does not
    /// start at the top, across its columns; a vertical one in the gutter
    /// left of every module that does not start at the left edge.
    fn rules(&self) -> Vec<DrawnRule> {
        let mut out = Vec::new();
        for m in &self.modules {
            let air = self.air_above(m);
            if m.line > 0 {
                out.push(DrawnRule {
                    column: m.column,
                    line: m.line - air,
                    length: m.columns,
                    lines: air,
                    vertical: false,
                });
            }
            if m.column > 0 {
                // From the rule above (if any) to the module's foot.
                let top = m.line - air;
                out.push(DrawnRule {
                    column: m.column,
                    line: top,
                    length: m.line + m.lines - top,
                    lines: 0,
                    vertical: true,
                });
            }
        }
        out
    }

    /// The grid as text: one letter per module (A the lead, then in
    /// reading order; figures as #), `-` for rule lines, `.` for a hole.
    pub fn map(&self) -> Vec<String> {
        let mut cells = vec![vec!['.'; COLUMNS]; self.height];
        for (i, m) in self.modules.iter().enumerate() {
            let mark = match m.placed {
                Placed::Figures { .. } => '#',
                Placed::Story { .. } => (b'A' + (i as u8 % 26)) as char,
            };
            for row in cells.iter_mut().skip(m.line).take(m.lines) {
                for cell in row.iter_mut().skip(m.column).take(m.columns) {
                    *cell = mark;
                }
            }
            for row in cells
                .iter_mut()
                .skip(m.line - self.air_above(m))
                .take(self.air_above(m))
            {
                for cell in row.iter_mut().skip(m.column).take(m.columns) {
                    if *cell == '.' {
                        *cell = '-';
                    }
                }
            }
        }
        // Identical lines in a run are printed once, with their range.
        let mut out = Vec::new();
        let mut start = 0;
        for y in 1..=self.height {
            if y == self.height || cells[y] != cells[start] {
                let row: String = cells[start].iter().collect();
                let range = if y - 1 == start {
                    format!("{:>3}", start + 1)
                } else {
                    format!("{:>3}–{:<3}", start + 1, y)
                };
                out.push(format!("{range:<9} {row}"));
                start = y;
            }
        }
        out
    }

    /// Grid cells no module covers and no rule line takes.
    pub fn holes(&self) -> usize {
        let mut covered = vec![vec![false; COLUMNS]; self.height];
        for m in &self.modules {
            let air = self.air_above(m);
            for row in covered.iter_mut().skip(m.line - air).take(m.lines + air) {
                for cell in row.iter_mut().skip(m.column).take(m.columns) {
                    *cell = true;
                }
            }
        }
        covered.iter().flatten().filter(|c| !**c).count()
    }
}

impl Arrangement {
    /// The letter `map` gives module `i`.
    pub fn letter(&self, i: usize) -> char {
        match self.modules[i].placed {
            Placed::Figures { .. } => '#',
            Placed::Story { .. } => (b'A' + (i as u8 % 26)) as char,
        }
    }

    /// The plan as JSON: the area, the map, each module with its place,
    /// contents and score terms, and the page's score term by term.
    /// `headline` names a section.
    pub fn to_json(&self, band: usize, headline: &dyn Fn(usize) -> String) -> serde_json::Value {
        let terms = |t: &Terms| {
            let mut map = serde_json::Map::new();
            for (name, value) in t.named() {
                map.insert(
                    name.into(),
                    serde_json::json!((value * 100.0).round() / 100.0),
                );
            }
            serde_json::Value::Object(map)
        };
        let modules: Vec<serde_json::Value> = self
            .modules
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let mut value = serde_json::json!({
                    "letter": self.letter(i).to_string(),
                    "column": m.column + 1,
                    "line": m.line + 1,
                    "columns": m.columns,
                    "lines": m.lines,
                    "terms": terms(&m.terms),
                });
                let object = value.as_object_mut().expect("an object");
                match &m.placed {
                    Placed::Figures { across, air, .. } => {
                        object.insert("kind".into(), "figures".into());
                        object.insert("across".into(), (*across).into());
                        object.insert("air".into(), (*air).into());
                    }
                    Placed::Story { section, rank, head, photo_top, rows, text, .. } => {
                        object.insert("kind".into(), "story".into());
                        object.insert("section".into(), (*section).into());
                        object.insert("headline".into(), headline(*section).into());
                        object.insert("lead".into(), (*rank == 0).into());
                        object.insert("headline_pt".into(), head.size.into());
                        object.insert("headline_lines".into(), head.lines.into());
                        object.insert("photo_on_top".into(), (*photo_top).into());
                        object.insert(
                            "photo_rows".into(),
                            rows.iter()
                                .map(|r| {
                                    serde_json::json!({
                                        "image_lines": r.image,
                                        "caption_lines": r.caption,
                                        "photos": r.photos.iter().map(|p| serde_json::json!({"photo": p.photo + 1, "columns": p.columns})).collect::<Vec<_>>(),
                                    })
                                })
                                .collect::<Vec<_>>()
                                .into(),
                        );
                        object.insert(
                            "text".into(),
                            serde_json::json!({
                                "columns": text.columns,
                                "lines": text.depth,
                                "photos_inside": text.inlines.iter().map(|p| serde_json::json!({"photo": p.photo + 1, "round": p.circle})).collect::<Vec<_>>(),
                                "copyfit": text.adjustments,
                            }),
                        );
                    }
                }
                value
            })
            .collect();
        serde_json::json!({
            "columns": COLUMNS,
            "lines": self.height,
            "band": band,
            "map": self.map(),
            "modules": modules,
            "score": { "total": (self.terms.total() * 100.0).round() / 100.0, "terms": terms(&self.terms) },
            "photo_share": (photo_share(&self.modules, self.height) * 1000.0).round() / 1000.0,
            "holes": self.holes(),
            "tried": self.tried,
        })
    }

    /// The plan as a person reads it: the map, a line per module, the
    /// score.
    pub fn describe(&self, band: usize, headline: &dyn Fn(usize) -> String) -> String {
        let mut out = format!(
            "the module area: {COLUMNS} columns × {} lines under the strip and a title band of {band} lines\n\n",
            self.height
        );
        out.push_str("lines     12345678\n");
        for row in self.map() {
            out.push_str(&row);
            out.push('\n');
        }
        out.push('\n');
        for (i, m) in self.modules.iter().enumerate() {
            let place = format!(
                "columns {}–{}, lines {}–{}",
                m.column + 1,
                m.column + m.columns,
                m.line + 1,
                m.line + m.lines
            );
            let what = match &m.placed {
                Placed::Figures { across, .. } => format!("key figures, {across} across"),
                Placed::Story {
                    section,
                    rank,
                    head,
                    photo_top,
                    rows,
                    text,
                    ..
                } => {
                    let photos: usize = rows.iter().map(|r| r.photos.len()).sum();
                    format!(
                        "「{}」{}: headline {} pt in {} lines, {} photo(s) in {} row(s){}, {} inside the text, text {} × {} lines",
                        headline(*section),
                        if *rank == 0 { " (the lead)" } else { "" },
                        head.size,
                        head.lines,
                        photos,
                        rows.len(),
                        if *photo_top {
                            " (one above the headline)"
                        } else {
                            ""
                        },
                        text.inlines.len(),
                        text.columns,
                        text.depth
                    )
                }
            };
            out.push_str(&format!("{}  {place}  {what}\n", self.letter(i)));
        }
        out.push_str(&format!(
            "\nscore {:.2} (lower is better):",
            self.terms.total()
        ));
        for (name, value) in self.terms.named() {
            if value.abs() > 1e-9 {
                out.push_str(&format!(" {name} {value:.2}"));
            }
        }
        out.push_str(&format!(
            "\nphotos take {:.0} % of the area; {} grid cells empty; {} arrangements looked at\n",
            100.0 * photo_share(&self.modules, self.height),
            self.holes(),
            self.tried
        ));
        out
    }
}
