//! Hostile and careless input: each case is refused with its exact
//! finding code and exit code, quickly, writing nothing, and the previous
//! output stays as it was.

use std::time::{Duration, Instant};

use crate::support::{Workspace, small_report, small_report_with, stderr};

/// A workspace with a valid report rendered once into out/.
fn rendered() -> (Workspace, Vec<(String, Vec<u8>)>) {
    let ws = Workspace::new();
    ws.write("report.toml", small_report("正文。"));
    ws.photo("photos/a.jpg");
    let output = ws.run(&["render", "report.toml"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let files = snapshot(&ws);
    (ws, files)
}

/// The small report with `n` copies of its section `from` added (ids
/// `s0`, `s1`…).
fn with_more_sections(n: usize, from: usize) -> String {
    small_report_with("正文。", |data| {
        let section = data["sections"][from].clone();
        let sections = data["sections"].as_array_mut().unwrap();
        for i in 0..n {
            let mut more = section.clone();
            more["id"] = serde_json::json!(format!("s{i}"));
            sections.push(more);
        }
    })
}

/// Every file under out/, with its bytes.
fn snapshot(ws: &Workspace) -> Vec<(String, Vec<u8>)> {
    ws.outputs()
        .into_iter()
        .map(|name| {
            let bytes = std::fs::read(ws.path(&format!("out/{name}"))).unwrap();
            (name, bytes)
        })
        .collect()
}

/// Renders `data` in `ws` and asserts the refusal: its exit code, its
/// finding code, no more than a few seconds, and out/ as it was.
fn assert_refused(ws: &Workspace, before: &[(String, Vec<u8>)], data: &str, exit: i32, code: &str) {
    let start = Instant::now();
    let output = ws.run(&["render", data]);
    let err = stderr(&output);
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{code}: too slow"
    );
    assert_eq!(output.status.code(), Some(exit), "{code}: {err}");
    assert!(err.contains(&format!("[{code}]")), "{code}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(snapshot(ws), before, "{code}: out/ changed");
}

#[test]
fn data_that_is_not_a_report_file() {
    let (ws, before) = rendered();
    // Not there at all: the command cannot run.
    assert_refused(&ws, &before, "absent.toml", 2, "data-file");
    // Not a regular file: a FIFO or a device is never read (it would hang
    // or never end).
    #[cfg(unix)]
    {
        let fifo = ws.path("fifo.toml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            assert_refused(&ws, &before, "fifo.toml", 2, "data-file");
        }
        std::os::unix::fs::symlink("/dev/zero", ws.path("zero.toml")).unwrap();
        assert_refused(&ws, &before, "zero.toml", 2, "data-file");
    }
    // Too large to be a report.
    let huge = format!("title = \"{}\"\n", "长".repeat(3_000_000));
    ws.write("huge.toml", huge);
    assert_refused(&ws, &before, "huge.toml", 1, "data-file");
    // Binary, empty.
    ws.write("binary.toml", b"\x00\x01\x02\xff\xfe");
    assert_refused(&ws, &before, "binary.toml", 1, "data-file");
    ws.write("empty.toml", "");
    assert_refused(&ws, &before, "empty.toml", 1, "data-missing-field");
}

#[test]
fn counts_no_real_report_reaches_are_refused_before_any_work() {
    let (ws, before) = rendered();
    let many_sections = with_more_sections(120, 1);
    ws.write("sections.toml", many_sections);
    assert_refused(&ws, &before, "sections.toml", 1, "data-limit");
    let long = small_report(&"中站区精准研判、果断决策、快速行动。".repeat(700));
    ws.write("long.toml", long);
    assert_refused(&ws, &before, "long.toml", 1, "data-limit");
    let quote = "中站区精准研判、果断决策、快速行动。".repeat(6);
    let long_quote = small_report_with(&quote, |data| {
        data["sections"][0]["quote"] = serde_json::json!(quote);
    });
    ws.write("quote.toml", long_quote);
    assert_refused(&ws, &before, "quote.toml", 1, "data-limit");
}

#[test]
fn a_pull_quote_not_in_its_story_is_refused_at_its_field() {
    let (ws, before) = rendered();
    let report = small_report_with("正文。", |data| {
        data["sections"][0]["quote"] = serde_json::json!("这句话不在正文里");
    });
    ws.write("quote.toml", &report);
    assert_refused(&ws, &before, "quote.toml", 1, "data-value");
    let output = ws.run(&["check", "quote.toml"]);
    assert!(
        stderr(&output).contains("/sections/0/quote"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn more_stories_than_a_page_holds_are_refused_for_the_page_only() {
    let (ws, before) = rendered();
    let thirteen = with_more_sections(10, 1);
    ws.write("thirteen.toml", &thirteen);
    assert_refused(&ws, &before, "thirteen.toml", 1, "fit-too-many-stories");
    // The brochure alone is made.
    let output = ws.run(&[
        "render",
        "thirteen.toml",
        "--layout",
        "brochure",
        "-o",
        "b.pdf",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn photos_whose_headers_claim_too_many_pixels_are_refused_before_decoding() {
    let (ws, before) = rendered();
    // A PNG that claims 100,000 × 100,000 pixels in a few hundred bytes.
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let mut crc = crc_of(kind);
        crc = crc_more(crc, data);
        out.extend_from_slice(&(!crc).to_be_bytes());
        out
    };
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &ihdr));
    // An empty zlib stream: the header is read up to here.
    png.extend(chunk(b"IDAT", b"\x78\x9c\x03\x00\x00\x00\x00\x01"));
    png.extend(chunk(b"IEND", b""));
    ws.write("photos/bomb.png", png);
    let report = small_report("正文。").replacen("photos/a.jpg", "photos/bomb.png", 1);
    ws.write("png.toml", report);
    assert_refused(&ws, &before, "png.toml", 1, "photo-too-large");
    // A GIF whose logical screen is 65,535 × 65,535.
    let mut gif = b"GIF89a".to_vec();
    gif.extend_from_slice(&65_535u16.to_le_bytes());
    gif.extend_from_slice(&65_535u16.to_le_bytes());
    gif.extend_from_slice(&[0x80, 0, 0, 0, 0, 0, 255, 255, 255, b',']);
    gif.extend_from_slice(&[0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, b';']);
    ws.write("photos/bomb.gif", gif);
    let report = small_report("正文。").replacen("photos/a.jpg", "photos/bomb.gif", 1);
    ws.write("gif.toml", report);
    assert_refused(&ws, &before, "gif.toml", 1, "photo-too-large");
}

#[test]
fn photos_that_are_not_images() {
    let (ws, before) = rendered();
    for (name, bytes) in [
        (
            "external.svg",
            &b"<svg xmlns='http://www.w3.org/2000/svg'><image href='file:///etc/passwd'/></svg>"[..],
        ),
        ("empty.jpg", &b""[..]),
        ("text.jpg", b"this is not a photo"),
        ("truncated.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"),
    ] {
        ws.write(&format!("photos/{name}"), bytes);
        let report = small_report("正文。").replacen("photos/a.jpg", &format!("photos/{name}"), 1);
        ws.write("report2.toml", report);
        let output = ws.run(&["render", "report2.toml"]);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{name}: {err}");
        assert!(
            err.contains("[photo-not-image]") || err.contains("[photo-unreadable]"),
            "{name}: {err}"
        );
    }
    let after: Vec<String> = ws.outputs();
    let names: Vec<String> = before.iter().map(|(name, _)| name.clone()).collect();
    assert_eq!(after, names, "out/ changed");
    for (name, bytes) in &before {
        assert_eq!(
            &std::fs::read(ws.path(&format!("out/{name}"))).unwrap(),
            bytes
        );
    }
}

/// CRC-32 of PNG chunks (the table-free bitwise form; a test needs no
/// speed).
fn crc_of(bytes: &[u8]) -> u32 {
    crc_more(0xffff_ffff, bytes)
}

fn crc_more(mut crc: u32, bytes: &[u8]) -> u32 {
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    crc
}

#[test]
fn control_characters_are_a_finding_and_are_never_echoed_raw() {
    let (ws, before) = rendered();
    // Written as TOML escapes: ESC starting a colour sequence, and a
    // right-to-left override.
    let report = small_report("正文。").replacen("正文。", "正文\\u001b[31m红\\u202e。", 1);
    ws.write("controls.toml", &report);
    assert_refused(&ws, &before, "controls.toml", 1, "data-control-character");
    // A raw ESC (TOML refuses it): the error names the problem, and the
    // terminal never receives the ESC itself.
    let raw = small_report("正文。").replacen("正文。", "正文\u{1b}[31m红。", 1);
    ws.write("raw.toml", &raw);
    let output = ws.run(&["check", "raw.toml"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains("[data-syntax]") && !err.contains('\u{1b}'),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn a_render_stopped_by_a_signal_leaves_no_temporary_and_the_previous_output() {
    let (ws, before) = rendered();
    // The same report again, stopped at several moments of its run.
    for delay_ms in [20, 60, 120, 200, 300, 450] {
        let child = std::process::Command::new(crate::support::BIN)
            .args(["render", "report.toml"])
            .current_dir(ws.path("."))
            .stderr(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let mut child = child;
        let _ = child.wait();
        let names = ws.outputs();
        assert!(
            names.iter().all(|n| !n.starts_with(".banmian-")),
            "after {delay_ms} ms: {names:?}"
        );
        // The set is the previous one or a whole new one: the same report
        // gives the same bytes, so either way out/ is as it was.
        assert_eq!(snapshot(&ws), before, "after {delay_ms} ms");
    }
}

#[test]
fn pages_of_an_earlier_longer_preview_are_removed() {
    let ws = Workspace::new();
    ws.photo("photos/a.jpg");
    let long = with_more_sections(6, 2);
    ws.write("report.toml", long);
    let render = || {
        let output = ws.run(&[
            "render",
            "report.toml",
            "--layout",
            "brochure",
            "--format",
            "svg",
            "-o",
            "out/b.svg",
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
        ws.outputs()
    };
    let before = render();
    ws.write("report.toml", small_report("正文。"));
    let after = render();
    assert!(after.len() < before.len(), "{before:?} → {after:?}");
    let mut pages: Vec<String> = (1..=after.len()).map(|n| format!("b-{n}.svg")).collect();
    pages.sort();
    assert_eq!(after, pages);
}

#[test]
fn a_font_under_font_path_that_is_not_a_font_is_said_and_not_used() {
    let ws = Workspace::new();
    ws.write("report.toml", small_report("正文。"));
    ws.photo("photos/a.jpg");
    ws.write("fonts/broken.ttf", b"\x00\x01\x00\x00 not really a font");
    ws.write("fonts/notes.txt", "not a font file by its name");
    let output = ws.run(&["check", "report.toml", "--font-path", "fonts"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    assert!(
        err.contains("[font-unreadable]") && err.contains("broken.ttf"),
        "{err}"
    );
    assert!(!err.contains("notes.txt"), "{err}");
}

#[test]
fn a_png_too_large_to_render_is_refused_with_its_cost() {
    let (ws, before) = rendered();
    let output = ws.run(&[
        "render",
        "report.toml",
        "--layout",
        "newspaper",
        "--format",
        "png",
        "--ppi",
        "1200",
        "-o",
        "out/page.png",
    ]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(
        err.contains("[output-refused]") && err.contains("ppi"),
        "{err}"
    );
    assert_eq!(ws.outputs().len(), before.len());
}

#[test]
fn a_data_error_does_not_hide_the_others() {
    // An unknown field stops parsing; the lint and the glyph check still
    // run on the rest, and the unknown field points at its key.
    let ws = Workspace::new();
    ws.photo("photos/a.jpg");
    let report = small_report("正文,有个\u{2EBF0}字。")
        .replacen("caption =", "captoin =", 1)
        .replacen("photos/a.jpg", "photos/gone.jpg", 1);
    ws.write("report.toml", &report);
    let output = ws.run(&["check", "report.toml", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let codes: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    for code in [
        "data-unknown-field",
        "glyph-missing",
        "lint-ascii-punctuation",
    ] {
        assert!(codes.contains(&code), "{code} not in {codes:?}");
    }
    let unknown = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "data-unknown-field")
        .unwrap();
    let (line, column) = crate::support::position_of(&report, "captoin");
    assert_eq!(unknown["line"], line as u64, "{unknown}");
    assert_eq!(unknown["column"], column as u64, "{unknown}");
}

#[test]
fn a_title_too_long_for_its_place_is_a_finding_not_a_tiny_title() {
    let (ws, before) = rendered();
    let report = small_report_with("正文。", |data| {
        data["title"] = serde_json::json!("中站区".repeat(170));
    });
    ws.write("title.toml", &report);
    assert_refused(&ws, &before, "title.toml", 1, "layout-overflow");
    let output = ws.run(&["check", "title.toml", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let on_title: Vec<&serde_json::Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "layout-overflow" && f["path"] == "/title")
        .collect();
    // The newspaper's title column and the brochure's cover.
    assert_eq!(on_title.len(), 2, "{json:#}");
}

#[test]
fn a_strip_too_long_for_the_page_is_a_finding() {
    let (ws, before) = rendered();
    let report = small_report_with("正文。", |data| {
        data["publication"]["name"] = serde_json::json!("焦作日报".repeat(12));
    });
    ws.write("strip.toml", &report);
    assert_refused(&ws, &before, "strip.toml", 1, "layout-overflow");
    let output = ws.run(&["check", "strip.toml"]);
    assert!(stderr(&output).contains("/publication/name"));
}

#[test]
fn a_figure_value_wider_than_its_cell_is_a_finding() {
    let (ws, before) = rendered();
    let report = small_report_with(&"正文。".repeat(200), |data| {
        data["figures"] = serde_json::json!({
            "title": "数说",
            "items": [
                { "value": "12", "unit": "%", "label": "一个正常的数字" },
                { "value": "1234567890123456", "unit": "元", "label": "一个太长的数字" },
            ],
        });
    });
    ws.write("figures.toml", &report);
    assert_refused(&ws, &before, "figures.toml", 1, "layout-overflow");
    let output = ws.run(&["check", "figures.toml", "--layout", "newspaper"]);
    let said = stderr(&output);
    assert!(said.contains("/figures/items/1/value"), "{said}");
    assert!(!said.contains("/figures/items/0/value"), "{said}");
}

#[test]
fn concurrent_renders_into_one_folder_never_mix() {
    let ws = Workspace::new();
    ws.photo("a/photos/a.jpg");
    ws.photo("b/photos/a.jpg");
    ws.write("a/report.toml", small_report("第一份报告。"));
    ws.write("b/report.toml", small_report("第二份报告。"));
    // Each alone, for the bytes each set must have.
    let alone = |dir: &str| {
        let output = ws.run(&[
            "render",
            &format!("{dir}/report.toml"),
            "-o",
            &format!("alone-{dir}"),
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
        ["newspaper", "brochure"]
            .map(|l| std::fs::read(ws.path(&format!("alone-{dir}/report.{l}.pdf"))).unwrap())
    };
    let (a, b) = (alone("a"), alone("b"));
    assert_ne!(a, b);
    // Ten renders at once, the two reports in turn, into one folder.
    let children: Vec<_> = (0..10)
        .map(|i| {
            let dir = if i % 2 == 0 { "a" } else { "b" };
            std::process::Command::new(crate::support::BIN)
                .args(["render", &format!("{dir}/report.toml"), "-o", "shared"])
                .current_dir(ws.path("."))
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let shared = ["newspaper", "brochure"]
        .map(|l| std::fs::read(ws.path(&format!("shared/report.{l}.pdf"))).unwrap());
    assert!(
        shared == a || shared == b,
        "the newspaper of one report and the brochure of the other"
    );
    let names: Vec<String> = std::fs::read_dir(ws.path("shared"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn sixteen_bit_and_grey_photos_are_set() {
    let ws = Workspace::new();
    ws.write(
        "report.toml",
        small_report("正文。")
            .replacen("photos/a.jpg", "photos/deep.png", 1)
            .replacen("photos/a.jpg", "photos/grey.png", 1),
    );
    ws.photo("photos/a.jpg");
    let deep = image::ImageBuffer::<image::Rgb<u16>, Vec<u16>>::from_fn(900, 600, |x, y| {
        image::Rgb([(x * 70) as u16, (y * 100) as u16, 30_000])
    });
    image::DynamicImage::ImageRgb16(deep)
        .save(ws.path("photos/deep.png"))
        .unwrap();
    let grey = image::GrayImage::from_fn(900, 600, |x, _| image::Luma([(x / 4) as u8]));
    image::DynamicImage::ImageLuma8(grey)
        .save(ws.path("photos/grey.png"))
        .unwrap();
    let output = ws.run(&["check", "report.toml"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn a_cmyk_jpeg_is_set() {
    // tests/fixtures/cmyk.jpg: 600 × 400 px in CMYK, made with Pillow
    // (`Image.new("CMYK", (600, 400), (20, 120, 200, 10)).save(…)`).
    let ws = Workspace::new();
    ws.photo("photos/a.jpg");
    let cmyk = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cmyk.jpg");
    ws.write("photos/cmyk.jpg", std::fs::read(cmyk).unwrap());
    ws.write(
        "report.toml",
        small_report("正文。").replacen("photos/a.jpg", "photos/cmyk.jpg", 1),
    );
    let output = ws.run(&["render", "report.toml", "--layout", "newspaper"]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[cfg(target_os = "linux")]
#[test]
fn a_font_path_into_proc_is_walked_briefly() {
    // A link to /proc would walk for ever: links to folders are not
    // followed, and the walk stops at 8 folders deep and 10,000 entries.
    let ws = Workspace::new();
    std::os::unix::fs::symlink("/proc", ws.path("fonts")).unwrap();
    let start = Instant::now();
    let output = ws.run(&["fonts", "--font-path", "fonts"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn a_render_killed_between_its_renames_is_healed_or_reported_by_the_next() {
    let (ws, before) = rendered();
    // What a render killed (SIGKILL, no handler runs) after renaming its
    // newspaper but before its brochure leaves: the journal naming the
    // set and the brochure's temporary file.
    let journal = "report.newspaper.pdf\nreport.brochure.pdf\n";
    let leave = || {
        ws.write("out/.banmian.set", journal);
        ws.write("out/.banmian-Xq3a9z", "half a brochure");
    };
    // A render of one layout replaces the newspaper only: the brochure
    // may be of another render, and it says so.
    leave();
    let output = ws.run(&["render", "report.toml", "--layout", "newspaper"]);
    let err = stderr(&output);
    assert!(output.status.success(), "{err}");
    assert!(err.contains("[output-interrupted]"), "{err}");
    assert!(err.contains("report.brochure.pdf"), "{err}");
    assert!(!err.contains("report.newspaper.pdf may"), "{err}");
    let names: Vec<String> = ws.outputs();
    assert_eq!(
        names,
        before.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>()
    );
    // A render of the whole set heals it, with a note.
    leave();
    let output = ws.run(&["render", "report.toml"]);
    let err = stderr(&output);
    assert!(output.status.success(), "{err}");
    assert!(err.contains("[output-recovered]"), "{err}");
    assert_eq!(snapshot(&ws), before);
    // Once healed, nothing more is said.
    let output = ws.run(&["render", "report.toml"]);
    assert!(!stderr(&output).contains("output-"), "{}", stderr(&output));
}

#[test]
fn a_full_disk_fails_cleanly_and_keeps_the_previous_output() {
    let (ws, before) = rendered();
    ws.write("longer.toml", small_report(&"正文更长了。".repeat(50)));
    // A file size limit makes every write past 64 KiB fail as a full disk
    // does (EFBIG instead of ENOSPC; SIGXFSZ ignored so the write returns).
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 64 && exec \"$0\" render longer.toml")
        .arg(crate::support::BIN)
        .current_dir(ws.path("."))
        .output()
        .unwrap();
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains("[output-failed]"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(snapshot(&ws), before, "out/ changed or kept a temporary");
}

#[test]
fn an_unwritable_folder_fails_cleanly_for_a_user_who_is_not_root() {
    use std::os::unix::fs::PermissionsExt;
    let (ws, before) = rendered();
    let mode = |m: u32| std::fs::Permissions::from_mode(m);
    std::fs::set_permissions(ws.path("."), mode(0o755)).unwrap();
    std::fs::set_permissions(ws.path("out"), mode(0o555)).unwrap();
    // As root a folder's mode does not stop writes: run as nobody then.
    let as_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let mut command = if as_root {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(crate::support::BIN);
        c
    } else {
        std::process::Command::new(crate::support::BIN)
    };
    let output = command
        .args(["render", "report.toml"])
        .current_dir(ws.path("."))
        .output()
        .unwrap();
    std::fs::set_permissions(ws.path("out"), mode(0o755)).unwrap();
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains("[output-failed]"), "{err}");
    assert!(err.contains("ermission denied"), "{err}");
    assert_eq!(snapshot(&ws), before);
}
