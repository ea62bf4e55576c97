//! The newspaper page composes itself from any reasonable report: a
//! generated corpus of reports — 2 to 10 stories, 0 to 12 photos (some
//! portrait), 600 to 9,000 characters, with and without key figures, short
//! and long headlines, one-sentence stories, Latin-heavy copy — each either
//! composes with zero breaches of every rule or fails with errors that say
//! per story, in characters and lines, what to change. Pins are kept or
//! named, the lead follows priority, and the same input gives the same
//! page.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use banmian::findings::Finding;

use crate::support::headlines;
use banmian::inspect::inspect;
use banmian::layouts::Layout;
use banmian::pipeline::{Prepared, compile, prepare};
use banmian::rules::{check, table};
use banmian::typeset::Composition;

/// A small deterministic generator (xorshift64*), so the corpus is the
/// same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in lo..=hi.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }
}

/// Sentences of the seed, to make copy of any length from.
fn sentences() -> &'static [String] {
    static SENTENCES: OnceLock<Vec<String>> = OnceLock::new();
    SENTENCES.get_or_init(|| {
        let seed = include_str!("fixtures/seed-zhongzhan-2020.txt");
        let flat: String = seed.chars().filter(|c| !c.is_whitespace()).collect();
        flat.replace(',', "，")
            .replace('８', "8")
            .split_inclusive('。')
            .filter(|s| s.chars().count() > 12 && !s.contains('/') && !s.contains("本报记者"))
            .map(str::to_string)
            .collect()
    })
}

/// Latin-heavy sentences: numbers, units, abbreviations.
const LATIN: [&str; 5] = [
    "GDP同比增长5.6%，CPI上涨2.3%，PM2.5年均浓度降到38微克每立方米。",
    "全区新建5G基站1200个，Wi-Fi覆盖率达98.5%，IPv6改造全面完成。",
    "龙佰集团TiO2产能达到101万吨，LiPF6产销量居全球第一。",
    "累计实现进出口总值31.4亿元，同比增长26%，连续8个月领跑全市。",
    "项目编号ZZQ-2020-0123已于2020年12月31日完成验收。",
];

/// About `chars` characters of copy from sentence `from`, Latin-heavy or
/// not.
fn copy(chars: usize, from: usize, latin: bool) -> String {
    let all = sentences();
    let mut out = String::new();
    let mut i = from;
    while out.chars().count() < chars {
        if latin && i.is_multiple_of(2) {
            out.push_str(LATIN[i % LATIN.len()]);
        } else {
            out.push_str(&all[i % all.len()]);
        }
        i += 1;
    }
    out
}

/// Headlines: (lines), short and long.
const HEADLINES: [&[&str]; 8] = [
    &["强化党建引领", "管党治党呈现新气象"],
    &["抓牢实体经济不放松", "工业转型高质量发展迈出新步伐"],
    &["扎实推进中铁太行国际生态城建设"],
    &["践行共建共享理念", "民生事业发展有了新提升"],
    &["招商引资结硕果"],
    &["疫情防控取得“双零”战果", "复工复产率先按下“快进键”"],
    &["乡村振兴见成效"],
    &["不断积蓄高质量发展新动能"],
];

/// One generated report, as TOML.
pub(crate) struct Case {
    pub(crate) name: String,
    pub(crate) toml: String,
    pub(crate) photos: Vec<bool>,
}

/// The corpus: `count` reasonable reports (copy and photos about what a
/// page holds), from seed 1.
fn corpus(count: usize) -> Vec<Case> {
    (1..=count).map(|seed| case(seed as u64, None)).collect()
}

/// The kind of report a feature page usually gets: 3 to 7 stories of some
/// length, 3 to 9 photos, copy about what the page holds.
fn feature(seed: u64) -> Case {
    generate(seed, None, (3, 7), (3, 9), false)
}

/// Lines of a column the module area holds, about (8 columns × 92 lines).
const AREA: f64 = 740.0;

