//! Prints the glyph advances (pt) of the newspaper lines that contain a
//! string: `cargo run --release --example glyphs -- REPORT TEXT`.
fn main() {
    let data = std::env::args().nth(1).expect("a report file");
    let needle = std::env::args().nth(2).expect("text to look for");
    let prepared = banmian::pipeline::prepare(data.as_ref(), &[])
        .unwrap_or_else(|e| panic!("{:?}", e.iter().map(|f| f.headline()).collect::<Vec<_>>()));
    let (doc, _) = banmian::pipeline::compile(&prepared, banmian::layouts::Layout::Newspaper)
        .unwrap_or_else(|e| panic!("{:?}", e.iter().map(|f| f.headline()).collect::<Vec<_>>()));
    for line in banmian::inspect::inspect(&doc).lines {
        if line.text().contains(&needle) {
            println!("{:.2}–{:.2} {}", line.left(), line.right(), line.text());
            for run in &line.runs {
                println!(
                    "  {} {:?}",
                    run.family,
                    run.glyphs
                        .iter()
                        .map(|(c, a)| format!("{c}{a:.2}"))
                        .collect::<Vec<_>>()
                );
            }
        }
    }
}
