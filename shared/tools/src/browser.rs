//! `browser.fetch` and `browser.screenshot`: a page rendered by headless Chromium, for sites
//! that need JavaScript. Every call starts its own browser with a fresh profile and kills it
//! afterwards, so no cookies or storage pass between calls or tenants.

mod cdp;
mod chromium;
mod guard;

use crate::net::url_failure;
use crate::{Tool, ToolCall, ToolFailure, errors, input};
use async_trait::async_trait;
use cdp::Cdp;
use chromium::Chromium;
use plasma_http::outbound::{self, Egress};
use serde::Deserialize;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::time::Duration;

/// `html` and `text` are each cut at this many characters (`truncated: true`).
const MAX_CONTENT_CHARS: usize = 256 * 1024;
const DEFAULT_VIEWPORT: (u32, u32) = (1280, 800);
const MAX_VIEWPORT_SIDE: u32 = 4096;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrowserSettings {
    /// The Chromium (or Chrome) binary; `None` turns both browser tools off.
    pub chromium: Option<PathBuf>,
    /// Checked for the URL before navigating, and for every request the page makes.
    pub egress: Egress,
    /// Bounds the whole call: starting the browser, loading the page, reading it.
    pub timeout: Duration,
}

impl Default for BrowserSettings {
    fn default() -> Self {
        Self {
            chromium: None,
            egress: Egress::default(),
            timeout: Duration::from_secs(30),
        }
    }
}

/// `browser.fetch`.
///
/// Input: `{ "url": "https://..." }`.
/// Output: `{ "url" (after redirects), "title", "html" (the rendered DOM), "text" (the body's
/// visible text), "truncated" }`, `html` and `text` cut at 256 Ki characters each.
///
/// Errors: `Tool.InvalidInput`; `Browser.NotConfigured` (no `PLASMA_CHROMIUM_PATH`);
/// `Http.Forbidden` (a private address without private egress, for the page itself or, when
/// it was what failed the page, one of its requests); `Browser.NavigationFailed`;
/// `States.Timeout` (the page did not finish loading in time); `Browser.Failed`.
pub struct BrowserFetch {
    settings: BrowserSettings,
}

/// `browser.screenshot`.
///
/// Input: `{ "url": "https://...", "width": 1280, "height": 800 }` (viewport in CSS pixels,
/// each 1..=4096, default 1280x800).
/// Output: `{ "url", "title", "png_base64", "width", "height" }`: a PNG of the viewport.
///
/// Errors: as `browser.fetch`.
pub struct BrowserScreenshot {
    settings: BrowserSettings,
}

impl BrowserFetch {
    pub const NAME: &'static str = "browser.fetch";

    pub fn new(settings: BrowserSettings) -> Self {
        Self { settings }
    }
}

impl BrowserScreenshot {
    pub const NAME: &'static str = "browser.screenshot";

