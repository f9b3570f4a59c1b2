//! A local stand-in for a platform: an HTTP server on 127.0.0.1 that records every request
//! and answers with what the test's handler says. Handlers decide only the answer (and keep
//! the platform's state); the tests assert on the recorded requests afterwards.

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::Response;
use plasma_publishing::{ConnectorSettings, Connectors, Egress, Publisher};
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A request as the fixture received it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: Method,
    /// As sent, percent-encoding included.
    pub path: String,
    pub raw_query: String,
    /// Decoded.
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Seen {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map(|v| v.to_str().expect("a text header"))
            .unwrap_or_default()
    }

    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn is(&self, method: Method, path: &str) -> bool {
        self.method == method && self.path == path
    }
}

/// What the fixture answers, optionally after a delay (a platform that accepted the request
/// and is slow to say so).
pub struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
    delay: Duration,
}

impl Answer {
    pub fn json(status: u16, body: Value) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string(),
            delay: Duration::ZERO,
        }
    }

    pub fn empty(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: String::new(),
            delay: Duration::ZERO,
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

type Handler = dyn Fn(&Seen) -> Answer + Send + Sync;

pub struct Fixture {
    pub url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Fixture {
    pub async fn start(handler: impl Fn(&Seen) -> Answer + Send + Sync + 'static) -> Self {
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let log = seen.clone();
        let app = Router::new().fallback(move |request: Request| {
            let (log, handler) = (log.clone(), handler.clone());
            async move { serve(request, &log, handler.as_ref()).await }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { url, seen }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// The requests that could have created something.
    pub fn posts(&self) -> Vec<Seen> {
        self.seen()
            .into_iter()
            .filter(|s| s.method == Method::POST)
            .collect()
    }

    /// The connector for `channel` with every API host pointed at this fixture.
    pub fn connector(&self, channel: &str) -> Arc<dyn Publisher> {
        self.connector_with_timeout(channel, Duration::from_secs(10))
    }

    pub fn connector_with_timeout(&self, channel: &str, timeout: Duration) -> Arc<dyn Publisher> {
        connectors(&self.url, timeout).get(channel).unwrap()
    }
}

pub fn connectors(api: &str, timeout: Duration) -> Connectors {
    Connectors::new(ConnectorSettings {
        timeout,
        egress: Egress {
            allow_private: true,
        },
        linkedin_api: api.into(),
        x_api: api.into(),
        medium_api: api.into(),
        ..ConnectorSettings::default()
    })
}

/// The client timeout in "accepted, then too slow to answer" tests, and the fixture's delay.
pub const SHORT: Duration = Duration::from_millis(700);
pub const SLOW: Duration = Duration::from_secs(5);

async fn serve(request: Request, log: &Mutex<Vec<Seen>>, handler: &Handler) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    let raw_query = parts.uri.query().unwrap_or_default().to_string();
    let seen = Seen {
        method: parts.method,
        path: parts.uri.path().to_string(),
        query: url::form_urlencoded::parse(raw_query.as_bytes())
            .into_owned()
            .collect(),
        raw_query,
        headers: parts.headers,
        body,
    };
    // Recorded (the platform "has" the request) before any delay in answering.
    log.lock().unwrap().push(seen.clone());
    let answer = handler(&seen);
    tokio::time::sleep(answer.delay).await;
    let mut response = Response::builder().status(StatusCode::from_u16(answer.status).unwrap());
    for (name, value) in &answer.headers {
        response = response.header(name, value);
    }
    response.body(Body::from(answer.body)).unwrap()
}
