//! Where the time of one render goes:
//! `cargo run --release --example timing -- data/zhongzhan-2020.toml`.
use std::time::Instant;
fn main() {
    let data = std::env::args().nth(1).expect("a report file");
    let t = Instant::now();
    let prepared = banmian::render::prepare(data.as_ref(), &[]).unwrap_or_else(|e| {
        panic!(
            "{}: {:#?}",
            "valid report",
            e.iter().map(|f| f.headline()).collect::<Vec<_>>()
        )
    });
    let t1 = t.elapsed();
    let (doc, _) = banmian::render::compile(&prepared, banmian::layouts::Layout::Newspaper)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {:#?}",
                "lays out",
                e.iter().map(|f| f.headline()).collect::<Vec<_>>()
            )
        });
    let t2 = t.elapsed();
    let pdf = typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default()).unwrap_or_else(|e| {
        panic!(
            "export failed: {:?}",
            e.iter().map(|d| &d.message).collect::<Vec<_>>()
        )
    });
    let t3 = t.elapsed();
    println!(
        "prepare {:?}  compile {:?}  pdf {:?} ({} KB)",
        t1,
        t2 - t1,
        t3 - t2,
        pdf.len() / 1024
    );
}
