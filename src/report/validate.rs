//! What serde cannot check: values in range, references that resolve,
//! headline lines that read well. Photo files and glyphs are checked
//! later, against the disk and the fonts.

use std::collections::HashSet;

use super::{
    HAO, Lines, LoadedReport, PAGE_COLUMNS, Photo, PhotoPlace, Report, Section, hao, parse_date,
};
use crate::findings::{FieldPath, Finding};

/// Checks what serde cannot: values in range, references that resolve.
/// Photo files and glyphs are checked later, against the disk and the fonts.
pub(super) fn validate(loaded: &LoadedReport) -> Vec<Finding> {
    let report = &loaded.report;
    let source = &loaded.source;
    let mut errors = Vec::new();
    let mut fail = |code: &'static str, path: FieldPath, message: String| {
        let mut finding = source.error_at_path(&path, message);
        finding.code = code;
        errors.push(finding);
    };
    whole(report, &mut fail);
    limits(report, &mut fail);
    let mut ids = HashSet::new();
    for (index, section) in report.sections.iter().enumerate() {
        let at = FieldPath::root().key("sections").index(index);
        if let Some(id) = &section.id
            && !ids.insert(id.as_str())
        {
            fail(
                "data-value",
                at.key("id"),
                format!("another section already has the id `{id}`"),
            );
        }
        self::section(section, &at, &mut fail);
    }
    for (index, photo) in report.photos.iter().enumerate() {
        self::photo(report, &ids, index, photo, &mut fail);
    }
    errors.extend(control_characters(loaded));
    errors
}

/// Characters that print as nothing (NUL, ESC, backspace…) or turn text
/// around (bidirectional controls): one error per text that holds one,
/// at the character.
fn control_characters(loaded: &LoadedReport) -> Vec<Finding> {
    super::texts(&loaded.report)
        .into_iter()
        .filter_map(|(path, text)| {
            let c = text.chars().find(|&c| crate::cjk::is_control(c))?;
            Some(
                Finding::error(
                    "data-control-character",
                    format!(
                        "the text holds the control character U+{:04X}, which prints \
                        as nothing or reorders the text",
                        c as u32
                    ),
                )
                .at(loaded.source.locate_char(&path, c))
                .hint("delete it; a line break in a headline is a new line in its list"),
            )
        })
        .collect()
}

/// Reports a data error: its code, where, and what.
type Fail<'a> = dyn FnMut(&'static str, FieldPath, String) + 'a;

/// The report as a whole: its date, title, sections, the newspaper's pins.
fn whole(report: &Report, fail: &mut Fail) {
    if parse_date(&report.publication.date).is_none() {
        fail(
            "data-value",
            FieldPath::root().key("publication").key("date"),
            format!(
                "`{}` is not a date; write it as YYYY-MM-DD",
                report.publication.date
            ),
        );
    }
    if report
        .title
        .lines()
        .iter()
        .all(|line| line.trim().is_empty())
    {
        fail(
            "data-value",
            FieldPath::root().key("title"),
            "the title is empty".into(),
        );
    }
    if report.sections.is_empty() {
        fail(
            "data-value",
            FieldPath::root().key("sections"),
            "a report needs at least one section".into(),
        );
    }
    if report.publication.page == 0 {
        fail(
            "data-value",
            FieldPath::root().key("publication").key("page"),
            "pages count from 1 (第1版)".into(),
        );
    }
    if let Some(main) = report.newspaper.main
        && !(2..=PAGE_COLUMNS - 2).contains(&main)
    {
        fail(
            "data-value",
            FieldPath::root().key("newspaper").key("main"),
            format!(
                "the wide part must take 2 to {} of the page's {PAGE_COLUMNS} columns, not {main}",
                PAGE_COLUMNS - 2
            ),
        );
    }
}

/// The most sections a report may have: a year's review runs to a few
/// dozen.
pub const MAX_SECTIONS: usize = 100;
/// The most photos a report may have.
pub const MAX_PHOTOS: usize = 300;
/// The most paragraphs one section may have.
pub const MAX_PARAGRAPHS: usize = 500;
/// The most characters one paragraph may have: twenty times a long one.
pub const MAX_PARAGRAPH_CHARS: usize = 10_000;

/// Counts no real report reaches, refused before any work starts (each
/// named, with the limit).
fn limits(report: &Report, fail: &mut Fail) {
    let root = FieldPath::root();
    if report.sections.len() > MAX_SECTIONS {
        fail(
            "data-limit",
            root.key("sections"),
            format!(
                "{} sections; a report may have at most {MAX_SECTIONS}",
                report.sections.len()
            ),
        );
    }
    if report.photos.len() > MAX_PHOTOS {
        fail(
            "data-limit",
            root.key("photos"),
            format!(
                "{} photos; a report may have at most {MAX_PHOTOS}",
                report.photos.len()
            ),
        );
    }
    for (i, section) in report.sections.iter().enumerate().take(MAX_SECTIONS) {
        let at = root.key("sections").index(i).key("paragraphs");
        if section.paragraphs.len() > MAX_PARAGRAPHS {
            fail(
                "data-limit",
                at.clone(),
                format!(
                    "{} paragraphs; a section may have at most {MAX_PARAGRAPHS}",
                    section.paragraphs.len()
                ),
            );
        }
        for (p, paragraph) in section.paragraphs.iter().enumerate().take(MAX_PARAGRAPHS) {
            let characters = paragraph.chars().count();
            if characters > MAX_PARAGRAPH_CHARS {
                fail(
                    "data-limit",
                    at.index(p),
                    format!(
                        "{characters} characters in one paragraph; a paragraph may \
                        have at most {MAX_PARAGRAPH_CHARS}: break it where its sense \
                        allows"
                    ),
                );
            }
        }
    }
}

