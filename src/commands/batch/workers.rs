//! `--jobs N` (N > 1): the reports spread over N worker processes, each
//! this program again, making the reports it is handed in turn.
//!
//! Processes, not threads: two jobs in one process share Typst's memoized
//! caches (behind locks both take for every call) and one allocator, and
//! made 50 reports 1.53× as fast as one job; two processes made them 1.75×
//! as fast (README, "Batch"). A worker that dies (a crash, the OOM killer)
//! fails the report it was making, and a new worker takes up the rest.
//!
//! The parent writes an input's number on a worker's standard input, one
//! per line, and the worker answers each with one JSON line on its
//! standard output, once the report's files are written:
//! `{"index": 3, "exit": 0, "line": "…"}`, where `line` is what the batch
//! prints for it.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use super::{BatchConfig, Done, in_turn, line};
use crate::commands::Print;
use crate::exit::Exit;
use crate::findings::Finding;
use crate::layouts::Layout;

/// Set in a worker's environment: the process makes what it is handed.
const WORKER: &str = "BANMIAN_BATCH_WORKER";

/// Inputs a worker holds at once: one being made while the one before is
/// written.
const AHEAD: usize = 2;

/// Is this process a worker of a batch?
pub(super) fn is_worker() -> bool {
    std::env::var_os(WORKER).is_some()
}

/// One report's outcome, as a worker tells it.
#[derive(serde::Serialize, serde::Deserialize)]
pub(super) struct Answer {
    pub index: usize,
    pub exit: u8,
    pub line: String,
}

/// The worker's side: makes the inputs whose numbers arrive on standard
/// input and answers each on standard output, until standard input ends.
pub(super) fn serve(config: &BatchConfig, folder: &Path, inputs: &[&PathBuf]) -> Exit {
    let next = || {
        let mut text = String::new();
        match std::io::stdin().read_line(&mut text) {
            Ok(0) | Err(_) => None,
            // A number that is not an input's is the parent's bug: stop.
            Ok(_) => {
                let index: usize = text.trim().parse().ok()?;
                Some((index, inputs.get(index)?.to_path_buf()))
            }
        }
    };
    let answer = |index: usize, done: Done| {
        let answer = Answer {
            index,
            exit: done.exit.code(),
            line: line(config.print, &done),
        };
        let Ok(text) = serde_json::to_string(&answer) else {
            return false;
        };
        let mut out = std::io::stdout().lock();
        writeln!(out, "{text}").and_then(|()| out.flush()).is_ok()
    };
    // One thread computes: the other jobs are the other workers.
    match in_turn::make_in_turn(config, folder, 1, next, answer) {
        Ok(()) => Exit::Success,
        Err(err) => {
            eprintln!("error: {err}");
            Exit::CannotRun
        }
    }
}

/// The parent's side: hands `inputs` out to `workers` processes and tells
/// `heard` of each answer, in the order they come, until it says to stop.
pub(super) fn run_on_workers(
    config: &BatchConfig,
    folder: &Path,
    inputs: &[&PathBuf],
    workers: usize,
    mut heard: impl FnMut(Answer) -> bool,
) -> Result<(), String> {
    let exe = std::env::current_exe()
        .map_err(|err| format!("cannot find this program to start jobs: {err}"))?;
    let job = Job {
        exe,
        args: worker_args(config, folder, inputs),
        inputs,
        print: config.print,
        workers,
        next: AtomicUsize::new(0),
        stop: AtomicBool::new(false),
    };
    let (tx, rx) = mpsc::channel::<Answer>();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let tx = tx.clone();
            let job = &job;
            scope.spawn(move || job.drive(&tx));
        }
        drop(tx);
        for answer in rx {
            if !heard(answer) {
                job.stop.store(true, Ordering::Relaxed);
                break;
            }
        }
    });
    Ok(())
}

/// What every worker of one batch shares.
struct Job<'a> {
    exe: PathBuf,
    args: Vec<OsString>,
    inputs: &'a [&'a PathBuf],
    print: Print,
    /// How many worker processes share the inputs.
    workers: usize,
    /// The next input no worker has taken.
    next: AtomicUsize,
    /// Set when the batch's reader stopped reading.
    stop: AtomicBool,
}

