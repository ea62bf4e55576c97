//! Chinese text, classified once and as Typst classifies it (through the
//! `unicode-script` crate Typst's own layout uses): which characters are
//! Han, which are CJK punctuation, which take ¼ em beside Han, and which
//! may not start or end a line. The composer, the page rules, the lint and
//! the template data all ask here.

use unicode_script::{Script, UnicodeScript};

/// Characters that may not start a line (GB/T 15834 and clreq §3.1.7):
/// closing marks, pause and stop marks, and what reads as part of the
/// number before it (%, ℃, ‰, +). The dash and the ellipsis go with what
/// precedes them too.
pub const NO_START: &str = "、，。．：；？！）］｝》〉」』】〗〕”’·—～…‰%℃+";

/// Characters that may not end a line: opening marks.
pub const NO_END: &str = "“‘（［｛《〈「『【〖〔";

/// Marks set in the left half of their em (clreq's left-aligned
/// punctuation, GB style): at a line's end their right half is dropped.
pub const LEFT_ALIGNED: &str = "，。．、：；？！”’";

/// Whether `c` is in `set` (one of the lists above): no list holds a Han
/// character, and most characters of a Chinese text are Han, so they are
/// answered without a search (the line breaker asks for every character
/// of every line it tries).
fn member(set: &str, c: char) -> bool {
    !('\u{3400}'..='\u{9FFF}').contains(&c) && set.chars().any(|s| s == c)
}

/// Whether `c` may not start a line ([`NO_START`]).
pub fn no_start(c: char) -> bool {
    member(NO_START, c)
}

/// Whether `c` may not end a line ([`NO_END`]).
pub fn no_end(c: char) -> bool {
    member(NO_END, c)
}

/// Whether `c` is set in the left half of its em ([`LEFT_ALIGNED`]).
pub fn left_aligned(c: char) -> bool {
    member(LEFT_ALIGNED, c)
}

/// The word joiner banmian puts where a line must not break.
pub const WORD_JOINER: char = '\u{2060}';

/// Chinese or Japanese script, as Typst's `is_of_cj_script`: Han (々 and 〇
/// included), kana, and the prolonged sound mark.
pub fn is_cj(c: char) -> bool {
    match c as u32 {
        // The common cases first: the script table is a search.
        0x4E00..=0x9FFF => true,
        0..=0x2E7F | 0xFF00..=0xFF65 => false,
        0x3000..=0x303F => is_han(c),
        _ => {
            matches!(
                c.script(),
                Script::Han | Script::Hiragana | Script::Katakana
            ) || c == '\u{30FC}'
        }
    }
}

/// A Han character (CJK ideographs, their extensions, 々 and 〇).
pub fn is_han(c: char) -> bool {
    match c as u32 {
        0x4E00..=0x9FFF => true,
        0..=0x2E7F | 0xFF00..=0xFFEF => false,
        // 々, 〇, the Hangzhou numerals and a few more of this block.
        0x3000..=0x303F => matches!(c as u32, 0x3005 | 0x3007 | 0x3021..=0x3029 | 0x3038..=0x303B),
        _ => c.script() == Script::Han,
    }
}

/// A Western letter or number, as Typst's `is_letter_or_number`: these
/// take ¼ em of space beside Han.
pub fn is_latin(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_alphanumeric() || matches!(c, '#' | '$' | '%' | '&'),
        // General punctuation, CJK marks, kana and Han: none is a letter.
        0x2000..=0x206F | 0x3000..=0x9FFF => false,
        // Full-width Latin letters are Latin.
        0xFF00..=0xFFEF => matches!(c as u32, 0xFF21..=0xFF3A | 0xFF41..=0xFF5A),
        _ => matches!(c.script(), Script::Latin | Script::Greek | Script::Cyrillic),
    }
}

/// CJK punctuation: the marks of the CJK Symbols and Punctuation block
/// (not 々 and 〇, which are Han), the full-width forms that are not
/// letters or digits, the vertical forms, and the marks Chinese shares with
/// Western text (“”‘’—…·).
pub fn is_punct(c: char) -> bool {
    let code = c as u32;
    ((0x3000..=0x303F).contains(&code) && !is_han(c))
        || (0xFF00..=0xFFEF).contains(&code) && !fullwidth_alphanumeric(code)
        || (0xFE30..=0xFE4F).contains(&code)
        || matches!(c, '“' | '”' | '‘' | '’' | '—' | '…' | '·')
}

