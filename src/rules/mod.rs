//! The rules of the newspaper page and of the brochure, checked on what
//! was laid out: the typographic ones of every line (TYPOGRAPHY.md, clreq,
//! GB/T 15834; and every line set as the composer broke it) in [`lines`],
//! the newspaper page's composition (COMPOSITION.md: holes, legs, bumping
//! headlines, photos, loose lines, the lead) in [`page`], and the brochure's pages (count, blank and
//! photo-only pages, short blocks, widows and orphans, captions) in
//! [`brochure`]. Each rule, how often it is broken, and where. The example
//! and every report of the test corpus show zero.

mod brochure;
mod lines;
mod page;

pub use brochure::check as check_brochure;

use typst_layout::PagedDocument;

use crate::compose::grid::{self, COLUMN, GUTTER, PITCH};
use crate::inspect::{Inspection, markers};
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
    /// The rule.
    pub rule: Rule,
    /// How often it is broken.
    pub count: usize,
    /// A few of the offending lines, for a person to look at.
    pub examples: Vec<String>,
}

/// The counts as they are made.
pub(crate) struct Tally(Vec<RuleCount>);

impl Tally {
    fn new(rules: &[Rule]) -> Self {
        Self(
            rules
                .iter()
                .map(|&rule| RuleCount {
                    rule,
                    count: 0,
                    examples: Vec::new(),
                })
                .collect(),
        )
    }

    pub(crate) fn hit(&mut self, rule: Rule, example: impl FnOnce() -> String) {
        let entry = self
            .0
            .iter_mut()
            .find(|r| r.rule == rule)
            .expect("every rule is counted");
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

/// A rule of the page, as `banmian rules` counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// `baseline-grid`: body and caption baselines sit on one 13.5 pt grid.
    BaselineGrid,
    /// `full-columns`: every column of a story ends on the story's last baseline.
    FullColumns,
    /// `runaround-clearance`: text keeps a character's clearance from photos inside it.
    RunaroundClearance,
    /// `narrow-band`: no text band narrower than 4 characters.
    NarrowBand,
    /// `justified`: every line but a paragraph's last fills its band, edge to edge.
    Justified,
    /// `as-composed`: every line of text is set as the composer broke it, one line on its band.
    AsComposed,
    /// `line-start`: no line starts with closing punctuation, ·, — or ～.
    LineStart,
    /// `line-end`: no line ends with opening punctuation.
    LineEnd,
    /// `split-dash`: —— and …… never split.
    SplitDash,
    /// `orphan`: no one-character last line of a paragraph (孤字).
    Orphan,
    /// `hanging-punctuation`: nothing hangs past the column edge.
    HangingPunctuation,
    /// `space-between-han`: no space between two Han characters.
    SpaceBetweenHan,
    /// `punctuation-width`: CJK marks are full-width (1 em), half at most when squeezed.
    PunctuationWidth,
    /// `punctuation-pairs`: two adjacent marks take 1.5 em, not 2 (GB/T 15834 compression).
    PunctuationPairs,
    /// `headline-punctuation`: no 。，；、 at a headline line end.
    HeadlinePunctuation,
    /// `headline-one-character`: no one-character headline line.
    HeadlineOneCharacter,
    /// `holes`: every grid cell of the module area holds text, a photo, a headline, the figures or a rule.
    Holes,
    /// `leg-depth`: every leg of text is 5 to 40 lines deep.
    LegDepth,
    /// `bumping-heads`: no two headlines side by side at one height.
    BumpingHeads,
    /// `photo-share`: photos take 20–55 % of the module area (when the report has photos).
    PhotoShare,
    /// `photo-size`: no photo over a quarter of the page.
    PhotoSize,
    /// `photo-crop`: a rectangular photo keeps its aspect within a 15 % crop.
    PhotoCrop,
    /// `photo-ppi`: photos print at 200 ppi or more where the original has the pixels for their span.
    PhotoPpi,
    /// `loose-line`: no gap over ⅓ em between two Han characters.
    LooseLine,
    /// `lead-first`: the lead story is first, on top, the widest, with the largest headline.
    LeadFirst,
    /// `page-count`: the brochure's page count is one its binding takes.
    PageCount,
    /// `blank-page`: no page without text or a photo.
    BlankPage,
    /// `photo-only-page`: no page holding only a photo, but the cover and a spread's photo.
    PhotoOnlyPage,
    /// `short-text-page`: no block of story text under 6 lines alone on a page.
    ShortTextPage,
    /// `headline-low`: no headline in the bottom fifth of a page.
    HeadlineLow,
    /// `caption-with-photo`: every photo has its caption under it, on its page.
    CaptionWithPhoto,
    /// `paragraph-orphan`: no paragraph's first line alone at the foot of a column.
    ParagraphOrphan,
    /// `paragraph-widow`: no paragraph's last line alone at the head of a column.
    ParagraphWidow,
}

impl Rule {
    /// The brochure's rules, in the order the table lists them.
    pub const BROCHURE: [Rule; 15] = [
        Rule::AsComposed,
        Rule::PageCount,
        Rule::BlankPage,
        Rule::PhotoOnlyPage,
        Rule::ShortTextPage,
        Rule::HeadlineLow,
        Rule::CaptionWithPhoto,
        Rule::ParagraphOrphan,
        Rule::ParagraphWidow,
        Rule::LineStart,
        Rule::LineEnd,
        Rule::SplitDash,
        Rule::SpaceBetweenHan,
        Rule::HeadlinePunctuation,
        Rule::HeadlineOneCharacter,
    ];

