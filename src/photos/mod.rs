//! Photos: read from inside the report's folder only, and checked to be
//! images before Typst sees them.

mod jpeg;
pub mod separate;
mod standin;

use std::borrow::Cow;
use std::io::Cursor;
use std::path::{Component, Path, PathBuf};

use typst::foundations::{Bytes, Smart};
use typst::visualize::{ExchangeFormat, RasterImage};

use crate::findings::{FieldPath, Finding};
use crate::report::{LoadedReport, SourceMap};

/// The largest photo file read: a full-frame camera's largest JPEG is
/// about a third of it.
pub const MAX_PHOTO_BYTES: u64 = 100_000_000;
/// The most pixels a photo may have: 100 megapixels, twice a high-end
/// camera's; a decoded photo of that size takes 400 MB.
pub const MAX_PIXELS: u64 = 100_000_000;
/// The most pixels along one side.
pub const MAX_SIDE: u32 = 30_000;

/// A photo read and checked, ready to be served to the templates.
pub struct LoadedPhoto {
    /// Its place in the report's `photos`.
    pub index: usize,
    /// Where templates find it, e.g. `/photos/3.jpg`.
    pub vpath: String,
    /// The file's bytes.
    pub bytes: Bytes,
    /// Pixel size.
    pub width: u32,
    /// Pixel size.
    pub height: u32,
    /// The format, as Typst names it.
    format: ExchangeFormat,
    /// A tiny JPEG Typst lays out in its place when no pixel is drawn
    /// (see [`standin`]); `None` where the photo must be decoded.
    standin: Option<Bytes>,
    /// The file's bytes as read, where they differ from [`Self::bytes`]
    /// (a JPEG with EXIF or comments taken out), for its hash.
    file: Option<Bytes>,
}

impl LoadedPhoto {
    /// The SHA-256 of the file as read (not as printed), lowercase hex.
    pub fn file_sha256(&self) -> String {
        crate::archive::sha256(self.file.as_ref().unwrap_or(&self.bytes))
    }

    /// Whether `--cmyk-photos` separates it: a colour JPEG laid out with a
    /// stand-in. A grey one prints on the black plate as it is; other
    /// formats are set as Typst decodes them, in RGB.
    pub fn separable(&self) -> bool {
        self.standin.is_some() && jpeg::header(&self.bytes).is_some_and(|h| h.components == 3)
    }

    /// What Typst is given at [`Self::vpath`]: the photo itself when its
    /// `pixels` are drawn (raster output), else its stand-in if it has one.
    pub fn served(&self, pixels: bool) -> &Bytes {
        match &self.standin {
            Some(standin) if !pixels => standin,
            _ => &self.bytes,
        }
    }
}

/// A PDF laid out with stand-ins (`pixels` false) with every photo's own
/// bytes put back — or, with `press`, every colour JPEG separated for it
/// (see [`separate`]), and the edits `also` made in the same pass (one
/// copy of the PDF, not one per edit) — and an error when the PDF is not
/// as Typst writes it or a photo cannot be separated.
pub fn restore(
    pdf: &[u8],
    photos: &[LoadedPhoto],
    press: Option<crate::press::Press>,
    also: Vec<crate::pdfpatch::Splice>,
) -> Result<Vec<u8>, String> {
    use rayon::prelude::*;
    let separated: Vec<Option<Vec<u8>>> = photos
        .par_iter()
        .map(|photo| match press {
            // Only what the PDF holds: a photo the page left out is not
            // separated.
            Some(press)
                if photo.separable()
                    && photo
                        .standin
                        .as_deref()
                        .is_some_and(|s| memchr::memmem::find(pdf, s).is_some()) =>
            {
                separate::separate(&photo.bytes, press)
                    .map(Some)
                    .map_err(|err| format!("photo {} cannot be separated: {err}", photo.vpath))
            }
            _ => Ok(None),
        })
        .collect::<Result<_, _>>()?;
    let swaps: Vec<standin::Swap> = photos
        .iter()
        .zip(&separated)
        .filter_map(|(photo, separated)| {
            Some(standin::Swap {
                standin: photo.standin.as_deref()?,
                original: separated.as_deref().unwrap_or(&photo.bytes),
                size: (photo.width, photo.height),
                cmyk: separated.is_some(),
            })
        })
        .collect();
    standin::restore(pdf, &swaps, also)
}

/// Reads every photo of the report and checks it is an image; one finding
/// per photo that fails.
pub fn load(loaded: &LoadedReport) -> Result<Vec<LoadedPhoto>, Vec<Finding>> {
    let files: Vec<&str> = loaded
        .report
        .photos
        .iter()
        .map(|p| p.file.as_str())
        .collect();
    let (photos, errors) = load_files(&loaded.root, &loaded.source, &files);
    if errors.is_empty() {
        Ok(photos)
    } else {
        Err(errors)
    }
}

