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

/// Each plate's quantization: the luminance table of the JPEG standard
/// (ITU-T T.81, Annex K) scaled to quality 90 as libjpeg scales it, for all
/// four plates at full resolution. In a separation every plate carries the
/// picture's detail, not only the black: none gets the coarser chroma
/// table or half the resolution.
const QUALITY: u16 = 90;

/// T.81's example luminance quantization table, row by row.
const ANNEX_K_LUMINANCE: [u16; 64] = [
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
    14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113,
    92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];

/// How much under the press's limit the separation keeps, for what the
/// JPEG's rounding adds back.
const INK_HEADROOM: f64 = 0.05;

/// How much of the shared grey the black plate takes at full strength.
const UNDER_COLOUR_REMOVAL: f64 = 0.5;

/// One sRGB pixel's inks (C, M, Y, K, each 0–1) for `press`, their sum
/// held to `limit`, straight from the formula: what [`Separation`]'s
/// tables must give.
#[cfg(test)]
fn inks(rgb: [u8; 3], press: Press, limit: f64) -> [f64; 4] {
    let grey = rgb.into_iter().max().unwrap_or(0);
    let gain = press.dot_gain();
    let [c, m, y] = rgb.map(|v| colour(v, grey, gain));
    let k = black(grey, gain);
    held([c, m, y, k], limit)
}

/// A colour plate's tone for a primary of value `v` where the pixel's
/// brightest primary is `grey` (the grey all three inks share): its
/// complement, less what black took.
fn colour(v: u8, grey: u8, gain: f64) -> f64 {
    let taken = black_generated(grey) * UNDER_COLOUR_REMOVAL;
    compensate((tone(v) - taken).max(0.0), gain)
}

/// The black plate's tone where the pixel's brightest primary is `grey`.
fn black(grey: u8, gain: f64) -> f64 {
    compensate(black_generated(grey), gain)
}

/// A primary's complement: the tone of its ink.
fn tone(v: u8) -> f64 {
    1.0 - f64::from(v) / 255.0
}

/// The black that replaces the grey all three colours share: it starts in
/// the light greys and takes all of the darkest.
fn black_generated(grey: u8) -> f64 {
    tone(grey).powf(1.5)
}

/// The colours cut back (black kept) where the four inks add up past
/// `limit`.
fn held([c, m, y, k]: [f64; 4], limit: f64) -> [f64; 4] {
    let total = c + m + y + k;
    let scale = if total > limit && c + m + y > 0.0 {
        ((limit - k) / (c + m + y)).max(0.0)
    } else {
        1.0
    };
    [c * scale, m * scale, y * scale, k]
}

/// [`inks`] for every pixel of a photo, from tables worked out once: a
/// colour plate's tone depends on its own primary and the pixel's
/// brightest one, the black's on the brightest alone.
struct Separation {
    colour: Vec<f64>,
    black: [f64; 256],
    limit: f64,
}

impl Separation {
    fn new(press: Press) -> Self {
        let gain = press.dot_gain();
        let mut plates = Vec::with_capacity(256 * 256);
        for v in 0..=255u8 {
            for grey in 0..=255u8 {
                plates.push(colour(v, grey, gain));
            }
        }
        let mut black_plate = [0.0; 256];
        for (grey, tone) in black_plate.iter_mut().enumerate() {
            *tone = black(grey as u8, gain);
        }
        Self {
            colour: plates,
            black: black_plate,
            limit: press.total_ink() - INK_HEADROOM,
        }
    }

    fn inks(&self, rgb: [u8; 3]) -> [f64; 4] {
        let grey = rgb.into_iter().max().unwrap_or(0);
        let [c, m, y] = rgb.map(|v| self.colour[usize::from(v) * 256 + usize::from(grey)]);
        held([c, m, y, self.black[usize::from(grey)]], self.limit)
    }
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

/// The photo (a colour JPEG; any format the image crate reads) separated
/// for `press`, as a CMYK JPEG (inks stored inverted, with Adobe's
/// marker, as Photoshop and every PDF reader expect).
pub fn separate(bytes: &[u8], press: Press) -> Result<Vec<u8>, String> {
    let rgb = image::load_from_memory(bytes)
        .map_err(|err| err.to_string())?
        .into_rgb8();
    let (width, height) = rgb.dimensions();
    let (w, h) = (
        u16::try_from(width).map_err(|_| "wider than a JPEG may be")?,
        u16::try_from(height).map_err(|_| "taller than a JPEG may be")?,
    );
    let separation = Separation::new(press);
    let mut cmyk = Vec::with_capacity(rgb.len() / 3 * 4);
    for pixel in rgb.pixels() {
        let inks = separation.inks(pixel.0);
        cmyk.extend(inks.map(|ink| (ink * 255.0).round().clamp(0.0, 255.0) as u8));
    }
    drop(rgb);
    let table = ANNEX_K_LUMINANCE.map(|q| {
        // libjpeg's scaling above quality 50.
        let scale = 200 - 2 * QUALITY;
        ((q * scale + 50) / 100).clamp(1, 255)
    });
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, QUALITY as u8);
    encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_1_1);
    encoder.set_quantization_tables(
        jpeg_encoder::QuantizationTableType::Custom(Box::new(table)),
        jpeg_encoder::QuantizationTableType::Custom(Box::new(table)),
    );
    encoder
        .encode(&cmyk, w, h, jpeg_encoder::ColorType::Cmyk)
        .map_err(|err| err.to_string())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRESSES: [Press; 3] = Press::ALL;

    #[test]
    fn paper_white_takes_no_ink_and_black_is_mostly_the_black_plate() {
        for press in PRESSES {
            assert_eq!(inks([255, 255, 255], press, press.total_ink()), [0.0; 4]);
            let [c, m, y, k] = inks([0, 0, 0], press, press.total_ink());
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
                        let total: f64 =
                            inks([r as u8, g as u8, b as u8], press, press.total_ink())
                                .iter()
                                .sum();
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
        let [c, m, y, k] = inks([128, 128, 128], Press::Newsprint, 2.4);
        assert!((c - m).abs() < 1e-9 && (m - y).abs() < 1e-9);
        assert!(k > 0.15, "K {k}");
        let [c, m, y, k] = inks([220, 30, 40], Press::Coated, 3.3);
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

    #[test]
    fn the_tables_give_what_the_formula_gives() {
        for press in PRESSES {
            let separation = Separation::new(press);
            let limit = press.total_ink() - INK_HEADROOM;
            for r in (0..=255).step_by(17) {
                for g in (0..=255).step_by(17) {
                    for b in (0..=255).step_by(17) {
                        let rgb = [r as u8, g as u8, b as u8];
                        assert_eq!(
                            separation.inks(rgb),
                            inks(rgb, press, limit),
                            "{press:?} {rgb:?}"
                        );
                    }
                }
            }
        }
    }
}
