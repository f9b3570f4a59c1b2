//! Every connector end to end through the scheduled scan: the brand-scan function fed its
//! sample event queues a job per source, the runner's worker fetches each from a local
//! fixture server speaking the connector's documented API (an ETag that answers 304, a 429
//! with `Retry-After`, a malformed feed and a source slower than the timeout), and a second
//! pass stores nothing twice.

use crate::common::{TestApp, eventually, json};
use aws_lambda_events::event::eventbridge::EventBridgeEvent;
use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{Duration, Utc};
use lambda_runtime::{Context, LambdaEvent};
use plasma_brand::scan::BrandSettings;
use plasma_platform::Settings;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

const ETAG: &str = "\"acme-v1\"";
const NEWSAPI_KEY: &str = "news-key-123";
const X_BEARER: &str = "x-token-456";

#[derive(Clone)]
struct Seen {
    path: String,
    query: String,
    headers: HeaderMap,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

type Log = Arc<Mutex<Vec<Seen>>>;

async fn record(State(log): State<Log>, req: Request, next: Next) -> Response {
    log.lock().unwrap().push(Seen {
        path: req.uri().path().to_string(),
        query: req.uri().query().unwrap_or_default().to_string(),
        headers: req.headers().clone(),
    });
    next.run(req).await
}

fn rss(link: &str, title: &str, published: &str) -> String {
    format!(
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>
<item><title>{title}</title><link>{link}</link><description>{title}</description><pubDate>{published}</pubDate></item>
</channel></rss>"#
    )
}

/// One server for every connector, recording each request. Returns its base URL and log.
async fn fixtures() -> (String, Log) {
    let now = Utc::now();
    let hours_ago = |h: i64| now - Duration::hours(h);
    let feed = rss(
        "https://news.example/acme-etag",
        "Acme opens a new office",
        &hours_ago(1).to_rfc2822(),
    );
    let limited_feed = rss(
        "https://news.example/acme-limited",
        "Acme ships on time",
        &hours_ago(1).to_rfc2822(),
    );
    let newsapi = json!({
        "status": "ok", "totalResults": 1,
        "articles": [{"source": {"id": null, "name": "Daily Planet"}, "author": null,
            "title": "Acme raises prices", "description": "Big news",
            "url": "https://planet.example/acme", "publishedAt": hours_ago(2).to_rfc3339(),
            "content": "Big news"}],
    });
    let hn = json!({"hits": [{
        "objectID": "4242", "title": "Show HN: built on the Acme API",
        "url": "https://blog.example/acme-tool", "author": "pg", "points": 10,
        "num_comments": 5, "created_at_i": hours_ago(3).timestamp(),
    }]});
    let reddit = json!({"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {
        "id": "abc", "name": "t3_abc", "title": "Is Acme any good?", "selftext": "Asking for a friend",
        "permalink": "/r/tech/comments/abc/x/", "url": "https://www.reddit.com/r/tech",
        "author": "someone", "created_utc": hours_ago(2).timestamp() as f64, "score": 10,
        "num_comments": 3, "subreddit_subscribers": 5000,
    }}], "after": null}});
    let mastodon = json!([{
        "id": "10000", "uri": "https://social.example/users/ann/statuses/10000",
        "url": "https://social.example/@ann/10000",
        "created_at": hours_ago(1).to_rfc3339(),
        "content": "<p>Loving Acme <a href=\"https://social.example/tags/acme\">#<span>acme</span></a></p>",
        "language": "en", "account": {"acct": "ann", "followers_count": 120},
        "favourites_count": 4, "reblogs_count": 2, "replies_count": 1,
    }]);
    let x = json!({
        "data": [{"id": "1900", "text": "Acme &amp; me", "created_at": hours_ago(1).to_rfc3339(),
            "lang": "en", "author_id": "7",
            "public_metrics": {"like_count": 5, "retweet_count": 2, "reply_count": 1, "quote_count": 1}}],
        "includes": {"users": [{"id": "7", "username": "acmefan", "public_metrics": {"followers_count": 321}}]},
        "meta": {"newest_id": "1900", "oldest_id": "1900", "result_count": 1},
    });
    let limited_calls = Arc::new(AtomicUsize::new(0));
    let log: Log = Arc::default();
    let app = Router::new()
        .route(
            "/feed.xml",
            get(move |headers: HeaderMap| async move {
                if headers
                    .get(header::IF_NONE_MATCH)
                    .and_then(|v| v.to_str().ok())
                    == Some(ETAG)
                {
                    return StatusCode::NOT_MODIFIED.into_response();
                }
                (
                    [
                        (header::CONTENT_TYPE, "application/rss+xml"),
                        (header::ETAG, ETAG),
                    ],
                    feed,
                )
                    .into_response()
            }),
        )
        .route(
            "/limited.xml",
            get(move || async move {
                if limited_calls.fetch_add(1, Ordering::SeqCst) == 0 {
                    (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "1")]).into_response()
                } else {
                    limited_feed.into_response()
                }
            }),
        )
        .route(
            "/malformed.xml",
            get(|| async { "<rss><channel><item><title>Acme cut off" }),
        )
        .route(
            "/slow.xml",
            get(|| async {
                tokio::time::sleep(std::time::Duration::from_secs(10)).await;
                "<rss/>"
            }),
        )
        .route(
            "/v2/everything",
            get(move || async move { axum::Json(newsapi) }),
        )
        .route(
            "/api/v1/search_by_date",
            get(move || async move { axum::Json(hn) }),
        )
        .route(
            "/search.json",
            get(move || async move { axum::Json(reddit) }),
        )
        .route(
            "/api/v1/timelines/tag/{tag}",
            get(move |Path(tag): Path<String>| async move {
                if tag == "acme" {
                    axum::Json(mastodon).into_response()
                } else {
                    StatusCode::NOT_FOUND.into_response()
                }
            }),
        )
        .route(
            "/2/tweets/search/recent",
            get(move || async move { axum::Json(x) }),
        )
        .layer(middleware::from_fn_with_state(Arc::clone(&log), record));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, log)
}

