//! What templates receive as `/report.json`: the report with its text
//! prepared for setting (see TYPOGRAPHY.md §1 items 2 and 11) and its photos
//! resolved to the files the world serves. Text stays text: templates place
//! these strings as strings, never evaluate them.

use serde::Serialize;

use crate::cjk::{WORD_JOINER, is_cjk};
use crate::compose::band::{self, TitleBand};
use crate::compose::module::{PhotoCopy, StoryCopy};
use crate::compose::page::{Composer, Diagnosis, FiguresCopy};
use crate::compose::plan::{Arrangement, Drawing, Placed};
use crate::compose::text::{Copyfit, TextArea};
use crate::compose::{Metrics, grid};
use crate::photos::LoadedPhoto;
use crate::report::{BrochureSettings, Figures, PhotoShape, Report, parse_date};

/// The data a template reads.
#[derive(Serialize)]
pub struct PageData {
    publication: PublicationData,
    kicker: Option<String>,
    title: Vec<String>,
    subtitle: Option<String>,
    lede: Vec<String>,
    /// The period the report covers.
    period: Option<String>,
    byline: BylineData,
    sections: Vec<SectionData>,
    figures: Option<Figures>,
    /// The composed newspaper page, when a page was found.
    newspaper: Option<Drawing>,
    brochure: BrochureSettings,
    /// The composed brochure, when it was asked for.
    booklet: Option<crate::brochure::Booklet>,
    /// The newspaper's grid, so that the template does not restate it.
    grid: crate::compose::grid::Spec,
    /// The families the layouts set.
    faces: crate::fonts::Faces,
}

#[derive(Serialize)]
struct PublicationData {
    name: String,
    year: i32,
    month: u8,
    day: u8,
    page: u32,
    label: Option<String>,
    editors: Vec<String>,
}

#[derive(Serialize)]
struct BylineData {
    text: String,
    photos: Option<String>,
}

#[derive(Serialize)]
struct SectionData {
    index: usize,
    kicker: Option<String>,
    headline: Vec<String>,
    subhead: Option<String>,
    /// The headline size the data asks for, in pt.
    headline_size: Option<f64>,
    paragraphs: Vec<String>,
    photos: Vec<PhotoData>,
}

#[derive(Serialize)]
struct PhotoData {
    index: usize,
    src: String,
    width: u32,
    height: u32,
    caption: String,
    credit: Option<String>,
    shape: PhotoShape,
}

impl PageData {
    /// A section's headline, its lines joined.
    pub fn section_headline(&self, index: usize) -> String {
        self.sections
            .get(index)
            .map(|s| s.headline.concat())
            .unwrap_or_default()
    }

    /// Lines of the newspaper's title band (0 when no page was composed).
    pub fn band(&self) -> usize {
        self.newspaper.as_ref().map_or(0, |d| d.band)
    }

    /// The composed brochure, when it was asked for.
    pub fn booklet(&self) -> Option<&crate::brochure::Booklet> {
        self.booklet.as_ref()
    }

    /// Whether the newspaper page was composed.
    pub fn has_newspaper(&self) -> bool {
        self.newspaper.is_some()
    }

    /// Each composed story's section index, headline and text area on the
    /// newspaper page.
    pub fn text_areas(&self) -> impl Iterator<Item = (usize, String, &TextArea)> {
        self.newspaper.iter().flat_map(|drawing| {
            drawing.modules.iter().filter_map(|m| {
                let section = m.section?;
                let text = m.text.as_ref()?;
                Some((section, self.sections[section].headline.concat(), text))
            })
        })
    }
}

/// The newspaper page's composition: the page found, or why none was.
pub enum Composition {
    /// The chosen arrangement.
    Page(Arrangement),
    /// No arrangement tiles the page: what the composer found.
    None(Diagnosis),
    /// More stories than a page holds (their count): not composed.
    TooManyStories(usize),
    /// The newspaper page was not asked for: not composed.
    NotAsked,
}

