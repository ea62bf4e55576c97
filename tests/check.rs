//! `banmian check`: one fixture per finding — the example report with one
//! problem put in — asserting code, severity, line:column and field path;
//! a report with many problems; the JSON output against its schema.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::support::{BIN, Workspace, small_report, stderr};

/// The example report and its photos in a fresh folder, with `edit`
/// applied to the report's text.
struct Fixture {
    dir: tempfile::TempDir,
    text: String,
}

impl Fixture {
    fn new(edit: impl FnOnce(String) -> String) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let original = crate::support::example_in(dir.path());
        let text = edit(original.clone());
        assert_ne!(text, original, "the edit changed nothing");
        std::fs::write(dir.path().join("report.toml"), &text).unwrap();
        Self { dir, text }
    }

    /// Runs `check --format json`; returns the exit code and the document.
    fn check(&self, extra: &[&str]) -> (i32, Value) {
        let output = Command::new(BIN)
            .args(["check", "report.toml", "--format", "json"])
            .args(extra)
            .current_dir(self.dir.path())
            .output()
            .unwrap();
        let json: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {}",
                String::from_utf8_lossy(&output.stdout)
            )
        });
        (output.status.code().unwrap(), json)
    }

    /// 1-based line and column (in characters) of the first `needle`.
    fn position_of(&self, needle: &str) -> (u64, u64) {
        let offset = self
            .text
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} not in the report"));
        let before = &self.text[..offset];
        let line = before.matches('\n').count() as u64 + 1;
        let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
            .chars()
            .count() as u64
            + 1;
        (line, column)
    }
}

fn findings(json: &Value) -> &Vec<Value> {
    json["findings"].as_array().unwrap()
}

/// The one finding with `code`, asserting there is exactly one.
fn only<'a>(json: &'a Value, code: &str) -> &'a Value {
    let with: Vec<&Value> = findings(json)
        .iter()
        .filter(|f| f["code"] == code)
        .collect();
    assert_eq!(with.len(), 1, "want one {code} in {json:#}");
    with[0]
}

/// Asserts a finding's severity, position and path.
fn assert_finding(finding: &Value, severity: &str, at: (u64, u64), path: &str) {
    assert_eq!(finding["severity"], severity, "{finding:#}");
    assert_eq!(
        (
            finding["line"].as_u64().unwrap(),
            finding["column"].as_u64().unwrap()
        ),
        at,
        "{finding:#}"
    );
    assert_eq!(finding["path"], path, "{finding:#}");
}

/// Everything but notes.
fn problems(json: &Value) -> Vec<&Value> {
    findings(json)
        .iter()
        .filter(|f| f["severity"] != "note")
        .collect()
}

#[test]
fn the_example_report_is_clean() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/zhongzhan-2020.toml");
    let output = Command::new(BIN)
        .args([
            "check",
            data.to_str().unwrap(),
            "--format",
            "json",
            "--strict",
        ])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(0), "{json:#}");
    assert!(problems(&json).is_empty(), "{json:#}");
    assert_eq!(json["summary"]["errors"], 0);
    assert_eq!(json["summary"]["warnings"], 0);
}

