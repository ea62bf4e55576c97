//! The local preview of `banmian watch --serve`: a page on the loopback
//! interface that shows the last good render's pages (PNG, made on request
//! from the laid-out documents) and the current findings, and reloads
//! itself when a render ends (server-sent events on `/events`).
//!
//! Routes: `/` the page, `/events` the event stream, `/page/<layout>/<n>.png`
//! one page. Nothing else is served: no file of the disk is read.

use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::{Arc, Condvar, Mutex};

use typst_layout::PagedDocument;

use crate::findings::Finding;
use crate::layouts::Layout;

/// What the preview shows, replaced after each render.
#[derive(Default)]
pub struct Shown {
    /// Counts the renders; the page reloads when it changes.
    pub generation: u64,
    /// The last good render's documents.
    pub documents: Vec<(Layout, PagedDocument)>,
    /// The last render's findings (of a broken edit, too).
    pub findings: Vec<Finding>,
    /// The last render's line, as the terminal shows it.
    pub status: String,
}

/// The preview's state, shared by the watch loop and the server's threads.
#[derive(Default)]
pub struct Preview {
    shown: Mutex<Shown>,
    changed: Condvar,
}

impl Preview {
    /// Replaces what is shown and wakes the pages waiting for it.
    pub fn update(&self, change: impl FnOnce(&mut Shown)) {
        let mut shown = self.shown.lock().unwrap_or_else(|e| e.into_inner());
        change(&mut shown);
        shown.generation += 1;
        self.changed.notify_all();
    }

    fn shown(&self) -> std::sync::MutexGuard<'_, Shown> {
        self.shown.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Event streams open at once, at most (each holds a thread).
const MAX_STREAMS: usize = 16;

/// Starts the server on `addr` (port 0: a free one) on threads of its
/// own; returns the address it listens on.
pub fn serve(addr: &str, preview: Arc<Preview>) -> Result<SocketAddr, String> {
    let server =
        tiny_http::Server::http(addr).map_err(|e| format!("cannot serve on {addr}: {e}"))?;
    let bound = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| format!("{addr} is not an IP address"))?;
    let server = Arc::new(server);
    let streams = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    // A few threads answer; an event stream holds one of its own for as
    // long as the page is open.
    for _ in 0..4 {
        let server = Arc::clone(&server);
        let preview = Arc::clone(&preview);
        let streams = Arc::clone(&streams);
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                // Only a page on this machine asks: a web page elsewhere
                // that rebinds its name to 127.0.0.1 sends its own Host.
                if !host_is(&request, bound) {
                    let _ = request.respond(
                        tiny_http::Response::from_string("forbidden").with_status_code(403),
                    );
                    continue;
                }
                let path = request.url().split('?').next().unwrap_or("").to_string();
                if path == "/events" {
                    use std::sync::atomic::Ordering;
                    if streams.fetch_add(1, Ordering::SeqCst) >= MAX_STREAMS {
                        streams.fetch_sub(1, Ordering::SeqCst);
                        let _ = request.respond(
                            tiny_http::Response::from_string("busy").with_status_code(503),
                        );
                        continue;
                    }
                    let preview = Arc::clone(&preview);
                    let streams = Arc::clone(&streams);
                    std::thread::spawn(move || {
                        events(request, &preview);
                        streams.fetch_sub(1, Ordering::SeqCst);
                    });
                } else {
                    answer(request, &path, &preview);
                }
            }
        });
    }
    Ok(bound)
}

/// Whether the request's Host is the address served (or, on loopback,
/// `localhost`).
fn host_is(request: &tiny_http::Request, bound: SocketAddr) -> bool {
    let Some(host) = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str().to_string())
    else {
        // HTTP/1.0 without a Host: only a local program speaks so.
        return bound.ip().is_loopback();
    };
    let port = bound.port().to_string();
    let name = host.strip_suffix(&format!(":{port}")).unwrap_or("");
    name == bound.ip().to_string()
        || (bound.ip().is_loopback() && matches!(name, "localhost" | "127.0.0.1" | "[::1]"))
        || (bound.is_ipv6() && name == format!("[{}]", bound.ip()))
}

