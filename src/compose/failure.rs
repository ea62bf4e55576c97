//! When no arrangement tiles the page: what to tell the editor, per story,
//! in characters and lines, with what the composer tried; and, when the
//! page composes without the editor's pins, which pins stand in the way.

use super::grid::{COLUMN, COLUMNS};
use super::module::{LEG_MAX, LEG_MIN, PHOTO_SHARE};
use super::page::{Diagnosis, StoryFit};
use super::plan::Arrangement;
use crate::findings::{FieldPath, Finding};
use crate::report::{LoadedReport, Report};
use crate::typeset::PageData;

/// Characters of 小五 in one line of a column.
const PER_LINE: usize = COLUMN as usize;

/// The findings for a page that could not be composed.
pub fn findings(
    loaded: &LoadedReport,
    data: &PageData,
    d: &Diagnosis,
    order: &[usize],
) -> Vec<Finding> {
    let telling = Telling {
        loaded,
        data,
        order,
        tried: format!(
            "the composer tried {} arrangements (no side column or one of \
            2–3 columns, spans 2–8, photos from 15 % cropped to their \
            largest, headline air, copyfit)",
            d.tried
        ),
    };
    // Stories that cannot be set at any width: too short for two legs,
    // too long for eight, or in between (their headline or photos).
    let unsettable: Vec<Finding> = d
        .stories
        .iter()
        .filter(|f| f.least.is_none())
        .map(|fit| telling.unsettable(fit))
        .collect();
    if !unsettable.is_empty() {
        return unsettable;
    }
    // Too long with every photo at its smallest, or too short with every
    // photo at its largest: each story is told its share, by its lines.
    if d.least > d.area {
        telling.by_story(d, "fit-overflow", d.least - d.area)
    } else if d.most < d.area {
        telling.by_story(d, "fit-underflow", d.area - d.most)
    } else {
        vec![telling.no_arrangement(d)]
    }
}

/// What the findings say of each story, and where they point.
struct Telling<'a> {
    loaded: &'a LoadedReport,
    data: &'a PageData,
    /// The composer's order of the sections.
    order: &'a [usize],
    /// What the composer tried, in words.
    tried: String,
}

