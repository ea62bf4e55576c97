//! `banmian render`: the pipeline, then the export of each layout, written
//! atomically and only when every layout succeeded.

use std::path::PathBuf;

use crate::exit::{Exit, Failure};
use crate::export::{self, Output, OutputFormat};
use crate::findings::{self, Finding};
use crate::layouts::Layout;
use crate::pipeline::{self, Request};
use crate::report;

/// A validated render request.
#[derive(Debug, Clone)]
pub struct RenderConfig {
    /// The report file.
    pub data: PathBuf,
    /// The layouts to make.
    pub layouts: Vec<Layout>,
    /// What to make of them, and where.
    pub output: Output,
    /// Folders with extra fonts.
    pub font_paths: Vec<PathBuf>,
    /// Overwrite an existing file that is not an earlier output.
    pub force: bool,
    /// Also write the brochure imposed for saddle stitching.
    pub impose: bool,
    /// The documents are also drawn for a preview, so layout sees the
    /// photos' pixels even for a PDF.
    pub preview: bool,
    /// The PDF carries its data file and manifest (with PDF/A-3b among
    /// `output.pdf.standards`).
    pub archive: bool,
}

/// Renders, prints the warnings and the files written (or the errors),
/// and says how it ended.
pub fn run(config: &RenderConfig) -> Exit {
    match render(config) {
        Ok((written, warnings)) => {
            findings::print(&warnings);
            for path in written {
                println!("{}", path.display());
            }
            Exit::Success
        }
        Err(failure) => {
            let found = failure.findings();
            findings::print(found);
            let errors = found.iter().filter(|f| f.is_error()).count();
            match failure {
                Failure::Report(_) => eprintln!(
                    "error: {errors} error(s) in {}; nothing was written",
                    config.data.display()
                ),
                Failure::CannotRun(_) => eprintln!("error: nothing was written"),
            }
            failure.exit()
        }
    }
}

/// Runs the whole render: every check of `banmian check`, then, when none
/// found an error, the export of each layout. Nothing is written unless
/// every file could be made; each is written to a temporary file and
/// renamed. Returns the files written and the warnings and notes.
pub fn render(config: &RenderConfig) -> Result<(Vec<PathBuf>, Vec<Finding>), Failure> {
    render_documents(config).map(|rendered| (rendered.written, rendered.findings))
}

/// What a render made.
pub struct Rendered {
    /// The files written.
    pub written: Vec<PathBuf>,
    /// The warnings and notes.
    pub findings: Vec<Finding>,
    /// Each layout laid out, for a preview.
    pub documents: Vec<(Layout, typst_layout::PagedDocument)>,
}

/// [`render`], keeping the laid-out documents.
pub fn render_documents(config: &RenderConfig) -> Result<Rendered, Failure> {
    make(config)?.write(config)
}

/// A render made and not yet written: every file's bytes.
pub struct Made {
    /// Each file: its path and bytes.
    outputs: Vec<(PathBuf, Vec<u8>)>,
    /// The files the report reads, which no output may replace.
    inputs: Vec<PathBuf>,
    /// The warnings and notes so far.
    findings: Vec<Finding>,
    /// Each layout laid out.
    documents: Vec<(Layout, typst_layout::PagedDocument)>,
}

