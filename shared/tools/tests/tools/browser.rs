//! The browser tools against a local page. The real-browser tests need Chromium
//! (`PLASMA_CHROMIUM_PATH` or /usr/bin/chromium) and skip with a note without it.

use crate::support::{OPEN, STRICT, assert_fails, call, serve};
use axum::Router;
use axum::response::Html;
use axum::routing::get;
use base64::Engine;
use plasma_tools::{BrowserFetch, BrowserScreenshot, BrowserSettings, Tool};
use serde_json::json;
use std::path::PathBuf;
use std::time::Duration;

/// The title and part of the text are written by script, so a plain HTTP fetch would not see
/// them: seeing them proves the page was rendered.
const PAGE: &str = r#"<!doctype html>
<html><head><title>Static title</title></head>
<body style="background:#00ff00">
<h1>Fixture page</h1>
<p id="dyn"></p>
<script>
  document.title = "Rendered " + (6 * 7);
  document.getElementById("dyn").textContent = "written by script";
</script>
</body></html>"#;

/// The Chromium to test with. One named by `PLASMA_CHROMIUM_PATH` (as `.ci/run` does) must
/// exist, so CI cannot skip these tests; without the variable, Debian's if installed.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("PLASMA_CHROMIUM_PATH").map(PathBuf::from) {
        assert!(
            path.exists(),
            "PLASMA_CHROMIUM_PATH names {}, which does not exist",
            path.display()
        );
        return Some(path);
    }
    let path = PathBuf::from("/usr/bin/chromium");
    path.exists().then_some(path)
}

fn settings(chromium: Option<PathBuf>, egress: plasma_http::outbound::Egress) -> BrowserSettings {
    BrowserSettings {
        chromium,
        egress,
        timeout: Duration::from_secs(60),
    }
}

async fn fixture() -> String {
    let app = Router::new()
        .route("/page", get(|| async { Html(PAGE) }))
        .route(
            "/moved",
            get(|| async { axum::response::Redirect::temporary("/page") }),
        );
    serve(app).await
}

#[tokio::test]
async fn without_chromium_the_tools_say_what_to_configure() {
    let input = json!({ "url": "https://example.com/" });
    let failure = assert_fails(
        BrowserFetch::new(settings(None, STRICT))
            .call(call(input.clone()))
            .await,
        "Browser.NotConfigured",
    );
    assert!(failure.cause.contains("PLASMA_CHROMIUM_PATH"), "{failure}");
    assert_fails(
        BrowserScreenshot::new(settings(None, STRICT))
            .call(call(input))
            .await,
        "Browser.NotConfigured",
    );
}

#[tokio::test]
async fn private_urls_are_refused_before_a_browser_starts() {
    // A binary that does not exist: reaching the launch would fail as Browser.Failed.
    let missing = Some(PathBuf::from("/nonexistent/chromium"));
    let fetch = BrowserFetch::new(settings(missing, STRICT));
    for url in [
        "http://127.0.0.1:8080/",
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost/",
    ] {
        assert_fails(
            fetch.call(call(json!({ "url": url }))).await,
            "Http.Forbidden",
        );
    }
    assert_fails(
        fetch
            .call(call(json!({ "url": "file:///etc/passwd" })))
            .await,
        "Tool.InvalidInput",
    );
    assert_fails(
        fetch
            .call(call(json!({ "url": "https://example.com/" })))
            .await,
        "Browser.Failed",
    );
}

#[tokio::test]
async fn fetch_renders_the_page() {
    let Some(chromium) = chromium() else {
        eprintln!("note: no Chromium (PLASMA_CHROMIUM_PATH or /usr/bin/chromium); skipping");
        return;
    };
    let base = fixture().await;
    let out = BrowserFetch::new(settings(Some(chromium), OPEN))
        .call(call(json!({ "url": format!("{base}/moved") })))
        .await
        .unwrap();
    assert_eq!(out["url"], format!("{base}/page"));
    assert_eq!(out["title"], "Rendered 42");
    let text = out["text"].as_str().unwrap();
    assert!(text.contains("Fixture page"), "{text}");
    assert!(text.contains("written by script"), "{text}");
    let html = out["html"].as_str().unwrap();
    assert!(
        html.contains(r#"<p id="dyn">written by script</p>"#),
        "{html}"
    );
    assert_eq!(out["truncated"], false);
}

#[tokio::test]
async fn screenshot_is_a_png_of_the_requested_size() {
    let Some(chromium) = chromium() else {
        eprintln!("note: no Chromium (PLASMA_CHROMIUM_PATH or /usr/bin/chromium); skipping");
        return;
    };
    let base = fixture().await;
    let out = BrowserScreenshot::new(settings(Some(chromium), OPEN))
        .call(call(
            json!({ "url": format!("{base}/page"), "width": 640, "height": 360 }),
        ))
        .await
        .unwrap();
    assert_eq!(out["title"], "Rendered 42");
    assert_eq!(out["width"], 640);
    let png = base64::engine::general_purpose::STANDARD
        .decode(out["png_base64"].as_str().unwrap())
        .unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    // IHDR follows the signature: length, "IHDR", then width and height big-endian.
    assert_eq!(&png[12..16], b"IHDR");
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!((width, height), (640, 360));
}

#[tokio::test]
async fn an_unreachable_page_is_a_navigation_failure() {
    let Some(chromium) = chromium() else {
        eprintln!("note: no Chromium (PLASMA_CHROMIUM_PATH or /usr/bin/chromium); skipping");
        return;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let failure = assert_fails(
        BrowserFetch::new(settings(Some(chromium), OPEN))
            .call(call(json!({ "url": format!("http://127.0.0.1:{port}/") })))
            .await,
        "Browser.NavigationFailed",
    );
    assert!(
        failure.cause.contains("ERR_CONNECTION_REFUSED"),
        "{failure}"
    );
}
