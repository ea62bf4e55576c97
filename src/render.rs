//! `banmian render`: report → checks → Typst → PDF/PNG/SVG, written
//! atomically and only when every layout succeeded.

use std::path::{Path, PathBuf};

use typst::diag::{Severity as TypstSeverity, SourceDiagnostic};
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;

use crate::check::{self, CheckConfig};
use crate::compose;
use crate::findings::{FieldPath, Finding, PageLocation};
use crate::fonts::{self, Fonts};
use crate::layouts::Layout;
use crate::photos::{self, LoadedPhoto};
use crate::report::{self, LoadedReport};
use crate::typeset;
use crate::world::ReportWorld;

/// What to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// One PDF per layout.
    Pdf,
    /// One PNG per page.
    Png,
    /// One SVG per page.
    Svg,
}

impl OutputFormat {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Pdf => "pdf",
            OutputFormat::Png => "png",
            OutputFormat::Svg => "svg",
        }
    }
}

/// Where to write.
#[derive(Debug, Clone)]
pub enum Destination {
    /// Into a folder, as `<data-stem>.<layout>.<ext>`.
    Folder(PathBuf),
    /// Exactly this file (one layout only; pages numbered for images).
    File(PathBuf),
}

/// A validated render request.
#[derive(Debug, Clone)]
pub struct RenderConfig {
    /// The report file.
    pub data: PathBuf,
    /// The layouts to make.
    pub layouts: Vec<Layout>,
    /// Where to write them.
    pub destination: Destination,
    /// PDF, PNG or SVG.
    pub format: OutputFormat,
    /// Pixels per inch for PNG.
    pub ppi: f32,
    /// Folders with extra fonts.
    pub font_paths: Vec<PathBuf>,
}