    /// The newspaper page's rules, in the order the table lists them.
    pub const NEWSPAPER: [Rule; 25] = [
        Rule::BaselineGrid,
        Rule::FullColumns,
        Rule::RunaroundClearance,
        Rule::NarrowBand,
        Rule::Justified,
        Rule::AsComposed,
        Rule::LineStart,
        Rule::LineEnd,
        Rule::SplitDash,
        Rule::Orphan,
        Rule::HangingPunctuation,
        Rule::SpaceBetweenHan,
        Rule::PunctuationWidth,
        Rule::PunctuationPairs,
        Rule::HeadlinePunctuation,
        Rule::HeadlineOneCharacter,
        Rule::Holes,
        Rule::LegDepth,
        Rule::BumpingHeads,
        Rule::PhotoShare,
        Rule::PhotoSize,
        Rule::PhotoCrop,
        Rule::PhotoPpi,
        Rule::LooseLine,
        Rule::LeadFirst,
    ];

    /// Its short name.
    pub fn name(self) -> &'static str {
        match self {
            Rule::BaselineGrid => "baseline-grid",
            Rule::FullColumns => "full-columns",
            Rule::RunaroundClearance => "runaround-clearance",
            Rule::NarrowBand => "narrow-band",
            Rule::Justified => "justified",
            Rule::AsComposed => "as-composed",
            Rule::LineStart => "line-start",
            Rule::LineEnd => "line-end",
            Rule::SplitDash => "split-dash",
            Rule::Orphan => "orphan",
            Rule::HangingPunctuation => "hanging-punctuation",
            Rule::SpaceBetweenHan => "space-between-han",
            Rule::PunctuationWidth => "punctuation-width",
            Rule::PunctuationPairs => "punctuation-pairs",
            Rule::HeadlinePunctuation => "headline-punctuation",
            Rule::HeadlineOneCharacter => "headline-one-character",
            Rule::Holes => "holes",
            Rule::LegDepth => "leg-depth",
            Rule::BumpingHeads => "bumping-heads",
            Rule::PhotoShare => "photo-share",
            Rule::PhotoSize => "photo-size",
            Rule::PhotoCrop => "photo-crop",
            Rule::PhotoPpi => "photo-ppi",
            Rule::LooseLine => "loose-line",
            Rule::LeadFirst => "lead-first",
            Rule::PageCount => "page-count",
            Rule::BlankPage => "blank-page",
            Rule::PhotoOnlyPage => "photo-only-page",
            Rule::ShortTextPage => "short-text-page",
            Rule::HeadlineLow => "headline-low",
            Rule::CaptionWithPhoto => "caption-with-photo",
            Rule::ParagraphOrphan => "paragraph-orphan",
            Rule::ParagraphWidow => "paragraph-widow",
        }
    }

