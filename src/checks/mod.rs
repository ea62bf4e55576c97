//! The checks the pipeline runs besides composing and the page rules: the
//! copy's typography before layout (`lint`), glyph coverage (`glyphs`),
//! photo resolution as laid out (`resolution`), and that every layout
//! carries every text (`consistency`).

pub mod consistency;
pub mod glyphs;
pub mod lint;
pub mod preflight;
pub mod resolution;
