//! The inbound webhook format, for sources without a connector: whoever has the data posts
//!
//! ```json
//! {"items": [{"url": "https://…", "author": "name" | null, "published_at": "RFC 3339",
//!             "text": "…", "language": "en", "reach": 1200, "engagement": 35}]}
//! ```
//!
//! `language`, `reach` and `engagement` are optional; `author` must be present but may be
//! null. Text may contain HTML, which is reduced to plain text. A document is accepted whole
//! or refused with the first offending field, so a sender never half-delivers a batch.

use super::canonical::{canonical_url, url_id};
use super::text::html_to_text;
use crate::Mention;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

/// Most items one document may carry; larger batches are split by the sender.
pub const MAX_INBOUND_ITEMS: usize = 1000;
/// Longest text accepted per item, in bytes, before markup is removed.
pub const MAX_INBOUND_TEXT: usize = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct InboundError {
    /// JSON path of the offending field, e.g. `items[2].published_at`.
    pub field: String,
    pub reason: String,
}

fn invalid(field: impl Into<String>, reason: impl Into<String>) -> InboundError {
    InboundError {
        field: field.into(),
        reason: reason.into(),
    }
}

/// Parse and validate a webhook body into mentions with `source: "webhook"`.
pub fn parse_inbound(body: &[u8]) -> Result<Vec<Mention>, InboundError> {
    let document: Value =
        serde_json::from_slice(body).map_err(|e| invalid("$", format!("not JSON: {e}")))?;
    let items = document
        .as_object()
        .ok_or_else(|| invalid("$", "must be an object"))?
        .get("items")
        .ok_or_else(|| invalid("items", "is required"))?
        .as_array()
        .ok_or_else(|| invalid("items", "must be an array"))?;
    if items.len() > MAX_INBOUND_ITEMS {
        return Err(invalid(
            "items",
            format!("holds {} items; at most {MAX_INBOUND_ITEMS}", items.len()),
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let path = format!("items[{i}]");
            let object = item
                .as_object()
                .ok_or_else(|| invalid(&path, "must be an object"))?;
            parse_item(&path, object)
        })
        .collect()
}

fn parse_item(path: &str, item: &Map<String, Value>) -> Result<Mention, InboundError> {
    let field = |name: &str| format!("{path}.{name}");
    let string = |name: &str| -> Result<Option<&str>, InboundError> {
        match item.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(_) => Err(invalid(field(name), "must be a string")),
        }
    };
    let count = |name: &str| -> Result<Option<u64>, InboundError> {
        match item.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_u64()
                .map(Some)
                .ok_or_else(|| invalid(field(name), "must be a non-negative integer")),
        }
    };

    let raw_url = string("url")?.ok_or_else(|| invalid(field("url"), "is required"))?;
    let url = canonical_url(raw_url)
        .ok_or_else(|| invalid(field("url"), "must be an absolute http(s) URL"))?;

    if !item.contains_key("author") {
        return Err(invalid(field("author"), "is required (null when unknown)"));
    }
    let author = string("author")?
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_string);

    let published =
        string("published_at")?.ok_or_else(|| invalid(field("published_at"), "is required"))?;
    let published_at = DateTime::parse_from_rfc3339(published)
        .map_err(|_| invalid(field("published_at"), "must be an RFC 3339 timestamp"))?
        .with_timezone(&Utc);

    let raw_text = string("text")?.ok_or_else(|| invalid(field("text"), "is required"))?;
    if raw_text.len() > MAX_INBOUND_TEXT {
        return Err(invalid(
            field("text"),
            format!("is longer than {MAX_INBOUND_TEXT} bytes"),
        ));
    }
    let text = html_to_text(raw_text);
    if text.is_empty() {
        return Err(invalid(field("text"), "must not be empty"));
    }

    let language = string("language")?
        .map(|l| {
            is_language_tag(l).then(|| l.to_string()).ok_or_else(|| {
                invalid(
                    field("language"),
                    "must be a BCP 47 tag such as en or pt-BR",
                )
            })
        })
        .transpose()?;

    Ok(Mention {
        id: url_id(&url),
        url,
        source: "webhook".into(),
        author,
        published_at,
        text,
        language,
        reach: count("reach")?,
        engagement: count("engagement")?,
    })
}

/// The shape of a BCP 47 tag (a 2–3 letter primary language, then alphanumeric subtags);
/// not a registry lookup.
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}
