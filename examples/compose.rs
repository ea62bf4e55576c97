//! How long composing the newspaper page takes, in-process, apart from
//! loading and Typst: `cargo run --release --example compose -- DATA [RUNS]`
//! prints the median, min and max of RUNS compositions (default 15) after
//! one warm-up. `bench/render.py` runs it on the example with and without
//! its hints.
use std::time::Instant;

fn main() {
    let data = std::env::args().nth(1).expect("a report file");
    let runs: usize = std::env::args()
        .nth(2)
        .map_or(15, |r| r.parse().expect("a number of runs"));
    let loaded = banmian::report::load(data.as_ref()).unwrap_or_else(|_| panic!("a valid report"));
    let photos = banmian::photos::load(&loaded).unwrap_or_else(|_| panic!("readable photos"));
    let fonts = banmian::fonts::Fonts::load(&[]);
    let body = fonts.metrics(banmian::fonts::SERIF).expect("the body face");
    let kai = fonts.metrics(banmian::fonts::KAI).expect("the Kai face");
    let kai = banmian::compose::Fallback {
        main: &kai,
        other: &body,
        chars: "“”‘’",
    };
    let mut times = Vec::new();
    for run in 0..=runs {
        let start = Instant::now();
        let typeset = banmian::typeset::page_data(
            &loaded.report,
            &photos,
            &body,
            &kai,
            banmian::typeset::Asked {
                newspaper: true,
                brochure: false,
            },
        );
        let elapsed = start.elapsed().as_secs_f64() * 1000.0;
        if run == 0 {
            let found = matches!(typeset.composition, banmian::typeset::Composition::Page(_));
            eprintln!("{data}: {}", if found { "a page" } else { "no page" });
            continue;
        }
        times.push(elapsed);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "compose {data}, {runs} runs: median {:.0} ms (min {:.0}, max {:.0})",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
}
