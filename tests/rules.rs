//! The typographic rules (issue: newspaper-grade setting) hold on the
//! example page and on generated reports with much less and much more
//! text, many photos, Latin-heavy copy and long numbers: `banmian rules`
//! counts zero breaches of every rule on each.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use banmian::inspect::inspect;
use banmian::layouts::Layout;
use banmian::render::{compile, prepare};
use banmian::rules::{RuleCount, check};

/// Lays out a report and counts the breaches of every rule.
fn breaches(data: &Path) -> Vec<RuleCount> {
    let headlines = |found: Vec<banmian::findings::Finding>| {
        found.iter().map(|f| f.headline()).collect::<Vec<_>>()
    };
    let prepared = prepare(data, &[]).unwrap_or_else(|e| panic!("{:#?}", headlines(e)));
    let (document, warnings) =
        compile(&prepared, Layout::Newspaper).unwrap_or_else(|e| panic!("{:#?}", headlines(e)));
    // The page is full: no column group ends short of the foot.
    assert!(warnings.is_empty(), "{:#?}", headlines(warnings));
    for (index, headline, area) in prepared.data.text_areas() {
        assert_eq!(area.short, 0, "section {index} {headline} is not balanced");
    }
    check(&prepared, &document, &inspect(&document))
}

fn assert_clean(counts: &[RuleCount]) {
    let broken: Vec<_> = counts.iter().filter(|c| c.count > 0).collect();
    assert!(broken.is_empty(), "{}", banmian::rules::table(counts));
    assert!(counts.len() >= 12);
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

/// Sentences of the seed, to make copy of any length from.
fn sentences() -> Vec<String> {
    let seed = include_str!("fixtures/seed-zhongzhan-2020.txt");
    let flat: String = seed.chars().filter(|c| !c.is_whitespace()).collect();
    flat.replace(',', "，")
        .replace('８', "8")
        .split_inclusive('。')
        .filter(|s| s.chars().count() > 12 && !s.contains('/') && !s.contains("本报记者"))
        .map(str::to_string)
        .collect()
}

/// A paragraph of about `chars` characters, starting at sentence `from`.
fn copy(chars: usize, from: usize, extra: &[&str]) -> String {
    let all = sentences();
    let mut out = String::new();
    let mut i = from;
    let mut e = 0;
    while out.chars().count() < chars {
        if !extra.is_empty() && i.is_multiple_of(2) {
            out.push_str(extra[e % extra.len()]);
            e += 1;
        }
        out.push_str(&all[i % all.len()]);
        i += 1;
    }
    out
}

struct Story {
    place: &'static str,
    paragraphs: Vec<String>,
    row_photos: usize,
    inline: Option<(u8, u8, u16, bool)>,
}

/// Writes a report and its photos into a fresh folder.
fn write_report(dir: &Path, main: u8, stories: &[Story]) -> PathBuf {
    let mut toml = String::from(
        "title = \"测试专版\"\nlede = [\"这是一段导语，用来测试版面在不同篇幅下的排版效果。\"]\n\n\
         [publication]\nname = \"测试日报\"\ndate = \"2024-05-06\"\npage = 3\n\n\
         [byline]\ntext = \"本报记者某某\"\n\n",
    );
    let _ = writeln!(toml, "[newspaper]\nmain = {main}\n");
    let headlines = [
        ("抓牢实体经济不放松", "工业转型迈出新步伐"),
        ("扎实推进生态城建设", "城市更新进入新阶段"),
        ("强力推进项目建设", "积蓄发展新动能"),
        ("践行共建共享理念", "民生事业有新提升"),
        ("强化党建引领", "管党治党呈现新气象"),
        ("疫情防控取得战果", "复工复产按下快进键"),
    ];
    let mut photos = String::new();
    let mut n = 0;
    for (i, story) in stories.iter().enumerate() {
        let (a, b) = headlines[i % headlines.len()];
        let _ = writeln!(
            toml,
            "[[sections]]\nid = \"s{i}\"\nplace = \"{}\"\nheadline = [\"{a}\", \"{b}\"]",
            story.place
        );
        let _ = writeln!(toml, "paragraphs = {:?}\n", story.paragraphs);
        let width = if story.place == "side" {
            8 - main
        } else {
            main
        };
        for _ in 0..story.row_photos {
            n += 1;
            let _ = writeln!(
                photos,
                "[[photos]]\nfile = \"photos/p{n}.jpg\"\ncaption = \"第{n}幅图片的说明文字。\"\nsection = \"s{i}\"\ncolumns = {}\n",
                (width / 3).max(2)
            );
        }
        if let Some((column, columns, line, circle)) = story.inline {
            n += 1;
            let _ = writeln!(
                photos,
                "[[photos]]\nfile = \"photos/p{n}.jpg\"\ncaption = \"第{n}幅图片。\"\ncredit = \"本报记者　某某　摄\"\nsection = \"s{i}\"\ncolumns = {columns}\nplace = \"inline\"\ncolumn = {column}\nline = {line}{}\n",
                if circle { "\nshape = \"circle\"" } else { "" }
            );
        }
    }
    toml.push_str(&photos);
    std::fs::create_dir_all(dir.join("photos")).unwrap();
    for i in 1..=n {
        let image = image::RgbImage::from_fn(1600, 1067, |x, y| {
            image::Rgb([(x / 7 + i as u32 * 20) as u8, (y / 5) as u8, 120])
        });
        image::DynamicImage::ImageRgb8(image)
            .save(dir.join(format!("photos/p{i}.jpg")))
            .unwrap();
    }
    let path = dir.join("report.toml");
    std::fs::write(&path, &toml).unwrap();
    // To look at a generated page: BANMIAN_KEEP=/some/folder keeps a copy.
    if let Ok(keep) = std::env::var("BANMIAN_KEEP") {
        let name = std::thread::current()
            .name()
            .unwrap_or("report")
            .replace("::", "-");
        let target = Path::new(&keep).join(name);
        std::fs::create_dir_all(target.join("photos")).unwrap();
        for entry in std::fs::read_dir(dir.join("photos")).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), target.join("photos").join(entry.file_name())).unwrap();
        }
        std::fs::write(target.join("report.toml"), &toml).unwrap();
    }
    path
}

