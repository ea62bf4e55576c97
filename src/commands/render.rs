//! `banmian render`: the pipeline, then the export of each layout, written
//! atomically and only when every layout succeeded.

use std::path::PathBuf;

use crate::exit::{Exit, Failure};
use crate::export::{self, Output, OutputFormat};
use crate::findings::{self, Finding};
use crate::layouts::Layout;
use crate::pipeline::{self, Request};

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
    let outcome = pipeline::run(&Request {
        data: config.data.clone(),
        layouts: config.layouts.clone(),
        font_paths: config.font_paths.clone(),
    });
    let prepared = match (&outcome.prepared, outcome.exit(false)) {
        (Some(prepared), Exit::Success) => prepared,
        (_, Exit::CannotRun) => return Err(Failure::CannotRun(outcome.findings)),
        _ => return Err(Failure::Report(outcome.findings)),
    };
    let mut outputs = Vec::new();
    for (layout, document) in &outcome.documents {
        outputs.extend(export::export(
            document,
            *layout,
            &config.data,
            &config.output,
            prepared.date,
        )?);
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
    let targets: Vec<PathBuf> = outputs.iter().map(|(path, _)| path.clone()).collect();
    export::guard(&targets, &inputs, config.output.format, config.force)?;
    let recovered = export::write_set(&outputs).map_err(|err| {
        Failure::CannotRun(vec![Finding::error(
            "output-failed",
            format!("cannot write the output: {err}"),
        )])
    })?;
    // Pages of an earlier, longer preview would read as this one's.
    if config.output.format != OutputFormat::Pdf {
        for (layout, document) in &outcome.documents {
            let pages = document.pages().len();
            let mine = |path: &&PathBuf| {
                outcome.documents.len() == 1 || path.to_string_lossy().contains(layout.name())
            };
            if let Some(first) = targets.iter().find(mine) {
                export::remove_stale_pages(first, pages, config.output.format);
            }
        }
    }
    let mut findings = outcome.findings;
    findings.extend(recovered);
    Ok((targets, findings))
}
