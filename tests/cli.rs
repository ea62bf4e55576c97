//! The real binary, in temporary folders: rendering, bad input, exit codes,
//! atomic output, reproducible bytes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_banmian");

/// A temporary folder holding a report (and whatever else a test puts there).
struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content).unwrap();
        path
    }

    /// A photo: a JPEG of 3000 × 2000 px (enough for a full-bleed A4 cover
    /// at over 100 ppi).
    fn photo(&self, name: &str) {
        let image = image::RgbImage::from_fn(3000, 2000, |x, y| {
            image::Rgb([(x / 7) as u8, (y / 5) as u8, 120])
        });
        let mut bytes = Vec::new();
        image::DynamicImage::ImageRgb8(image)
            .write_to(
                &mut std::io::Cursor::new(&mut bytes),
                image::ImageFormat::Jpeg,
            )
            .unwrap();
        self.write(name, bytes);
    }

    /// Runs banmian in the workspace.
    fn run(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .unwrap()
    }

    /// Every file under the workspace's out/ folder.
    fn outputs(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.path("out"))
            .map(|dir| {
                dir.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Copy enough for the stories to fill their columns.
const FILL: [&str; 3] = [
    "该区坚持以产业集群化、融合化、绿色化、高端化发展为目标，推动产业层次加快提升、产业体系高质量构建。持续培育壮大优势产业，持续实施工业转型升级行动计划和培优育强工程，龙头地位持续巩固，销售收入、外贸进出口实现逆势增长。",
    "不断提升创新能力。该区院地合作成果丰硕，签约了工业催化创业产业园等3个项目，总投资125.2亿元。新增国家高新技术企业2家、国家科技型中小企业20家、“专精特新”企业3家；新培育省级工程技术研究中心3家。",
    "强化金融服务。据统计，2020年全区新增贷款58.04亿元，占全市新增贷款的29.84%，居全市第一位；区应急转贷平台累计为辖区中小企业提供应急转贷资金147笔9.19亿元。",
];

/// `n` paragraphs of fill, starting at `from`.
fn fill(n: usize, from: usize) -> String {
    (0..n)
        .map(|i| format!("{:?}", FILL[(i + from) % FILL.len()]))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A valid report of four stories and four photos, enough to fill the
/// newspaper page; `body` is its first paragraph.
fn small_report(body: &str) -> String {
    format!(
        r#"title = "测试版面"
lede = ["这是导语。"]

[publication]
name = "测试日报"
date = "2024-05-06"
page = 1

[byline]
text = "本报记者某某"

[[sections]]
id = "a"
headline = ["第一行标题", "第二行标题"]
paragraphs = [{body:?}, {a}]

[[sections]]
id = "b"
headline = ["侧栏标题"]
paragraphs = [{b}]

[[sections]]
id = "c"
headline = ["第三篇的标题"]
paragraphs = [{c}]

[[sections]]
id = "d"
headline = ["第四篇稿件", "的两行标题"]
paragraphs = [{d}]

[[photos]]
file = "photos/a.jpg"
caption = "图片说明。"
section = "a"

[[photos]]
file = "photos/a.jpg"
caption = "第二幅图片的说明。"
section = "a"

[[photos]]
file = "photos/a.jpg"
caption = "第三幅图片的说明。"
section = "c"

[[photos]]
file = "photos/a.jpg"
caption = "第四幅图片的说明。"
section = "d"
"#,
        a = fill(9, 0),
        b = fill(5, 1),
        c = fill(7, 2),
        d = fill(6, 0),
    )
}

fn workspace_with(report: &str) -> Workspace {
    let ws = Workspace::new();
    ws.write("report.toml", report);
    ws.photo("photos/a.jpg");
    ws
}

/// Runs `render report.toml` and checks it fails with exit 1, names the
/// code and the position, and leaves no output at all.
fn assert_fails(ws: &Workspace, code: &str, position: &str) -> String {
    let output = ws.run(&["render", "report.toml"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "stderr: {err}");
    assert!(
        err.contains(&format!("[{code}]")),
        "expected {code} in: {err}"
    );
    assert!(err.contains(position), "expected {position} in: {err}");
    assert!(
        ws.outputs().is_empty(),
        "output written: {:?}",
        ws.outputs()
    );
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn renders_the_example_into_out() {
    let ws = Workspace::new();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/zhongzhan-2020.toml");
    let output = ws.run(&["render", data.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        ws.outputs(),
        vec![
            "zhongzhan-2020.brochure.pdf",
            "zhongzhan-2020.newspaper.pdf"
        ]
    );
    let pdf = lopdf::Document::load(ws.path("out/zhongzhan-2020.newspaper.pdf")).unwrap();
    let pages = pdf.get_pages();
    assert_eq!(pages.len(), 1);
    // Every font is embedded (Type0 → CIDFont → descriptor → font file).
    let mut fonts = 0;
    for (_, object) in pdf.objects.iter() {
        if let Ok(dict) = object.as_dict()
            && dict
                .get(b"Type")
                .and_then(|t| t.as_name())
                .is_ok_and(|t| t == b"FontDescriptor")
        {
            fonts += 1;
            assert!(
                [&b"FontFile"[..], b"FontFile2", b"FontFile3"]
                    .iter()
                    .any(|key| dict.has(key)),
                "font not embedded: {:?}",
                dict.get(b"FontName")
            );
        }
    }
    assert!(fonts >= 4, "only {fonts} fonts in the PDF");
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let ws = workspace_with(&small_report("正文一段。"));
    assert!(
        ws.run(&["render", "report.toml", "-o", "one"])
            .status
            .success()
    );
    assert!(
        ws.run(&["render", "report.toml", "-o", "two"])
            .status
            .success()
    );
    for layout in ["newspaper", "brochure"] {
        let file = format!("report.{layout}.pdf");
        let one = std::fs::read(ws.path("one").join(&file)).unwrap();
        let two = std::fs::read(ws.path("two").join(&file)).unwrap();
        assert!(one.len() > 10_000);
        assert!(one == two, "two renders of the {layout} differ");
    }
}

#[test]
fn png_and_svg_previews() {
    let ws = workspace_with(&small_report("正文一段。"));
    let output = ws.run(&[
        "render",
        "report.toml",
        "--layout",
        "newspaper",
        "--format",
        "png",
        "--ppi",
        "20",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let png = image::open(ws.path("out/report.newspaper.png")).unwrap();
    // 390 mm at 20 ppi.
    assert_eq!(png.width(), (390.0 / 25.4 * 20.0_f64).round() as u32);
    let output = ws.run(&[
        "render",
        "report.toml",
        "--layout",
        "newspaper",
        "--format",
        "svg",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let svg = std::fs::read_to_string(ws.path("out/report.newspaper.svg")).unwrap();
    assert!(svg.starts_with("<svg"));
}

#[test]
fn report_text_is_only_ever_text() {
    let nasty = r##"#read("/etc/passwd") ] * $x$ <x> @y #{1+1} \ // 注释"##;
    let ws = workspace_with(&small_report(nasty));
    let output = ws.run(&[
        "render",
        "report.toml",
        "--layout",
        "newspaper",
        "-o",
        "page.pdf",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    // The inspector's view of the same render: the paragraph printed as written.
    let prepared = banmian::pipeline::prepare(&ws.path("report.toml"), &[]).unwrap();
    let (document, _) =
        banmian::pipeline::compile(&prepared, banmian::layouts::Layout::Newspaper).unwrap();
    let text: String = banmian::inspect::inspect(&document)
        .lines
        .iter()
        .map(|l| l.text())
        .collect();
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    assert!(
        squeeze(&text).contains(&squeeze(nasty)),
        "not literal: {text}"
    );
    assert!(!text.contains("root:"), "a file was read");
}

#[test]
fn malformed_toml_names_line_and_column() {
    let ws =
        workspace_with(&small_report("正文。").replace("page = 1", "page = 1\nlabel = \"特别报道"));
    assert_fails(&ws, "data-syntax", "report.toml:8:");
}

#[test]
fn a_wrong_type_names_the_field() {
    let ws = workspace_with(&small_report("正文。").replace("page = 1", "page = \"五\""));
    let err = assert_fails(&ws, "data-type", "report.toml:7:8");
    assert!(err.contains("/publication/page"), "{err}");
}

#[test]
fn an_unknown_field_names_the_typo() {
    let ws = workspace_with(&small_report("正文。").replace("paragraphs = [", "paragrahps = ["));
    let err = assert_fails(&ws, "data-unknown-field", "report.toml:");
    assert!(
        err.contains("paragrahps") && err.contains("/sections/0"),
        "{err}"
    );
}

#[test]
fn a_missing_field_names_the_field() {
    let ws = workspace_with(&small_report("正文。").replace("text = \"本报记者某某\"\n", ""));
    let err = assert_fails(&ws, "data-missing-field", "report.toml:");
    assert!(err.contains("`text`") && err.contains("/byline"), "{err}");
}

#[test]
fn json_reports_get_positions_too() {
    let ws = Workspace::new();
    ws.write("report.json", "{\n  \"title\": \"标题\",\n  \"publication\": {\"name\": \"报\", \"date\": \"2024-05-06\", \"page\": true}\n}");
    let output = ws.run(&["render", "report.json"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains("report.json:3:")
            && err.contains("/publication/page")
            && err.contains("[data-type]"),
        "{err}"
    );
}

#[test]
fn a_missing_photo_is_named() {
    let ws = workspace_with(&small_report("正文。").replace("photos/a.jpg", "photos/none.jpg"));
    let err = assert_fails(&ws, "photo-missing", "report.toml:");
    assert!(
        err.contains("photos/none.jpg") && err.contains("/photos/0/file"),
        "{err}"
    );
}

#[test]
fn a_photo_that_is_not_an_image_is_named() {
    let ws = workspace_with(&small_report("正文。").replace("photos/a.jpg", "photos/b.jpg"));
    ws.write("photos/b.jpg", "this is text, not a JPEG");
    let err = assert_fails(&ws, "photo-not-image", "photos/b.jpg");
    assert!(err.contains("/photos/0/file"), "{err}");
}

#[test]
fn photos_outside_the_report_folder_are_refused() {
    for file in ["../../etc/passwd", "/etc/passwd"] {
        let ws = workspace_with(&small_report("正文。").replace("photos/a.jpg", file));
        let err = assert_fails(&ws, "photo-outside", "report.toml:");
        assert!(err.contains(file), "{err}");
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_report_folder_is_refused() {
    let outside = Workspace::new();
    outside.photo("secret.jpg");
    let ws = workspace_with(&small_report("正文。").replace("photos/a.jpg", "photos/link.jpg"));
    std::os::unix::fs::symlink(outside.path("secret.jpg"), ws.path("photos/link.jpg")).unwrap();
    assert_fails(&ws, "photo-outside", "photos/link.jpg");
}

#[test]
fn a_character_no_font_has_is_named_with_its_code_point() {
    let ws = workspace_with(&small_report("正文有个\u{2EBF0}字。"));
    let err = assert_fails(&ws, "glyph-missing", "report.toml:15:20");
    assert!(
        err.contains("U+2EBF0") && err.contains("/sections/0/paragraphs/0"),
        "{err}"
    );
}

#[test]
fn text_that_does_not_fit_names_the_section_and_the_overflow() {
    let long = "中站区精准研判、果断决策、快速行动。".repeat(400);
    let ws = workspace_with(&small_report(&long));
    let err = assert_fails(&ws, "fit-overflow", "/sections/0");
    assert!(
        err.contains("第一行标题第二行标题") && err.contains("lines"),
        "{err}"
    );
}

#[test]
fn a_failed_run_leaves_the_previous_output_untouched() {
    let ws = workspace_with(&small_report("正文。"));
    assert!(ws.run(&["render", "report.toml"]).status.success());
    let newspaper = std::fs::read(ws.path("out/report.newspaper.pdf")).unwrap();
    let brochure = std::fs::read(ws.path("out/report.brochure.pdf")).unwrap();
    // Broken data: nothing is written, nothing is left half-written.
    ws.write(
        "report.toml",
        small_report("正文。").replace("page = 1", "page = ["),
    );
    let output = ws.run(&["render", "report.toml"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        std::fs::read(ws.path("out/report.newspaper.pdf")).unwrap(),
        newspaper
    );
    assert_eq!(
        std::fs::read(ws.path("out/report.brochure.pdf")).unwrap(),
        brochure
    );
    assert_eq!(
        ws.outputs(),
        vec!["report.brochure.pdf", "report.newspaper.pdf"],
        "temporary files left behind"
    );
}

#[test]
fn bad_arguments_exit_2() {
    let ws = workspace_with(&small_report("正文。"));
    assert_eq!(
        ws.run(&["render", "report.toml", "--format", "tiff"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        ws.run(&["render", "report.toml", "--ppi", "0"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        ws.run(&["render", "report.toml", "--font-path", "nowhere"])
            .status
            .code(),
        Some(2)
    );
    assert!(ws.outputs().is_empty());
}

#[test]
fn fonts_lists_the_bundled_families() {
    let output = Workspace::new().run(&["fonts"]);
    assert!(output.status.success());
    let out = String::from_utf8_lossy(&output.stdout);
    for family in ["Noto Serif CJK SC", "Noto Sans CJK SC", "Banmian Kai"] {
        assert!(out.contains(family), "{out}");
    }
}

#[test]
fn garbage_input_never_panics() {
    let ws = Workspace::new();
    for (name, content) in [
        ("a.toml", &b"\xff\xfe\x00garbage"[..]),
        ("b.toml", b""),
        ("c.json", b"[1, 2"),
        ("d.json", b"{\"sections\": {}}"),
        ("e.txt", b"title = 1"),
    ] {
        ws.write(name, content);
        let output = ws.run(&["render", name]);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert!(err.contains(name), "{name}: {err}");
    }
}

#[test]
fn headline_lines_ending_in_punctuation_or_of_one_character_are_refused() {
    let ws = workspace_with(&small_report("正文。").replace(
        r#"["第一行标题", "第二行标题"]"#,
        r#"["第一行标题，", "题"]"#,
    ));
    let err = assert_fails(&ws, "headline-punctuation", "/sections/0/headline/0");
    assert!(
        err.contains("[headline-one-character]") && err.contains("/sections/0/headline/1"),
        "{err}"
    );
}

#[test]
fn a_headline_size_that_breaks_the_editors_lines_is_refused() {
    // At 初号 (42 pt) the line needs more than the page's eight columns.
    let report = small_report("正文。")
        .replace(
            "[[sections]]\nid = \"b\"",
            "[[sections]]\nid = \"b\"\nsize = \"初号\"",
        )
        .replace(
            "[\"侧栏标题\"]",
            "[\"侧栏标题是很长很长很长很长很长很长很长很长的一行字\"]",
        );
    let ws = workspace_with(&report);
    assert_fails(&ws, "headline-too-long", "/sections/1/size");
}

#[test]
fn a_story_too_short_for_a_module_says_how_much_to_add() {
    // One short sentence cannot fill two legs of five lines.
    let report = small_report("正文。").replace(
        &format!("paragraphs = [\"正文。\", {}]", fill(9, 0)),
        "paragraphs = [\"正文只有一句。\"]",
    );
    let ws = workspace_with(&report);
    let err = assert_fails(&ws, "fit-underflow", "/sections/0/paragraphs");
    assert!(
        err.contains("add about") && err.contains("characters"),
        "{err}"
    );
}

#[test]
fn copyfit_adjustments_are_reported_as_notes() {
    let ws = Workspace::new();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/zhongzhan-2020.toml");
    let output = ws.run(&["render", data.to_str().unwrap(), "--layout", "newspaper"]);
    assert!(output.status.success());
    let err = stderr(&output);
    assert!(
        err.contains("note[fit-copyfit]") && err.contains("to balance the columns"),
        "{err}"
    );
}

#[test]
fn the_binary_with_its_fonts_stays_under_80_mb() {
    let size = std::fs::metadata(BIN).unwrap().len();
    assert!(
        size < 80_000_000,
        "the binary is {:.1} MB",
        size as f64 / 1e6
    );
}

#[test]
fn every_command_gives_the_same_exit_code_for_the_same_failure() {
    let ws = workspace_with(&small_report("正文。"));
    ws.write(
        "broken.toml",
        small_report("正文。").replace("page = 1", "page = ["),
    );
    let code = |args: &[&str]| ws.run(args).status.code();
    for command in ["render", "check", "rules", "plan"] {
        // A report file that is not there: the command could not run.
        assert_eq!(code(&[command, "absent.toml"]), Some(2), "{command}");
        // A report with errors.
        assert_eq!(code(&[command, "broken.toml"]), Some(1), "{command}");
        // A --font-path that is not a folder: a bad argument.
        assert_eq!(
            code(&[command, "report.toml", "--font-path", "nowhere"]),
            Some(2),
            "{command}"
        );
    }
    assert_eq!(code(&["fonts", "--font-path", "nowhere"]), Some(2));
    assert!(ws.outputs().is_empty());
}
