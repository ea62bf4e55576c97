//! Preflight: what a printing plant checks of a PDF before it makes the
//! plates, on a PDF banmian wrote or any other. Each page: its boxes
//! present and nested; each font embedded and subset; no DeviceRGB colour
//! operator (text and rules must be CMYK); no solid area of more ink than
//! the press takes (the limit of the printing condition its output intent
//! names, else 300 %); photos left in RGB, for the RIP to separate. The
//! document: a PDF/A claim with its output intent.
//! (Each photo's effective resolution is checked on the render itself:
//! `photo-resolution`.)

use hayro_syntax::Pdf;
use hayro_syntax::object::{Array, Dict, Name, Object, Stream};

use crate::findings::Finding;

/// The most ink a solid area may take: 300 % (newsprint takes 240 %;
/// coated paper about 320 %).
pub const MAX_INK: f64 = 3.0;

/// Everything the preflight finds in `pdf`, named `what` in messages.
pub fn preflight(pdf: Vec<u8>, what: &str) -> Vec<Finding> {
    let text_claims_pdfa = memchr::memmem::find(&pdf, b"<pdfaid:part>").is_some();
    let pdf = match Pdf::new(pdf) {
        Ok(pdf) => pdf,
        Err(err) => {
            return vec![Finding::error(
                "preflight-unreadable",
                format!("{what} is not a readable PDF ({err:?})"),
            )];
        }
    };
    let catalog: Option<Dict> = pdf.xref().get(pdf.xref().root_id());
    let press = catalog.as_ref().and_then(press_named);
    let limit = press.map_or(MAX_INK, crate::press::Press::total_ink);
    let mut found = Vec::new();
    let mut fonts_seen = std::collections::HashSet::new();
    let mut untrimmed = Vec::new();
    let mut rgb_photos: Vec<(usize, usize)> = Vec::new();
    for (index, page) in pdf.pages().iter().enumerate() {
        let number = index + 1;
        match boxes(page.raw(), what, number) {
            Boxes::Nested => {}
            Boxes::NoTrim => untrimmed.push(number.to_string()),
            Boxes::Wrong(finding) => found.push(*finding),
        }
        found.extend(fonts(page.raw(), what, number, &mut fonts_seen));
        if let Some(content) = page.page_stream() {
            found.extend(colours(content, page.raw(), what, number, limit));
        }
        let photos = rgb_images(page.raw());
        if photos > 0 {
            rgb_photos.push((number, photos));
        }
    }
    if !rgb_photos.is_empty() {
        let count: usize = rgb_photos.iter().map(|(_, n)| n).sum();
        let pages: Vec<String> = rgb_photos.iter().map(|(p, _)| p.to_string()).collect();
        let by = press.map_or("the printer's RIP".to_string(), |press| {
            format!("the printer's RIP, for {}", press.identifier())
        });
        found.push(
            Finding::note(
                "preflight-rgb-photos",
                format!(
                    "{what}: {count} photo(s) in RGB on page(s) {}, to be separated by {by}",
                    pages.join(", ")
                ),
            )
            .hint("render with --cmyk-photos to separate them for the press here"),
        );
    }
    if !untrimmed.is_empty() {
        found.push(
            Finding::warning(
                "preflight-boxes",
                format!(
                    "{what}: no trim box on page(s) {}, so no bleed: the printer trims at the page's edge",
                    untrimmed.join(", ")
                ),
            )
            .hint("render with --bleed 3mm"),
        );
    }
    if text_claims_pdfa {
        let intents = catalog
            .as_ref()
            .and_then(|c| c.get::<Array>(b"OutputIntents"))
            .map_or(0, |a| a.iter::<Dict>().count());
        if intents == 0 {
            found.push(Finding::error(
                "preflight-pdfa",
                format!("{what} claims PDF/A but has no output intent"),
            ));
        }
    }
    found
}

/// The printing condition the first output intent names, when banmian
/// knows it.
fn press_named(catalog: &Dict) -> Option<crate::press::Press> {
    let intent = catalog
        .get::<Array>(b"OutputIntents")?
        .iter::<Dict>()
        .next()?;
    let identifier = intent.get::<hayro_syntax::object::String>(b"OutputConditionIdentifier")?;
    crate::press::Press::from_identifier(identifier.as_ref())
}

/// How many images of a page (and of its form XObjects, one level down)
/// are in an RGB colour space.
fn rgb_images(page: &Dict) -> usize {
    rgb_images_in(page, 1)
}

