//! Glyphs: characters no font has (errors, before layout), and characters
//! the face a text asks for lacks, which another face will set (warnings).

use crate::findings::{FieldPath, Finding};
use crate::fonts::{self, Fonts};
use crate::report::{self, LoadedReport, SourceMap};

/// One error per character no font has (at its first use), naming it, its
/// code point and where it is.
pub fn missing(loaded: &LoadedReport, fonts: &Fonts) -> Vec<Finding> {
    let texts: Vec<(FieldPath, String)> = report::texts(&loaded.report)
        .into_iter()
        .map(|(path, text)| (path, text.to_string()))
        .collect();
    missing_in(&loaded.source, &texts, fonts)
}

/// [`missing`] for texts read from a report whose data has errors (see
/// [`report::Partial`]).
pub fn missing_in(
    source: &SourceMap,
    texts: &[(FieldPath, String)],
    fonts: &Fonts,
) -> Vec<Finding> {
    let mut seen = std::collections::HashSet::new();
    let mut errors = Vec::new();
    for (path, text) in texts {
        for c in text.chars() {
            if fonts::needs_glyph(c) && !fonts.covers(c) && seen.insert(c) {
                errors.push(
                    Finding::error(
                        "glyph-missing",
                        format!(
                            "no bundled or given font has the character {c} (U+{:04X})",
                            c as u32
                        ),
                    )
                    .at(source.locate_char(path, c))
                    .hint("replace the character, or add a font that has it with --font-path DIR"),
                );
            }
        }
    }
    errors
}

/// The face each kind of text asks for: (family, weight).
fn face_for(path: &FieldPath) -> (&'static str, u16) {
    use crate::findings::Segment::Key;
    let keys: Vec<&str> = path
        .segments()
        .iter()
        .filter_map(|s| {
            if let Key(k) = s {
                Some(k.as_str())
            } else {
                None
            }
        })
        .collect();
    match keys.as_slice() {
        ["title"] => (fonts::SERIF, 900),
        ["sections", "headline"] => (fonts::SERIF, 700),
        ["sections", "paragraphs"] => (fonts::SERIF, 400),
        ["figures", "items", "value"] => (fonts::SERIF, 900),
        ["lede"] | ["byline", ..] | ["photos", ..] | ["figures", "items", "label"] => {
            (fonts::KAI, 400)
        }
        _ => (fonts::SANS, 700),
    }
}

/// Characters the face a text asks for lacks, which another face will set.
pub fn fallbacks(loaded: &LoadedReport, fonts: &Fonts) -> Vec<Finding> {
    let book = fonts.book();
    let mut seen = std::collections::HashSet::new();
    let mut found = Vec::new();
    for (path, text) in report::texts(&loaded.report) {
        let (family, weight) = face_for(&path);
        let Some(face) = book.select(&family.to_lowercase(), variant(weight)) else {
            continue;
        };
        for (i, c) in text.chars().enumerate() {
            if !crate::fonts::needs_glyph(c) || fonts.face_covers(face, c) || "“”‘’".contains(c)
            {
                continue;
            }
            if fonts.covers(c) && seen.insert((c, family)) {
                found.push(
                    Finding::warning(
                        "glyph-fallback",
                        format!("{family} has no {c} (U+{:04X}); it will be set in another face and may not match", c as u32),
                    )
                    .at(loaded.source.locate_nth(&path, text, i))
                    .hint("check the character, or give a font for it with --font-path"),
                );
            }
        }
    }
    found
}

fn variant(weight: u16) -> typst::text::FontVariant {
    typst::text::FontVariant::new(
        typst::text::FontStyle::Normal,
        typst::text::FontWeight::from_number(weight),
        typst::text::FontStretch::NORMAL,
    )
}