    /// What it asks.
    pub fn description(self) -> &'static str {
        match self {
            Rule::BaselineGrid => "body and caption baselines sit on one 13.5 pt grid",
            Rule::FullColumns => "every column of a story ends on the story's last baseline",
            Rule::RunaroundClearance => "text keeps a character's clearance from photos inside it",
            Rule::NarrowBand => "no text band narrower than 4 characters",
            Rule::Justified => "every line but a paragraph's last fills its band, edge to edge",
            Rule::AsComposed => {
                "every line of text is set as the composer broke it, one line on its band"
            }
            Rule::LineStart => "no line starts with closing punctuation, ·, — or ～",
            Rule::LineEnd => "no line ends with opening punctuation",
            Rule::SplitDash => "—— and …… never split",
            Rule::Orphan => "no one-character last line of a paragraph (孤字)",
            Rule::HangingPunctuation => "nothing hangs past the column edge",
            Rule::SpaceBetweenHan => "no space between two Han characters",
            Rule::PunctuationWidth => "CJK marks are full-width (1 em), half at most when squeezed",
            Rule::PunctuationPairs => {
                "two adjacent marks take 1.5 em, not 2 (GB/T 15834 compression)"
            }
            Rule::HeadlinePunctuation => "no 。，；、 at a headline line end",
            Rule::HeadlineOneCharacter => "no one-character headline line",
            Rule::Holes => {
                "every grid cell of the module area holds text, a photo, a headline, the figures or a rule"
            }
            Rule::LegDepth => "every leg of text is 5 to 40 lines deep",
            Rule::BumpingHeads => "no two headlines side by side at one height",
            Rule::PhotoShare => {
                "photos take 20–55 % of the module area (when the report has photos)"
            }
            Rule::PhotoSize => "no photo over a quarter of the page",
            Rule::PhotoCrop => "a rectangular photo keeps its aspect within a 15 % crop",
            Rule::PhotoPpi => {
                "photos print at 200 ppi or more where the original has the pixels for their span"
            }
            Rule::LooseLine => "no gap over ⅓ em between two Han characters",
            Rule::LeadFirst => {
                "the lead story is first, on top, the widest, with the largest headline"
            }
            Rule::PageCount => {
                "the page count is one the binding takes (a multiple of 4 stitched, even glued)"
            }
            Rule::BlankPage => "no page without text or a photo",
            Rule::PhotoOnlyPage => {
                "no page holding only one photo, but the cover and a spread's photo page"
            }
            Rule::ShortTextPage => "no block of story text under 6 lines alone on a page",
            Rule::HeadlineLow => "no headline in the bottom fifth of a page",
            Rule::CaptionWithPhoto => "every photo has its caption under it, on its page",
            Rule::ParagraphOrphan => "no paragraph's first line alone at the foot of a column",
            Rule::ParagraphWidow => "no paragraph's last line alone at the head of a column",
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Counts the breaches of every rule on a newspaper page.
pub fn check(
    prepared: &Prepared,
    document: &PagedDocument,
    inspection: &Inspection,
) -> Vec<RuleCount> {
    let mut tally = Tally::new(&Rule::NEWSPAPER);
    let areas = areas(prepared, document);
    let body = lines::body(inspection);
    lines::baseline_grid(document, &body, &mut tally);
    for area in &areas {
        lines::text_area(area, &body, &mut tally);
    }
    for line in &inspection.lines {
        lines::line(line, &mut tally);
    }
    page::check(prepared, document, inspection, &mut tally);
    tally.0
}

/// A line's text as the reader sees it, to compare what was composed
/// with what was laid out: spaces and word joiners left out.
pub(crate) fn letters(text: &str) -> String {
    text.chars()
        .filter(|&c| c != crate::cjk::WORD_JOINER && !c.is_whitespace())
        .collect()
}

/// Boxes the template marks with `label`, as (page, left, top, right,
/// bottom) in pt; the metadata gives their size in lines and columns.
pub(crate) fn boxes(document: &PagedDocument, label: &str) -> Vec<(usize, f64, f64, f64, f64)> {
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
            count.count,
            count.rule.name(),
            count.rule.description()
        ));
        for example in &count.examples {
            out.push_str(&format!("        {example}\n"));
        }
    }
    out
}