/// Lays the report out and makes every file, writing nothing (see
/// [`Made::write`]): a batch makes the next report while this one is
/// written and synced.
pub fn make(config: &RenderConfig) -> Result<Made, Failure> {
    // A PDF's one file is refused before anything is laid out; the rest
    // (the photos among the inputs, the pages' names) once it is.
    if let export::Destination::File(file) = &config.output.destination
        && config.output.format == OutputFormat::Pdf
    {
        export::guard(
            std::slice::from_ref(file),
            std::slice::from_ref(&config.data),
            config.output.format,
            config.force,
        )?;
    }
    let request = Request {
        data: config.data.clone(),
        layouts: config.layouts.clone(),
        font_paths: config.font_paths.clone(),
        pixels: config.preview || config.output.format != OutputFormat::Pdf,
        pdf: config.output.pdf.clone(),
        archive: config.archive,
    };
    // The documents are exported side by side once every check has run.
    let (outcome, exported) = pipeline::run_exporting(
        &request,
        report::load(&config.data),
        &|prepared, layout, document| {
            let mut files =
                export::export(document, layout, &config.data, &config.output, prepared)?;
            if config.impose && layout == Layout::Brochure {
                let sheets = imposed(
                    config.output.pdf.epoch,
                    config.output.pdf.press_for(Layout::Brochure),
                    prepared,
                    document,
                    &files[0],
                )?;
                files.insert(0, sheets);
            }
            Ok::<_, Failure>(files)
        },
    );
    let prepared = match (&outcome.prepared, outcome.exit(false)) {
        (Some(prepared), Exit::Success) => prepared,
        (_, Exit::CannotRun) => return Err(Failure::CannotRun(outcome.findings)),
        _ => return Err(Failure::Report(outcome.findings)),
    };
    let mut outputs = Vec::new();
    for files in exported {
        outputs.extend(files?);
    }
    // The files the report reads are never an output.
    let mut inputs = vec![config.data.clone()];
    inputs.extend(
        prepared
            .loaded
            .report
            .photos
            .iter()
            .map(|photo| prepared.loaded.root.join(&photo.file)),
    );
    Ok(Made {
        outputs,
        inputs,
        findings: outcome.findings,
        documents: outcome.documents,
    })
}

impl Made {
    /// Writes every file as one set (atomically, see
    /// [`export::write_set`]), after refusing any that would replace what
    /// it should not.
    pub fn write(self, config: &RenderConfig) -> Result<Rendered, Failure> {
        let targets: Vec<PathBuf> = self.outputs.iter().map(|(path, _)| path.clone()).collect();
        export::guard(&targets, &self.inputs, config.output.format, config.force)?;
        let recovered = export::write_set(&self.outputs).map_err(|err| {
            Failure::CannotRun(vec![Finding::error(
                "output-failed",
                format!("cannot write the output: {err}"),
            )])
        })?;
        // Pages of an earlier, longer preview would read as this one's.
        if config.output.format != OutputFormat::Pdf {
            for (layout, document) in &self.documents {
                let pages = document.pages().len();
                let mine = |path: &&PathBuf| {
                    self.documents.len() == 1 || path.to_string_lossy().contains(layout.name())
                };
                if let Some(first) = targets.iter().find(mine) {
                    export::remove_stale_pages(first, pages, config.output.format);
                }
            }
        }
        let mut findings = self.findings;
        findings.extend(recovered);
        Ok(Rendered {
            written: targets,
            findings,
            documents: self.documents,
        })
    }
}

/// The brochure's PDF imposed for saddle stitching, named after it:
/// `report.brochure.pdf` → `report.brochure.imposed.pdf`.
fn imposed(
    epoch: Option<i64>,
    press: crate::press::Press,
    prepared: &pipeline::Prepared,
    document: &typst_layout::PagedDocument,
    (path, pdf): &(PathBuf, Vec<u8>),
) -> Result<(PathBuf, Vec<u8>), Failure> {
    let g = crate::brochure::Geometry::of(prepared.loaded.report.brochure.paper);
    let bleed = prepared
        .data
        .booklet()
        .map(crate::brochure::Booklet::bleed_pages)
        .unwrap_or_default();
    let sheets = crate::brochure::impose::impose(
        pdf.clone(),
        document.pages().len(),
        (g.width, g.height),
        &bleed,
        &prepared.fonts,
        prepared.date,
    )
    .map_err(Failure::CannotRun)?;
    let target = path.with_extension("imposed.pdf");
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom(format!(
            "banmian/{}",
            target.file_name().unwrap_or_default().to_string_lossy()
        )),
        timestamp: Some(export::timestamp(prepared.date, epoch)),
        ..Default::default()
    };
    let bytes = typst_pdf::pdf(&sheets, &options).map_err(|errors| {
        Failure::CannotRun(
            errors
                .iter()
                .map(|e| {
                    Finding::error(
                        "output-failed",
                        format!("cannot write the imposed PDF: {}", e.message),
                    )
                })
                .collect(),
        )
    })?;
    // The sheets go to the press the brochure is made for.
    let bytes = crate::press::with_output_intent(&bytes, press).map_err(|why| {
        Failure::CannotRun(vec![Finding::error(
            "output-failed",
            format!("cannot name the press in the imposed PDF: {why}"),
        )])
    })?;
    Ok((target, bytes))
}
