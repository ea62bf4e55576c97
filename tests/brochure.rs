//! The brochure of the example report, through the inspector and the PDF.

use std::path::Path;
use std::sync::OnceLock;

use banmian::inspect::{Inspection, Line, inspect};
use banmian::layouts::Layout;
use banmian::pipeline::{Prepared, compile, prepare};
use banmian::rules::{check_brochure, table};
use hayro_syntax::object::Dict;

use crate::support::headlines;

const MM: f64 = 72.0 / 25.4;

fn example() -> &'static (Prepared, Inspection) {
    static EXAMPLE: OnceLock<(Prepared, Inspection)> = OnceLock::new();
    EXAMPLE.get_or_init(|| {
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/zhongzhan-2020.toml");
        let prepared = prepare(&data, &[]).unwrap_or_else(|e| {
            panic!(
                "{}: {:#?}",
                "the example report is valid",
                e.iter().map(|f| f.headline()).collect::<Vec<_>>()
            )
        });
        let (document, _) = compile(&prepared, Layout::Brochure).unwrap_or_else(|e| {
            panic!(
                "{}: {:#?}",
                "the brochure lays out",
                e.iter().map(|f| f.headline()).collect::<Vec<_>>()
            )
        });
        let inspection = inspect(&document);
        (prepared, inspection)
    })
}

fn squeeze(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{2060}')
        .collect()
}

/// The first line (of at least `min_size` pt) containing `needle`.
fn find<'a>(inspection: &'a Inspection, needle: &str, min_size: f64) -> &'a Line {
    inspection
        .lines
        .iter()
        .find(|l| l.size() >= min_size && squeeze(&l.text()).contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle}"))
}

#[test]
fn a4_pages_ending_on_an_even_page() {
    let (_, inspection) = example();
    let n = inspection.pages.len();
    assert!(n >= 8 && n % 2 == 0, "{n} pages");
    for &(w, h) in &inspection.pages {
        assert!(
            (w - 210.0 * MM).abs() < 0.5 && (h - 297.0 * MM).abs() < 0.5,
            "page {w} × {h}"
        );
    }
}

#[test]
fn every_paragraph_headline_and_caption_appears_in_order() {
    let (prepared, inspection) = example();
    // Body and headlines only: running heads, folios and floated photo
    // captions sit between the lines of a paragraph that crosses a page.
    let contents_page = 2;
    let text: String = inspection
        .lines
        .iter()
        .filter(|l| l.page > contents_page && l.family() == "Noto Serif CJK SC")
        .map(|l| squeeze(&l.text()))
        .collect();
    let report = &prepared.loaded.report;
    let mut at = 0;
    for section in &report.sections {
        let headline = squeeze(&section.headline.lines().concat());
        at += text[at..]
            .find(&headline)
            .unwrap_or_else(|| panic!("headline {headline} missing or out of order"));
        for paragraph in &section.paragraphs {
            let paragraph = squeeze(paragraph);
            at += text[at..]
                .find(&paragraph)
                .unwrap_or_else(|| panic!("paragraph missing or out of order: {paragraph}"));
        }
    }
    let everything: String = inspection
        .lines
        .iter()
        .map(|l| squeeze(&l.text()))
        .collect();
    for photo in &report.photos {
        assert!(
            everything.contains(&squeeze(&photo.caption)),
            "caption missing: {}",
            photo.caption
        );
    }
}

