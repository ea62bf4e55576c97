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

#[test]
fn each_job_makes_what_the_batch_asks() {
    // Two jobs are two processes of their own: each must be told the
    // layout, the format and the resolution the batch was given, and the
    // folder, even one named like an option.
    let ws = Workspace::new();
    ws.photo("photos/a.jpg");
    ws.write("one.toml", small_report("第一份报告。"));
    ws.write("two.toml", small_report("第二份报告。"));
    let output = ws.run(&[
        "batch",
        "one.toml",
        "two.toml",
        "--jobs",
        "2",
        "--layout",
        "brochure",
        "--pages",
        "png",
        "--ppi",
        "20",
        "--format",
        "json",
        "--output=-made",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(lines(&output).len(), 2);
    let mut names: Vec<String> = std::fs::read_dir(ws.path("-made"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(!names.is_empty());
    for stem in ["one", "two"] {
        assert!(
            names
                .iter()
                .any(|n| n.starts_with(&format!("{stem}.brochure"))),
            "{names:?}"
        );
    }
    for name in &names {
        assert!(
            name.contains(".brochure") && name.ends_with(".png"),
            "{name}"
        );
        // A4 is 210 mm wide: 165 px at 20 ppi.
        let png = std::fs::read(ws.path("-made").join(name)).unwrap();
        let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
        assert!((160..=170).contains(&width), "{name}: {width} px");
    }
}

// It finds the jobs in /proc.
#[cfg(target_os = "linux")]
#[test]
fn a_job_killed_midway_loses_no_report() {
    let ws = Workspace::new();
    ws.photo("photos/a.jpg");
    let names: Vec<String> = (0..12).map(|i| format!("r{i}.toml")).collect();
    for (i, name) in names.iter().enumerate() {
        ws.write(name, small_report(&format!("第{i}份报告。")));
    }
    let mut args = vec![
        "batch", "--jobs", "2", "--layout", "brochure", "--format", "json",
    ];
    args.extend(names.iter().map(String::as_str));
    let mut batch = ws
        .command(&args)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(batch.stdout.take().unwrap());
    let mut first = String::new();
    std::io::BufRead::read_line(&mut out, &mut first).unwrap();
    // The jobs are the batch's child processes: kill one, as the OOM
    // killer would.
    let jobs = children(batch.id());
    assert_eq!(jobs.len(), 2, "{jobs:?}");
    let killed = std::process::Command::new("sh")
        .args(["-c", &format!("kill -9 {}", jobs[0])])
        .status()
        .unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut out, &mut rest).unwrap();
    let status = batch.wait().unwrap();
    let lines: Vec<serde_json::Value> = std::iter::once(first.as_str())
        .chain(rest.lines())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    // Every report has exactly one line: none lost, none twice.
    let mut seen: Vec<&str> = lines.iter().map(|l| l["data"].as_str().unwrap()).collect();
    seen.sort();
    let mut wanted: Vec<&str> = names.iter().map(String::as_str).collect();
    wanted.sort();
    assert_eq!(seen, wanted);
    // The reports it held were made again by another job: the kill was
    // no report's fault.
    if killed.success() {
        for line in &lines {
            assert_eq!(line["status"], "made", "{line}");
        }
        assert_eq!(status.code(), Some(0));
    }
}

/// The processes whose parent is `pid`.
#[cfg(target_os = "linux")]
fn children(pid: u32) -> Vec<u32> {
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|child| {
            std::fs::read_to_string(format!("/proc/{child}/stat")).is_ok_and(|stat| {
                // pid (comm) state ppid …: the comm may hold spaces.
                stat.rsplit_once(')')
                    .and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok())
                    == Some(pid)
            })
        })
        .collect()
}

#[test]
fn two_jobs_make_the_files_one_job_makes() {
    let ws = Workspace::new();
    ws.photo("photos/a.jpg");
    ws.write("one.toml", small_report("第一份报告。"));
    ws.write("two.toml", small_report("第二份报告。"));
    for (jobs, folder) in [("1", "alone"), ("2", "shared")] {
        let output = ws.run(&[
            "batch", "one.toml", "two.toml", "--jobs", jobs, "-o", folder,
        ]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    }
    let mut names: Vec<_> = std::fs::read_dir(ws.path("alone"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert_eq!(names.len(), 4, "{names:?}");
    for name in names {
        let alone = std::fs::read(ws.path("alone").join(&name)).unwrap();
        let shared = std::fs::read(ws.path("shared").join(&name)).unwrap();
        assert!(alone == shared, "{name:?} differs");
    }
}
