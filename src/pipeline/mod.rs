//! The pipeline every command runs: load the report → lint its copy →
//! prepare it (photos, fonts, the composed newspaper page) → lay out each
//! layout with Typst → check what came out. `render` exports the documents,
//! `check` prints the findings, `rules` and `plan` read the prepared report
//! and its newspaper page. Nothing here imports a command.

mod compile;
mod fit;

use std::path::{Path, PathBuf};

use typst::foundations::Datetime;
use typst_layout::PagedDocument;

use crate::checks;
use crate::exit::{Exit, Failure};
use crate::findings::{Finding, Severity};
use crate::fonts::Fonts;
use crate::layouts::Layout;
use crate::photos::{self, LoadedPhoto};
use crate::report::{self, LoadedReport};
use crate::typeset;

pub use compile::{compile, compile_with_pixels, from_typst};

/// What to run the pipeline on.
#[derive(Debug, Clone)]
pub struct Request {
    /// The report file.
    pub data: PathBuf,
    /// The layouts to lay out.
    pub layouts: Vec<Layout>,
    /// Folders with extra fonts.
    pub font_paths: Vec<PathBuf>,
    /// Whether the documents will be drawn as pixels (PNG, SVG, the
    /// preview), so that Typst must see the photos themselves; a PDF and
    /// the checks need only their stand-ins.
    pub pixels: bool,
    /// What the PDF claims (its standards: a PDF/A sets its colours in
    /// sRGB, see `layouts/common.typ`).
    pub pdf: crate::export::PdfSettings,
    /// The PDF carries its data file and manifest (`render --archive`).
    pub archive: bool,
}

/// Everything a run found, and what it laid out.
pub struct Outcome {
    /// Findings, data problems first, then layout ones.
    pub findings: Vec<Finding>,
    /// The report could not be read at all: the command could not run
    /// (rather than the report having errors).
    pub unreadable: bool,
    /// The report ready for export, when it could be prepared.
    pub prepared: Option<Prepared>,
    /// Each layout that laid out without error.
    pub documents: Vec<(Layout, PagedDocument)>,
}

impl Outcome {
    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(Finding::is_error)
    }

    /// How the command ends: with `strict`, a warning fails it too.
    pub fn exit(&self, strict: bool) -> Exit {
        let warned = || {
            self.findings
                .iter()
                .any(|f| f.severity == Severity::Warning)
        };
        if self.unreadable {
            Exit::CannotRun
        } else if self.has_errors() || (strict && warned()) {
            Exit::Refused
        } else {
            Exit::Success
        }
    }

    fn stopped(findings: Vec<Finding>, unreadable: bool) -> Self {
        Self {
            findings,
            unreadable,
            prepared: None,
            documents: Vec::new(),
        }
    }
}

/// Runs the pipeline: every check, every layout asked for.
pub fn run(request: &Request) -> Outcome {
    run_with(request, report::load(&request.data))
}

/// [`run`] on a report already read (`banmian verify` reads it out of a
/// PDF).
pub fn run_with(request: &Request, loaded: Result<LoadedReport, Failure>) -> Outcome {
    run_exporting(request, loaded, &|_, _, _| ()).0
}