impl Telling<'_> {
    fn headline(&self, story: usize) -> String {
        self.data.section_headline(self.order[story])
    }

    fn paragraphs(&self, story: usize) -> FieldPath {
        FieldPath::root()
            .key("sections")
            .index(self.order[story])
            .key("paragraphs")
    }

    /// A story no module can hold: its headline too wide for the page, its
    /// copy too short for two legs or too long for the widest module, or
    /// no balance of its legs with its headline and photos.
    fn unsettable(&self, fit: &StoryFit) -> Finding {
        let most = fit.widest * LEG_MAX;
        if let Some((size, needs, widest)) = fit.headline_pt {
            let at = FieldPath::root()
                .key("sections")
                .index(self.order[fit.story])
                .key("size");
            return Finding::error(
                "headline-too-long",
                format!(
                    "「{}」: at {size} pt the headline's longest line needs \
                    {needs:.0} pt; the page is {widest:.0} pt wide",
                    self.headline(fit.story)
                ),
            )
            .at(self.loaded.source.locate(&at))
            .hint("choose a smaller size, or break the line in two");
        }
        let finding = if fit.lines < 2 * LEG_MIN {
            let need = 2 * LEG_MIN - fit.lines;
            Finding::error(
                "fit-underflow",
                format!(
                    "「{}」: {} characters ({} lines of {PER_LINE}) cannot fill two \
                legs of {LEG_MIN} lines, the least a story's module takes",
                    self.headline(fit.story),
                    fit.characters,
                    fit.lines
                ),
            )
            .hint(format!(
                "add about {} characters ({need} lines), or merge it into another story",
                need * PER_LINE
            ))
        } else if fit.lines > most {
            let cut = fit.lines - most;
            Finding::error(
                "fit-overflow",
                format!(
                    "「{}」: {} characters ({} lines of {PER_LINE}) run past legs \
                of {LEG_MAX} lines even across {} columns, the most {}",
                    self.headline(fit.story),
                    fit.characters,
                    fit.lines,
                    fit.widest,
                    if fit.widest < COLUMNS {
                        "its pins leave it"
                    } else {
                        "the page has"
                    }
                ),
            )
            .hint(format!(
                "cut about {} characters ({cut} lines), or split it into two stories{}",
                cut * PER_LINE,
                if fit.widest < COLUMNS {
                    ", or take out the pin that keeps it narrow (`place`, `[newspaper] main`)"
                } else {
                    ""
                }
            ))
        } else {
            Finding::error(
                "fit-unbalanced",
                format!(
                    "「{}」: {} characters ({} lines of {PER_LINE}) cannot be set \
                in balanced legs of {LEG_MIN}–{LEG_MAX} lines at any width \
                from 2 to {COLUMNS} columns with its headline and photos",
                    self.headline(fit.story),
                    fit.characters,
                    fit.lines
                ),
            )
            .hint(
                "add or cut a few lines (about 13 characters each), shorten \
            its headline's lines, or unpin its photos and headline size",
            )
        };
        finding.at(self.loaded.source.locate(&self.paragraphs(fit.story)))
    }

    /// Every story's share of what the page is too long or too short by.
    fn by_story(&self, d: &Diagnosis, code: &'static str, amount: usize) -> Vec<Finding> {
        let total_lines: usize = d.stories.iter().map(|f| f.lines).sum::<usize>().max(1);
        let (size, need, more, verb, what) = if code == "fit-overflow" {
            (
                "smallest",
                "need",
                "more",
                "cut",
                "from this story, or take out a photo",
            )
        } else {
            (
                "largest",
                "fill",
                "less",
                "add",
                "to this story, or add photos: a page with a hole cannot go to print",
            )
        };
        d.stories
            .iter()
            .map(|fit| {
                let share = (amount * fit.lines).div_ceil(total_lines);
                Finding::error(
                    code,
                    format!(
                        "「{}」: {} characters ({} lines of {PER_LINE}); with every \
                    photo at its {size} the stories {need} about {amount} lines \
                    of a column {more} than the page's {}: this story's share is \
                    about {share} lines",
                        self.headline(fit.story),
                        fit.characters,
                        fit.lines,
                        d.area
                    ),
                )
                .at(self.loaded.source.locate(&self.paragraphs(fit.story)))
                .hint(format!(
                    "{verb} about {} characters ({share} lines) {what}; {}",
                    share * PER_LINE,
                    self.tried
                ))
            })
            .collect::<Vec<_>>()
    }

    /// No exact tiling of a page the copy could fill: where the copy alone
    /// says what is wrong, the amount; and what the composer tried.
    fn no_arrangement(&self, d: &Diagnosis) -> Finding {
        let total_lines: usize = d.stories.iter().map(|f| f.lines).sum::<usize>().max(1);
        let at = FieldPath::root().key("sections");
        // Where the copy alone says what is wrong: too little of it for
        // photos to fill the rest within their share, or too much for
        // them to reach theirs.
        let copy = total_lines + d.stories.len() * HEADLINE_LINES;
        let (lo, hi) = PHOTO_SHARE;
        let fewest = ((1.0 - hi) * d.area as f64).ceil() as usize;
        let most = ((1.0 - lo) * d.area as f64).floor() as usize;
        let share = if self.loaded.report.photos.is_empty() {
            None
        } else if copy < fewest {
            let add = fewest - copy;
            Some(format!(
                "the copy and headlines take about {copy} lines of a column, \
                and photos may fill at most {:.0} % of the page: add about \
                {} characters ({add} lines)",
                hi * 100.0,
                add * PER_LINE
            ))
        } else if copy > most {
            let cut = copy - most;
            Some(format!(
                "the copy and headlines take about {copy} lines of a column, \
                leaving the photos less than {:.0} % of the page: cut about \
                {} characters ({cut} lines), or add a photo",
                lo * 100.0,
                cut * PER_LINE
            ))
        } else {
            None
        };
        let finding = Finding::error(
            "fit-no-arrangement",
            format!(
                "no arrangement of the {} stories tiles the page exactly ({} \
            lines of a column; the stories take {}–{})",
                d.stories.len(),
                d.area,
                d.least,
                d.most
            ),
        )
        .at(self.loaded.source.locate(&at));
        let finding = match share {
            Some(share) => finding.hint(share),
            None => finding,
        };
        finding.hint(format!(
            "lengthen or shorten a story by a few lines, add or take out \
        a photo, or pin a story with `place`; {}",
            self.tried
        ))
    }
}

/// Lines of a column a story's headline takes, about (five lines across
/// three columns).
const HEADLINE_LINES: usize = 15;

/// An error when the photos of a composed page take less than 20 % or
/// more than 55 % of the area (a report with no photo is exempt).
pub fn photo_share(loaded: &LoadedReport, page: &Arrangement) -> Option<Finding> {
    if loaded.report.photos.is_empty() {
        return None;
    }
    let share = super::plan::photo_share(&page.modules, page.height);
    let (lo, hi) = PHOTO_SHARE;
    if (lo..=hi).contains(&share) {
        return None;
    }
    let lines = |off: f64| (off * (page.height * COLUMNS) as f64).ceil() as usize;
    let (what, hint) = if share < lo {
        let n = lines(lo - share);
        (
            "less",
            format!(
                "add a photo, or cut about {} characters ({n} lines) so that \
                the photos can print larger, or take out `columns` pins",
                n * PER_LINE
            ),
        )
    } else {
        let n = lines(share - hi);
        (
            "more",
            format!(
                "take out a photo, or add about {} characters ({n} lines)",
                n * PER_LINE
            ),
        )
    };
    Some(
        Finding::error(
            "fit-photo-share",
            format!(
                "the photos take {:.0} % of the page's module area in the \
                best arrangement found, {what} than the {:.0}–{:.0} % a page \
                wants",
                100.0 * share,
                100.0 * lo,
                100.0 * hi
            ),
        )
        .at(loaded.source.locate(&FieldPath::root().key("photos")))
        .hint(hint),
    )
}

