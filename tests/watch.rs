//! `banmian watch`: a render on every edit, the last good output kept on a
//! broken one, and the preview page on loopback that follows the edits.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use crate::support::{BIN, Workspace, small_report};

/// The watch process, stopped when dropped.
struct Watching {
    child: Child,
    lines: Receiver<String>,
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Watching {
    fn start(ws: &Workspace, extra: &[&str]) -> Self {
        let mut child = Command::new(BIN)
            .args([
                "watch",
                "report.toml",
                "--layout",
                "newspaper",
                "-o",
                "out/",
            ])
            .args(extra)
            .current_dir(ws.path("."))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Self { child, lines }
    }

    /// The next line that starts with `prefix`, within 30 s.
    fn next(&self, prefix: &str) -> String {
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(120))
                .unwrap_or_else(|_| panic!("no `{prefix}` line within 120 s"));
            if line.starts_with(prefix) {
                return line;
            }
        }
    }
}

/// A GET on the preview server: the response's body.
fn get(addr: &str, path: &str) -> Vec<u8> {
    let mut stream = TcpStream::connect(addr).unwrap();
    // HTTP/1.0: the body as it is, not in chunks.
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let body = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    response[body..].to_vec()
}

#[test]
fn an_edit_renders_again_and_a_broken_one_keeps_the_last_good_output() {
    let ws = Workspace::new();
    ws.photo("photos/a.jpg");
    ws.write("report.toml", small_report("第一稿的正文。"));
    let watching = Watching::start(&ws, &[]);
    watching.next("made ");
    let first = std::fs::read(ws.path("out/report.newspaper.pdf")).unwrap();
    ws.write("report.toml", small_report("第二稿的正文，改了一句。"));
    let line = watching.next("made ");
    assert!(line.contains("page(s) in"), "{line}");
    let second = std::fs::read(ws.path("out/report.newspaper.pdf")).unwrap();
    assert_ne!(first, second, "the edit is in the new output");
    ws.write("report.toml", "title = [\n");
    let line = watching.next("refused");
    assert!(line.contains("last good output is kept"), "{line}");
    assert_eq!(
        std::fs::read(ws.path("out/report.newspaper.pdf")).unwrap(),
        second
    );
}

#[test]
fn what_watch_remembers_between_renders_makes_the_page_a_fresh_render_makes() {
    // The example, edited in one story after another and back: each page
    // watch writes, from stories it partly remembers, is byte for byte the
    // page a render of the same file makes from nothing.
    let ws = Workspace::new();
    let example = crate::support::example_in(&ws.path("."));
    ws.write("report.toml", &example);
    let watching = Watching::start(&ws, &[]);
    watching.next("made ");
    let edits = [
        example.replacen("群众", "广大群众", 1),
        example.replacen("项目", "重点项目", 1),
        example.replacen("群众", "广大群众", 1),
        example.clone(),
    ];
    for (n, edited) in edits.iter().enumerate() {
        ws.write("report.toml", edited);
        watching.next("made ");
        let watched = std::fs::read(ws.path("out/report.newspaper.pdf")).unwrap();
        let output = ws.run(&[
            "render",
            "report.toml",
            "--layout",
            "newspaper",
            "-o",
            "fresh/",
        ]);
        assert!(
            output.status.success(),
            "{}",
            crate::support::stderr(&output)
        );
        assert!(
            watched == std::fs::read(ws.path("fresh/report.newspaper.pdf")).unwrap(),
            "edit {n}: watch made another page"
        );
    }
}

