//! One OpenAI-compatible server: its base URL, optional API key, and a JSON POST that retries
//! what may pass on a second try (429, 5xx, connection failures) and maps the rest onto
//! [`PortError`] with the provider's own error message.

use plasma_core::{PortError, PortResult};
use plasma_http::outbound::{self, Egress};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::time::Duration;

/// Attempts per request, the first included.
const ATTEMPTS: u32 = 3;
const FIRST_BACKOFF: Duration = Duration::from_millis(200);
/// A provider asking for a longer pause than this is better answered by failing now and
/// letting the caller's own retry (the queue's redelivery) come back later.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub(crate) struct Api {
    http: reqwest::Client,
    /// The server root with `/v1`, no trailing slash.
    base: String,
    api_key: Option<String>,
}

impl Api {
    /// `base_url` is the server root (`https://api.openai.com`, `http://localhost:11434`);
    /// a trailing `/v1` is accepted too.
    pub(crate) fn new(
        base_url: &str,
        api_key: Option<String>,
        timeout: Duration,
    ) -> PortResult<Self> {
        // The endpoint is the operator's configuration, not user input, and self-hosted
        // models usually live on private addresses (localhost, a VPC), so they are allowed.
        let egress = Egress {
            allow_private: true,
        };
        let root = base_url.trim_end_matches('/');
        let root = root.strip_suffix("/v1").unwrap_or(root);
        outbound::check_url(egress, root)
            .map_err(|e| PortError::NotConfigured(format!("OpenAI-compatible endpoint: {e}")))?;
        Ok(Self {
            http: outbound::client(egress, timeout),
            base: format!("{root}/v1"),
            api_key: api_key.filter(|k| !k.is_empty()),
        })
    }

    pub(crate) fn with_timeout(self, timeout: Duration) -> Self {
        let egress = Egress {
            allow_private: true,
        };
        Self {
            http: outbound::client(egress, timeout),
            ..self
        }
    }

    /// POSTs `body` as JSON to `{base}/v1/{path}` and decodes the reply.
    pub(crate) async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &Value,
    ) -> PortResult<T> {
        let url = format!("{}/{path}", self.base);
        let mut backoff = FIRST_BACKOFF;
        let mut attempt = 1;
        loop {
            let mut request = self.http.post(&url).json(body);
            if let Some(key) = &self.api_key {
                request = request.bearer_auth(key);
            }
            let retry_after = match request.send().await {
                Ok(response) if response.status().is_success() => {
                    return response.json().await.map_err(|e| {
                        PortError::Backend(format!("POST {url}: unexpected reply: {e}"))
                    });
                }
                Ok(response) => {
                    let status = response.status();
                    let wait = retry_after(&response);
                    let message = provider_message(response.text().await.unwrap_or_default());
                    let error = status_error(&url, status, &message);
                    if !retriable(status) || attempt == ATTEMPTS || wait > MAX_RETRY_AFTER {
                        return Err(error);
                    }
                    tracing::warn!(%url, %status, attempt, "retrying: {message}");
                    wait
                }
                Err(e) if e.is_connect() && attempt < ATTEMPTS => {
                    tracing::warn!(%url, attempt, "retrying: {e}");
                    Duration::ZERO
                }
                Err(e) => return Err(PortError::Backend(format!("POST {url}: {e}"))),
            };
            tokio::time::sleep(retry_after.max(backoff)).await;
            backoff *= 4;
            attempt += 1;
        }
    }
}

fn retriable(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
}

/// `Retry-After` in seconds (the form model servers send); zero when absent.
fn retry_after(response: &reqwest::Response) -> Duration {
    response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64)
        .unwrap_or_default()
}

/// The error message from a provider's error body: OpenAI's `{"error": {"message"}}`, vLLM's
/// `{"message"}`, Ollama's `{"error": "..."}`, or the raw text.
fn provider_message(body: String) -> String {
    let parsed: Option<Value> = serde_json::from_str(&body).ok();
    let message = parsed.as_ref().and_then(|v| {
        v.pointer("/error/message")
            .or_else(|| v.get("message"))
            .or_else(|| v.get("error"))
            .and_then(Value::as_str)
    });
    match message {
        Some(message) => message.to_string(),
        None => body.chars().take(500).collect(),
    }
}

/// Requests the provider refused as malformed are `Invalid` (as Bedrock's validation errors
/// are); everything else is `Backend`.
fn status_error(url: &str, status: StatusCode, message: &str) -> PortError {
    let message = format!("POST {url}: {status}: {message}");
    match status {
        StatusCode::BAD_REQUEST
        | StatusCode::PAYLOAD_TOO_LARGE
        | StatusCode::UNPROCESSABLE_ENTITY => PortError::Invalid(message),
        _ => PortError::Backend(message),
    }
}
