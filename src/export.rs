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
    let mut file = tempfile::Builder::new()
        .prefix(".banmian-")
        .tempfile_in(folder)?;
    file.write_all(bytes)?;
    #[cfg(unix)]
    {
        // tempfile creates 0600; an output is an ordinary file (0644).
        use std::os::unix::fs::PermissionsExt;
        file.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    file.as_file().sync_all()?;
    file.persist(path).map_err(|err| err.error)?;
    Ok(())
}
