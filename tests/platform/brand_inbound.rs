//! The inbound webhook: a `service` API key pushes mentions for a monitor; they go through the
//! scan pipeline (query filter, sentiment, deduplication), and malformed documents and other
//! tenants are refused.

use crate::common::{TestApp, json};
use chrono::{Duration, Utc};
use serde_json::json;

#[tokio::test]
async fn inbound_mentions_are_filtered_scored_and_deduplicated() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", &["admin"]);
    let (status, key) = json(
        app.post("/admin/api-keys")
            .bearer_auth(&admin)
            .json(&json!({"name": "crawler", "role": "service"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 201, "{key}");
    let secret = key["secret"].as_str().unwrap().to_string();
    let (status, monitor) = json(
        app.post("/brand/monitors")
            .bearer_auth(&admin)
            .json(&json!({"name": "Acme", "names": ["Acme"]}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 201, "{monitor}");
    let id = monitor["id"].as_str().unwrap().to_string();
    let path = format!("/brand/monitors/{id}/inbound");
    let published = (Utc::now() - Duration::hours(1)).to_rfc3339();
    let document = json!({"items": [
        {"url": "https://forum.example/t/1", "author": "sam", "published_at": published,
         "text": "<p>I love my wonderful new <b>Acme</b> phone!</p>", "language": "en", "reach": 300},
        {"url": "https://forum.example/t/2", "author": null, "published_at": published,
         "text": "Sunny all week."},
    ]});
    let post = |body: serde_json::Value| {
        app.post(&path)
            .header("x-api-key", &secret)
            .json(&body)
            .send()
    };

    let (status, body) = json(post(document.clone()).await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({"received": 2, "matched": 1, "new": 1}));
    let (status, body) = json(post(document.clone()).await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({"received": 2, "matched": 1, "new": 0}));

    let (status, page) = json(
        app.get(&format!("/brand/monitors/{id}/mentions"))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{page}");
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{page}");
    assert_eq!(
        items[0]["mention"]["url"], "https://forum.example/t/1",
        "{page}"
    );
    assert_eq!(items[0]["mention"]["source"], "webhook", "{page}");
    assert_eq!(items[0]["sentiment"]["label"], "positive", "{page}");

    let mut bad = document.clone();
    bad["items"][0]["published_at"] = json!("yesterday");
    let (status, problem) = json(post(bad).await.unwrap()).await;
    assert_eq!(status, 400, "{problem}");
    assert_eq!(problem["field"], "items[0].published_at", "{problem}");

    let other = app.token("globex", &["admin"]);
    let (status, problem) = json(
        app.post(&path)
            .bearer_auth(&other)
            .json(&document)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 404, "{problem}");
}
