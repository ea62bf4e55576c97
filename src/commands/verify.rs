//! `banmian verify`: an archived PDF rendered again from the data it
//! carries (its photos from beside it), byte for byte.

use std::path::{Path, PathBuf};

use crate::archive::{self, Manifest};
use crate::exit::Exit;
use crate::export::{self, Destination, Output, OutputFormat, PdfSettings};
use crate::findings;
use crate::layouts::Layout;
use crate::pipeline::{self, Request};

/// A checked verify request.
#[derive(Debug, Clone)]
pub struct VerifyConfig {
    /// The archived PDF.
    pub pdf: PathBuf,
    /// The folder the photos are named from (default: the PDF's).
    pub photos: Option<PathBuf>,
    /// Folders with extra fonts.
    pub font_paths: Vec<PathBuf>,
}

/// Verifies, prints what it found, and ends 0 (the same bytes), 1 (not the
/// same, or cannot be rendered again) or 2 (not an archived PDF).
pub fn run(config: &VerifyConfig) -> Exit {
    match verify(config) {
        Ok(Verdict::Same(line)) => {
            println!("{line}");
            Exit::Success
        }
        Ok(Verdict::Differs(lines)) => {
            for line in lines {
                eprintln!("{line}");
            }
            Exit::Refused
        }
        Err(message) => {
            eprintln!("error: {}: {message}", config.pdf.display());
            Exit::CannotRun
        }
    }
}

/// What verify found.
enum Verdict {
    /// The PDF is what its data makes.
    Same(String),
    /// What differs.
    Differs(Vec<String>),
}

fn verify(config: &VerifyConfig) -> Result<Verdict, String> {
    let original = std::fs::read(&config.pdf).map_err(|err| format!("cannot read it: {err}"))?;
    let files = archive::embedded::read(original.clone())?;
    let manifest = files
        .iter()
        .find(|f| f.name == archive::MANIFEST)
        .ok_or("it carries no manifest: was it made with `banmian render --archive`?")?;
    let manifest: Manifest = serde_json::from_slice(&manifest.bytes)
        .map_err(|err| format!("its manifest cannot be read: {err}"))?;
    let data = files
        .iter()
        .find(|f| f.name == manifest.data.file)
        .ok_or_else(|| {
            format!(
                "it carries no {}, the data its manifest names",
                manifest.data.file
            )
        })?;
    let mut differs = Vec::new();
    if archive::sha256(&data.bytes) != manifest.data.sha256 {
        differs.push(format!(
            "the data file {} it carries is not the one its manifest hashed",
            data.name
        ));
    }
    let layout = Layout::ALL
        .iter()
        .copied()
        .find(|l| l.name() == manifest.layout)
        .ok_or_else(|| format!("its manifest names an unknown layout `{}`", manifest.layout))?;
    let root = config.photos.clone().unwrap_or_else(|| {
        config
            .pdf
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf()
    });
    let path = root.join(&manifest.data.file);
    let settings = PdfSettings {
        standards: manifest.pdf_standards.clone(),
        manifest: false,
        epoch: manifest.source_date_epoch,
        bleed: manifest.bleed,
        marks: manifest.marks,
        press: manifest.press,
        cmyk_photos: manifest.cmyk_photos,
    };
    let outcome = pipeline::run_with(
        &Request {
            data: path.clone(),
            layouts: vec![layout],
            font_paths: config.font_paths.clone(),
            pixels: false,
            pdf: settings.clone(),
            archive: true,
        },
        crate::report::load_from(&path, data.bytes.clone(), &root),
    );
    let (Some(prepared), [(_, document)]) = (&outcome.prepared, &outcome.documents[..]) else {
        findings::print(&outcome.findings);
        differs.push("the data it carries does not render again (see above)".into());
        return Ok(Verdict::Differs(differs));
    };
    for (i, (read, hashed)) in prepared.photos.iter().zip(&manifest.photos).enumerate() {
        if read.file_sha256() != hashed.sha256 {
            differs.push(format!(
                "photo {} ({}) is not the one the PDF was made from",
                i + 1,
                root.join(&hashed.file).display()
            ));
        }
    }
    let output = Output {
        destination: Destination::Folder(root.clone()),
        format: OutputFormat::Pdf,
        ppi: 72.0,
        pdf: settings,
    };
    let made = export::export(document, layout, &path, &output, prepared)
        .map_err(|failure| format!("cannot make the PDF again: {:?}", failure.findings()))?;
    let again = &made[0].1;
    let generator = format!("banmian {}", env!("CARGO_PKG_VERSION"));
    if *again == original && differs.is_empty() {
        return Ok(Verdict::Same(format!(
            "verified: {} is byte for byte what {generator} makes of the {} and {} photo(s) it names",
            config.pdf.display(),
            manifest.data.file,
            manifest.photos.len()
        )));
    }
    if *again != original {
        let at = again
            .iter()
            .zip(&original)
            .position(|(a, b)| a != b)
            .unwrap_or(again.len().min(original.len()));
        differs.push(format!(
            "rendered again, the PDF differs from byte {at} on ({} bytes against {})",
            again.len(),
            original.len()
        ));
        if manifest.generator != generator {
            differs.push(format!(
                "it was made by {}; this is {generator}",
                manifest.generator
            ));
        }
    }
    Ok(Verdict::Differs(differs))
}