/// One report. `total`: its characters; without it, about what the page
/// holds beside its photos, headlines and key figures.
fn case(seed: u64, total: Option<usize>) -> Case {
    generate(seed, total, (2, 10), (0, 12), true)
}

/// A report from `seed`: stories and photos in the ranges given, maybe a
/// one-sentence story.
pub(crate) fn generate(
    seed: u64,
    total: Option<usize>,
    stories: (usize, usize),
    photos: (usize, usize),
    short_ones: bool,
) -> Case {
    let mut rng = Rng(seed * 0x9E37_79B9_7F4A_7C15 + 1);
    let stories = rng.range(stories.0, stories.1);
    let photos = rng.range(photos.0, photos.1);
    let figures = rng.range(0, 1) == 1;
    let portrait: Vec<bool> = (0..photos).map(|_| rng.range(0, 3) == 0).collect();
    // What the page holds beside photos at a middling size (a landscape
    // photo about 3 columns × 22 lines with its caption, a portrait 2 × 30),
    // headlines (about 3 columns × 5 lines), rule lines and the figures.
    let total = total.unwrap_or_else(|| {
        let photo_lines: f64 = portrait
            .iter()
            .map(|&p| if p { 60.0 } else { 66.0 })
            .sum::<f64>()
            .min(AREA * 0.5);
        let lines = AREA - photo_lines - stories as f64 * 21.0 - if figures { 50.0 } else { 0.0 };
        (lines.max(60.0) * 13.0 * rng.range(85, 105) as f64 / 100.0) as usize
    });
    let latin = rng.range(0, 3) == 0;
    let one_sentence = short_ones && stories > 2 && rng.range(0, 2) == 0;
    let mut toml = String::from(
        "title = \"测试专版\"\nlede = [\"这是一段导语，用来测试版面在不同篇幅、不同图片数量下的排版效果。\"]\n\n\
         [publication]\nname = \"测试日报\"\ndate = \"2024-05-06\"\npage = 3\n\n\
         [byline]\ntext = \"本报记者某某\"\nphotos = \"本报记者某某摄\"\n\n",
    );
    // The first story is the longest; the rest share what is left.
    let weights: Vec<usize> = (0..stories)
        .map(|i| if i == 0 { 3 } else { rng.range(1, 3) })
        .collect();
    let sum: usize = weights.iter().sum();
    for (i, weight) in weights.iter().enumerate() {
        let headline = HEADLINES[rng.range(0, HEADLINES.len() - 1)];
        let _ = writeln!(toml, "[[sections]]\nid = \"s{i}\"\nheadline = {headline:?}");
        let chars = total * weight / sum;
        let paragraphs: Vec<String> = if one_sentence && i == stories - 1 {
            vec![sentences()[(seed as usize + i) % sentences().len()].clone()]
        } else {
            let n = rng.range(1, 4);
            (0..n)
                .map(|p| {
                    copy(
                        (chars / n).max(40),
                        (seed as usize * 7 + i * 5 + p * 3) % 97,
                        latin,
                    )
                })
                .collect()
        };
        let _ = writeln!(toml, "paragraphs = {paragraphs:?}\n");
    }
    for p in 0..photos {
        // Most photos go to the first stories.
        let story = rng.range(0, stories - 1).min(rng.range(0, stories - 1));
        let _ = writeln!(
            toml,
            "[[photos]]\nfile = \"photos/p{p}.jpg\"\ncaption = \"第{}幅图片的说明文字。\"\nsection = \"s{story}\"\n",
            p + 1
        );
    }
    if figures {
        toml.push_str("[figures]\ntitle = \"数说2024\"\nitems = [\n");
        for (value, unit, label) in [
            ("1.9", "%", "地区生产总值增长"),
            ("8.9", "亿元", "一般公共预算收入"),
            ("58.04", "亿元", "全年新增贷款，居全市第一"),
            ("13", "个", "贫困村全部出列"),
        ] {
            let _ = writeln!(
                toml,
                "  {{ value = \"{value}\", unit = \"{unit}\", label = \"{label}\" }},"
            );
        }
        toml.push_str("]\n");
    }
    Case {
        name: format!(
            "seed {seed}: {stories} stories, about {total} characters, {photos} photos ({} portrait){}{}{}",
            portrait.iter().filter(|p| **p).count(),
            if figures { ", key figures" } else { "" },
            if latin { ", Latin-heavy" } else { "" },
            if one_sentence {
                ", a one-sentence story"
            } else {
                ""
            }
        ),
        toml,
        photos: portrait,
    }
}

