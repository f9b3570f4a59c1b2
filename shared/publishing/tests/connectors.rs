//! Every connector against a local fixture server that checks the platform's documented
//! request shape and auth, and plays the platform's failure modes: expired tokens, 5xx,
//! rate limits, and a post accepted but answered too late.

#[path = "connectors/fixture.rs"]
mod fixture;
#[path = "connectors/linkedin.rs"]
mod linkedin;
#[path = "connectors/mastodon.rs"]
mod mastodon;
#[path = "connectors/medium.rs"]
mod medium;
#[path = "connectors/webhook.rs"]
mod webhook;
#[path = "connectors/wordpress.rs"]
mod wordpress;
#[path = "connectors/x.rs"]
mod x;

use fixture::{Answer, Fixture, connectors};
use plasma_publishing::{ConnectorSettings, Connectors, Credentials, Post, PublishError, codes};
use serde_json::json;
use std::time::Duration;

pub fn post(text: &str) -> Post {
    Post {
        text: text.into(),
        ..Post::default()
    }
}

/// The permanent code of an error, or a panic naming what came instead.
pub fn code<T: std::fmt::Debug>(result: Result<T, PublishError>) -> String {
    match result {
        Err(PublishError::Permanent { code, .. }) => code,
        other => panic!("expected a permanent error, got {other:?}"),
    }
}

#[test]
fn credentials_debug_never_prints_secrets() {
    let creds = Credentials {
        token: Some("tok-123".into()),
        username: Some("editor".into()),
        password: Some("app pass word".into()),
        account: Some("urn:li:person:42".into()),
        secret: Some("whsec_c2VjcmV0".into()),
        base_url: Some("https://blog.example.com".into()),
    };
    let printed = format!("{creds:?}");
    for secret in ["tok-123", "app pass word", "whsec_c2VjcmV0"] {
        assert!(!printed.contains(secret), "{printed}");
    }
    for shown in ["editor", "urn:li:person:42", "https://blog.example.com"] {
        assert!(printed.contains(shown), "{printed}");
    }
    // Serialization keeps them: credentials are stored (encrypted) by the caller.
    let back: Credentials = serde_json::from_value(serde_json::to_value(&creds).unwrap()).unwrap();
    assert_eq!(back, creds);
}

#[test]
fn every_channel_has_its_connector() {
    let all = Connectors::new(ConnectorSettings::default());
    for channel in Connectors::CHANNELS {
        assert_eq!(all.get(channel).unwrap().channel(), channel);
    }
    assert!(all.get("myspace").is_none());
}

#[tokio::test]
async fn missing_credentials_are_not_configured_and_nothing_is_sent() {
    let fx = Fixture::start(|_| Answer::empty(500)).await;
    for channel in Connectors::CHANNELS {
        let result = fx
            .connector(channel)
            .publish(&post("hi"), &Credentials::default(), "k1")
            .await;
        assert_eq!(code(result), codes::NOT_CONFIGURED, "{channel}");
    }
    assert!(fx.seen().is_empty());
}

#[tokio::test]
async fn a_refused_connection_is_retryable() {
    // A port that was free a moment ago: nothing listens, so nothing can have been posted.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let creds = Credentials {
        token: Some("t".into()),
        base_url: Some(url.clone()),
        ..Credentials::default()
    };
    let result = connectors(&url, Duration::from_secs(5))
        .get("mastodon")
        .unwrap()
        .publish(&post("hi"), &creds, "k1")
        .await;
    assert!(
        matches!(result, Err(PublishError::Retryable { .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn private_addresses_are_refused_unless_egress_allows_them() {
    let fx = Fixture::start(|_| Answer::json(200, json!({"id": "1"}))).await;
    let creds = Credentials {
        token: Some("t".into()),
        base_url: Some(fx.url.clone()),
        ..Credentials::default()
    };
    let strict = Connectors::new(ConnectorSettings::default());
    let result = strict
        .get("mastodon")
        .unwrap()
        .publish(&post("hi"), &creds, "k1")
        .await;
    assert_eq!(code(result), codes::NOT_CONFIGURED);
    assert!(fx.seen().is_empty());
}
