//! The Typst `World`: a thin facade over files served from memory (the
//! embedded layouts, the report as `/report.json`, the photos read and
//! checked beforehand), the fonts, and a fixed date.

use std::collections::HashMap;
use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::fonts::Fonts;
use crate::layouts::{Layout, TEMPLATES};

/// A world for one layout of one report. Nothing in it touches the disk.
pub struct ReportWorld<'a> {
    fonts: &'a Fonts,
    main: FileId,
    files: HashMap<FileId, Bytes>,
    today: Datetime,
}

/// The id of a file at an absolute virtual path.
pub fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("virtual paths are built by banmian");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

impl<'a> ReportWorld<'a> {
    /// Builds the world: `report_json` is served at `/report.json`, each
    /// `(virtual path, bytes)` of `files` at its path.
    pub fn new(
        layout: Layout,
        fonts: &'a Fonts,
        report_json: Vec<u8>,
        files: Vec<(String, Bytes)>,
        today: Datetime,
    ) -> Self {
        let mut files = files;
        files.push(("/report.json".into(), Bytes::new(report_json)));
        // What the PDF is and carries: a plain PDF, nothing, unless the
        // caller says otherwise.
        for (path, default) in [
            ("/attachments.json", "[]"),
            (
                "/pdf.json",
                r#"{"pdfa": false, "bleed": null, "marks": false, "slug": ""}"#,
            ),
        ] {
            if !files.iter().any(|(served, _)| served == path) {
                files.push((path.into(), Bytes::new(default.as_bytes().to_vec())));
            }
        }
        Self::with_entry(layout.entry(), fonts, files, today)
    }

    /// A world whose main file is the embedded template `entry`, serving
    /// `files` at their virtual paths.
    pub fn with_entry(
        entry: &str,
        fonts: &'a Fonts,
        files: Vec<(String, Bytes)>,
        today: Datetime,
    ) -> Self {
        let served: HashMap<FileId, Bytes> = files
            .into_iter()
            .map(|(path, bytes)| (file_id(&path), bytes))
            .collect();
        Self {
            fonts,
            main: file_id(entry),
            files: served,
            today,
        }
    }
}

// Typst's library and the templates, parsed, are the same for every world
// of the process: built once, and hashed once for Typst's caches (a watch
// or a batch saves a millisecond a render).
static LIBRARY: LazyLock<LazyHash<Library>> =
    LazyLock::new(|| LazyHash::new(Library::builder().build()));
static SOURCES: LazyLock<HashMap<FileId, Source>> = LazyLock::new(|| {
    TEMPLATES
        .iter()
        .map(|(path, text)| {
            let id = file_id(path);
            (id, Source::new(id, text.to_string()))
        })
        .collect()
});

/// Builds Typst's library and parses the templates, and hashes both (a
/// source keeps its hash), off the path of a render (see
/// [`crate::fonts::warm_up`]): 2–3 ms the first compilation of a process
/// would otherwise spend before it starts.
pub fn warm_up() {
    typst::utils::hash128(&*LIBRARY);
    for source in SOURCES.values() {
        typst::utils::hash128(source);
    }
}

impl World for ReportWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        SOURCES.get(&id).cloned().ok_or_else(|| not_found(id))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(source) = SOURCES.get(&id) {
            return Ok(Bytes::from_string(source.clone()));
        }
        self.files.get(&id).cloned().ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

/// Templates may only read what banmian put in the world.
fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_with_slash().into())
}
