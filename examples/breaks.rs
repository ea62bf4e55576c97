//! How one paragraph breaks in a plain column, line by line, with each
//! line's stretch: `cargo run --release --example breaks -- TEXT [DELTA]`.
fn main() {
    let text = std::env::args().nth(1).expect("a paragraph");
    let delta: i32 = std::env::args()
        .nth(2)
        .map_or(0, |d| d.parse().expect("a number"));
    let fonts = banmian::fonts::Fonts::load(&[]);
    let body = fonts.metrics(banmian::fonts::SERIF).expect("the body face");
    let text = banmian::typeset::prepare(&text);
    let column = banmian::compose::slots(1, 400, &[]);
    let Some((lines, _)) = banmian::compose::pour(&[text], &column, &[delta], &body) else {
        println!("no setting {delta} lines longer");
        return;
    };
    for line in lines {
        let chars: Vec<char> = line.text.chars().collect();
        let width = line.width - if line.indent { 2.0 } else { 0.0 };
        let stretch = banmian::compose::stretch(&chars, width, &body);
        println!(
            "{:5.2} {}{}",
            stretch,
            if line.spread { "* " } else { "  " },
            line.text
        );
    }
}
