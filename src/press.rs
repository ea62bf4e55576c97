//! The printing conditions a print PDF is made for: named in its output
//! intent, and what `--cmyk-photos` separates the photos for.
//!
//! Each is a characterized printing condition in the ICC's registry
//! (<https://www.color.org/registry/>), so a PDF names it by its
//! identifier and a RIP or a preflight knows the condition without a
//! profile embedded. banmian bundles no CMYK profile (none with a licence
//! that allows it installs from Debian, PyPI or crates.io), so the
//! separation is a model of the condition — its total ink limit and its
//! dot gain — not a measured profile: see [`crate::photos::separate`].

use serde::{Deserialize, Serialize};

use crate::layouts::Layout;
use crate::pdfpatch::Splice;

/// A printing condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Press {
    /// Coldset offset on newsprint, ISO 12647-3 (IFRA26): a daily's press.
    Newsprint,
    /// Sheetfed offset on coated paper, ISO 12647-2 (FOGRA39): a brochure.
    Coated,
    /// Offset on uncoated paper, ISO 12647-2 (FOGRA47).
    Uncoated,
}

impl Press {
    /// Every condition banmian knows.
    pub const ALL: [Press; 3] = [Press::Newsprint, Press::Coated, Press::Uncoated];

    /// The condition an ICC registry identifier names, if banmian knows it.
    pub fn from_identifier(identifier: &[u8]) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|press| press.identifier().as_bytes() == identifier)
    }

    /// The condition a layout is printed in unless `--press` says: the
    /// newspaper page on newsprint, the brochure on coated paper.
    pub fn of(layout: Layout) -> Self {
        match layout {
            Layout::Newspaper => Press::Newsprint,
            Layout::Brochure => Press::Coated,
        }
    }

    /// Its identifier in the ICC characterization registry.
    pub fn identifier(self) -> &'static str {
        match self {
            Press::Newsprint => "IFRA26",
            Press::Coated => "FOGRA39",
            Press::Uncoated => "FOGRA47",
        }
    }

    /// What the condition is, in words.
    pub fn condition(self) -> &'static str {
        match self {
            Press::Newsprint => "ISO 12647-3:2004, coldset offset on newsprint",
            Press::Coated => "ISO 12647-2:2004, offset on coated paper",
            Press::Uncoated => "ISO 12647-2:2004, offset on uncoated white paper",
        }
    }

    /// The most ink (a fraction: 2.4 is 240 %) the condition takes in
    /// one place before it smears or sets off.
    pub fn total_ink(self) -> f64 {
        match self {
            Press::Newsprint => 2.4,
            Press::Coated => 3.3,
            Press::Uncoated => 3.0,
        }
    }

    /// How much a mid-tone dot grows on the press (tone value increase at
    /// 50 %, a fraction): the separation sets dots smaller by as much.
    pub fn dot_gain(self) -> f64 {
        match self {
            Press::Newsprint => 0.27,
            Press::Coated => 0.14,
            Press::Uncoated => 0.20,
        }
    }

    /// The output intent naming the condition, as a PDF dictionary.
    pub fn output_intent(self) -> String {
        format!(
            "<</Type/OutputIntent/S/GTS_PDFX/OutputConditionIdentifier({id})/RegistryName(http://www.color.org)/OutputCondition({condition})/Info({id}: {condition})>>",
            id = self.identifier(),
            condition = self.condition(),
        )
    }
}

/// The edit putting an output intent naming `press` into the PDF's
/// catalog; none when the catalog already has output intents (a PDF/A
/// file's, which Typst writes and PDF/A allows only one kind of).
pub fn output_intent(pdf: &[u8], press: Press) -> Result<Option<Splice<'static>>, String> {
    let catalog =
        crate::pdfpatch::catalog(pdf).ok_or("no catalog in a classic cross-reference table")?;
    if memchr::memmem::find(&pdf[catalog.clone()], b"/OutputIntents").is_some() {
        return Ok(None);
    }
    let entry = format!("/OutputIntents[{}]", press.output_intent());
    Ok(Some(Splice {
        start: catalog.start,
        end: catalog.start,
        with: entry.into_bytes().into(),
    }))
}

/// The PDF with [`output_intent`] made.
pub fn with_output_intent(pdf: &[u8], press: Press) -> Result<Vec<u8>, String> {
    crate::pdfpatch::apply(pdf, output_intent(pdf, press)?.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_output_intent_goes_into_the_catalog_and_the_offsets_follow() {
        let pdf = crate::pdfpatch::test_pdf(
            &[
                b"<</Type/Catalog/Pages 2 0 R>>".to_vec(),
                b"<</Type/Pages/Kids[]/Count 0>>".to_vec(),
            ],
            1,
        );
        let out = with_output_intent(&pdf, Press::Newsprint).unwrap();
        let text = String::from_utf8_lossy(&out);
        assert!(text.contains(
            "<</OutputIntents[<</Type/OutputIntent/S/GTS_PDFX/OutputConditionIdentifier(IFRA26)"
        ));
        crate::pdfpatch::assert_offsets(&out);
        // A second pass leaves the one intent alone.
        assert_eq!(with_output_intent(&out, Press::Coated).unwrap(), out);
    }

    #[test]
    fn a_title_that_reads_like_a_catalog_is_left_alone() {
        // An object before the catalog whose string names both keys.
        let pdf = crate::pdfpatch::test_pdf(
            &[
                b"<</Title(/Type/Catalog /OutputIntents)>>".to_vec(),
                b"<</Type/Catalog/Pages 3 0 R>>".to_vec(),
            ],
            2,
        );
        let out = with_output_intent(&pdf, Press::Coated).unwrap();
        let text = String::from_utf8_lossy(&out);
        assert!(text.contains(
            "2 0 obj\n<</OutputIntents[<</Type/OutputIntent/S/GTS_PDFX/OutputConditionIdentifier(FOGRA39)"
        ));
        assert!(text.contains("<</Title(/Type/Catalog /OutputIntents)>>"));
        crate::pdfpatch::assert_offsets(&out);
    }
}
