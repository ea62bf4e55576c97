//! What a laid-out document becomes: PDF (typst-pdf), PNG (typst-render)
//! or SVG (typst-svg) files, named after the report and the layout, and
//! written atomically.

use std::path::{Path, PathBuf};

use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;

use crate::exit::Failure;
use crate::findings::Finding;
use crate::layouts::Layout;
use crate::pipeline::from_typst;

/// What to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// One PDF per layout.
    Pdf,
    /// One PNG per page.
    Png,
    /// One SVG per page.
    Svg,
}

impl OutputFormat {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Pdf => "pdf",
            OutputFormat::Png => "png",
            OutputFormat::Svg => "svg",
        }
    }
}

/// Where to write.
#[derive(Debug, Clone)]
pub enum Destination {
    /// Into a folder, as `<data-stem>.<layout>.<ext>`.
    Folder(PathBuf),
    /// Exactly this file (one layout only; pages numbered for images).
    File(PathBuf),
}

/// How and where the files are made.
#[derive(Debug, Clone)]
pub struct Output {
    /// Where to write them.
    pub destination: Destination,
    /// PDF, PNG or SVG.
    pub format: OutputFormat,
    /// Pixels per inch for PNG.
    pub ppi: f32,
}

/// The files one layout becomes: (path, bytes), named after the report
/// file `data`.
pub fn export(
    document: &PagedDocument,
    layout: Layout,
    data: &Path,
    output: &Output,
    date: Datetime,
) -> Result<Vec<(PathBuf, Vec<u8>)>, Failure> {
    let ext = output.format.extension();
    let stem = data
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let target = |page: Option<usize>| -> PathBuf {
        let numbered = |base: String| match page {
            Some(n) => format!("{base}-{n}.{ext}"),
            None => format!("{base}.{ext}"),
        };
        match &output.destination {
            Destination::Folder(folder) => {
                folder.join(numbered(format!("{stem}.{}", layout.name())))
            }
            Destination::File(file) if page.is_none() => file.clone(),
            Destination::File(file) => {
                let base = file.with_extension("");
                PathBuf::from(numbered(base.to_string_lossy().into_owned()))
            }
        }
    };
    let pages = document.pages();
    let per_page = |n: usize| if pages.len() == 1 { None } else { Some(n + 1) };
    match output.format {
        OutputFormat::Pdf => {
            let options = typst_pdf::PdfOptions {
                ident: Smart::Custom(format!("banmian/{stem}/{}", layout.name())),
                timestamp: Some(typst_pdf::Timestamp::new_utc(date)),
                ..Default::default()
            };
            let pdf = typst_pdf::pdf(document, &options).map_err(|errors| {
                Failure::Report(errors.iter().map(|d| from_typst(layout, d, None)).collect())
            })?;
            Ok(vec![(target(None), pdf)])
        }
        OutputFormat::Png => pages
            .iter()
            .enumerate()
            .map(|(n, page)| {
                let options = typst_render::RenderOptions {
                    pixel_per_pt: (f64::from(output.ppi) / 72.0).into(),
                    render_bleed: false,
                };
                let png = typst_render::render(page, &options)
                    .encode_png()
                    .map_err(|err| {
                        Failure::CannotRun(vec![Finding::error(
                            "output-failed",
                            format!("cannot encode PNG: {err}"),
                        )])
                    })?;
                Ok((target(per_page(n)), png))
            })
            .collect(),
        OutputFormat::Svg => Ok(pages
            .iter()
            .enumerate()
            .map(|(n, page)| {
                let options = typst_svg::SvgOptions {
                    render_bleed: false,
                    pretty: false,
                };
                (
                    target(per_page(n)),
                    typst_svg::svg(page, &options).into_bytes(),
                )
            })
            .collect()),
    }
}

/// Writes through a temporary file in the same folder, then renames it over
/// the target: a reader sees the old file or the new one, never a part.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".banmian-");
    #[cfg(unix)]
    {
        // A new output is as open as the user's umask makes a new file; a
        // replaced one keeps its own mode. Never wider.
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o666, |m| m.permissions().mode() & 0o777);
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    let mut file = builder.tempfile_in(folder)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|err| err.error)?;
    Ok(())
}

/// Refuses, before anything is made, an output that would destroy what it
/// should not: a file the report reads (`inputs`: its data file and
/// photos), something that is not a regular file (a folder, a device, a
/// symbolic link), a file whose extension says another format, or (unless
/// `force`) an existing file that is not an earlier output of this format.
pub fn guard(
    targets: &[PathBuf],
    inputs: &[PathBuf],
    format: OutputFormat,
    force: bool,
) -> Result<(), Failure> {
    let refuse = |message: String, hint: &str| {
        Err(Failure::CannotRun(vec![
            Finding::error("output-refused", message).hint(hint.to_string()),
        ]))
    };
    let inputs: Vec<PathBuf> = inputs
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    for target in targets {
        let shown = target.display();
        if target
            .extension()
            .and_then(|e| e.to_str())
            .is_none_or(|e| !e.eq_ignore_ascii_case(format.extension()))
        {
            return refuse(
                format!(
                    "{shown} does not end in .{}, the format asked for",
                    format.extension()
                ),
                "name the output after its format, or choose the format with --format",
            );
        }
        let Ok(meta) = std::fs::symlink_metadata(target) else {
            continue;
        };
        if !meta.file_type().is_file() {
            return refuse(
                format!("{shown} exists and is not a regular file"),
                "choose another output path",
            );
        }
        if let Ok(canonical) = target.canonicalize()
            && inputs.contains(&canonical)
        {
            return refuse(
                format!("{shown} is a file the report reads; writing there would destroy it"),
                "choose another output path",
            );
        }
        if !force && !is_output(target, format) {
            return refuse(
                format!(
                    "{shown} exists and is not a {} banmian made; it is left as it is",
                    format.extension().to_uppercase()
                ),
                "choose another output path, or overwrite it deliberately with --force",
            );
        }
    }
    Ok(())
}

/// Whether the file at `path` starts as a file of `format` does.
fn is_output(path: &Path, format: OutputFormat) -> bool {
    use std::io::Read;
    let mut head = [0u8; 8];
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let n = file.read(&mut head).unwrap_or(0);
    let head = &head[..n];
    match format {
        OutputFormat::Pdf => head.starts_with(b"%PDF-"),
        OutputFormat::Png => head.starts_with(b"\x89PNG\r\n\x1a\n"),
        OutputFormat::Svg => head.starts_with(b"<svg") || head.starts_with(b"<?xml"),
    }
}