#[test]
fn contents_numbers_are_the_pages_where_sections_start() {
    let (prepared, inspection) = example();
    let contents: Vec<&Line> = inspection.lines.iter().filter(|l| l.page == 2).collect();
    for section in &prepared.loaded.report.sections {
        let first = squeeze(section.headline.lines()[0]);
        let entry = contents
            .iter()
            .find(|l| squeeze(&l.text()).starts_with(&first))
            .unwrap_or_else(|| panic!("no contents entry for {first}"));
        // The entry's page number: digits at the end of its line, or a run of
        // digits on the same baseline.
        let digits = |l: &Line| -> String {
            let t = squeeze(&l.text());
            let tail: Vec<char> = t.chars().rev().take_while(char::is_ascii_digit).collect();
            tail.into_iter().rev().collect()
        };
        // A long entry wraps: its number ends the entry's last line.
        let index = contents
            .iter()
            .position(|l| std::ptr::eq(*l, *entry))
            .unwrap();
        let number = contents[index..(index + 3).min(contents.len())]
            .iter()
            .copied()
            .chain(
                contents
                    .iter()
                    .copied()
                    .filter(|l| (l.baseline() - entry.baseline()).abs() < 1.0),
            )
            .map(digits)
            .find(|d| !d.is_empty())
            .unwrap_or_else(|| panic!("no page number for {first}"));
        let number: usize = number.parse().unwrap();
        let start = find(inspection, &first, 16.0).page;
        assert_eq!(
            number, start,
            "contents says {first} is on page {number}, it starts on {start}"
        );
    }
}

#[test]
fn every_caption_sits_under_its_photo_on_the_same_page() {
    let (prepared, inspection) = example();
    // The back cover lists captions with their credits, without photos.
    let back = inspection.pages.len();
    for photo in &prepared.loaded.report.photos {
        let caption = squeeze(&photo.caption);
        let lines: Vec<&Line> = inspection
            .lines
            .iter()
            .filter(|l| {
                l.page < back
                    && l.family() == "Banmian Kai"
                    && squeeze(&l.text()).starts_with(&caption[..caption.len().min(12)])
            })
            .collect();
        assert!(!lines.is_empty(), "caption not found: {caption}");
        for line in lines {
            let above = inspection.pictures.iter().any(|p| {
                p.page == line.page
                    && p.bbox[3] <= line.baseline()
                    && line.baseline() - p.bbox[3] < 30.0
                    && p.bbox[0] <= line.left() + 0.5
            });
            assert!(
                above,
                "caption without its photo just above it, page {}: {caption}",
                line.page
            );
        }
    }
}

#[test]
fn no_section_headline_in_the_bottom_fifth_of_a_page() {
    let (prepared, inspection) = example();
    let height = inspection.pages[0].1;
    for section in &prepared.loaded.report.sections {
        let line = find(inspection, &squeeze(section.headline.lines()[0]), 16.0);
        assert!(
            line.baseline() < height * 0.8,
            "headline low on its page: {}",
            line.text()
        );
    }
}

#[test]
fn the_pdf_has_bookmarks_for_the_sections_and_metadata() {
    let (prepared, _) = example();
    let dir = tempfile::tempdir().unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/zhongzhan-2020.toml");
    let out = dir.path().join("b.pdf");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_banmian"))
        .args([
            "render",
            data.to_str().unwrap(),
            "--layout",
            "brochure",
            "-o",
            out.to_str().unwrap(),
        ])
        .status()
        .unwrap();
    assert!(status.success());
    let pdf = hayro_syntax::Pdf::new(std::fs::read(&out).unwrap()).unwrap();
    let catalog: Dict = pdf.xref().get(pdf.xref().root_id()).unwrap();
    let outlines: Dict = catalog.get(b"Outlines").unwrap();
    let count: i64 = outlines.get(b"Count").unwrap();
    assert_eq!(
        count.unsigned_abs() as usize,
        prepared.loaded.report.sections.len()
    );
    let lang: hayro_syntax::object::String = catalog.get(b"Lang").unwrap();
    assert_eq!(lang.as_bytes(), b"zh-CN");
    let info = pdf.metadata();
    assert!(info.title.is_some() && info.author.is_some());
}

