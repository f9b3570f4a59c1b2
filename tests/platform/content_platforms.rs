//! Stand-ins for the publishing platforms on one loopback server: Mastodon, WordPress,
//! LinkedIn and X, each checking its documented request shape and authentication, and
//! recording every post it created. A script per platform makes it fail the way real
//! platforms do: a 5xx, a post accepted but answered too late, an expired token.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const TOKEN: &str = "good-token";
pub const WP_USER: &str = "editor";
pub const WP_PASSWORD: &str = "abcd efgh ijkl mnop";
pub const LINKEDIN_AUTHOR: &str = "urn:li:person:8675309";

/// What the next request to a platform's create endpoint gets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Script {
    /// 503 Service Unavailable, nothing created.
    Unavailable,
    /// Created, but answered after the client has given up.
    AcceptThenHang,
    /// 401 for an expired token.
    Expired,
}

#[derive(Debug, Clone)]
pub struct Created {
    pub platform: &'static str,
    pub id: String,
    pub text: String,
    /// The idempotency key or slug the client sent.
    pub key: Option<String>,
}

#[derive(Default)]
struct Inner {
    scripts: HashMap<&'static str, Vec<Script>>,
    created: Vec<Created>,
    /// Create requests per platform, including refused ones.
    attempts: HashMap<&'static str, usize>,
    problems: Vec<String>,
}

#[derive(Clone, Default)]
pub struct Platforms(Arc<Mutex<Inner>>);

