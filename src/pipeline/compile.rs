//! Laying out one layout with Typst, and the findings that come back:
//! Typst's own diagnostics and those the templates publish on purpose.

use typst::diag::{Severity as TypstSeverity, SourceDiagnostic};
use typst::{World, WorldExt};
use typst_layout::PagedDocument;

use super::Prepared;
use crate::compose::grid;
use crate::findings::{Finding, PageLocation};
use crate::layouts::Layout;
use crate::report;
use crate::world::ReportWorld;

/// Lays out one layout; errors if Typst fails or the template reports an
/// error (text that does not fit). Warnings come back with the document.
pub fn compile(
    prepared: &Prepared,
    layout: Layout,
) -> Result<(PagedDocument, Vec<Finding>), Vec<Finding>> {
    compile_serving(prepared, layout, prepared.pixels)
}

/// [`compile`] with the photos themselves, whatever `prepared` asked.
pub fn compile_with_pixels(
    prepared: &Prepared,
    layout: Layout,
) -> Result<(PagedDocument, Vec<Finding>), Vec<Finding>> {
    compile_serving(prepared, layout, true)
}

fn compile_serving(
    prepared: &Prepared,
    layout: Layout,
    pixels: bool,
) -> Result<(PagedDocument, Vec<Finding>), Vec<Finding>> {
    let mut files: Vec<(String, typst::foundations::Bytes)> = prepared
        .photos
        .iter()
        .map(|p| (p.vpath.clone(), p.served(pixels).clone()))
        .collect();
    files.extend(pdf_files(prepared, layout));
    let world = ReportWorld::new(
        layout,
        &prepared.fonts,
        prepared.json.clone(),
        files,
        prepared.date,
    );
    // No page was composed: the composer's errors say why.
    if layout == Layout::Newspaper && !prepared.data.has_newspaper() {
        return Err(prepared
            .fit
            .iter()
            .filter(|f| f.is_error())
            .cloned()
            .collect());
    }
    let result = typst::compile::<PagedDocument>(&world);
    let mut warnings: Vec<Finding> = result
        .warnings
        .iter()
        .map(|d| from_typst(layout, d, Some(&world)))
        .collect();
    let document = result.output.map_err(|errors| {
        errors
            .iter()
            .map(|d| from_typst(layout, d, Some(&world)))
            .collect::<Vec<_>>()
    })?;
    let document = match layout {
        Layout::Newspaper => one_page(document),
        Layout::Brochure => document,
    };
    let (mut errors, template_warnings): (Vec<_>, Vec<_>) =
        template_findings(prepared, layout, &document)
            .into_iter()
            .partition(Finding::is_error);
    if layout == Layout::Newspaper {
        errors.extend(prepared.fit.iter().filter(|f| f.is_error()).cloned());
    }
    warnings.extend(template_warnings);
    if !errors.is_empty() {
        // The warnings go along: a check lists everything.
        errors.extend(warnings);
        return Err(errors);
    }
    Ok((document, warnings))
}

/// The newspaper page as the one page it is. The template lays out the
/// second half of the page's modules on a page of its own, at the place
/// they take on the first (Typst 0.15.1 lays out separate runs of pages
/// side by side, on two cores: 3–7 ms of a render). That page's content
/// goes back onto the first page right after the first page's body, and
/// before its foreground (the print marks), as if laid out in one run:
/// the PDF is byte for byte the one a single run makes. Markers, tags and
/// links are found again from the one page.
fn one_page(document: PagedDocument) -> PagedDocument {
    use typst::layout::{FrameItem, GroupItem, Point};
    use typst::model::Document;
    let [first, parts @ ..] = document.pages() else {
        return document;
    };
    if parts.is_empty() {
        return document;
    }
    let mut page = first.clone();
    // The second page has no marginals: its last group is its body, at
    // the margins' corner, where the first page's body is too.
    let corner = parts[0]
        .frame
        .items()
        .rev()
        .find(|(_, item)| matches!(item, FrameItem::Group(_)))
        .map(|(pos, _)| *pos);
    let at = corner
        .and_then(|corner| {
            page.frame
                .items()
                .rposition(|(pos, item)| *pos == corner && matches!(item, FrameItem::Group(_)))
        })
        .map_or(page.frame.items().len(), |i| i + 1);
    for (i, part) in parts
        .iter()
        .filter(|part| !part.frame.is_empty())
        .enumerate()
    {
        page.frame.insert(
            at + i,
            Point::zero(),
            FrameItem::Group(GroupItem::new(part.frame.clone())),
        );
    }
    PagedDocument::new(std::iter::once(page).collect(), document.info().clone())
}

