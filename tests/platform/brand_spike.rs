//! A volume spike through the runner: a new monitor (baseline 0) sees a burst of recent
//! mentions, its `volume_spike` rule raises exactly one alert however many scans follow
//! within the cooldown, and the alert reaches a signed webhook receiver that verifies it
//! independently of the signing code.

use crate::common::{TestApp, eventually, json};
use crate::webhooks::{Received, receiver, verifies};
use axum::Router;
use axum::http::StatusCode;
use axum::routing::get;
use chrono::{Duration, Utc};
use plasma_brand::scan::BrandSettings;
use plasma_platform::Settings;
use serde_json::{Value, json};

/// Mentions of Acme in the burst, all published within the last half hour.
const BURST: usize = 5;

/// Serves `/feed.xml`: [`BURST`] items about Acme published minutes ago. Returns its URL.
async fn burst_feed() -> String {
    let now = Utc::now();
    let items: String = (0..BURST)
        .map(|i| {
            format!(
                "<item><title>Acme news {i}</title><link>https://news.example/acme-{i}</link>\
                 <description>Story {i} about Acme.</description><pubDate>{}</pubDate></item>",
                (now - Duration::minutes(5 + 5 * i as i64)).to_rfc2822()
            )
        })
        .collect();
    let feed = format!(
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>{items}</channel></rss>"#
    );
    let app = Router::new().route(
        "/feed.xml",
        get(move || async move { ([("content-type", "application/rss+xml")], feed) }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/feed.xml", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
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

/// The `brand.alert` deliveries the receiver got, with their parsed bodies.
fn alert_deliveries(seen: &std::sync::Mutex<Vec<Received>>) -> Vec<(Received, Value)> {
    seen.lock()
        .unwrap()
        .iter()
        .map(|r| (r.clone(), serde_json::from_slice(&r.body).unwrap()))
        .filter(|(_, body): &(Received, Value)| body["type"] == "brand.alert")
        .collect()
}

#[tokio::test]
async fn a_spike_raises_one_alert_per_cooldown_delivered_over_a_signed_webhook() {
    let app = TestApp::spawn_with(Settings {
        brand: BrandSettings {
            politeness: std::time::Duration::ZERO,
            max_attempts: 1,
            ..BrandSettings::default()
        },
        ..Settings::default()
    })
    .await;
    let admin = app.token("acme", &["admin"]);
    let editor = app.token("acme", &["editor"]);

    let (hook_url, seen) = receiver(StatusCode::NO_CONTENT).await;
    let (status, endpoint) = send(
        &admin,
        app.post("/webhooks")
            .json(&json!({"url": hook_url, "events": ["brand.alert"]})),
    )
    .await;
    assert_eq!(status, 201, "{endpoint}");
    let secret = endpoint["secret"].as_str().unwrap().to_string();

    let (status, monitor) = send(
        &editor,
        app.post("/brand/monitors").json(&json!({
            "name": "Acme",
            "names": ["Acme"],
            "sources": [{"kind": "rss", "url": burst_feed().await}],
        })),
    )
    .await;
    assert_eq!(status, 201, "{monitor}");
    let monitor_id = monitor["id"].as_str().unwrap().to_string();
    let root = format!("/brand/monitors/{monitor_id}");

    // A new monitor has a zero baseline: any burst of at least min_count is a spike.
    let (status, rule) = send(
        &editor,
        app.post(&format!("{root}/alert-rules")).json(&json!({
            "name": "Burst",
            "kind": {"type": "volume_spike", "spike": {
                "window_minutes": 60, "min_count": 3, "growth_pct": 100.0,
            }},
            "cooldown_minutes": 60,
            "channels": {"signed_webhooks": true},
        })),
    )
    .await;
    assert_eq!(status, 201, "{rule}");

    // The first scan stores the burst and fires; later ones, even concurrent, fall within
    // the cooldown.
    scan(&app, &editor, &monitor_id).await;
    scan(&app, &editor, &monitor_id).await;
    tokio::join!(
        scan(&app, &editor, &monitor_id),
        scan(&app, &editor, &monitor_id)
    );

    let alerts_path = format!("{root}/alerts");
    let (alert, (delivery, body)) = eventually("the alert and its webhook delivery", || async {
        let (_, page) = send(&editor, app.get(&alerts_path)).await;
        let alerts = page["items"].as_array()?.clone();
        let deliveries = alert_deliveries(&seen);
        (alerts.len() == 1 && deliveries.len() == 1)
            .then(|| (alerts[0].clone(), deliveries[0].clone()))
    })
    .await;
    assert_eq!(alert["kind"], "volume_spike", "{alert}");
    assert_eq!(alert["rule_id"], rule["id"], "{alert}");

    assert!(
        verifies(&secret, &delivery),
        "signature must verify: {delivery:?}"
    );
    let data = &body["data"];
    assert_eq!(data["id"], alert["id"], "{body}");
    assert_eq!(data["monitor_id"], monitor_id.as_str(), "{body}");
    assert_eq!(data["kind"], "volume_spike", "{body}");
    assert_eq!(data["details"]["current"], json!(BURST as f64), "{body}");
    assert_eq!(data["details"]["baseline_mean"], json!(0.0), "{body}");
    assert_eq!(data["details"]["window_minutes"], 60, "{body}");
    assert!(
        data["summary"]
            .as_str()
            .unwrap()
            .contains(&format!("{BURST} mentions")),
        "{body}"
    );

    // Every scan has finished; nothing more was raised or delivered.
    let (_, page) = send(&editor, app.get(&alerts_path)).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1, "{page}");
    assert_eq!(alert_deliveries(&seen).len(), 1);
    app.stop().await;
}
