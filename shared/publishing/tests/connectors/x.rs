use crate::fixture::{Answer, Fixture, SHORT, SLOW};
use crate::{code, post};
use axum::http::Method;
use plasma_publishing::{ContentFormat, Credentials, Metrics, Post, PublishError, codes};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const USER: &str = "2244994945";

fn creds() -> Credentials {
    Credentials {
        token: Some("x-user-token".into()),
        account: Some(USER.into()),
        ..Credentials::default()
    }
}

enum Create {
    Normal,
    Slow,
    /// Created, but the answer has no `data.id`.
    NoId,
    Fail(u16, Value),
}

#[derive(Clone)]
struct Tweet {
    id: String,
    text: String,
    reply_to: Option<String>,
}

/// X API v2: creates posts (refusing text it already has, as X does), lists the user's posts
/// the way X returns them (links rewritten to t.co, `&` as `&amp;`), and reports metrics.
async fn x(script: Vec<Create>) -> (Fixture, Arc<Mutex<Vec<Tweet>>>) {
    let tweets: Arc<Mutex<Vec<Tweet>>> = Arc::default();
    let script = Mutex::new(VecDeque::from(script));
    let state = tweets.clone();
    let fx = Fixture::start(move |seen| {
        let mut tweets = state.lock().unwrap();
        if seen.is(Method::GET, &format!("/2/users/{USER}/tweets")) {
            let data: Vec<Value> = tweets
                .iter()
                .rev()
                .map(|t| {
                    let shown: Vec<String> = t
                        .text
                        .replace('&', "&amp;")
                        .split(' ')
                        .map(|w| {
                            if w.starts_with("https://") {
                                "https://t.co/Ab12".to_string()
                            } else {
                                w.to_string()
                            }
                        })
                        .collect();
                    let mut v = json!({
                        "id": t.id,
                        "text": shown.join(" "),
                        "created_at": "2025-03-04T05:06:07.000Z",
                        "edit_history_tweet_ids": [t.id],
                    });
                    if let Some(parent) = &t.reply_to {
                        v["referenced_tweets"] = json!([{"type": "replied_to", "id": parent}]);
                    }
                    v
                })
                .collect();
            let count = data.len();
            return if count == 0 {
                Answer::json(200, json!({"meta": {"result_count": 0}}))
            } else {
                Answer::json(200, json!({"data": data, "meta": {"result_count": count}}))
            };
        }
        if seen.is(Method::GET, "/2/tweets") {
            return Answer::json(
                200,
                json!({"data": [{
                    "id": seen.query("ids").unwrap(),
                    "text": "…",
                    "public_metrics": {
                        "retweet_count": 4, "reply_count": 6, "like_count": 30,
                        "quote_count": 1, "bookmark_count": 2, "impression_count": 1500
                    }
                }]}),
            );
        }
        let step = script.lock().unwrap().pop_front().unwrap_or(Create::Normal);
        if let Create::Fail(status, body) = step {
            return Answer::json(status, body);
        }
        let body = seen.json();
        let text = body["text"].as_str().unwrap().to_string();
        if tweets.iter().any(|t| t.text == text) {
            return Answer::json(
                403,
                json!({"detail": "You are not allowed to create a Tweet with duplicate content.", "type": "about:blank", "title": "Forbidden", "status": 403}),
            );
        }
        let id = format!("18{:02}", tweets.len() + 1);
        tweets.push(Tweet {
            id: id.clone(),
            text: text.clone(),
            reply_to: body
                .pointer("/reply/in_reply_to_tweet_id")
                .and_then(Value::as_str)
                .map(str::to_string),
        });
        let created = json!({"data": {"id": id, "text": text, "edit_history_tweet_ids": [id]}});
        match step {
            Create::Slow => Answer::json(201, created).after(SLOW),
            Create::NoId => Answer::json(201, json!({"data": {"text": text}})),
            _ => Answer::json(201, created),
        }
    })
    .await;
    (fx, tweets)
}

fn thread() -> Post {
    Post {
        text: "ignored for X when a thread is given".into(),
        thread: vec![
            "1/ Why we rebuilt".into(),
            "2/ What changed".into(),
            "3/ What is next".into(),
        ],
        content_format: ContentFormat::Plain,
        ..Post::default()
    }
}

