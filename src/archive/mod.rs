//! What an archived PDF carries and how it is read back: the manifest
//! (what made the PDF: banmian's version, the data file, the photos, the
//! fonts and templates, each with its SHA-256), the data file itself, and
//! the reading of both out of a PDF (`banmian extract`, `banmian verify`).
//!
//! - [`manifest`]: the manifest of one layout's render;
//! - [`embedded`]: the files a PDF carries, read back.

pub mod embedded;
pub mod manifest;

pub use manifest::{Hashed, Manifest};

/// The manifest's name inside an archived PDF.
pub const MANIFEST: &str = "banmian-manifest.json";

/// A SHA-256 as lowercase hex.
pub fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
