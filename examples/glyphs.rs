//! Dumps the glyphs of the first line containing a string:
//! `cargo run --release --example glyphs -- DATA TEXT`.
use typst::layout::{Frame, FrameItem, Point, Transform};

fn walk(frame: &Frame, ts: Transform, needle: &str) {
    for (pos, item) in frame.items() {
        match item {
            FrameItem::Group(g) => walk(
                &g.frame,
                ts.pre_concat(Transform::translate(pos.x, pos.y))
                    .pre_concat(g.transform),
                needle,
            ),
            FrameItem::Text(t) if t.text.contains(needle) => {
                let o = Point::new(pos.x, pos.y).transform(ts);
                println!(
                    "run at {:.2} size {} text {}",
                    o.x.to_pt(),
                    t.size.to_pt(),
                    t.text
                );
                let mut x = o.x.to_pt();
                for g in &t.glyphs {
                    let bbox = t.font.ttf().glyph_bounding_box(ttf_parser::GlyphId(g.id));
                    println!(
                        "  x {:.2} adv {:.3} off {:.3} bbox {:?} nominal {:?}",
                        x,
                        g.x_advance.get(),
                        g.x_offset.get(),
                        bbox.map(|b| (b.x_min, b.x_max)),
                        t.font.x_advance(g.id).map(|e| e.get())
                    );
                    x += g.x_advance.get() * t.size.to_pt();
                }
                println!("  end {x:.2}");
            }
            _ => {}
        }
    }
}

fn main() {
    let data = std::env::args().nth(1).expect("a report file");
    let needle = std::env::args().nth(2).expect("text");
    let prepared =
        banmian::render::prepare(data.as_ref(), &[]).unwrap_or_else(|_| panic!("bad report"));
    let (doc, _) = banmian::render::compile(&prepared, banmian::layouts::Layout::Newspaper)
        .unwrap_or_else(|_| panic!("layout failed"));
    for page in doc.pages() {
        walk(&page.frame, Transform::identity(), &needle);
    }
}