/// The most stories one newspaper page holds: a feature page runs six to
/// ten; past a dozen the search would take seconds for a page no editor
/// would print.
pub const MAX_STORIES: usize = 12;

/// Template data and the newspaper's composition.
pub struct Typeset {
    /// What the templates read.
    pub data: PageData,
    /// How the newspaper page was composed.
    pub composition: Composition,
    /// Each composer story's section index (the composer's order: the lead
    /// first, then reading order).
    pub order: Vec<usize>,
}

/// Which layouts to compose: each only when it is asked for.
#[derive(Debug, Clone, Copy)]
pub struct Asked {
    /// The newspaper page.
    pub newspaper: bool,
    /// The brochure.
    pub brochure: bool,
}

impl Asked {
    /// The layouts in `layouts`.
    pub fn of(layouts: &[crate::layouts::Layout]) -> Self {
        use crate::layouts::Layout;
        Self {
            newspaper: layouts.contains(&Layout::Newspaper),
            brochure: layouts.contains(&Layout::Brochure),
        }
    }
}

/// Builds the template data and composes the layouts asked for (the
/// newspaper page, the brochure); `photos` are in the report's photo
/// order. `body` and `kai` measure text for the
/// composer.
pub fn page_data(
    report: &Report,
    photos: &[LoadedPhoto],
    body: &dyn Metrics,
    kai: &dyn Metrics,
    layouts: Asked,
) -> Typeset {
    let sections = sections(report, photos);
    let title: Vec<String> = report.title.lines().into_iter().map(prepare).collect();
    let lede: Vec<String> = report.lede.iter().map(|p| prepare(p)).collect();
    let byline = BylineData {
        text: prepare(&report.byline.text),
        photos: report.byline.photos.as_deref().map(prepare),
    };
    let figures = figures(report);
    // The newspaper page: the band's depth, then the modules under it.
    let kicker = report.kicker.as_deref().map(prepare);
    let subtitle = report.subtitle.as_deref().map(prepare);
    let band = band::lines(
        &TitleBand {
            kicker: kicker.as_deref(),
            title: &title,
            subtitle: subtitle.as_deref(),
            lede: &lede,
            byline: &byline.line(),
        },
        kai,
    );
    let newspaper = Newspaper {
        report,
        sections: &sections,
        // What copyfit learns of a story's text holds whichever story
        // leads.
        copies: sections
            .iter()
            .map(|s| Copyfit::new(&s.paragraphs, body, kai))
            .collect(),
        figures: figures.as_ref().map(|f| FiguresCopy {
            title: f.title.is_some(),
            labels: f.items.iter().map(|i| i.label.clone()).collect(),
        }),
        height: grid::area_lines().saturating_sub(grid::STRIP_LINES + band + 1),
        body,
        kai,
    };
    // The two layouts compose side by side.
    let (newspaper, booklet) = rayon::join(
        || {
            let (composition, order) = if !layouts.newspaper {
                (Composition::NotAsked, (0..sections.len()).collect())
            } else if sections.len() > MAX_STORIES {
                (
                    Composition::TooManyStories(sections.len()),
                    (0..sections.len()).collect(),
                )
            } else {
                newspaper.compose()
            };
            let drawing = match &composition {
                Composition::Page(page) => Some(page.drawing(band + page.band_air)),
                Composition::None(_) | Composition::TooManyStories(_) | Composition::NotAsked => {
                    None
                }
            };
            (composition, order, drawing)
        },
        || {
            layouts.brochure.then(|| {
                booklet(
                    report,
                    &sections,
                    &title,
                    &lede,
                    figures.as_ref(),
                    body,
                    kai,
                )
            })
        },
    );
    let (composition, order, newspaper) = newspaper;
    let data = PageData {
        booklet,
        period: report.period.as_deref().map(prepare),
        publication: PublicationData::of(report),
        kicker,
        title,
        subtitle,
        lede,
        byline,
        sections,
        figures,
        brochure: report.brochure.clone(),
        newspaper,
        grid: crate::compose::grid::SPEC,
        faces: crate::fonts::FACES,
    };
    Typeset {
        data,
        composition,
        order,
    }
}

