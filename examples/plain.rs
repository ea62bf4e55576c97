//! The benchmark's baseline: Typst alone on a plain page of the same
//! report — the same paper, fonts and photos, the text in eight columns as
//! Typst flows it (no composing, no runaround, no balancing) — to PDF, in a
//! process of its own, as the Typst CLI would:
//! `cargo run --release --example plain -- data/zhongzhan-2020.toml OUT.pdf`.
//! With `--project DIR` instead of `OUT.pdf`, it writes the same page as a
//! Typst project (`main.typ`, `report.json`, the photos) for the Typst CLI
//! to compile with the bundled fonts: the benchmark times both.
//!
//! The report's text reaches the page through `json()`, as data, never as
//! markup.

use std::collections::HashMap;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

const PAGE: &str = r#"
#let r = json("/report.json")
#let joined(x) = if type(x) == array { x.join(" ") } else { x }
#set page(width: 390mm, height: 545mm, margin: 15mm, columns: 8)
#set columns(gutter: 4mm)
#set text(font: ("Noto Serif CJK SC",), size: 9pt, lang: "zh", region: "CN")
#set par(justify: true, leading: 4.5pt, first-line-indent: (amount: 2em, all: true))
#place(top, float: true, scope: "parent", block(width: 100%, {
  set text(size: 60pt, weight: "black")
  joined(r.title)
  set text(size: 12pt, weight: "regular")
  par(r.lede.join(""))
}))
#for s in r.sections {
  block(text(size: 16pt, weight: "bold", joined(s.headline)))
  for p in s.paragraphs { par(p) }
  for ph in r.photos.filter(ph => ph.section == s.id) {
    figure(image(ph.file, width: 100%), caption: ph.caption)
  }
}
"#;

struct Plain {
    library: LazyHash<Library>,
    fonts: banmian::fonts::Fonts,
    main: Source,
    files: HashMap<FileId, Bytes>,
}

fn id(path: &str) -> FileId {
    RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new(path).expect("a path"),
    )
    .intern()
}

impl World for Plain {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }
    fn main(&self) -> FileId {
        self.main.id()
    }
    fn source(&self, file: FileId) -> FileResult<Source> {
        if file == self.main.id() {
            return Ok(self.main.clone());
        }
        Err(FileError::AccessDenied)
    }
    fn file(&self, file: FileId) -> FileResult<Bytes> {
        self.files
            .get(&file)
            .cloned()
            .ok_or(FileError::AccessDenied)
    }
    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }
    fn today(&self, _: Option<Duration>) -> Option<Datetime> {
        Datetime::from_ymd(2020, 12, 28)
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let data = std::path::PathBuf::from(args.next().expect("a report file"));
    let out = args.next().expect("an output file, or --project DIR");
    let report: toml::Value =
        toml::from_str(&std::fs::read_to_string(&data).expect("readable")).expect("TOML");
    let folder = data.parent().expect("a folder");
    if out == "--project" {
        let project = std::path::PathBuf::from(args.next().expect("a project folder"));
        write_project(&report, folder, &project);
        return;
    }
    let mut files = HashMap::new();
    files.insert(
        id("/report.json"),
        Bytes::new(serde_json::to_vec(&report).expect("JSON")),
    );
    for photo in report["photos"].as_array().into_iter().flatten() {
        let file = photo["file"].as_str().expect("a photo file");
        let bytes = std::fs::read(folder.join(file)).expect("a readable photo");
        files.insert(id(&format!("/{file}")), Bytes::new(bytes));
    }
    let world = Plain {
        library: LazyHash::new(Library::builder().build()),
        fonts: banmian::fonts::Fonts::load(&[]),
        main: Source::new(id("/main.typ"), PAGE.to_string()),
        files,
    };
    let document = typst::compile::<typst_layout::PagedDocument>(&world)
        .output
        .unwrap_or_else(|e| panic!("{:?}", e.iter().map(|d| &d.message).collect::<Vec<_>>()));
    let pdf = typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default())
        .unwrap_or_else(|_| panic!("exports"));
    std::fs::write(out, pdf).expect("writable");
}

/// The page as a Typst project in `project`, for the CLI.
fn write_project(report: &toml::Value, folder: &std::path::Path, project: &std::path::Path) {
    std::fs::create_dir_all(project).expect("a writable folder");
    std::fs::write(project.join("main.typ"), PAGE).expect("writable");
    std::fs::write(
        project.join("report.json"),
        serde_json::to_vec(report).expect("JSON"),
    )
    .expect("writable");
    for photo in report["photos"].as_array().into_iter().flatten() {
        let file = photo["file"].as_str().expect("a photo file");
        let target = project.join(file);
        std::fs::create_dir_all(target.parent().expect("a folder")).expect("writable");
        std::fs::copy(folder.join(file), target).expect("a readable photo");
    }
}