impl Platforms {
    pub async fn start() -> (String, Platforms) {
        let platforms = Platforms::default();
        let app = Router::new()
            .route("/api/v1/statuses", post(mastodon_create))
            .route("/api/v1/statuses/{id}", get(mastodon_status))
            .route(
                "/wp-json/wp/v2/posts",
                post(wordpress_create).get(wordpress_find),
            )
            .route("/rest/posts", post(linkedin_create))
            .route("/2/tweets", post(x_create).get(x_metrics))
            .with_state(platforms.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        (url, platforms)
    }

    pub fn script(&self, platform: &'static str, steps: &[Script]) {
        self.0
            .lock()
            .unwrap()
            .scripts
            .insert(platform, steps.to_vec());
    }

    pub fn created(&self, platform: &str) -> Vec<Created> {
        let inner = self.0.lock().unwrap();
        inner
            .created
            .iter()
            .filter(|c| c.platform == platform)
            .cloned()
            .collect()
    }

    pub fn attempts(&self, platform: &'static str) -> usize {
        self.0
            .lock()
            .unwrap()
            .attempts
            .get(platform)
            .copied()
            .unwrap_or(0)
    }

    /// Requests that broke the platform's documented contract.
    pub fn problems(&self) -> Vec<String> {
        self.0.lock().unwrap().problems.clone()
    }

    fn problem(&self, what: String) -> Response {
        self.0.lock().unwrap().problems.push(what.clone());
        (StatusCode::BAD_REQUEST, what).into_response()
    }

    /// Counts the attempt and takes the platform's next scripted step.
    fn next(&self, platform: &'static str) -> Option<Script> {
        let mut inner = self.0.lock().unwrap();
        *inner.attempts.entry(platform).or_default() += 1;
        let steps = inner.scripts.get_mut(platform)?;
        (!steps.is_empty()).then(|| steps.remove(0))
    }

    fn create(&self, platform: &'static str, text: &str, key: Option<String>) -> String {
        let mut inner = self.0.lock().unwrap();
        let id = format!("{}", 1_000_000 + inner.created.len());
        inner.created.push(Created {
            platform,
            id: id.clone(),
            text: text.to_string(),
            key,
        });
        id
    }

    fn find_key(&self, platform: &str, key: &str) -> Option<Created> {
        let inner = self.0.lock().unwrap();
        inner
            .created
            .iter()
            .find(|c| c.platform == platform && c.key.as_deref() == Some(key))
            .cloned()
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    header(headers, "authorization").and_then(|v| v.strip_prefix("Bearer "))
}

/// Past the connectors' request timeout in these tests.
async fn hang() {
    tokio::time::sleep(Duration::from_secs(3)).await;
}

async fn mastodon_create(State(p): State<Platforms>, headers: HeaderMap, body: Bytes) -> Response {
    if bearer(&headers) != Some(TOKEN) {
        return (
            StatusCode::UNAUTHORIZED,
            axum::Json(json!({"error": "The access token is invalid"})),
        )
            .into_response();
    }
    let Some(key) = header(&headers, "idempotency-key").map(str::to_owned) else {
        return p.problem("mastodon: no Idempotency-Key".into());
    };
    let status = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v["status"].as_str().map(str::to_owned))
        .or_else(|| {
            url::form_urlencoded::parse(&body)
                .find(|(k, _)| k == "status")
                .map(|(_, v)| v.into_owned())
        });
    let Some(status) = status.filter(|s| !s.is_empty()) else {
        return p.problem("mastodon: no status text".into());
    };
    let script = p.next("mastodon");
    if script == Some(Script::Unavailable) {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    // Mastodon answers a repeated Idempotency-Key with the status it already made.
    let id = match p.find_key("mastodon", &key) {
        Some(existing) => existing.id,
        None => p.create("mastodon", &status, Some(key)),
    };
    if script == Some(Script::AcceptThenHang) {
        hang().await;
    }
    axum::Json(json!({"id": id, "url": format!("https://mastodon.example/@brand/{id}"), "content": status})).into_response()
}

async fn mastodon_status(
    State(p): State<Platforms>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if bearer(&headers) != Some(TOKEN) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    if !p.created("mastodon").iter().any(|c| c.id == id) {
        return StatusCode::NOT_FOUND.into_response();
    }
    axum::Json(json!({"id": id, "favourites_count": 12, "replies_count": 3, "reblogs_count": 5}))
        .into_response()
}

fn wordpress_auth(headers: &HeaderMap) -> bool {
    use base64::Engine;
    let expected =
        base64::engine::general_purpose::STANDARD.encode(format!("{WP_USER}:{WP_PASSWORD}"));
    header(headers, "authorization") == Some(format!("Basic {expected}").as_str())
}

async fn wordpress_create(State(p): State<Platforms>, headers: HeaderMap, body: Bytes) -> Response {
    if !wordpress_auth(&headers) {
        return (StatusCode::UNAUTHORIZED, axum::Json(json!({"code": "incorrect_password", "message": "The provided password is an invalid application password.", "data": {"status": 401}}))).into_response();
    }
    let Ok(post) = serde_json::from_slice::<Value>(&body) else {
        return p.problem("wordpress: body is not JSON".into());
    };
    let (Some(content), Some(slug)) = (post["content"].as_str(), post["slug"].as_str()) else {
        return p.problem(format!("wordpress: content and slug are required: {post}"));
    };
    if post["status"] != "publish" {
        return p.problem(format!("wordpress: status must be publish: {post}"));
    }
    let script = p.next("wordpress");
    if script == Some(Script::Unavailable) {
        return (StatusCode::SERVICE_UNAVAILABLE, "upstream busy").into_response();
    }
    // WordPress makes a second post with a suffixed slug when the slug is taken.
    let id = p.create("wordpress", content, Some(slug.to_string()));
    if script == Some(Script::AcceptThenHang) {
        hang().await;
    }
    (StatusCode::CREATED, axum::Json(json!({"id": id.parse::<u64>().unwrap(), "link": format!("https://blog.example/{slug}/"), "slug": slug, "status": "publish"}))).into_response()
}

async fn wordpress_find(
    State(p): State<Platforms>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if !wordpress_auth(&headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let Some(slug) = q.get("slug") else {
        return p.problem("wordpress: lookup without slug".into());
    };
    let found: Vec<Value> = p
        .created("wordpress")
        .into_iter()
        .filter(|c| c.key.as_deref() == Some(slug.as_str()))
        .map(|c| json!({"id": c.id.parse::<u64>().unwrap(), "link": format!("https://blog.example/{slug}/"), "slug": slug, "status": "publish"}))
        .collect();
    axum::Json(Value::Array(found)).into_response()
}

async fn linkedin_create(State(p): State<Platforms>, headers: HeaderMap, body: Bytes) -> Response {
    if header(&headers, "x-restli-protocol-version") != Some("2.0.0")
        || header(&headers, "linkedin-version").is_none_or(|v| v.len() != 6)
    {
        return p.problem("linkedin: missing X-Restli-Protocol-Version or LinkedIn-Version".into());
    }
    let Ok(post) = serde_json::from_slice::<Value>(&body) else {
        return p.problem("linkedin: body is not JSON".into());
    };
    if post["author"] != LINKEDIN_AUTHOR
        || post["lifecycleState"] != "PUBLISHED"
        || post["distribution"]["feedDistribution"] != "MAIN_FEED"
        || !post["commentary"].is_string()
    {
        return p.problem(format!("linkedin: not a Posts API body: {post}"));
    }
    if p.next("linkedin") == Some(Script::Expired) || bearer(&headers) != Some(TOKEN) {
        return (StatusCode::UNAUTHORIZED, axum::Json(json!({"status": 401, "serviceErrorCode": 65601, "code": "REVOKED_ACCESS_TOKEN", "message": "The token used in the request has expired"}))).into_response();
    }
    let id = p.create("linkedin", post["commentary"].as_str().unwrap(), None);
    (
        StatusCode::CREATED,
        [("x-restli-id", format!("urn:li:share:{id}"))],
    )
        .into_response()
}

async fn x_create(State(p): State<Platforms>, headers: HeaderMap, body: Bytes) -> Response {
    if bearer(&headers) != Some(TOKEN) {
        return (
            StatusCode::UNAUTHORIZED,
            axum::Json(json!({"title": "Unauthorized", "status": 401, "detail": "Unauthorized"})),
        )
            .into_response();
    }
    let Ok(post) = serde_json::from_slice::<Value>(&body) else {
        return p.problem("x: body is not JSON".into());
    };
    let Some(text) = post["text"].as_str() else {
        return p.problem(format!("x: no text: {post}"));
    };
    let _ = p.next("x");
    let id = p.create(
        "x",
        text,
        post["reply"]["in_reply_to_tweet_id"]
            .as_str()
            .map(str::to_owned),
    );
    (
        StatusCode::CREATED,
        axum::Json(json!({"data": {"id": id, "text": text}})),
    )
        .into_response()
}

async fn x_metrics(
    State(_): State<Platforms>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if bearer(&headers) != Some(TOKEN) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let ids = q.get("ids").cloned().unwrap_or_default();
    let data: Vec<Value> = ids
        .split(',')
        .map(|id| json!({"id": id, "text": "", "public_metrics": {"impression_count": 900, "like_count": 40, "reply_count": 4, "retweet_count": 6, "quote_count": 2}}))
        .collect();
    axum::Json(json!({"data": data})).into_response()
}