#[test]
fn a5_is_selected_in_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let report = crate::support::example_in(dir.path()) + "\n[brochure]\npaper = \"a5\"\n";
    std::fs::write(dir.path().join("a5.toml"), report).unwrap();
    let prepared = prepare(&dir.path().join("a5.toml"), &[]).unwrap_or_else(|e| {
        panic!(
            "{}: {:#?}",
            "valid report",
            e.iter().map(|f| f.headline()).collect::<Vec<_>>()
        )
    });
    let (document, _) = compile(&prepared, Layout::Brochure).unwrap_or_else(|e| {
        panic!(
            "{}: {:#?}",
            "the A5 brochure lays out",
            e.iter().map(|f| f.headline()).collect::<Vec<_>>()
        )
    });
    let inspection = inspect(&document);
    for &(w, h) in &inspection.pages {
        assert!(
            (w - 148.0 * MM).abs() < 0.5 && (h - 210.0 * MM).abs() < 0.5,
            "page {w} × {h}"
        );
    }
    // Body lines only: floated captions and running heads sit between the
    // lines of a paragraph that crosses a page.
    let text: String = inspection
        .lines
        .iter()
        .filter(|l| l.page > 2 && l.family() == "Noto Serif CJK SC")
        .map(|l| squeeze(&l.text()))
        .collect();
    for section in &prepared.loaded.report.sections {
        for paragraph in &section.paragraphs {
            assert!(
                text.contains(&squeeze(paragraph)),
                "paragraph missing on A5: {paragraph}"
            );
        }
    }
}

/// A brochure laid out and measured.
struct Booklet {
    document: typst_layout::PagedDocument,
    /// The rules' table, and the breaches it counts.
    table: String,
    broken: usize,
    /// What laying out and composing it said.
    said: Vec<banmian::findings::Finding>,
}

impl Booklet {
    fn pages(&self) -> usize {
        self.document.pages().len()
    }
}

/// The brochure of `data`, laid out and measured against its rules.
fn brochure_of(data: &Path) -> Booklet {
    let prepared = prepare(data, &[]).unwrap_or_else(|e| panic!("{:#?}", headlines(&e)));
    let (document, found) =
        compile(&prepared, Layout::Brochure).unwrap_or_else(|e| panic!("{:#?}", headlines(&e)));
    let counts = check_brochure(&prepared, &document, &inspect(&document));
    let broken = counts.iter().map(|c| c.count).sum();
    let mut said = found;
    said.extend(banmian::brochure::findings(
        prepared.data.booklet().expect("the brochure was composed"),
        &prepared.loaded,
    ));
    Booklet {
        document,
        table: table(&counts),
        broken,
        said,
    }
}

#[test]
fn the_example_is_a_booklet_of_a_multiple_of_four_pages_with_no_breach() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/zhongzhan-2020.toml");
    let booklet = brochure_of(&data);
    assert_eq!(booklet.pages() % 4, 0, "{} pages", booklet.pages());
    assert_eq!(booklet.broken, 0, "{}", booklet.table);
}

