use crate::fixture::{Answer, Fixture, SHORT, SLOW};
use crate::{code, post};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use plasma_publishing::{ContentFormat, Credentials, Post, PublishError, codes};
use serde_json::json;
use sha2::Sha256;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn creds(fx: &Fixture) -> Credentials {
    Credentials {
        base_url: Some(format!("{}/hooks/publish", fx.url)),
        secret: Some(SECRET.into()),
        ..Credentials::default()
    }
}

/// A receiver that, as Standard Webhooks asks, treats a repeated `webhook-id` as the same
/// message; the first delivery is answered only after `first_delay`.
async fn receiver(
    first_delay: std::time::Duration,
) -> (Fixture, Arc<Mutex<HashMap<String, String>>>) {
    let made: Arc<Mutex<HashMap<String, String>>> = Arc::default();
    let state = made.clone();
    let fx = Fixture::start(move |seen| {
        let mut made = state.lock().unwrap();
        let first = made.is_empty();
        let n = made.len() + 1;
        let id = made
            .entry(seen.header("webhook-id").to_string())
            .or_insert_with(|| format!("rcv-{n}"))
            .clone();
        let answer = Answer::json(
            200,
            json!({"id": id, "url": format!("https://site.example/p/{id}")}),
        );
        if first {
            answer.after(first_delay)
        } else {
            answer
        }
    })
    .await;
    (fx, made)
}

#[tokio::test]
async fn publish_posts_a_signed_event_and_returns_the_receivers_id() {
    let (fx, _) = receiver(std::time::Duration::ZERO).await;
    let item = Post {
        title: Some("Launch".into()),
        text: "We **shipped**".into(),
        thread: vec!["one".into(), "two".into()],
        link: Some("https://example.com/launch".into()),
        tags: vec!["rust".into()],
        content_format: ContentFormat::Markdown,
    };
    let published = fx
        .connector("webhook")
        .publish(&item, &creds(&fx), "item-7:webhook")
        .await
        .unwrap();
    assert_eq!(published.id, "rcv-1");
    assert_eq!(
        published.url.as_deref(),
        Some("https://site.example/p/rcv-1")
    );

    let posts = fx.posts();
    assert_eq!(posts.len(), 1);
    let seen = &posts[0];
    assert_eq!(seen.path, "/hooks/publish");
    assert_eq!(seen.header("content-type"), "application/json");
    assert_eq!(seen.header("webhook-id"), "item-7:webhook");
    let body = seen.json();
    assert_eq!(body["id"], "item-7:webhook");
    assert_eq!(body["type"], "content.published");
    assert!(chrono::DateTime::parse_from_rfc3339(body["timestamp"].as_str().unwrap()).is_ok());
    assert_eq!(
        body["data"],
        json!({
            "title": "Launch",
            "text": "We **shipped**",
            "content_format": "markdown",
            "thread": ["one", "two"],
            "link": "https://example.com/launch",
            "tags": ["rust"],
        })
    );

    // The signature, computed independently: base64(HMAC-SHA256(secret, "id.timestamp.body")).
    let timestamp = seen.header("webhook-timestamp");
    let age = chrono::Utc::now().timestamp() - timestamp.parse::<i64>().unwrap();
    assert!((0..60).contains(&age), "{age}");
    let key = STANDARD
        .decode(SECRET.strip_prefix("whsec_").unwrap())
        .unwrap();
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&key).unwrap();
    mac.update(format!("item-7:webhook.{timestamp}.").as_bytes());
    mac.update(&seen.body);
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    assert_eq!(seen.header("webhook-signature"), expected);
}

#[tokio::test]
async fn a_success_without_an_id_is_not_published() {
    let fx = Fixture::start(|_| Answer::json(200, json!({"ok": true}))).await;
    let result = fx
        .connector("webhook")
        .publish(&post("hi"), &creds(&fx), "k1")
        .await;
    assert_eq!(code(result), codes::REJECTED);
}

#[tokio::test]
async fn receiver_errors_are_classified() {
    for (status, expect) in [
        (500, "retryable"),
        (503, "retryable"),
        (502, "ambiguous"),
        (504, "ambiguous"),
        (401, codes::AUTH_INVALID),
        (403, codes::FORBIDDEN),
        (400, codes::REJECTED),
    ] {
        let fx = Fixture::start(move |_| Answer::json(status, json!({"message": "nope"}))).await;
        let result = fx
            .connector("webhook")
            .publish(&post("hi"), &creds(&fx), "k1")
            .await;
        let got = match result {
            Err(PublishError::Retryable { .. }) => "retryable".to_string(),
            Err(PublishError::Ambiguous { .. }) => "ambiguous".to_string(),
            Err(PublishError::Permanent { code, .. }) => code,
            Ok(p) => panic!("{status} published {p:?}"),
        };
        assert_eq!(got, expect, "{status}");
    }
}

#[tokio::test]
async fn a_timeout_after_accept_is_ambiguous_and_the_retry_reuses_the_webhook_id() {
    let (fx, made) = receiver(SLOW).await;
    let item = post("hi");
    let result = fx
        .connector_with_timeout("webhook", SHORT)
        .publish(&item, &creds(&fx), "item-9:webhook")
        .await;
    assert!(
        matches!(result, Err(PublishError::Ambiguous { .. })),
        "{result:?}"
    );

    let webhook = fx.connector("webhook");
    // Receivers dedupe on webhook-id, so "not found" is the safe answer: send again.
    assert_eq!(
        webhook
            .find_existing(&item, &creds(&fx), "item-9:webhook")
            .await
            .unwrap(),
        None
    );
    let published = webhook
        .publish(&item, &creds(&fx), "item-9:webhook")
        .await
        .unwrap();
    assert_eq!(published.id, "rcv-1");
    assert_eq!(made.lock().unwrap().len(), 1);
    let ids: Vec<String> = fx
        .posts()
        .iter()
        .map(|s| s.header("webhook-id").to_string())
        .collect();
    assert_eq!(ids, ["item-9:webhook", "item-9:webhook"]);
}

#[tokio::test]
async fn an_unusable_secret_is_not_configured() {
    let fx = Fixture::start(|_| Answer::json(200, json!({"id": "1"}))).await;
    let mut bad = creds(&fx);
    bad.secret = Some("whsec_%%%not-base64".into());
    let result = fx
        .connector("webhook")
        .publish(&post("hi"), &bad, "k1")
        .await;
    assert_eq!(code(result), codes::NOT_CONFIGURED);
    assert!(fx.seen().is_empty());
}
