use crate::code;
use crate::fixture::{Answer, Fixture, SHORT, SLOW};
use plasma_publishing::{ContentFormat, Credentials, Metrics, Post, PublishError, codes};
use serde_json::json;

const USER: &str = "5303d74c64f66366f00cb9b2a94f3251bf5";

fn creds() -> Credentials {
    Credentials {
        token: Some("medium-token".into()),
        account: Some(USER.into()),
        ..Credentials::default()
    }
}

fn created() -> Answer {
    Answer::json(
        201,
        json!({"data": {
            "id": "e6f36a",
            "title": "Liverpool FC",
            "authorId": USER,
            "url": "https://medium.com/@brand/liverpool-fc-e6f36a",
            "publishStatus": "public",
            "publishedAt": 1442286338435_i64,
        }}),
    )
}

fn article() -> Post {
    Post {
        title: Some("Liverpool FC".into()),
        text: "You'll never walk **alone**.".into(),
        tags: vec![
            "football".into(),
            "a tag that is far longer than twenty-five characters".into(),
            "sport".into(),
            "liverpool".into(),
            "premier league".into(),
            "anfield".into(),
            "history".into(),
        ],
        content_format: ContentFormat::Markdown,
        ..Post::default()
    }
}

#[tokio::test]
async fn publish_sends_the_documented_request() {
    let fx = Fixture::start(|_| created()).await;
    let published = fx
        .connector("medium")
        .publish(&article(), &creds(), "k1")
        .await
        .unwrap();
    assert_eq!(published.id, "e6f36a");
    assert_eq!(
        published.url.as_deref(),
        Some("https://medium.com/@brand/liverpool-fc-e6f36a")
    );
    assert_eq!(published.at.timestamp_millis(), 1442286338435);

    let posts = fx.posts();
    assert_eq!(posts.len(), 1);
    let seen = &posts[0];
    assert_eq!(seen.path, format!("/v1/users/{USER}/posts"));
    assert_eq!(seen.header("authorization"), "Bearer medium-token");
    assert_eq!(
        seen.json(),
        json!({
            "title": "Liverpool FC",
            "contentFormat": "markdown",
            "content": "# Liverpool FC\n\nYou'll never walk **alone**.",
            "tags": ["football", "sport", "liverpool", "premier league", "anfield"],
            "publishStatus": "public",
        })
    );
}

#[tokio::test]
async fn html_and_plain_text_go_as_html() {
    let fx = Fixture::start(|_| created()).await;
    let item = Post {
        text: "Fish & chips\n\nwith peas".into(),
        content_format: ContentFormat::Plain,
        tags: Vec::new(),
        ..article()
    };
    fx.connector("medium")
        .publish(&item, &creds(), "k1")
        .await
        .unwrap();
    let body = fx.posts()[0].json();
    assert_eq!(body["contentFormat"], "html");
    assert_eq!(
        body["content"],
        "<h1>Liverpool FC</h1><p>Fish &amp; chips</p><p>with peas</p>"
    );
}

#[tokio::test]
async fn without_a_title_nothing_is_sent() {
    let fx = Fixture::start(|_| created()).await;
    let item = Post {
        title: None,
        ..article()
    };
    let result = fx.connector("medium").publish(&item, &creds(), "k1").await;
    assert_eq!(code(result), codes::REJECTED);
    assert!(fx.seen().is_empty());
}

#[tokio::test]
async fn a_created_status_without_an_id_is_not_published() {
    let fx = Fixture::start(|_| Answer::json(201, json!({"data": {"title": "x"}}))).await;
    let result = fx
        .connector("medium")
        .publish(&article(), &creds(), "k1")
        .await;
    assert!(
        matches!(result, Err(PublishError::Ambiguous { .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn token_and_server_errors_are_classified() {
    let fx = Fixture::start(|_| {
        Answer::json(
            401,
            json!({"errors": [{"message": "Token was invalid.", "code": 6003}]}),
        )
    })
    .await;
    let result = fx
        .connector("medium")
        .publish(&article(), &creds(), "k1")
        .await;
    assert_eq!(code(result), codes::AUTH_INVALID);

    let fx = Fixture::start(|_| {
        Answer::json(
            401,
            json!({"errors": [{"message": "Token has expired.", "code": 6027}]}),
        )
    })
    .await;
    let result = fx
        .connector("medium")
        .publish(&article(), &creds(), "k1")
        .await;
    assert_eq!(code(result), codes::AUTH_EXPIRED);

    let fx = Fixture::start(|_| Answer::empty(500)).await;
    let result = fx
        .connector("medium")
        .publish(&article(), &creds(), "k1")
        .await;
    assert!(
        matches!(result, Err(PublishError::Retryable { .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn after_a_timeout_medium_cannot_tell_so_the_caller_must_not_repost() {
    let fx = Fixture::start(|_| created().after(SLOW)).await;
    let result = fx
        .connector_with_timeout("medium", SHORT)
        .publish(&article(), &creds(), "k1")
        .await;
    assert!(
        matches!(result, Err(PublishError::Ambiguous { .. })),
        "{result:?}"
    );
    let medium = fx.connector("medium");
    let lookup = medium.find_existing(&article(), &creds(), "k1").await;
    assert_eq!(code(lookup), codes::UNVERIFIABLE);
    assert_eq!(fx.seen().len(), 1, "no lookup request exists to make");

    let published = plasma_publishing::Published {
        id: "e6f36a".into(),
        url: None,
        part_ids: Vec::new(),
        at: chrono::Utc::now(),
    };
    assert_eq!(
        medium.metrics(&published, &creds()).await.unwrap(),
        Metrics::default()
    );
    assert_eq!(fx.seen().len(), 1);
}
