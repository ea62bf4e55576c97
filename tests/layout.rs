//! Layout properties of the example page, checked on the laid-out document
//! through the inspector (TYPOGRAPHY.md §1).

use std::path::Path;
use std::sync::OnceLock;

use banmian::inspect::{Inspection, inspect};
use banmian::layouts::Layout;
use banmian::pipeline::{Prepared, compile, prepare};

const MM: f64 = 72.0 / 25.4;
/// The page: 390 × 545 mm.
const PAGE: (f64, f64) = (390.0 * MM, 545.0 * MM);
/// The type area: 8 columns of 13 × 9 pt with 9 pt gutters, centred; from
/// 22 mm below the top, 106 lines of 13.5 pt (newspaper.typ's grid).
const AREA_WIDTH: f64 = 8.0 * 117.0 + 7.0 * 9.0;
const AREA_TOP: f64 = 22.0 * MM;
const AREA_HEIGHT: f64 = 106.0 * 13.5;
const PITCH: f64 = 13.5;
const BODY_SIZE: f64 = 9.0;

fn example() -> &'static (Prepared, Inspection) {
    static EXAMPLE: OnceLock<(Prepared, Inspection)> = OnceLock::new();
    EXAMPLE.get_or_init(|| {
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/zhongzhan-2020.toml");
        let prepared = prepare(&data, &[]).unwrap_or_else(|e| {
            panic!("{:#?}", e.iter().map(|f| f.headline()).collect::<Vec<_>>())
        });
        let (document, warnings) = compile(&prepared, Layout::Newspaper).unwrap_or_else(|e| {
            panic!("{:#?}", e.iter().map(|f| f.headline()).collect::<Vec<_>>())
        });
        assert!(
            warnings.is_empty(),
            "{:#?}",
            warnings.iter().map(|f| f.headline()).collect::<Vec<_>>()
        );
        let inspection = inspect(&document);
        (prepared, inspection)
    })
}

/// The text of the page in layout order, without whitespace or joiners.
fn flat_text(inspection: &Inspection) -> String {
    inspection
        .lines
        .iter()
        .flat_map(|l| l.text().chars().collect::<Vec<_>>())
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn squeeze(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{2060}')
        .collect()
}

#[test]
fn one_page_of_broadsheet_size() {
    let (_, inspection) = example();
    assert_eq!(inspection.pages.len(), 1);
    let (w, h) = inspection.pages[0];
    assert!(
        (w - PAGE.0).abs() < 0.5 && (h - PAGE.1).abs() < 0.5,
        "page is {w} × {h} pt"
    );
}

/// The template lays out the second half of the modules on a page of its
/// own, which banmian puts back onto the first (pipeline/compile.rs): one
/// page, drawn as one run would draw it. The stories follow each other in
/// the composer's order, and the print marks, the page's foreground, come
/// last, over everything.
#[test]
fn the_page_laid_out_in_two_runs_is_drawn_as_one() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/zhongzhan-2020.toml");
    let mut prepared = prepare(&data, &[]).unwrap_or_else(|_| panic!("a valid report"));
    prepared.pdf.marks = true;
    let (document, _) =
        compile(&prepared, Layout::Newspaper).unwrap_or_else(|_| panic!("lays out"));
    assert_eq!(document.pages().len(), 1);
    let inspection = inspect(&document);
    let slug = inspection.lines.last().expect("lines").text();
    assert!(
        slug.contains("newspaper · 2020-12-28"),
        "last drawn: {slug}"
    );
    // Each story's headline, in the order the composer placed the modules:
    // the last ones were laid out on the second page.
    let text = flat_text(&inspection);
    let report = &prepared.loaded.report;
    let order = prepared.data.text_areas().map(|(section, ..)| section);
    let mut at = 0;
    let mut stories = 0;
    for section in order {
        let headline = squeeze(&report.sections[section].headline.lines().concat());
        let found = text[at..]
            .find(&headline)
            .unwrap_or_else(|| panic!("headline out of order: {headline}"));
        at += found + headline.len();
        stories += 1;
    }
    assert_eq!(stories, report.sections.len());
}

#[test]
fn every_paragraph_headline_and_caption_appears_in_order() {
    let (prepared, inspection) = example();
    let text = flat_text(inspection);
    let report = &prepared.loaded.report;
    for section in &report.sections {
        let headline = squeeze(&section.headline.lines().concat());
        let found = text
            .find(&headline)
            .unwrap_or_else(|| panic!("headline {headline} missing"));
        let mut at = found + headline.len();
        for paragraph in &section.paragraphs {
            let paragraph = squeeze(paragraph);
            let found = text[at..]
                .find(&paragraph)
                .unwrap_or_else(|| panic!("paragraph missing or out of order: {paragraph}"));
            at += found + paragraph.len();
        }
    }
    for photo in &report.photos {
        assert!(
            text.contains(&squeeze(&photo.caption)),
            "caption missing: {}",
            photo.caption
        );
        if let Some(credit) = &photo.credit {
            assert!(text.contains(&squeeze(credit)), "credit missing: {credit}");
        }
    }
    for paragraph in &report.lede {
        assert!(text.contains(&squeeze(paragraph)), "lede missing");
    }
    assert!(
        text.contains(&squeeze(&format!("文/{}", report.byline.text))),
        "byline missing"
    );
}

