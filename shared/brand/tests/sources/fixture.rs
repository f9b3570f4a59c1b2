//! A local HTTP server for one test, the requests it saw, and connector settings for tests.

use axum::Router;
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::middleware::{self, Next};
use axum::response::Response;
use plasma_brand::sources::{HttpSettings, SourceHttp, SourceQuery};
use plasma_http::outbound::Egress;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    pub query: HashMap<String, String>,
    pub headers: HeaderMap,
    pub at: Instant,
}

impl Seen {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query.get(name).map(String::as_str)
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

pub struct Server {
    pub base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

async fn record(State(seen): State<Arc<Mutex<Vec<Seen>>>>, req: Request, next: Next) -> Response {
    let query = req
        .uri()
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    seen.lock().unwrap().push(Seen {
        path: req.uri().path().to_string(),
        query,
        headers: req.headers().clone(),
        at: Instant::now(),
    });
    next.run(req).await
}

/// Serve `router` on an ephemeral loopback port, recording every request.
pub async fn serve(router: Router) -> Server {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let app = router.layer(middleware::from_fn_with_state(Arc::clone(&seen), record));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Server { base, seen }
}

/// Fast settings: loopback allowed (the fixtures), short backoffs, no politeness delay.
pub fn settings() -> HttpSettings {
    HttpSettings {
        egress: Egress {
            allow_private: true,
        },
        timeout: Duration::from_secs(5),
        max_attempts: 3,
        backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(100),
        max_retry_after: Duration::from_secs(5),
        min_interval: Duration::ZERO,
        ..HttpSettings::default()
    }
}

pub fn http() -> SourceHttp {
    SourceHttp::new(settings())
}

pub fn query(text: &str) -> SourceQuery {
    SourceQuery {
        text: text.into(),
        since: None,
        limit: 20,
    }
}
