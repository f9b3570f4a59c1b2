//! Sending a request and classifying what came back, shared by every connector. The one
//! question that matters for idempotency is whether a failed create may have reached the
//! platform: if it cannot have (refused connection, 4xx), retrying is safe; if it may have
//! (timeout after sending, a gateway error), the caller has to look before posting again.

use crate::publisher::{PublishError, codes};
use chrono::{DateTime, Utc};
use plasma_http::outbound::{self, Egress, OutboundError};
use reqwest::header::HeaderMap;
use reqwest::{RequestBuilder, StatusCode};
use serde_json::Value;
use std::time::Duration;

/// Platform answers are small; a receiver streaming more is cut off rather than buffered.
const MAX_BODY: usize = 1 << 20;

/// Whether a request creates something (not safe to repeat blindly) or only reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Create,
    Read,
}

/// The client every connector sends through, with the egress policy its URLs are checked by.
#[derive(Clone)]
pub(crate) struct Http {
    pub client: reqwest::Client,
    egress: Egress,
}

/// A complete answer (status, headers, body) from the platform.
pub(crate) struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Http {
    pub fn new(egress: Egress, timeout: Duration) -> Self {
        Self {
            client: outbound::client(egress, timeout),
            egress,
        }
    }

    /// `base` (an API host from settings, or a site from the credentials) joined with `path`.
    /// Checked against the egress policy here because IP-literal hosts skip the resolver.
    pub fn url(&self, channel: &str, base: &str, path: &str) -> Result<url::Url, PublishError> {
        self.exact_url(channel, &format!("{}{path}", base.trim_end_matches('/')))
    }

    /// A URL used as given (the webhook receiver's).
    pub fn exact_url(&self, channel: &str, raw: &str) -> Result<url::Url, PublishError> {
        outbound::check_url(self.egress, raw)
            .map_err(|e| PublishError::not_configured(format!("{channel} URL: {e}")))
    }

    /// Sends and reads the whole answer; transport failures are classified, statuses are not.
    pub async fn send(
        &self,
        channel: &str,
        request: RequestBuilder,
        op: Op,
    ) -> Result<Reply, PublishError> {
        let mut response = request
            .send()
            .await
            .map_err(|e| transport(channel, e, op))?;
        let status = response.status();
        let headers = response.headers().clone();
        let mut body = Vec::new();
        while body.len() < MAX_BODY {
            match response.chunk().await {
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                Ok(None) => break,
                Err(e) => return Err(transport(channel, e, op)),
            }
        }
        Ok(Reply {
            status,
            headers,
            body,
        })
    }
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The platform's own words for an error: WordPress and LinkedIn `message`, X `detail`,
    /// Mastodon `error`, Medium `errors[0].message`.
    pub fn message(&self) -> String {
        let json = self.json();
        let text = ["message", "detail", "error_description", "error", "title"]
            .iter()
            .find_map(|k| json.get(k).and_then(Value::as_str))
            .or_else(|| json.pointer("/errors/0/message").and_then(Value::as_str))
            .map(str::to_string)
            .unwrap_or_else(|| String::from_utf8_lossy(&self.body).into_owned());
        truncate(text.trim(), 300)
    }

    /// The default reading of a non-2xx answer.
    pub fn failure(&self, channel: &str, op: Op) -> PublishError {
        let status = self.status;
        let message = self.message();
        let reason = if message.is_empty() {
            format!("{channel} answered {status}")
        } else {
            format!("{channel} answered {status}: {message}")
        };
        tracing::warn!(channel, status = status.as_u16(), ?op, %message, "publishing request failed");
        match status.as_u16() {
            401 if self.says_expired() => PublishError::permanent(codes::AUTH_EXPIRED, reason),
            401 => PublishError::permanent(codes::AUTH_INVALID, reason),
            403 => PublishError::permanent(codes::FORBIDDEN, reason),
            404 if op == Op::Read => PublishError::permanent(codes::NOT_FOUND, reason),
            // A create endpoint that does not exist is a wrong site URL or account id.
            404 => PublishError::not_configured(reason),
            // The server gave up waiting for the request before handling it.
            408 => PublishError::Retryable {
                reason,
                retry_after: None,
            },
            429 => PublishError::Retryable {
                reason,
                retry_after: retry_after(&self.headers, Utc::now()),
            },
            // A gateway may have forwarded the create and lost the answer on its way back.
            502 | 504 if op == Op::Create => PublishError::ambiguous(reason),
            500..=599 => PublishError::Retryable {
                reason,
                retry_after: retry_after(&self.headers, Utc::now()),
            },
            // Redirects are not followed (the egress guard checks each host); the configured
            // URL is not the API's.
            300..=399 => PublishError::not_configured(reason),
            _ => PublishError::permanent(codes::REJECTED, reason),
        }
    }

    /// Expiry is told in the body (LinkedIn, Mastodon, Medium) or in the OAuth
    /// `WWW-Authenticate` challenge (X).
    fn says_expired(&self) -> bool {
        let challenge = self.header("www-authenticate").unwrap_or_default();
        let body = String::from_utf8_lossy(&self.body);
        [challenge, &body]
            .iter()
            .any(|t| t.to_ascii_lowercase().contains("expired"))
    }
}

