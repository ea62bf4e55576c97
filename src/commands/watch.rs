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

/// Edits often come as several events (write, rename, metadata): unless
/// one says the file is whole (closed after writing, renamed into place),
/// they are gathered until none came for this long.
const SETTLE: Duration = Duration::from_millis(40);

/// Renders until stopped (Ctrl-C). Ends early only when it cannot watch or
/// serve.
pub fn run(config: &WatchConfig) -> Exit {
    let data = match std::fs::canonicalize(&config.render.data) {
        Ok(data) if data.is_file() => data,
        _ => {
            eprintln!("error: cannot read {}", config.render.data.display());
            return Exit::CannotRun;
        }
    };
    // Each render reuses what the last found of the stories not edited.
    crate::compose::memo::remember();
    let preview = Arc::new(Preview::default());
    if let Some(addr) = &config.serve {
        match crate::preview::serve(addr, Arc::clone(&preview)) {
            Ok(bound) => {
                if !bound.ip().is_loopback() {
                    eprintln!(
                        "warning: the preview is served on {bound}, beyond this machine: \
                         anyone who reaches it sees the unpublished pages"
                    );
                }
                println!("preview at http://{bound}/");
            }
            Err(err) => {
                eprintln!("error: {err}");
                return Exit::CannotRun;
            }
        }
    }
    let (events, changes) = std::sync::mpsc::channel();
    let changed = data.clone();
    let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind, RenameMode};
        match event {
            // A file written and closed, or renamed into place: the edit
            // is whole, render at once.
            Ok(event)
                if matches!(
                    event.kind,
                    EventKind::Access(AccessKind::Close(AccessMode::Write))
                        | EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both))
                ) =>
            {
                let _ = events.send((event.paths, true));
            }
            // Reading a file is an event too (a render reads them all):
            // only what changes a file counts.
            Ok(event) if event.kind.is_access() => {}
            // The system's queue overflowed: anything may have changed.
            Ok(event) if event.need_rescan() => {
                let _ = events.send((vec![changed.clone()], false));
            }
            Ok(event) => {
                let _ = events.send((event.paths, false));
            }
            Err(_) => {
                let _ = events.send((vec![changed.clone()], false));
            }
        }
    });
    let mut watcher = match watcher {
        Ok(watcher) => watcher,
        Err(err) => {
            eprintln!("error: cannot watch files: {err}");
            return Exit::CannotRun;
        }
    };
    // The folders of the inputs, each watched alone (not the trees under
    // them), as the inputs come to be known.
    let mut watched: Vec<PathBuf> = Vec::new();
    loop {
        // Watched before the render: an edit made while it runs is seen.
        let inputs = inputs_of(&data);
        for folder in inputs.iter().filter_map(|p| p.parent()) {
            // A folder not there yet is tried again after the next change.
            if !watched.iter().any(|w| w == folder)
                && watcher
                    .watch(folder, notify::RecursiveMode::NonRecursive)
                    .is_ok()
            {
                watched.push(folder.to_path_buf());
            }
        }
        // An editor that saves by writing a new file and renaming it over
        // the old one leaves no file for a moment: nothing to say then,
        // the rename is the next event.
        if data.is_file() {
            render_once(&config.render, &preview);
        }
        // Wait for a change to one of them, then for the edit to settle
        // (at most half a second: a folder written to all the time does
        // not hold the render back).
        let mut whole = loop {
            let Ok((paths, whole)) = changes.recv() else {
                return Exit::CannotRun;
            };
            if touches(&paths, &inputs) {
                break whole;
            }
        };
        // A write still going on settles, until an input is closed after
        // writing or renamed into place (whole: render at once) or no event
        // came for a moment.
        let settled = Instant::now() + SETTLE_AT_MOST;
        while !whole && Instant::now() < settled {
            match changes.recv_timeout(SETTLE) {
                Ok((paths, done)) => whole = done && touches(&paths, &inputs),
                Err(_) => break,
            }
        }
        while changes.try_recv().is_ok() {}
    }
}

/// At most this long for an edit to settle.
const SETTLE_AT_MOST: Duration = Duration::from_millis(500);

/// The files a render reads: the data file and every photo it names (also
/// when the report has errors, so that fixing a photo renders again).
fn inputs_of(data: &Path) -> Vec<PathBuf> {
    let mut inputs = vec![data.to_path_buf()];
    if let Some(partial) = crate::report::partial(data) {
        inputs.extend(
            partial
                .photos
                .iter()
                .filter(|p| !p.is_empty())
                .map(|p| partial.root.join(p)),
        );
    }
    // Compared as the events name them: absolute, links resolved where the
    // file exists.
    inputs
        .into_iter()
        .map(|p| std::fs::canonicalize(&p).unwrap_or(p))
        .collect()
}

fn touches(paths: &[PathBuf], inputs: &[PathBuf]) -> bool {
    paths.iter().any(|p| {
        let p = std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
        inputs.contains(&p)
    })
}

/// One render: its line, its findings, the preview updated.
fn render_once(config: &RenderConfig, preview: &Preview) {
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
