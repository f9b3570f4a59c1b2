//! Brand alerts and reports through the runner: a keyword rule fires once per mention on a
//! scan, delivers to a local Slack receiver, is acknowledged; a report is generated, listed
//! and downloaded in both renderings; another tenant reaches none of it.

use crate::common::{TestApp, eventually, json};
use axum::Router;
use axum::routing::{get, post};
use chrono::{Duration, Utc};
use plasma_brand::scan::BrandSettings;
use plasma_platform::Settings;
use serde_json::{Value, json};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// What the fixture server shares with the test.
struct Fixtures {
    base: String,
    /// The Slack messages received.
    slack: Arc<Mutex<Vec<Value>>>,
    /// The feed is empty until this is set.
    live: Arc<AtomicBool>,
}

/// Serves `/feed.xml` (once live, two items about Acme, one with an outage) and takes Slack
/// posts at `/slack`.
async fn fixtures() -> Fixtures {
    let now = Utc::now();
    let rfc2822 = |hours: i64| (now - Duration::hours(hours)).to_rfc2822();
    let empty =
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>News</title></channel></rss>"#;
    let feed = format!(
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>
<item><title>Acme launches a wonderful phone</title><link>https://news.example/acme-phone</link>
<description>Reviewers love the great new Acme phone.</description><pubDate>{}</pubDate></item>
<item><title>Acme outage angers customers</title><link>https://news.example/acme-outage</link>
<description>A terrible, awful outage at Acme.</description><pubDate>{}</pubDate></item>
</channel></rss>"#,
        rfc2822(1),
        rfc2822(2),
    );
    let slack = Arc::new(Mutex::new(Vec::new()));
    let received = slack.clone();
    let live = Arc::new(AtomicBool::new(false));
    let serving = live.clone();
    let app = Router::new()
        .route(
            "/feed.xml",
            get(move || async move {
                let body = if serving.load(Ordering::SeqCst) {
                    feed
                } else {
                    empty.to_string()
                };
                ([("content-type", "application/rss+xml")], body)
            }),
        )
        .route(
            "/slack",
            post(move |axum::Json(body): axum::Json<Value>| async move {
                received.lock().unwrap().push(body);
                "ok"
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    Fixtures { base, slack, live }
}

async fn send(token: &str, request: reqwest::RequestBuilder) -> (u16, Value) {
    json(request.bearer_auth(token).send().await.unwrap()).await
}

/// Scan and wait until the scan's one source has reported.
async fn scan(app: &TestApp, token: &str, monitor: &str) {
    let (status, started) = send(token, app.post(&format!("/brand/monitors/{monitor}/scan"))).await;
    assert_eq!(status, 202, "{started}");
    let scan_id = started["scan_id"].as_str().unwrap().to_string();
    let runs = format!("/brand/monitors/{monitor}/scans");
    eventually("the scan's outcome", || async {
        let (_, runs) = send(token, app.get(&runs)).await;
        let run = runs["items"]
            .as_array()?
            .iter()
            .find(|r| r["scan_id"] == scan_id.as_str())?
            .clone();
        (run["outcomes"].as_array()?.len() == 1).then_some(())
    })
    .await;
}

#[tokio::test]
async fn keyword_alerts_fire_once_and_reports_archive() {
    let app = TestApp::spawn_with(Settings {
        brand: BrandSettings {
            politeness: std::time::Duration::ZERO,
            max_attempts: 1,
            ..BrandSettings::default()
        },
        ..Settings::default()
    })
    .await;
    let fixtures = fixtures().await;
    let (base, slack) = (&fixtures.base, &fixtures.slack);
    let a = app.token("acme", &["editor"]);
    let b = app.token("globex", &["editor"]);
    let (status, monitor) = send(
        &a,
        app.post("/brand/monitors").json(&json!({
            "name": "Acme",
            "names": ["Acme"],
            "sources": [{"kind": "rss", "url": format!("{base}/feed.xml")}],
        })),
    )
    .await;
    assert_eq!(status, 201, "{monitor}");
    let root = format!("/brand/monitors/{}", monitor["id"].as_str().unwrap());

    // A rule is validated, naming the field at fault.
    let rules = format!("{root}/alert-rules");
    let (status, problem) = send(
        &a,
        app.post(&rules)
            .json(&json!({"name": "Outages", "kind": {"type": "keyword", "terms": []}})),
    )
    .await;
    assert_eq!(status, 400, "{problem}");
    assert_eq!(problem["field"], "kind.terms");
    let (status, rule) = send(
        &a,
        app.post(&rules).json(&json!({
            "name": "Outages",
            "kind": {"type": "keyword", "terms": ["outage"]},
            "channels": {"slack_webhook_url": format!("{base}/slack")},
        })),
    )
    .await;
    assert_eq!(status, 201, "{rule}");
    let (_, listed) = send(&a, app.get(&rules)).await;
    assert_eq!(listed["items"][0]["id"], rule["id"], "{listed}");

    // One mention names the term: one alert, one Slack message, also after a re-scan. The
    // feed stays empty until the rule exists, so that no scan queued in the meantime stores
    // the mentions unseen by it; one such scan may still be the one that stores them and
    // fires, finishing after ours: hence the wait.
    fixtures.live.store(true, Ordering::SeqCst);
    let alerts = format!("{root}/alerts");
    let monitor_id = monitor["id"].as_str().unwrap();
    scan(&app, &a, monitor_id).await;
    let count = || async {
        let (_, page) = send(&a, app.get(&alerts)).await;
        let received = slack.lock().unwrap().clone();
        (page["items"].as_array().unwrap().len(), received)
    };
    eventually("the alert and its Slack message", || async {
        let (alerts, received) = count().await;
        (alerts == 1 && received.len() == 1).then_some(())
    })
    .await;
    scan(&app, &a, monitor_id).await;
    let (alert_count, received) = count().await;
    assert_eq!(alert_count, 1, "a re-scan raises nothing new");
    assert_eq!(received.len(), 1, "{received:?}");
    assert!(received[0]["text"].is_string(), "{received:?}");
    let (_, page) = send(&a, app.get(&alerts)).await;
    let alert = &page["items"][0];
    assert_eq!(alert["kind"], "keyword", "{alert}");
    assert!(alert["acknowledged_by"].is_null(), "{alert}");
    let ack = format!("{alerts}/{}/ack", alert["id"].as_str().unwrap());
    let (status, acked) = send(&a, app.post(&ack)).await;
    assert_eq!(status, 200, "{acked}");
    assert_eq!(acked["acknowledged_by"], "user-acme", "{acked}");

    // A report of the default period (last full week), archived in both renderings.
    let reports = format!("{root}/reports");
    let (status, report) = send(&a, app.post(&reports)).await;
    assert_eq!(status, 201, "{report}");
    assert_eq!(report["time_zone"], "UTC");
    let one = format!("{reports}/{}", report["id"].as_str().unwrap());
    let (_, list) = send(&a, app.get(&reports)).await;
    assert_eq!(list["items"][0]["id"], report["id"], "{list}");
    let (status, got) = send(&a, app.get(&one)).await;
    assert_eq!(status, 200, "{got}");
    assert!(got["headline"]["current"].is_object(), "{got}");
    let html = app
        .get(&format!("{one}/report.html"))
        .bearer_auth(&a)
        .send()
        .await
        .unwrap();
    assert_eq!(html.status(), 200);
    assert_eq!(
        html.headers()["content-type"],
        "text/html; charset=utf-8",
        "{:?}",
        html.headers()
    );
    assert!(
        html.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'none'")
    );
    assert!(html.text().await.unwrap().contains("<svg"));
    let markdown = app
        .get(&format!("{one}/report.md"))
        .bearer_auth(&a)
        .send()
        .await
        .unwrap();
    assert_eq!(markdown.status(), 200);
    assert!(markdown.text().await.unwrap().contains("Acme"));
    let (status, problem) = send(
        &a,
        app.post(&reports)
            .json(&json!({"time_zone": "Mars/Olympus"})),
    )
    .await;
    assert_eq!(status, 400, "{problem}");
    assert_eq!(problem["field"], "time_zone");

    // Another tenant reaches none of it.
    let rule_path = format!("{rules}/{}", rule["id"].as_str().unwrap());
    for request in [
        app.get(&rules),
        app.post(&rules).json(&json!({})),
        app.delete(&rule_path),
        app.get(&alerts),
        app.post(&ack),
        app.post(&reports),
        app.get(&reports),
        app.get(&one),
        app.get(&format!("{one}/report.html")),
        app.get(&format!("{one}/report.md")),
    ] {
        let (status, body) = send(&b, request).await;
        assert_eq!(status, 404, "{body}");
    }
    // A's rule survived B's delete; A's own delete works once.
    let (status, _) = send(&a, app.delete(&rule_path)).await;
    assert_eq!(status, 204);
    let (status, _) = send(&a, app.delete(&rule_path)).await;
    assert_eq!(status, 404);
    app.stop().await;
}