/// A landscape (3:2) and a portrait (2:3) photo of a modern camera (6
/// megapixels), encoded once.
fn photo_bytes(portrait: bool) -> &'static [u8] {
    static BYTES: OnceLock<(Vec<u8>, Vec<u8>)> = OnceLock::new();
    let (landscape, upright) = BYTES.get_or_init(|| {
        let encode = |w: u32, h: u32| {
            let image = image::RgbImage::from_fn(w, h, |x, y| {
                image::Rgb([(x / 7) as u8, (y / 5) as u8, 120])
            });
            let mut bytes = std::io::Cursor::new(Vec::new());
            image::DynamicImage::ImageRgb8(image)
                .write_to(&mut bytes, image::ImageFormat::Jpeg)
                .unwrap();
            bytes.into_inner()
        };
        (encode(3000, 2000), encode(2000, 3000))
    });
    if portrait { upright } else { landscape }
}

/// Writes a case into `dir`; `BANMIAN_KEEP=/folder` keeps a copy to look
/// at.
pub(crate) fn write(dir: &Path, case: &Case) -> PathBuf {
    let write_into = |dir: &Path| {
        std::fs::create_dir_all(dir.join("photos")).unwrap();
        for (p, &portrait) in case.photos.iter().enumerate() {
            std::fs::write(dir.join(format!("photos/p{p}.jpg")), photo_bytes(portrait)).unwrap();
        }
        std::fs::write(dir.join("report.toml"), &case.toml).unwrap();
        dir.join("report.toml")
    };
    if let Ok(keep) = std::env::var("BANMIAN_KEEP") {
        let name: String = case.name.split(':').next().unwrap().replace(' ', "-");
        write_into(&Path::new(&keep).join(name));
    }
    write_into(dir)
}

/// What became of one report.
enum Outcome {
    /// Composed; the rules' table.
    Page(String, usize),
    /// Refused, with these errors.
    Refused(Vec<Finding>),
}

fn run(data: &Path) -> Outcome {
    let prepared: Prepared = match prepare(data, &[]) {
        Ok(prepared) => prepared,
        Err(found) => return Outcome::Refused(found),
    };
    let errors: Vec<Finding> = prepared
        .fit
        .iter()
        .filter(|f| f.is_error())
        .cloned()
        .collect();
    if !errors.is_empty() {
        return Outcome::Refused(errors);
    }
    let (document, warnings) =
        compile(&prepared, Layout::Newspaper).unwrap_or_else(|e| panic!("{:#?}", headlines(&e)));
    assert!(
        warnings
            .iter()
            .all(|w| w.code.starts_with("photo-") || w.code.starts_with("lint-")),
        "{:#?}",
        headlines(&warnings)
    );
    let counts = check(&prepared, &document, &inspect(&document));
    let broken = counts.iter().map(|c| c.count).sum();
    Outcome::Page(table(&counts), broken)
}

/// An error that tells the editor what to do: a fit code, the story's
/// characters and lines, and an amount in its hint.
fn actionable(finding: &Finding) -> bool {
    let text = format!("{} {}", finding.message, finding.hints.join(" "));
    finding.code.starts_with("fit-")
        && finding.data.is_some()
        && (finding.code == "fit-no-arrangement"
            || finding.code == "fit-pin"
            || finding.code == "fit-bumping"
            || finding.code == "fit-lead"
            || (text.contains("characters")
                && text.contains("lines")
                && text.chars().any(|c| c.is_ascii_digit())))
}

