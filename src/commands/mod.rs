//! One module per subcommand. Each takes a checked config (never clap
//! types), prints what it found and returns how it ended ([`Exit`]);
//! `main.rs` parses the command line and dispatches here.

pub mod batch;
pub mod check;
pub mod extract;
pub mod fonts;
pub mod plan;
pub mod render;
pub mod rules;
pub mod schema;
pub mod verify;
pub mod watch;

use std::path::PathBuf;

pub use crate::exit::Exit;

/// How a command prints what it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Print {
    /// For people: `file:line:col: error[code]: message`, with the source.
    Human,
    /// One JSON document on standard output, for CI.
    Json,
}

/// The `--font-path` folders, checked once for every command: each must
/// be a folder. `Err` says which is not.
pub fn font_paths(paths: Vec<PathBuf>) -> Result<Vec<PathBuf>, String> {
    match paths.iter().find(|folder| !folder.is_dir()) {
        Some(folder) => Err(format!("--font-path {} is not a folder", folder.display())),
        None => Ok(paths),
    }
}
