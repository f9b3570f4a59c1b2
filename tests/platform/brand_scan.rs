//! Brand monitors and scans through the runner: fixture sources on a local server (an RSS
//! feed and the Hacker News search API's documented shape), scans through the queue and the
//! worker, deduplicated re-scans, a failing source isolated to its own job, triage, analytics
//! and tenant isolation.

use crate::common::{TestApp, eventually, json};
use axum::Router;
use axum::http::StatusCode;
use axum::routing::get;
use chrono::{Duration, Utc};
use plasma_brand::scan::BrandSettings;
use plasma_platform::Settings;
use serde_json::{Value, json};

/// Serves `/feed.xml` (three items about Acme, one of them also about Globex, and one not), `/hn/api/v1/search_by_date` (one hit)
/// and `/broken/api/v1/search_by_date` (always 500). Returns its base URL.
pub(crate) async fn fixtures() -> String {
    let now = Utc::now();
    let rfc2822 = |hours: i64| (now - Duration::hours(hours)).to_rfc2822();
    let feed = format!(
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>
<item><title>Acme launches a wonderful phone</title><link>https://news.example/acme-phone</link>
<description>Reviewers love the great new Acme phone.</description><pubDate>{}</pubDate></item>
<item><title>Acme outage angers customers</title><link>https://news.example/acme-outage</link>
<description>A terrible, awful outage at Acme.</description><pubDate>{}</pubDate></item>
<item><title>Phone review</title><link>https://news.example/review</link>
<description>Acme is great, but Globex is terrible.</description><pubDate>{}</pubDate></item>
<item><title>Weather report</title><link>https://news.example/weather</link>
<description>Sunny all week.</description><pubDate>{}</pubDate></item>
</channel></rss>"#,
        rfc2822(1),
        rfc2822(2),
        rfc2822(2),
        rfc2822(3)
    );
    let hn = json!({"hits": [{
        "objectID": "4242",
        "title": "Show HN: I built a tool on the Acme API",
        "url": "https://blog.example/acme-tool",
        "author": "pg",
        "points": 10,
        "num_comments": 5,
        "created_at_i": (now - Duration::hours(4)).timestamp(),
    }]});
    let app = Router::new()
        .route(
            "/feed.xml",
            get(move || async move { ([("content-type", "application/rss+xml")], feed) }),
        )
        .route(
            "/hn/api/v1/search_by_date",
            get(move || async move { axum::Json(hn) }),
        )
        .route(
            "/broken/api/v1/search_by_date",
            get(|| async { StatusCode::INTERNAL_SERVER_ERROR }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

/// No politeness delay or retries against the fixtures: the tests wait on outcomes.
async fn app() -> TestApp {
    TestApp::spawn_with(Settings {
        brand: BrandSettings {
            politeness: std::time::Duration::ZERO,
            max_attempts: 1,
            ..BrandSettings::default()
        },
        ..Settings::default()
    })
    .await
}

async fn create(app: &TestApp, token: &str, body: Value) -> (u16, Value) {
    json(
        app.post("/brand/monitors")
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn get_json(app: &TestApp, token: &str, path: &str) -> Value {
    let (status, body) = json(app.get(path).bearer_auth(token).send().await.unwrap()).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

#[tokio::test]
async fn scans_collect_deduplicate_and_isolate_failures() {
    let app = app().await;
    let base = fixtures().await;
    let token = app.token("acme", &["analyst"]);
    let (status, rival) = create(&app, &token, json!({"name": "Globex"})).await;
    assert_eq!(status, 400, "a name alone is not a query: {rival}");
    let (_, rival) = create(&app, &token, json!({"name": "Globex", "names": ["Globex"]})).await;
    let rival_id = rival["id"].as_str().unwrap();
    let (status, monitor) = create(
        &app,
        &token,
        json!({
            "name": "Acme",
            "names": ["Acme"],
            "competitors": [rival_id],
            "sources": [
                {"kind": "rss", "url": format!("{base}/feed.xml")},
                {"kind": "hackernews", "url": format!("{base}/hn")},
                {"kind": "hackernews", "url": format!("{base}/broken")},
            ],
        }),
    )
    .await;
    assert_eq!(status, 201, "{monitor}");
    assert_eq!(monitor["query"], "\"Acme\"");
    let id = monitor["id"].as_str().unwrap().to_string();
    let mentions_path = format!("/brand/monitors/{id}/mentions");
    let runs_path = format!("/brand/monitors/{id}/scans");

    for round in 1..=2 {
        let (status, started) = json(
            app.post(&format!("/brand/monitors/{id}/scan"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 202, "{started}");
        assert_eq!(started["jobs"], 3);
        let scan_id = started["scan_id"].as_str().unwrap().to_string();
        // Every source reports, the broken one as an error, the others as ok.
        let run = eventually("the scan's outcomes", || async {
            let runs = get_json(&app, &token, &runs_path).await;
            let run = runs["items"]
                .as_array()?
                .iter()
                .find(|r| r["scan_id"] == scan_id.as_str())?
                .clone();
            (run["outcomes"].as_array()?.len() == 3).then_some(run)
        })
        .await;
        let outcomes = run["outcomes"].as_array().unwrap();
        assert_eq!(outcomes[0]["status"], "ok", "{run}");
        assert_eq!(outcomes[0]["fetched"], 4, "{run}");
        assert_eq!(outcomes[1]["status"], "ok", "{run}");
        assert_eq!(outcomes[2]["status"], "error", "{run}");
        assert!(
            outcomes[2]["error"].as_str().unwrap().contains("500"),
            "{run}"
        );
        let new: u64 = outcomes[..2]
            .iter()
            .map(|o| o["new"].as_u64().unwrap())
            .sum();
        assert_eq!(new, if round == 1 { 4 } else { 0 }, "round {round}: {run}");
    }

    // The weather item did not match; the others arrived once each, scored.
    let page = get_json(&app, &token, &mentions_path).await;
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 4, "{page}");
    let label_of = |needle: &str| {
        items
            .iter()
            .find(|m| m["mention"]["text"].as_str().unwrap().contains(needle))
            .unwrap_or_else(|| panic!("no mention with {needle}: {page}"))["sentiment"]["label"]
            .clone()
    };
    assert_eq!(label_of("wonderful"), "positive");
    assert_eq!(label_of("outage"), "negative");
    // A text naming both brands is scored towards each.
    let both = items
        .iter()
        .find(|m| m["mention"]["text"].as_str().unwrap().contains("Globex"))
        .unwrap();
    assert_eq!(both["targeted"]["Acme"]["label"], "positive", "{both}");
    assert_eq!(both["targeted"]["Globex"]["label"], "negative", "{both}");
    let outage = items
        .iter()
        .find(|m| m["mention"]["text"].as_str().unwrap().contains("outage"))
        .unwrap();
    assert_eq!(outage["targeted"], json!({}), "one brand named: {outage}");

    // Filters narrow, bad filters name themselves.
    let rss = get_json(&app, &token, &format!("{mentions_path}?source=rss")).await;
    assert_eq!(rss["items"].as_array().unwrap().len(), 3, "{rss}");
    let (status, problem) = json(
        app.get(&format!("{mentions_path}?sentiment=grumpy"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(problem["field"], "sentiment");

    // Triage by the URL-safe id.
    let mention_id = items[0]["id"].as_str().unwrap();
    let (status, tagged) = json(
        app.post(&format!("{mentions_path}/{mention_id}/tags"))
            .bearer_auth(&token)
            .json(&json!({"tag": "Press"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{tagged}");
    assert_eq!(tagged["tags"], json!(["press"]));
    let (status, reviewed) = json(
        app.post(&format!("{mentions_path}/{mention_id}/review"))
            .bearer_auth(&token)
            .json(&json!({}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{reviewed}");
    assert_eq!(reviewed["reviewed"], true);
    let press = get_json(&app, &token, &format!("{mentions_path}?tag=press")).await;
    assert_eq!(press["items"].as_array().unwrap().len(), 1, "{press}");

    // Analytics agree with the stored mentions.
    let analytics = get_json(&app, &token, &format!("/brand/monitors/{id}/analytics")).await;
    let a = &analytics["analytics"];
    assert_eq!(a["total"], 4, "{analytics}");
    let count = |label: &str| {
        items
            .iter()
            .filter(|m| m["sentiment"]["label"] == label)
            .count()
    };
    assert_eq!(a["sentiment"]["positive"], count("positive"));
    assert_eq!(a["sentiment"]["negative"], count("negative"));
    assert_eq!(
        a["series"].as_array().unwrap().len(),
        8,
        "7 days touch 8 UTC days"
    );
    let shares = &analytics["share_of_voice"]["shares"];
    assert_eq!(shares[0]["count"], 4, "{analytics}");
    assert_eq!(
        shares[1]["monitor_id"], rival_id,
        "the competitor by default"
    );
    assert_eq!(shares[1]["count"], 0);
    assert_eq!(shares[0]["percent"], 100.0);
    let (status, problem) = json(
        app.get(&format!("/brand/monitors/{id}/analytics?bucket=week"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(problem["field"], "bucket");
    app.stop().await;
}

#[tokio::test]
async fn private_source_urls_need_the_egress_to_allow_them() {
    let app = TestApp::spawn_with(Settings {
        allow_private_egress: Some(false),
        ..Settings::default()
    })
    .await;
    let token = app.token("acme", &["editor"]);
    let body = json!({
        "name": "Acme",
        "names": ["Acme"],
        "sources": [
            {"kind": "hackernews"},
            {"kind": "rss", "url": "http://127.0.0.1:8080/feed.xml"},
        ],
    });
    let (status, problem) = create(&app, &token, body).await;
    assert_eq!(status, 400, "{problem}");
    assert_eq!(problem["field"], "sources[1].url");
    app.stop().await;
}

#[tokio::test]
async fn monitors_are_validated_and_tenant_scoped() {
    let app = app().await;
    let a = app.token("tenant-a", &["editor"]);
    let b = app.token("tenant-b", &["editor"]);
    let (status, problem) = create(
        &app,
        &a,
        json!({"name": "Acme", "query": "acme", "exclusions": ["ok", "jobs AND"]}),
    )
    .await;
    assert_eq!(status, 400, "{problem}");
    assert_eq!(problem["code"], "invalid_query");
    assert_eq!(problem["field"], "exclusions[1]");
    assert!(problem["position"].is_u64(), "{problem}");
    let (status, problem) = create(
        &app,
        &a,
        json!({"name": "Acme", "query": "acme", "sources": [{"kind": "myspace"}]}),
    )
    .await;
    assert_eq!(status, 400, "{problem}");
    let (status, problem) = create(&app, &a, json!({"name": "Acme"})).await;
    assert_eq!(status, 400, "nothing to build a query from: {problem}");
    assert_eq!(problem["field"], "query");

    let (status, monitor) = create(&app, &a, json!({"name": "Acme", "hashtags": ["#acme"]})).await;
    assert_eq!(status, 201, "{monitor}");
    let id = monitor["id"].as_str().unwrap();
    let mine = get_json(&app, &a, "/brand/monitors").await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    let theirs = get_json(&app, &b, "/brand/monitors").await;
    assert_eq!(theirs["items"], json!([]));
    for path in [
        "",
        "/mentions",
        "/analytics",
        "/scans",
        "/exclusion-suggestions",
    ] {
        let (status, _) = json(
            app.get(&format!("/brand/monitors/{id}{path}"))
                .bearer_auth(&b)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 404, "B reads A's {path}");
    }
    let (status, _) = json(
        app.delete(&format!("/brand/monitors/{id}"))
            .bearer_auth(&b)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = json(
        app.delete(&format!("/brand/monitors/{id}"))
            .bearer_auth(&a)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 204);
    app.stop().await;
}
