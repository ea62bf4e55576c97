//! Prints every line the inspector finds on a layout of a report:
//! `cargo run --release --example lines -- data/zhongzhan-2020.toml`.
fn main() {
    let data = std::env::args().nth(1).expect("a report file");
    let prepared = banmian::pipeline::prepare(data.as_ref(), &[])
        .unwrap_or_else(|e| panic!("{:?}", e.iter().map(|f| f.headline()).collect::<Vec<_>>()));
    let (doc, _) = banmian::pipeline::compile(
        &prepared,
        if std::env::args().nth(2).as_deref() == Some("brochure") {
            banmian::layouts::Layout::Brochure
        } else {
            banmian::layouts::Layout::Newspaper
        },
    )
    .unwrap_or_else(|e| panic!("{:?}", e.iter().map(|f| f.headline()).collect::<Vec<_>>()));
    let inspection = banmian::inspect::inspect(&doc);
    for p in &inspection.pictures {
        println!("picture page {} {:?}", p.page, p.bbox);
    }
    for line in inspection.lines {
        println!(
            "{:>4} {:7.2} {:7.2} {:7.2} {:5.2} {:<18} {}",
            line.page,
            line.left(),
            line.right(),
            line.baseline(),
            line.size(),
            line.family(),
            line.text()
        );
    }
}
