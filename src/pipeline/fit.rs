//! What composing the newspaper page says: copyfit notes, page rules the
//! chosen page bends, and, when no page was found, why, per story; and
//! which of the editor's pins made the page impossible.

use crate::compose;
use crate::findings::{FieldPath, Finding};
use crate::fonts::{self, Fonts};
use crate::photos::LoadedPhoto;
use crate::report::{self, LoadedReport};
use crate::typeset;

/// What the composer did (copyfit notes), or, when no page was found, why:
/// per story, in characters and lines, and what the composer tried.
pub(super) fn findings(
    loaded: &LoadedReport,
    data: &typeset::PageData,
    composition: &typeset::Composition,
    order: &[usize],
    fonts: &Fonts,
    photos: &[LoadedPhoto],
) -> Vec<Finding> {
    let mut found = Vec::new();
    for (index, headline, area) in data.text_areas() {
        let at = FieldPath::root().key("sections").index(index);
        for adjustment in &area.adjustments {
            found.push(
                Finding::note("fit-copyfit", format!("「{headline}」: {adjustment}"))
                    .at(loaded.source.locate(&at.key("headline"))),
            );
        }
    }
    if let typeset::Composition::Page(page) = composition {
        found.extend(crate::compose::failure::photo_share(loaded, page));
        found.extend(crate::compose::failure::page_rules(loaded, data, page));
    }
    if let typeset::Composition::TooManyStories(count) = composition {
        found.push(
            Finding::error(
                "fit-too-many-stories",
                format!(
                    "{count} stories; a newspaper page holds at most {}",
                    typeset::MAX_STORIES
                ),
            )
            .at(loaded.source.locate(&FieldPath::root().key("sections")))
            .hint("merge short stories, or make the brochure alone (--layout brochure)"),
        );
    }
    if let typeset::Composition::None(diagnosis) = composition {
        found.extend(crate::compose::failure::findings(
            loaded, data, diagnosis, order,
        ));
        // A page that composes without the editor's pins: the pins are
        // what makes it impossible.
        // The narrowest group of pins whose removal lets a page compose.
        for which in crate::compose::failure::Pins::TRIES {
            if let Some(free) = crate::compose::failure::pins(&loaded.report, which)
                && let Some(Ok(unpinned)) = compose_page(
                    &free,
                    fonts,
                    Some(photos),
                    typeset::Asked {
                        newspaper: true,
                        brochure: false,
                    },
                )
                && matches!(unpinned.composition, typeset::Composition::Page(_))
            {
                found.retain(|f| f.code == "fit-unbalanced");
                found.extend(crate::compose::failure::pin_findings(loaded, which));
                break;
            }
        }
    }
    found
}

/// The template data, the layouts asked for composed; `None` when the
/// photos could not be read (nothing to compose around).
pub(super) fn compose_page(
    report: &report::Report,
    fonts: &Fonts,
    photos: Option<&[LoadedPhoto]>,
    layouts: typeset::Asked,
) -> Option<Result<typeset::Typeset, Vec<Finding>>> {
    let photos = photos?;
    let (Some(body), Some(kai)) = (fonts.metrics(fonts::SERIF), fonts.metrics(fonts::KAI)) else {
        return Some(Err(vec![Finding::error(
            "font-missing",
            "the bundled body and Kai faces are missing from the font book",
        )]));
    };
    // Captions are set in Kai with the Song face's quotation marks.
    let kai = compose::Fallback {
        main: &kai,
        other: &body,
        chars: "“”‘’",
    };
    Some(Ok(typeset::page_data(report, photos, &body, &kai, layouts)))
}
