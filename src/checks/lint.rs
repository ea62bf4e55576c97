//! Text lint for Chinese copy: only what is mechanical and certain
//! (GB/T 15834 punctuation, GB/T 15835 numbers), no grammar. Each finding
//! points at the character in the data file.

use crate::cjk::is_han;
use crate::findings::{FieldPath, Finding};
use crate::report::{self, LoadedReport, SourceMap};

/// The full-width marks to use instead of ASCII ones in Chinese text.
fn full_width(c: char) -> Option<char> {
    Some(match c {
        ',' => '，',
        '.' => '。',
        ';' => '；',
        ':' => '：',
        '?' => '？',
        '!' => '！',
        '(' => '（',
        ')' => '）',
        '"' => '“',
        _ => return None,
    })
}

/// Paired marks that must balance within one field.
const PAIRS: &[(char, char)] = &[
    ('《', '》'),
    ('（', '）'),
    ('“', '”'),
    ('‘', '’'),
    ('「', '」'),
    ('『', '』'),
    ('【', '】'),
];

/// Lints every piece of text in the report and its photos' captions and
/// credits.
pub fn lint(loaded: &LoadedReport) -> Vec<Finding> {
    let mut found = Vec::new();
    for (path, text) in report::texts(&loaded.report) {
        lint_text(&loaded.source, &path, text, &mut found);
    }
    for (index, photo) in loaded.report.photos.iter().enumerate() {
        let at = FieldPath::root().key("photos").index(index);
        if photo.caption.trim().is_empty() {
            found.push(
                Finding::warning(
                    "photo-caption-missing",
                    format!("photo {} has no caption", photo.file),
                )
                .at(loaded.source.locate(&at))
                .hint("every photo printed carries a caption (图片说明)"),
            );
        }
        if photo.credit.is_none() && loaded.report.byline.photos.is_none() {
            found.push(
                Finding::warning(
                    "photo-credit-missing",
                    format!(
                        "photo {} has no credit, and the byline names no photographer",
                        photo.file
                    ),
                )
                .at(loaded.source.locate(&at))
                .hint("add `credit = \"本报记者　某某　摄\"`, or `photos` to the byline"),
            );
        }
    }
    found
}

/// Lints texts read from a report whose data has errors (see
/// [`report::Partial`]).
pub fn lint_texts(source: &SourceMap, texts: &[(FieldPath, String)]) -> Vec<Finding> {
    let mut found = Vec::new();
    for (path, text) in texts {
        lint_text(source, path, text, &mut found);
    }
    found
}

fn lint_text(source: &SourceMap, path: &FieldPath, text: &str, found: &mut Vec<Finding>) {
    let chars: Vec<char> = text.chars().collect();
    let at = |index: usize| source.locate_nth(path, text, index);
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 1).copied();
        let han_before = before.is_some_and(is_han);
        let han_after = after.is_some_and(is_han);
        if let Some(wide) = full_width(c) {
            let number_point = matches!(c, '.' | ':' | ',')
                && before.is_some_and(|b| b.is_ascii_digit())
                && after.is_some_and(|a| a.is_ascii_digit());
            let beside_han = match c {
                '(' => han_after,
                ')' => han_before,
                '"' => han_before || han_after,
                _ => han_before,
            };
            if beside_han && !number_point {
                found.push(
                    Finding::warning(
                        "lint-ascii-punctuation",
                        format!("ASCII `{c}` in Chinese text; use `{wide}`"),
                    )
                    .at(at(i)),
                );
            }
        }
        if ('０'..='９').contains(&c) || ('Ａ'..='Ｚ').contains(&c) || ('ａ'..='ｚ').contains(&c)
        {
            let half = char::from_u32(c as u32 - 0xFEE0).unwrap_or(c);
            found.push(
                Finding::warning("lint-fullwidth-alphanumeric", format!("full-width `{c}`; numbers and Latin letters are half-width (`{half}`, GB/T 15835)"))
                    .at(at(i)),
            );
        }
        if c == ' ' && han_before {
            // A run of spaces between two Han characters.
            let next = chars[i..]
                .iter()
                .position(|&d| d != ' ')
                .map(|n| chars[i + n]);
            if next.is_some_and(is_han) {
                found.push(
                    Finding::warning(
                        "lint-space-between-han",
                        "a space between two Han characters (it prints as a gap)",
                    )
                    .at(at(i)),
                );
            }
        }
    }
    for &(open, close) in PAIRS {
        let mut depth: Vec<usize> = Vec::new();
        for (i, &c) in chars.iter().enumerate() {
            if c == open && open != close {
                depth.push(i);
            } else if c == close && depth.pop().is_none() {
                found.push(
                    Finding::warning(
                        "lint-unbalanced",
                        format!("`{close}` closes nothing; `{open}` is missing before it"),
                    )
                    .at(at(i)),
                );
            }
        }
        for i in depth {
            found.push(
                Finding::warning(
                    "lint-unbalanced",
                    format!("`{open}` is never closed; `{close}` is missing"),
                )
                .at(at(i)),
            );
        }
    }
}
