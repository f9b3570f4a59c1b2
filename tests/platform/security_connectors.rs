//! Issue 13, item 1: the operator's NewsAPI key and X bearer token reach only the API the
//! operator configured (or a mirror the operator listed), never a host a tenant names in a
//! monitor source's `url`.

use crate::common::{TestApp, eventually, json};
use axum::Router;
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use plasma_brand::monitors::Monitor;
use plasma_brand::scan::{BrandSettings, parse_mirror_hosts};
use plasma_platform::Settings;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

const NEWSAPI_KEY: &str = "operator-news-key";
const X_BEARER: &str = "operator-x-token";

/// Each request's path and headers.
type Log = Arc<Mutex<Vec<(String, HeaderMap)>>>;

/// A stand-in that answers both search APIs with empty pages and records every request:
/// the operator's API, a mirror, or the attacker's server.
async fn stand_in() -> (String, Log) {
    async fn answer(State(log): State<Log>, request: Request) -> impl IntoResponse {
        let path = request.uri().path().to_owned();
        log.lock()
            .unwrap()
            .push((path.clone(), request.headers().clone()));
        axum::Json(if path == "/v2/everything" {
            json!({"status": "ok", "totalResults": 0, "articles": []})
        } else {
            json!({"meta": {"result_count": 0}})
        })
    }
    let log: Log = Arc::default();
    let app = Router::new().fallback(answer).with_state(log.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, log)
}

/// A runner whose credentialed APIs are `api`, with `mirrors` listed by the operator.
async fn runner(api: &str, mirrors: &str) -> TestApp {
    TestApp::spawn_with(Settings {
        brand: BrandSettings {
            politeness: std::time::Duration::ZERO,
            max_attempts: 1,
            newsapi_key: Some(NEWSAPI_KEY.into()),
            x_bearer: Some(X_BEARER.into()),
            newsapi_base: api.to_owned(),
            x_base: api.to_owned(),
            mirror_hosts: parse_mirror_hosts(mirrors).unwrap(),
            ..BrandSettings::default()
        },
        ..Settings::default()
    })
    .await
}

async fn create(app: &TestApp, token: &str, sources: Value) -> (u16, Value) {
    app.post_json(
        "/brand/monitors",
        token,
        &json!({"name": "Acme", "query": "acme", "sources": sources}),
    )
    .await
}

