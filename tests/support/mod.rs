//! Helpers the integration tests share: the binary, a temporary
//! workspace, the example report in a fresh folder, reports built from the
//! model.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use banmian::findings::Finding;
use banmian::report::Report;

/// The example report's photos copied into `dir/photos`, and the example
/// report's text, to write there edited.
pub fn example_in(dir: &Path) -> String {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    std::fs::create_dir_all(dir.join("photos")).unwrap();
    for entry in std::fs::read_dir(data.join("photos")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join("photos").join(entry.file_name())).unwrap();
    }
    std::fs::read_to_string(data.join("zhongzhan-2020.toml")).unwrap()
}

/// A JPEG of `width` × `height` px: a gradient.
pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x / 7) as u8, (y / 5) as u8, 120])
    });
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    bytes
}

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_banmian");

/// A temporary folder holding a report (and whatever else a test puts there).
pub struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content).unwrap();
        path
    }

    /// A photo: a JPEG of 3000 × 2000 px (enough for a full-bleed A4 cover
    /// at over 100 ppi).
    pub fn photo(&self, name: &str) {
        self.write(name, jpeg(3000, 2000));
    }

    /// Runs banmian in the workspace.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// banmian in the workspace, to be started.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(BIN);
        command.args(args).current_dir(self.dir.path());
        command
    }

    /// Every file under the workspace's out/ folder.
    pub fn outputs(&self) -> Vec<String> {
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

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Each finding's one-line form, for assertion messages.
pub fn headlines(found: &[Finding]) -> Vec<String> {
    found.iter().map(Finding::headline).collect()
}

/// Copy enough for the stories to fill their columns.
const FILL: [&str; 3] = [
    "该区坚持以产业集群化、融合化、绿色化、高端化发展为目标，推动产业层次加快提升、产业体系高质量构建。持续培育壮大优势产业，持续实施工业转型升级行动计划和培优育强工程，龙头地位持续巩固，销售收入、外贸进出口实现逆势增长。",
    "不断提升创新能力。该区院地合作成果丰硕，签约了工业催化创业产业园等3个项目，总投资125.2亿元。新增国家高新技术企业2家、国家科技型中小企业20家、“专精特新”企业3家；新培育省级工程技术研究中心3家。",
    "强化金融服务。据统计，2020年全区新增贷款58.04亿元，占全市新增贷款的29.84%，居全市第一位；区应急转贷平台累计为辖区中小企业提供应急转贷资金147笔9.19亿元。",
];

/// `n` paragraphs of fill, starting at `from`.
fn fill(n: usize, from: usize) -> Vec<&'static str> {
    (0..n).map(|i| FILL[(i + from) % FILL.len()]).collect()
}

/// A valid report of four stories and four photos, enough to fill the
/// newspaper page; `body` is its first paragraph. Built from the model and
/// serialised, so that it is the format banmian reads.
pub fn small_report(body: &str) -> String {
    small_report_with(body, |_| {})
}

/// [`small_report`] with `edit` applied to its data first (as JSON).
pub fn small_report_with(body: &str, edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut first = vec![body];
    first.extend(fill(9, 0));
    let photo = |caption: &str, section: &str| serde_json::json!({"file": "photos/a.jpg", "caption": caption, "section": section});
    let mut value = serde_json::json!({
        "title": "测试版面",
        "lede": ["这是导语。"],
        "publication": {"name": "测试日报", "date": "2024-05-06", "page": 1},
        "byline": {"text": "本报记者某某"},
        "sections": [
            {"id": "a", "headline": ["第一行标题", "第二行标题"], "paragraphs": first},
            {"id": "b", "headline": ["侧栏标题"], "paragraphs": fill(5, 1)},
            {"id": "c", "headline": ["第三篇的标题"], "paragraphs": fill(7, 2)},
            {"id": "d", "headline": ["第四篇稿件", "的两行标题"], "paragraphs": fill(6, 0)},
        ],
        "photos": [
            photo("图片说明。", "a"),
            photo("第二幅图片的说明。", "a"),
            photo("第三幅图片的说明。", "c"),
            photo("第四幅图片的说明。", "d"),
        ],
    });
    edit(&mut value);
    let report: Report = serde_json::from_value(value).expect("a report of the model");
    toml::to_string(&report).expect("a report serialises to TOML")
}

/// 1-based line and column (in characters) of the first `needle` in `text`.
pub fn position_of(text: &str, needle: &str) -> (usize, usize) {
    let offset = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in the text"));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    (line, column)
}
