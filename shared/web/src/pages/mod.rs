//! The dashboard's pages, one module per section, and what they share.

pub(crate) mod admin;
pub(crate) mod agents;
pub(crate) mod brand;
pub(crate) mod content;
pub(crate) mod home;
pub(crate) mod research;

use crate::Web;
use crate::api::Reply;
use crate::layout::{self, Page};
use crate::session::{Fields, Session};
use axum::Router;
use axum::http::Method;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde_json::Value;

pub(crate) fn routes() -> Router<Web> {
    Router::new()
        .merge(research::routes())
        .merge(brand::routes())
        .merge(content::routes())
        .merge(agents::routes())
        .merge(admin::routes())
}

/// A JSON string field, or "".
pub(crate) fn s(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

/// The items of a list response (`{"items": [...]}`), or of a bare array.
pub(crate) fn items(value: &Value) -> &[Value] {
    value["items"]
        .as_array()
        .or_else(|| value.as_array())
        .map_or(&[], Vec::as_slice)
}

pub(crate) fn badge(status: &str) -> Markup {
    html! { span class={ "badge " (status) } { (status.replace('_', " ")) } }
}

/// An RFC 3339 time as `2026-12-04 09:30` (UTC), or the text as it is.
pub(crate) fn when(value: &Value) -> String {
    let text = s(value);
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| {
            t.with_timezone(&chrono::Utc)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| text.to_owned())
}

/// A path segment from an id the API gave, encoded so it can't change the path.
pub(crate) fn seg(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes()).collect()
}

pub(crate) fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// One API call a form makes.
pub(crate) struct Call {
    pub method: Method,
    pub path: String,
    pub body: Option<Value>,
}

impl Call {
    pub fn post(path: String, body: Option<Value>) -> Self {
        Self {
            method: Method::POST,
            path,
            body,
        }
    }
}

/// A form's action: check its CSRF token, make the call, and go back to `here` with
/// `notice`, or with what the API said went wrong.
pub(crate) async fn act(
    web: &Web,
    session: &Session,
    fields: &Fields,
    call: Call,
    here: &str,
    notice: &str,
) -> Response {
    if let Err(refused) = session.check(fields) {
        return refused.into_response();
    }
    let reply = web
        .call(call.method, &call.path, &session.token, call.body)
        .await;
    if reply.ok() {
        layout::done(here, notice)
    } else {
        layout::failed(here, &reply.problem())
    }
}

/// The page for something the API would not show (not found, not allowed), with its
/// status, so another tenant's id looks like no id at all.
pub(crate) fn refusal(
    session: &Session,
    section: &'static str,
    what: &str,
    reply: &Reply,
) -> Response {
    let body = html! { p.error role="alert" { (reply.problem()) } };
    (
        reply.status,
        layout::page(session, Page::in_section(section, what), body),
    )
        .into_response()
}

/// A comma-separated form field as a list, blanks dropped.
pub(crate) fn list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// At most `max` characters, with an ellipsis when cut.
pub(crate) fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(max).collect::<String>())
    }
}