/// Errors for a page that still breaks a rule of the page the search could
/// not avoid: headlines side by side at one height, a story wider than the
/// lead.
pub fn page_rules(loaded: &LoadedReport, data: &PageData, page: &Arrangement) -> Vec<Finding> {
    let mut out = Vec::new();
    let at = |section: usize| {
        FieldPath::root()
            .key("sections")
            .index(section)
            .key("headline")
    };
    for (a, b) in super::plan::bumping(&page.modules) {
        let (Some(x), Some(y)) = (page.modules[a].section(), page.modules[b].section()) else {
            continue;
        };
        out.push(
            Finding::error(
                "fit-bumping",
                format!(
                    "the headlines of 「{}」 and 「{}」 sit side by side at one \
                    height in every arrangement found",
                    data.section_headline(x),
                    data.section_headline(y)
                ),
            )
            .at(loaded.source.locate(&at(y)))
            .hint(
                "lengthen or shorten one of them by a few lines (about 13 \
                characters a line), give one a photo, or pin one with \
                `place`",
            ),
        );
    }
    if page.terms.lead_width > 0.0
        && let Some(lead) = page.modules.first().and_then(|m| m.section())
    {
        out.push(
            Finding::error(
                "fit-lead",
                format!(
                    "「{}」, the lead, is narrower than another story in every arrangement found",
                    data.section_headline(lead)
                ),
            )
            .at(loaded.source.locate(&at(lead)))
            .hint(
                "give another story a higher `priority`, or lengthen the lead \
                by a few lines (about 13 characters a line)",
            ),
        );
    }
    out
}

/// Which of the editor's pins to take out, to find the ones in the way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pins {
    /// Where stories go: `[newspaper] main`, sections' `place`.
    Placement,
    /// How photos are set: their `place`, `columns`, `column`, `line`.
    Photos,
    /// Every pin.
    All,
}

impl Pins {
    /// The groups to try, narrowest first.
    pub const TRIES: [Pins; 3] = [Pins::Placement, Pins::Photos, Pins::All];

    fn placement(self) -> bool {
        matches!(self, Pins::Placement | Pins::All)
    }

    fn photos(self) -> bool {
        matches!(self, Pins::Photos | Pins::All)
    }
}

/// The report without the `which` pins, or `None` when it has none of
/// them.
pub fn pins(report: &Report, which: Pins) -> Option<Report> {
    let mut free = report.clone();
    let mut any = false;
    if which.placement() {
        any |= free.newspaper.main.take().is_some();
        for section in &mut free.sections {
            any |= section.place.take().is_some();
        }
    }
    if which.photos() {
        for photo in &mut free.photos {
            any |= photo.place.take().is_some();
            any |= photo.columns.take().is_some();
            photo.column = None;
            photo.line = None;
        }
    }
    any.then_some(free)
}

/// One error per pin of the group `which`, when the page composes
/// without them.
pub fn pin_findings(loaded: &LoadedReport, which: Pins) -> Vec<Finding> {
    let report = &loaded.report;
    let mut paths = Vec::new();
    if which.placement() {
        if report.newspaper.main.is_some() {
            paths.push(FieldPath::root().key("newspaper").key("main"));
        }
        for (i, section) in report.sections.iter().enumerate() {
            if section.place.is_some() {
                paths.push(FieldPath::root().key("sections").index(i).key("place"));
            }
        }
    }
    if which.photos() {
        for (i, photo) in report.photos.iter().enumerate() {
            let at = FieldPath::root().key("photos").index(i);
            if photo.place.is_some() {
                paths.push(at.key("place"));
            }
            if photo.columns.is_some() {
                paths.push(at.key("columns"));
            }
        }
    }
    paths
        .into_iter()
        .map(|path| {
            Finding::error(
                "fit-pin",
                format!(
                    "no page can be composed with the pin at {path}; without {} one can",
                    match which {
                        Pins::Placement => "the report's placement pins (`main`, `place`)",
                        Pins::Photos => "the report's photo pins",
                        Pins::All => "the report's pins",
                    }
                ),
            )
            .at(loaded.source.locate(&path))
            .hint(
                "take out this pin (or the others) and let the composer place \
                the story and its photos",
            )
        })
        .collect()
}