/// The letters and digits of the Halfwidth and Fullwidth Forms block, as
/// `char::is_alphanumeric` has them, without its table search (the line
/// breaker asks for every full-width mark it meets).
fn fullwidth_alphanumeric(code: u32) -> bool {
    matches!(
        code,
        0xFF10..=0xFF19
            | 0xFF21..=0xFF3A
            | 0xFF41..=0xFF5A
            | 0xFF66..=0xFFBE
            | 0xFFC2..=0xFFC7
            | 0xFFCA..=0xFFCF
            | 0xFFD2..=0xFFD7
            | 0xFFDA..=0xFFDC
    )
}

/// Han, kana or CJK punctuation: the characters between which a line
/// joins without a space.
pub fn is_cjk(c: char) -> bool {
    is_cj(c) || is_punct(c)
}

/// A character that prints as nothing or reorders what follows: C0 and C1
/// controls (a line break excepted), DEL, the bidirectional controls and
/// the Unicode line and paragraph separators. Report text never needs them.
pub fn is_control(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// `text` safe to print on a terminal: each control character as
/// `\u{…}`.
pub fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_control(c) || c == '\n' {
            out.push_str(&format!("\\u{{{:X}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// `text` with each control character replaced by a visible one of the
/// same UTF-8 length (`?`, `¿` or `�`), so that spans into it stay
/// right.
pub fn visible(text: &str) -> String {
    text.chars()
        .map(|c| {
            if is_control(c) && c != '\t' {
                match c.len_utf8() {
                    1 => '?',
                    2 => '¿',
                    _ => '\u{FFFD}',
                }
            } else {
                c
            }
        })
        .map(|c| c.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_letters_and_digits_are_what_the_standard_library_says() {
        for code in 0xFF00..=0xFFEF {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            assert_eq!(
                fullwidth_alphanumeric(code),
                c.is_alphanumeric(),
                "U+{code:04X}"
            );
        }
    }

    #[test]
    fn the_iteration_mark_and_the_ideographic_zero_are_han_as_typst_counts_them() {
        for c in ['々', '〇', '中', '𠀀'] {
            assert!(is_han(c) && is_cj(c), "{c}");
            assert!(!is_punct(c), "{c}");
        }
    }

    #[test]
    fn marks_letters_and_digits_are_told_apart() {
        for c in ['，', '。', '“', '》', '—', '…', '·', '％', '（'] {
            assert!(is_punct(c) && !is_han(c), "{c}");
        }
        for c in ['A', 'z', '7', 'é', '%'] {
            assert!(is_latin(c) && !is_cjk(c), "{c}");
        }
        // Full-width letters and digits are letters, not punctuation.
        for c in ['Ａ', '１'] {
            assert!(!is_punct(c), "{c}");
        }
    }

    #[test]
    fn the_quick_paths_agree_with_the_script_table() {
        for c in (0..0x3_0000).filter_map(char::from_u32) {
            let script = c.script();
            assert_eq!(is_han(c), script == Script::Han, "{c:?}");
            assert_eq!(
                is_cj(c),
                matches!(script, Script::Han | Script::Hiragana | Script::Katakana)
                    || c == '\u{30FC}',
                "{c:?}"
            );
            assert_eq!(
                is_latin(c),
                matches!(script, Script::Latin | Script::Greek | Script::Cyrillic)
                    || matches!(c, '#' | '$' | '%' | '&')
                    || c.is_ascii_digit(),
                "{c:?}"
            );
        }
    }

    #[test]
    fn controls_are_shown_not_obeyed() {
        for c in [
            '\u{0}', '\u{1B}', '\u{7F}', '\u{8}', '\u{B}', '\u{85}', '\u{202E}', '\u{2028}',
        ] {
            assert!(is_control(c), "{c:?}");
            let text = format!("甲{c}乙");
            assert!(!escaped(&text).contains(c));
            assert_eq!(visible(&text).len(), text.len());
            assert!(!visible(&text).contains(c));
        }
        assert!(!is_control('\n') && !is_control('中'));
    }

    #[test]
    fn no_mark_both_may_not_start_and_may_not_end_a_line() {
        assert!(NO_START.chars().all(|c| !NO_END.contains(c)));
        assert!(LEFT_ALIGNED.chars().all(|c| NO_START.contains(c)));
    }
}
