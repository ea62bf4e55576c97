//! Reports made one after the other in this process, while one more
//! thread writes and syncs the files of the report before: `--jobs 1`,
//! one report alone, and each worker of a larger batch.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{BatchConfig, Done, caught};
use crate::commands::render::{self, RenderConfig};
use crate::exit::{Exit, Failure};
use crate::export::{Destination, Output};

/// Makes the reports `next` hands out, in turn, on a pool of `threads`
/// (the threads one report's own work spreads over), and tells `done` of
/// each once its files are written. It stops when `next` runs dry, or
/// when `done` says to (a reader that stopped reading: `| head`).
pub(super) fn make_in_turn(
    config: &BatchConfig,
    folder: &Path,
    threads: usize,
    mut next: impl FnMut() -> Option<(usize, PathBuf)> + Send,
    mut done: impl FnMut(usize, Done) -> bool + Send,
) -> Result<(), String> {
    // Stacks as deep as the main thread's: Typst recurses.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .stack_size(8 << 20)
        .build()
        .map_err(|err| format!("cannot start {threads} threads: {err}"))?;
    // The writer runs beside the making, so that no report waits for the
    // disk. A report waits for it when one made report is already
    // waiting: made files do not pile up in memory behind a slow disk.
    let (made, to_write) = std::sync::mpsc::sync_channel::<Making>(1);
    std::thread::scope(|scope| {
        let writer = scope.spawn(move || {
            for making in to_write {
                let index = making.index;
                if !done(index, written(making)) {
                    // Dropping the receiver stops the making.
                    break;
                }
            }
        });
        pool.install(|| {
            while let Some((index, data)) = next() {
                let making = make(config, index, &data, folder);
                // Typst's caches keep what the next reports share (fonts,
                // templates) and let the rest go: memory stays flat.
                comemo::evict(4);
                if made.send(making).is_err() {
                    break;
                }
            }
            drop(made);
        });
        // The writer's panic is the batch's, as it was raised.
        writer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    });
    Ok(())
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
