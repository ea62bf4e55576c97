//! `banmian batch`: many reports at once, good and bad together, sharded.

use crate::support::{Workspace, small_report, stderr};

fn lines(output: &std::process::Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn good_and_bad_reports_together_each_get_their_line_and_the_worst_exit() {
    let ws = Workspace::new();
    ws.photo("photos/a.jpg");
    ws.write("one.toml", small_report("第一份报告。"));
    ws.write("two.toml", small_report("第二份报告。"));
    ws.write("bad.toml", "title = 1\n");
    let output = ws.run(&[
        "batch", "one.toml", "bad.toml", "two.toml", "--format", "json", "--jobs", "2", "-o",
        "made",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let lines = lines(&output);
    assert_eq!(lines.len(), 3);
    for line in &lines {
        let data = line["data"].as_str().unwrap();
        if data == "bad.toml" {
            assert_eq!(line["status"], "refused");
            assert_eq!(line["exit"], 1);
            assert!(
                line["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|f| f["severity"] == "error")
            );
            assert!(line["outputs"].as_array().unwrap().is_empty());
        } else {
            assert_eq!(line["status"], "made", "{line}");
            let outputs = line["outputs"].as_array().unwrap();
            assert_eq!(outputs.len(), 2, "{line}");
            for path in outputs {
                assert!(
                    ws.path(".").join(path.as_str().unwrap()).is_file(),
                    "{path}"
                );
            }
        }
    }
    // The good ones were made although one failed.
    assert!(ws.path("made/one.newspaper.pdf").is_file());
    assert!(ws.path("made/two.brochure.pdf").is_file());
}

#[test]
fn shards_cover_every_input_exactly_once() {
    let ws = Workspace::new();
    // Reports that fail at once (no such file): the shards are what is
    // tested, not the rendering.
    let names: Vec<String> = (0..30).map(|i| format!("r{i}.toml")).collect();
    let mut seen: Vec<String> = Vec::new();
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let mut args = vec!["batch", "--format", "json", "--shard", shard.as_str()];
        args.extend(names.iter().map(String::as_str));
        let output = ws.run(&args);
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        let mine: Vec<String> = lines(&output)
            .iter()
            .map(|l| l["data"].as_str().unwrap().to_string())
            .collect();
        assert!(
            !mine.is_empty() && mine.len() < names.len(),
            "shard {k}: {mine:?}"
        );
        seen.extend(mine);
    }
    seen.sort();
    let mut all = names.clone();
    all.sort();
    assert_eq!(seen, all);
    // A shard that does not exist is refused; spaces are no matter.
    for wrong in ["4/3", "0/0", "1/0", "0/2", "2", "a/b"] {
        let output = ws.run(&["batch", "r0.toml", "--shard", wrong]);
        assert_eq!(output.status.code(), Some(2), "{wrong}");
        assert!(stderr(&output).contains("--shard"), "{wrong}");
    }
    let output = ws.run(&["batch", "r0.toml", "--shard", " 1/1 ", "--format", "json"]);
    assert_eq!(lines(&output).len(), 1);
}

#[test]
fn two_reports_of_one_name_are_refused_before_any_work() {
    let ws = Workspace::new();
    ws.photo("a/photos/a.jpg");
    ws.photo("b/photos/a.jpg");
    ws.write("a/report.toml", small_report("第一份报告。"));
    ws.write("b/report.toml", small_report("第二份报告。"));
    let output = ws.run(&["batch", "a/report.toml", "b/report.toml", "-o", "made"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("same name"), "{}", stderr(&output));
    assert!(!ws.path("made").exists());
    // Also r.toml beside r.json, and also when only one is in this shard.
    ws.write("a/report.json", "{}");
    for shard in ["1/2", "2/2"] {
        let output = ws.run(&["batch", "a/report.toml", "a/report.json", "--shard", shard]);
        assert_eq!(output.status.code(), Some(2), "{shard}");
    }
    // The same file twice is one report, not a clash.
    let output = ws.run(&[
        "batch",
        "a/report.toml",
        "a/./report.toml",
        "--format",
        "json",
    ]);
    assert_eq!(lines(&output).len(), 1, "{}", stderr(&output));
}