/// Reports of every shape: 1 to 10 stories, 0 to 20 photos, 1,000 to
/// 20,000 characters.
#[test]
fn generated_reports_make_booklets_of_a_multiple_of_four_pages_with_no_breach() {
    let mut failures = Vec::new();
    let mut counts = Vec::new();
    for seed in 1..=24u64 {
        let total = 1_000 + (seed as usize * 7_919) % 19_001;
        let case = crate::corpus::generate(seed + 500, Some(total), (1, 10), (0, 20), true);
        let dir = tempfile::tempdir().unwrap();
        let data = crate::corpus::write(dir.path(), &case);
        let booklet = brochure_of(&data);
        let pages = booklet.pages();
        counts.push(pages);
        if !pages.is_multiple_of(4) || booklet.broken > 0 {
            failures.push(format!(
                "{}: {pages} pages, {} breach(es)\n{}{:#?}",
                case.name,
                booklet.broken,
                booklet.table,
                headlines(&booklet.said)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Not one size for all: the counts follow the copy.
    counts.sort_unstable();
    counts.dedup();
    assert!(counts.len() >= 3, "{counts:?}");
}

/// Mean absolute difference of two equally sized RGBA pixmaps' pixels.
fn difference(a: &[u8], b: &[u8]) -> f64 {
    let sum: u64 = a
        .iter()
        .zip(b)
        .map(|(x, y)| u64::from(x.abs_diff(*y)))
        .sum();
    sum as f64 / a.len().max(1) as f64
}

#[test]
fn the_imposed_brochure_pairs_its_pages_in_printers_spreads() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/zhongzhan-2020.toml");
    let prepared = prepare(&data, &[]).unwrap();
    let (document, _) = compile(&prepared, Layout::Brochure).unwrap();
    let pages = document.pages().len();
    let pdf = typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).unwrap();
    let g = prepared.data.booklet().unwrap().geometry;
    let sheets = banmian::brochure::impose::impose(
        pdf,
        pages,
        (g.width, g.height),
        &prepared.data.booklet().unwrap().bleed_pages(),
        &prepared.fonts,
        prepared.date,
    )
    .unwrap_or_else(|e| panic!("{:#?}", headlines(&e)));
    assert_eq!(sheets.pages().len(), pages / 2);
    let options = typst_render::RenderOptions {
        pixel_per_pt: (12.0 / 72.0).into(),
        render_bleed: false,
    };
    let alone: Vec<Vec<u8>> = document
        .pages()
        .iter()
        .map(|p| typst_render::render(p, &options).data().to_vec())
        .collect();
    let order = banmian::brochure::impose::saddle_order(pages);
    for (k, sheet) in sheets.pages().iter().enumerate() {
        let size = sheet.frame.size();
        assert!(
            (size.x.to_pt() - 2.0 * g.width).abs() < 0.5,
            "sheet {k} is twice a page wide"
        );
        assert!((size.y.to_pt() - g.height).abs() < 0.5);
        let pixmap = typst_render::render(sheet, &options);
        if let Ok(keep) = std::env::var("BANMIAN_KEEP") {
            let big = typst_render::render(
                sheet,
                &typst_render::RenderOptions {
                    pixel_per_pt: (40.0 / 72.0).into(),
                    render_bleed: false,
                },
            );
            std::fs::create_dir_all(&keep).unwrap();
            big.save_png(Path::new(&keep).join(format!("sheet-{}.png", k + 1)))
                .unwrap();
        }
        let (w, h) = (pixmap.width() as usize, pixmap.height() as usize);
        let half = |side: usize| -> Vec<u8> {
            let mut out = Vec::new();
            for y in 0..h {
                let row = &pixmap.data()[(y * w + side * w / 2) * 4..][..(w / 2) * 4];
                out.extend_from_slice(row);
            }
            out
        };
        for (side, number) in order[k].iter().enumerate() {
            let number = number.expect("a multiple of 4: no blank");
            let printed = half(side);
            // The page printed there looks like the brochure's page of that
            // number, and more like it than like any other.
            let scores: Vec<f64> = alone
                .iter()
                .map(|p| {
                    if p.len() == printed.len() {
                        difference(p, &printed)
                    } else {
                        f64::INFINITY
                    }
                })
                .collect();
            let best = scores
                .iter()
                .enumerate()
                .min_by(|a, b| a.1.total_cmp(b.1))
                .map(|(i, _)| i + 1)
                .unwrap();
            assert_eq!(best, number, "sheet {k}, side {side}: {scores:?}");
            // (The cover is trimmed of its bleed and so a little scaled.)
            assert!(
                scores[number - 1] < 20.0,
                "sheet {k}, side {side}: {scores:?}"
            );
        }
    }
    // Printer's spreads: the outer sheet backs the back cover with the
    // front cover.
    assert_eq!(order[0], [Some(pages), Some(1)]);
}

#[test]
fn render_impose_saddle_writes_the_sheets_beside_the_brochure() {
    let out = tempfile::tempdir().unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/zhongzhan-2020.toml");
    let folder = format!("{}/", out.path().display());
    let run = |extra: &[&str]| {
        std::process::Command::new(crate::support::BIN)
            .args([
                "render",
                data.to_str().unwrap(),
                "--layout",
                "brochure",
                "-o",
                &folder,
            ])
            .args(extra)
            .output()
            .unwrap()
    };
    let output = run(&["--impose", "saddle"]);
    assert!(
        output.status.success(),
        "{}",
        crate::support::stderr(&output)
    );
    let load =
        |name: &str| hayro_syntax::Pdf::new(std::fs::read(out.path().join(name)).unwrap()).unwrap();
    let brochure = load("zhongzhan-2020.brochure.pdf");
    let sheets = load("zhongzhan-2020.brochure.imposed.pdf");
    assert_eq!(sheets.pages().len() * 2, brochure.pages().len());
    let width = |pdf: &hayro_syntax::Pdf| -> f64 {
        let media = pdf.pages()[1].media_box();
        media.x1 - media.x0
    };
    assert!((width(&sheets) - 2.0 * width(&brochure)).abs() < 1.0);
    // Only the brochure can be imposed, and only as a PDF.
    let output = run(&["--impose", "saddle", "--format", "png"]);
    assert_eq!(output.status.code(), Some(2));
    let output = std::process::Command::new(crate::support::BIN)
        .args([
            "render",
            data.to_str().unwrap(),
            "--layout",
            "newspaper",
            "--impose",
            "saddle",
            "-o",
            &folder,
        ])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        crate::support::stderr(&output)
    );
}

#[test]
fn the_photo_example_is_a_booklet_its_photo_story_a_gallery_its_cover_the_period() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/zhongzhan-2020-photos.toml");
    let booklet = brochure_of(&data);
    assert_eq!(booklet.pages() % 4, 0, "{} pages", booklet.pages());
    assert_eq!(booklet.broken, 0, "{}", booklet.table);
    let document = &booklet.document;
    let inspection = inspect(document);
    // The eight photos of the photo story: one or two gallery pages.
    let pages_with_photos: std::collections::BTreeSet<usize> =
        banmian::inspect::markers(document, "banmian-photo")
            .iter()
            .filter(|m| m.value["photo"].as_u64().is_some_and(|p| p < 8) && m.page > 1)
            .map(|m| m.page)
            .collect();
    assert!(pages_with_photos.len() <= 2, "{pages_with_photos:?}");
    // The cover says what year the report covers, not when it appeared.
    let cover: String = inspection
        .lines
        .iter()
        .filter(|l| l.page == 1)
        .map(|l| squeeze(&l.text()))
        .collect();
    assert!(cover.contains("2020年"), "{cover}");
    assert!(
        !cover.contains("2021年年终") && cover.contains("2021年1月5日"),
        "{cover}"
    );
    // The pull quote, large, on its story's page.
    let quote = find(&inspection, "六氟磷酸锂产销量跃居全球第一", 15.0);
    let story = find(&inspection, "抓牢实体经济不放松", 20.0);
    assert!(quote.page == story.page || quote.page == story.page + 1);
}

#[test]
fn check_of_the_brochure_alone_says_nothing_of_the_newspaper() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/zhongzhan-2020.toml");
    let output = std::process::Command::new(crate::support::BIN)
        .args([
            "check",
            data.to_str().unwrap(),
            "--layout",
            "brochure",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let codes: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(codes.iter().all(|c| !c.starts_with("fit-")), "{codes:?}");
}

#[test]
fn a_cover_is_never_made_of_a_photo_without_the_pixels_for_it() {
    // Landscape photos of 1600 × 1067 px fill an A4 cover at under 100 ppi:
    // the cover goes without a photo rather than refuse the brochure.
    let ws = crate::support::Workspace::new();
    ws.write("photos/a.jpg", crate::support::jpeg(1600, 1067));
    ws.write(
        "report.toml",
        crate::support::small_report("第一篇的正文。"),
    );
    let output = ws.run(&[
        "check",
        "report.toml",
        "--layout",
        "brochure",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let cover_too_soft = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "photo-resolution" && f["severity"] == "error");
    assert!(!cover_too_soft, "{json:#}");
}
