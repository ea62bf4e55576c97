//! `--cmyk-photos`: a colour photo separated into the four inks of a
//! printing condition, as a CMYK JPEG the PDF carries instead of the RGB
//! one.
//!
//! A model of the condition, not a measured profile (see [`crate::press`]):
//! - the photo's values are taken as sRGB, and each ink's tone as the
//!   complement of its primary;
//! - black replaces part of the grey the three colours share (grey
//!   component replacement, more of it the darker the grey), and the
//!   colours give up half of what black took, so shadows stay rich but
//!   greys lean on the black plate, which registers;
//! - each tone is set smaller by the condition's dot gain (most in the
//!   middle tones), so the printed tone is the one meant;
//! - where the four inks add up past the condition's total ink limit, the
//!   three colours are cut back and black kept.
//!
//! A colour-critical job still goes to the printer as RGB, which the RIP
//! separates with the press's own profile; this is for printers who ask
//! for CMYK and a press that must not get more ink than it takes.

use crate::press::Press;

/// The JPEG quality of a separated photo: above what a press resolves.
const QUALITY: u8 = 85;

/// How much of the shared grey the black plate takes at full strength.
const UNDER_COLOUR_REMOVAL: f64 = 0.5;

/// One sRGB pixel's inks (C, M, Y, K, each 0–1) for `press`.
pub fn inks(rgb: [u8; 3], press: Press) -> [f64; 4] {
    let [c, m, y] = rgb.map(|v| 1.0 - f64::from(v) / 255.0);
    let grey = c.min(m).min(y);
    // Black starts in the light greys and takes all of the darkest.
    let k = grey.powf(1.5);
    let taken = k * UNDER_COLOUR_REMOVAL;
    let colours = [c, m, y].map(|v| (v - taken).max(0.0));
    let gain = press.dot_gain();
    let [c, m, y] = colours.map(|v| compensate(v, gain));
    let k = compensate(k, gain);
    // The limit holds on the values sent to the plate.
    let limit = press.total_ink();
    let total = c + m + y + k;
    let scale = if total > limit && c + m + y > 0.0 {
        ((limit - k) / (c + m + y)).max(0.0)
    } else {
        1.0
    };
    [c * scale, m * scale, y * scale, k]
}

/// The tone to put on the plate so that it prints `tone` on a press whose
/// mid-tone dot grows by `gain`. The press is modelled as printing a plate
/// tone t as 1 − (1 − t)^p, p set so that 50 % prints 50 % + gain: it
/// keeps paper white and solids solid, and grows the middle tones most.
fn compensate(tone: f64, gain: f64) -> f64 {
    let p = (0.5 - gain).ln() / 0.5f64.ln();
    (1.0 - (1.0 - tone.clamp(0.0, 1.0)).powf(1.0 / p)).clamp(0.0, 1.0)
}

/// The tone a plate tone prints at on a press of `gain` (see
/// [`compensate`]).
#[cfg(test)]
fn printed(plate: f64, gain: f64) -> f64 {
    let p = (0.5 - gain).ln() / 0.5f64.ln();
    1.0 - (1.0 - plate).powf(p)
}

/// The photo (any format the image crate reads; transparent pixels over
/// white paper) separated for `press`, as a CMYK JPEG (inks stored
/// inverted, with Adobe's marker, as Photoshop and every PDF reader
/// expect).
pub fn separate(bytes: &[u8], press: Press) -> Result<Vec<u8>, String> {
    let image = image::load_from_memory(bytes).map_err(|err| err.to_string())?;
    let rgba = image.to_rgba8();
    let (width, height) = rgba.dimensions();
    let (w, h) = (
        u16::try_from(width).map_err(|_| "wider than a JPEG may be")?,
        u16::try_from(height).map_err(|_| "taller than a JPEG may be")?,
    );
    let mut cmyk = Vec::with_capacity(rgba.len());
    // Photos repeat colours: each is worked out once.
    let mut known: std::collections::HashMap<[u8; 3], [u8; 4]> = Default::default();
    for pixel in rgba.pixels() {
        let [r, g, b, a] = pixel.0;
        let over_white = |v: u8| {
            let alpha = u16::from(a);
            ((u16::from(v) * alpha + 255 * (255 - alpha) + 127) / 255) as u8
        };
        let rgb = [over_white(r), over_white(g), over_white(b)];
        let out = known.entry(rgb).or_insert_with(|| {
            inks(rgb, press).map(|ink| (ink * 255.0).round().clamp(0.0, 255.0) as u8)
        });
        cmyk.extend_from_slice(out);
    }
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, QUALITY)
        .encode(&cmyk, w, h, jpeg_encoder::ColorType::Cmyk)
        .map_err(|err| err.to_string())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRESSES: [Press; 3] = [Press::Newsprint, Press::Coated, Press::Uncoated];

    #[test]
    fn paper_white_takes_no_ink_and_black_is_mostly_the_black_plate() {
        for press in PRESSES {
            assert_eq!(inks([255, 255, 255], press), [0.0; 4]);
            let [c, m, y, k] = inks([0, 0, 0], press);
            assert!((k - 1.0).abs() < 1e-9, "{press:?}: K {k}");
            assert!(c > 0.2 && c < k, "{press:?}: a rich black, C {c}");
            assert!(c == m && m == y, "{press:?}: a neutral black");
        }
    }

    #[test]
    fn no_colour_exceeds_the_total_ink_limit() {
        for press in PRESSES {
            for r in (0..=255).step_by(15) {
                for g in (0..=255).step_by(15) {
                    for b in (0..=255).step_by(15) {
                        let total: f64 = inks([r as u8, g as u8, b as u8], press).iter().sum();
                        assert!(
                            total <= press.total_ink() + 1e-9,
                            "{press:?} {r},{g},{b}: {total}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn greys_are_even_in_the_colours_and_a_red_is_magenta_and_yellow() {
        let [c, m, y, k] = inks([128, 128, 128], Press::Newsprint);
        assert!((c - m).abs() < 1e-9 && (m - y).abs() < 1e-9);
        assert!(k > 0.15, "K {k}");
        let [c, m, y, k] = inks([220, 30, 40], Press::Coated);
        assert!(m > 0.6 && y > 0.6, "M {m} Y {y}");
        assert!(c < 0.1 && k < 0.1, "C {c} K {k}");
    }

    #[test]
    fn dots_are_set_smaller_by_the_dot_gain_and_print_the_tone_meant() {
        for press in PRESSES {
            let gain = press.dot_gain();
            let plate = compensate(0.5, gain);
            assert!(plate < 0.5);
            assert!((printed(0.5, gain) - 0.5 - gain).abs() < 1e-9);
            assert!((printed(plate, gain) - 0.5).abs() < 1e-9);
            assert_eq!(compensate(0.0, gain), 0.0);
            assert!((compensate(1.0, gain) - 1.0).abs() < 1e-9);
        }
    }

    #[test]
    fn a_separated_photo_is_a_cmyk_jpeg_of_the_same_size() {
        let jpeg = separate(&super::super::test_jpeg(64, 48), Press::Newsprint).unwrap();
        let header = super::super::jpeg::header(&jpeg).unwrap();
        assert_eq!(header.components, 4);
        let decoded = image::load_from_memory(&jpeg).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (64, 48));
        // Adobe's marker: the inks are stored inverted.
        assert!(memchr::memmem::find(&jpeg, b"Adobe").is_some());
    }
}