fn story(
    place: &'static str,
    paragraphs: &[usize],
    from: usize,
    row_photos: usize,
    inline: Option<(u8, u8, u16, bool)>,
) -> Story {
    Story {
        place,
        paragraphs: paragraphs
            .iter()
            .enumerate()
            .map(|(i, &c)| copy(c, from + i * 3, &[]))
            .collect(),
        row_photos,
        inline,
    }
}

#[test]
fn a_report_with_much_less_text_breaks_no_rule() {
    let dir = tempfile::tempdir().unwrap();
    let stories = [
        story("main", &[180, 120, 90], 0, 3, None),
        story("main", &[150, 100], 5, 3, None),
        story("main", &[300, 200, 150], 9, 3, Some((3, 2, 1, true))),
        story("side", &[120, 80], 12, 2, None),
        story("side", &[100, 90], 15, 2, None),
    ];
    assert_clean(&breaches(&write_report(dir.path(), 6, &stories)));
}

#[test]
fn a_report_with_much_more_text_breaks_no_rule() {
    let dir = tempfile::tempdir().unwrap();
    let stories = [
        story("main", &[500, 400, 450], 0, 3, Some((4, 2, 4, false))),
        story("main", &[600, 500], 10, 0, Some((2, 2, 2, true))),
        story("main", &[450, 380], 20, 3, None),
        story("side", &[700], 30, 1, None),
        story("side", &[500], 40, 0, Some((1, 1, 3, false))),
    ];
    assert_clean(&breaches(&write_report(dir.path(), 6, &stories)));
}

#[test]
fn a_report_with_many_photos_breaks_no_rule() {
    let dir = tempfile::tempdir().unwrap();
    let stories = [
        story("main", &[500, 400], 0, 3, Some((2, 2, 1, true))),
        story("main", &[450, 350], 7, 3, Some((4, 1, 1, false))),
        story("main", &[250, 200], 14, 3, None),
        story("side", &[150, 100], 18, 2, None),
        story("side", &[200, 100], 22, 1, Some((1, 1, 2, false))),
    ];
    // Fifteen photos: 3 + 1, 3 + 1, 3, 2, 1 + 1.
    assert_clean(&breaches(&write_report(dir.path(), 6, &stories)));
}

#[test]
fn latin_heavy_copy_and_long_numbers_break_no_rule() {
    let dir = tempfile::tempdir().unwrap();
    let latin = [
        "GDP同比增长5.6%，CPI上涨2.3%，PM2.5年均浓度降到38µg/m³。",
        "全区新建5G基站1200个，Wi-Fi覆盖率达98.5%，IPv6改造全面完成。",
        "龙佰集团TiO₂产能达到1,010,000吨，LiPF6产销量居全球第一。",
        "累计实现进出口总值1234567890.12元，同比增长123456.789%。",
        "项目编号ZZQ-2020-000123456789已于2020年12月31日完成验收。",
    ];
    let latin: Vec<&str> = latin
        .iter()
        .map(|s| s.replace("TiO₂", "TiO2"))
        .map(|s| Box::leak(s.into_boxed_str()) as &str)
        .collect();
    let heavy = |chars: usize, from: usize| copy(chars, from, &latin);
    let stories = [
        Story {
            place: "main",
            paragraphs: vec![heavy(400, 0), heavy(350, 3)],
            row_photos: 3,
            inline: Some((3, 2, 2, false)),
        },
        Story {
            place: "main",
            paragraphs: vec![heavy(300, 8), heavy(200, 11)],
            row_photos: 3,
            inline: None,
        },
        Story {
            place: "main",
            paragraphs: vec![heavy(300, 14), heavy(250, 17)],
            row_photos: 0,
            inline: Some((2, 2, 1, true)),
        },
        Story {
            place: "side",
            paragraphs: vec![heavy(250, 20)],
            row_photos: 2,
            inline: None,
        },
        Story {
            place: "side",
            paragraphs: vec![heavy(150, 24), heavy(100, 27)],
            row_photos: 1,
            inline: None,
        },
    ];
    assert_clean(&breaches(&write_report(dir.path(), 6, &stories)));
}