/// [`run_with`], handing each document laid out to `export` when nothing
/// found is an error (`render` exports its layouts side by side this way).
pub fn run_exporting<T: Send>(
    request: &Request,
    loaded: Result<LoadedReport, Failure>,
    export: &(dyn Fn(&Prepared, Layout, &PagedDocument) -> T + Sync),
) -> (Outcome, Vec<T>) {
    let loaded = match loaded {
        Ok(loaded) => loaded,
        Err(failure) => {
            let unreadable = matches!(failure, Failure::CannotRun(_));
            let mut findings: Vec<Finding> = failure.into();
            // What can still be checked of the rest is checked: every
            // problem at once.
            if !unreadable && let Some(partial) = report::partial(&request.data) {
                findings.extend(checks::lint::lint_texts(&partial.source, &partial.texts));
                let fonts = Fonts::load(&request.font_paths);
                findings.extend(checks::glyphs::missing_in(
                    &partial.source,
                    &partial.texts,
                    &fonts,
                ));
                let files: Vec<&str> = partial.photos.iter().map(String::as_str).collect();
                findings.extend(photos::check_files(&partial.root, &partial.source, &files));
            }
            return (Outcome::stopped(findings, unreadable), Vec::new());
        }
    };
    let mut findings = checks::lint::lint(&loaded);
    let prepared = match prepare_loaded(
        loaded,
        &request.font_paths,
        &request.layouts,
        request.pixels,
    ) {
        Ok(prepared) => Prepared {
            pdf: request.pdf.clone(),
            archive: request.archive,
            ..prepared
        },
        Err(found) => {
            findings.extend(found);
            return (Outcome::stopped(findings, false), Vec::new());
        }
    };
    findings.extend(checks::glyphs::fallbacks(&prepared.loaded, &prepared.fonts));
    findings.extend(prepared.fonts.skipped().iter().map(|(file, why)| {
        Finding::warning(
            "font-unreadable",
            format!(
                "the font {} under --font-path {why}; it is not used",
                file.display()
            ),
        )
    }));
    // The layouts are laid out side by side (Typst's caches are shared and
    // thread-safe), on rayon's threads: a batch's `--jobs` bounds every
    // thread a report uses. Their findings are kept in the order asked.
    let laid: Vec<(Layout, Laid)> = {
        use rayon::prelude::*;
        request
            .layouts
            .par_iter()
            .map(|&layout| (layout, compile(&prepared, layout)))
            .collect()
    };
    let mut documents = Vec::new();
    for (layout, result) in laid {
        match result {
            Ok((document, found)) => {
                findings.extend(found);
                documents.push((layout, document));
            }
            Err(found) => findings.extend(found),
        }
    }
    // The layouts are exported side by side, and beside the checks of
    // what was laid out (3 ms the PDF would otherwise wait for). This
    // thread starts the export at once and leaves the checks to another:
    // the other way round, when no other thread took the export within the
    // checks' 3 ms (3 renders in 15), the PDF started after them. Should
    // the checks find an error, what was exported is dropped: nothing is
    // written from a refused report.
    let refused = findings.iter().any(Finding::is_error);
    let (exported, checked) = rayon::join(
        || {
            use rayon::prelude::*;
            if refused {
                return Vec::new();
            }
            documents
                .par_iter()
                .map(|(layout, document)| export(&prepared, *layout, document))
                .collect()
        },
        || checks_of_layouts(request, &prepared, &documents),
    );
    findings.extend(checked);
    let exported = if findings.iter().any(Finding::is_error) {
        Vec::new()
    } else {
        exported
    };
    (
        Outcome {
            findings,
            unreadable: false,
            prepared: Some(prepared),
            documents,
        },
        exported,
    )
}

/// What is checked once the layouts are laid out: the copyfit notes, the
/// brochure's page count, the photos' resolution as printed, and whether
/// the layouts agree with each other.
fn checks_of_layouts(
    request: &Request,
    prepared: &Prepared,
    documents: &[(Layout, PagedDocument)],
) -> Vec<Finding> {
    let mut findings = Vec::new();
    // Copyfit notes are the newspaper's; the page count the brochure's.
    if request.layouts.contains(&Layout::Newspaper) {
        findings.extend(prepared.fit.iter().filter(|f| !f.is_error()).cloned());
    }
    if let Some(booklet) = prepared.data.booklet() {
        findings.extend(crate::brochure::findings(booklet, &prepared.loaded));
    }
    for (layout, document) in documents {
        findings.extend(checks::resolution::check(
            &prepared.loaded,
            &prepared.photos,
            *layout,
            document,
        ));
    }
    findings.extend(checks::consistency::check(&prepared.loaded, documents));
    findings
}

/// One layout laid out, with its findings, or the errors that stopped it.
type Laid = Result<(PagedDocument, Vec<Finding>), Vec<Finding>>;

