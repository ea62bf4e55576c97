//! Fonts: the faces bundled in the binary, extra ones from `--font-path`,
//! and the coverage query that keeps tofu off the page.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo};
use typst::utils::LazyHash;
use typst_kit::fonts::{FontPath, FontStore};

/// The song (宋) family: body text, section headlines (Bold), the title
/// and the key figures' values (Black).
pub const SERIF: &str = "Noto Serif CJK SC";
/// The black (黑) family: kickers, the publication strip, labels (Bold).
pub const SANS: &str = "Noto Sans CJK SC";
/// The kai (楷) family: lede, captions, byline (LXGW WenKai, renamed).
pub const KAI: &str = "Banmian Kai";

/// The families, as the templates read them from `/report.json`
/// (`faces`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Faces {
    /// [`SERIF`].
    pub serif: &'static str,
    /// [`SANS`].
    pub sans: &'static str,
    /// [`KAI`].
    pub kai: &'static str,
}

/// The families, for the templates.
pub const FACES: Faces = Faces {
    serif: SERIF,
    sans: SANS,
    kai: KAI,
};

/// A face bundled in the binary: file name and bytes.
struct BundledFace {
    file: &'static str,
    data: &'static [u8],
}

/// The bundled faces (see fonts/make_fonts.py for how they were made).
const BUNDLED: &[BundledFace] = &[
    BundledFace {
        file: "NotoSerifCJKsc-Regular.ttf",
        data: include_bytes!("../fonts/NotoSerifCJKsc-Regular.ttf"),
    },
    BundledFace {
        file: "NotoSerifCJKsc-Bold.otf",
        data: include_bytes!("../fonts/NotoSerifCJKsc-Bold.otf"),
    },
    BundledFace {
        file: "NotoSerifCJKsc-Black.otf",
        data: include_bytes!("../fonts/NotoSerifCJKsc-Black.otf"),
    },
    BundledFace {
        file: "NotoSansCJKsc-Bold.otf",
        data: include_bytes!("../fonts/NotoSansCJKsc-Bold.otf"),
    },
    BundledFace {
        file: "BanmianKai-Regular.ttf",
        data: include_bytes!("../fonts/BanmianKai-Regular.ttf"),
    },
];

/// Where a face in the store came from.
#[derive(Debug, Clone)]
pub enum Origin {
    /// Bundled in the binary, with its file name in fonts/.
    Bundled(&'static str),
    /// Found under a `--font-path` folder.
    Extra(std::path::PathBuf),
}

/// The fonts a compilation may use, with their metadata.
pub struct Fonts {
    store: FontStore,
    origins: Vec<Origin>,
    // Typst's Coverage answers by walking its runs; a CJK face has
    // thousands, so each face's code points are listed in order (its runs
    // walked once, on the first question) and searched.
    sets: std::sync::OnceLock<Vec<Vec<u32>>>,
    /// Files under `--font-path` that gave no face, and why.
    skipped: Vec<Skipped>,
}

/// A bundled face, its file's name and its data.
struct Face {
    font: Font,
    /// Its file's place in [`BUNDLED`].
    source: usize,
    file: &'static str,
    data: &'static [u8],
}

/// The bundled files' data as Typst holds it, made once per process.
fn bundled_data() -> &'static [Bytes] {
    static DATA: std::sync::OnceLock<Vec<Bytes>> = std::sync::OnceLock::new();
    DATA.get_or_init(|| BUNDLED.iter().map(|face| Bytes::new(face.data)).collect())
}

/// The bundled faces, parsed once per process: every render of a `watch`
/// or a `batch` shares them. The composer reads their metrics without
/// Typst's caches.
fn bundled() -> &'static [Face] {
    static FACES: std::sync::OnceLock<Vec<Face>> = std::sync::OnceLock::new();
    FACES.get_or_init(|| {
        BUNDLED
            .iter()
            .zip(bundled_data())
            .enumerate()
            .flat_map(|(source, (face, bytes))| {
                Font::iter(bytes.clone()).map(move |font| Face {
                    font,
                    source,
                    file: face.file,
                    data: face.data,
                })
            })
            .collect()
    })
}

/// Whether a thread has set out to hash the bundled faces.
static HASHING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Claims the hashing of the bundled faces for the caller: true once per
/// process.
fn claim_hashing() -> bool {
    !HASHING.swap(true, Ordering::AcqRel)
}

/// Each bundled file's data hashed: set by whoever hashed it.
static HASHED: [std::sync::OnceLock<()>; BUNDLED.len()] =
    [const { std::sync::OnceLock::new() }; BUNDLED.len()];

/// Typst knows a face by the hash of its data (SipHash over every byte:
/// 6 ms for the 15 MB), worked out the first time anything memoized sees
/// the face, which would be on the compilation's own thread. Each file is
/// hashed once: by the first to ask, while any other that asks meanwhile
/// waits for it (two threads never hash the same 5 MB side by side).
fn hashed(file: usize) {
    HASHED[file].get_or_init(|| {
        typst::utils::hash128(&bundled_data()[file]);
    });
}