/// Every sentence of the seed (the text extracted from the printed page) is
/// on the page, once the extraction's artefacts are undone: its line breaks
/// and stray spaces, half-width commas between Han, the full-width 8, and
/// the caption it printed twice.
#[test]
fn every_sentence_of_the_seed_is_on_the_page() {
    let (prepared, inspection) = example();
    let text = flat_text(inspection);
    let seed = include_str!("fixtures/seed-zhongzhan-2020.txt");
    let seed: String = squeeze(seed)
        .replace(',', "，")
        .replace('８', "8")
        .replace("2021-2023", "2021—2023")
        .replace("1~11", "1～11")
        .replace(
            "乡村振兴初见成效的许河村乡村振兴初见成效的许河村。。",
            "乡村振兴初见成效的许河村。",
        )
        .replace("本报记者宋崇飞摄", "")
        .replace("本报记者刘金元摄", "")
        .replace("文/本报记者杨丽娜图/除署名外均由许来伟、杨帆、牛建锋摄", "");
    // Headlines carry no full stop: cut the seed at each headline line.
    let mut seed = seed;
    for section in &prepared.loaded.report.sections {
        for line in section.headline.lines() {
            assert!(
                text.contains(&squeeze(line)),
                "headline line missing: {line}"
            );
            seed = seed.replace(&squeeze(line), "\n");
        }
    }
    let mut missing = Vec::new();
    for sentence in seed.split_inclusive(['。', '；', '：']) {
        // Headlines have no full stop: the pieces between them are checked
        // with the paragraphs around them, at headline boundaries.
        for piece in sentence.split('\n') {
            if !piece.is_empty() && !text.contains(piece) {
                missing.push(piece.to_string());
            }
        }
    }
    assert!(
        missing.is_empty(),
        "seed sentences missing from the page: {missing:#?}"
    );
}

#[test]
fn no_text_outside_the_type_area() {
    let (_, inspection) = example();
    let left = (PAGE.0 - AREA_WIDTH) / 2.0;
    let right = left + AREA_WIDTH;
    for line in &inspection.lines {
        let (l, r, y) = (line.left(), line.right(), line.baseline());
        assert!(
            l >= left - 0.5 && r <= right + 0.5,
            "line outside the measure ({l:.1}–{r:.1}): {}",
            line.text()
        );
        assert!(
            (AREA_TOP..=AREA_TOP + AREA_HEIGHT + 0.5).contains(&y),
            "line outside the type area (y {y:.1}): {}",
            line.text()
        );
    }
}

#[test]
fn no_line_starts_with_closing_or_ends_with_opening_punctuation() {
    let (_, inspection) = example();
    const NO_START: &str = "、，。．：；？！）］｝》〉」』】〗〕”’·—～…";
    const NO_END: &str = "“‘（［｛《〈「『【〖〔";
    for line in &inspection.lines {
        let text = line.text();
        let text = text.trim();
        if let Some(first) = text.chars().next() {
            assert!(
                !NO_START.contains(first),
                "line starts with {first}: {text}"
            );
        }
        if let Some(last) = text.chars().last() {
            assert!(!NO_END.contains(last), "line ends with {last}: {text}");
        }
    }
}

#[test]
fn body_lines_sit_on_one_baseline_grid() {
    let (_, inspection) = example();
    let body: Vec<_> = inspection
        .lines
        .iter()
        .filter(|l| {
            (l.size() - BODY_SIZE).abs() < 0.01
                && l.runs.iter().all(|r| r.family == "Noto Serif CJK SC")
        })
        .collect();
    assert!(body.len() > 150, "only {} body lines", body.len());
    let phase = |y: f64| (y - AREA_TOP).rem_euclid(PITCH);
    let first = phase(body[0].baseline());
    for line in &body {
        let off = (phase(line.baseline()) - first).abs();
        assert!(
            off < 0.1 || (PITCH - off) < 0.1,
            "off the grid by {off:.2} pt: {}",
            line.text()
        );
    }
}

#[test]
fn every_paragraph_opens_with_a_two_character_indent() {
    let (prepared, inspection) = example();
    // Lines that start 2 characters (18 pt) right of a column's left edge.
    let column_lefts: Vec<f64> = (0..8)
        .map(|i| (PAGE.0 - AREA_WIDTH) / 2.0 + i as f64 * 126.0)
        .collect();
    let indented = inspection
        .lines
        .iter()
        .filter(|l| {
            (l.size() - BODY_SIZE).abs() < 0.01
                && l.runs.iter().all(|r| r.family == "Noto Serif CJK SC")
        })
        .filter(|l| {
            column_lefts
                .iter()
                .any(|c| (l.left() - (c + 2.0 * BODY_SIZE)).abs() < 0.3)
        })
        .count();
    let paragraphs: usize = prepared
        .loaded
        .report
        .sections
        .iter()
        .map(|s| s.paragraphs.len())
        .sum();
    assert_eq!(indented, paragraphs);
}

#[test]
fn faces_follow_their_roles() {
    let (prepared, inspection) = example();
    let report = &prepared.loaded.report;
    let line_with = |needle: &str| {
        inspection
            .lines
            .iter()
            .find(|l| squeeze(&l.text()).contains(needle))
            .unwrap_or_else(|| panic!("no line with {needle}"))
    };
    let caption = squeeze(&report.photos[0].caption);
    assert_eq!(line_with(&caption[..12]).family(), "Banmian Kai");
    assert_eq!(line_with("文/本报记者").family(), "Banmian Kai");
    let headline = line_with(&squeeze(report.sections[1].headline.lines()[0]));
    assert_eq!(headline.family(), "Noto Serif CJK SC");
    assert!(headline.runs[0].weight >= 700);
    assert!(headline.size() >= 16.0);
}
