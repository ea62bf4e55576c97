//! The report: what an editor writes (TOML or JSON), loaded with positions
//! kept so that every error can point back into the data file.

use std::path::PathBuf;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::findings::FieldPath;

mod load;
mod source;
mod validate;

pub use load::{Partial, json_pointer, load, load_from, partial, schema};
pub use source::{Format, SourceMap};

/// One report: a feature story with its sections, photos and key figures.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// The publication strip (报眉) above the page.
    pub publication: Publication,
    /// 引题: a short line above the title.
    #[serde(default)]
    pub kicker: Option<String>,
    /// 主题: the feature's title, one string per line.
    pub title: Lines,
    /// 副题: a line under the title.
    #[serde(default)]
    pub subtitle: Option<String>,
    /// 导语: the paragraphs that open the feature.
    #[serde(default)]
    pub lede: Vec<String>,
    /// The year or period the report covers, as printed on the brochure's
    /// cover, e.g. 2020年 (the publication's date is when it appeared, which
    /// for a review is often the next year). Without it the cover prints
    /// no year.
    #[serde(default)]
    pub period: Option<String>,
    /// Who wrote it and who took the photos.
    pub byline: Byline,
    /// The stories of the feature, in reading order.
    pub sections: Vec<Section>,
    /// Photos, each tied to a section by its `id`.
    #[serde(default)]
    pub photos: Vec<Photo>,
    /// An optional box of key figures (数说).
    #[serde(default)]
    pub figures: Option<Figures>,
    /// Settings for the newspaper page.
    #[serde(default)]
    pub newspaper: NewspaperSettings,
    /// Settings for the brochure.
    #[serde(default)]
    pub brochure: BrochureSettings,
}

/// Settings for the brochure layout.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BrochureSettings {
    /// The paper size.
    #[serde(default)]
    pub paper: Paper,
    /// How the booklet is bound, which sets its page count.
    #[serde(default)]
    pub binding: Binding,
}

/// How a brochure is bound.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Binding {
    /// Stapled through the fold: folded sheets of four pages, so the page
    /// count is a multiple of 4.
    #[default]
    Saddle,
    /// Glued at the spine: any even page count.
    Perfect,
}

impl Binding {
    /// The page count is a multiple of this.
    pub fn pages_per_sheet(self) -> usize {
        match self {
            Binding::Saddle => 4,
            Binding::Perfect => 2,
        }
    }
}

/// Brochure paper sizes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    /// 210 × 297 mm, two text columns.
    #[default]
    A4,
    /// 148 × 210 mm, one text column.
    A5,
}

/// A headline or title: one string per printed line, as the editor broke it.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Lines {
    /// A single line.
    One(String),
    /// Several lines, in order.
    Many(Vec<String>),
}

impl<'de> Deserialize<'de> for Lines {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LinesVisitor;
        impl<'de> serde::de::Visitor<'de> for LinesVisitor {
            type Value = Lines;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string, or an array of strings (one per line)")
            }
            fn visit_str<E: serde::de::Error>(self, line: &str) -> Result<Lines, E> {
                Ok(Lines::One(line.to_string()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Lines, A::Error> {
                let mut lines = Vec::new();
                while let Some(line) = seq.next_element::<String>()? {
                    lines.push(line);
                }
                Ok(Lines::Many(lines))
            }
        }
        deserializer.deserialize_any(LinesVisitor)
    }
}

impl JsonSchema for Lines {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Lines".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "One line, or one string per printed line.",
            "oneOf": [
                { "type": "string" },
                { "type": "array", "items": { "type": "string" }, "minItems": 1 }
            ]
        })
    }
}

impl Lines {
    /// The lines as a slice-like vector of string slices.
    pub fn lines(&self) -> Vec<&str> {
        match self {
            Lines::One(line) => vec![line.as_str()],
            Lines::Many(lines) => lines.iter().map(String::as_str).collect(),
        }
    }
}

/// The publication strip: paper, date, page and label.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Publication {
    /// The paper's name, e.g. 焦作日报.
    pub name: String,
    /// Publication date, `YYYY-MM-DD`.
    pub date: String,
    /// Page (版) number.
    pub page: u32,
    /// The page's label, e.g. 特别报道.
    #[serde(default)]
    pub label: Option<String>,
    /// Responsible editors, printed in the strip, e.g. "责任编辑　王某".
    #[serde(default)]
    pub editors: Vec<String>,
}

/// The byline: writer and photographers (文/… 图/…).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Byline {
    /// The writer(s), printed after 文/.
    pub text: String,
    /// The photographers, printed after 图/.
    #[serde(default)]
    pub photos: Option<String>,
}

