//! Where the time of one render goes:
//! `cargo run --release --example timing -- data/zhongzhan-2020.toml`.
use std::time::Instant;
fn main() {
    let data = std::env::args().nth(1).expect("a report file");
    let t = Instant::now();
    let fonts = banmian::fonts::Fonts::load(&[]);
    let tf = t.elapsed();
    let loaded = banmian::report::load(data.as_ref()).unwrap_or_else(|_| panic!("valid report"));
    let tl = t.elapsed();
    let photos = banmian::photos::load(&loaded).unwrap_or_else(|_| panic!("photos"));
    let tp = t.elapsed();
    let _ = banmian::photos::decode(&loaded, &photos);
    let td = t.elapsed();
    drop(fonts);
    println!(
        "fonts {:?}  report {:?}  photos read {:?}  decode {:?}",
        tf,
        tl - tf,
        tp - tl,
        td - tp
    );
    let t = Instant::now();
    let prepared =
        banmian::pipeline::prepare(data.as_ref(), &[]).unwrap_or_else(|_| panic!("valid report"));
    let t1 = t.elapsed();
    let (doc, _) = banmian::pipeline::compile(&prepared, banmian::layouts::Layout::Newspaper)
        .unwrap_or_else(|_| panic!("lays out"));
    let t2 = t.elapsed();
    let pdf = typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default())
        .unwrap_or_else(|_| panic!("exports"));
    let t3 = t.elapsed();
    println!(
        "prepare {:?}  compile {:?}  pdf {:?} ({} KB)",
        t1,
        t2 - t1,
        t3 - t2,
        pdf.len() / 1024
    );
}