impl PublicationData {
    fn of(report: &Report) -> Self {
        let publication = &report.publication;
        let (year, month, day) = parse_date(&publication.date).unwrap_or((1970, 1, 1));
        Self {
            name: prepare(&publication.name),
            year,
            month,
            day,
            page: publication.page,
            label: publication.label.as_deref().map(prepare),
            editors: publication.editors.iter().map(|e| prepare(e)).collect(),
        }
    }
}

impl BylineData {
    /// The byline as the title band prints it: 文/… 　图/….
    fn line(&self) -> String {
        match &self.photos {
            Some(photos) => format!("文/{}　图/{photos}", self.text),
            None => format!("文/{}", self.text),
        }
    }
}

/// Each section's text prepared for setting, with its photos.
fn sections(report: &Report, photos: &[LoadedPhoto]) -> Vec<SectionData> {
    report
        .sections
        .iter()
        .enumerate()
        .map(|(index, section)| SectionData {
            index,
            kicker: section.kicker.as_deref().map(prepare),
            headline: section.headline.lines().into_iter().map(prepare).collect(),
            headline_size: section.size.as_deref().and_then(crate::report::hao),
            subhead: section
                .subhead
                .as_deref()
                .map(|s| prepare(s.trim_start_matches(['—', '-', '－']))),
            paragraphs: section.paragraphs.iter().map(|p| prepare(p)).collect(),
            photos: report
                .photos
                .iter()
                .zip(photos)
                .enumerate()
                .filter(|(_, (photo, _))| section.id.as_deref() == Some(photo.section.as_str()))
                .map(|(index, (photo, file))| PhotoData {
                    index,
                    src: file.vpath.clone(),
                    width: file.width,
                    height: file.height,
                    caption: prepare(&photo.caption),
                    credit: photo.credit.as_deref().map(credit),
                    shape: photo.shape,
                })
                .collect(),
        })
        .collect()
}

/// Composes the brochure: each section's photos with its lead (the most
/// important, the earlier on a tie) first.
fn booklet(
    report: &Report,
    sections: &[SectionData],
    title: &[String],
    lede: &[String],
    figures: Option<&Figures>,
    body: &dyn Metrics,
    kai: &dyn Metrics,
) -> crate::brochure::Booklet {
    use crate::brochure::{PhotoInput, StoryInput};
    let stories: Vec<StoryInput> = sections
        .iter()
        .map(|s| {
            let mut photos: Vec<&PhotoData> = s.photos.iter().collect();
            photos.sort_by_key(|p| -report.photos[p.index].importance);
            StoryInput {
                section: s.index,
                kicker: s.kicker.as_deref(),
                headline: &s.headline,
                subhead: s.subhead.as_deref(),
                paragraphs: &s.paragraphs,
                quote: report.sections[s.index].quote.as_deref().map(prepare),
                photos: photos
                    .into_iter()
                    .map(|p| PhotoInput {
                        index: p.index,
                        pixels: (p.width, p.height),
                        caption: match &p.credit {
                            Some(credit) => format!("{}　{credit}", p.caption),
                            None => p.caption.clone(),
                        },
                    })
                    .collect(),
            }
        })
        .collect();
    let credits: Vec<String> = sections
        .iter()
        .flat_map(|s| &s.photos)
        .filter_map(|p| Some(format!("{}　{}", p.caption, p.credit.as_ref()?)))
        .collect();
    let byline_rows = 3 + usize::from(report.byline.photos.is_some());
    crate::brochure::compose(
        &stories,
        &crate::brochure::Matters {
            title,
            lede,
            figures: figures.map_or(0, |f| f.items.len()),
            colophon_rows: byline_rows + report.publication.editors.len(),
            credits,
        },
        &report.brochure,
        &crate::brochure::Faces { song: body, kai },
    )
}

