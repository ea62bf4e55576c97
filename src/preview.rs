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
    // A few threads answer; an event stream holds one for as long as the
    // page is open.
    for _ in 0..4 {
        let server = Arc::clone(&server);
        let preview = Arc::clone(&preview);
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                let preview = Arc::clone(&preview);
                if request.url() == "/events" {
                    std::thread::spawn(move || events(request, &preview));
                } else {
                    answer(request, &preview);
                }
            }
        });
    }
    Ok(bound)
}

fn answer(request: tiny_http::Request, preview: &Preview) {
    let url = request.url().split('?').next().unwrap_or("").to_string();
    let header = |value: &str| {
        tiny_http::Header::from_bytes(&b"Content-Type"[..], value.as_bytes())
            .expect("a valid header")
    };
    let response = if url == "/" {
        tiny_http::Response::from_string(page(&preview.shown()))
            .with_header(header("text/html; charset=utf-8"))
    } else if let Some(png) = picture(&url, preview) {
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
    let shown = preview.shown();
    let (_, document) = shown.documents.iter().find(|(l, _)| l.name() == layout)?;
    let page = document.pages().get(n.checked_sub(1)?)?;
    let options = typst_render::RenderOptions {
        pixel_per_pt: (96.0 / 72.0).into(),
        render_bleed: false,
    };
    typst_render::render(page, &options).encode_png().ok()
}

/// The event stream: one event (its data the generation) after each
/// render, until the page goes away.
fn events(request: tiny_http::Request, preview: &Preview) {
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
    let mut seen = preview.shown().generation;
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
        "<script>new EventSource('/events').onmessage = () => location.reload();</script></body></html>",
    );
    html
}
