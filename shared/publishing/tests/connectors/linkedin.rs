use crate::code;
use crate::fixture::{Answer, Fixture, SHORT, SLOW};
use axum::http::Method;
use plasma_publishing::{ContentFormat, Credentials, Metrics, Post, PublishError, codes};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const AUTHOR: &str = "urn:li:person:42";

fn creds() -> Credentials {
    Credentials {
        token: Some("li-token".into()),
        account: Some(AUTHOR.into()),
        ..Credentials::default()
    }
}

enum Create {
    Normal,
    Slow,
    /// Created, but the answer lacks the `x-restli-id` header.
    NoUrn,
    Fail(u16, Value),
}

/// LinkedIn's Posts API: creates posts (URN in `x-restli-id`), refuses a commentary it
/// already has (422, as LinkedIn does), finds posts by author, and counts social actions.
async fn linkedin(script: Vec<Create>) -> (Fixture, Arc<Mutex<Vec<Value>>>) {
    let posts: Arc<Mutex<Vec<Value>>> = Arc::new(Mutex::new(vec![json!({
        "id": "urn:li:share:6999",
        "author": AUTHOR,
        "commentary": "An older post",
        "publishedAt": 1_700_000_000_000_i64,
    })]));
    let script = Mutex::new(VecDeque::from(script));
    let state = posts.clone();
    let fx = Fixture::start(move |seen| {
        let mut posts = state.lock().unwrap();
        if seen.is(Method::GET, "/rest/posts") {
            let mine: Vec<Value> = posts
                .iter()
                .rev()
                .filter(|p| Some(p["author"].as_str().unwrap()) == seen.query("author"))
                .cloned()
                .collect();
            return Answer::json(
                200,
                json!({"elements": mine, "paging": {"count": 10, "start": 0}}),
            );
        }
        if seen.method == Method::GET && seen.path.starts_with("/rest/socialActions/") {
            return Answer::json(
                200,
                json!({
                    "likesSummary": {"totalLikes": 12, "likedByCurrentUser": false},
                    "commentsSummary": {"aggregatedTotalComments": 3, "totalFirstLevelComments": 2},
                }),
            );
        }
        let step = script.lock().unwrap().pop_front().unwrap_or(Create::Normal);
        if let Create::Fail(status, body) = step {
            return Answer::json(status, body);
        }
        let body = seen.json();
        if let Some(dup) = posts.iter().find(|p| p["commentary"] == body["commentary"]) {
            let message = format!("Content is a duplicate of {}", dup["id"].as_str().unwrap());
            return Answer::json(422, json!({"status": 422, "message": message}));
        }
        let urn = format!("urn:li:share:{}", 7000 + posts.len());
        let mut stored = body.clone();
        stored["id"] = json!(urn);
        stored["publishedAt"] = json!(1_741_000_000_000_i64);
        posts.push(stored);
        match step {
            Create::Slow => Answer::empty(201).header("x-restli-id", &urn).after(SLOW),
            Create::NoUrn => Answer::empty(201),
            _ => Answer::empty(201).header("x-restli-id", &urn),
        }
    })
    .await;
    (fx, posts)
}

fn update() -> Post {
    Post {
        text: "Launch (v2) is live @ 9am — see *notes*".into(),
        link: Some("https://example.com/launch_v2".into()),
        tags: vec!["launch".into()],
        content_format: ContentFormat::Plain,
        ..Post::default()
    }
}

const COMMENTARY: &str = r"Launch \(v2\) is live \@ 9am — see \*notes\*

https://example.com/launch\_v2

#launch";

#[tokio::test]
async fn publish_sends_the_documented_request() {
    let (fx, _) = linkedin(vec![]).await;
    let published = fx
        .connector("linkedin")
        .publish(&update(), &creds(), "k1")
        .await
        .unwrap();
    assert_eq!(published.id, "urn:li:share:7001");
    assert_eq!(
        published.url.as_deref(),
        Some("https://www.linkedin.com/feed/update/urn:li:share:7001")
    );

    let posts = fx.posts();
    assert_eq!(posts.len(), 1);
    let seen = &posts[0];
    assert_eq!(seen.path, "/rest/posts");
    assert_eq!(seen.header("authorization"), "Bearer li-token");
    assert_eq!(seen.header("linkedin-version"), "202501");
    assert_eq!(seen.header("x-restli-protocol-version"), "2.0.0");
    assert_eq!(
        seen.json(),
        json!({
            "author": AUTHOR,
            "commentary": COMMENTARY,
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": false,
        })
    );
}

#[tokio::test]
async fn a_created_status_without_the_urn_is_not_published() {
    let (fx, _) = linkedin(vec![Create::NoUrn]).await;
    let linkedin = fx.connector("linkedin");
    let result = linkedin.publish(&update(), &creds(), "k1").await;
    assert!(
        matches!(result, Err(PublishError::Ambiguous { .. })),
        "{result:?}"
    );
    // The lookup the caller then makes finds what was created.
    let found = linkedin
        .find_existing(&update(), &creds(), "k1")
        .await
        .unwrap();
    assert_eq!(found.unwrap().id, "urn:li:share:7001");
}

