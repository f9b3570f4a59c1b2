//! The dashboard's pages, one module per section, and what they share.

pub(crate) mod admin;
pub(crate) mod agents;
pub(crate) mod brand;
pub(crate) mod content;
pub(crate) mod home;
pub(crate) mod research;

use crate::Web;
use axum::Router;
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