/// One story of the feature.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// A short name that photos use to say where they belong.
    #[serde(default)]
    pub id: Option<String>,
    /// 引题 above the headline.
    #[serde(default)]
    pub kicker: Option<String>,
    /// 主题: one string per line, as the editor broke it.
    pub headline: Lines,
    /// 副题 under the headline.
    #[serde(default)]
    pub subhead: Option<String>,
    /// The headline's size in 号 (一号, 小一, 二号…); without it the layout
    /// takes the largest that keeps each line on one line.
    #[serde(default)]
    pub size: Option<String>,
    /// The body, one string per paragraph.
    pub paragraphs: Vec<String>,
    /// A pull quote for the brochure: a sentence of the story, copied as it
    /// stands in one of its paragraphs, set large beside the text.
    #[serde(default)]
    pub quote: Option<String>,
    /// A pin: where the newspaper page sets the story, in the wide part or
    /// in the side column. Without it the composer chooses.
    #[serde(default)]
    pub place: Option<Place>,
    /// How much the story matters on the page: the story with the highest
    /// priority is the lead (头条: on top, widest, largest headline); ties go
    /// to the earlier story. Default 0.
    #[serde(default)]
    pub priority: i32,
}

/// Which part of the newspaper page a story sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Place {
    /// The wide part on the left.
    Main,
    /// The side column on the right (its width: `[newspaper] main`, or the
    /// composer's choice).
    Side,
}

/// A photo with its caption and credit.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Photo {
    /// The image file, relative to the report's folder.
    pub file: String,
    /// 图片说明.
    pub caption: String,
    /// The photographer, e.g. "本报记者 宋崇飞 摄".
    #[serde(default)]
    pub credit: Option<String>,
    /// A pin: how many columns the photo spans on the newspaper page.
    /// Without it the composer chooses.
    #[serde(default)]
    pub columns: Option<u8>,
    /// The `id` of the section the photo belongs to.
    pub section: String,
    /// A pin: where the newspaper page sets it, in a row above the story's
    /// text, or inside the text with the text running around it. Without
    /// it the composer chooses.
    #[serde(default)]
    pub place: Option<PhotoPlace>,
    /// How much the photo matters in its story: the one with the highest
    /// importance is the story's lead photo (the largest); ties go to the
    /// earlier photo. Default 0.
    #[serde(default)]
    pub importance: i32,
    /// For `place = "inline"`: the first column it covers (1 = the story's
    /// first text column).
    #[serde(default)]
    pub column: Option<u8>,
    /// For `place = "inline"`: the line of the story's text where it starts
    /// (1 = the first line).
    #[serde(default)]
    pub line: Option<u16>,
    /// Its outline: a rectangle (default) or a circle.
    #[serde(default)]
    pub shape: PhotoShape,
}

/// Where a photo goes in its story on the newspaper page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PhotoPlace {
    /// In a row of photos above the story's text.
    Row,
    /// Inside the text, which runs around it (图文绕排).
    Inline,
}

/// A photo's outline.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PhotoShape {
    /// Square corners.
    #[default]
    Rect,
    /// Cut to a circle.
    Circle,
}

/// The key-figures box.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Figures {
    /// The box's heading, e.g. 数说中站.
    #[serde(default)]
    pub title: Option<String>,
    /// The figures, in order.
    pub items: Vec<Figure>,
}

/// One key figure: 58.04 亿元 新增贷款.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// The number as printed, e.g. "58.04".
    pub value: String,
    /// Its unit, e.g. 亿元.
    #[serde(default)]
    pub unit: Option<String>,
    /// What it counts.
    pub label: String,
}

/// Settings for the newspaper layout.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewspaperSettings {
    /// A pin: columns of the wide part; the side column takes the rest of
    /// the 8. Without it the composer chooses (a side column or none).
    #[serde(default)]
    pub main: Option<u8>,
}

/// The 号 sizes in pt, by name.
pub const HAO: &[(&str, f64)] = &[
    ("初号", 42.0),
    ("小初", 36.0),
    ("一号", 26.0),
    ("小一", 24.0),
    ("二号", 22.0),
    ("小二", 18.0),
    ("三号", 16.0),
    ("小三", 15.0),
    ("四号", 14.0),
    ("小四", 12.0),
    ("五号", 10.5),
    ("小五", 9.0),
];

/// A 号 size in pt, by its name.
pub fn hao(name: &str) -> Option<f64> {
    HAO.iter().find(|(n, _)| *n == name).map(|(_, pt)| *pt)
}

/// The grid the newspaper page is built on: 8 columns.
pub const PAGE_COLUMNS: u8 = 8;