fn texts_posted(fx: &Fixture) -> Vec<String> {
    fx.posts()
        .iter()
        .map(|s| s.json()["text"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_single_post_sends_the_documented_request() {
    let (fx, _) = x(vec![]).await;
    let item = Post {
        text: "Shipping today".into(),
        link: Some("https://example.com/ship".into()),
        tags: vec!["buildinpublic".into()],
        content_format: ContentFormat::Plain,
        ..Post::default()
    };
    let published = fx
        .connector("x")
        .publish(&item, &creds(), "k1")
        .await
        .unwrap();
    assert_eq!(published.id, "1801");
    assert_eq!(
        published.url.as_deref(),
        Some("https://x.com/i/web/status/1801")
    );
    assert!(published.part_ids.is_empty());

    let seen = fx.seen();
    assert_eq!(seen.len(), 1, "a single post needs no lookup first");
    assert!(seen[0].is(Method::POST, "/2/tweets"));
    assert_eq!(seen[0].header("authorization"), "Bearer x-user-token");
    assert_eq!(
        seen[0].json(),
        json!({"text": "Shipping today\n\nhttps://example.com/ship\n\n#buildinpublic"})
    );
}

#[tokio::test]
async fn a_created_status_without_an_id_is_not_published() {
    let (fx, _) = x(vec![Create::NoId]).await;
    let result = fx
        .connector("x")
        .publish(&post("hello"), &creds(), "k1")
        .await;
    assert!(
        matches!(result, Err(PublishError::Ambiguous { .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn expired_and_invalid_tokens_are_told_apart() {
    let expired = Fixture::start(|_| {
        Answer::json(401, json!({"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}))
            .header("www-authenticate", r#"Bearer error="invalid_token", error_description="The access token expired""#)
    })
    .await;
    let result = expired
        .connector("x")
        .publish(&post("hi"), &creds(), "k1")
        .await;
    assert_eq!(code(result), codes::AUTH_EXPIRED);

    let invalid = Fixture::start(|_| {
        Answer::json(401, json!({"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}))
    })
    .await;
    let result = invalid
        .connector("x")
        .publish(&post("hi"), &creds(), "k1")
        .await;
    assert_eq!(code(result), codes::AUTH_INVALID);
}

#[tokio::test]
async fn a_thread_chains_each_part_to_the_previous_one() {
    let (fx, _) = x(vec![]).await;
    let published = fx
        .connector("x")
        .publish(&thread(), &creds(), "k1")
        .await
        .unwrap();
    assert_eq!(published.part_ids, ["1801", "1802", "1803"]);
    assert_eq!(published.id, "1801");

    let posts = fx.posts();
    let bodies: Vec<Value> = posts.iter().map(|s| s.json()).collect();
    assert_eq!(
        bodies,
        [
            json!({"text": "1/ Why we rebuilt"}),
            json!({"text": "2/ What changed", "reply": {"in_reply_to_tweet_id": "1801"}}),
            json!({"text": "3/ What is next", "reply": {"in_reply_to_tweet_id": "1802"}}),
        ]
    );
}

#[tokio::test]
async fn a_thread_that_fails_part_way_resumes_without_reposting() {
    let (fx, tweets) = x(vec![
        Create::Normal,
        Create::Fail(503, json!({"title": "Service Unavailable", "status": 503})),
    ])
    .await;
    let connector = fx.connector("x");
    let failed = connector.publish(&thread(), &creds(), "k1").await;
    match &failed {
        Err(PublishError::Retryable { reason, .. }) => {
            assert!(reason.contains("thread part 2 of 3"), "{reason}");
            assert!(reason.contains("[1801]"), "{reason}");
        }
        other => panic!("{other:?}"),
    }

    let published = connector.publish(&thread(), &creds(), "k1").await.unwrap();
    assert_eq!(published.part_ids, ["1801", "1802", "1803"]);
    assert_eq!(
        texts_posted(&fx),
        [
            "1/ Why we rebuilt",
            "2/ What changed",
            "2/ What changed",
            "3/ What is next"
        ],
        "part 1 once; part 2 again only because its first try failed"
    );
    let chain: Vec<Option<String>> = tweets
        .lock()
        .unwrap()
        .iter()
        .map(|t| t.reply_to.clone())
        .collect();
    assert_eq!(chain, [None, Some("1801".into()), Some("1802".into())]);
}

#[tokio::test]
async fn a_partial_thread_is_not_found_but_a_complete_one_is() {
    let (fx, _) = x(vec![
        Create::Normal,
        Create::Fail(500, json!({"title": "Internal Error", "status": 500})),
    ])
    .await;
    let connector = fx.connector("x");
    assert!(connector.publish(&thread(), &creds(), "k1").await.is_err());
    assert_eq!(
        connector
            .find_existing(&thread(), &creds(), "k1")
            .await
            .unwrap(),
        None
    );
    connector.publish(&thread(), &creds(), "k1").await.unwrap();
    let found = connector
        .find_existing(&thread(), &creds(), "k1")
        .await
        .unwrap()
        .expect("the complete thread");
    assert_eq!(found.part_ids, ["1801", "1802", "1803"]);
    assert_eq!(found.at.to_rfc3339(), "2025-03-04T05:06:07+00:00");
}

#[tokio::test]
async fn after_a_timeout_the_post_is_found_by_its_text() {
    let (fx, tweets) = x(vec![Create::Slow]).await;
    let item = Post {
        text: "Fish & chips, reviewed".into(),
        link: Some("https://example.com/fish".into()),
        content_format: ContentFormat::Plain,
        ..Post::default()
    };
    let result = fx
        .connector_with_timeout("x", SHORT)
        .publish(&item, &creds(), "k1")
        .await;
    assert!(
        matches!(result, Err(PublishError::Ambiguous { .. })),
        "{result:?}"
    );

    let connector = fx.connector("x");
    let found = connector
        .find_existing(&item, &creds(), "k1")
        .await
        .unwrap()
        .expect("the accepted post, despite t.co and &amp;");
    assert_eq!(found.id, "1801");
    assert_eq!(tweets.lock().unwrap().len(), 1);

    let lookup = fx
        .seen()
        .into_iter()
        .find(|s| s.method == Method::GET)
        .unwrap();
    assert_eq!(lookup.path, format!("/2/users/{USER}/tweets"));
    assert_eq!(lookup.query("max_results"), Some("10"));
    assert!(lookup.query("tweet.fields").unwrap().contains("created_at"));
    assert_eq!(lookup.header("authorization"), "Bearer x-user-token");

    assert_eq!(
        connector
            .find_existing(&post("something else"), &creds(), "k2")
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn a_duplicate_refusal_returns_the_post_already_there() {
    let (fx, tweets) = x(vec![]).await;
    let connector = fx.connector("x");
    let first = connector
        .publish(&post("hello"), &creds(), "k1")
        .await
        .unwrap();
    let again = connector
        .publish(&post("hello"), &creds(), "k1")
        .await
        .unwrap();
    assert_eq!(again.id, first.id);
    assert_eq!(tweets.lock().unwrap().len(), 1);

    // Without the user id nothing can be looked up: the refusal stands.
    let anonymous = Credentials {
        account: None,
        ..creds()
    };
    let result = connector.publish(&post("hello"), &anonymous, "k1").await;
    assert_eq!(code(result), codes::REJECTED);
}

#[tokio::test]
async fn metrics_map_public_metrics() {
    let (fx, _) = x(vec![]).await;
    let connector = fx.connector("x");
    let single = connector
        .publish(&post("hello"), &creds(), "k1")
        .await
        .unwrap();
    let metrics = connector.metrics(&single, &creds()).await.unwrap();
    assert_eq!(
        metrics,
        Metrics {
            impressions: Some(1500),
            reactions: Some(30),
            comments: Some(6),
            shares: Some(5),
            clicks: None,
        }
    );
    let seen = fx.seen().into_iter().last().unwrap();
    assert!(seen.is(Method::GET, "/2/tweets"));
    assert_eq!(seen.query("ids"), Some("1801"));
    assert_eq!(seen.query("tweet.fields"), Some("public_metrics"));

    // A thread's own second part is a reply to the first, not a comment.
    let thread = connector.publish(&thread(), &creds(), "k2").await.unwrap();
    let metrics = connector.metrics(&thread, &creds()).await.unwrap();
    assert_eq!(metrics.comments, Some(5));
}

#[tokio::test]
async fn a_rate_limit_carries_the_reset_time() {
    let reset = (chrono::Utc::now().timestamp() + 60).to_string();
    let fx = Fixture::start(move |_| {
        Answer::json(
            429,
            json!({"title": "Too Many Requests", "detail": "Too Many Requests", "status": 429}),
        )
        .header("x-rate-limit-limit", "15")
        .header("x-rate-limit-remaining", "0")
        .header("x-rate-limit-reset", &reset)
    })
    .await;
    let published = plasma_publishing::Published {
        id: "1801".into(),
        url: None,
        part_ids: Vec::new(),
        at: chrono::Utc::now(),
    };
    match fx.connector("x").metrics(&published, &creds()).await {
        Err(PublishError::Retryable {
            retry_after: Some(wait),
            ..
        }) => {
            assert!(
                wait > Duration::from_secs(50) && wait <= Duration::from_secs(60),
                "{wait:?}"
            )
        }
        other => panic!("{other:?}"),
    }
}