/// Scan `monitor` and wait for a run that reports every source; its outcomes by index.
async fn scan(app: &TestApp, token: &str, monitor: &str, sources: usize) -> Vec<Value> {
    let (status, started) = json(
        app.post(&format!("/brand/monitors/{monitor}/scan"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 202, "{started}");
    let scan_id = started["scan_id"].as_str().unwrap().to_owned();
    let mut outcomes: Vec<Value> = eventually("the scan's outcomes", || async {
        let (_, runs) = app
            .get_json(&format!("/brand/monitors/{monitor}/scans"), token)
            .await;
        let run = runs["items"]
            .as_array()?
            .iter()
            .find(|r| r["scan_id"] == scan_id.as_str())?
            .clone();
        let outcomes = run["outcomes"].as_array()?.clone();
        (outcomes.len() == sources).then_some(outcomes)
    })
    .await;
    outcomes.sort_by_key(|o| o["source_index"].as_u64());
    outcomes
}

fn credential_headers(log: &Log) -> Vec<String> {
    log.lock()
        .unwrap()
        .iter()
        .flat_map(|(path, headers)| {
            ["authorization", "x-api-key"]
                .into_iter()
                .filter(|name| headers.contains_key(*name))
                .map(move |name| format!("{name} on {path}"))
        })
        .collect()
}

#[tokio::test]
async fn a_tenant_cannot_point_a_credentialed_source_at_its_own_host() {
    let (api, _) = stand_in().await;
    let app = runner(&api, "").await;
    let token = app.token("acme", &["analyst"]);
    for kind in ["x", "newsapi"] {
        // The attacker's request from the issue.
        let (status, problem) = create(
            &app,
            &token,
            json!([{"kind": kind, "url": "https://attacker.example"}]),
        )
        .await;
        assert_eq!(status, 400, "{kind}: {problem}");
        assert_eq!(problem["code"], "invalid_field", "{problem}");
        assert_eq!(problem["field"], "sources[0].url", "{problem}");
        // Anywhere in the list, and on another port of the configured API's own host.
        let port: u16 = api.rsplit(':').next().unwrap().parse().unwrap();
        let elsewhere = format!("http://127.0.0.1:{}", port.wrapping_add(1).max(1024));
        let (status, problem) = create(
            &app,
            &token,
            json!([{"kind": "hackernews"}, {"kind": kind, "url": format!("{elsewhere}/")}]),
        )
        .await;
        assert_eq!(status, 400, "{kind}: {problem}");
        assert_eq!(problem["field"], "sources[1].url", "{problem}");
    }
    let (_, monitors) = app.get_json("/brand/monitors", &token).await;
    assert_eq!(monitors["items"], json!([]), "nothing was stored");
    app.stop().await;
}

#[tokio::test]
async fn a_stored_monitor_naming_another_host_never_sends_it_the_credential() {
    let (api, api_log) = stand_in().await;
    let (attacker, attacker_log) = stand_in().await;
    let app = runner(&api, "").await;
    let token = app.token("acme", &["analyst"]);
    // A monitor saved before the rule, written to the store as such a record was.
    let monitor: Monitor = serde_json::from_value(json!({
        "id": "old-monitor", "name": "Acme", "names": [], "aliases": [], "handles": [],
        "hashtags": [], "competitors": [], "languages": [], "query": "acme", "exclusions": [],
        "sources": [{"kind": "x", "url": attacker}, {"kind": "newsapi", "url": attacker}],
        "created_at": "2026-01-01T00:00:00Z", "version": 1,
    }))
    .unwrap();
    app.server
        .platform()
        .brand
        .monitors()
        .create("acme", &monitor)
        .await
        .unwrap();

    let outcomes = scan(&app, &token, "old-monitor", 2).await;
    assert_eq!(
        credential_headers(&attacker_log),
        Vec::<String>::new(),
        "the attacker's server got the operator's credential"
    );
    assert!(
        attacker_log.lock().unwrap().is_empty(),
        "no request at all goes to a host the credential may not reach"
    );
    assert!(api_log.lock().unwrap().is_empty());
    for outcome in &outcomes {
        assert_eq!(outcome["status"], "error", "{outcome}");
        let error = outcome["error"].as_str().unwrap();
        assert!(
            error.contains("invalid source configuration") && error.contains("credential"),
            "a clear configuration error: {error}"
        );
        assert_eq!(outcome["retryable"], false, "{outcome}");
    }
    app.stop().await;
}

#[tokio::test]
async fn the_configured_api_and_a_listed_mirror_get_the_credential() {
    let (api, api_log) = stand_in().await;
    let (mirror, mirror_log) = stand_in().await;
    let mirror_host = mirror.trim_start_matches("http://").to_owned();
    let app = runner(&api, &format!("proxy.internal.example, {mirror_host}")).await;
    let token = app.token("acme", &["analyst"]);
    let (status, monitor) = create(
        &app,
        &token,
        json!([
            {"kind": "newsapi"},
            {"kind": "x", "url": api},
            {"kind": "x", "url": mirror},
        ]),
    )
    .await;
    assert_eq!(status, 201, "{monitor}");
    let outcomes = scan(&app, &token, monitor["id"].as_str().unwrap(), 3).await;
    for outcome in &outcomes {
        assert_eq!(outcome["status"], "ok", "{outcome}");
    }
    let seen = |log: &Log, path: &str, header: &str| {
        log.lock()
            .unwrap()
            .iter()
            .filter(|(p, _)| p == path)
            .filter_map(|(_, h)| h.get(header)?.to_str().ok().map(str::to_owned))
            .collect::<Vec<_>>()
    };
    assert!(seen(&api_log, "/v2/everything", "x-api-key").contains(&NEWSAPI_KEY.to_owned()));
    let bearer = format!("Bearer {X_BEARER}");
    assert!(seen(&api_log, "/2/tweets/search/recent", "authorization").contains(&bearer));
    assert!(seen(&mirror_log, "/2/tweets/search/recent", "authorization").contains(&bearer));
    app.stop().await;
}