/// A report as loaded: the model, where it came from, and its source text.
pub struct LoadedReport {
    /// The parsed model.
    pub report: Report,
    /// The data file.
    pub path: PathBuf,
    /// The folder photos are read from, and nothing outside it.
    pub root: PathBuf,
    /// The data file's text, with positions.
    pub source: SourceMap,
    /// The data file's bytes as read (an archived PDF carries them).
    pub bytes: std::sync::Arc<[u8]>,
}

impl LoadedReport {
    /// The data file's name, without its folder: what a PDF may say of
    /// it (no path of the machine).
    pub fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// Parses `YYYY-MM-DD` into (year, month, day), checking the calendar.
pub fn parse_date(text: &str) -> Option<(i32, u8, u8)> {
    let mut parts = text.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    // Four digits of year, two of month and day: no sign, no year 0.
    let digits = |t: &str, n: usize| t.len() == n && t.bytes().all(|b| b.is_ascii_digit());
    if parts.next().is_some() || !digits(y, 4) || !digits(m, 2) || !digits(d, 2) || y == "0000" {
        return None;
    }
    let (year, month, day): (i32, u8, u8) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&day).then_some((year, month, day))
}

/// Every piece of text the report prints, with its field path, in order.
pub fn texts(report: &Report) -> Vec<(FieldPath, &str)> {
    let root = FieldPath::root();
    let mut out: Vec<(FieldPath, &str)> = Vec::new();
    let p = root.key("publication");
    out.push((p.key("name"), &report.publication.name));
    if let Some(label) = &report.publication.label {
        out.push((p.key("label"), label));
    }
    for (i, editor) in report.publication.editors.iter().enumerate() {
        out.push((p.key("editors").index(i), editor));
    }
    if let Some(kicker) = &report.kicker {
        out.push((root.key("kicker"), kicker));
    }
    push_lines(&mut out, root.key("title"), &report.title);
    if let Some(subtitle) = &report.subtitle {
        out.push((root.key("subtitle"), subtitle));
    }
    for (i, paragraph) in report.lede.iter().enumerate() {
        out.push((root.key("lede").index(i), paragraph));
    }
    if let Some(period) = &report.period {
        out.push((root.key("period"), period));
    }
    out.push((root.key("byline").key("text"), &report.byline.text));
    if let Some(photos) = &report.byline.photos {
        out.push((root.key("byline").key("photos"), photos));
    }
    for (i, section) in report.sections.iter().enumerate() {
        let at = root.key("sections").index(i);
        if let Some(kicker) = &section.kicker {
            out.push((at.key("kicker"), kicker));
        }
        push_lines(&mut out, at.key("headline"), &section.headline);
        if let Some(subhead) = &section.subhead {
            out.push((at.key("subhead"), subhead));
        }
        for (j, paragraph) in section.paragraphs.iter().enumerate() {
            out.push((at.key("paragraphs").index(j), paragraph));
        }
        if let Some(quote) = &section.quote {
            out.push((at.key("quote"), quote));
        }
    }
    for (i, photo) in report.photos.iter().enumerate() {
        let at = root.key("photos").index(i);
        out.push((at.key("caption"), &photo.caption));
        if let Some(credit) = &photo.credit {
            out.push((at.key("credit"), credit));
        }
    }
    if let Some(figures) = &report.figures {
        let at = root.key("figures");
        if let Some(title) = &figures.title {
            out.push((at.key("title"), title));
        }
        for (i, item) in figures.items.iter().enumerate() {
            let at = at.key("items").index(i);
            out.push((at.key("value"), &item.value));
            if let Some(unit) = &item.unit {
                out.push((at.key("unit"), unit));
            }
            out.push((at.key("label"), &item.label));
        }
    }
    out
}

fn push_lines<'a>(out: &mut Vec<(FieldPath, &'a str)>, at: FieldPath, lines: &'a Lines) {
    match lines {
        Lines::One(line) => out.push((at, line)),
        Lines::Many(many) => {
            for (i, line) in many.iter().enumerate() {
                out.push((at.index(i), line));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_follow_the_calendar() {
        assert_eq!(parse_date("2020-12-28"), Some((2020, 12, 28)));
        assert_eq!(parse_date("2020-02-29"), Some((2020, 2, 29)));
        assert_eq!(parse_date("2021-02-29"), None);
        assert_eq!(parse_date("2020-13-01"), None);
        assert_eq!(parse_date("2020-1-01"), None);
        assert_eq!(parse_date("2020年12月"), None);
        // No year 0, no sign.
        assert_eq!(parse_date("0000-01-01"), None);
        assert_eq!(parse_date("+999-01-01"), None);
        assert_eq!(parse_date("-999-01-01"), None);
    }
}