async fn get_json(app: &TestApp, token: &str, path: &str) -> Value {
    let (status, body) = json(app.get(path).bearer_auth(token).send().await.unwrap()).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// Fire the scheduled scan as EventBridge would, then wait for a new run to report every
/// source.
async fn scheduled_scan(app: &TestApp, token: &str, runs_path: &str, sources: usize) -> Value {
    let runs = get_json(app, token, runs_path).await;
    let seen: HashSet<String> = runs["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["scan_id"].as_str().unwrap().to_string())
        .collect();
    let sample = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../events/brand-scan.json"
    ))
    .unwrap();
    let event: EventBridgeEvent = serde_json::from_str(&sample).unwrap();
    let report = plasma_platform::schedules::handle(
        app.server.platform(),
        &plasma_platform::schedules::BRAND_SCAN,
        LambdaEvent::new(event, Context::default()),
    )
    .await
    .unwrap();
    assert_eq!(
        (report["scanned"].as_u64(), report["failed"].as_u64()),
        (Some(1), Some(0))
    );
    let run = eventually("the scheduled scan's outcomes", || async {
        let runs = get_json(app, token, runs_path).await;
        runs["items"]
            .as_array()?
            .iter()
            .find(|r| {
                !seen.contains(r["scan_id"].as_str().unwrap_or_default())
                    && r["outcomes"].as_array().map(Vec::len) == Some(sources)
            })
            .cloned()
    })
    .await;
    // The runner fires its own schedule once on start, which may catch the new monitor: let
    // every run settle so the next pass starts from a quiet server.
    eventually("every scan run to settle", || async {
        let runs = get_json(app, token, runs_path).await;
        runs["items"]
            .as_array()?
            .iter()
            .all(|r| r["outcomes"].as_array().map(Vec::len) == Some(sources))
            .then_some(())
    })
    .await;
    run
}

