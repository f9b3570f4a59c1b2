use crate::fixture::{Answer, Fixture, SHORT, SLOW};
use crate::{code, post};
use axum::http::Method;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use plasma_publishing::{ContentFormat, Credentials, Metrics, Post, PublishError, codes};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

const POSTS: &str = "/wp-json/wp/v2/posts";

fn creds(fx: &Fixture) -> Credentials {
    Credentials {
        base_url: Some(format!("{}/", fx.url)),
        username: Some("editor".into()),
        password: Some("abcd efgh ijkl mnop".into()),
        ..Credentials::default()
    }
}

/// How the site answers one create request.
enum Create {
    Normal,
    /// Creates the post but answers only after a delay.
    Slow,
    /// Answers this without creating anything.
    Fail(u16, Value),
}

/// A WordPress site: creates posts, lists them by slug and status. The i-th create follows
/// `script[i]`, then `Normal`.
async fn site(script: Vec<Create>) -> (Fixture, Arc<Mutex<Vec<Value>>>) {
    let posts: Arc<Mutex<Vec<Value>>> = Arc::default();
    let script = Mutex::new(VecDeque::from(script));
    let state = posts.clone();
    let fx = Fixture::start(move |seen| {
        let mut posts = state.lock().unwrap();
        if seen.is(Method::GET, POSTS) {
            let found: Vec<&Value> = posts
                .iter()
                .filter(|p| Some(p["slug"].as_str().unwrap()) == seen.query("slug"))
                .collect();
            return Answer::json(200, json!(found));
        }
        let step = script.lock().unwrap().pop_front().unwrap_or(Create::Normal);
        if let Create::Fail(status, body) = step {
            return Answer::json(status, body);
        }
        let body = seen.json();
        let id = posts.len() as u64 + 101;
        let created = json!({
            "id": id,
            "slug": body["slug"],
            "status": body["status"],
            "date_gmt": "2025-03-04T05:06:07",
            "link": format!("https://blog.example.com/{}/", body["slug"].as_str().unwrap()),
        });
        posts.push(created.clone());
        match step {
            Create::Slow => Answer::json(201, created).after(SLOW),
            _ => Answer::json(201, created),
        }
    })
    .await;
    (fx, posts)
}

fn article() -> Post {
    Post {
        title: Some("Launch notes".into()),
        text: "We **shipped** it.".into(),
        tags: vec!["release".into()],
        content_format: ContentFormat::Markdown,
        ..Post::default()
    }
}

#[tokio::test]
async fn publish_sends_the_documented_request() {
    let (fx, _) = site(vec![]).await;
    let published = fx
        .connector("wordpress")
        .publish(&article(), &creds(&fx), "Item_42:WordPress")
        .await
        .unwrap();
    assert_eq!(published.id, "101");
    assert_eq!(
        published.url.as_deref(),
        Some("https://blog.example.com/item-42-wordpress/")
    );

    let posts = fx.posts();
    assert_eq!(posts.len(), 1);
    let seen = &posts[0];
    assert_eq!(seen.path, POSTS);
    let basic = format!("Basic {}", STANDARD.encode("editor:abcd efgh ijkl mnop"));
    assert_eq!(seen.header("authorization"), basic);
    assert_eq!(
        seen.json(),
        json!({
            "title": "Launch notes",
            "content": "<p>We <strong>shipped</strong> it.</p>\n",
            "status": "publish",
            "slug": "item-42-wordpress",
        })
    );
}

#[tokio::test]
async fn a_success_without_an_id_is_not_published() {
    let fx =
        Fixture::start(|_| Answer::json(201, json!({"link": "https://blog.example.com/x/"}))).await;
    let result = fx
        .connector("wordpress")
        .publish(&article(), &creds(&fx), "k1")
        .await;
    assert!(
        matches!(result, Err(PublishError::Ambiguous { .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn bad_credentials_and_missing_rights_are_permanent() {
    for (status, body, expect) in [
        (
            401,
            json!({"code": "incorrect_password", "message": "The provided password is an invalid application password."}),
            codes::AUTH_INVALID,
        ),
        (
            401,
            json!({"code": "rest_not_logged_in", "message": "You are not currently logged in."}),
            codes::AUTH_INVALID,
        ),
        (
            403,
            json!({"code": "rest_cannot_create", "message": "Sorry, you are not allowed to create posts as this user."}),
            codes::FORBIDDEN,
        ),
        (
            400,
            json!({"code": "rest_invalid_param", "message": "Invalid parameter(s): status"}),
            codes::REJECTED,
        ),
    ] {
        let (fx, _) = site(vec![Create::Fail(status, body)]).await;
        let result = fx
            .connector("wordpress")
            .publish(&article(), &creds(&fx), "k1")
            .await;
        assert_eq!(code(result), expect, "{status}");
    }
}

#[tokio::test]
async fn a_server_error_then_success_makes_one_post() {
    let (fx, posts) = site(vec![Create::Fail(
        500,
        json!({"code": "internal_server_error", "message": "There has been a critical error."}),
    )])
    .await;
    let wordpress = fx.connector("wordpress");
    let first = wordpress.publish(&article(), &creds(&fx), "k1").await;
    assert!(
        matches!(first, Err(PublishError::Retryable { .. })),
        "{first:?}"
    );
    wordpress
        .publish(&article(), &creds(&fx), "k1")
        .await
        .unwrap();
    assert_eq!(posts.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn after_a_timeout_the_post_is_found_by_its_slug() {
    let (fx, posts) = site(vec![Create::Slow]).await;
    let result = fx
        .connector_with_timeout("wordpress", SHORT)
        .publish(&article(), &creds(&fx), "item-42:wordpress")
        .await;
    assert!(
        matches!(result, Err(PublishError::Ambiguous { .. })),
        "{result:?}"
    );

    let wordpress = fx.connector("wordpress");
    let found = wordpress
        .find_existing(&article(), &creds(&fx), "item-42:wordpress")
        .await
        .unwrap()
        .expect("the accepted post");
    assert_eq!(found.id, "101");
    assert_eq!(found.at.to_rfc3339(), "2025-03-04T05:06:07+00:00");
    assert_eq!(posts.lock().unwrap().len(), 1);

    let lookup = fx
        .seen()
        .into_iter()
        .find(|s| s.method == Method::GET)
        .unwrap();
    assert_eq!(lookup.path, POSTS);
    assert_eq!(lookup.query("slug"), Some("item-42-wordpress"));
    assert_eq!(lookup.query("status"), Some("publish,future,draft"));
    assert!(lookup.header("authorization").starts_with("Basic "));

    // Another item's key finds nothing: safe to post.
    assert_eq!(
        wordpress
            .find_existing(&article(), &creds(&fx), "item-43:wordpress")
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn metrics_are_empty_without_asking_the_site() {
    let (fx, _) = site(vec![]).await;
    let wordpress = fx.connector("wordpress");
    let published = wordpress
        .publish(&post("hello"), &creds(&fx), "k1")
        .await
        .unwrap();
    let metrics = wordpress.metrics(&published, &creds(&fx)).await.unwrap();
    assert_eq!(metrics, Metrics::default());
    assert_eq!(fx.seen().len(), 1);
}