#[test]
fn the_json_output_follows_its_schema() {
    let schema: Value = serde_json::from_str(include_str!("../schemas/findings.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    // A clean report, and one with errors and warnings of every kind of
    // location (data only, data and page).
    let clean = Fixture::new(|t| t.replace("label = \"特别报道\"", "label = \"特别报道 \""));
    let messy = Fixture::new(|t| {
        t.replace("page = 5", "page = \"5\"")
            .replace("label = \"特别报道\"", "lable = \"特别报道\"")
    });
    let overflow = Fixture::new(|t| {
        t.replacen(
            "paragraphs = [\n",
            &format!(
                "paragraphs = [\n  \"{}\",\n",
                "扩大开放招商，引进项目。".repeat(300)
            ),
            1,
        )
    });
    // A low-resolution photo: a finding located on the page too.
    let low = Fixture::new(|t| t.replace("label = \"特别报道\"", "label = \"特别报道 \""));
    shrink_photo(&low, "photos/01-wangxiaoping.jpg", 600, 400);
    for fixture in [&clean, &messy, &overflow, &low] {
        let (_, json) = fixture.check(&[]);
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}\n{json:#}");
    }
    assert!(
        findings(&low.check(&[]).1)
            .iter()
            .any(|f| f["page"]["layout"] == "newspaper" && f["page"]["column"].is_u64())
    );
    // A composed page carries its plan; one that is not, none.
    assert!(clean.check(&[]).1["plan"]["map"].is_array());
    assert!(overflow.check(&[]).1.get("plan").is_none());
}

#[test]
fn a_syntax_error() {
    let f = Fixture::new(|t| t.replace("label = \"特别报道\"", "label = \"特别报道"));
    let (code, json) = f.check(&[]);
    assert_eq!(code, 1);
    let finding = only(&json, "data-syntax");
    assert_eq!(finding["severity"], "error");
    assert_eq!(finding["line"].as_u64(), Some(f.position_of("label = ").0));
}

#[test]
fn every_data_error_at_once() {
    let f = Fixture::new(|t| {
        t.replace("page = 5", "page = \"五\"")
            .replacen("paragraphs = [", "paragrahps = [", 1)
            .replace("text = \"本报记者杨丽娜\"\n", "")
    });
    let (code, json) = f.check(&[]);
    assert_eq!(code, 1);
    let (line, column) = f.position_of("\"五\"");
    assert_finding(
        only(&json, "data-type"),
        "error",
        (line, column),
        "/publication/page",
    );
    let unknown = only(&json, "data-unknown-field");
    assert_eq!(unknown["path"], "/sections/0/paragrahps");
    assert!(
        unknown["hints"][0]
            .as_str()
            .unwrap()
            .contains("`paragraphs`")
    );
    let missing: Vec<&Value> = findings(&json)
        .iter()
        .filter(|f| f["code"] == "data-missing-field")
        .collect();
    assert!(
        missing
            .iter()
            .any(|m| m["path"] == "/byline" && m["message"].as_str().unwrap().contains("`text`"))
    );
    assert!(
        missing.iter().any(|m| m["path"] == "/sections/0"
            && m["message"].as_str().unwrap().contains("`paragraphs`"))
    );
}

#[test]
fn wrong_types_are_said_in_the_editors_words() {
    // A TOML float where a whole number belongs, and a bare TOML date
    // where text belongs: no `null`, no internal names.
    let f = Fixture::new(|t| {
        t.replace("page = 5", "page = nan")
            .replace("date = \"2020-12-28\"", "date = 2020-12-28")
    });
    let (code, json) = f.check(&[]);
    assert_eq!(code, 1);
    let messages: Vec<&str> = findings(&json)
        .iter()
        .filter(|f| f["code"] == "data-type")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        [
            "`date` must be text in quotes, not `2020-12-28`",
            "`page` must be a whole number, not `nan`"
        ]
    );
    let date = findings(&json)
        .iter()
        .find(|f| f["path"] == "/publication/date")
        .unwrap();
    assert_eq!(date["hints"][0], "write it in quotes: \"2020-12-28\"");
}

#[test]
fn a_character_no_font_has() {
    let f = Fixture::new(|t| t.replacen("新冠肺炎疫情", "新冠肺炎\u{2EBF0}疫情", 1));
    let (code, json) = f.check(&[]);
    assert_eq!(code, 1);
    assert_finding(
        only(&json, "glyph-missing"),
        "error",
        f.position_of("\u{2EBF0}"),
        "/sections/0/paragraphs/0",
    );
}

#[test]
fn a_character_the_requested_face_lacks() {
    // A mark the Song faces have and the Kai face does not, in a caption.
    let fonts = banmian::fonts::Fonts::load(&[]);
    let kai = fonts
        .faces()
        .find(|(info, _)| info.family == "Banmian Kai")
        .unwrap()
        .0
        .coverage
        .clone();
    let song = fonts
        .faces()
        .find(|(info, _)| info.family == "Noto Serif CJK SC")
        .unwrap()
        .0
        .coverage
        .clone();
    let c = (0x2000u32..0x3100)
        .filter_map(char::from_u32)
        .find(|&c| song.contains(c as u32) && !kai.contains(c as u32) && !"“”‘’".contains(c))
        .expect("a character only the Song face has");
    let f = Fixture::new(|t| t.replacen("忙碌的风神轮胎", &format!("忙碌的{c}风神轮胎"), 1));
    let (_, json) = f.check(&[]);
    let finding = only(&json, "glyph-fallback");
    assert_eq!(finding["severity"], "warning");
    assert_eq!(finding["path"].as_str().unwrap(), "/photos/2/caption");
    assert_eq!(
        (
            finding["line"].as_u64().unwrap(),
            finding["column"].as_u64().unwrap()
        ),
        f.position_of(&c.to_string())
    );
}

#[test]
fn a_story_that_overflows_the_page() {
    let f = Fixture::new(|t| {
        t.replacen(
            "paragraphs = [\n",
            &format!(
                "paragraphs = [\n  \"{}\",\n",
                "扩大开放招商，引进项目。".repeat(300)
            ),
            1,
        )
    });
    let (code, json) = f.check(&[]);
    assert_eq!(code, 1);
    let overflow: Vec<&Value> = findings(&json)
        .iter()
        .filter(|f| f["code"] == "fit-overflow")
        .collect();
    assert!(!overflow.is_empty(), "{json:#}");
    let message = overflow[0]["message"].as_str().unwrap();
    assert!(
        message.contains("lines") && message.contains("characters"),
        "{message}"
    );
    assert!(
        overflow
            .iter()
            .all(|f| f["hints"][0].as_str().unwrap().contains("cut about"))
    );
    // Each story is told its share; the one that grew is among them.
    assert!(
        overflow
            .iter()
            .any(|f| f["path"] == "/sections/0/paragraphs"),
        "{json:#}"
    );
}

#[test]
fn a_story_too_short_for_a_module() {
    // A six-column story cut to one sentence: it cannot fill two legs of
    // five lines.
    let f = Fixture::new(|t| {
        let start = t.find("  \"扩大开放招商。").unwrap();
        let end = start + t[start..].find("\n]").unwrap();
        format!(
            "{}  \"扩大开放招商，新引进项目64个。\",{}",
            &t[..start],
            &t[end..]
        )
    });
    let (code, json) = f.check(&[]);
    assert_eq!(code, 1);
    let short = only(&json, "fit-underflow");
    assert_eq!(short["severity"], "error");
    assert_eq!(short["path"], "/sections/3/paragraphs");
    assert!(short["hints"][0].as_str().unwrap().contains("add about"));
}

#[test]
fn a_page_the_copy_cannot_fill_is_an_error() {
    // No photos and every story but the lead cut to its first paragraph:
    // a page with a hole cannot go to print.
    let f = Fixture::new(|t| {
        let photos = t.find("[[photos]]").unwrap();
        let figures = t.find("[figures]").unwrap();
        format!("{}{}", &t[..photos], &t[figures..])
            .replace("main = 6\n", "")
            .replace("place = \"side\"\n", "")
    });
    let (code, json) = f.check(&[]);
    assert_eq!(code, 1);
    let short: Vec<&Value> = findings(&json)
        .iter()
        .filter(|f| f["code"] == "fit-underflow")
        .collect();
    assert!(!short.is_empty(), "{json:#}");
    for finding in short {
        assert_eq!(finding["severity"], "error");
        assert!(
            finding["hints"][0].as_str().unwrap().contains("add about"),
            "{finding:#}"
        );
    }
}

#[test]
fn copyfit_adjustments_are_notes() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/zhongzhan-2020.toml");
    let output = Command::new(BIN)
        .args(["check", data.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let notes: Vec<&Value> = findings(&json)
        .iter()
        .filter(|f| f["code"] == "fit-copyfit")
        .collect();
    assert!(!notes.is_empty());
    assert!(
        notes
            .iter()
            .all(|n| n["severity"] == "note"
                && n["path"].as_str().unwrap().starts_with("/sections/"))
    );
}

#[test]
fn a_missing_photo() {
    let f = Fixture::new(|t| t.replace("photos/06-hexing.jpg", "photos/06-none.jpg"));
    let (code, json) = f.check(&[]);
    assert_eq!(code, 1);
    let at = f.position_of("\"photos/06-none.jpg\"");
    let path = only(&json, "photo-missing")["path"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(path.starts_with("/photos/") && path.ends_with("/file"));
    assert_finding(only(&json, "photo-missing"), "error", at, &path);
}

#[test]
fn an_unreadable_photo() {
    let f = Fixture::new(|t| t.replace("photos/06-hexing.jpg", "photos/broken.jpg"));
    // A JPEG header and nothing else.
    std::fs::write(
        f.dir.path().join("photos/broken.jpg"),
        [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0],
    )
    .unwrap();
    let (code, json) = f.check(&[]);
    assert_eq!(code, 1);
    let finding = only(&json, "photo-unreadable");
    assert_eq!(finding["severity"], "error");
    assert_eq!(
        (
            finding["line"].as_u64().unwrap(),
            finding["column"].as_u64().unwrap()
        ),
        f.position_of("\"photos/broken.jpg\"")
    );
}

/// Replaces a photo's file by a gradient of `width` × `height` px.
fn shrink_photo(f: &Fixture, file: &str, width: u32, height: u32) {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    image::DynamicImage::ImageRgb8(image)
        .save(f.dir.path().join(file))
        .unwrap();
}

#[test]
fn photos_of_too_low_a_resolution() {
    // The same file, made small: 600 px over a three-column photo (369 pt)
    // is about 117 ppi (a warning), 300 px about 59 ppi (an error).
    let f = Fixture::new(|t| t.replace("label = \"特别报道\"", "label = \"特别报道 \""));
    shrink_photo(&f, "photos/01-wangxiaoping.jpg", 600, 400);
    shrink_photo(&f, "photos/07-taihangbaying.jpg", 300, 200);
    let (code, json) = f.check(&[]);
    assert_eq!(code, 1);
    let low: Vec<&Value> = findings(&json)
        .iter()
        .filter(|f| f["code"] == "photo-resolution")
        .collect();
    let warning = low
        .iter()
        .find(|f| f["path"] == "/photos/0/file")
        .expect("a warning for photo 1");
    assert_eq!(warning["severity"], "warning");
    assert!(warning["message"].as_str().unwrap().contains("ppi"));
    assert!(
        low.iter()
            .any(|f| f["path"] == "/photos/6/file" && f["severity"] == "error"),
        "{json:#}"
    );
    assert_eq!(
        (
            warning["line"].as_u64().unwrap(),
            warning["column"].as_u64().unwrap()
        ),
        f.position_of("\"photos/01-wangxiaoping.jpg\"")
    );
}

#[test]
fn a_photo_without_caption_or_credit() {
    let f = Fixture::new(|t| {
        t.replace(
            "caption = \"忙碌的风神轮胎工程胎生产线。\"",
            "caption = \"\"",
        )
        .replace("photos = \"除署名外均由许来伟、杨帆、牛建锋摄\"\n", "")
    });
    let (_, json) = f.check(&[]);
    let caption = only(&json, "photo-caption-missing");
    assert_eq!(caption["severity"], "warning");
    assert_eq!(caption["path"], "/photos/2");
    let credits: Vec<&Value> = findings(&json)
        .iter()
        .filter(|f| f["code"] == "photo-credit-missing")
        .collect();
    // Two photos carry credits of their own; the other nine have none.
    assert_eq!(credits.len(), 9, "{json:#}");
}

#[test]
fn text_lint_finds_what_is_mechanical() {
    // (text, its replacement, the code, where in the replacement, in chars)
    for (edit, code, at) in [
        (
            ("扎实做好“六稳”“六保”工作，", "扎实做好“六稳”“六保”工作,"),
            "lint-ascii-punctuation",
            14,
        ),
        (
            ("不平凡的一年", "不平凡的１年"),
            "lint-fullwidth-alphanumeric",
            4,
        ),
        (
            ("战胜了一个个挑战", "战胜了 一个个挑战"),
            "lint-space-between-han",
            3,
        ),
        (
            (
                "以“学湖州晋江、促高质量发展”为动力",
                "以“学湖州晋江、促高质量发展为动力",
            ),
            "lint-unbalanced",
            1,
        ),
    ] {
        let f = Fixture::new(|t| t.replacen(edit.0, edit.1, 1));
        let (code_exit, json) = f.check(&[]);
        assert_eq!(code_exit, 0, "lint is a warning: {json:#}");
        let finding = only(&json, code);
        assert_eq!(finding["severity"], "warning");
        assert_eq!(finding["path"], "/lede/0");
        let (line, column) = f.position_of(edit.1);
        assert_eq!(
            (
                finding["line"].as_u64().unwrap(),
                finding["column"].as_u64().unwrap()
            ),
            (line, column + at),
            "{code}"
        );
        // --strict fails on warnings.
        assert_eq!(f.check(&["--strict"]).0, 1);
    }
}

#[test]
fn headline_rules() {
    let f = Fixture::new(|t| {
        t.replace(
            "headline = [\"强化党建引领\", \"管党治党呈现新气象\"]",
            "headline = [\"强化党建引领，\", \"管\"]",
        )
    });
    let (code, json) = f.check(&[]);
    assert_eq!(code, 1);
    assert_finding(
        only(&json, "headline-punctuation"),
        "error",
        f.position_of("\"强化党建引领，\""),
        "/sections/5/headline/0",
    );
    assert_finding(
        only(&json, "headline-one-character"),
        "error",
        f.position_of("\"管\""),
        "/sections/5/headline/1",
    );
}

#[test]
fn the_newspaper_and_the_brochure_carry_the_same_text() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/zhongzhan-2020.toml");
    let mut prepared = banmian::pipeline::prepare(&data, &[]).unwrap_or_else(|_| panic!("valid"));
    let documents: Vec<_> = [
        banmian::layouts::Layout::Newspaper,
        banmian::layouts::Layout::Brochure,
    ]
    .into_iter()
    .map(|layout| {
        (
            layout,
            banmian::pipeline::compile(&prepared, layout)
                .unwrap_or_else(|_| panic!("lays out"))
                .0,
        )
    })
    .collect();
    assert!(banmian::checks::consistency::check(&prepared.loaded, &documents).is_empty());
    // A paragraph the layouts never saw is missing from both.
    prepared.loaded.report.sections[2]
        .paragraphs
        .push("一段两种版式都没有排入的文字。".into());
    let missing = banmian::checks::consistency::check(&prepared.loaded, &documents);
    assert_eq!(
        missing.len(),
        2,
        "{:#?}",
        missing.iter().map(|f| f.headline()).collect::<Vec<_>>()
    );
    assert!(
        missing
            .iter()
            .all(|f| f.code == "consistency-missing" && f.is_error())
    );
}

#[test]
fn many_problems_are_all_listed() {
    let f = Fixture::new(|t| {
        t.replacen("新冠肺炎疫情", "新冠肺炎\u{2EBF0}疫情", 1)
            .replace("photos/06-hexing.jpg", "photos/06-none.jpg")
            .replacen("战胜了一个个挑战", "战胜了 一个个挑战", 1)
            .replacen("辖区159家", "辖区１５９家", 1)
    });
    let (code, json) = f.check(&[]);
    assert_eq!(code, 1);
    for wanted in [
        "glyph-missing",
        "photo-missing",
        "lint-space-between-han",
        "lint-fullwidth-alphanumeric",
    ] {
        assert!(
            findings(&json).iter().any(|f| f["code"] == wanted),
            "{wanted} missing from {json:#}"
        );
    }
}

#[test]
fn a_report_that_cannot_be_read_exits_2() {
    let output = Command::new(BIN)
        .args(["check", "no-such-report.toml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn schema_describes_the_report_format() {
    let output = Command::new(BIN).args(["schema"]).output().unwrap();
    let schema: Value = serde_json::from_slice(&output.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    // The example report, as JSON, is valid; a typo is not.
    let data = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/zhongzhan-2020.toml"),
    )
    .unwrap();
    let mut report: Value =
        serde_json::to_value(toml::from_str::<toml::Value>(&data).unwrap()).unwrap();
    assert!(validator.is_valid(&report));
    report["titel"] = "x".into();
    assert!(!validator.is_valid(&report));
    assert!(schema["properties"]["sections"].is_object());
    let findings: Value = serde_json::from_slice(
        &Command::new(BIN)
            .args(["schema", "--findings"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(findings["properties"]["version"]["const"], 1);
}

#[test]
fn a_title_of_the_wrong_type_is_said_in_the_editors_words() {
    let ws = Workspace::new();
    ws.photo("photos/a.jpg");
    let report = small_report("正文。").replacen("title = \"测试版面\"", "title = 1", 1);
    assert!(report.contains("title = 1"));
    ws.write("report.toml", &report);
    let output = ws.run(&["check", "report.toml"]);
    let said = stderr(&output);
    assert!(
        said.contains(
            "`title` must be text in quotes, or a list in [ ] of lines in quotes, not `1`"
        ),
        "{said}"
    );
    assert!(!said.contains("oneOf"), "{said}");
}