#[test]
fn the_preview_page_shows_the_pages_and_hears_of_each_render() {
    let ws = Workspace::new();
    ws.photo("photos/a.jpg");
    ws.write("report.toml", small_report("第一稿的正文。"));
    let watching = Watching::start(&ws, &["--serve"]);
    let line = watching.next("preview at http://");
    let addr = line
        .trim_start_matches("preview at http://")
        .trim_end_matches('/')
        .to_string();
    assert!(addr.starts_with("127.0.0.1:"), "{addr}");
    watching.next("made ");
    let page = String::from_utf8(get(&addr, "/")).unwrap();
    assert!(page.contains("/page/newspaper/1.png"), "{page}");
    assert!(page.contains("EventSource('/events?since="));
    let png = get(&addr, "/page/newspaper/1.png");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(get(&addr, "/etc/passwd"), b"not found");
    // A page elsewhere that rebinds its name to this address is refused.
    let mut stream = TcpStream::connect(&addr).unwrap();
    write!(
        stream,
        "GET / HTTP/1.1\r\nHost: evil.example:80\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut refused = String::new();
    stream.read_to_string(&mut refused).unwrap();
    assert!(refused.starts_with("HTTP/1.1 403"), "{refused}");
    // The event stream tells the page of the next render.
    let mut events = TcpStream::connect(&addr).unwrap();
    write!(
        events,
        "GET /events?since=1 HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    )
    .unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut head = String::new();
    let mut byte = [0u8; 1];
    while !head.ends_with("\r\n\r\n") {
        assert_eq!(
            events.read(&mut byte).unwrap(),
            1,
            "the stream closed: {head}"
        );
        head.push(byte[0] as char);
    }
    assert!(head.starts_with("HTTP/1.1 200 OK"), "{head}");
    ws.write("report.toml", small_report("第二稿的正文，改了一句。"));
    let mut heard = String::new();
    let mut buffer = [0u8; 256];
    while !heard.contains("data: ") {
        let n = events.read(&mut buffer).expect("an event within 30 s");
        assert!(n > 0, "the stream closed");
        heard.push_str(&String::from_utf8_lossy(&buffer[..n]));
    }
    watching.next("made ");
}

#[test]
fn a_missing_photo_put_in_place_renders_again() {
    let ws = Workspace::new();
    // The report names photos/a.jpg, which is not there yet.
    ws.write("report.toml", small_report("正文。"));
    std::fs::create_dir_all(ws.path("photos")).unwrap();
    let watching = Watching::start(&ws, &[]);
    let line = watching.next("refused");
    assert!(line.contains("error"), "{line}");
    ws.photo("photos/a.jpg");
    watching.next("made ");
    assert!(ws.path("out/report.newspaper.pdf").is_file());
}

#[test]
fn a_save_that_replaces_the_file_renders_once_without_a_false_error() {
    let ws = Workspace::new();
    ws.photo("photos/a.jpg");
    ws.write("report.toml", small_report("第一稿的正文。"));
    let watching = Watching::start(&ws, &[]);
    watching.next("made ");
    // As editors save: the old file removed, the new one renamed in.
    ws.write("report.toml.new", small_report("第二稿的正文。"));
    std::fs::remove_file(ws.path("report.toml")).unwrap();
    // Longer than an edit takes to settle: the watch sees the file gone.
    std::thread::sleep(Duration::from_millis(300));
    std::fs::rename(ws.path("report.toml.new"), ws.path("report.toml")).unwrap();
    let line = watching.next("");
    assert!(line.starts_with("made "), "{line}");
}

/// Chromium on this machine, if any.
fn chromium() -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| {
            ["chromium", "chromium-browser", "google-chrome"].map(|name| dir.join(name))
        })
        .find(|candidate| candidate.is_file())
}

/// The DevTools targets (pages) of the browser at `addr`: an HTTP/1.1
/// GET (Chromium answers 1.0 with nothing) whose body is as long as it
/// says (it keeps the connection open).
fn devtools_targets(addr: &str) -> serde_json::Value {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET /json/list HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    serde_json::from_slice(&body).unwrap()
}

