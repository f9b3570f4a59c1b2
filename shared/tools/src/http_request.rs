//! `http.request`: one HTTP call to an allowlisted host.

use crate::allow::HostAllowlist;
use crate::net::{read_capped, send_failure, status_failure, text, url_failure};
use crate::{Tool, ToolCall, ToolFailure, errors, input};
use async_trait::async_trait;
use plasma_http::outbound::{self, Egress};
use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpPolicy {
    /// Host patterns (see [`HostAllowlist`]). Empty allows no host at all: an agent reaches
    /// only what the operator listed.
    pub allow_hosts: Vec<String>,
    pub egress: Egress,
    /// The default timeout, and the most a call's `timeout_seconds` may ask for.
    pub timeout: Duration,
    /// Response bodies are cut at this many bytes (`truncated: true`).
    pub max_body_bytes: usize,
}

impl Default for HttpPolicy {
    fn default() -> Self {
        Self {
            allow_hosts: Vec::new(),
            egress: Egress::default(),
            timeout: Duration::from_secs(30),
            max_body_bytes: 256 * 1024,
        }
    }
}

/// `http.request`.
///
/// Input:
/// ```json
/// { "method": "POST",                  // optional, default GET
///   "url": "https://api.example.com/v1/items",
///   "headers": { "authorization": "Bearer ..." },   // optional, string values
///   "query": { "page": 2, "q": "x" },   // optional, scalars; appended to the URL
///   "body": { "any": "json" },          // optional: JSON is sent as application/json,
///                                       // a string as text/plain (unless headers say otherwise)
///   "timeout_seconds": 10 }             // optional, capped by the policy's timeout
/// ```
/// Output: `{ "status": 200, "headers": { "content-type": "..." }, "body": ..., "truncated": false }`
/// where `headers` are all response headers lowercased, repeated ones joined with `", "`, less
/// `set-cookie`; `body` is parsed JSON when the content type is JSON (and the body was not
/// truncated), otherwise text, `null` for HEAD; it is cut at the policy's `max_body_bytes`.
///
/// Non-GET/HEAD requests carry `Idempotency-Key: <execution>:<step>` (the same on every
/// retry) unless the input's headers set one. Redirects are not followed.
///
/// Errors: `Tool.InvalidInput`; `Http.Forbidden` (host not allowlisted, or a private address
/// without private egress); `Http.Status.<code>` for any non-2xx answer, with the start of
/// the body in the cause; `States.Timeout`; `Http.Network`.
pub struct HttpRequest {
    policy: HttpPolicy,
    allow: HostAllowlist,
    client: reqwest::Client,
}

impl HttpRequest {
    pub const NAME: &'static str = "http.request";

