//! Small edits to a PDF Typst wrote, without parsing it whole: bytes
//! replaced at known places, then every object offset in the classic
//! cross-reference table moved to match. Used to put photos back in place
//! of their stand-ins ([`crate::photos::restore`]) and to give pages with
//! crop marks their bleed box ([`bleed_boxes`]); the edits of one PDF are
//! made in one pass. An edit that finds the PDF
//! not as Typst writes it is refused with a reason, never half-made.

use std::borrow::Cow;

use memchr::memmem;

/// Bytes replacing `start..end` of the PDF.
pub struct Splice<'a> {
    /// Where the replaced bytes start.
    pub start: usize,
    /// Where they end.
    pub end: usize,
    /// What goes there instead.
    pub with: Cow<'a, [u8]>,
}

/// The PDF with `splices` made (none overlapping, all before its
/// cross-reference table), the table's offsets and `startxref` moved.
pub fn apply(pdf: &[u8], mut splices: Vec<Splice>) -> Result<Vec<u8>, String> {
    if splices.is_empty() {
        return Ok(pdf.to_vec());
    }
    splices.sort_by_key(|s| s.start);
    if splices.windows(2).any(|w| w[0].end > w[1].start) {
        return Err("edits that overlap".into());
    }
    let xref = xref_offset(pdf).ok_or("no cross-reference table where startxref points")?;
    if splices.last().is_some_and(|s| s.end > xref) {
        return Err("an edit after the cross-reference table".into());
    }
    // Where each original offset lands.
    let shift = |offset: usize| -> usize {
        let delta: isize = splices
            .iter()
            .take_while(|s| s.end <= offset)
            .map(|s| s.with.len() as isize - (s.end - s.start) as isize)
            .sum();
        offset
            .checked_add_signed(delta)
            .expect("offsets stay positive")
    };
    let mut out =
        Vec::with_capacity(pdf.len() + splices.iter().map(|s| s.with.len()).sum::<usize>());
    let mut copied = 0;
    for splice in &splices {
        out.extend_from_slice(&pdf[copied..splice.start]);
        out.extend_from_slice(&splice.with);
        copied = splice.end;
    }
    out.extend_from_slice(&pdf[copied..xref]);
    let trailer = rewrite_xref(pdf, xref, &shift, &mut out)
        .ok_or("a cross-reference table that cannot be read")?;
    let startxref = memmem::rfind(&pdf[trailer..], b"startxref")
        .map(|i| trailer + i)
        .ok_or("no startxref")?;
    out.extend_from_slice(&pdf[trailer..startxref]);
    out.extend_from_slice(format!("startxref\n{}\n%%EOF", shift(xref)).as_bytes());
    Ok(out)
}

/// The edits giving every page with a trim box a bleed box `bleed` pt
/// outside it: a page whose media box also holds crop marks says where its
/// bleed ends.
pub fn bleed_boxes(pdf: &[u8], bleed: f64) -> Result<Vec<Splice<'static>>, String> {
    let mut splices = Vec::new();
    for at in memmem::find_iter(pdf, b"/TrimBox[") {
        let numbers_at = at + b"/TrimBox[".len();
        let end = numbers_at
            + pdf[numbers_at..]
                .iter()
                .position(|&b| b == b']')
                .ok_or("a trim box without its end")?;
        let numbers: Vec<f64> = std::str::from_utf8(&pdf[numbers_at..end])
            .map_err(|_| "a trim box that is not numbers")?
            .split_whitespace()
            .map(str::parse)
            .collect::<Result<_, _>>()
            .map_err(|_| "a trim box that is not numbers")?;
        let [left, bottom, right, top] = numbers[..] else {
            return Err("a trim box without four numbers".into());
        };
        let bleed_box = format!(
            "/BleedBox[{} {} {} {}]",
            round(left - bleed),
            round(bottom - bleed),
            round(right + bleed),
            round(top + bleed)
        );
        splices.push(Splice {
            start: at,
            end: at,
            with: Cow::Owned(bleed_box.into_bytes()),
        });
    }
    if splices.is_empty() {
        return Err("no page with a trim box".into());
    }
    Ok(splices)
}