/// A headless browser, stopped when dropped.
struct Browser {
    child: Child,
    _profile: tempfile::TempDir,
    socket: tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>,
    next_id: u64,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Browser {
    /// Starts Chromium and connects to its page over the DevTools protocol.
    fn start(binary: &std::path::Path) -> Self {
        let profile = tempfile::tempdir().unwrap();
        let child = Command::new(binary)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Chromium writes the port it took into the profile.
        let port_file = profile.path().join("DevToolsActivePort");
        let started = std::time::Instant::now();
        let port = loop {
            if let Some(port) = std::fs::read_to_string(&port_file)
                .ok()
                .and_then(|text| text.lines().next().map(str::to_string))
                .filter(|line| !line.is_empty())
            {
                break port;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "Chromium did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        let targets = devtools_targets(&format!("127.0.0.1:{port}"));
        let url = targets
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["type"] == "page")
            .and_then(|t| t["webSocketDebuggerUrl"].as_str())
            .expect("a page to drive")
            .to_string();
        let (socket, _) = tungstenite::connect(url).unwrap();
        Self {
            child,
            _profile: profile,
            socket,
            next_id: 0,
        }
    }

    /// Calls a DevTools method and returns its result.
    fn call(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
        self.next_id += 1;
        let id = self.next_id;
        let message = serde_json::json!({"id": id, "method": method, "params": params});
        self.socket
            .send(tungstenite::Message::text(message.to_string()))
            .unwrap();
        loop {
            let reply = self.socket.read().unwrap();
            let Ok(text) = reply.to_text() else { continue };
            let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
                continue;
            };
            if value["id"] == id {
                return value["result"].clone();
            }
        }
    }

    /// What the page shows: its render generation, its status line, and
    /// whether its first page image has loaded.
    fn shown(&mut self) -> (u64, String, bool) {
        let expression = "(() => { const s = document.getElementById('status'); \
            const img = document.images[0]; \
            return s ? [Number(s.dataset.generation), s.textContent, \
            !!img && img.complete && img.naturalWidth > 0] : [0, '', false]; })()";
        let result = self.call(
            "Runtime.evaluate",
            serde_json::json!({"expression": expression, "returnByValue": true}),
        );
        let value = &result["result"]["value"];
        (
            value[0].as_u64().unwrap_or(0),
            value[1].as_str().unwrap_or("").to_string(),
            value[2].as_bool().unwrap_or(false),
        )
    }

    /// Waits (up to a minute) until the page shows what `wanted` accepts.
    fn wait_for(&mut self, wanted: impl Fn(&(u64, String, bool)) -> bool) -> (u64, String, bool) {
        let started = std::time::Instant::now();
        loop {
            let shown = self.shown();
            if wanted(&shown) {
                return shown;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the page still shows {shown:?}"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

#[test]
fn a_browser_sees_the_preview_change_after_an_edit() {
    let Some(binary) = chromium() else {
        assert_ne!(
            std::env::var("BANMIAN_TEST_TOOLS").as_deref(),
            Ok("required"),
            "no Chromium on this machine (tools/test installs Debian's)"
        );
        eprintln!("skipped: no Chromium on this machine; `tools/test` installs it");
        return;
    };
    let ws = Workspace::new();
    ws.photo("photos/a.jpg");
    ws.write("report.toml", small_report("第一稿的正文。"));
    let watching = Watching::start(&ws, &["--serve"]);
    let line = watching.next("preview at ");
    let url = line.trim_start_matches("preview at ").to_string();
    watching.next("made ");
    let mut browser = Browser::start(&binary);
    browser.call("Page.navigate", serde_json::json!({"url": url}));
    let (first, status, _) = browser.wait_for(|(g, _, loaded)| *g > 0 && *loaded);
    assert!(status.starts_with("made "), "{status}");
    // An edit of one paragraph: the page reloads itself with the new render.
    let edited = std::time::Instant::now();
    ws.write("report.toml", small_report("第二稿的正文，改了一句。"));
    let (second, status, _) = browser.wait_for(|(g, _, loaded)| *g > first && *loaded);
    let seen = edited.elapsed();
    assert!(status.starts_with("made "), "{status}");
    assert_eq!(second, first + 1, "one render per edit");
    eprintln!("the browser showed the edit after {} ms", seen.as_millis());
}