/// One section: its headline, size and paragraphs.
/// The longest pull quote: a sentence, set in 小三 beside the text.
pub const MAX_QUOTE_CHARS: usize = 80;

fn section(section: &Section, at: &FieldPath, fail: &mut Fail) {
    if section
        .headline
        .lines()
        .iter()
        .all(|line| line.trim().is_empty())
    {
        fail(
            "data-value",
            at.key("headline"),
            "the headline is empty".into(),
        );
    }
    if let Some(size) = &section.size
        && hao(size).is_none()
    {
        let names: Vec<&str> = HAO.iter().map(|(n, _)| *n).collect();
        fail(
            "data-value",
            at.key("size"),
            format!("`{size}` is not a 号 size; use one of {}", names.join(" ")),
        );
    }
    headline_lines(section, at, fail);
    if section.paragraphs.is_empty() {
        fail(
            "data-value",
            at.key("paragraphs"),
            "a section needs at least one paragraph".into(),
        );
    }
    for (p, paragraph) in section.paragraphs.iter().enumerate() {
        if paragraph.trim().is_empty() {
            fail(
                "data-value",
                at.key("paragraphs").index(p),
                "the paragraph is empty".into(),
            );
        }
    }
    if let Some(quote) = &section.quote {
        let quote = quote.trim();
        if quote.chars().count() > MAX_QUOTE_CHARS {
            fail(
                "data-limit",
                at.key("quote"),
                format!(
                    "a pull quote of {} characters; at most {MAX_QUOTE_CHARS} (one sentence, set large)",
                    quote.chars().count()
                ),
            );
        }
        if quote.is_empty() || !section.paragraphs.iter().any(|p| p.contains(quote)) {
            fail(
                "data-value",
                at.key("quote"),
                "a pull quote is a sentence of the story, copied as it stands in one of \
                 its paragraphs; this one is in none"
                    .into(),
            );
        }
    }
}

/// A headline's lines: no stop at a line's end, no line of one character.
fn headline_lines(section: &Section, at: &FieldPath, fail: &mut Fail) {
    for (j, line) in section.headline.lines().iter().enumerate() {
        let at = match &section.headline {
            Lines::One(_) => at.key("headline"),
            Lines::Many(_) => at.key("headline").index(j),
        };
        let line = line.trim();
        if line.ends_with(['。', '，', '；', '、', ',', ';']) {
            fail(
                "headline-punctuation",
                at.clone(),
                format!("a headline line does not end with punctuation: `{line}`"),
            );
        }
        let characters = line.chars().filter(|c| c.is_alphanumeric()).count();
        if characters == 1 {
            fail(
                "headline-one-character",
                at,
                format!(
                    "a headline line of one character reads as a stray: `{line}`; \
                    join it to the line before"
                ),
            );
        }
    }
}

/// One photo: its section, its columns and its pins inside the text.
fn photo(report: &Report, ids: &HashSet<&str>, index: usize, photo: &Photo, fail: &mut Fail) {
    let at = FieldPath::root().key("photos").index(index);
    if !ids.contains(photo.section.as_str()) {
        let known: Vec<_> = report
            .sections
            .iter()
            .filter_map(|s| s.id.as_deref())
            .collect();
        fail(
            "data-value",
            at.key("section"),
            format!(
                "no section has the id `{}` (ids: {})",
                photo.section,
                known.join(", ")
            ),
        );
    }
    if let Some(columns) = photo.columns
        && !(1..=PAGE_COLUMNS).contains(&columns)
    {
        fail(
            "data-value",
            at.key("columns"),
            format!("a photo spans 1 to {PAGE_COLUMNS} columns, not {columns}"),
        );
    }
    if photo.column == Some(0) {
        fail(
            "data-value",
            at.key("column"),
            "columns count from 1".into(),
        );
    }
    if photo.line == Some(0) {
        fail("data-value", at.key("line"), "lines count from 1".into());
    }
    if photo.place != Some(PhotoPlace::Inline) {
        for (key, given) in [
            ("column", photo.column.is_some()),
            ("line", photo.line.is_some()),
        ] {
            if given {
                fail(
                    "data-value",
                    at.key(key),
                    format!(
                        "`{key}` places a photo inside the text: it needs `place = \"inline\"`"
                    ),
                );
            }
        }
    }
}
