//! Source connectors: where mentions come from. Every connector implements [`Source`]: given
//! the monitor's search and the cursor saved after the previous scan, it returns the new
//! mentions (normalised into [`Mention`]) and the cursor to save for the next scan.
//!
//! All outbound traffic goes through [`SourceHttp`] (timeouts, retries with backoff, `429`
//! handling, per-host politeness and the SSRF guard), so a connector is only the mapping
//! between one API's shape and [`Mention`].

mod canonical;
mod cursors;
mod feed;
mod hackernews;
mod http;
mod inbound;
mod mastodon;
mod newsapi;
mod reddit;
mod text;
mod x;

pub use canonical::{canonical_url, url_id};
pub use cursors::{load_cursor, save_cursor};
pub use feed::{FeedSource, parse_feed};
pub use hackernews::{HACKERNEWS_BASE, HackerNewsSource};
pub use http::{HttpSettings, SourceHttp};
pub use inbound::{InboundError, MAX_INBOUND_ITEMS, MAX_INBOUND_TEXT, parse_inbound};
pub use mastodon::MastodonSource;
pub use newsapi::{NEWSAPI_BASE, NewsApiSource};
pub use reddit::{REDDIT_BASE, REDDIT_USER_AGENT, RedditSource};
pub use text::html_to_text;
pub use x::{X_BASE, XSource};

use crate::Mention;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// What to look for, as the search APIs take it.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceQuery {
    /// Search expression in the APIs' common syntax (terms, quoted phrases, OR). The
    /// monitor's full boolean query is applied to the results afterwards; this only narrows
    /// what the APIs return. Mastodon reads it as a hashtag (a leading `#` is optional).
    pub text: String,
    /// Oldest publication time of interest on a first scan (no cursor yet).
    pub since: Option<DateTime<Utc>>,
    /// Most items to ask for per request; connectors clamp it to what each API accepts.
    pub limit: u32,
}

/// Where the previous scan stopped. Serializable so a scheduler can save it between scans
/// ([`save_cursor`]); each connector uses the fields that fit its API and keeps the others.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    /// Validators from the last feed response, sent back for a conditional GET.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// Newest native id seen, for APIs that page forward by id (Mastodon, X, Reddit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since_id: Option<String>,
    /// Newest publication time seen, for APIs that filter by time (NewsAPI, Hacker News,
    /// Reddit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<DateTime<Utc>>,
}

/// One scan's result.
#[derive(Debug, Clone, PartialEq)]
pub struct Fetched {
    pub mentions: Vec<Mention>,
    /// Save this and pass it to the next [`Source::fetch`].
    pub cursor: Cursor,
}

#[async_trait]
pub trait Source: Send + Sync {
    /// The `Mention::source` value this connector produces.
    fn kind(&self) -> &'static str;

    /// Fetch what is new since `cursor` (everything recent when `None`).
    async fn fetch(
        &self,
        search: &SourceQuery,
        cursor: Option<Cursor>,
    ) -> Result<Fetched, SourceError>;
}

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The connector is configured with something unusable (bad base URL, bad hashtag).
    #[error("invalid source configuration: {0}")]
    Config(String),
    /// The egress guard refused the destination (a private or loopback address).
    #[error("destination refused by the egress guard: {0}")]
    Forbidden(String),
    #[error("request to {host} timed out")]
    Timeout { host: String },
    #[error("could not connect to {host}: {reason}")]
    Connect { host: String, reason: String },
    /// Credentials missing, wrong or without access (`401`/`403`).
    #[error("{host} refused the credentials (HTTP {status})")]
    Unauthorized { host: String, status: u16 },
    /// The source asked to wait longer than the configured cap, or kept refusing.
    #[error("{host} is rate limiting; retry after {retry_after:?}")]
    RateLimited { host: String, retry_after: Duration },
    #[error("{host} answered HTTP {status}")]
    Status { host: String, status: u16 },
    /// The response did not have the documented shape.
    #[error("malformed response from {host}: {reason}")]
    Malformed { host: String, reason: String },
}

impl SourceError {
    /// Whether the same request may succeed later without a configuration change. The HTTP
    /// layer has already retried these within its bounds; a scheduler retries at the next
    /// scan (after `retry_after` for [`SourceError::RateLimited`]).
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Timeout { .. } | Self::Connect { .. } | Self::RateLimited { .. } => true,
            Self::Status { status, .. } => *status >= 500 || *status == 408,
            Self::Config(_)
            | Self::Forbidden(_)
            | Self::Unauthorized { .. }
            | Self::Malformed { .. } => false,
        }
    }
}

/// Join a configured base URL and an API path, refusing bases that are not plain http(s)
/// origins (a path prefix is kept, so a proxy mount point works).
pub(crate) fn endpoint(base: &str, path: &str) -> Result<url::Url, SourceError> {
    let mut url = url::Url::parse(base)
        .map_err(|e| SourceError::Config(format!("base URL {base:?}: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(SourceError::Config(format!(
            "base URL {base:?} is not an http(s) URL"
        )));
    }
    let joined = format!("{}{}", url.path().trim_end_matches('/'), path);
    url.set_path(&joined);
    url.set_query(None);
    url.set_fragment(None);
    Ok(url)
}

/// The newer of two numeric ids (Mastodon and X ids are decimal strings too long for
/// ordering as text without care: compare by length first).
pub(crate) fn newer_id(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if (b.len(), &b) > (a.len(), &a) { b } else { a }),
        (a, b) => a.or(b),
    }
}

/// Parse a JSON body into an API's documented shape, naming the path that failed.
pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(
    host: &str,
    body: &[u8],
) -> Result<T, SourceError> {
    serde_json::from_slice(body).map_err(|e| SourceError::Malformed {
        host: host.to_string(),
        reason: e.to_string(),
    })
}