#[tokio::test]
async fn expired_and_invalid_tokens_are_told_apart() {
    for (body, expect) in [
        (
            json!({"serviceErrorCode": 65601, "message": "The token used in the request has been revoked or expired", "status": 401}),
            codes::AUTH_EXPIRED,
        ),
        (
            json!({"serviceErrorCode": 65600, "message": "Invalid access token", "status": 401}),
            codes::AUTH_INVALID,
        ),
    ] {
        let (fx, _) = linkedin(vec![Create::Fail(401, body)]).await;
        let result = fx
            .connector("linkedin")
            .publish(&update(), &creds(), "k1")
            .await;
        assert_eq!(code(result), expect);
    }
    let (fx, _) = linkedin(vec![Create::Fail(
        403,
        json!({"serviceErrorCode": 100, "message": "Not enough permissions to access: partnerApiPostsExternal.CREATE.20250101", "status": 403}),
    )])
    .await;
    let result = fx
        .connector("linkedin")
        .publish(&update(), &creds(), "k1")
        .await;
    assert_eq!(code(result), codes::FORBIDDEN);
}

#[tokio::test]
async fn server_errors_and_rate_limits_are_retryable() {
    let (fx, posts) = linkedin(vec![Create::Fail(
        503,
        json!({"message": "Service Unavailable", "status": 503}),
    )])
    .await;
    let linkedin = fx.connector("linkedin");
    let first = linkedin.publish(&update(), &creds(), "k1").await;
    assert!(
        matches!(first, Err(PublishError::Retryable { .. })),
        "{first:?}"
    );
    linkedin.publish(&update(), &creds(), "k1").await.unwrap();
    assert_eq!(posts.lock().unwrap().len(), 2, "the older post and one new");

    let fx = Fixture::start(|_| {
        Answer::json(429, json!({"message": "Too Many Requests", "status": 429}))
            .header("retry-after", "120")
    })
    .await;
    let result = fx
        .connector("linkedin")
        .publish(&update(), &creds(), "k1")
        .await;
    match result {
        Err(PublishError::Retryable { retry_after, .. }) => {
            assert_eq!(retry_after, Some(Duration::from_secs(120)))
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn after_a_timeout_the_post_is_found_by_its_commentary() {
    let (fx, posts) = linkedin(vec![Create::Slow]).await;
    let result = fx
        .connector_with_timeout("linkedin", SHORT)
        .publish(&update(), &creds(), "k1")
        .await;
    assert!(
        matches!(result, Err(PublishError::Ambiguous { .. })),
        "{result:?}"
    );

    let linkedin = fx.connector("linkedin");
    let found = linkedin
        .find_existing(&update(), &creds(), "k1")
        .await
        .unwrap()
        .expect("the accepted post");
    assert_eq!(found.id, "urn:li:share:7001");
    assert_eq!(found.at.timestamp_millis(), 1_741_000_000_000);
    assert_eq!(posts.lock().unwrap().len(), 2);

    let lookup = fx
        .seen()
        .into_iter()
        .find(|s| s.method == Method::GET)
        .unwrap();
    assert_eq!(lookup.path, "/rest/posts");
    assert!(
        lookup.raw_query.contains("author=urn%3Ali%3Aperson%3A42"),
        "{}",
        lookup.raw_query
    );
    assert_eq!(lookup.query("q"), Some("author"));
    assert_eq!(lookup.query("count"), Some("10"));
    assert_eq!(lookup.header("authorization"), "Bearer li-token");
    assert_eq!(lookup.header("linkedin-version"), "202501");
    assert_eq!(lookup.header("x-restli-protocol-version"), "2.0.0");

    // Different content is not mistaken for it.
    let other = Post {
        text: "Another update".into(),
        ..update()
    };
    assert_eq!(
        linkedin
            .find_existing(&other, &creds(), "k2")
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn a_duplicate_refusal_returns_the_post_already_there() {
    let (fx, posts) = linkedin(vec![]).await;
    let linkedin = fx.connector("linkedin");
    let first = linkedin.publish(&update(), &creds(), "k1").await.unwrap();
    let again = linkedin.publish(&update(), &creds(), "k1").await.unwrap();
    assert_eq!(again.id, first.id);
    assert_eq!(posts.lock().unwrap().len(), 2);
    assert_eq!(
        fx.posts().len(),
        2,
        "the second create was refused as a duplicate"
    );
}

#[tokio::test]
async fn metrics_come_from_social_actions() {
    let (fx, _) = linkedin(vec![]).await;
    let linkedin = fx.connector("linkedin");
    let published = linkedin.publish(&update(), &creds(), "k1").await.unwrap();
    let metrics = linkedin.metrics(&published, &creds()).await.unwrap();
    assert_eq!(
        metrics,
        Metrics {
            reactions: Some(12),
            comments: Some(3),
            ..Metrics::default()
        }
    );
    let seen = fx.seen().into_iter().last().unwrap();
    assert_eq!(seen.method, Method::GET);
    assert_eq!(seen.path, "/rest/socialActions/urn%3Ali%3Ashare%3A7001");
    assert_eq!(seen.header("authorization"), "Bearer li-token");
    assert_eq!(seen.header("linkedin-version"), "202501");
}

#[tokio::test]
async fn a_token_that_cannot_read_posts_makes_the_lookup_unverifiable() {
    // Member tokens can post with w_member_social; reading posts back needs the restricted
    // r_member_social. "Cannot look" must not read as "not there".
    let fx = Fixture::start(|_| {
        Answer::json(
            403,
            json!({"serviceErrorCode": 100, "message": "Not enough permissions to access: partnerApiPostsExternal.FINDER-author.20250101", "status": 403}),
        )
    })
    .await;
    let result = fx
        .connector("linkedin")
        .find_existing(&update(), &creds(), "k1")
        .await;
    assert_eq!(code(result), codes::UNVERIFIABLE);
}
