//! What a laid-out document becomes: PDF (typst-pdf), PNG (typst-render)
//! or SVG (typst-svg) files, named after the report and the layout, and
//! written atomically.

use std::path::{Path, PathBuf};

use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;

use crate::exit::Failure;
use crate::findings::Finding;
use crate::layouts::Layout;
use crate::photos;
use crate::pipeline::{self, Prepared, from_typst};
use crate::press::Press;

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
    /// What a PDF claims and carries.
    pub pdf: PdfSettings,
}

/// What a PDF claims and what goes beside it.
#[derive(Debug, Clone, Default)]
pub struct PdfSettings {
    /// The PDF standards it conforms to, as Typst names them (`a-3b`,
    /// `ua-1`…); none: plain PDF 1.7.
    pub standards: Vec<String>,
    /// Also write `<name>.manifest.json` beside it: what made it, with
    /// its own SHA-256.
    pub manifest: bool,
    /// The PDF's date as a Unix time (`SOURCE_DATE_EPOCH`), instead of the
    /// report's date.
    pub epoch: Option<i64>,
    /// The bleed around every page, in pt (`--bleed`); `None`: the
    /// layout's own (none on the newspaper page, 3 mm on the brochure's
    /// full-bleed pages).
    pub bleed: Option<f64>,
    /// Crop and registration marks and a slug line outside the bleed.
    pub marks: bool,
    /// The printing condition (`--press`); `None`: the layout's own
    /// ([`Press::of`]). Named in the output intent of every PDF that is
    /// not PDF/A.
    pub press: Option<Press>,
    /// Colour photos separated into CMYK for the press (`--cmyk-photos`).
    pub cmyk_photos: bool,
}

impl PdfSettings {
    /// The printing condition `layout`'s PDF is made for.
    pub fn press_for(&self, layout: Layout) -> Press {
        self.press.unwrap_or(Press::of(layout))
    }
}

/// The bleed `--marks` takes when `--bleed` does not say: 3 mm.
pub const MARKS_BLEED: f64 = 3.0 * 72.0 / 25.4;

/// A length as `3mm`, `0.125in`, `8.5pt` or `0.3cm`, in pt.
pub fn parse_length(text: &str) -> Result<f64, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a length such as 3mm"))?;
    let pt = match unit {
        "mm" => value * 72.0 / 25.4,
        "cm" => value * 72.0 / 2.54,
        "in" => value * 72.0,
        "pt" => value,
        _ => {
            return Err(format!(
                "`{text}` is not a length such as 3mm (mm, cm, in or pt)"
            ));
        }
    };
    if !(0.0..=72.0).contains(&pt) {
        return Err(format!("a bleed of {text} is not between 0 and 1 inch"));
    }
    Ok(pt)
}

impl PdfSettings {
    /// `SOURCE_DATE_EPOCH`, when it is set to a whole number of seconds
    /// (anything else is an error: a build that asks for a fixed date and
    /// silently gets another is not reproducible).
    pub fn epoch_from_env() -> Result<Option<i64>, String> {
        match std::env::var("SOURCE_DATE_EPOCH") {
            Err(_) => Ok(None),
            Ok(text) => text
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|&s| datetime_of_epoch(s).is_some())
                .map(Some)
                .ok_or_else(|| {
                    format!(
                        "SOURCE_DATE_EPOCH must be a number of seconds since 1970, not `{text}`"
                    )
                }),
        }
    }
}