fn outcome(run: &Value, index: usize) -> &Value {
    run["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["source_index"] == index)
        .unwrap_or_else(|| panic!("no outcome for source {index}: {run}"))
}

#[tokio::test]
async fn a_scheduled_scan_collects_from_every_connector_and_isolates_failures() {
    let (base, log) = fixtures().await;
    let app = TestApp::spawn_with(Settings {
        brand: BrandSettings {
            politeness: std::time::Duration::ZERO,
            // One retry, so the 429's Retry-After is waited out within the request.
            max_attempts: 2,
            timeout: std::time::Duration::from_millis(500),
            newsapi_key: Some(NEWSAPI_KEY.into()),
            x_bearer: Some(X_BEARER.into()),
            // The credentialed APIs are the operator's to point elsewhere, not the monitor's.
            newsapi_base: base.clone(),
            x_base: base.clone(),
            ..BrandSettings::default()
        },
        ..Settings::default()
    })
    .await;
    let token = app.token("acme", &["analyst"]);
    let kinds = [
        "rss",
        "newsapi",
        "hackernews",
        "reddit",
        "mastodon",
        "x",
        "rss",
        "rss",
        "rss",
    ];
    let urls = [
        Some(format!("{base}/feed.xml")),
        None,
        Some(base.clone()),
        Some(base.clone()),
        Some(base.clone()),
        None,
        Some(format!("{base}/limited.xml")),
        Some(format!("{base}/malformed.xml")),
        Some(format!("{base}/slow.xml")),
    ];
    let sources: Vec<Value> = kinds
        .iter()
        .zip(&urls)
        .map(|(kind, url)| match url {
            Some(url) => json!({"kind": kind, "url": url}),
            None => json!({"kind": kind}),
        })
        .collect();
    let (status, monitor) = json(
        app.post("/brand/monitors")
            .bearer_auth(&token)
            .json(&json!({
                "name": "Acme", "names": ["Acme"], "hashtags": ["acme"], "sources": sources,
            }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 201, "{monitor}");
    let id = monitor["id"].as_str().unwrap().to_string();
    let runs_path = format!("/brand/monitors/{id}/scans");
    let mentions_path = format!("/brand/monitors/{id}/mentions");

    // First pass: every connector collects; the 429 is retried; failures stay their own.
    // (How many items each run stored depends on whether the runner's start-up schedule
    // scanned too; the stored mentions below are the measure.)
    let run = scheduled_scan(&app, &token, &runs_path, kinds.len()).await;
    for (index, kind) in kinds.iter().enumerate().take(7) {
        let o = outcome(&run, index);
        assert_eq!(o["kind"], *kind, "{run}");
        assert_eq!(o["status"], "ok", "source {index}: {run}");
    }
    let malformed = outcome(&run, 7);
    assert_eq!(malformed["status"], "error", "{run}");
    assert!(
        malformed["error"].as_str().unwrap().contains("malformed"),
        "{run}"
    );
    let slow = outcome(&run, 8);
    assert_eq!(slow["status"], "error", "{run}");
    assert!(
        slow["error"].as_str().unwrap().contains("timed out"),
        "{run}"
    );

    let page = get_json(&app, &token, &mentions_path).await;
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 7, "{page}");
    let stored: HashSet<&str> = items
        .iter()
        .map(|m| m["mention"]["source"].as_str().unwrap())
        .collect();
    for kind in ["rss", "newsapi", "hackernews", "reddit", "mastodon", "x"] {
        assert!(stored.contains(kind), "no {kind} mention: {page}");
    }

    // The documented request shapes.
    let requests = log.lock().unwrap().clone();
    let first = |path: &str| {
        requests
            .iter()
            .find(|s| s.path == path)
            .unwrap_or_else(|| panic!("no request to {path}"))
            .clone()
    };
    assert_eq!(
        first("/v2/everything").header("x-api-key"),
        Some(NEWSAPI_KEY)
    );
    assert_eq!(
        first("/2/tweets/search/recent").header("authorization"),
        Some(format!("Bearer {X_BEARER}").as_str())
    );
    let reddit = first("/search.json");
    assert!(
        reddit.header("user-agent").is_some_and(|ua| !ua.is_empty()),
        "Reddit wants a descriptive user agent"
    );
    assert!(reddit.query.contains("sort=new"), "{}", reddit.query);
    assert!(
        first("/api/v1/search_by_date").query.contains("query="),
        "Algolia takes `query`"
    );
    first("/api/v1/timelines/tag/acme");
    assert!(
        requests.iter().filter(|s| s.path == "/limited.xml").count() >= 2,
        "the 429 once, then the feed"
    );
    let feed_requests = requests.iter().filter(|s| s.path == "/feed.xml").count();

    // Second pass: the unchanged feed answers 304 to its validator; nothing is stored twice.
    let run = scheduled_scan(&app, &token, &runs_path, kinds.len()).await;
    for index in 0..7 {
        let o = outcome(&run, index);
        assert_eq!(o["status"], "ok", "source {index}: {run}");
        assert_eq!(o["new"], 0, "source {index}: {run}");
    }
    assert_eq!(
        outcome(&run, 0)["fetched"],
        0,
        "304: nothing to parse: {run}"
    );
    let conditional = log
        .lock()
        .unwrap()
        .iter()
        .filter(|s| s.path == "/feed.xml")
        .skip(feed_requests)
        .map(|s| s.header("if-none-match").map(str::to_string))
        .collect::<Vec<_>>();
    assert!(!conditional.is_empty());
    assert!(
        conditional.iter().all(|h| h.as_deref() == Some(ETAG)),
        "{conditional:?}"
    );
    let page = get_json(&app, &token, &mentions_path).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 7, "{page}");
    app.stop().await;
}
