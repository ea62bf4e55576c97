//! `banmian fonts`: the faces banmian has (bundled and from `--font-path`)
//! and which the layouts use.

use std::path::PathBuf;

use crate::exit::Exit;
use crate::fonts::{self, Fonts, Origin};

/// Lists the faces.
pub fn run(font_paths: &[PathBuf]) -> Exit {
    let fonts = Fonts::load(font_paths);
    println!("Faces (family, weight, style, coverage, source):");
    for (info, origin) in fonts.faces() {
        let source = match origin {
            Origin::Bundled(file) => format!("bundled fonts/{file}"),
            Origin::Extra(path) => path.display().to_string(),
        };
        let han = (0x4E00..=0x9FFF)
            .filter(|&c| info.coverage.contains(c))
            .count();
        println!(
            "  {:<22} {:>4} {:<7} {:>5} Han  {source}",
            info.family,
            info.variant.weight.to_number(),
            format!("{:?}", info.variant.style).to_lowercase(),
            han,
        );
    }
    for (file, why) in fonts.skipped() {
        eprintln!(
            "warning[font-unreadable]: the font {} under --font-path {why}; it is not used",
            file.display()
        );
    }
    println!();
    println!("Families the layouts use:");
    println!(
        "  {:<19} body (书宋), section headlines (Bold), title (Black)",
        fonts::SERIF
    );
    println!(
        "  {:<19} kickers, publication strip, figures (黑体, Bold)",
        fonts::SANS
    );
    println!(
        "  {:<19} lede, captions, byline (楷体; LXGW WenKai, renamed)",
        fonts::KAI
    );
    Exit::Success
}
