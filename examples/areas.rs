//! Prints each story's composed text area: columns, depth, lines, what
//! copyfitting did. `cargo run --release --example areas -- DATA`.
fn main() {
    let data = std::env::args().nth(1).expect("a report file");
    let prepared = banmian::render::prepare(data.as_ref(), &[])
        .unwrap_or_else(|e| panic!("{:?}", e.iter().map(|f| f.headline()).collect::<Vec<_>>()));
    for (index, headline, area) in prepared.data.text_areas() {
        println!(
            "{index} {headline}: {} columns × {} lines, {} lines of text, {} inline, short {}; {:?}",
            area.columns,
            area.depth,
            area.lines.len(),
            area.inlines.len(),
            area.short,
            area.adjustments
        );
    }
}