/// [`rgb_images`] of a page or form, looking `depth` levels of forms down
/// (a form that names itself ends there).
fn rgb_images_in(page: &Dict, depth: usize) -> usize {
    let Some(xobjects) = page
        .get::<Dict>(b"Resources")
        .and_then(|r| r.get::<Dict>(b"XObject"))
    else {
        return 0;
    };
    let mut count = 0;
    for key in xobjects.keys() {
        let Some(object) = xobjects.get::<Stream>(key.as_ref()) else {
            continue;
        };
        let dict = object.dict();
        match dict.get::<Name>(b"Subtype") {
            Some(kind) if kind.as_ref() == b"Image" => {
                count += usize::from(image_is_rgb(dict));
            }
            Some(kind) if kind.as_ref() == b"Form" && depth > 0 => {
                count += rgb_images_in(dict, depth - 1);
            }
            _ => {}
        }
    }
    count
}

/// Whether an image's colour space is RGB: DeviceRGB, CalRGB, or an ICC
/// profile of three components.
fn image_is_rgb(image: &Dict) -> bool {
    if let Some(name) = image.get::<Name>(b"ColorSpace") {
        return matches!(name.as_ref(), b"DeviceRGB" | b"CalRGB");
    }
    let Some(space) = image.get::<Array>(b"ColorSpace") else {
        return false;
    };
    let mut items = space.iter::<Object>();
    match items.next() {
        Some(Object::Name(kind)) if kind.as_ref() == b"ICCBased" => {
            matches!(items.next(), Some(Object::Stream(profile)) if profile.dict().get::<i64>(b"N") == Some(3))
        }
        Some(Object::Name(kind)) if kind.as_ref() == b"CalRGB" => true,
        _ => false,
    }
}

/// What a page's boxes are.
enum Boxes {
    /// A trim box inside the bleed box inside the media box.
    Nested,
    /// No trim box.
    NoTrim,
    /// Something else wrong.
    Wrong(Box<Finding>),
}

/// A page's boxes: a trim box (the printer cuts there), inside the bleed
/// box, inside the media box.
fn boxes(page: &Dict, what: &str, number: usize) -> Boxes {
    let rect = |key: &[u8]| -> Option<[f64; 4]> {
        let array = page.get::<Array>(key)?;
        let numbers: Vec<f64> = array
            .iter::<hayro_syntax::object::Number>()
            .map(|n| n.as_f64())
            .collect();
        let [a, b, c, d] = numbers[..] else {
            return None;
        };
        Some([a.min(c), b.min(d), a.max(c), b.max(d)])
    };
    let Some(media) = rect(b"MediaBox") else {
        return Boxes::Wrong(Box::new(Finding::error(
            "preflight-boxes",
            format!("{what}, page {number}: no media box"),
        )));
    };
    let Some(trim) = rect(b"TrimBox") else {
        return Boxes::NoTrim;
    };
    let bleed = rect(b"BleedBox").unwrap_or(media);
    let inside = |inner: [f64; 4], outer: [f64; 4]| {
        inner[0] >= outer[0] - 0.01
            && inner[1] >= outer[1] - 0.01
            && inner[2] <= outer[2] + 0.01
            && inner[3] <= outer[3] + 0.01
    };
    if !(inside(trim, bleed) && inside(bleed, media)) {
        return Boxes::Wrong(Box::new(Finding::error(
            "preflight-boxes",
            format!(
                "{what}, page {number}: the trim box is not inside the bleed box inside the media box"
            ),
        )));
    }
    Boxes::Nested
}

/// How many components the colour space `name` of a page's resources has
/// (3 for RGB), when it can tell.
fn components(page: &Dict, name: &[u8]) -> Option<i64> {
    match name {
        b"DeviceRGB" | b"CalRGB" => return Some(3),
        b"DeviceCMYK" => return Some(4),
        b"DeviceGray" | b"CalGray" => return Some(1),
        _ => {}
    }
    let space = page
        .get::<Dict>(b"Resources")?
        .get::<Dict>(b"ColorSpace")?
        .get::<Array>(name)?;
    let mut items = space.iter::<Object>();
    match items.next()? {
        Object::Name(kind) if kind.as_ref() == b"ICCBased" => match items.next()? {
            Object::Stream(profile) => profile.dict().get::<i64>(b"N"),
            _ => None,
        },
        Object::Name(kind) if kind.as_ref() == b"CalRGB" => Some(3),
        _ => None,
    }
}