/// Runs every case: a composed page must break no rule, a refusal must
/// say what to change. Returns, per case, whether it composed, and a line
/// per case to print.
fn survey(cases: &[Case]) -> (Vec<bool>, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut composed = Vec::new();
    let mut report = String::new();
    for (i, case) in cases.iter().enumerate() {
        let data = write(&dir.path().join(format!("case{i}")), case);
        match run(&data) {
            Outcome::Page(table, broken) => {
                assert_eq!(broken, 0, "{}\n{}\n{table}", case.name, case.toml);
                composed.push(true);
                let _ = writeln!(report, "composed  {}", case.name);
            }
            Outcome::Refused(errors) => {
                assert!(!errors.is_empty(), "{}", case.name);
                for error in &errors {
                    assert!(
                        actionable(error),
                        "{}: not actionable: {}",
                        case.name,
                        error.headline()
                    );
                }
                composed.push(false);
                let _ = writeln!(report, "refused   {} ({})", case.name, errors[0].code);
            }
        }
    }
    eprintln!("{report}");
    (composed, report)
}

#[test]
fn every_corpus_report_composes_without_a_breach_or_says_what_to_change() {
    let reasonable = 24;
    let mut cases = corpus(reasonable);
    // The ends of the range: 600 and 9,000 characters.
    cases.extend([
        case(101, Some(600)),
        case(102, Some(9000)),
        case(103, Some(600)),
        case(104, Some(9000)),
    ]);
    let (composed, report) = survey(&cases);
    let composed = composed[..reasonable].iter().filter(|c| **c).count();
    // A floor, not the goal: today the composer finds an exact tiling for
    // 15 of these 24 random reports; the rest are refused with amounts
    // (most have a story of one sentence, too short for two legs of five
    // lines, or far more copy than photos). Raise it as the composer grows
    // more elastic.
    assert!(
        composed >= 15,
        "only {composed} of {reasonable} composed:\n{report}"
    );
}

#[test]
fn feature_page_reports_compose_or_say_what_to_change() {
    let cases: Vec<Case> = (201..=216).map(feature).collect();
    let (composed, report) = survey(&cases);
    let composed = composed.iter().filter(|c| **c).count();
    // A floor measured today (14 of 16; the two refused have too much
    // copy for their three photos to reach a fifth of the page), to raise
    // as the composer grows more elastic.
    assert!(
        composed >= 14,
        "only {composed} of {} composed:\n{report}",
        cases.len()
    );
}

#[test]
fn a_report_without_photos_is_not_a_stack_of_full_width_strips() {
    // 通栏 is for the lead and, at most, one strong story at the foot: a
    // page of full-width strips reads as a report, not a newspaper.
    let dir = tempfile::tempdir().unwrap();
    let mut composed = 0;
    for seed in 301..=306 {
        let case = generate(seed, Some(7000), (4, 6), (0, 0), false);
        let data = write(&dir.path().join(format!("case{seed}")), &case);
        let Ok(prepared) = prepare(&data, &[]) else {
            continue;
        };
        let Composition::Page(page) = &prepared.composition else {
            continue;
        };
        composed += 1;
        let strips = page
            .modules
            .iter()
            .filter(|m| {
                m.columns == banmian::compose::grid::COLUMNS
                    && matches!(m.placed, banmian::compose::plan::Placed::Story { rank, .. } if rank > 0)
            })
            .count();
        assert!(strips <= 1, "{}: {strips} strips\n{}", case.name, case.toml);
    }
    assert!(
        composed >= 4,
        "only {composed} of 6 text-only reports composed"
    );
}

