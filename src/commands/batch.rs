//! `banmian batch`: many reports rendered in parallel, each as `render`
//! renders it (every check first, outputs written atomically), into one
//! folder. One report's failure does not stop the others; the exit code is
//! the worst of them. `--shard K/N` takes a stable share of the inputs, so
//! that a CI matrix or indexed jobs spread a large batch over machines.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use super::Print;
use super::render::{self, RenderConfig};
use crate::exit::{Exit, Failure};
use crate::export::{Destination, Output};
use crate::findings::Finding;
use crate::layouts::Layout;

/// A validated batch request.
#[derive(Debug, Clone)]
pub struct BatchConfig {
    /// The report files, as given.
    pub inputs: Vec<PathBuf>,
    /// The layouts to make of each.
    pub layouts: Vec<Layout>,
    /// The folder every output goes to, named `<stem>.<layout>.<ext>`, and
    /// the format.
    pub output: Output,
    /// Reports rendered at once.
    pub jobs: usize,
    /// This run's share of the inputs: shard `k` (from 1) of `n`.
    pub shard: Option<(usize, usize)>,
    /// How to print each report's outcome.
    pub print: Print,
    /// Folders with extra fonts.
    pub font_paths: Vec<PathBuf>,
    /// Overwrite existing files banmian did not make.
    pub force: bool,
}

/// What became of one report.
struct Done {
    data: PathBuf,
    exit: Exit,
    outputs: Vec<PathBuf>,
    findings: Vec<Finding>,
    seconds: f64,
}

/// Renders the shard's reports, prints one line (or JSON line) per
/// report and a summary, and ends with the worst exit of them.
pub fn run(config: &BatchConfig) -> Exit {
    // The same file named twice is rendered once.
    let mut unique: Vec<&PathBuf> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for input in &config.inputs {
        if seen.insert(std::fs::canonicalize(input).unwrap_or_else(|_| input.clone())) {
            unique.push(input);
        }
    }
    // Checked over every input, not only this shard's: shards write into
    // one folder too.
    if let Some(clash) = same_names(&unique) {
        eprintln!("error: {clash}; their outputs would overwrite each other in one folder");
        return Exit::CannotRun;
    }
    let inputs: Vec<&PathBuf> = unique
        .into_iter()
        .filter(|p| config.shard.is_none_or(|(k, n)| shard_of(p, n) == k))
        .collect();
    let Destination::Folder(folder) = &config.output.destination else {
        eprintln!("error: batch writes into a folder (-o DIR)");
        return Exit::CannotRun;
    };
    // Stacks as deep as the main thread's: Typst recurses.
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(config.jobs)
        .stack_size(8 << 20)
        .build()
    {
        Ok(pool) => pool,
        Err(err) => {
            eprintln!("error: cannot start {} jobs: {err}", config.jobs);
            return Exit::CannotRun;
        }
    };
    let bar = progress(config.print, inputs.len());
    let started = Instant::now();
    let finished = std::sync::atomic::AtomicUsize::new(0);
    // The jobs make each report's files; one more thread writes and syncs
    // them, so that no job waits for the disk (`--jobs` bounds the threads
    // that compute).
    // A report waits for the writer when `jobs` are already waiting: the
    // made files do not pile up in memory behind a slow disk.
    let (made, to_write) = std::sync::mpsc::sync_channel::<Making>(config.jobs);
    let mut done: Vec<(usize, Done)> = std::thread::scope(|scope| {
        let bar = &bar;
        let writer = scope.spawn(move || {
            to_write
                .into_iter()
                .map(|making| {
                    let index = making.index;
                    let done = written(making);
                    bar.inc(1);
                    report(config.print, &done, bar);
                    (index, done)
                })
                .collect::<Vec<_>>()
        });
        pool.install(|| {
            // The jobs stop when the writer has (a reader that stopped
            // reading: `| head`).
            let _ = inputs
                .par_iter()
                .enumerate()
                .try_for_each_with(made, |made, (index, data)| {
                    let making = make(config, index, data, folder);
                    // Typst's caches keep what the next reports share
                    // (fonts, templates) and let the rest go: memory stays
                    // flat. They age once a round of jobs, not once a report.
                    if finished
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                        .is_multiple_of(config.jobs)
                    {
                        comemo::evict(4);
                    }
                    // The writer ends only after every job has sent.
                    made.send(making).map_err(|_| ())
                });
        });
        // The writer's panic is the batch's, as it was raised (a closed
        // pipe ends quietly, see main).
        writer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    });
    done.sort_by_key(|(index, _)| *index);
    let done: Vec<Done> = done.into_iter().map(|(_, done)| done).collect();
    bar.finish_and_clear();
    let failed = done.iter().filter(|d| d.exit != Exit::Success).count();
    if config.print == Print::Human {
        eprintln!(
            "{} report(s) in {:.1} s: {} made, {failed} failed{}",
            done.len(),
            started.elapsed().as_secs_f64(),
            done.len() - failed,
            config
                .shard
                .map(|(k, n)| format!(" (shard {k}/{n} of {} inputs)", config.inputs.len()))
                .unwrap_or_default()
        );
    }
    done.iter()
        .map(|d| d.exit)
        .max_by_key(|e| e.code())
        .unwrap_or(Exit::Success)
}

/// One report made, on its way to be written.
struct Making {
    /// Its place among the inputs.
    index: usize,
    data: PathBuf,
    config: RenderConfig,
    /// How long making it took.
    seconds: f64,
    made: Result<render::Made, Failure>,
}

