use crate::fixture::{Answer, Fixture, SHORT, SLOW};
use crate::{code, post};
use axum::http::Method;
use plasma_publishing::{ContentFormat, Credentials, Metrics, Post, PublishError, codes};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn creds(fx: &Fixture) -> Credentials {
    Credentials {
        base_url: Some(fx.url.clone()),
        token: Some("masto-token".into()),
        ..Credentials::default()
    }
}

/// A Mastodon instance: a create with an `Idempotency-Key` it has seen returns the status
/// that key made, as Mastodon does; the first create is answered after `first_delay`.
async fn instance(first_delay: Duration) -> (Fixture, Arc<Mutex<HashMap<String, Value>>>) {
    let statuses: Arc<Mutex<HashMap<String, Value>>> = Arc::default();
    let state = statuses.clone();
    let fx = Fixture::start(move |seen| {
        let mut statuses = state.lock().unwrap();
        if seen.method == Method::GET {
            return Answer::json(
                200,
                json!({
                    "id": seen.path.trim_start_matches("/api/v1/statuses/"),
                    "favourites_count": 9, "replies_count": 2, "reblogs_count": 4,
                }),
            );
        }
        let first = statuses.is_empty();
        let n = statuses.len() + 1;
        let status = statuses
            .entry(seen.header("idempotency-key").to_string())
            .or_insert_with(|| {
                json!({
                    "id": format!("11{n:04}"),
                    "url": format!("https://social.example/@brand/11{n:04}"),
                    "uri": format!("https://social.example/users/brand/statuses/11{n:04}"),
                    "created_at": "2025-03-04T05:06:07.000Z",
                    "content": seen.json()["status"],
                })
            })
            .clone();
        let answer = Answer::json(200, status);
        if first {
            answer.after(first_delay)
        } else {
            answer
        }
    })
    .await;
    (fx, statuses)
}

#[tokio::test]
async fn publish_sends_the_documented_request() {
    let (fx, _) = instance(Duration::ZERO).await;
    let item = Post {
        text: "New *guide* is out".into(),
        link: Some("https://example.com/guide".into()),
        tags: vec!["rust".into(), "open source".into()],
        content_format: ContentFormat::Markdown,
        ..Post::default()
    };
    let published = fx
        .connector("mastodon")
        .publish(&item, &creds(&fx), "item-3:mastodon")
        .await
        .unwrap();
    assert_eq!(published.id, "110001");
    assert_eq!(
        published.url.as_deref(),
        Some("https://social.example/@brand/110001")
    );
    assert_eq!(published.at.to_rfc3339(), "2025-03-04T05:06:07+00:00");

    let posts = fx.posts();
    assert_eq!(posts.len(), 1);
    let seen = &posts[0];
    assert_eq!(seen.path, "/api/v1/statuses");
    assert_eq!(seen.header("authorization"), "Bearer masto-token");
    assert_eq!(seen.header("idempotency-key"), "item-3:mastodon");
    assert_eq!(
        seen.json(),
        json!({
            "status": "New guide is out\n\nhttps://example.com/guide\n\n#rust #opensource",
            "visibility": "public",
        })
    );
}

#[tokio::test]
async fn a_success_without_an_id_is_not_published() {
    let fx = Fixture::start(|_| Answer::json(200, json!({"content": "hi"}))).await;
    let result = fx
        .connector("mastodon")
        .publish(&post("hi"), &creds(&fx), "k1")
        .await;
    assert!(
        matches!(result, Err(PublishError::Ambiguous { .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn token_errors_are_permanent_and_told_apart() {
    for (message, expect) in [
        ("The access token is invalid", codes::AUTH_INVALID),
        ("The access token expired", codes::AUTH_EXPIRED),
        ("The access token was revoked", codes::AUTH_INVALID),
    ] {
        let fx = Fixture::start(move |_| Answer::json(401, json!({"error": message}))).await;
        let result = fx
            .connector("mastodon")
            .publish(&post("hi"), &creds(&fx), "k1")
            .await;
        match result {
            Err(PublishError::Permanent { code, reason }) => {
                assert_eq!(code, expect, "{message}");
                assert!(reason.contains(message), "{reason}");
            }
            other => panic!("{other:?}"),
        }
    }
    let fx = Fixture::start(|_| {
        Answer::json(
            422,
            json!({"error": "Validation failed: Text character limit of 500 exceeded"}),
        )
    })
    .await;
    let result = fx
        .connector("mastodon")
        .publish(&post("long"), &creds(&fx), "k1")
        .await;
    assert_eq!(code(result), codes::REJECTED);
}

#[tokio::test]
async fn rate_limits_and_server_errors_are_retryable() {
    let fx = Fixture::start(|_| {
        Answer::json(429, json!({"error": "Too many requests"})).header("retry-after", "30")
    })
    .await;
    match fx
        .connector("mastodon")
        .publish(&post("hi"), &creds(&fx), "k1")
        .await
    {
        Err(PublishError::Retryable { retry_after, .. }) => {
            assert_eq!(retry_after, Some(Duration::from_secs(30)))
        }
        other => panic!("{other:?}"),
    }
    let fx = Fixture::start(|_| Answer::empty(503)).await;
    let result = fx
        .connector("mastodon")
        .publish(&post("hi"), &creds(&fx), "k1")
        .await;
    assert!(
        matches!(
            result,
            Err(PublishError::Retryable {
                retry_after: None,
                ..
            })
        ),
        "{result:?}"
    );
}

#[tokio::test]
async fn after_a_timeout_the_repost_with_the_same_key_returns_the_same_status() {
    let (fx, statuses) = instance(SLOW).await;
    let item = post("hello fediverse");
    let result = fx
        .connector_with_timeout("mastodon", SHORT)
        .publish(&item, &creds(&fx), "item-5:mastodon")
        .await;
    assert!(
        matches!(result, Err(PublishError::Ambiguous { .. })),
        "{result:?}"
    );

    let mastodon = fx.connector("mastodon");
    assert_eq!(
        mastodon
            .find_existing(&item, &creds(&fx), "item-5:mastodon")
            .await
            .unwrap(),
        None,
        "Mastodon dedupes on Idempotency-Key: reposting is the lookup"
    );
    let published = mastodon
        .publish(&item, &creds(&fx), "item-5:mastodon")
        .await
        .unwrap();
    assert_eq!(published.id, "110001");
    assert_eq!(statuses.lock().unwrap().len(), 1);
    let keys: Vec<String> = fx
        .posts()
        .iter()
        .map(|s| s.header("idempotency-key").to_string())
        .collect();
    assert_eq!(keys, ["item-5:mastodon", "item-5:mastodon"]);
}

#[tokio::test]
async fn metrics_map_the_status_counts() {
    let (fx, _) = instance(Duration::ZERO).await;
    let mastodon = fx.connector("mastodon");
    let published = mastodon
        .publish(&post("hi"), &creds(&fx), "k1")
        .await
        .unwrap();
    let metrics = mastodon.metrics(&published, &creds(&fx)).await.unwrap();
    assert_eq!(
        metrics,
        Metrics {
            reactions: Some(9),
            comments: Some(2),
            shares: Some(4),
            ..Metrics::default()
        }
    );
    let seen = fx.seen().into_iter().last().unwrap();
    assert!(seen.is(Method::GET, "/api/v1/statuses/110001"));
    assert_eq!(seen.header("authorization"), "Bearer masto-token");
}