/// A report ready for layout: checked data, fonts, photos, template data.
pub struct Prepared {
    /// The report as loaded.
    pub loaded: LoadedReport,
    /// Bundled and extra fonts.
    pub fonts: Fonts,
    /// The photos, read and checked.
    pub photos: Vec<LoadedPhoto>,
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

/// Loads the report, the fonts and the photos, and checks that every
/// character has a glyph. Returns every error found, not only the first.
pub fn prepare(data: &Path, font_paths: &[PathBuf]) -> Result<Prepared, Vec<Finding>> {
    prepare_loaded(report::load(data)?, font_paths)
}

/// [`prepare`] for a report already loaded.
pub fn prepare_loaded(
    loaded: LoadedReport,
    font_paths: &[PathBuf],
) -> Result<Prepared, Vec<Finding>> {
    // The photos are read first; Typst's decoder is memoised, so they are
    // decoded at once on other threads while this one loads the fonts and
    // composes the stories, and layout later finds them decoded.
    let photos = photos::load(&loaded);
    let decoded: &[photos::LoadedPhoto] = photos.as_deref().unwrap_or(&[]);
    let (fonts, decoding, data) = std::thread::scope(|scope| {
        let decoding = scope.spawn(|| photos::decode(&loaded, decoded));
        let fonts = Fonts::load(font_paths);
        let data = compose_page(&loaded.report, &fonts, photos.as_deref().ok());
        (
            fonts,
            decoding.join().expect("decoding does not panic"),
            data,
        )
    });
    let mut errors = missing_glyphs(&loaded, &fonts);
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
    let fit = fit_findings(&loaded, &data, &composition, &order, &fonts, &photos);
    let json = serde_json::to_vec(&data).expect("template data serialises");
    let (year, month, day) =
        report::parse_date(&loaded.report.publication.date).unwrap_or((1970, 1, 1));
    let date = Datetime::from_ymd(year, month, day).expect("validated date");
    Ok(Prepared {
        loaded,
        fonts,
        photos,
        data,
        composition,
        json,
        date,
        fit,
    })
}

/// What the composer did (copyfit notes), or, when no page was found, why:
/// per story, in characters and lines, and what the composer tried.
fn fit_findings(
    loaded: &LoadedReport,
    data: &typeset::PageData,
    composition: &typeset::Composition,
    order: &[usize],
    fonts: &Fonts,
    photos: &[LoadedPhoto],
) -> Vec<Finding> {
    let mut found = Vec::new();
    for (index, headline, area) in data.text_areas() {
        let at = FieldPath::root().key("sections").index(index);
        for adjustment in &area.adjustments {
            found.push(
                Finding::note("fit-copyfit", format!("「{headline}」: {adjustment}"))
                    .at(loaded.source.locate(&at.key("headline"))),
            );
        }
    }
    if let typeset::Composition::Page(page) = composition {
        found.extend(crate::compose::failure::photo_share(loaded, page));
        found.extend(crate::compose::failure::page_rules(loaded, data, page));
    }
    if let typeset::Composition::None(diagnosis) = composition {
        found.extend(crate::compose::failure::findings(
            loaded, data, diagnosis, order,
        ));
        // A page that composes without the editor's pins: the pins are
        // what makes it impossible.
        // The narrowest group of pins whose removal lets a page compose.
        for which in crate::compose::failure::Pins::TRIES {
            if let Some(free) = crate::compose::failure::pins(&loaded.report, which)
                && let Some(Ok(unpinned)) = compose_page(&free, fonts, Some(photos))
                && matches!(unpinned.composition, typeset::Composition::Page(_))
            {
                found.retain(|f| f.code == "fit-unbalanced");
                found.extend(crate::compose::failure::pin_findings(loaded, which));
                break;
            }
        }
    }
    found
}

/// The template data, its stories composed; `None` when the photos could
/// not be read (nothing to compose around).
fn compose_page(
    report: &report::Report,
    fonts: &Fonts,
    photos: Option<&[LoadedPhoto]>,
) -> Option<Result<typeset::Typeset, Vec<Finding>>> {
    let photos = photos?;
    let (Some(body), Some(kai)) = (
        fonts.metrics("Noto Serif CJK SC"),
        fonts.metrics("Banmian Kai"),
    ) else {
        return Some(Err(vec![Finding::error(
            "font-missing",
            "the bundled body and Kai faces are missing from the font book",
        )]));
    };
    // Captions are set in Kai with the Song face's quotation marks.
    let kai = compose::Fallback {
        main: &kai,
        other: &body,
        chars: "“”‘’",
    };
    Some(Ok(typeset::page_data(report, photos, &body, &kai)))
}

/// One error per character no font has (at its first use), naming it, its
/// code point and where it is.
fn missing_glyphs(loaded: &LoadedReport, fonts: &Fonts) -> Vec<Finding> {
    let mut seen = std::collections::HashSet::new();
    let mut errors = Vec::new();
    for (path, text) in report::texts(&loaded.report) {
        for c in text.chars() {
            if fonts::needs_glyph(c) && !fonts.covers(c) && seen.insert(c) {
                errors.push(
                    Finding::error(
                        "glyph-missing",
                        format!(
                            "no bundled or given font has the character {c} (U+{:04X})",
                            c as u32
                        ),
                    )
                    .at(loaded.source.locate_char(&path, c))
                    .hint("replace the character, or add a font that has it with --font-path DIR"),
                );
            }
        }
    }
    errors
}

/// Lays out one layout; errors if Typst fails or the template reports an
/// error (text that does not fit). Warnings come back with the document.
pub fn compile(
    prepared: &Prepared,
    layout: Layout,
) -> Result<(PagedDocument, Vec<Finding>), Vec<Finding>> {
    let files = prepared
        .photos
        .iter()
        .map(|p| (p.vpath.clone(), p.bytes.clone()))
        .collect();
    let world = ReportWorld::new(
        layout,
        &prepared.fonts,
        prepared.json.clone(),
        files,
        prepared.date,
    );
    // No page was composed: the composer's errors say why.
    if layout == Layout::Newspaper && !prepared.data.has_newspaper() {
        return Err(prepared
            .fit
            .iter()
            .filter(|f| f.is_error())
            .cloned()
            .collect());
    }
    let result = typst::compile::<PagedDocument>(&world);
    let mut warnings: Vec<Finding> = result
        .warnings
        .iter()
        .map(|d| from_typst(layout, d))
        .collect();
    let document = result.output.map_err(|errors| {
        errors
            .iter()
            .map(|d| from_typst(layout, d))
            .collect::<Vec<_>>()
    })?;
    let (mut errors, template_warnings): (Vec<_>, Vec<_>) =
        template_findings(prepared, layout, &document)
            .into_iter()
            .partition(Finding::is_error);
    if layout == Layout::Newspaper {
        errors.extend(prepared.fit.iter().filter(|f| f.is_error()).cloned());
    }
    warnings.extend(template_warnings);
    if !errors.is_empty() {
        // The warnings go along: a check lists everything.
        errors.extend(warnings);
        return Err(errors);
    }
    Ok((document, warnings))
}

/// A Typst diagnostic as a finding. Report text never becomes Typst
/// source, so these are problems of the layout itself.
fn from_typst(layout: Layout, diagnostic: &SourceDiagnostic) -> Finding {
    let message = format!("{} layout: {}", layout.name(), diagnostic.message);
    let mut finding = match diagnostic.severity {
        TypstSeverity::Error => Finding::error("layout-failed", message),
        TypstSeverity::Warning => Finding::warning("layout-warning", message),
    };
    for hint in &diagnostic.hints {
        finding = finding.hint(hint.v.to_string());
    }
    finding
}

/// Findings the templates publish on purpose, as
/// `metadata((severity:, code:, message:, path:, page:)) <banmian-finding>`.
fn template_findings(
    prepared: &Prepared,
    layout: Layout,
    document: &PagedDocument,
) -> Vec<Finding> {
    crate::inspect::markers(document, "banmian-finding")
        .into_iter()
        .map(|marker| {
            let value = &marker.value;
            let text = |key: &str| {
                value
                    .get(key)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            let code: &'static str = match text("code").as_str() {
                "headline-too-long" => "headline-too-long",
                "layout-overflow" => "layout-overflow",
                _ => "layout-finding",
            };
            let mut finding = if text("severity") == "warning" {
                Finding::warning(code, text("message"))
            } else {
                Finding::error(code, text("message"))
            };
            let path = report::json_pointer(&text("path"));
            finding = finding
                .at(prepared.loaded.source.locate(&path))
                .on_page(PageLocation {
                    layout: layout.name().into(),
                    page: marker.page,
                    column: newspaper_column(layout, marker.page_width, marker.x),
                });
            if let Some(hint) = value.get("hint").and_then(|v| v.as_str()) {
                finding = finding.hint(hint);
            }
            finding
        })
        .collect()
}

/// The newspaper column (1–8) at `x` pt on a page `width` pt wide: 8
/// columns of 117 pt with 9 pt gutters, centred.
pub fn newspaper_column(layout: Layout, width: f64, x: f64) -> Option<usize> {
    if layout != Layout::Newspaper {
        return None;
    }
    let left = (width - (8.0 * 117.0 + 7.0 * 9.0)) / 2.0;
    Some((((x - left) / 126.0).floor().max(0.0) as usize + 1).min(8))
}

/// The files one layout becomes: (path, bytes).
pub fn export(
    document: &PagedDocument,
    layout: Layout,
    config: &RenderConfig,
    date: Datetime,
) -> Result<Vec<(PathBuf, Vec<u8>)>, Vec<Finding>> {
    let ext = config.format.extension();
    let stem = config
        .data
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let target = |page: Option<usize>| -> PathBuf {
        let numbered = |base: String| match page {
            Some(n) => format!("{base}-{n}.{ext}"),
            None => format!("{base}.{ext}"),
        };
        match &config.destination {
            Destination::Folder(folder) => {
                folder.join(numbered(format!("{stem}.{}", layout.name())))
            }
            Destination::File(file) if page.is_none() => file.clone(),
            Destination::File(file) => {
                let base = file.with_extension("");
                PathBuf::from(numbered(base.to_string_lossy().into_owned()))
            }
        }
    };
    let pages = document.pages();
    let per_page = |n: usize| if pages.len() == 1 { None } else { Some(n + 1) };
    match config.format {
        OutputFormat::Pdf => {
            let options = typst_pdf::PdfOptions {
                ident: Smart::Custom(format!("banmian/{stem}/{}", layout.name())),
                timestamp: Some(typst_pdf::Timestamp::new_utc(date)),
                ..Default::default()
            };
            let pdf = typst_pdf::pdf(document, &options).map_err(|errors| {
                errors
                    .iter()
                    .map(|d| from_typst(layout, d))
                    .collect::<Vec<_>>()
            })?;
            Ok(vec![(target(None), pdf)])
        }
        OutputFormat::Png => pages
            .iter()
            .enumerate()
            .map(|(n, page)| {
                let options = typst_render::RenderOptions {
                    pixel_per_pt: (f64::from(config.ppi) / 72.0).into(),
                    render_bleed: false,
                };
                let png = typst_render::render(page, &options)
                    .encode_png()
                    .map_err(|err| {
                        vec![Finding::error(
                            "output-failed",
                            format!("cannot encode PNG: {err}"),
                        )]
                    })?;
                Ok((target(per_page(n)), png))
            })
            .collect(),
        OutputFormat::Svg => Ok(pages
            .iter()
            .enumerate()
            .map(|(n, page)| {
                let options = typst_svg::SvgOptions {
                    render_bleed: false,
                    pretty: false,
                };
                (
                    target(per_page(n)),
                    typst_svg::svg(page, &options).into_bytes(),
                )
            })
            .collect()),
    }
}

/// Runs the whole render: every check of `banmian check`, then, when none
/// found an error, the export of each layout. Nothing is written unless
/// every file could be made; each is written to a temporary file and
/// renamed. Returns the files written and the warnings and notes.
pub fn render(config: &RenderConfig) -> Result<(Vec<PathBuf>, Vec<Finding>), Vec<Finding>> {
    let outcome = check::run(&CheckConfig {
        data: config.data.clone(),
        layouts: config.layouts.clone(),
        font_paths: config.font_paths.clone(),
    });
    if outcome.has_errors() {
        return Err(outcome.findings);
    }
    let Some(prepared) = &outcome.prepared else {
        return Err(outcome.findings);
    };
    let mut outputs = Vec::new();
    for (layout, document) in &outcome.documents {
        outputs.extend(export(document, *layout, config, prepared.date)?);
    }
    let mut written = Vec::new();
    for (path, bytes) in outputs {
        write_atomically(&path, &bytes).map_err(|err| {
            vec![Finding::error(
                "output-failed",
                format!("cannot write {}: {err}", path.display()),
            )]
        })?;
        written.push(path);
    }
    Ok((written, outcome.findings))
}

/// Writes through a temporary file in the same folder, then renames it over
/// the target: a reader sees the old file or the new one, never a part.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)?;
    let mut file = tempfile::Builder::new()
        .prefix(".banmian-")
        .tempfile_in(folder)?;
    file.write_all(bytes)?;
    #[cfg(unix)]
    {
        // tempfile creates 0600; an output is an ordinary file (0644).
        use std::os::unix::fs::PermissionsExt;
        file.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    file.as_file().sync_all()?;
    file.persist(path).map_err(|err| err.error)?;
    Ok(())
}