/// The standards Typst enforces, from their names; an error names the one
/// it does not know or the ones that do not go together.
pub fn pdf_standards(names: &[String]) -> Result<typst_pdf::PdfStandards, String> {
    let list = names
        .iter()
        .map(|name| {
            serde_json::from_value::<typst_pdf::PdfStandard>(serde_json::Value::String(
                name.clone(),
            ))
            .map_err(|_| format!("unknown PDF standard `{name}`"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    typst_pdf::PdfStandards::new(&list).map_err(|err| err.message().to_string())
}

/// The PDF's date: `epoch` (from `SOURCE_DATE_EPOCH`) when given, else
/// the report's date — never the clock, so the same data gives the same
/// bytes.
pub fn timestamp(date: Datetime, epoch: Option<i64>) -> typst_pdf::Timestamp {
    typst_pdf::Timestamp::new_utc(epoch.and_then(datetime_of_epoch).unwrap_or(date))
}

/// A Unix time as a UTC date and time (days to a civil date after Howard
/// Hinnant's `civil_from_days`).
fn datetime_of_epoch(seconds: i64) -> Option<Datetime> {
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Datetime::from_ymd_hms(
        i32::try_from(year).ok()?,
        u8::try_from(month).ok()?,
        u8::try_from(day).ok()?,
        u8::try_from(rest / 3600).ok()?,
        u8::try_from(rest / 60 % 60).ok()?,
        u8::try_from(rest % 60).ok()?,
    )
}

/// The files one layout becomes: (path, bytes), named after the report
/// file `data`.
pub fn export(
    document: &PagedDocument,
    layout: Layout,
    data: &Path,
    output: &Output,
    prepared: &Prepared,
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
            let standards = pdf_standards(&output.pdf.standards).map_err(|message| {
                Failure::CannotRun(vec![Finding::error("output-failed", message)])
            })?;
            let options = typst_pdf::PdfOptions {
                ident: Smart::Custom(format!("banmian/{stem}/{}", layout.name())),
                timestamp: Some(timestamp(prepared.date, output.pdf.epoch)),
                standards,
                ..Default::default()
            };
            let write = |document: &PagedDocument| {
                typst_pdf::pdf(document, &options).map_err(|errors| {
                    Failure::Report(errors.iter().map(|d| from_typst(layout, d, None)).collect())
                })
            };
            let pdf = write(document)?;
            // The edits of Typst's PDF, made in one pass: with marks, each
            // page's bleed box; the output intent naming the press; and,
            // laid out with stand-ins, the photos put back. Should Typst
            // ever write a PDF the restore does not know, the layout is
            // made again with the photos themselves: slower, never wrong.
            let press = output.pdf.press_for(layout);
            let separate = output.pdf.cmyk_photos.then_some(press);
            let edits = |pdf: &[u8]| edits(pdf, &output.pdf, press, layout);
            let finish = |pdf: &[u8]| {
                crate::pdfpatch::apply(pdf, edits(pdf)?).map_err(|why| {
                    Failure::CannotRun(vec![Finding::error(
                        "output-failed",
                        format!("cannot finish the {} PDF: {why}", layout.name()),
                    )])
                })
            };
            let pdf = match prepared.pixels {
                true => finish(&pdf)?,
                false => match photos::restore(&pdf, &prepared.photos, separate, edits(&pdf)?) {
                    Ok(pdf) => pdf,
                    Err(why) if separate.is_some() => {
                        return Err(Failure::CannotRun(vec![Finding::error(
                            "output-failed",
                            format!("cannot separate the {} PDF's photos: {why}", layout.name()),
                        )]));
                    }
                    Err(_) => {
                        let (document, _) = pipeline::compile_with_pixels(prepared, layout)
                            .map_err(Failure::Report)?;
                        finish(&write(&document)?)?
                    }
                },
            };
            Ok(with_manifest(target(None), pdf, prepared, layout, output))
        }
        OutputFormat::Png => pages
            .iter()
            .enumerate()
            .map(|(n, page)| {
                refuse_huge_png(page, layout, output.ppi)?;
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

/// The edits of a PDF Typst wrote, other than its photos: with marks, a
/// page's media box holds them beyond the bleed, so each page gets the
/// bleed box Typst does not write; and the catalog names the press in an
/// output intent.
fn edits(
    pdf: &[u8],
    settings: &PdfSettings,
    press: crate::press::Press,
    layout: Layout,
) -> Result<Vec<crate::pdfpatch::Splice<'static>>, Failure> {
    let failed = |what: &str, why: String| {
        Failure::CannotRun(vec![Finding::error(
            "output-failed",
            format!("cannot {what} the {} PDF: {why}", layout.name()),
        )])
    };
    let mut edits = Vec::new();
    if settings.marks {
        let bleed = settings.bleed.unwrap_or(MARKS_BLEED);
        edits = crate::pdfpatch::bleed_boxes(pdf, bleed)
            .map_err(|why| failed("mark the bleed of", why))?;
    }
    edits.extend(
        crate::press::output_intent(pdf, press).map_err(|why| failed("name the press in", why))?,
    );
    Ok(edits)
}

/// The PDF, and its manifest beside it when asked for.
fn with_manifest(
    path: PathBuf,
    pdf: Vec<u8>,
    prepared: &Prepared,
    layout: Layout,
    output: &Output,
) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    if output.pdf.manifest {
        let mut manifest = crate::archive::Manifest::of(prepared, layout, &output.pdf);
        manifest.output = Some(crate::archive::Hashed {
            file: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            sha256: crate::archive::sha256(&pdf),
        });
        files.push((path.with_extension("manifest.json"), manifest.to_bytes()));
    }
    files.insert(0, (path, pdf));
    files
}

/// The most pixels of one PNG page: 150 megapixels, 600 MB as it is
/// rendered; the broadsheet at 300 ppi is 34 megapixels.
pub const MAX_PNG_PIXELS: f64 = 150_000_000.0;

/// Refuses a PNG page too large to render within memory, with its cost
/// and the highest resolution that fits.
fn refuse_huge_png(page: &typst_layout::Page, layout: Layout, ppi: f32) -> Result<(), Failure> {
    let size = page.frame.size();
    let (w, h) = (size.x.to_pt() / 72.0, size.y.to_pt() / 72.0);
    let ppi = f64::from(ppi);
    let pixels = w * ppi * h * ppi;
    if pixels <= MAX_PNG_PIXELS {
        return Ok(());
    }
    let most = (MAX_PNG_PIXELS / (w * h)).sqrt().floor();
    Err(Failure::CannotRun(vec![
        Finding::error(
            "output-refused",
            format!(
                "a {} page at {ppi} ppi is {:.0} × {:.0} pixels ({:.0} MB to \
                render); a PNG page may have at most {} megapixels",
                layout.name(),
                w * ppi,
                h * ppi,
                pixels * 4.0 / 1e6,
                MAX_PNG_PIXELS / 1e6
            ),
        )
        .hint(format!(
            "at most {most} ppi for this layout; print from the PDF"
        )),
    ]))
}

/// Writes every file of a render as one set: each output folder locked (a
/// second render into it waits), every file written to a temporary file
/// beside its target first, then all renamed over their targets. A reader
/// sees the old files or the new ones, never a part; a render stopped by
/// a signal leaves no temporary file (see [`clean_up_on_stop`]).
///
/// A process killed where no handler runs (SIGKILL, a power cut) between
/// two renames leaves the folder's journal behind; the next render into
/// the folder removes the leftovers and says, as a warning, which of the
/// outputs named in the journal it does not replace and so may still be
/// of two renders.
pub fn write_set(outputs: &[(PathBuf, Vec<u8>)]) -> std::io::Result<Vec<Finding>> {
    let folders: std::collections::BTreeSet<PathBuf> = outputs
        .iter()
        .map(|(path, _)| folder_of(path).to_path_buf())
        .collect();
    let mut locks = Vec::new();
    let mut findings = Vec::new();
    for folder in &folders {
        std::fs::create_dir_all(folder)?;
        locks.push(lock(folder)?);
        writing().push(folder.clone());
        findings.extend(recover(folder, outputs));
    }
    let mut temporaries = Vec::new();
    for (path, bytes) in outputs {
        temporaries.push((temporary(path, bytes)?, path));
    }
    {
        // A stop waits for the renames: the set is replaced as a whole.
        // A set of one folder that gets one file needs no journal: one
        // rename is whole or not done.
        let _renaming = RENAMING.lock().unwrap_or_else(|e| e.into_inner());
        let journaled: Vec<&PathBuf> = folders
            .iter()
            .filter(|folder| {
                folders.len() > 1
                    || outputs
                        .iter()
                        .filter(|(p, _)| folder_of(p) == *folder)
                        .count()
                        > 1
            })
            .collect();
        for folder in &journaled {
            write_journal(folder, outputs)?;
        }
        for (file, path) in temporaries {
            file.persist(path).map_err(|err| err.error)?;
        }
        for folder in &journaled {
            std::fs::remove_file(folder.join(JOURNAL))?;
        }
    }
    writing().retain(|f| !folders.contains(f));
    drop(locks);
    Ok(findings)
}

/// The journal of a set being renamed into its folder: the names of its
/// files, one per line, present only while the renames run.
const JOURNAL: &str = ".banmian.set";

fn write_journal(folder: &Path, outputs: &[(PathBuf, Vec<u8>)]) -> std::io::Result<()> {
    use std::io::Write;
    let mut journal = std::fs::File::create(folder.join(JOURNAL))?;
    for (path, _) in outputs.iter().filter(|(p, _)| folder_of(p) == folder) {
        if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
            writeln!(journal, "{name}")?;
        }
    }
    journal.sync_all()
}

/// Cleans up after a render into `folder` that was killed while renaming
/// (its journal is still there; the folder is locked, so no render is
/// running): removes its temporary files and the journal, and warns about
/// the files it named that this set does not replace.
fn recover(folder: &Path, outputs: &[(PathBuf, Vec<u8>)]) -> Option<Finding> {
    let journal = folder.join(JOURNAL);
    let named = std::fs::read_to_string(&journal).ok()?;
    if let Ok(entries) = std::fs::read_dir(folder) {
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(TEMPORARY) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    let _ = std::fs::remove_file(&journal);
    let replaced: Vec<&std::ffi::OsStr> = outputs
        .iter()
        .filter(|(p, _)| folder_of(p) == folder)
        .filter_map(|(p, _)| p.file_name())
        .collect();
    let mixed: Vec<&str> = named
        .lines()
        .filter(|name| !replaced.contains(&std::ffi::OsStr::new(name)))
        .filter(|name| folder.join(name).is_file())
        .collect();
    let folder_shown = crate::cjk::escaped(&folder.display().to_string());
    Some(if mixed.is_empty() {
        Finding::note(
            "output-recovered",
            format!(
                "an earlier render into {folder_shown} was killed while replacing its files; \
                 this render replaced the whole set and removed its leftovers"
            ),
        )
    } else {
        Finding::warning(
            "output-interrupted",
            format!(
                "an earlier render into {folder_shown} was killed while replacing its files: {} \
                 may be older than the files written with {}",
                crate::cjk::escaped(&mixed.join(", ")),
                if mixed.len() == 1 { "it" } else { "them" }
            ),
        )
        .hint("render that report again to replace its whole set")
    })
}

/// Removes the pages of an earlier, longer render of the same name that
/// this one no longer has: `base-N.ext` past `pages`, each only if it is
/// a file of that format. `first` is this render's first page (`base-1`,
/// or `base` alone for a one-page document).
pub fn remove_stale_pages(first: &Path, pages: usize, format: OutputFormat) {
    let Some(stem) = first.file_stem().and_then(|s| s.to_str()) else {
        return;
    };
    let (base, from) = match stem.strip_suffix("-1") {
        Some(base) if pages > 1 => (base, pages + 1),
        _ => (stem, 1),
    };
    let folder = folder_of(first);
    for n in from.. {
        let stale = folder.join(format!("{base}-{n}.{}", format.extension()));
        if !stale.is_file() || !is_output(&stale, format) {
            break;
        }
        let _ = std::fs::remove_file(stale);
    }
}

fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// An exclusive lock on a folder, held while the returned handle lives.
fn lock(folder: &Path) -> std::io::Result<std::fs::File> {
    let handle = std::fs::File::open(folder)?;
    #[cfg(unix)]
    handle.lock()?;
    Ok(handle)
}

/// `bytes` written to a temporary file beside `path`, synced, with the
/// mode the output will have: the user's umask for a new file, the
/// replaced file's own mode otherwise. Never wider.
fn temporary(path: &Path, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    use std::io::Write;
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMPORARY);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o666, |m| m.permissions().mode() & 0o777);
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    let mut file = builder.tempfile_in(folder_of(path))?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    Ok(file)
}

/// How the name of a temporary output file begins.
const TEMPORARY: &str = ".banmian-";

/// The folders this process is writing into (locked: no other banmian
/// writes there meanwhile), whose temporary files a stop removes.
static WRITING: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());
/// Held while a set of outputs is renamed into place.
static RENAMING: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn writing() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    WRITING.lock().unwrap_or_else(|e| e.into_inner())
}