/// What the templates learn of the PDF: `/pdf.json` says whether it is a
/// PDF/A; an archived PDF's files are listed at `/attachments.json`, each
/// file's bytes at `/attach/N` — the data file as read (relationship
/// Source) and the manifest (Data).
fn pdf_files(prepared: &Prepared, layout: Layout) -> Vec<(String, typst::foundations::Bytes)> {
    use typst::foundations::Bytes;
    let pdf = &prepared.pdf;
    let pdfa = pdf.standards.iter().any(|s| s.starts_with("a-"));
    let bleed = pdf
        .bleed
        .or(pdf.marks.then_some(crate::export::MARKS_BLEED));
    let name = prepared.loaded.file_name();
    let publication = &prepared.loaded.report.publication;
    let output = (
        "/pdf.json".to_string(),
        Bytes::new(
            serde_json::json!({
                "pdfa": pdfa,
                "bleed": bleed,
                "marks": pdf.marks,
                "slug": format!("{name} · {} · {} · banmian {}", layout.name(), publication.date, env!("CARGO_PKG_VERSION")),
            })
            .to_string()
            .into_bytes(),
        ),
    );
    if !prepared.archive {
        return vec![output];
    }
    let loaded = &prepared.loaded;
    let mime = match loaded.source.format() {
        report::Format::Toml => "application/toml",
        report::Format::Json => "application/json",
    };
    let manifest = crate::archive::Manifest::of(prepared, layout, &prepared.pdf);
    let list = serde_json::json!([
        {
            "name": name,
            "path": "/attach/0",
            "relationship": "source",
            "mime": mime,
            "description": "the report's data, as banmian read it",
        },
        {
            "name": crate::archive::MANIFEST,
            "path": "/attach/1",
            "relationship": "data",
            "mime": "application/json",
            "description": "what made this PDF: banmian's version, and every input with its SHA-256",
        },
    ]);
    vec![
        output,
        (
            "/attachments.json".into(),
            Bytes::new(list.to_string().into_bytes()),
        ),
        ("/attach/0".into(), Bytes::new(loaded.bytes.to_vec())),
        ("/attach/1".into(), Bytes::new(manifest.to_bytes())),
    ]
}

/// A Typst diagnostic as a finding. Report text never becomes Typst
/// source, so these are problems of the layout itself; where the world
/// can say so, the message names the template's file, line and column.
pub fn from_typst(
    layout: Layout,
    diagnostic: &SourceDiagnostic,
    world: Option<&dyn World>,
) -> Finding {
    let place = world
        .and_then(|world| template_position(world, diagnostic))
        .map_or(String::new(), |place| format!(" ({place})"));
    let message = format!("{} layout{place}: {}", layout.name(), diagnostic.message);
    let mut finding = match diagnostic.severity {
        TypstSeverity::Error => Finding::error("layout-failed", message),
        TypstSeverity::Warning => Finding::warning("layout-warning", message),
    };
    for hint in &diagnostic.hints {
        finding = finding.hint(hint.v.to_string());
    }
    finding
}

