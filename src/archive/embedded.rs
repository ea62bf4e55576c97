//! The files a PDF carries (its embedded files name tree), read back.

use hayro_syntax::Pdf;
use hayro_syntax::object::{Array, Dict, Name, Object, Stream};

/// A file a PDF carries.
#[derive(Debug, Clone)]
pub struct Attached {
    /// Its name in the PDF.
    pub name: String,
    /// How it relates to the document (`Source`, `Data`…), if said.
    pub relationship: Option<String>,
    /// Its bytes, decompressed.
    pub bytes: Vec<u8>,
}

/// How deep a name tree may go before it is taken for a loop.
const MAX_DEPTH: usize = 16;

/// Every file the PDF `bytes` carries, in the order of its name tree; an
/// error says what is not a readable PDF.
pub fn read(bytes: Vec<u8>) -> Result<Vec<Attached>, String> {
    let pdf = Pdf::new(bytes).map_err(|err| format!("not a readable PDF ({err:?})"))?;
    let catalog: Dict = pdf
        .xref()
        .get(pdf.xref().root_id())
        .ok_or("a PDF without a catalog")?;
    let mut out = Vec::new();
    let tree = catalog
        .get::<Dict>(b"Names")
        .and_then(|names| names.get::<Dict>(b"EmbeddedFiles"));
    if let Some(tree) = tree {
        walk(&tree, 0, &mut out)?;
    }
    Ok(out)
}

/// One node of the name tree: its `/Names` pairs, then its `/Kids`.
fn walk(node: &Dict, depth: usize, out: &mut Vec<Attached>) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err("an embedded-files tree too deep to be real".into());
    }
    if let Some(names) = node.get::<Array>(b"Names") {
        let mut items = names.iter::<Object>();
        while let (Some(_key), Some(value)) = (items.next(), items.next()) {
            if let Object::Dict(spec) = value {
                out.push(file_of(&spec)?);
            }
        }
    }
    if let Some(kids) = node.get::<Array>(b"Kids") {
        for kid in kids.iter::<Dict>() {
            walk(&kid, depth + 1, out)?;
        }
    }
    Ok(())
}

/// A file specification's name, relationship and data.
fn file_of(spec: &Dict) -> Result<Attached, String> {
    let text = |key: &[u8]| {
        spec.get::<hayro_syntax::object::String>(key)
            .map(|s| decode_text(s.as_bytes()))
    };
    let name = text(b"UF").or_else(|| text(b"F")).unwrap_or_default();
    let stream: Stream = spec
        .get::<Dict>(b"EF")
        .and_then(|ef| ef.get::<Stream>(b"F").or_else(|| ef.get::<Stream>(b"UF")))
        .ok_or_else(|| format!("the embedded file {name} has no data"))?;
    let bytes = stream
        .decoded()
        .map_err(|err| format!("the embedded file {name} cannot be decoded ({err:?})"))?
        .into_owned();
    Ok(Attached {
        name,
        relationship: spec
            .get::<Name>(b"AFRelationship")
            .map(|n| n.as_str().to_string()),
        bytes,
    })
}

/// A PDF text string: UTF-16BE with its byte-order mark, UTF-8 with its
/// own, or PDFDocEncoding (taken as Latin-1, which it is for ASCII).
fn decode_text(bytes: &[u8]) -> String {
    if let Some(utf16) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = utf16
            .chunks_exact(2)
            .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(utf8) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(utf8).into_owned();
    }
    bytes.iter().map(|&b| char::from(b)).collect()
}