/// Hashes every bundled file not hashed yet, off the compilation's path
/// (by whoever claimed it, [`claim_hashing`]).
fn hash_bundled() {
    (0..BUNDLED.len()).for_each(hashed);
}

/// Starts parsing the bundled faces, then `also`, then hashing the faces,
/// on a thread of its own, at once: a command that lays out calls this
/// first thing, so that the faces are parsed by the time the report is
/// read and hashed while it is composed. One thread for all, so that
/// reading the report keeps a core to itself.
pub fn warm_up(also: fn()) {
    let hashing = claim_hashing();
    std::thread::spawn(move || {
        bundled();
        also();
        if hashing {
            hash_bundled();
        }
    });
}

impl Fonts {
    /// The bundled faces, then every face found under `extra` (recursively).
    pub fn load(extra: &[std::path::PathBuf]) -> Self {
        // Without [`warm_up`], the faces are hashed beside what comes next.
        if claim_hashing() {
            std::thread::spawn(hash_bundled);
        }
        let mut store = FontStore::new();
        let mut origins = Vec::new();
        for face in bundled() {
            store.push((face.font.clone(), face.font.info().clone()));
            origins.push(Origin::Bundled(face.file));
        }
        let mut skipped = Vec::new();
        for folder in extra {
            let (faces, refused) = scan(folder);
            for (path, info) in faces {
                origins.push(Origin::Extra(path.path.clone()));
                store.push((path, info));
            }
            skipped.extend(refused);
        }
        Self {
            store,
            origins,
            sets: std::sync::OnceLock::new(),
            skipped,
        }
    }

    /// Files under `--font-path` that gave no face, and why.
    pub fn skipped(&self) -> &[Skipped] {
        &self.skipped
    }

    /// The font book, for [`typst::World::book`].
    pub fn book(&self) -> &LazyHash<FontBook> {
        self.store.book()
    }

    /// A face by its index in the book.
    pub fn font(&self, index: usize) -> Option<Font> {
        // The bundled faces come first in the store; Typst will hash the
        // face it is given at once.
        if let Some(face) = bundled().get(index) {
            hashed(face.source);
        }
        self.store.font(index)
    }

    /// Every face: its metadata and where it came from.
    pub fn faces(&self) -> impl Iterator<Item = (&FontInfo, &Origin)> {
        (0..self.origins.len()).filter_map(|i| Some((self.book().info(i)?, &self.origins[i])))
    }

    /// Whether any face has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        self.sets()
            .iter()
            .any(|set| set.binary_search(&(c as u32)).is_ok())
    }

    /// Whether the face at `index` in the book has a glyph for `c`.
    pub fn face_covers(&self, index: usize, c: char) -> bool {
        self.sets()
            .get(index)
            .is_some_and(|set| set.binary_search(&(c as u32)).is_ok())
    }

    fn sets(&self) -> &[Vec<u32>] {
        self.sets.get_or_init(|| {
            self.faces()
                .map(|(info, _)| {
                    let mut set: Vec<u32> = info.coverage.iter().collect();
                    // Typst's runs come in order; sorted all the same, for
                    // the search's sake.
                    set.sort_unstable();
                    set
                })
                .collect()
        })
    }
}

/// Advance widths of one face, for the composer.
pub struct FaceMetrics {
    face: Parsed,
    // The composer asks for the same characters again and again: the Basic
    // Multilingual Plane in a table (NaN: not asked yet), the rest hashed.
    // Shared by the composer's threads: the table holds each advance's
    // bits (NaN's: not asked yet), the rest sits behind a lock.
    bmp: Box<[AtomicU64]>,
    cache: Mutex<std::collections::HashMap<char, f64>>,
}