fn answer(request: tiny_http::Request, url: &str, preview: &Preview) {
    let header = |value: &str| {
        tiny_http::Header::from_bytes(&b"Content-Type"[..], value.as_bytes())
            .expect("a valid header")
    };
    let response = if url == "/" {
        tiny_http::Response::from_string(page(&preview.shown()))
            .with_header(header("text/html; charset=utf-8"))
    } else if let Some(png) = picture(url, preview) {
        tiny_http::Response::from_data(png).with_header(header("image/png"))
    } else {
        tiny_http::Response::from_string("not found").with_status_code(404)
    };
    let _ = request.respond(response);
}

/// `/page/<layout>/<n>.png`: page n (from 1) of the layout, at 96 ppi.
fn picture(url: &str, preview: &Preview) -> Option<Vec<u8>> {
    let rest = url.strip_prefix("/page/")?;
    let (layout, file) = rest.split_once('/')?;
    let n: usize = file.strip_suffix(".png")?.parse().ok()?;
    // The page taken out, and drawn with the lock let go.
    let page = {
        let shown = preview.shown();
        let (_, document) = shown.documents.iter().find(|(l, _)| l.name() == layout)?;
        document.pages().get(n.checked_sub(1)?)?.clone()
    };
    let options = typst_render::RenderOptions {
        pixel_per_pt: (96.0 / 72.0).into(),
        render_bleed: false,
    };
    typst_render::render(&page, &options).encode_png().ok()
}

/// The event stream: one event (its data the generation) after each
/// render, until the page goes away. `?since=G` is the generation the
/// page shows: a render that ended before the stream opened is told at
/// once.
fn events(request: tiny_http::Request, preview: &Preview) {
    let since: Option<u64> = request
        .url()
        .split_once("?since=")
        .and_then(|(_, g)| g.parse().ok());
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\
                Connection: keep-alive\r\n\r\n";
    if writer
        .write_all(head.as_bytes())
        .and_then(|()| writer.flush())
        .is_err()
    {
        return;
    }
    let mut seen = since.unwrap_or_else(|| preview.shown().generation);
    loop {
        let shown = preview.shown();
        let (shown, _) = preview
            .changed
            .wait_timeout_while(shown, std::time::Duration::from_secs(15), |s| {
                s.generation == seen
            })
            .unwrap_or_else(|e| e.into_inner());
        let generation = shown.generation;
        drop(shown);
        // A comment every 15 s keeps the connection (and finds it closed).
        let event = if generation == seen {
            ": still here\n\n".to_string()
        } else {
            format!("data: {generation}\n\n")
        };
        seen = generation;
        if writer
            .write_all(event.as_bytes())
            .and_then(|()| writer.flush())
            .is_err()
        {
            return;
        }
    }
}

/// The preview page: the status line, the findings, every page.
fn page(shown: &Shown) -> String {
    let escape = |text: &str| {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let mut html = String::from(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>banmian preview</title>\
         <style>body{font-family:sans-serif;background:#ddd;margin:1em}img{display:block;margin:1em 0;\
         box-shadow:0 0 6px #888;max-width:100%}pre{background:#fff;padding:.5em;white-space:pre-wrap}\
         .error{color:#b00}</style></head><body>",
    );
    html.push_str(&format!(
        "<p id=\"status\" data-generation=\"{}\">{}</p>",
        shown.generation,
        escape(&shown.status)
    ));
    if !shown.findings.is_empty() {
        html.push_str("<pre>");
        for finding in &shown.findings {
            let class = if finding.is_error() {
                " class=\"error\""
            } else {
                ""
            };
            html.push_str(&format!(
                "<span{class}>{}</span>\n",
                escape(&finding.headline())
            ));
        }
        html.push_str("</pre>");
    }
    for (layout, document) in &shown.documents {
        for n in 1..=document.pages().len() {
            html.push_str(&format!(
                "<img alt=\"{0} page {n}\" src=\"/page/{0}/{n}.png?g={1}\">",
                layout.name(),
                shown.generation
            ));
        }
    }
    html.push_str(
        "<script>new EventSource('/events?since=' + document.getElementById('status').dataset.generation)\
         .onmessage = () => location.reload();</script></body></html>",
    );
    html
}
