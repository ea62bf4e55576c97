//! A JPEG without what does not print: EXIF and XMP (a camera's GPS
//! position, the photographer's notes), comments, other applications'
//! segments, and any bytes after the image's end. The compressed image is
//! copied as it is (re-muxed, not re-encoded); the JFIF header, the ICC
//! colour profile and Adobe's colour-transform segment stay.

use std::borrow::Cow;
use std::ops::Range;

/// The JPEG with its non-printing segments and trailing bytes taken out
/// (the bytes as they are, not a copy, when nothing is); `None` when its
/// segments cannot be followed (the bytes are then left to the decoder,
/// which refuses a broken file).
pub fn strip(bytes: &[u8]) -> Option<Cow<'_, [u8]>> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    // What is taken out, in order: segments, fill bytes, the tail.
    let mut dropped: Vec<Range<usize>> = Vec::new();
    let mut at = 2;
    let end = loop {
        // Fill bytes may precede a marker.
        let fill = at;
        while bytes.get(at) == Some(&0xFF) && bytes.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        if at > fill {
            dropped.push(fill..at);
        }
        let (&0xFF, &marker) = (bytes.get(at)?, bytes.get(at + 1)?) else {
            return None;
        };
        match marker {
            // The end of the image: nothing after it is kept.
            0xD9 => break at + 2,
            // Markers without a length.
            0x01 | 0xD0..=0xD7 => at += 2,
            _ => {
                let length = usize::from(u16::from_be_bytes([
                    *bytes.get(at + 2)?,
                    *bytes.get(at + 3)?,
                ]));
                let end = at + 2 + length;
                let segment = bytes.get(at..end)?;
                if !keep(marker, &segment[4..]) {
                    dropped.push(at..end);
                }
                at = end;
                if marker == 0xDA {
                    at = scan_end(bytes, at)?;
                }
            }
        }
    };
    if end < bytes.len() {
        dropped.push(end..bytes.len());
    }
    if dropped.is_empty() {
        return Some(Cow::Borrowed(bytes));
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut kept = 0;
    for range in dropped {
        out.extend_from_slice(&bytes[kept..range.start]);
        kept = range.end;
    }
    Some(Cow::Owned(out))
}

/// Where the compressed scan starting at `from` ends: at the next marker
/// that is neither a stuffed 0xFF nor a restart. `None` when none comes.
fn scan_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        at += memchr::memchr(0xFF, bytes.get(at..)?)?;
        if is_marker(bytes[at], *bytes.get(at + 1)?) {
            return Some(at);
        }
        at += 1;
    }
}

/// What a JPEG's header says before its first scan.
#[derive(Debug, PartialEq, Eq)]
pub struct Header {
    /// Bits per sample (8 for nearly every photo).
    pub precision: u8,
    /// Colour components: 1 grey, 3 YCbCr or RGB, 4 CMYK or YCCK.
    pub components: u8,
    /// The pixel size the frame header gives (a height of 0 is defined
    /// later in the file, by a DNL segment).
    pub width: u32,
    /// See [`Self::width`].
    pub height: u32,
    /// The ICC profile's APP2 segments, markers and lengths included.
    pub icc: Vec<u8>,
}

/// The header of a JPEG whose segments [`strip`] could follow; `None`
/// when there is no frame header before the first scan.
pub fn header(bytes: &[u8]) -> Option<Header> {
    let mut at = 2;
    let mut icc = Vec::new();
    let mut frame = None;
    while let (Some(&0xFF), Some(&marker)) = (bytes.get(at), bytes.get(at + 1)) {
        if marker == 0xFF {
            at += 1;
            continue;
        }
        if marker == 0xDA {
            break;
        }
        let length = usize::from(u16::from_be_bytes([
            *bytes.get(at + 2)?,
            *bytes.get(at + 3)?,
        ]));
        let segment = bytes.get(at..at + 2 + length)?;
        let payload = &segment[4..];
        match marker {
            // Frame headers: every SOFn but DHT (C4), JPG (C8) and DAC (CC).
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                let number = |at: usize| -> Option<u32> {
                    Some(u32::from(u16::from_be_bytes([
                        *payload.get(at)?,
                        *payload.get(at + 1)?,
                    ])))
                };
                frame = Some((*payload.first()?, *payload.get(5)?, number(3)?, number(1)?));
            }
            0xE2 if payload.starts_with(b"ICC_PROFILE\0") => icc.extend_from_slice(segment),
            _ => {}
        }
        at += 2 + length;
    }
    let (precision, components, width, height) = frame?;
    Some(Header {
        precision,
        components,
        width,
        height,
        icc,
    })
}