impl Job<'_> {
    /// The next input nobody has taken, if the batch goes on.
    fn take(&self) -> Option<usize> {
        if self.stop.load(Ordering::Relaxed) {
            return None;
        }
        let index = self.next.fetch_add(1, Ordering::Relaxed);
        (index < self.inputs.len()).then_some(index)
    }

    /// How many inputs nobody has taken yet.
    fn left(&self) -> usize {
        self.inputs
            .len()
            .saturating_sub(self.next.load(Ordering::Relaxed))
    }

    /// Keeps one worker process busy until the inputs run out, starting a
    /// new one when it dies. The inputs a dying worker held are made again,
    /// one at a time, so that only the report it dies on fails.
    fn drive(&self, tx: &mpsc::Sender<Answer>) {
        let mut again: VecDeque<usize> = VecDeque::new();
        loop {
            let Some(first) = again.pop_front().or_else(|| self.take()) else {
                return;
            };
            let (mut child, mut stdin, stdout) = match self.spawn() {
                Ok(started) => started,
                Err(err) => {
                    let why = format!("cannot start a job: {err}");
                    if tx.send(self.failed(first, why)).is_err() {
                        return;
                    }
                    continue;
                }
            };
            let mut held = VecDeque::new();
            let mut answers = BufReader::new(stdout).lines();
            let mut handing = Some(first);
            let ended = 'worker: loop {
                // Ahead of the worker, unless inputs are being made again,
                // or so few are left that one held ahead would keep
                // another worker waiting at the end.
                let room = if again.is_empty() && self.left() >= self.workers {
                    AHEAD
                } else {
                    1
                };
                while held.len() < room {
                    let Some(index) = handing
                        .take()
                        .or_else(|| again.pop_front())
                        .or_else(|| self.take())
                    else {
                        break;
                    };
                    held.push_back(index);
                    if !hand(&mut stdin, index) {
                        break 'worker true;
                    }
                }
                if held.is_empty() {
                    break false;
                }
                let Some(Ok(text)) = answers.next() else {
                    break true;
                };
                let Ok(answer) = serde_json::from_str::<Answer>(&text) else {
                    break true;
                };
                held.retain(|&i| i != answer.index);
                if tx.send(answer).is_err() {
                    // Nobody reads the batch any more. Without more input
                    // the worker stops after the report it is writing,
                    // which it finishes: a killed writer would leave its
                    // temporary files behind.
                    drop(answers);
                    drop(stdin);
                    let _ = child.wait();
                    return;
                }
            };
            drop(stdin);
            if !ended {
                let _ = child.wait();
                continue;
            }
            // The worker died, or spoke nonsense, holding `held`.
            let _ = child.kill();
            let status = child
                .wait()
                .map_or_else(|err| err.to_string(), |s| s.to_string());
            if held.len() == 1 {
                let index = held[0];
                let why = format!(
                    "the job making it stopped ({status}); \
                     a bug of banmian's, please report it"
                );
                if tx.send(self.failed(index, why)).is_err() {
                    return;
                }
            } else {
                // Which of them it died on is not known: each again,
                // alone.
                again.extend(held);
            }
        }
    }

    /// A worker process, and the pipes to hand it inputs and hear it.
    fn spawn(&self) -> std::io::Result<(Child, ChildStdin, ChildStdout)> {
        let mut child = Command::new(&self.exe)
            .args(&self.args)
            .env(WORKER, "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        match (child.stdin.take(), child.stdout.take()) {
            (Some(stdin), Some(stdout)) => Ok((child, stdin, stdout)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                Err(std::io::Error::other("no pipes to the job"))
            }
        }
    }

    /// The answer for a report no worker could make.
    fn failed(&self, index: usize, why: String) -> Answer {
        let done = Done {
            data: self.inputs[index].clone(),
            exit: Exit::CannotRun,
            outputs: Vec::new(),
            findings: vec![Finding::error("internal-error", why)],
            seconds: 0.0,
        };
        Answer {
            index,
            exit: done.exit.code(),
            line: line(self.print, &done),
        }
    }
}

/// Hands input `index` to a worker; false if it has stopped reading.
fn hand(stdin: &mut ChildStdin, index: usize) -> bool {
    writeln!(stdin, "{index}")
        .and_then(|()| stdin.flush())
        .is_ok()
}

/// The command line of a worker: this batch's, with its (already checked)
/// inputs and one job. The batch command line sets no PDF settings: a
/// worker's are the defaults too.
fn worker_args(config: &BatchConfig, folder: &Path, inputs: &[&PathBuf]) -> Vec<OsString> {
    // A value joined to its option: a folder named `-x` is not an option.
    let joined = |option: &str, value: &Path| {
        let mut arg = OsString::from(option);
        arg.push(value.as_os_str());
        arg
    };
    let mut args: Vec<OsString> = vec!["batch".into(), "--jobs".into(), "1".into()];
    args.push(joined("--output=", folder));
    args.extend(["--pages".into(), config.output.format.extension().into()]);
    args.extend(["--ppi".into(), config.output.ppi.to_string().into()]);
    let print = match config.print {
        Print::Human => "human",
        Print::Json => "json",
    };
    args.extend(["--format".into(), print.into()]);
    if let [layout] = config.layouts[..]
        && config.layouts != Layout::ALL
    {
        args.extend(["--layout".into(), layout.name().into()]);
    }
    if config.force {
        args.push("--force".into());
    }
    for path in &config.font_paths {
        args.push(joined("--font-path=", path));
    }
    args.push("--".into());
    args.extend(inputs.iter().map(|p| p.as_os_str().to_owned()));
    args
}
