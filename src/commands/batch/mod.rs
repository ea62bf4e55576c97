//! `banmian batch`: many reports rendered in parallel, each as `render`
//! renders it (every check first, outputs written atomically), into one
//! folder. One report's failure does not stop the others; the exit code is
//! the worst of them. `--shard K/N` takes a stable share of the inputs, so
//! that a CI matrix or indexed jobs spread a large batch over machines.
//!
//! - `in_turn.rs`: reports made one after the other in one process;
//! - `workers.rs`: `--jobs N`, the reports spread over N processes.

mod in_turn;
mod workers;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::Print;
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

/// Does a batch of `inputs` files with `jobs` (as given) render in this
/// process? Not when it hands them to worker processes: then this one
/// needs no fonts or templates made ready.
pub fn renders_here(jobs: Option<usize>, inputs: usize) -> bool {
    workers::is_worker() || jobs.unwrap_or_else(default_jobs) <= 1 || inputs <= 1
}

/// The jobs of a batch that does not say: one a core.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
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
    let Destination::Folder(folder) = &config.output.destination else {
        eprintln!("error: batch writes into a folder (-o DIR)");
        return Exit::CannotRun;
    };
    // A worker is handed numbers into the inputs its batch checked, as
    // they are: working them out again could name other files.
    if workers::is_worker() {
        let inputs: Vec<&PathBuf> = config.inputs.iter().collect();
        return workers::serve(config, folder, &inputs);
    }
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
    let bar = progress(config.print, inputs.len());
    let started = Instant::now();
    let mut exits: Vec<Exit> = Vec::with_capacity(inputs.len());
    // Prints one report's line as it comes; false when nobody reads them
    // any more (`| head`), which stops the batch.
    let mut heard = |exit: Exit, line: &str| {
        exits.push(exit);
        bar.inc(1);
        match config.print {
            Print::Json => {
                let mut out = std::io::stdout().lock();
                writeln!(out, "{line}").is_ok()
            }
            Print::Human => {
                bar.suspend(|| eprintln!("{line}"));
                true
            }
        }
    };
    let ran = if config.jobs > 1 && inputs.len() > 1 {
        workers::run_on_workers(
            config,
            folder,
            &inputs,
            config.jobs.min(inputs.len()),
            |answer| heard(Exit::from_code(answer.exit), &answer.line),
        )
    } else {
        // One report alone spreads its own work over the jobs' threads.
        let mut next = inputs.iter().map(|p| p.to_path_buf()).enumerate();
        in_turn::make_in_turn(
            config,
            folder,
            config.jobs,
            || next.next(),
            |_, done| heard(done.exit, &line(config.print, &done)),
        )
    };
    if let Err(err) = ran {
        bar.finish_and_clear();
        eprintln!("error: {err}");
        return Exit::CannotRun;
    }
    bar.finish_and_clear();
    let failed = exits.iter().filter(|&&e| e != Exit::Success).count();
    if config.print == Print::Human {
        eprintln!(
            "{} report(s) in {:.1} s: {} made, {failed} failed{}",
            exits.len(),
            started.elapsed().as_secs_f64(),
            exits.len() - failed,
            config
                .shard
                .map(|(k, n)| format!(" (shard {k}/{n} of {} inputs)", config.inputs.len()))
                .unwrap_or_default()
        );
    }
    exits
        .into_iter()
        .max_by_key(|e| e.code())
        .unwrap_or(Exit::Success)
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

/// One report's outcome as the batch prints it: a JSON line (on standard
/// output), or a line for people with its first errors (on standard
/// error).
fn line(print: Print, done: &Done) -> String {
    match print {
        Print::Json => serde_json::json!({
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
        })
        .to_string(),
        Print::Human => {
            let errors: Vec<String> = done
                .findings
                .iter()
                .filter(|f| f.is_error())
                .map(Finding::headline)
                .collect();
            let name = crate::cjk::escaped(&done.data.display().to_string());
            if done.exit == Exit::Success {
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
            }
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