/// The key figures, their text prepared.
fn figures(report: &Report) -> Option<Figures> {
    report.figures.clone().map(|mut figures| {
        figures.title = figures.title.as_deref().map(prepare);
        for item in &mut figures.items {
            item.value = prepare(&item.value);
            item.unit = item.unit.as_deref().map(prepare);
            item.label = prepare(&item.label);
        }
        figures
    })
}

/// What composing the newspaper page needs, whichever story leads.
struct Newspaper<'a> {
    report: &'a Report,
    sections: &'a [SectionData],
    copies: Vec<Copyfit<'a>>,
    figures: Option<FiguresCopy>,
    /// Lines of the area under the title band.
    height: usize,
    body: &'a dyn Metrics,
    kai: &'a dyn Metrics,
}

impl Newspaper<'_> {
    /// The page, with the composer's order of the sections (the lead
    /// first). A lead that is the widest story and opens with its headline
    /// ends the tries; otherwise the cheapest page of those tried, the
    /// widest lead first.
    fn compose(&self) -> (Composition, Vec<usize>) {
        let rank = |c: &Composition| match c {
            Composition::Page(page) => (page.terms.lead_width > 0.0, page.terms.total()),
            Composition::None(_) | Composition::TooManyStories(_) | Composition::NotAsked => {
                (true, f64::INFINITY)
            }
        };
        let mut best: Option<(Composition, Vec<usize>)> = None;
        for lead in self.leads() {
            let order: Vec<usize> = std::iter::once(lead)
                .chain((0..self.sections.len()).filter(|&i| i != lead))
                .collect();
            let composition = self.in_order(&order);
            let done = matches!(&composition, Composition::Page(page)
                if page.terms.lead_width == 0.0 && !matches!(page.modules[0].placed, Placed::Story { photo_top: true, .. }));
            let better = best.as_ref().is_none_or(|(b, _)| {
                let (x, y) = (rank(&composition), rank(b));
                (!x.0 && y.0) || (x.0 == y.0 && x.1 < y.1)
            });
            if better {
                best = Some((composition, order));
            }
            if done {
                break;
            }
        }
        best.expect("a lead to try")
    }

    /// The leads to try, in turn. The lead is the story of the highest
    /// priority; among equals (and when the data gives none), the
    /// strongest: the most copy, a photo counting as 400 characters; the
    /// three strongest are tried until one can be the widest story of the
    /// page. Never a story pinned to the side column, unless every story is.
    fn leads(&self) -> Vec<usize> {
        let (report, sections) = (self.report, self.sections);
        let weight = |i: usize| {
            let photos = sections[i].photos.len();
            sections[i]
                .paragraphs
                .iter()
                .map(|p| p.chars().count())
                .sum::<usize>()
                + 400 * photos
        };
        let mut candidates: Vec<usize> = (0..sections.len())
            .filter(|&i| report.sections[i].place != Some(crate::report::Place::Side))
            .collect();
        if candidates.is_empty() {
            candidates = (0..sections.len()).collect();
        }
        candidates.sort_by_key(|&i| {
            (
                std::cmp::Reverse((report.sections[i].priority, weight(i))),
                i,
            )
        });
        let top = candidates.first().map(|&i| report.sections[i].priority);
        candidates
            .iter()
            .copied()
            .filter(|&i| Some(report.sections[i].priority) == top)
            .take(3)
            .collect()
    }

    /// The newspaper page composed with the stories in `order` (the lead
    /// first).
    fn in_order(&self, order: &[usize]) -> Composition {
        let (report, sections, copies, figures, height, body, kai) = (
            self.report,
            self.sections,
            &self.copies,
            self.figures.as_ref(),
            self.height,
            self.body,
            self.kai,
        );
        let mut stories: Vec<StoryCopy> = order
            .iter()
            .enumerate()
            .map(|(rank, &index)| {
                let section = &report.sections[index];
                let data = &sections[index];
                let mut story_photos: Vec<PhotoCopy> = data
                    .photos
                    .iter()
                    .enumerate()
                    .map(|(local, p)| {
                        let pins = &report.photos[p.index];
                        PhotoCopy {
                            index: p.index,
                            local,
                            width: p.width,
                            height: p.height,
                            caption: match &p.credit {
                                Some(credit) => format!("{}　{credit}", p.caption),
                                None => p.caption.clone(),
                            },
                            columns: pins.columns.map(usize::from),
                            place: pins.place,
                            column: pins.column.map(|c| usize::from(c).saturating_sub(1)),
                            line: pins.line.map(|l| usize::from(l).saturating_sub(1)),
                            circle: p.shape == PhotoShape::Circle,
                            target: 2.0,
                        }
                    })
                    .collect();
                // The lead photo first: the most important, the first on ties.
                story_photos.sort_by_key(|p| std::cmp::Reverse(report.photos[p.index].importance));
                StoryCopy {
                    section: index,
                    kicker: data.kicker.clone(),
                    headline: data.headline.clone(),
                    subhead: data.subhead.clone(),
                    size: data.headline_size,
                    copy: &copies[index],
                    photos: story_photos,
                    place: section.place,
                    rank,
                }
            })
            .collect();
        // Headlines take about five lines across three columns each; the key
        // figures about twenty lines across three.
        let fixed = stories.len() * 5 * 3 + if figures.is_some() { 60 } else { 0 };
        crate::compose::module::photo_targets(&mut stories, height, fixed);
        let mut composer = Composer::new(
            &stories,
            figures,
            height,
            report.newspaper.main.map(usize::from),
            body,
            kai,
        );
        match composer.compose() {
            Some(page) => Composition::Page(page),
            None => Composition::None(composer.diagnose()),
        }
    }
}