/// Whether `a b` inside a compressed scan is a marker: 0xFF followed by
/// neither a stuffed 0x00, a restart marker nor more fill.
fn is_marker(a: u8, b: u8) -> bool {
    a == 0xFF && !matches!(b, 0x00 | 0xD0..=0xD7 | 0xFF)
}

/// Whether a segment prints: everything but APPn segments other than
/// JFIF (APP0), an ICC profile (APP2) and Adobe's (APP14), and comments.
fn keep(marker: u8, payload: &[u8]) -> bool {
    match marker {
        0xE0 => payload.starts_with(b"JFIF\0") || payload.starts_with(b"JFXX\0"),
        0xE2 => payload.starts_with(b"ICC_PROFILE\0"),
        0xEE => payload.starts_with(b"Adobe"),
        0xE1 | 0xE3..=0xED | 0xEF | 0xFE => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small real JPEG, made by the image crate.
    fn jpeg() -> Vec<u8> {
        super::super::test_jpeg(64, 48)
    }

    /// `bytes` with a segment inserted after SOI.
    fn with_segment(bytes: &[u8], marker: u8, payload: &[u8]) -> Vec<u8> {
        let mut out = bytes[..2].to_vec();
        out.extend_from_slice(&[0xFF, marker]);
        out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(payload);
        out.extend_from_slice(&bytes[2..]);
        out
    }

    #[test]
    fn exif_comments_and_a_tail_are_taken_out_and_the_pixels_stay() {
        let plain = jpeg();
        let mut dirty = with_segment(&plain, 0xE1, b"Exif\0\0GPS 35.2N 113.2E artist");
        dirty = with_segment(&dirty, 0xFE, b"a private comment");
        dirty.extend_from_slice(b"fifty megabytes of someone's archive");
        let clean = strip(&dirty).expect("a JPEG");
        for secret in [&b"GPS"[..], b"private", b"archive"] {
            assert!(!clean.windows(secret.len()).any(|w| w == secret));
        }
        let pixels = |b: &[u8]| image::load_from_memory(b).unwrap().to_rgb8().into_raw();
        assert_eq!(pixels(&clean), pixels(&plain));
        assert!(
            matches!(strip(&plain), Some(Cow::Borrowed(b)) if b == plain),
            "a clean JPEG is left as it is, not copied"
        );
    }

    #[test]
    fn the_colour_profile_stays() {
        let plain = jpeg();
        let with_icc = with_segment(&plain, 0xE2, b"ICC_PROFILE\0\x01\x01profile bytes");
        let clean = strip(&with_icc).unwrap();
        assert!(clean.windows(11).any(|w| w == b"ICC_PROFILE"));
    }

    #[test]
    fn the_header_names_the_components_and_keeps_the_profile() {
        let with_icc = with_segment(&jpeg(), 0xE2, b"ICC_PROFILE\0\x01\x01profile bytes");
        let found = header(&with_icc).unwrap();
        assert_eq!((found.precision, found.components), (8, 3));
        assert!(found.icc.ends_with(b"profile bytes"));
        assert_eq!(header(&[0xFF, 0xD8, 0xFF, 0xDA, 0, 2]), None);
    }

    #[test]
    fn the_header_gives_the_size_the_decoder_reads() {
        // The example's photos, and a JPEG wider than it is tall.
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/photos");
        let mut files: Vec<Vec<u8>> = std::fs::read_dir(folder)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "jpg"))
            .map(|path| std::fs::read(path).unwrap())
            .collect();
        assert!(files.len() > 5);
        files.push(jpeg());
        for bytes in files {
            let found = header(&bytes).unwrap();
            let decoded = image::ImageReader::new(std::io::Cursor::new(&bytes))
                .with_guessed_format()
                .unwrap()
                .into_dimensions()
                .unwrap();
            assert_eq!((found.width, found.height), decoded);
        }
    }

    #[test]
    fn a_scan_ends_at_the_first_marker_past_stuffed_bytes_restarts_and_fill() {
        let scan = [0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD3, 0x56, 0xFF, 0xFF, 0xD9];
        assert_eq!(scan_end(&scan, 0), Some(8));
        assert_eq!(
            scan_end(&scan[..8], 0),
            None,
            "no marker: the scan never ends"
        );
        assert_eq!(scan_end(&scan[..9], 0), None, "0xFF as the last byte");
    }

    #[test]
    fn what_is_not_a_jpeg_is_left_alone() {
        assert_eq!(strip(b"not a jpeg"), None);
        assert_eq!(strip(&[0xFF, 0xD8, 0xFF]), None);
    }
}
