//! What templates receive as `/report.json`: the report with its text
//! prepared for setting (see TYPOGRAPHY.md §1 items 2 and 11) and its photos
//! resolved to the files the world serves. Text stays text: templates place
//! these strings as strings, never evaluate them.

use serde::Serialize;

use crate::compose::Metrics;
use crate::photos::LoadedPhoto;
use crate::report::{
    BrochureSettings, Figures, PAGE_COLUMNS, PhotoPlace, PhotoShape, Place, Report, parse_date,
};
use crate::story::{self, Inline, TextArea};

/// The data a template reads.
#[derive(Serialize)]
pub struct PageData {
    publication: PublicationData,
    kicker: Option<String>,
    title: Vec<String>,
    subtitle: Option<String>,
    lede: Vec<String>,
    byline: BylineData,
    sections: Vec<SectionData>,
    figures: Option<Figures>,
    newspaper: NewspaperData,
    brochure: BrochureSettings,
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
    place: Place,
    photos: Vec<PhotoData>,
    /// The composed text area on the newspaper page.
    text: TextArea,
}

#[derive(Serialize)]
struct PhotoData {
    index: usize,
    src: String,
    width: u32,
    height: u32,
    caption: String,
    credit: Option<String>,
    columns: u8,
    /// In the row above the text, or inside it.
    place: PhotoPlace,
    shape: PhotoShape,
}

#[derive(Serialize)]
struct NewspaperData {
    main: u8,
}

impl PageData {
    /// Each section's index, headline and composed text area.
    pub fn text_areas(&self) -> impl Iterator<Item = (usize, String, &TextArea)> {
        self.sections
            .iter()
            .map(|s| (s.index, s.headline.concat(), &s.text))
    }
}

/// Builds the template data; `photos` are in the report's photo order.
/// `body` and `kai` measure text for the composer.
pub fn page_data(
    report: &Report,
    photos: &[LoadedPhoto],
    body: &dyn Metrics,
    kai: &dyn Metrics,
) -> PageData {
    let (year, month, day) = parse_date(&report.publication.date).unwrap_or((1970, 1, 1));
    let publication = &report.publication;
    let sections = report
        .sections
        .iter()
        .enumerate()
        .map(|(index, section)| {
            let photos: Vec<PhotoData> = report
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
                    columns: photo.columns,
                    place: photo.place,
                    shape: photo.shape,
                })
                .collect();
            let columns = match section.place {
                Place::Main => report.newspaper.main,
                Place::Side => PAGE_COLUMNS - report.newspaper.main,
            };
            let inlines: Vec<Inline> = photos
                .iter()
                .enumerate()
                .filter(|(_, p)| p.place == PhotoPlace::Inline)
                .map(|(i, p)| {
                    let data = &report.photos[p.index];
                    Inline {
                        photo: i,
                        column: usize::from(data.column.unwrap_or(1).saturating_sub(1)),
                        columns: usize::from(p.columns.min(columns)),
                        line: usize::from(data.line.unwrap_or(1).saturating_sub(1)),
                        circle: p.shape == PhotoShape::Circle,
                        aspect: f64::from(p.height) / f64::from(p.width.max(1)),
                        caption: match &p.credit {
                            Some(credit) => format!("{}　{credit}", p.caption),
                            None => p.caption.clone(),
                        },
                    }
                })
                .collect();
            let paragraphs: Vec<String> = section.paragraphs.iter().map(|p| prepare(p)).collect();
            let text = story::lay_out(&paragraphs, usize::from(columns), &inlines, body, kai);
            (index, section, photos, paragraphs, text)
        })
        .map(|(index, section, photos, paragraphs, text)| SectionData {
            index,
            kicker: section.kicker.as_deref().map(prepare),
            headline: section.headline.lines().into_iter().map(prepare).collect(),
            headline_size: section.size.as_deref().and_then(crate::report::hao),
            subhead: section.subhead.as_deref().map(prepare),
            paragraphs,
            place: section.place,
            photos,
            text,
        })
        .collect();
    PageData {
        publication: PublicationData {
            name: prepare(&publication.name),
            year,
            month,
            day,
            page: publication.page,
            label: publication.label.as_deref().map(prepare),
            editors: publication.editors.iter().map(|e| prepare(e)).collect(),
        },
        kicker: report.kicker.as_deref().map(prepare),
        title: report.title.lines().into_iter().map(prepare).collect(),
        subtitle: report.subtitle.as_deref().map(prepare),
        lede: report.lede.iter().map(|p| prepare(p)).collect(),
        byline: BylineData {
            text: prepare(&report.byline.text),
            photos: report.byline.photos.as_deref().map(prepare),
        },
        sections,
        figures: report.figures.clone().map(|mut figures| {
            figures.title = figures.title.as_deref().map(prepare);
            for item in &mut figures.items {
                item.value = prepare(&item.value);
                item.unit = item.unit.as_deref().map(prepare);
                item.label = prepare(&item.label);
            }
            figures
        }),
        brochure: report.brochure.clone(),
        newspaper: NewspaperData {
            main: report.newspaper.main,
        },
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

/// Word joiner: keeps the next character from starting a line.
const WORD_JOINER: char = '\u{2060}';

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

/// Han characters and CJK punctuation: no space between these when joining.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
        || matches!(c, '“' | '”' | '‘' | '’' | '—' | '…' | '·')
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