/// A credit (本报记者　宋崇飞　摄) never breaks inside: a name split over
/// two lines reads as two people.
fn credit(text: &str) -> String {
    let prepared = prepare(text);
    let mut out = String::with_capacity(prepared.len() * 2);
    for (i, c) in prepared.chars().enumerate() {
        if i > 0 && c != WORD_JOINER {
            out.push(WORD_JOINER);
        }
        out.push(c);
    }
    out
}

/// Prepares one string for setting:
/// - trims it, and joins lines the editor broke by hand: a line break (with
///   the spaces around it) between two CJK characters disappears, elsewhere
///   it becomes one space (Typst 0.15.1 would print a space, #792);
/// - puts a word joiner before ·, — and ～, which Typst would otherwise let
///   start a line (#6774).
pub fn prepare(text: &str) -> String {
    let mut joined = String::with_capacity(text.len());
    let mut lines = text
        .trim()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .peekable();
    while let Some(line) = lines.next() {
        joined.push_str(line);
        if let Some(next) = lines.peek() {
            let before = line.chars().last().unwrap_or(' ');
            let after = next.chars().next().unwrap_or(' ');
            if !(is_cjk(before) && is_cjk(after)) {
                joined.push(' ');
            }
        }
    }
    let mut out = String::with_capacity(joined.len() + 8);
    let mut previous: Option<char> = None;
    for c in joined.chars() {
        if matches!(c, '·' | '—' | '～') && previous.is_some_and(|p| p != c && p != WORD_JOINER)
        {
            out.push(WORD_JOINER);
        }
        out.push(c);
        previous = Some(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_broken_lines_join_without_spaces_between_han() {
        assert_eq!(
            prepare("中站区精准研判、果断决策、快\n  速行动"),
            "中站区精准研判、果断决策、快速行动"
        );
        assert_eq!(prepare("PM2.5\nand more"), "PM2.5 and more");
        assert_eq!(prepare("  留白  "), "留白");
    }

    #[test]
    fn connectors_are_glued_to_what_precedes_them() {
        assert_eq!(prepare("小区——和美三期"), "小区\u{2060}——和美三期");
        assert_eq!(prepare("1~11月·统计"), "1~11月\u{2060}·统计");
        assert_eq!(prepare("——开头"), "——开头");
    }
}