/// Each font of a page (and of its form XObjects, one level down) embedded
/// and subset.
fn fonts(
    page: &Dict,
    what: &str,
    number: usize,
    seen: &mut std::collections::HashSet<Vec<u8>>,
) -> Vec<Finding> {
    let mut found = Vec::new();
    let Some(resources) = page.get::<Dict>(b"Resources") else {
        return found;
    };
    let mut dicts = Vec::new();
    if let Some(fonts) = resources.get::<Dict>(b"Font") {
        dicts.push(fonts);
    }
    if let Some(xobjects) = resources.get::<Dict>(b"XObject") {
        for key in xobjects.keys() {
            if let Some(form) = xobjects.get::<Stream>(key.as_ref())
                && let Some(fonts) = form
                    .dict()
                    .get::<Dict>(b"Resources")
                    .and_then(|r| r.get::<Dict>(b"Font"))
            {
                dicts.push(fonts);
            }
        }
    }
    for fonts in dicts {
        for key in fonts.keys() {
            let Some(font) = fonts.get::<Dict>(key.as_ref()) else {
                continue;
            };
            let name = font
                .get::<Name>(b"BaseFont")
                .map(|n| n.as_str().to_string())
                .unwrap_or_default();
            if !seen.insert(name.as_bytes().to_vec()) {
                continue;
            }
            // A composite font's descriptor is in its descendant.
            let descriptor = font.get::<Dict>(b"FontDescriptor").or_else(|| {
                font.get::<Array>(b"DescendantFonts")
                    .and_then(|a| a.iter::<Dict>().next())
                    .and_then(|d| d.get::<Dict>(b"FontDescriptor"))
            });
            let embedded = descriptor.is_some_and(|d| {
                [&b"FontFile"[..], b"FontFile2", b"FontFile3"]
                    .iter()
                    .any(|k| d.get::<Stream>(*k).is_some())
            });
            if !embedded {
                found.push(Finding::error(
                    "preflight-font",
                    format!("{what}, page {number}: the font {name} is not embedded"),
                ));
            }
            let subset = name.len() > 7
                && name.as_bytes()[6] == b'+'
                && name[..6].bytes().all(|b| b.is_ascii_uppercase());
            if embedded && !subset {
                found.push(Finding::warning(
                    "preflight-font",
                    format!("{what}, page {number}: the font {name} is embedded whole, not subset"),
                ));
            }
        }
    }
    found
}

/// A page's colour operators: RGB anywhere (DeviceRGB's `rg`, `RG`, or
/// an RGB colour space chosen with `cs`, `CS`), and solid CMYK fills (`k`)
/// of more ink than `limit`.
fn colours(content: &[u8], page: &Dict, what: &str, number: usize, limit: f64) -> Vec<Finding> {
    let mut rgb = 0;
    let mut heaviest: f64 = 0.0;
    let mut ops = hayro_syntax::content::UntypedIter::new(content);
    while let Some(op) = ops.next() {
        match &**op.operator {
            b"rg" | b"RG" => rgb += 1,
            b"cs" | b"CS" => {
                let space = op.operands().find_map(|o| match o {
                    Object::Name(n) => Some(n.as_ref().to_vec()),
                    _ => None,
                });
                if space.is_some_and(|s| components(page, &s) == Some(3)) {
                    rgb += 1;
                }
            }
            // A fill: the stroke of a hairline in registration colour is
            // a mark, not a solid area.
            b"k" => {
                let ink: f64 = op
                    .operands()
                    .filter_map(|o| match o {
                        Object::Number(n) => Some(n.as_f64()),
                        _ => None,
                    })
                    .sum();
                heaviest = heaviest.max(ink);
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    if rgb > 0 {
        found.push(
            Finding::error(
                "preflight-rgb",
                format!("{what}, page {number}: {rgb} colour(s) set in RGB; the press prints CMYK"),
            )
            .hint("text and rules must be CMYK (black as 0/0/0/100)"),
        );
    }
    if heaviest > limit + 1e-6 {
        found.push(Finding::error(
            "preflight-ink",
            format!(
                "{what}, page {number}: a solid area of {:.0} % ink; the press takes at most {:.0} %",
                heaviest * 100.0,
                limit * 100.0
            ),
        ));
    }
    found
}