/// Makes one report's files for `folder`. A panic (a bug of banmian's)
/// fails this report only.
fn make(config: &BatchConfig, index: usize, data: &Path, folder: &Path) -> Making {
    let started = Instant::now();
    let config = RenderConfig {
        data: data.to_path_buf(),
        layouts: config.layouts.clone(),
        output: Output {
            destination: Destination::Folder(folder.to_path_buf()),
            ..config.output.clone()
        },
        font_paths: config.font_paths.clone(),
        force: config.force,
        impose: false,
        preview: false,
        archive: false,
    };
    let made = caught(|| render::make(&config));
    Making {
        index,
        data: data.to_path_buf(),
        config,
        seconds: started.elapsed().as_secs_f64(),
        made,
    }
}

/// Writes one report's files and says how it went.
fn written(making: Making) -> Done {
    // The time it took to make and to write, not the time it waited.
    let started = Instant::now();
    let Making {
        data,
        config,
        seconds,
        made,
        ..
    } = making;
    let result = made.and_then(|made| {
        caught(|| {
            made.write(&config)
                .map(|rendered| (rendered.written, rendered.findings))
        })
    });
    let (exit, outputs, findings) = match result {
        Ok((outputs, findings)) => (Exit::Success, outputs, findings),
        Err(failure) => {
            let exit = failure.exit();
            let findings = match failure {
                Failure::Report(f) | Failure::CannotRun(f) => f,
            };
            (exit, Vec::new(), findings)
        }
    };
    Done {
        data,
        exit,
        outputs,
        findings,
        seconds: seconds + started.elapsed().as_secs_f64(),
    }
}

/// `step`, with a panic (a bug of banmian's) made this report's failure.
fn caught<T>(step: impl FnOnce() -> Result<T, Failure>) -> Result<T, Failure> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(step)).unwrap_or_else(|panic| {
        let why = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(Failure::CannotRun(vec![Finding::error(
            "internal-error",
            format!("internal error (a bug of banmian's, please report it): {why}"),
        )]))
    })
}

/// Prints one report's outcome: a JSON line on standard output, or a line
/// for people (above the progress bar) with its errors.
fn report(print: Print, done: &Done, bar: &indicatif::ProgressBar) {
    match print {
        Print::Json => {
            let line = serde_json::json!({
                "data": done.data.display().to_string(),
                "status": match done.exit {
                    Exit::Success => "made",
                    Exit::Refused => "refused",
                    Exit::CannotRun => "failed",
                },
                "exit": done.exit.code(),
                "outputs": done.outputs.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
                "findings": done.findings.iter().map(Finding::to_json).collect::<Vec<_>>(),
                "seconds": (done.seconds * 1000.0).round() / 1000.0,
            });
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{line}");
        }
        Print::Human => {
            let errors: Vec<String> = done
                .findings
                .iter()
                .filter(|f| f.is_error())
                .map(Finding::headline)
                .collect();
            let name = crate::cjk::escaped(&done.data.display().to_string());
            let line = if done.exit == Exit::Success {
                format!(
                    "made     {name} ({} file(s), {:.2} s)",
                    done.outputs.len(),
                    done.seconds
                )
            } else {
                let mut line = format!("FAILED   {name}: {} error(s)", errors.len());
                for error in errors.iter().take(5) {
                    line.push_str(&format!("\n         {error}"));
                }
                line
            };
            bar.suspend(|| eprintln!("{line}"));
        }
    }
}

/// A progress bar on a terminal when people read the output; none
/// otherwise.
fn progress(print: Print, total: usize) -> indicatif::ProgressBar {
    if print != Print::Human || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:40} {pos}/{len} reports, {elapsed} (about {eta} left)",
    ) {
        bar.set_style(style);
    }
    bar
}

/// The shard (from 1) of `n` a report belongs to: FNV-1a of its file
/// name without its extension (the name its outputs take), so the same
/// report lands in the same shard on every machine and from any folder,
/// and `r.toml` and `r.json` in the same one.
pub fn shard_of(path: &Path, n: usize) -> usize {
    let name = path
        .file_stem()
        .map(|n| n.as_encoded_bytes())
        .unwrap_or_default();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in name {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    (hash % n.max(1) as u64) as usize + 1
}

/// Two inputs whose outputs would have the same names, in words.
fn same_names(inputs: &[&PathBuf]) -> Option<String> {
    let mut seen: std::collections::HashMap<&std::ffi::OsStr, &PathBuf> = Default::default();
    for input in inputs {
        let Some(stem) = input.file_stem() else {
            continue;
        };
        if let Some(other) = seen.insert(stem, input) {
            return Some(format!(
                "{} and {} have the same name",
                other.display(),
                input.display()
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_input_is_in_exactly_one_shard() {
        let inputs: Vec<PathBuf> = (0..200)
            .map(|i| PathBuf::from(format!("r{i}.toml")))
            .collect();
        for n in [1, 2, 3, 7] {
            let mut counts = vec![0; n];
            for input in &inputs {
                let k = shard_of(input, n);
                assert!((1..=n).contains(&k));
                counts[k - 1] += 1;
            }
            // Spread, not all in one.
            assert!(counts.iter().all(|&c| c > 200 / n / 3), "{counts:?}");
        }
        // The folder does not matter, the name does.
        assert_eq!(
            shard_of(Path::new("a/b/r1.toml"), 5),
            shard_of(Path::new("r1.toml"), 5)
        );
    }
}
