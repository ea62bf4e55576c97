//! The real binary, in temporary folders: rendering, bad input, exit codes,
//! atomic output, reproducible bytes.

use std::path::Path;
use std::process::Command;

use crate::support::{BIN, Workspace, example_in, small_report, small_report_with, stderr};

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
    let bytes = std::fs::read(ws.path("out/zhongzhan-2020.newspaper.pdf")).unwrap();
    let pdf = hayro_syntax::Pdf::new(bytes).unwrap();
    assert_eq!(pdf.pages().len(), 1);
    // Every font is embedded (Type0 → CIDFont → descriptor → font file).
    let mut fonts = 0;
    for object in pdf.objects() {
        if let hayro_syntax::object::Object::Dict(dict) = object
            && dict
                .get::<hayro_syntax::object::Name>(b"Type")
                .is_some_and(|t| t.as_ref() == b"FontDescriptor")
        {
            fonts += 1;
            assert!(
                [&b"FontFile"[..], b"FontFile2", b"FontFile3"]
                    .iter()
                    .any(|key| dict.contains_key(key)),
                "font not embedded: {:?}",
                dict.get::<hayro_syntax::object::Name>(b"FontName")
                    .map(|n| n.as_ref().to_vec())
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

/// Bad input: one edit of a valid report, and what the error must say.
struct BadInput {
    /// What the edit does.
    what: &'static str,
    /// The text it replaces.
    from: &'static str,
    /// Its replacement.
    to: &'static str,
    /// The finding's code.
    code: &'static str,
    /// The text the error must point at (its line and column).
    at: Option<&'static str>,
    /// What the message must name.
    names: &'static [&'static str],
}

const BAD_INPUT: &[BadInput] = &[
    BadInput {
        what: "malformed TOML",
        from: "page = 1",
        to: "page = 1\nlabel = \"特别报道",
        code: "data-syntax",
        at: Some("label"),
        names: &[],
    },
    BadInput {
        what: "a wrong type",
        from: "page = 1",
        to: "page = \"五\"",
        code: "data-type",
        at: Some("\"五\""),
        names: &["/publication/page"],
    },
    BadInput {
        what: "an unknown field",
        from: "paragraphs = [",
        to: "paragrahps = [",
        code: "data-unknown-field",
        at: Some("paragrahps"),
        names: &["paragrahps", "/sections/0", "`paragraphs`"],
    },
    BadInput {
        what: "a missing field",
        from: "text = \"本报记者某某\"\n",
        to: "",
        code: "data-missing-field",
        at: None,
        names: &["`text`", "/byline"],
    },
    BadInput {
        what: "a missing photo",
        from: "photos/a.jpg",
        to: "photos/none.jpg",
        code: "photo-missing",
        at: Some("\"photos/none.jpg\""),
        names: &["photos/none.jpg", "/photos/0/file"],
    },
    BadInput {
        what: "a photo above the report's folder",
        from: "photos/a.jpg",
        to: "../../etc/passwd",
        code: "photo-outside",
        at: Some("\"../../etc/passwd\""),
        names: &["../../etc/passwd"],
    },
    BadInput {
        what: "a photo at an absolute path",
        from: "photos/a.jpg",
        to: "/etc/passwd",
        code: "photo-outside",
        at: Some("\"/etc/passwd\""),
        names: &["/etc/passwd"],
    },
    BadInput {
        what: "a character no font has",
        from: "正文。",
        to: "正文有个\u{2EBF0}字。",
        code: "glyph-missing",
        at: Some("\u{2EBF0}"),
        names: &["U+2EBF0", "/sections/0/paragraphs/0"],
    },
];

#[test]
fn bad_input_is_refused_with_its_code_its_place_and_its_field() {
    for &BadInput {
        what,
        from,
        to,
        code,
        at,
        names,
    } in BAD_INPUT
    {
        let report = small_report("正文。");
        assert!(report.contains(from), "{what}: {from} not in the report");
        let report = report.replacen(from, to, 1);
        let ws = workspace_with(&report);
        let position = match at {
            Some(needle) => {
                let (line, column) = crate::support::position_of(&report, needle);
                format!("report.toml:{line}:{column}")
            }
            None => "report.toml:".to_string(),
        };
        let err = assert_fails(&ws, code, &position);
        for name in names {
            assert!(err.contains(name), "{what}: {name} not in {err}");
        }
    }
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
fn a_photo_that_is_not_an_image_is_named() {
    let ws = workspace_with(&small_report("正文。").replace("photos/a.jpg", "photos/b.jpg"));
    ws.write("photos/b.jpg", "this is text, not a JPEG");
    let err = assert_fails(&ws, "photo-not-image", "photos/b.jpg");
    assert!(err.contains("/photos/0/file"), "{err}");
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
    let report = small_report_with("正文。", |data| {
        data["sections"][0]["paragraphs"] = serde_json::json!(["正文只有一句。"]);
    });
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

/// `banmian plan` composes the page it maps (the pipeline composes only
/// the layouts a command asks for).
#[test]
fn plan_maps_the_example_page() {
    let ws = Workspace::new();
    ws.write("report.toml", example_in(&ws.path(".")));
    let output = ws.run(&["plan", "report.toml"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let map = String::from_utf8_lossy(&output.stdout);
    assert!(map.contains("the module area: 8 columns"), "{map}");
    assert!(map.contains("(the lead)"), "{map}");
    assert!(map.contains("score "), "{map}");
    let output = ws.run(&["plan", "report.toml", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let plan: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert!(plan["map"].is_array(), "{plan}");
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

#[test]
fn an_output_never_destroys_an_input() {
    let ws = workspace_with(&small_report("正文。"));
    let report = std::fs::read(ws.path("report.toml")).unwrap();
    // A photo the report reads, in the format asked for.
    let photo = std::fs::read(ws.path("photos/a.jpg")).unwrap();
    let png = image::RgbImage::from_fn(600, 400, |x, _| image::Rgb([x as u8, 90, 120]));
    image::DynamicImage::ImageRgb8(png)
        .save(ws.path("photos/p.png"))
        .unwrap();
    let with_png = small_report("正文。").replacen("photos/a.jpg", "photos/p.png", 1);
    ws.write("png.toml", &with_png);
    let png_bytes = std::fs::read(ws.path("photos/p.png")).unwrap();
    let notes = "an editor's notes, not a PDF";
    ws.write("notes.pdf", notes);
    #[cfg(unix)]
    std::os::unix::fs::symlink(ws.path("notes.pdf"), ws.path("link.pdf")).unwrap();
    let refused = [
        vec![
            "render",
            "report.toml",
            "--layout",
            "newspaper",
            "-o",
            "report.toml",
        ],
        vec![
            "render",
            "report.toml",
            "--layout",
            "newspaper",
            "-o",
            "photos/a.jpg",
        ],
        vec![
            "render",
            "png.toml",
            "--layout",
            "newspaper",
            "--format",
            "png",
            "-o",
            "photos/p.png",
        ],
        vec![
            "render",
            "report.toml",
            "--layout",
            "newspaper",
            "-o",
            "notes.pdf",
        ],
        vec![
            "render",
            "report.toml",
            "--layout",
            "newspaper",
            "--format",
            "png",
            "-o",
            "x.pdf",
        ],
        #[cfg(unix)]
        vec![
            "render",
            "report.toml",
            "--layout",
            "newspaper",
            "-o",
            "link.pdf",
            "--force",
        ],
    ];
    for args in &refused {
        let output = ws.run(args);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("[output-refused]"), "{args:?}: {err}");
    }
    assert_eq!(std::fs::read(ws.path("report.toml")).unwrap(), report);
    assert_eq!(std::fs::read(ws.path("photos/a.jpg")).unwrap(), photo);
    assert_eq!(std::fs::read(ws.path("photos/p.png")).unwrap(), png_bytes);
    assert_eq!(
        std::fs::read_to_string(ws.path("notes.pdf")).unwrap(),
        notes
    );
    assert!(!ws.path("x.pdf").exists());
    // Deliberately, with --force.
    let output = ws.run(&[
        "render",
        "report.toml",
        "--layout",
        "newspaper",
        "-o",
        "notes.pdf",
        "--force",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        std::fs::read(ws.path("notes.pdf"))
            .unwrap()
            .starts_with(b"%PDF-")
    );
}

#[cfg(unix)]
#[test]
fn outputs_are_no_more_open_than_the_umask_or_the_file_they_replace() {
    use std::os::unix::fs::PermissionsExt;
    let ws = workspace_with(&small_report("正文。"));
    let mode = |name: &str| {
        std::fs::metadata(ws.path(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    let render = |umask: &str, out: &str| {
        let status = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "umask {umask} && exec \"$0\" render report.toml --layout newspaper -o {out}"
            ))
            .arg(BIN)
            .current_dir(ws.path("."))
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
    };
    render("077", "private.pdf");
    assert_eq!(mode("private.pdf"), 0o600);
    render("022", "open.pdf");
    assert_eq!(mode("open.pdf"), 0o644);
    // A replaced file keeps its own, narrower mode.
    std::fs::set_permissions(ws.path("open.pdf"), std::fs::Permissions::from_mode(0o600)).unwrap();
    render("022", "open.pdf");
    assert_eq!(mode("open.pdf"), 0o600);
}

#[test]
fn a_reader_that_stops_reading_ends_the_program_quietly() {
    // `banmian schema | head -1`: the pipe closes before banmian writes.
    for args in [&["schema"][..], &["fonts"][..]] {
        let mut child = Command::new(BIN)
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        let err = stderr(&output);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?}: {err}");
        assert!(
            matches!(output.status.code(), Some(141) | Some(0)),
            "{args:?}: {:?}",
            output.status
        );
    }
}

#[test]
fn json_positions_count_characters_and_a_bom_is_no_error() {
    // serde_json counts columns in bytes; banmian shows characters.
    let ws = Workspace::new();
    ws.write(
        "report.json",
        "{\n  \"title\": \"中站区标题\",  \"lede\": [1 2]\n}\n",
    );
    let output = ws.run(&["check", "report.json"]);
    let err = stderr(&output);
    assert!(err.contains("report.json:2:33"), "{err}");
    // The same valid report, as JSON with a byte-order mark.
    let toml: toml::Value = toml::from_str(&small_report("正文。")).unwrap();
    let json = format!("\u{feff}{}", serde_json::to_string(&toml).unwrap());
    ws.write("bom.json", json);
    ws.photo("photos/a.jpg");
    let output = ws.run(&["check", "bom.json"]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn dates_and_pages_that_cannot_be_are_refused() {
    for (from, to) in [
        ("date = \"2024-05-06\"", "date = \"0000-01-01\""),
        ("date = \"2024-05-06\"", "date = \"+999-01-01\""),
        ("page = 1", "page = 0"),
    ] {
        let ws = workspace_with(&small_report("正文。").replacen(from, to, 1));
        assert_fails(&ws, "data-value", "report.toml:");
    }
}

#[test]
fn what_a_photo_carries_besides_its_pixels_stays_out_of_the_pdf() {
    let ws = workspace_with(&small_report("正文。"));
    let jpeg = std::fs::read(ws.path("photos/a.jpg")).unwrap();
    // EXIF with a position, a comment, and bytes after the image's end.
    let mut dirty = jpeg[..2].to_vec();
    for (marker, payload) in [
        (0xE1u8, &b"Exif\0\0GPS 35.21N 113.24E"[..]),
        (0xFE, b"private comment"),
    ] {
        dirty.extend_from_slice(&[0xFF, marker]);
        dirty.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        dirty.extend_from_slice(payload);
    }
    dirty.extend_from_slice(&jpeg[2..]);
    dirty.extend_from_slice(b"an appended archive");
    ws.write("photos/a.jpg", dirty);
    let output = ws.run(&["render", "report.toml", "--layout", "newspaper"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let pdf = std::fs::read(ws.path("out/report.newspaper.pdf")).unwrap();
    for secret in [&b"GPS 35.21N"[..], b"private comment", b"appended archive"] {
        assert!(!pdf.windows(secret.len()).any(|w| w == secret));
    }
}

#[test]
fn completions_and_the_man_page_come_from_the_command_line_itself() {
    let ws = Workspace::new();
    for shell in ["bash", "zsh", "fish"] {
        let output = ws.run(&["completions", shell]);
        assert!(output.status.success());
        let text = String::from_utf8_lossy(&output.stdout);
        for command in ["render", "check", "batch", "watch"] {
            assert!(text.contains(command), "{shell} completes {command}");
        }
    }
    let output = ws.run(&["manual"]);
    assert!(output.status.success());
    let roff = String::from_utf8_lossy(&output.stdout);
    assert!(roff.contains(".TH banmian 1"), "{roff}");
    assert!(roff.contains("batch"));
}