/// Where a face's advances are read. Not through Typst's font instances:
/// making one is memoized, which hashes the face's megabytes on the
/// composer's path (the advances are the face's defaults either way).
enum Parsed {
    /// A bundled face, parsed once.
    Bundled(Box<ttf_parser::Face<'static>>),
    /// A face under `--font-path`, parsed again for each character not
    /// asked before.
    Extra(Font),
}

impl FaceMetrics {
    fn lookup(&self, c: char) -> f64 {
        let advance = |face: &ttf_parser::Face| {
            let units = f64::from(face.units_per_em());
            face.glyph_index(c)
                .and_then(|glyph| face.glyph_hor_advance(glyph))
                .map(|advance| f64::from(advance) / units)
        };
        let found = match &self.face {
            Parsed::Bundled(face) => advance(face),
            Parsed::Extra(font) => ttf_parser::Face::parse(font.data().as_slice(), font.index())
                .ok()
                .and_then(|face| advance(&face)),
        };
        // Another face will set it: assume a full width for CJK, half for
        // the rest.
        found.unwrap_or(if c as u32 >= 0x2E80 { 1.0 } else { 0.5 })
    }
}

impl crate::compose::Metrics for FaceMetrics {
    fn advance(&self, c: char) -> f64 {
        if c == '\u{2060}' {
            return 0.0;
        }
        let code = c as usize;
        if code < 0x10000 {
            let known = f64::from_bits(self.bmp[code].load(Ordering::Relaxed));
            if !known.is_nan() {
                return known;
            }
            let advance = self.lookup(c);
            self.bmp[code].store(advance.to_bits(), Ordering::Relaxed);
            return advance;
        }
        *self
            .cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(c)
            .or_insert_with(|| self.lookup(c))
    }
}

impl Fonts {
    /// The metrics of a family's regular face, if the book has it.
    pub fn metrics(&self, family: &str) -> Option<FaceMetrics> {
        let variant = typst::text::FontVariant::new(
            typst::text::FontStyle::Normal,
            typst::text::FontWeight::REGULAR,
            typst::text::FontStretch::NORMAL,
        );
        let index = self.book().select(&family.to_lowercase(), variant)?;
        // The store holds the bundled faces first, in their order. A
        // bundled face is read from its data, without waiting for Typst's
        // hash of it (see [`hashed`]): composing starts while the faces
        // are still being hashed.
        let face = match bundled().get(index) {
            Some(face) => Parsed::Bundled(Box::new(
                ttf_parser::Face::parse(face.data, face.font.index()).ok()?,
            )),
            None => Parsed::Extra(self.font(index)?),
        };
        Some(FaceMetrics {
            face,
            bmp: (0..0x10000)
                .map(|_| AtomicU64::new(f64::NAN.to_bits()))
                .collect(),
            cache: Default::default(),
        })
    }
}

/// A font file that gave no face, and why.
pub type Skipped = (std::path::PathBuf, String);

/// The largest font file read: the bundled CJK faces are 5 to 18 MB.
pub const MAX_FONT_BYTES: u64 = 64_000_000;

/// Faces under a folder, loaded only when used; and the font files that
/// gave none (unreadable, too large, not a font), with why.
fn scan(folder: &Path) -> (Vec<(FontPath, FontInfo)>, Vec<Skipped>) {
    let mut db = fontdb::Database::new();
    let mut skipped = Vec::new();
    for file in font_files(folder) {
        let size = std::fs::metadata(&file).map_or(0, |m| m.len());
        if size > MAX_FONT_BYTES {
            skipped.push((
                file,
                format!(
                    "{} MB; a font may be at most {} MB",
                    size / 1_000_000,
                    MAX_FONT_BYTES / 1_000_000
                ),
            ));
            continue;
        }
        let before = db.len();
        match db.load_font_file(&file) {
            Err(err) => skipped.push((file, format!("cannot be read: {err}"))),
            Ok(()) if db.len() == before => skipped.push((file, "is not a font".to_string())),
            Ok(()) => {}
        }
    }
    let mut faces: Vec<_> = db
        .faces()
        .filter_map(|face| {
            let path = match &face.source {
                fontdb::Source::File(path) | fontdb::Source::SharedFile(path, _) => path.clone(),
                fontdb::Source::Binary(_) => return None,
            };
            let info = db.with_face_data(face.id, FontInfo::new)??;
            Some((
                FontPath {
                    path,
                    index: face.index,
                },
                info,
            ))
        })
        .collect();
    // Files walked in directory order; sorted so the book is the same on
    // every machine (the same input must give the same PDF).
    faces.sort_by(|a, b| (&a.0.path, a.0.index).cmp(&(&b.0.path, b.0.index)));
    skipped.sort();
    (faces, skipped)
}

/// Font files (.ttf, .otf, .ttc, .otc) under a folder, at most 8 folders
/// deep and 10,000 entries in all; symbolic links to folders are not
/// followed (a link to /proc would walk for ever).
fn font_files(folder: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![(folder.to_path_buf(), 0)];
    let mut seen = 0;
    while let Some((dir, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            seen += 1;
            if seen > 10_000 {
                return out;
            }
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() && depth < 8 {
                stack.push((path, depth + 1));
            } else if !kind.is_dir()
                && path.is_file()
                && path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                    matches!(
                        e.to_ascii_lowercase().as_str(),
                        "ttf" | "otf" | "ttc" | "otc"
                    )
                })
            {
                out.push(path);
            }
        }
    }
    out
}

/// Characters that print nothing and need no glyph.
pub fn needs_glyph(c: char) -> bool {
    !(c.is_control()
        || matches!(
            c,
            ' ' | '\u{00A0}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_faces_cover_the_seed_and_gb2312_samples() {
        let fonts = Fonts::load(&[]);
        for c in "中站区：“双零”，。、；（）《》——……·～０１２ABCabc123%é".chars()
        {
            assert!(
                fonts.covers(c),
                "no bundled face covers {c} (U+{:04X})",
                c as u32
            );
        }
        assert!(!fonts.covers('\u{2EBF0}'));
    }

    #[test]
    fn bundled_families_are_the_ones_templates_name() {
        let fonts = Fonts::load(&[]);
        let families: Vec<_> = fonts
            .book()
            .families()
            .map(|(name, _)| name.to_string())
            .collect();
        for family in [SERIF, SANS, KAI] {
            assert!(
                families.iter().any(|f| f.eq_ignore_ascii_case(family)),
                "{family} missing from {families:?}"
            );
        }
    }
}
