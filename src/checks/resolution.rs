//! Photos printed at an effective resolution too low for print.

use typst_layout::PagedDocument;

use crate::compose::grid;
use crate::findings::{FieldPath, Finding, PageLocation};
use crate::inspect::markers;
use crate::layouts::Layout;
use crate::photos::LoadedPhoto;
use crate::report::LoadedReport;

/// Effective resolution below which a photo is flagged, pixels per inch.
pub const PPI_WARNING: f64 = 200.0;
/// Effective resolution below which a photo will print visibly soft.
pub const PPI_ERROR: f64 = 100.0;

/// Photos printed at an effective resolution too low for print: each
/// placement the layout reports, against the photo's pixels (a photo
/// cropped to fill its frame is scaled by the larger of the two ratios).
pub fn check(
    loaded: &LoadedReport,
    photos: &[LoadedPhoto],
    layout: Layout,
    document: &PagedDocument,
) -> Vec<Finding> {
    let mut found = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for marker in markers(document, "banmian-photo") {
        let value = &marker.value;
        let (Some(index), Some(width), Some(height)) = (
            value.get("photo").and_then(|v| v.as_u64()),
            value.get("width").and_then(|v| v.as_f64()),
            value.get("height").and_then(|v| v.as_f64()),
        ) else {
            continue;
        };
        let index = index as usize;
        let Some(photo) = photos.get(index) else {
            continue;
        };
        let ppi =
            (f64::from(photo.width) * 72.0 / width).min(f64::from(photo.height) * 72.0 / height);
        if ppi >= PPI_WARNING || !seen.insert(index) {
            continue;
        }
        let file = &loaded.report.photos[index].file;
        let message = format!(
            "photo {file} prints at {ppi:.0} ppi on the {} ({:.0} × {:.0} mm from {} × {} px)",
            layout.name(),
            width / 72.0 * 25.4,
            height / 72.0 * 25.4,
            photo.width,
            photo.height
        );
        let finding = if ppi < PPI_ERROR {
            Finding::error("photo-resolution", message)
        } else {
            Finding::warning("photo-resolution", message)
        };
        found.push(
            finding
                .at(loaded
                    .source
                    .locate(&FieldPath::root().key("photos").index(index).key("file")))
                .hint(format!(
                    "print wants {PPI_WARNING:.0} ppi: a larger original, or fewer columns"
                ))
                .on_page(PageLocation {
                    layout: layout.name().into(),
                    page: marker.page,
                    column: grid::column_at(layout, marker.page_width, marker.x),
                }),
        );
    }
    found
}