/// When a rate-limited request may be retried: `Retry-After` (seconds or an HTTP date), else
/// X's `x-rate-limit-reset` (epoch seconds).
pub(crate) fn retry_after(headers: &HeaderMap, now: DateTime<Utc>) -> Option<Duration> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    let until = |at: DateTime<Utc>| (at - now).to_std().unwrap_or(Duration::ZERO);
    if let Some(value) = header("retry-after") {
        if let Ok(seconds) = value.parse::<u64>() {
            return Some(Duration::from_secs(seconds));
        }
        if let Ok(at) = DateTime::parse_from_rfc2822(value) {
            return Some(until(at.with_timezone(&Utc)));
        }
    }
    header("x-rate-limit-reset")
        .and_then(|v| v.parse::<i64>().ok())
        .and_then(|epoch| DateTime::from_timestamp(epoch, 0))
        .map(until)
}

/// A request that got no complete answer.
fn transport(channel: &str, error: reqwest::Error, op: Op) -> PublishError {
    let error = error.without_url(); // webhook URLs can carry secrets in their path
    let reason = format!("{channel}: {}", describe(&error));
    tracing::warn!(channel, ?op, %reason, "publishing request got no answer");
    if blocked_by_egress(&error) || error.is_builder() {
        return PublishError::not_configured(reason);
    }
    // Nothing was sent when the connection never opened; a read is always safe to repeat.
    if error.is_connect() || op == Op::Read {
        return PublishError::Retryable {
            reason,
            retry_after: None,
        };
    }
    PublishError::ambiguous(reason)
}

fn blocked_by_egress(error: &reqwest::Error) -> bool {
    let mut source = std::error::Error::source(error);
    while let Some(e) = source {
        if e.downcast_ref::<OutboundError>().is_some() {
            return true;
        }
        source = e.source();
    }
    false
}

/// The error and its causes on one line ("timed out", "connection refused" live in sources).
fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(e) = source {
        text.push_str(": ");
        text.push_str(&e.to_string());
        source = e.source();
    }
    text
}

pub(crate) fn truncate(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

/// A JSON id that platforms send as a string (X, Mastodon, Medium) or a number (WordPress).
pub(crate) fn id_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_dates_and_x_reset() {
        let now = DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let mut h = HeaderMap::new();
        assert_eq!(retry_after(&h, now), None);
        h.insert("x-rate-limit-reset", (now.timestamp() + 90).into());
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(90)));
        h.insert(
            "retry-after",
            "Wed, 01 Jan 2025 00:02:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(120)));
        h.insert("retry-after", "7".parse().unwrap());
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(7)));
    }

    #[test]
    fn truncation_respects_characters() {
        assert_eq!(truncate("héllo", 2), "hé…");
        assert_eq!(truncate("hi", 2), "hi");
    }
}
