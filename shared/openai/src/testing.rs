//! A local stand-in for an OpenAI-compatible server: records each request and answers with
//! what the test's function returns for it.

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::sync::{Arc, Mutex};

pub(crate) struct Seen {
    pub path: String,
    pub headers: HeaderMap,
    pub body: Value,
}

pub(crate) struct Reply {
    status: u16,
    body: Value,
    retry_after: Option<&'static str>,
}

impl Reply {
    pub fn ok(body: Value) -> Self {
        Self::status(200, body)
    }

    pub fn status(status: u16, body: Value) -> Self {
        Self {
            status,
            body,
            retry_after: None,
        }
    }

    pub fn retry_after(mut self, seconds: &'static str) -> Self {
        self.retry_after = Some(seconds);
        self
    }
}

/// The answer to the `n`th request (from 0), given its JSON body.
type Answer = fn(usize, &Value) -> Reply;

type Log = Arc<Mutex<Vec<Seen>>>;

pub(crate) async fn stand_in(answer: Answer) -> (String, Log) {
    plasma_http::outbound::install_crypto_provider();
    let log = Log::default();
    let app = Router::new()
        .fallback(move |State(log): State<Log>, request: Request| async move {
            let (parts, body) = request.into_parts();
            let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
            let body: Value = serde_json::from_slice(&body).unwrap();
            let n = log.lock().unwrap().len();
            let reply = answer(n, &body);
            log.lock().unwrap().push(Seen {
                path: parts.uri.path().to_string(),
                headers: parts.headers,
                body,
            });
            let mut response: Response = (
                StatusCode::from_u16(reply.status).unwrap(),
                [("content-type", "application/json")],
                reply.body.to_string(),
            )
                .into_response();
            if let Some(seconds) = reply.retry_after {
                response
                    .headers_mut()
                    .insert("retry-after", seconds.parse().unwrap());
            }
            response
        })
        .with_state(log.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, log)
}