/// On Ctrl-C or SIGTERM: lets a set being renamed finish, removes the
/// temporary files in the folders being written, and ends the process with
/// the shell's code for the signal (130).
pub fn clean_up_on_stop() {
    let _ = ctrlc::set_handler(|| {
        let _renaming = RENAMING.lock().unwrap_or_else(|e| e.into_inner());
        for folder in writing().iter() {
            let Ok(entries) = std::fs::read_dir(folder) else {
                continue;
            };
            for entry in entries.flatten() {
                if entry.file_name().to_string_lossy().starts_with(TEMPORARY) {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        std::process::exit(130);
    });
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
        // A PDF's manifest goes beside it (`--manifest`).
        let manifest = format == OutputFormat::Pdf
            && target
                .file_name()
                .is_some_and(|n| n.to_string_lossy().ends_with(".manifest.json"));
        if !manifest
            && target
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
        let earlier = if manifest {
            is_manifest(target)
        } else {
            is_output(target, format)
        };
        if !force && !earlier {
            return refuse(
                format!(
                    "{shown} exists and is not a {} banmian made; it is left as it is",
                    if manifest {
                        "manifest".to_string()
                    } else {
                        format.extension().to_uppercase()
                    }
                ),
                "choose another output path, or overwrite it deliberately with --force",
            );
        }
    }
    Ok(())
}

/// Whether the file at `path` is a manifest banmian wrote.
fn is_manifest(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 64];
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let n = file.read(&mut head).unwrap_or(0);
    String::from_utf8_lossy(&head[..n]).contains("\"generator\": \"banmian ")
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
