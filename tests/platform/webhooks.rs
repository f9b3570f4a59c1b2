//! Signed outbound webhooks, end to end through the runner: a receiver verifies the signature
//! with the algorithm the Standard Webhooks spec documents (written out here, independently of
//! the signing code), a failing receiver gets retries and then a dead-letter record, and
//! outbound calls to private addresses are refused unless allowed.

use crate::common::{TestApp, eventually, json};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::Duration;
use hmac::{Hmac, KeyInit, Mac};
use plasma_gateway::webhooks::Policy;
use plasma_platform::Settings;
use serde_json::{Value, json};
use sha2::Sha256;
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone)]
pub(crate) struct Received {
    pub(crate) id: String,
    pub(crate) timestamp: String,
    pub(crate) signature: String,
    pub(crate) body: Bytes,
}

#[derive(Clone)]
struct Receiver {
    answer: StatusCode,
    seen: Arc<Mutex<Vec<Received>>>,
}

/// A webhook receiver on a free loopback port that records every request and answers `answer`.
pub(crate) async fn receiver(answer: StatusCode) -> (String, Arc<Mutex<Vec<Received>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let state = Receiver {
        answer,
        seen: seen.clone(),
    };
    let app = Router::new().route("/hook", post(record)).with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

async fn record(State(r): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let h = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    r.seen.lock().unwrap().push(Received {
        id: h("webhook-id"),
        timestamp: h("webhook-timestamp"),
        signature: h("webhook-signature"),
        body,
    });
    r.answer
}

/// The spec's verification: HMAC-SHA256, keyed with the base64 part of `whsec_...`, over
/// `id.timestamp.body`, base64-encoded, among the space-separated `v1,<sig>` entries.
pub(crate) fn verifies(secret: &str, r: &Received) -> bool {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").expect("whsec_ prefix"))
        .expect("base64 secret");
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{}.{}.", r.id, r.timestamp).as_bytes());
    mac.update(&r.body);
    let expected = STANDARD.encode(mac.finalize().into_bytes());
    r.signature
        .split(' ')
        .any(|s| s.strip_prefix("v1,") == Some(expected.as_str()))
}

async fn create_endpoint(app: &TestApp, token: &str, url: &str) -> (String, String) {
    let r = app
        .post("/webhooks")
        .bearer_auth(token)
        .json(&json!({"url": url, "events": ["webhook.test"]}));
    let (status, body) = json(r.send().await.unwrap()).await;
    assert_eq!(status, 201, "{body}");
    (
        body["endpoint"]["id"].as_str().unwrap().into(),
        body["secret"].as_str().unwrap().into(),
    )
}

async fn deliveries(app: &TestApp, token: &str, endpoint: &str) -> Vec<Value> {
    let (status, body) = json(
        app.get(&format!("/webhooks/{endpoint}/deliveries"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["items"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn a_receiver_verifies_the_signature_of_a_delivered_event() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", &["admin"]);
    let (url, seen) = receiver(StatusCode::NO_CONTENT).await;
    let (endpoint, secret) = create_endpoint(&app, &admin, &url).await;
    assert!(secret.starts_with("whsec_"));

    let (status, sent) = json(
        app.post(&format!("/webhooks/{endpoint}/test"))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 202, "{sent}");
    let got = eventually("the delivery", || async {
        seen.lock().unwrap().first().cloned()
    })
    .await;
    assert!(verifies(&secret, &got), "signature must verify: {got:?}");
    assert_eq!(got.id, sent["delivery_id"]);
    let body: Value = serde_json::from_slice(&got.body).unwrap();
    assert_eq!(body["type"], "webhook.test");
    assert!(body["data"]["message"].is_string());
    let skew = chrono::Utc::now().timestamp() - got.timestamp.parse::<i64>().unwrap();
    assert!(skew.abs() < 60, "timestamp is the send time");

    let tampered = Received {
        body: Bytes::from_static(b"{\"type\":\"forged\"}"),
        ..got.clone()
    };
    assert!(
        !verifies(&secret, &tampered),
        "a changed body must not verify"
    );

    let recorded = eventually("a delivered record", || async {
        let items = deliveries(&app, &admin, &endpoint).await;
        (items.first().map(|d| d["status"] == "delivered") == Some(true)).then_some(items)
    })
    .await;
    assert_eq!(recorded[0]["attempts"].as_array().unwrap().len(), 1);
    assert_eq!(recorded[0]["attempts"][0]["status"], 204);
    app.stop().await;
}

#[tokio::test]
async fn a_failing_receiver_gets_retries_then_a_dead_letter_record() {
    let settings = Settings {
        webhooks: Policy {
            max_attempts: 3,
            backoff: vec![Duration::seconds(1)],
            ..Policy::default()
        },
        ..Settings::default()
    };
    let app = TestApp::spawn_with(settings).await;
    let admin = app.token("acme", &["admin"]);
    let (url, seen) = receiver(StatusCode::INTERNAL_SERVER_ERROR).await;
    let (endpoint, secret) = create_endpoint(&app, &admin, &url).await;
    let r = app
        .post(&format!("/webhooks/{endpoint}/test"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);

    let dead = eventually("the dead-letter record", || async {
        let items = deliveries(&app, &admin, &endpoint).await;
        items.into_iter().find(|d| d["status"] == "failed")
    })
    .await;
    let attempts = dead["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 3, "{dead}");
    assert!(attempts.iter().all(|a| a["status"] == 500), "{dead}");
    assert!(dead["next_attempt_at"].is_null());

    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 3, "one request per attempt, no more");
    assert!(
        seen.iter()
            .all(|r| r.id == dead["id"] && verifies(&secret, r)),
        "retries keep the id and are signed"
    );
    app.stop().await;
}

#[tokio::test]
async fn private_addresses_are_refused_unless_allowed() {
    let strict = Settings {
        allow_private_egress: Some(false),
        ..Settings::default()
    };
    let app = TestApp::spawn_with(strict).await;
    let admin = app.token("acme", &["admin"]);
    for url in [
        "http://127.0.0.1:9/hook",
        "http://169.254.169.254/latest",
        "ftp://example.com/",
    ] {
        let r = app
            .post("/webhooks")
            .bearer_auth(&admin)
            .json(&json!({"url": url}));
        let (status, body) = json(r.send().await.unwrap()).await;
        assert_eq!(status, 400, "{url}: {body}");
        assert_eq!(body["code"], "invalid_request");
    }
    app.stop().await;
}

#[tokio::test]
async fn endpoints_belong_to_their_tenant() {
    let app = TestApp::spawn().await;
    let a = app.token("tenant-a", &["admin"]);
    let b = app.token("tenant-b", &["admin"]);
    let (url, _) = receiver(StatusCode::OK).await;
    let (endpoint, _) = create_endpoint(&app, &a, &url).await;
    let (_, listed) = json(app.get("/webhooks").bearer_auth(&b).send().await.unwrap()).await;
    assert_eq!(listed["items"], json!([]));
    for (method, path) in [
        ("GET", format!("/webhooks/{endpoint}/deliveries")),
        ("POST", format!("/webhooks/{endpoint}/test")),
        ("DELETE", format!("/webhooks/{endpoint}")),
    ] {
        let r = app
            .http
            .request(method.parse().unwrap(), format!("{}{path}", app.url))
            .bearer_auth(&b)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{method} {path}");
    }
    let (_, listed) = json(app.get("/webhooks").bearer_auth(&a).send().await.unwrap()).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    app.stop().await;
}