/// The example report, with an edit.
fn example_with(edit: impl Fn(String) -> String) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let text = edit(crate::support::example_in(dir.path()));
    let data = dir.path().join("report.toml");
    std::fs::write(&data, text).unwrap();
    (dir, data)
}

fn arrangement(prepared: &Prepared) -> &banmian::compose::plan::Arrangement {
    match &prepared.composition {
        Composition::Page(page) => page,
        Composition::None(_) | Composition::TooManyStories(_) | Composition::NotAsked => {
            panic!("{:#?}", headlines(&prepared.fit))
        }
    }
}

#[test]
fn the_editors_pins_are_kept() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/zhongzhan-2020.toml");
    let prepared = prepare(&data, &[]).unwrap();
    let page = arrangement(&prepared);
    // `main = 6`, and two stories pinned to the side: they are in the two
    // columns on the right.
    for section in [0, 5] {
        let module = page
            .modules
            .iter()
            .find(|m| m.section() == Some(section))
            .unwrap();
        assert_eq!((module.column, module.columns), (6, 2), "section {section}");
    }
    // Every photo pinned to 2 columns prints 2 columns wide.
    let placed = banmian::inspect::markers(
        &compile(&prepared, Layout::Newspaper).unwrap().0,
        "banmian-photo",
    );
    for marker in placed {
        let width = marker.value["width"].as_f64().unwrap();
        let index = marker.value["photo"].as_u64().unwrap() as usize;
        if prepared.loaded.report.photos[index].shape == banmian::report::PhotoShape::Rect {
            assert!(
                (width - (2.0 * 117.0 + 9.0)).abs() < 0.5,
                "photo {index} is {width} pt wide"
            );
        }
    }
}

#[test]
fn priority_chooses_the_lead() {
    let (_dir, data) = example_with(|t| {
        t.replacen("id = \"minsheng\"", "id = \"minsheng\"\npriority = 5", 1)
            .replace("main = 6\n", "")
            .replace("place = \"side\"\n", "")
    });
    let prepared = prepare(&data, &[]).unwrap();
    let page = arrangement(&prepared);
    let lead = &page.modules[0];
    assert_eq!(lead.section(), Some(4));
    assert_eq!((lead.column, lead.line), (0, 0));
    assert!(
        page.modules
            .iter()
            .all(|m| m.columns <= lead.columns || m.section().is_none())
    );
}

