//! The platform's API, called in process: the same router REST clients reach, with the
//! session's bearer token, so every rule the gateway enforces applies to the pages too.

use crate::Web;
use axum::body::{Body, to_bytes};
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use serde_json::Value;
use tower::ServiceExt;

/// Largest API response a page reads (reports and exports are linked, not inlined).
const MAX_BODY: usize = 16 * 1024 * 1024;

pub(crate) struct Reply {
    pub status: StatusCode,
    pub body: Value,
    pub headers: HeaderMap,
}

impl Reply {
    pub fn ok(&self) -> bool {
        self.status.is_success()
    }

    /// A problem document's explanation, for showing on the page.
    pub fn problem(&self) -> String {
        let detail = self.body["detail"].as_str().or(self.body["title"].as_str());
        match detail {
            Some(detail) => detail.to_owned(),
            None => format!("the request failed ({})", self.status),
        }
    }

    /// `RateLimit-Remaining` and `RateLimit-Limit` as the gateway set them.
    pub fn rate_limit(&self) -> Option<(String, String)> {
        let get = |name: &str| {
            self.headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        Some((get("ratelimit-remaining")?, get("ratelimit-limit")?))
    }
}

impl Web {
    pub(crate) async fn call(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> Reply {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::ACCEPT, "application/json");
        let body = match body {
            Some(json) => {
                request = request.header(header::CONTENT_TYPE, "application/json");
                Body::from(json.to_string())
            }
            None => Body::empty(),
        };
        self.send(request.body(body)).await
    }

    pub(crate) async fn get(&self, path: &str, token: &str) -> Reply {
        self.call(Method::GET, path, token, None).await
    }

    /// A request with a body passed through as it came (a multipart upload).
    pub(crate) async fn forward(
        &self,
        path: &str,
        token: &str,
        content_type: &str,
        body: Body,
    ) -> Reply {
        let request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, content_type)
            .body(body);
        self.send(request).await
    }

    async fn send(&self, request: Result<Request<Body>, axum::http::Error>) -> Reply {
        let failed = |why: String| Reply {
            status: StatusCode::BAD_GATEWAY,
            body: serde_json::json!({"detail": why}),
            headers: HeaderMap::new(),
        };
        let request = match request {
            Ok(request) => request,
            Err(e) => return failed(format!("a malformed request: {e}")),
        };
        let response = match self.0.api.clone().oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
        let (parts, body) = response.into_parts();
        let bytes = match to_bytes(body, MAX_BODY).await {
            Ok(bytes) => bytes,
            Err(e) => return failed(format!("reading the API's answer: {e}")),
        };
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        Reply {
            status: parts.status,
            body,
            headers: parts.headers,
        }
    }
}
