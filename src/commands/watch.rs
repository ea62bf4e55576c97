//! `banmian watch`: renders, then renders again on every change of the
//! data file or a photo it names, in one process so that Typst's caches
//! (fonts, templates, decoded photos, unchanged layout) carry over. One
//! line per render; a broken edit prints its findings and keeps the last
//! good output. With `--serve`, a local page shows the pages and findings
//! and reloads after each render (see [`crate::preview`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use notify::Watcher as _;

use super::render::{self, RenderConfig};
use crate::exit::{Exit, Failure};
use crate::findings::{self, Finding, Severity};
use crate::preview::Preview;

/// A validated watch request.
#[derive(Debug, Clone)]
pub struct WatchConfig {
    /// What each render makes, and where.
    pub render: RenderConfig,
    /// Serve the preview on this address (port 0: a free one).
    pub serve: Option<String>,
}

/// Edits often come as several events (write, rename, metadata): they are
/// gathered for this long before a render.
const SETTLE: Duration = Duration::from_millis(40);

/// Renders until stopped (Ctrl-C). Ends early only when it cannot watch or
/// serve.
pub fn run(config: &WatchConfig) -> Exit {
    let preview = Arc::new(Preview::default());
    if let Some(addr) = &config.serve {
        match crate::preview::serve(addr, Arc::clone(&preview)) {
            Ok(bound) => println!("preview at http://{bound}/"),
            Err(err) => {
                eprintln!("error: {err}");
                return Exit::CannotRun;
            }
        }
    }
    let data = match std::fs::canonicalize(&config.render.data) {
        Ok(data) => data,
        Err(err) => {
            eprintln!("error: cannot read {}: {err}", config.render.data.display());
            return Exit::CannotRun;
        }
    };
    let folder = data.parent().unwrap_or(Path::new("/")).to_path_buf();
    let (events, changes) = std::sync::mpsc::channel();
    let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // Reading a file is an event too (render reads them all): only
        // what changes a file counts.
        if let Ok(event) = event
            && !event.kind.is_access()
            && !event.kind.is_other()
        {
            let _ = events.send(event.paths);
        }
    });
    let mut watcher = match watcher {
        Ok(watcher) => watcher,
        Err(err) => {
            eprintln!("error: cannot watch files: {err}");
            return Exit::CannotRun;
        }
    };
    if let Err(err) = watcher.watch(&folder, notify::RecursiveMode::Recursive) {
        eprintln!("error: cannot watch {}: {err}", folder.display());
        return Exit::CannotRun;
    }
    // The files a render depends on: the data file and its photos.
    let mut inputs = vec![data.clone()];
    loop {
        if let Some(read) = render_once(&config.render, &preview) {
            inputs = read
                .iter()
                .filter_map(|p| std::fs::canonicalize(p).ok())
                .collect();
            inputs.push(data.clone());
        }
        // Wait for a change to one of them, then for the edit to settle.
        loop {
            let Ok(paths) = changes.recv() else {
                return Exit::CannotRun;
            };
            if touches(&paths, &inputs) {
                break;
            }
        }
        while changes.recv_timeout(SETTLE).is_ok() {}
    }
}

fn touches(paths: &[PathBuf], inputs: &[PathBuf]) -> bool {
    paths.iter().any(|p| {
        let p = std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
        inputs.contains(&p)
    })
}

/// One render: its line, its findings, the preview updated. Returns the
/// files it read when it succeeded.
fn render_once(config: &RenderConfig, preview: &Preview) -> Option<Vec<PathBuf>> {
    let started = Instant::now();
    let result = render::render_documents(config);
    let ms = started.elapsed().as_millis();
    match result {
        Ok(rendered) => {
            let pages: usize = rendered
                .documents
                .iter()
                .map(|(_, d)| d.pages().len())
                .sum();
            let line = format!(
                "made {} page(s) in {ms} ms: {}",
                pages,
                counts(&rendered.findings)
            );
            let warnings = only_warnings(&rendered.findings);
            // The preview first: once the line is out, the page shows it.
            preview.update(|shown| {
                shown.documents = rendered.documents;
                shown.findings = rendered.findings;
                shown.status = line.clone();
            });
            println!("{line}");
            findings::print(&warnings);
            Some(rendered.inputs)
        }
        Err(failure) => {
            let exit = failure.exit();
            let found = match failure {
                Failure::Report(f) | Failure::CannotRun(f) => f,
            };
            let line = format!(
                "{} in {ms} ms: {}; the last good output is kept",
                if exit == Exit::Refused {
                    "refused"
                } else {
                    "failed"
                },
                counts(&found)
            );
            findings::print(&found);
            preview.update(|shown| {
                shown.findings = found;
                shown.status = line.clone();
            });
            println!("{line}");
            None
        }
    }
}

/// Warnings only: notes would repeat on every render.
fn only_warnings(found: &[Finding]) -> Vec<Finding> {
    found
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .cloned()
        .collect()
}

fn counts(found: &[Finding]) -> String {
    let count = |s: Severity| found.iter().filter(|f| f.severity == s).count();
    format!(
        "{} error(s), {} warning(s), {} note(s)",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Note)
    )
}