/// A coordinate as a PDF writes it: at most four decimals.
fn round(value: f64) -> String {
    let text = format!("{value:.4}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Where the last `startxref` says the cross-reference table is, if a
/// classic table (`xref`) is there.
pub fn xref_offset(pdf: &[u8]) -> Option<usize> {
    let at = memmem::rfind(pdf, b"startxref")?;
    let digits: String = pdf[at + 9..]
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take_while(|b| b.is_ascii_digit())
        .map(|&b| char::from(b))
        .collect();
    let offset: usize = digits.parse().ok()?;
    pdf.get(offset..)?.starts_with(b"xref").then_some(offset)
}

/// Where the catalog's dictionary is (`<<` to its `>>`, exclusive), found
/// from the trailer's `/Root` and the cross-reference table: never a
/// string elsewhere in the file that happens to read `/Type/Catalog`.
pub fn catalog(pdf: &[u8]) -> Option<std::ops::Range<usize>> {
    let xref = xref_offset(pdf)?;
    let trailer = xref + memmem::find(&pdf[xref..], b"trailer")?;
    let root_at = trailer + memmem::find(&pdf[trailer..], b"/Root")? + b"/Root".len();
    let number: usize = std::str::from_utf8(&pdf[root_at..(root_at + 24).min(pdf.len())])
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    // The table's subsections: "first count", then 20-byte entries.
    let mut at = xref + memmem::find(&pdf[xref..], b"\n")? + 1;
    while !pdf.get(at..)?.starts_with(b"trailer") {
        let end = at + memmem::find(&pdf[at..], b"\n")? + 1;
        let header = std::str::from_utf8(&pdf[at..end]).ok()?;
        let mut fields = header.split_whitespace();
        let first: usize = fields.next()?.parse().ok()?;
        let count: usize = fields.next()?.parse().ok()?;
        at = end;
        if (first..first + count).contains(&number) {
            let entry = pdf.get(at + 20 * (number - first)..)?.get(..20)?;
            let offset: usize = std::str::from_utf8(&entry[..10]).ok()?.parse().ok()?;
            let open = offset + memmem::find(pdf.get(offset..)?, b"<<")?;
            let close = open + memmem::find(&pdf[open..], b"endobj")?;
            let close = open + memmem::rfind(&pdf[open..close], b">>")?;
            return Some(open + 2..close);
        }
        at += 20 * count;
    }
    None
}

/// Copies the table at `xref` into `out` with every in-use offset moved by
/// `shift`; returns where the trailer starts.
fn rewrite_xref(
    pdf: &[u8],
    xref: usize,
    shift: &dyn Fn(usize) -> usize,
    out: &mut Vec<u8>,
) -> Option<usize> {
    let mut at = xref;
    let line_end = |from: usize| -> Option<usize> {
        let i = from + pdf.get(from..)?.iter().position(|&b| b == b'\n')?;
        Some(i + 1)
    };
    let next = line_end(at)?;
    out.extend_from_slice(&pdf[at..next]);
    at = next;
    while !pdf.get(at..)?.starts_with(b"trailer") {
        // A subsection: "first count", then count entries of 20 bytes.
        let next = line_end(at)?;
        let header = std::str::from_utf8(&pdf[at..next]).ok()?;
        let count: usize = header.split_whitespace().nth(1)?.parse().ok()?;
        out.extend_from_slice(&pdf[at..next]);
        at = next;
        for _ in 0..count {
            let entry = pdf.get(at..at + 20)?;
            if entry[17] == b'n' {
                let offset: usize = std::str::from_utf8(&entry[..10]).ok()?.parse().ok()?;
                out.extend_from_slice(format!("{:010}", shift(offset)).as_bytes());
                out.extend_from_slice(&entry[10..]);
            } else {
                out.extend_from_slice(entry);
            }
            at += 20;
        }
    }
    Some(at)
}

/// A PDF of `objects` (numbered from 1; object `root` its catalog) with a
/// classic cross-reference table, as Typst writes one: for the tests of
/// what patches PDFs.
#[cfg(test)]
pub(crate) fn test_pdf(objects: &[Vec<u8>], root: usize) -> Vec<u8> {
    let mut pdf = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend_from_slice(object);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    let size = objects.len() + 1;
    pdf.extend_from_slice(format!("xref\n0 {size}\n0000000000 65535 f\r\n").as_bytes());
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n\r\n").as_bytes());
    }
    pdf.extend_from_slice(
        format!("trailer\n<</Size {size}/Root {root} 0 R>>\nstartxref\n{xref}\n%%EOF").as_bytes(),
    );
    pdf
}

/// Panics unless every in-use offset of the PDF's table points at its
/// object.
#[cfg(test)]
pub(crate) fn assert_offsets(pdf: &[u8]) {
    let xref = xref_offset(pdf).expect("startxref points at the table");
    let offsets: Vec<usize> = String::from_utf8_lossy(&pdf[xref..])
        .lines()
        .filter(|l| l.ends_with(" n"))
        .map(|l| l[..10].parse().unwrap())
        .collect();
    assert!(!offsets.is_empty());
    for (n, offset) in offsets.iter().enumerate() {
        assert!(
            pdf[*offset..].starts_with(format!("{} 0 obj", n + 1).as_bytes()),
            "object {} is not at {offset}",
            n + 1
        );
    }
}