#[test]
fn every_story_pinned_to_the_side_column_names_the_pins() {
    // No story is left to lead the wide part: the composer still tries
    // one (it used to panic) and says which pins are in the way.
    let (_dir, data) = example_with(|t| {
        t.lines()
            .filter(|l| !l.starts_with("place = \"main\"") && !l.starts_with("place = \"side\""))
            .map(|l| {
                if l == "[[sections]]" {
                    "[[sections]]\nplace = \"side\"".to_string()
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    let prepared = prepare(&data, &[]).unwrap();
    assert!(matches!(prepared.composition, Composition::None(_)));
    assert!(
        prepared
            .fit
            .iter()
            .any(|f| f.code == "fit-pin" && f.message.contains("/sections/0/place")),
        "{:#?}",
        headlines(&prepared.fit)
    );
}

#[test]
fn a_pin_that_makes_the_page_impossible_is_named() {
    // The longest story pinned into a two-column side column: its legs
    // would run past 40 lines.
    let (_dir, data) =
        example_with(|t| t.replacen("id = \"gongye\"", "id = \"gongye\"\nplace = \"side\"", 1));
    let prepared = prepare(&data, &[]).unwrap();
    assert!(matches!(prepared.composition, Composition::None(_)));
    let pins: Vec<&Finding> = prepared
        .fit
        .iter()
        .filter(|f| f.code == "fit-pin")
        .collect();
    assert!(!pins.is_empty(), "{:#?}", headlines(&prepared.fit));
    assert!(
        pins.iter().any(|f| f
            .data
            .as_ref()
            .and_then(|d| d.path.as_ref())
            .is_some_and(|p| p.to_string() == "/sections/1/place")),
        "{:#?}",
        headlines(&prepared.fit)
    );
    // Only the placement pins are in the way, not the photos' spans.
    assert!(
        pins.iter().all(|f| f
            .data
            .as_ref()
            .and_then(|d| d.path.as_ref())
            .is_some_and(
                |p| p.to_string().ends_with("/place") || p.to_string() == "/newspaper/main"
            )),
        "{:#?}",
        headlines(&prepared.fit)
    );
}

#[test]
fn copy_too_long_for_the_page_says_how_much_to_cut_per_story() {
    let (_dir, data) = example_with(|t| {
        let long = copy(4000, 0, false);
        t.replacen(
            "paragraphs = [\n",
            &format!("paragraphs = [\n  {long:?},\n"),
            2,
        )
    });
    assert_amounts(&prepare(&data, &[]).unwrap(), "fit-overflow", "cut about");
}

#[test]
fn copy_too_short_for_the_page_says_how_much_to_add_per_story() {
    let dir = tempfile::tempdir().unwrap();
    let case = Case {
        name: "short".into(),
        toml: "title = \"短\"\nlede = [\"导语。\"]\n\n[publication]\nname = \"测试日报\"\ndate = \"2024-05-06\"\npage = 3\n\n[byline]\ntext = \"本报记者某某\"\n\n[[sections]]\nheadline = [\"抓牢实体经济不放松\"]\nparagraphs = [\"该区坚持以产业集群化、融合化、绿色化、高端化发展为目标，推动产业层次加快提升、产业体系高质量构建。持续培育壮大优势产业。\"]\n\n[[sections]]\nheadline = [\"强化党建引领\"]\nparagraphs = [\"坚持以党建统领全局，风清气正的政治生态进一步巩固。该区圆满完成党政机构和事业单位改革，扎实做好基层组织换届工作。\"]\n".into(),
        photos: Vec::new(),
    };
    let data = write(dir.path(), &case);
    assert_amounts(&prepare(&data, &[]).unwrap(), "fit-underflow", "add about");
}

#[test]
fn many_photos_and_little_copy_say_how_much_copy_to_add() {
    // Ten photos and 1,450 characters: the photos would have to fill
    // three quarters of the page.
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), &case(101, Some(600)));
    let prepared = prepare(&data, &[]).unwrap();
    assert!(
        prepared.fit.iter().any(|f| f.is_error()
            && f.hints
                .iter()
                .any(|h| h.contains("add about") && h.contains("characters"))),
        "{:#?}",
        headlines(&prepared.fit)
    );
}

/// The page was refused with `code`, each such error actionable and its
/// hint saying `what` (how much to cut or add).
fn assert_amounts(prepared: &Prepared, code: &str, what: &str) {
    let errors: Vec<&Finding> = prepared.fit.iter().filter(|f| f.is_error()).collect();
    assert!(
        errors.iter().any(|f| f.code == code),
        "{:#?}",
        headlines(&prepared.fit)
    );
    for error in errors.iter().filter(|f| f.code == code) {
        assert!(actionable(error), "{}", error.headline());
        assert!(
            error.hints.iter().any(|h| h.contains(what)),
            "{}",
            error.headline()
        );
    }
}

#[test]
fn the_same_report_gives_the_same_plan_and_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), &case(3, None));
    let once = prepare(&data, &[]).unwrap();
    let twice = prepare(&data, &[]).unwrap();
    let plan = |p: &Prepared| match &p.composition {
        Composition::Page(page) => page
            .to_json(p.data.band(), &|s| p.data.section_headline(s))
            .to_string(),
        Composition::None(_) | Composition::TooManyStories(_) | Composition::NotAsked => {
            headlines(&p.fit).join("\n")
        }
    };
    assert_eq!(plan(&once), plan(&twice));
    assert_eq!(once.json, twice.json, "the template data differ");
}
