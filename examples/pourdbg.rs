//! Debug: lines of each paragraph of a report section under each delta.
fn main() {
    let data = std::env::args().nth(1).unwrap();
    let section: usize = std::env::args().nth(2).unwrap().parse().unwrap();
    let loaded = banmian::report::load(data.as_ref()).unwrap_or_else(|_| panic!());
    let fonts = banmian::fonts::Fonts::load(&[]);
    let body = fonts.metrics("Noto Serif CJK SC").unwrap();
    let paragraphs: Vec<String> = loaded.report.sections[section]
        .paragraphs
        .iter()
        .map(|p| banmian::typeset::prepare(p))
        .collect();
    let slots = banmian::compose::slots(1, 200, &[]);
    for (i, p) in paragraphs.iter().enumerate() {
        for delta in [-2, -1, 0, 1, 2, 3] {
            let mut d = vec![0; paragraphs.len()];
            d[i] = delta;
            let one = [p.clone()];
            let r = banmian::compose::pour(&one, &slots, &[delta], &body).map(|(l, _)| l.len());
            println!("paragraph {i} delta {delta}: {r:?}");
            let _ = d;
        }
    }
}