/// The problems of photo files named by a report whose data has errors
/// (see [`crate::report::Partial`]).
pub fn check_files(root: &Path, source: &SourceMap, files: &[&str]) -> Vec<Finding> {
    files
        .iter()
        .enumerate()
        // A `file` that is not text was reported with the data's errors.
        .filter(|(_, file)| !file.is_empty())
        .filter_map(|(index, file)| load_one(root, file, index).err().map(|e| (index, e)))
        .map(|(index, (code, message))| photo_finding(source, index, code, message))
        .collect()
}

/// A photo file's problem, at its `file` field.
fn photo_finding(source: &SourceMap, index: usize, code: &'static str, message: String) -> Finding {
    let path = FieldPath::root().key("photos").index(index).key("file");
    Finding::error(code, message)
        .at(source.locate(&path))
        .hint("photo files are named relative to the report's folder and must stay inside it")
}

/// Each file read and checked: the photos, and one finding per file that
/// fails.
fn load_files(root: &Path, source: &SourceMap, files: &[&str]) -> (Vec<LoadedPhoto>, Vec<Finding>) {
    use rayon::prelude::*;
    // Read on all cores: each file is read, its header followed and its
    // stand-in made on its own.
    let loaded: Vec<_> = files
        .par_iter()
        .enumerate()
        .map(|(index, file)| load_one(root, file, index))
        .collect();
    let mut photos = Vec::new();
    let mut errors = Vec::new();
    for (index, result) in loaded.into_iter().enumerate() {
        match result {
            Ok(photo) => photos.push(photo),
            Err((code, message)) => errors.push(photo_finding(source, index, code, message)),
        }
    }
    (photos, errors)
}

/// Decodes, with Typst's own decoder (see [`decode_all`]), every photo
/// Typst will decode: all of them when their `pixels` are drawn, else
/// those without a stand-in. One finding per photo Typst cannot decode.
pub fn decode(loaded: &LoadedReport, photos: &[LoadedPhoto], pixels: bool) -> Vec<Finding> {
    let needed: Vec<&LoadedPhoto> = photos
        .iter()
        .filter(|photo| pixels || photo.standin.is_none())
        .collect();
    decode_all(&needed)
        .into_iter()
        .zip(&needed)
        .filter_map(|(result, photo)| {
            let index = photo.index;
            let path = FieldPath::root().key("photos").index(index).key("file");
            result.err().map(|message| {
                Finding::error("photo-unreadable", message).at(loaded.source.locate(&path))
            })
        })
        .collect()
}

/// Decodes every photo with Typst's own decoder, on rayon's threads. Typst would
/// decode them one by one during layout; its decoder is memoised, so layout
/// then finds them decoded. A photo Typst cannot decode fails here, named.
fn decode_all(photos: &[&LoadedPhoto]) -> Vec<Result<(), String>> {
    use rayon::prelude::*;
    // Largest first, one photo a task: the last to start is the quickest,
    // and one big photo does not leave the other cores idle at the end.
    let mut order: Vec<usize> = (0..photos.len()).collect();
    order.sort_by_key(|&i| {
        std::cmp::Reverse(u64::from(photos[i].width) * u64::from(photos[i].height))
    });
    let decoded: Vec<(usize, Result<(), String>)> = order
        .into_par_iter()
        .with_max_len(1)
        .map(|i| {
            let photo = photos[i];
            let result = RasterImage::new(photo.bytes.clone(), photo.format, Smart::Auto)
                .map(|_| ())
                .map_err(|err| format!("photo {} cannot be decoded: {err}", photo.vpath));
            (i, result)
        })
        .collect();
    let mut results: Vec<Result<(), String>> = vec![Ok(()); photos.len()];
    for (i, result) in decoded {
        results[i] = result;
    }
    results
}