/// A report ready for layout: checked data, fonts, photos, template data.
pub struct Prepared {
    /// The report as loaded.
    pub loaded: LoadedReport,
    /// Bundled and extra fonts.
    pub fonts: Fonts,
    /// The photos, read and checked.
    pub photos: Vec<LoadedPhoto>,
    /// Whether layout sees the photos' pixels or their stand-ins (then a
    /// PDF gets the photos back with [`photos::restore`]).
    pub pixels: bool,
    /// What the PDF claims (see [`Request::pdf`]).
    pub pdf: crate::export::PdfSettings,
    /// The PDF carries its data and manifest (see [`Request::archive`]).
    pub archive: bool,
    /// The template data (the composed newspaper page included).
    pub data: typeset::PageData,
    /// How the newspaper page was composed (the plan, or why none).
    pub composition: typeset::Composition,
    /// `/report.json` for the templates.
    pub json: Vec<u8>,
    /// The fixed "today" of the world: the publication date.
    pub date: Datetime,
    /// How the stories fit their columns: what copyfit adjusted (notes)
    /// and the stories it could not balance (errors, reported by `compile`).
    pub fit: Vec<Finding>,
}

/// The template data without the word joiners (U+2060) the composer reads
/// as "no break here": every line it broke is placed as it is, and a PDF's
/// text must be the report's text, searchable as written. Where Typst
/// breaks lines itself, the templates keep ·, — and ～ with the character
/// before them (`chinese` in `layouts/common.typ`). U+2060 is three bytes
/// in UTF-8 that are part of no other character, so they go from the JSON
/// as bytes.
fn without_joiners(json: Vec<u8>) -> Vec<u8> {
    const JOINER: &[u8] = "\u{2060}".as_bytes();
    let mut out = Vec::with_capacity(json.len());
    let mut rest = &json[..];
    while let Some(at) = memchr::memmem::find(rest, JOINER) {
        out.extend_from_slice(&rest[..at]);
        rest = &rest[at + JOINER.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// Loads the report, the fonts and the photos, and checks that every
/// character has a glyph. Returns every error found, not only the first.
pub fn prepare(data: &Path, font_paths: &[PathBuf]) -> Result<Prepared, Vec<Finding>> {
    prepare_loaded(report::load(data)?, font_paths, Layout::ALL, true)
}

/// [`prepare`] for a report already loaded, for `layouts`, with the
/// photos' `pixels` when they will be drawn (see [`Request::pixels`]).
pub fn prepare_loaded(
    loaded: LoadedReport,
    font_paths: &[PathBuf],
    layouts: &[Layout],
    pixels: bool,
) -> Result<Prepared, Vec<Finding>> {
    // The photos are read first; Typst's decoder is memoised, so those it
    // will decode are decoded at once on other threads while this one
    // composes the stories, and layout later finds them decoded.
    let photos = photos::load(&loaded);
    let decoded: &[photos::LoadedPhoto] = photos.as_deref().unwrap_or(&[]);
    let fonts = Fonts::load(font_paths);
    // Whether the faces have every character is asked beside composing,
    // on rayon's threads (a batch's `--jobs` bounds them too): this thread
    // composes at once, the others take the checks when they are free.
    let asked = typeset::Asked::of(layouts);
    let (data, (decoding, mut errors)) = rayon::join(
        || fit::compose_page(&loaded.report, &fonts, photos.as_deref().ok(), asked),
        || {
            rayon::join(
                || photos::decode(&loaded, decoded, pixels),
                || checks::glyphs::missing(&loaded, &fonts),
            )
        },
    );
    let photos = match photos {
        Ok(photos) => photos,
        Err(found) => {
            errors.extend(found);
            Vec::new()
        }
    };
    errors.extend(decoding);
    let data = match data {
        Some(Ok(data)) if errors.is_empty() => data,
        Some(Err(found)) => {
            errors.extend(found);
            return Err(errors);
        }
        _ => return Err(errors),
    };
    let typeset::Typeset {
        data,
        composition,
        order,
    } = data;
    let fit = fit::findings(&loaded, &data, &composition, &order, &fonts, &photos);
    let json = without_joiners(serde_json::to_vec(&data).expect("template data serialises"));
    let (year, month, day) =
        report::parse_date(&loaded.report.publication.date).unwrap_or((1970, 1, 1));
    let date = Datetime::from_ymd(year, month, day).expect("validated date");
    Ok(Prepared {
        loaded,
        fonts,
        photos,
        pixels,
        pdf: Default::default(),
        archive: false,
        data,
        composition,
        json,
        date,
        fit,
    })
}
