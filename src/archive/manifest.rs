//! The manifest: what made a PDF, each input named and hashed, so that an
//! archive can tell later whether it still holds the same inputs and
//! re-render them (`banmian verify`).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::sha256;
use crate::export::PdfSettings;
use crate::fonts::{Fonts, Origin};
use crate::layouts::{Layout, TEMPLATES};
use crate::pipeline::Prepared;

/// A file and its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hashed {
    /// Its name: the data file's name, a photo's `file` as the report
    /// names it, a face's family and style, a template's path.
    pub file: String,
    /// SHA-256, lowercase hex.
    pub sha256: String,
}

/// What made one layout's PDF.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// `banmian <version>`.
    pub generator: String,
    /// `newspaper` or `brochure`.
    pub layout: String,
    /// The data file (its name only: no path of the machine).
    pub data: Hashed,
    /// Each photo as read, in the report's order.
    pub photos: Vec<Hashed>,
    /// Every face the layout could use.
    pub fonts: Vec<Hashed>,
    /// The templates built into this banmian.
    pub templates: Vec<Hashed>,
    /// The PDF standards the file claims.
    pub pdf_standards: Vec<String>,
    /// The PDF's date as a Unix time, when `SOURCE_DATE_EPOCH` gave it
    /// (else it is the report's date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_date_epoch: Option<i64>,
    /// The bleed asked for, in pt (`--bleed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bleed: Option<f64>,
    /// Crop marks (`--marks`).
    #[serde(default)]
    pub marks: bool,
    /// The printing condition named in the PDF's output intent
    /// (`--press`, or the layout's own), when the PDF is not PDF/A.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub press: Option<crate::press::Press>,
    /// Colour photos separated into CMYK for the press (`--cmyk-photos`).
    #[serde(default)]
    pub cmyk_photos: bool,
    /// The PDF itself: only in the manifest written beside it
    /// (`--manifest`), not in the one it carries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Hashed>,
}

impl Manifest {
    /// The manifest of `layout` rendered from `prepared`.
    pub fn of(prepared: &Prepared, layout: Layout, pdf: &PdfSettings) -> Self {
        let loaded = &prepared.loaded;
        Self {
            generator: format!("banmian {}", env!("CARGO_PKG_VERSION")),
            layout: layout.name().into(),
            data: Hashed {
                file: loaded.file_name(),
                sha256: sha256(&loaded.bytes),
            },
            photos: loaded
                .report
                .photos
                .iter()
                .zip(&prepared.photos)
                .map(|(photo, read)| Hashed {
                    file: photo.file.clone(),
                    sha256: read.file_sha256(),
                })
                .collect(),
            fonts: font_hashes(&prepared.fonts),
            templates: TEMPLATES
                .iter()
                .map(|(path, text)| Hashed {
                    file: format!("layouts{path}"),
                    sha256: sha256(text.as_bytes()),
                })
                .collect(),
            pdf_standards: pdf.standards.clone(),
            source_date_epoch: pdf.epoch,
            bleed: pdf.bleed,
            marks: pdf.marks,
            // A PDF/A file names its own output intent (sRGB).
            press: (!pdf.standards.iter().any(|s| s.starts_with("a-")))
                .then(|| pdf.press_for(layout)),
            cmyk_photos: pdf.cmyk_photos,
            output: None,
        }
    }

    /// The manifest as the PDF carries it and as it is written beside it:
    /// pretty JSON, keys in a fixed order, a final newline.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).expect("a manifest serialises");
        bytes.push(b'\n');
        bytes
    }
}

/// Each font file's name with the SHA-256 of its data: the bundled ones
/// worked out once per process (they are 15 MB and never change), those
/// under `--font-path` on each call. Names only, no path of the machine.
fn font_hashes(fonts: &Fonts) -> Vec<Hashed> {
    static BUNDLED: OnceLock<std::sync::Mutex<Vec<Hashed>>> = OnceLock::new();
    let mut out = Vec::new();
    for (index, (_, origin)) in fonts.faces().enumerate() {
        let Some(font) = fonts.font(index) else {
            continue;
        };
        match origin {
            Origin::Bundled(file) => {
                let cache = BUNDLED.get_or_init(Default::default);
                let mut known = crate::compose::locked(cache);
                let hashed = match known.iter().find(|h| h.file == *file) {
                    Some(hashed) => hashed.clone(),
                    None => {
                        let hashed = Hashed {
                            file: (*file).to_string(),
                            sha256: sha256(font.data()),
                        };
                        known.push(hashed.clone());
                        hashed
                    }
                };
                out.push(hashed);
            }
            Origin::Extra(path) => out.push(Hashed {
                file: path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                sha256: sha256(font.data()),
            }),
        }
    }
    out.sort_by(|a, b| a.file.cmp(&b.file));
    out.dedup();
    out
}