    pub fn new(policy: HttpPolicy) -> Self {
        Self {
            allow: HostAllowlist::new(&policy.allow_hosts),
            client: outbound::client(policy.egress, policy.timeout),
            policy,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Input {
    method: Option<String>,
    url: String,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    #[serde(default)]
    query: Map<String, Value>,
    #[serde(default)]
    body: Value,
    timeout_seconds: Option<f64>,
}

/// Set by the client from the request itself; letting a workflow override them would let it
/// smuggle a second request or reach another virtual host than the allowlisted one.
const RESERVED_HEADERS: [&str; 5] = [
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "upgrade",
];

#[async_trait]
impl Tool for HttpRequest {
    async fn call(&self, call: ToolCall) -> Result<Value, ToolFailure> {
        let idempotency_key = call.idempotency_key();
        let input: Input = input(Self::NAME, call.input)?;
        let method = match &input.method {
            None => Method::GET,
            Some(m) => Method::from_bytes(m.to_ascii_uppercase().as_bytes())
                .map_err(|_| ToolFailure::invalid(format!("unknown HTTP method {m:?}")))?,
        };
        let mut url = outbound::check_url(self.policy.egress, &input.url).map_err(url_failure)?;
        self.allow
            .check(&url)
            .map_err(|cause| ToolFailure::new(errors::HTTP_FORBIDDEN, cause))?;
        if !input.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (key, value) in &input.query {
                let value = match value {
                    Value::String(s) => s.clone(),
                    Value::Number(_) | Value::Bool(_) => value.to_string(),
                    _ => {
                        return Err(ToolFailure::invalid(format!(
                            "query parameter {key:?} must be a string, number or boolean"
                        )));
                    }
                };
                pairs.append_pair(key, &value);
            }
        }
        let headers = headers(&input.headers)?;
        let timeout = match input.timeout_seconds {
            None => self.policy.timeout,
            Some(s) if s.is_finite() && s > 0.0 => {
                Duration::from_secs_f64(s).min(self.policy.timeout)
            }
            Some(s) => {
                return Err(ToolFailure::invalid(format!(
                    "timeout_seconds must be positive, not {s}"
                )));
            }
        };

        let mut request = self
            .client
            .request(method.clone(), url.clone())
            .timeout(timeout);
        if !matches!(method, Method::GET | Method::HEAD) && !headers.contains_key("idempotency-key")
        {
            request = request.header("idempotency-key", idempotency_key);
        }
        request = match input.body {
            Value::Null => request,
            Value::String(text) if !headers.contains_key(CONTENT_TYPE) => request
                .header(CONTENT_TYPE, "text/plain; charset=utf-8")
                .body(text),
            Value::String(text) => request.body(text),
            json if !headers.contains_key(CONTENT_TYPE) => request.json(&json),
            json => request.body(json.to_string()),
        };
        let request = request.headers(headers);

        // The client's timeout covers connecting and the headers; this one also bounds
        // reading the body.
        let exchange = async {
            let response = request.send().await.map_err(send_failure)?;
            let host = url.host_str().unwrap_or_default();
            if !response.status().is_success() {
                return Err(status_failure(response, host).await);
            }
            let status = response.status().as_u16();
            let headers = response_headers(response.headers());
            let is_json = headers
                .get("content-type")
                .and_then(Value::as_str)
                .is_some_and(is_json);
            let (bytes, truncated) = read_capped(response, self.policy.max_body_bytes).await?;
            let body = if method == Method::HEAD {
                Value::Null
            } else if is_json && !truncated {
                serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(text(&bytes)))
            } else {
                Value::String(text(&bytes))
            };
            Ok(
                json!({ "status": status, "headers": headers, "body": body, "truncated": truncated }),
            )
        };
        tokio::time::timeout(timeout, exchange).await.map_err(|_| {
            ToolFailure::new(
                errors::TIMEOUT,
                format!("no complete answer within {timeout:?}"),
            )
        })?
    }
}

fn headers(given: &BTreeMap<String, String>) -> Result<HeaderMap, ToolFailure> {
    let mut headers = HeaderMap::new();
    for (name, value) in given {
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| ToolFailure::invalid(format!("invalid header name {name:?}")))?;
        if RESERVED_HEADERS.contains(&name.as_str()) {
            return Err(ToolFailure::invalid(format!(
                "the {name} header is set by the client and cannot be given"
            )));
        }
        let value = HeaderValue::from_str(value)
            .map_err(|_| ToolFailure::invalid(format!("invalid value for header {name}")))?;
        headers.append(name, value);
    }
    Ok(headers)
}

/// Cookies a remote sets are credentials; they would end up in the execution history.
fn response_headers(headers: &HeaderMap) -> Map<String, Value> {
    let mut out = Map::new();
    for name in headers.keys() {
        if matches!(name.as_str(), "set-cookie" | "set-cookie2") {
            continue;
        }
        let values: Vec<&str> = headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        if !values.is_empty() {
            out.insert(name.as_str().to_owned(), values.join(", ").into());
        }
    }
    out
}

fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}
