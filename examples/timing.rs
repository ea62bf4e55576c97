//! Where the time of one render goes:
//! `cargo run --release --example timing -- data/zhongzhan-2020.toml`.
use std::time::Instant;
fn main() {
    let data = std::env::args().nth(1).expect("a report file");
    let t = Instant::now();
    let prepared = banmian::render::prepare(data.as_ref(), &[])
        .ok()
        .expect("valid report");
    let t1 = t.elapsed();
    let (doc, _) = banmian::render::compile(&prepared, banmian::layouts::Layout::Newspaper)
        .ok()
        .expect("lays out");
    let t2 = t.elapsed();
    let pdf = typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default())
        .ok()
        .expect("exports");
    let t3 = t.elapsed();
    println!(
        "prepare {:?}  compile {:?}  pdf {:?} ({} KB)",
        t1,
        t2 - t1,
        t3 - t2,
        pdf.len() / 1024
    );
}
