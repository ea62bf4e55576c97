//! `banmian extract`: the files an archived PDF carries, listed or written
//! out.

use std::path::{Component, Path};

use crate::archive::{self, embedded};
use crate::exit::Exit;

/// Lists the files `pdf` carries; with `out`, writes each there (atomically,
/// never over a file unless `force`).
pub fn run(pdf: &Path, out: Option<&Path>, force: bool) -> Exit {
    let files = match read(pdf) {
        Ok(files) => files,
        Err(message) => {
            eprintln!("error: {}: {message}", pdf.display());
            return Exit::CannotRun;
        }
    };
    if files.is_empty() {
        eprintln!(
            "error: {} carries no files (`banmian render --archive` makes a PDF that does)",
            pdf.display()
        );
        return Exit::Refused;
    }
    for file in &files {
        println!(
            "{}  {}  {} bytes  sha256 {}",
            file.name,
            file.relationship.as_deref().unwrap_or("-"),
            file.bytes.len(),
            archive::sha256(&file.bytes)
        );
    }
    let Some(out) = out else {
        return Exit::Success;
    };
    if let Err(message) = write_out(&files, out, force) {
        eprintln!("error: {message}");
        return Exit::CannotRun;
    }
    Exit::Success
}

/// The files a PDF on disk carries.
pub fn read(pdf: &Path) -> Result<Vec<embedded::Attached>, String> {
    let bytes = std::fs::read(pdf).map_err(|err| format!("cannot read it: {err}"))?;
    embedded::read(bytes)
}

/// Writes each file into `out` under its own name, which must be a plain
/// file name: a PDF cannot make banmian write anywhere else.
fn write_out(files: &[embedded::Attached], out: &Path, force: bool) -> Result<(), String> {
    std::fs::create_dir_all(out).map_err(|err| format!("cannot make {}: {err}", out.display()))?;
    for file in files {
        let name = Path::new(&file.name);
        let plain = matches!(
            name.components().collect::<Vec<_>>()[..],
            [Component::Normal(_)]
        );
        if !plain {
            return Err(format!(
                "the PDF names a file `{}`, which is not a plain file name; nothing of it was written",
                file.name
            ));
        }
        let target = out.join(name);
        if target.exists() && !force {
            return Err(format!(
                "{} is already there (--force overwrites it)",
                target.display()
            ));
        }
        let mut temp = tempfile::NamedTempFile::new_in(out)
            .map_err(|err| format!("cannot write into {}: {err}", out.display()))?;
        std::io::Write::write_all(&mut temp, &file.bytes)
            .and_then(|()| temp.as_file().sync_all())
            .map_err(|err| format!("cannot write {}: {err}", target.display()))?;
        temp.persist(&target)
            .map_err(|err| format!("cannot write {}: {err}", target.display()))?;
        println!("{}", target.display());
    }
    Ok(())
}
