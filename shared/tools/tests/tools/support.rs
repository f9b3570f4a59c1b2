//! Fixture servers on 127.0.0.1:0 and the pieces every test needs.

use axum::Router;
use plasma_http::outbound::Egress;
use plasma_tools::{ToolCall, ToolFailure};
use serde_json::Value;
use std::sync::{Arc, Mutex};

pub const OPEN: Egress = Egress {
    allow_private: true,
};
pub const STRICT: Egress = Egress {
    allow_private: false,
};

/// Serves `app` until the test's runtime ends; returns `http://127.0.0.1:<port>`.
pub async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

pub fn call(input: Value) -> ToolCall {
    ToolCall {
        tenant: "acme".into(),
        execution: "exec-1".into(),
        step: "step-a".into(),
        attempt: 1,
        input,
    }
}

/// Requests a fixture saw, for asserting what went over the wire (or that nothing did).
#[derive(Clone, Default)]
pub struct Seen(Arc<Mutex<Vec<Request>>>);

#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    pub uri: String,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Seen {
    pub fn push(&self, request: Request) {
        self.0.lock().unwrap().push(request);
    }

    pub fn all(&self) -> Vec<Request> {
        self.0.lock().unwrap().clone()
    }
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A fixture that records every request and answers `status` with `body` as JSON.
pub async fn recorder(status: u16, body: Value) -> (String, Seen) {
    let seen = Seen::default();
    let recorded = seen.clone();
    let app = Router::new().fallback(move |request: axum::extract::Request| {
        let seen = recorded.clone();
        let body = body.clone();
        async move {
            let (parts, incoming) = request.into_parts();
            let bytes = axum::body::to_bytes(incoming, 1 << 20).await.unwrap();
            seen.push(Request {
                method: parts.method.to_string(),
                uri: parts.uri.to_string(),
                headers: parts.headers,
                body: bytes.to_vec(),
            });
            (
                axum::http::StatusCode::from_u16(status).unwrap(),
                axum::Json(body),
            )
        }
    });
    (serve(app).await, seen)
}

pub fn assert_fails(result: Result<Value, ToolFailure>, error: &str) -> ToolFailure {
    match result {
        Err(failure) if failure.error == error => failure,
        other => panic!("expected {error}, got {other:?}"),
    }
}