    pub fn new(settings: BrowserSettings) -> Self {
        Self { settings }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FetchInput {
    url: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScreenshotInput {
    url: String,
    width: Option<u32>,
    height: Option<u32>,
}

enum Mode {
    Fetch,
    Screenshot { width: u32, height: u32 },
}

#[async_trait]
impl Tool for BrowserFetch {
    async fn call(&self, call: ToolCall) -> Result<Value, ToolFailure> {
        let input: FetchInput = input(Self::NAME, call.input)?;
        visit(&self.settings, &input.url, Mode::Fetch).await
    }
}

#[async_trait]
impl Tool for BrowserScreenshot {
    async fn call(&self, call: ToolCall) -> Result<Value, ToolFailure> {
        let input: ScreenshotInput = input(Self::NAME, call.input)?;
        let width = input.width.unwrap_or(DEFAULT_VIEWPORT.0);
        let height = input.height.unwrap_or(DEFAULT_VIEWPORT.1);
        if !(1..=MAX_VIEWPORT_SIDE).contains(&width) || !(1..=MAX_VIEWPORT_SIDE).contains(&height) {
            return Err(ToolFailure::invalid(format!(
                "width and height must be between 1 and {MAX_VIEWPORT_SIDE}"
            )));
        }
        visit(
            &self.settings,
            &input.url,
            Mode::Screenshot { width, height },
        )
        .await
    }
}

async fn visit(settings: &BrowserSettings, url: &str, mode: Mode) -> Result<Value, ToolFailure> {
    let binary = settings.chromium.as_deref().ok_or_else(|| {
        ToolFailure::new(
            errors::BROWSER_NOT_CONFIGURED,
            "no Chromium binary is configured: set PLASMA_CHROMIUM_PATH (e.g. /usr/bin/chromium)",
        )
    })?;
    let url = outbound::check_url(settings.egress, url).map_err(url_failure)?;
    let timeout = settings.timeout;
    let work = async {
        let browser = Chromium::launch(binary, timeout).await.map_err(failed)?;
        let result = drive(&browser, settings.egress, url.as_str(), mode).await;
        browser.shutdown().await;
        result
    };
    tokio::time::timeout(timeout, work).await.map_err(|_| {
        ToolFailure::new(
            errors::TIMEOUT,
            format!("the page did not load and render within {timeout:?}"),
        )
    })?
}

async fn drive(
    browser: &Chromium,
    egress: Egress,
    url: &str,
    mode: Mode,
) -> Result<Value, ToolFailure> {
    let mut cdp = Cdp::connect(&browser.ws_url).await.map_err(failed)?;
    cdp.attach_new_page().await.map_err(failed)?;
    // Also with private egress allowed (where every request passes), so the pause-and-answer
    // path is the one every call runs and not one only production takes.
    cdp.guard_requests(egress).await.map_err(failed)?;
    cdp.call("Page.enable", json!({})).await.map_err(failed)?;
    if let Mode::Screenshot { width, height } = mode {
        cdp.call(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false }),
        )
        .await
        .map_err(failed)?;
    }
    cdp.clear_events();
    let navigated = cdp
        .call("Page.navigate", json!({ "url": url }))
        .await
        .map_err(failed)?;
    if let Some(error) = navigated["errorText"].as_str().filter(|e| !e.is_empty()) {
        if error.contains("ERR_BLOCKED_BY_CLIENT") && !cdp.blocked.is_empty() {
            return Err(ToolFailure::new(
                errors::HTTP_FORBIDDEN,
                format!("the page's request was refused: {}", cdp.blocked.join("; ")),
            ));
        }
        return Err(ToolFailure::new(
            errors::BROWSER_NAVIGATION_FAILED,
            format!("loading {url} failed: {error}"),
        ));
    }
    cdp.event("Page.loadEventFired").await.map_err(failed)?;

    let page = evaluate(
        &mut cdp,
        "({ url: location.href, title: document.title, \
            html: document.documentElement ? document.documentElement.outerHTML : '', \
            text: document.body ? document.body.innerText : '' })",
    )
    .await?;
    let final_url = page["url"].as_str().unwrap_or(url).to_owned();
    let title = page["title"].as_str().unwrap_or_default().to_owned();
    match mode {
        Mode::Fetch => {
            let (html, html_cut) = cap(page["html"].as_str().unwrap_or_default());
            let (text, text_cut) = cap(page["text"].as_str().unwrap_or_default());
            Ok(json!({
                "url": final_url,
                "title": title,
                "html": html,
                "text": text,
                "truncated": html_cut || text_cut,
            }))
        }
        Mode::Screenshot { width, height } => {
            let shot = cdp
                .call("Page.captureScreenshot", json!({ "format": "png" }))
                .await
                .map_err(failed)?;
            let png = shot["data"]
                .as_str()
                .ok_or_else(|| failed("the screenshot had no data".into()))?;
            Ok(json!({
                "url": final_url,
                "title": title,
                "png_base64": png,
                "width": width,
                "height": height,
            }))
        }
    }
}

async fn evaluate(cdp: &mut Cdp, expression: &str) -> Result<Value, ToolFailure> {
    let result = cdp
        .call(
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true }),
        )
        .await
        .map_err(failed)?;
    if let Some(exception) = result.get("exceptionDetails") {
        return Err(failed(format!("reading the page failed: {exception}")));
    }
    Ok(result["result"]["value"].clone())
}

fn cap(text: &str) -> (String, bool) {
    match text.char_indices().nth(MAX_CONTENT_CHARS) {
        Some((end, _)) => (text[..end].to_owned(), true),
        None => (text.to_owned(), false),
    }
}

fn failed(cause: String) -> ToolFailure {
    ToolFailure::new(errors::BROWSER_FAILED, cause)
}