/// `layouts/newspaper.typ:63:5`: where in a template a diagnostic points.
fn template_position(world: &dyn World, diagnostic: &SourceDiagnostic) -> Option<String> {
    let id = diagnostic.span.id()?;
    let range = world.range(diagnostic.span)?;
    let source = world.source(id).ok()?;
    let (line, column) = source.lines().byte_to_line_column(range.start)?;
    let file = id.get().vpath().get_without_slash().to_string();
    Some(format!("{file}:{}:{}", line + 1, column + 1))
}

/// Findings the templates publish on purpose, as
/// `metadata((severity:, code:, message:, path:, page:)) <banmian-finding>`.
fn template_findings(
    prepared: &Prepared,
    layout: Layout,
    document: &PagedDocument,
) -> Vec<Finding> {
    crate::inspect::markers(document, "banmian-finding")
        .into_iter()
        .map(|marker| {
            let value = &marker.value;
            let text = |key: &str| {
                value
                    .get(key)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            let code: &'static str = match text("code").as_str() {
                "headline-too-long" => "headline-too-long",
                "layout-overflow" => "layout-overflow",
                _ => "layout-finding",
            };
            let mut finding = if text("severity") == "warning" {
                Finding::warning(code, text("message"))
            } else {
                Finding::error(code, text("message"))
            };
            let path = report::json_pointer(&text("path"));
            finding = finding
                .at(prepared.loaded.source.locate(&path))
                .on_page(PageLocation {
                    layout: layout.name().into(),
                    page: marker.page,
                    column: grid::column_at(layout, marker.page_width, marker.x),
                });
            if let Some(hint) = value.get("hint").and_then(|v| v.as_str()) {
                finding = finding.hint(hint);
            }
            finding
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::Fonts;
    use typst::foundations::Datetime;

    #[test]
    fn an_error_inside_a_template_names_its_file_line_and_column() {
        // Data without the grid and faces the templates read: the layout
        // fails inside common.typ, and the finding says where.
        let fonts = Fonts::load(&[]);
        let date = Datetime::from_ymd(2020, 12, 28).unwrap();
        let world = ReportWorld::new(Layout::Newspaper, &fonts, b"{}".to_vec(), Vec::new(), date);
        let errors = typst::compile::<PagedDocument>(&world)
            .output
            .expect_err("the template cannot read its data");
        let finding = from_typst(Layout::Newspaper, &errors[0], Some(&world));
        assert!(
            finding
                .message
                .starts_with("newspaper layout (layouts/common.typ:"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn the_template_says_when_the_band_or_a_headline_needs_more_lines_than_given() {
        // The composer's band and first headline cut short in the template
        // data: the template measures what it sets (a part at a time, see
        // `height-of` in layouts/common.typ) and says so.
        let data =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/zhongzhan-2020.toml");
        let prepared = crate::pipeline::prepare(&data, &[]).expect("the example prepares");
        let mut json: serde_json::Value = serde_json::from_slice(&prepared.json).unwrap();
        let band = json["newspaper"]["band"].as_u64().unwrap();
        json["newspaper"]["band"] = (band - 4).into();
        json["newspaper"]["modules"][0]["head"]["lines"] = 2.into();
        let files = prepared
            .photos
            .iter()
            .map(|p| (p.vpath.clone(), p.served(false).clone()))
            .collect();
        let world = ReportWorld::new(
            Layout::Newspaper,
            &prepared.fonts,
            serde_json::to_vec(&json).unwrap(),
            files,
            prepared.date,
        );
        let document = typst::compile::<PagedDocument>(&world)
            .output
            .expect("the page lays out");
        let messages: Vec<String> = crate::inspect::markers(&document, "banmian-finding")
            .iter()
            .filter_map(|m| m.value.get("message")?.as_str().map(str::to_string))
            .collect();
        let gave = format!("; the composer gave it {}", band - 4);
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("the title band needs ") && m.ends_with(&gave)),
            "{messages:?}"
        );
        assert!(
            messages.contains(
                &"the headline needs more than the 2 lines the composer gave it".to_string()
            ),
            "{messages:?}"
        );
        assert_eq!(messages.len(), 2, "{messages:?}");
    }
}
