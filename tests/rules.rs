//! Every rule, typographic and of the page, holds on the example page,
//! with its placement hints and without them: `banmian rules` counts zero
//! breaches of each. Generated reports are in the `corpus` module.

use std::path::Path;

use banmian::inspect::inspect;
use banmian::layouts::Layout;
use banmian::pipeline::{compile, prepare};
use banmian::rules::{RuleCount, check};

/// Lays out a report and counts the breaches of every rule.
fn breaches(data: &Path) -> Vec<RuleCount> {
    let headlines = |found: Vec<banmian::findings::Finding>| {
        found.iter().map(|f| f.headline()).collect::<Vec<_>>()
    };
    let prepared = prepare(data, &[]).unwrap_or_else(|e| panic!("{:#?}", headlines(e)));
    let (document, warnings) =
        compile(&prepared, Layout::Newspaper).unwrap_or_else(|e| panic!("{:#?}", headlines(e)));
    assert!(warnings.is_empty(), "{:#?}", headlines(warnings));
    check(&prepared, &document, &inspect(&document))
}

fn assert_clean(counts: &[RuleCount]) {
    let broken: Vec<_> = counts.iter().filter(|c| c.count > 0).collect();
    assert!(broken.is_empty(), "{}", banmian::rules::table(counts));
    assert!(counts.len() >= 24);
}

#[test]
fn the_example_page_breaks_no_rule() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/zhongzhan-2020.toml");
    assert_clean(&breaches(&data));
}

#[test]
fn the_example_page_has_rectangular_and_round_runaround() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/zhongzhan-2020.toml");
    let prepared = prepare(&data, &[]).unwrap_or_else(|_| panic!("valid"));
    let inlines: Vec<_> = prepared
        .data
        .text_areas()
        .flat_map(|(_, _, a)| a.inlines.iter())
        .collect();
    assert!(inlines.iter().any(|p| p.circle), "no round runaround");
    assert!(
        inlines.iter().any(|p| !p.circle),
        "no rectangular runaround"
    );
    // Text runs beside the circle: some lines of that story are narrower
    // than a column and neither at its top nor its bottom.
    let (_, _, area) = prepared
        .data
        .text_areas()
        .find(|(_, _, a)| a.inlines.iter().any(|p| p.circle))
        .unwrap();
    let beside = area
        .lines
        .iter()
        .filter(|l| l.width < 13.0 && l.width >= 4.0)
        .count();
    assert!(beside >= 4, "only {beside} lines run beside the circle");
}

/// The example's text with every placement hint taken out: no side
/// column, no photo spans, nothing inside the text by hand.
fn without_hints(text: &str) -> String {
    text.lines()
        .filter(|l| {
            ![
                "place =",
                "columns =",
                "column =",
                "line =",
                "shape =",
                "main =",
            ]
            .iter()
            .any(|k| l.starts_with(k))
                && *l != "[newspaper]"
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_example_without_its_hints_composes_a_page_that_breaks_no_rule() {
    let dir = tempfile::tempdir().unwrap();
    let text = without_hints(&crate::support::example_in(dir.path()));
    assert!(!text.contains("place =") && !text.contains("main ="));
    let data = dir.path().join("free.toml");
    std::fs::write(&data, text).unwrap();
    assert_clean(&breaches(&data));
}