fn load_one(root: &Path, file: &str, index: usize) -> Result<LoadedPhoto, (&'static str, String)> {
    let (shown, bytes) = read_inside(root, file)?;
    let reader = image::ImageReader::new(Cursor::new(&bytes))
        .with_guessed_format()
        .map_err(|err| {
            (
                "photo-unreadable",
                format!("cannot read photo {shown}: {err}"),
            )
        })?;
    let (ext, format) = match reader.format() {
        Some(image::ImageFormat::Jpeg) => ("jpg", ExchangeFormat::Jpg),
        Some(image::ImageFormat::Png) => ("png", ExchangeFormat::Png),
        Some(image::ImageFormat::Gif) => ("gif", ExchangeFormat::Gif),
        Some(image::ImageFormat::WebP) => ("webp", ExchangeFormat::Webp),
        _ => {
            return Err((
                "photo-not-image",
                format!("photo {shown} is not a JPEG, PNG, GIF or WebP image"),
            ));
        }
    };
    // The size the header claims, before any pixel is decoded: a JPEG's
    // from its frame header as banmian follows its segments (the decoder
    // would build its tables first); anything else, or a JPEG whose
    // segments cannot be followed, by the decoder, which names what is
    // wrong.
    let header = (format == ExchangeFormat::Jpg)
        .then(|| jpeg::header(&bytes))
        .flatten();
    let frame = header
        .as_ref()
        .map(|header| (header.width, header.height))
        .filter(|&(width, height)| width > 0 && height > 0);
    let (width, height) = match frame {
        Some(size) => size,
        None => reader.into_dimensions().map_err(|err| {
            (
                "photo-unreadable",
                format!("photo {shown} is damaged: {err}"),
            )
        })?,
    };
    if u64::from(width) * u64::from(height) > MAX_PIXELS || width.max(height) > MAX_SIDE {
        return Err((
            "photo-too-large",
            format!(
                "photo {shown} claims {width} × {height} pixels; a photo may have at most {} megapixels and {MAX_SIDE} pixels a side",
                MAX_PIXELS / 1_000_000
            ),
        ));
    }
    // What does not print does not go into the PDF.
    // A JPEG whose segments can be followed gets a stand-in, made from the
    // header read above (strip never takes out the frame or the profile);
    // one that cannot is left to the decoder, which names what is wrong.
    let (bytes, file, followed) = match format {
        ExchangeFormat::Jpg => match jpeg::strip(&bytes) {
            Some(Cow::Borrowed(_)) => (bytes, None, true),
            Some(Cow::Owned(stripped)) => (stripped, Some(Bytes::new(bytes)), true),
            None => (bytes, None, false),
        },
        _ => (bytes, None, false),
    };
    let standin = header
        .filter(|_| followed)
        .and_then(|header| standin::make(&header, &bytes, index))
        .map(Bytes::new);
    Ok(LoadedPhoto {
        index,
        vpath: format!("/photos/{index}.{ext}"),
        bytes: Bytes::new(bytes),
        width,
        height,
        format,
        standin,
        file,
    })
}

/// Reads `file` relative to `root`, refusing absolute paths, `..` and
/// symlinks that lead out of the folder. The one place photos touch disk.
pub fn read_inside(root: &Path, file: &str) -> Result<(String, Vec<u8>), (&'static str, String)> {
    let relative = Path::new(file);
    let shown = root.join(relative).display().to_string();
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Err((
            "photo-outside",
            format!(
                "photo `{file}` is outside the report's folder: use a path inside it, without `..` or a leading `/`"
            ),
        ));
    }
    let outside = || {
        (
            "photo-outside",
            format!("photo `{file}` leads outside the report's folder (through a symbolic link)"),
        )
    };
    let canonical_root = root.canonicalize().map_err(|err| {
        (
            "photo-missing",
            format!("cannot open the report's folder {}: {err}", root.display()),
        )
    })?;
    let target: PathBuf = root
        .join(relative)
        .canonicalize()
        .map_err(|err| match err.kind() {
            std::io::ErrorKind::NotFound => ("photo-missing", format!("photo not found: {shown}")),
            _ => (
                "photo-unreadable",
                format!("cannot open photo {shown}: {err}"),
            ),
        })?;
    if !target.starts_with(&canonical_root) {
        return Err(outside());
    }
    if !target.is_file() {
        return Err(("photo-not-image", format!("photo {shown} is not a file")));
    }
    let size = target.metadata().map_or(0, |m| m.len());
    if size > MAX_PHOTO_BYTES {
        return Err((
            "photo-too-large",
            format!(
                "photo {shown} is {} MB; a photo may be at most {} MB",
                size / 1_000_000,
                MAX_PHOTO_BYTES / 1_000_000
            ),
        ));
    }
    let bytes = crate::files::read_at_most(&target, size, MAX_PHOTO_BYTES).map_err(|err| {
        (
            "photo-unreadable",
            format!("cannot read photo {shown}: {err}"),
        )
    })?;
    Ok((shown, bytes))
}

/// A real JPEG of `width` × `height` px (a gradient), made by the image
/// crate, for the photo modules' tests.
#[cfg(test)]
fn test_jpeg(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8 * 4, (y % 256) as u8 * 5, 90])
    });
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_climb_or_start_at_the_root_are_refused() {
        let root = Path::new(".");
        for file in ["../../etc/passwd", "/etc/passwd", "a/../../b.jpg"] {
            let (code, _) = read_inside(root, file).unwrap_err();
            assert_eq!(code, "photo-outside", "{file}");
        }
    }
}
