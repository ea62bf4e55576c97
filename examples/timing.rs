//! Where the time of one render goes:
//! `cargo run --release --example timing -- data/zhongzhan-2020.toml`.
//! Each step on its own first (fonts, reading, decoding every photo), then
//! the pipeline as `render` runs it for a PDF: photos as stand-ins, the
//! originals put back after export.
use std::time::Instant;

use banmian::layouts::Layout;

fn main() {
    let data = std::env::args().nth(1).expect("a report file");
    let t = Instant::now();
    let fonts = banmian::fonts::Fonts::load(&[]);
    let tf = t.elapsed();
    let loaded = banmian::report::load(data.as_ref()).unwrap_or_else(|_| panic!("valid report"));
    let tl = t.elapsed();
    let photos = banmian::photos::load(&loaded).unwrap_or_else(|_| panic!("photos"));
    let tp = t.elapsed();
    let _ = banmian::photos::decode(&loaded, &photos, true);
    let td = t.elapsed();
    drop(fonts);
    println!(
        "fonts {:?}  report {:?}  photos read {:?}  decode all (not done for a PDF) {:?}",
        tf,
        tl - tf,
        tp - tl,
        td - tp
    );
    let t = Instant::now();
    let loaded = banmian::report::load(data.as_ref()).unwrap_or_else(|_| panic!("valid report"));
    let prepared = banmian::pipeline::prepare_loaded(loaded, &[], &[Layout::Newspaper], false)
        .unwrap_or_else(|_| panic!("valid report"));
    let t1 = t.elapsed();
    let (doc, _) = banmian::pipeline::compile(&prepared, Layout::Newspaper)
        .unwrap_or_else(|_| panic!("lays out"));
    let t2 = t.elapsed();
    let pdf = typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default())
        .unwrap_or_else(|_| panic!("exports"));
    let t3 = t.elapsed();
    let pdf = banmian::photos::restore(&pdf, &prepared.photos, None, Vec::new())
        .expect("photos put back");
    let t4 = t.elapsed();
    println!(
        "prepare {:?}  compile {:?}  pdf {:?}  photos back {:?} ({} KB)",
        t1,
        t2 - t1,
        t3 - t2,
        t4 - t3,
        pdf.len() / 1024
    );
}
