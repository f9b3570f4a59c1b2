//! The search API connectors: request shape, normalisation and cursor progression.

use crate::fixture::{http, query, serve};
use axum::Json;
use axum::Router;
use axum::extract::Query;
use axum::routing::get;
use chrono::{DateTime, TimeZone, Utc};
use plasma_brand::sources::{
    Cursor, HackerNewsSource, MastodonSource, NewsApiSource, REDDIT_USER_AGENT, RedditSource,
    Source, SourceError, SourceQuery, XSource, url_id,
};
use serde_json::{Value, json};
use std::collections::HashMap;

type Params = Query<HashMap<String, String>>;

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .unwrap()
        .with_timezone(&Utc)
}

#[tokio::test]
async fn newsapi_sends_the_key_and_time_window_and_moves_the_cursor() {
    let router = Router::new().route(
        "/v2/everything",
        get(|| async {
            Json(json!({
                "status": "ok", "totalResults": 3,
                "articles": [
                    {"source": {"id": null, "name": "Daily Planet"}, "author": null,
                     "title": "Acme &amp; Co raise prices", "description": "<b>Big</b> news",
                     "url": "https://planet.example/acme?utm_campaign=x",
                     "publishedAt": "2025-06-10T10:00:00Z", "content": "Big news… [+200 chars]"},
                    {"source": {"id": "wire", "name": "Wire"}, "author": "R. Porter",
                     "title": "Acme earnings", "description": null, "url": "https://wire.example/e",
                     "publishedAt": "2025-06-10T12:30:00Z", "content": "Earnings up"},
                    {"source": {"id": null, "name": "[Removed]"}, "author": null,
                     "title": "[Removed]", "description": "[Removed]", "url": "[Removed]",
                     "publishedAt": "1970-01-01T00:00:00Z", "content": "[Removed]"}
                ]
            }))
        }),
    );
    let server = serve(router).await;
    let source = NewsApiSource::new(http(), &server.base, "secret-key");
    assert_eq!(source.kind(), "newsapi");
    let search = SourceQuery {
        since: Some(at("2025-06-09T00:00:00Z")),
        ..query("\"acme corp\" OR acme")
    };
    let fetched = source.fetch(&search, None).await.unwrap();
    assert_eq!(fetched.mentions.len(), 2);
    let m = &fetched.mentions[0];
    assert_eq!(m.url, "https://planet.example/acme");
    assert_eq!(m.id, url_id("https://planet.example/acme"));
    assert_eq!(m.text, "Acme & Co raise prices\nBig news");
    assert_eq!(m.author.as_deref(), Some("Daily Planet"));
    assert_eq!(fetched.mentions[1].text, "Acme earnings\nEarnings up");
    assert_eq!(fetched.cursor.since, Some(at("2025-06-10T12:30:00Z")));

    source.fetch(&search, Some(fetched.cursor)).await.unwrap();
    let seen = server.seen();
    assert_eq!(seen[0].header("x-api-key"), Some("secret-key"));
    assert_eq!(seen[0].param("q"), Some("\"acme corp\" OR acme"));
    assert_eq!(seen[0].param("sortBy"), Some("publishedAt"));
    assert_eq!(seen[0].param("pageSize"), Some("20"));
    assert_eq!(seen[0].param("from"), Some("2025-06-09T00:00:00Z"));
    assert_eq!(seen[1].param("from"), Some("2025-06-10T12:30:00Z"));
}

#[tokio::test]
async fn an_api_answer_of_the_wrong_shape_is_malformed() {
    let router = Router::new().route(
        "/v2/everything",
        get(|| async { Json(json!({"status": "ok", "articles": "none"})) }),
    );
    let server = serve(router).await;
    let err = NewsApiSource::new(http(), &server.base, "k")
        .fetch(&query("acme"), None)
        .await
        .unwrap_err();
    assert!(matches!(err, SourceError::Malformed { .. }), "{err:?}");
}

#[tokio::test]
async fn hacker_news_filters_by_creation_time_and_maps_stories_and_comments() {
    let router = Router::new().route(
        "/api/v1/search_by_date",
        get(|| async {
            Json(json!({"hits": [
                {"objectID": "101", "title": "Show HN: Acme", "url": "https://acme.example/#x",
                 "author": "pg", "points": 42, "num_comments": 8, "created_at_i": 1749550000,
                 "story_text": null, "comment_text": null, "story_title": null},
                {"objectID": "102", "title": null, "story_title": "Show HN: Acme",
                 "comment_text": "<p>I use <i>Acme</i> daily &gt; others</p>", "url": null,
                 "author": "dang", "points": null, "num_comments": null, "created_at_i": 1749550100}
            ], "nbHits": 2}))
        }),
    );
    let server = serve(router).await;
    let source = HackerNewsSource::new(http(), &server.base);
    let fetched = source.fetch(&query("acme"), None).await.unwrap();
    let [story, comment] = fetched.mentions.as_slice() else {
        panic!("{:?}", fetched.mentions)
    };
    assert_eq!(story.id, "hackernews:101");
    assert_eq!(story.url, "https://acme.example/");
    assert_eq!(story.engagement, Some(50));
    assert_eq!(comment.url, "https://news.ycombinator.com/item?id=102");
    assert_eq!(comment.text, "Show HN: Acme\nI use Acme daily > others");
    assert_eq!(comment.author.as_deref(), Some("dang"));
    assert_eq!(
        fetched.cursor.since,
        Utc.timestamp_opt(1749550100, 0).single()
    );

    source
        .fetch(&query("acme"), Some(fetched.cursor))
        .await
        .unwrap();
    let seen = server.seen();
    assert_eq!(seen[0].param("query"), Some("acme"));
    assert_eq!(seen[0].param("tags"), Some("(story,comment)"));
    assert_eq!(seen[0].param("numericFilters"), None);
    // One second of overlap with the newest item seen.
    assert_eq!(
        seen[1].param("numericFilters"),
        Some("created_at_i>1749550099")
    );
}

fn reddit_post(name: &str, created: i64) -> Value {
    json!({"kind": "t3", "data": {
        "id": name.trim_start_matches("t3_"), "name": name, "title": format!("Post {name} about Acme &amp; more"),
        "selftext": "Is &lt;Acme&gt; good?", "permalink": format!("/r/tech/comments/{name}/x/"),
        "url": "https://www.reddit.com/r/tech", "author": "someone", "created_utc": created as f64,
        "score": 10, "num_comments": 3, "subreddit_subscribers": 5000
    }})
}

#[tokio::test]
async fn reddit_pages_back_through_after_until_it_reaches_what_it_saw() {
    // Newest first: c, b on page one; a on page two.
    let router = Router::new().route(
        "/search.json",
        get(|Query(params): Params| async move {
            let page = match params.get("after").map(String::as_str) {
                None => json!({"children": [reddit_post("t3_c", 300), reddit_post("t3_b", 200)], "after": "t3_b"}),
                Some("t3_b") => json!({"children": [reddit_post("t3_a", 100)], "after": null}),
                Some(_) => json!({"children": [], "after": null}),
            };
            Json(json!({"kind": "Listing", "data": page}))
        }),
    );
    let server = serve(router).await;
    let source = RedditSource::new(http(), &server.base, REDDIT_USER_AGENT, 5);
    let fetched = source.fetch(&query("acme"), None).await.unwrap();
    let ids: Vec<&str> = fetched.mentions.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["reddit:t3_c", "reddit:t3_b", "reddit:t3_a"]);
    let c = &fetched.mentions[0];
    assert_eq!(c.url, "https://www.reddit.com/r/tech/comments/t3_c/x/");
    assert_eq!(c.text, "Post t3_c about Acme & more\nIs <Acme> good?");
    assert_eq!((c.reach, c.engagement), (Some(5000), Some(13)));
    assert_eq!(fetched.cursor.since_id.as_deref(), Some("t3_c"));

    // Nothing new: the first page already holds the newest item seen, so no second page.
    let again = source
        .fetch(&query("acme"), Some(fetched.cursor))
        .await
        .unwrap();
    assert!(again.mentions.is_empty(), "{:?}", again.mentions);

    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[0].param("after"), None);
    assert_eq!(seen[1].param("after"), Some("t3_b"));
    assert_eq!(seen[2].param("after"), None);
    for s in &seen {
        assert_eq!(s.path, "/search.json");
        assert_eq!(s.param("q"), Some("acme"));
        assert_eq!(s.param("sort"), Some("new"));
        assert_eq!(s.param("limit"), Some("20"));
        assert_eq!(s.header("user-agent"), Some(REDDIT_USER_AGENT));
    }
}

fn status(id: u64, text: &str) -> Value {
    json!({
        "id": id.to_string(), "uri": format!("https://social.example/users/ann/statuses/{id}"),
        "url": format!("https://social.example/@ann/{id}"), "created_at": "2025-06-10T08:00:00.000Z",
        "content": format!("<p>{text} <a href=\"https://social.example/tags/acme\">#<span>acme</span></a></p>"),
        "language": "en", "account": {"acct": "ann", "followers_count": 120},
        "favourites_count": 4, "reblogs_count": 2, "replies_count": 1
    })
}

#[tokio::test]
async fn mastodon_moves_forward_with_since_id() {
    let router = Router::new().route(
        "/api/v1/timelines/tag/{tag}",
        get(|Query(params): Params| async move {
            let all = [(9999u64, "old"), (10000u64, "newer")];
            let since: u64 = params
                .get("since_id")
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            let mut statuses: Vec<Value> = all
                .iter()
                .filter(|(id, _)| *id > since)
                .map(|(id, t)| status(*id, t))
                .collect();
            statuses.reverse();
            Json(statuses)
        }),
    );
    let server = serve(router).await;
    let source = MastodonSource::new(http(), &server.base);
    let first = source.fetch(&query("#acme"), None).await.unwrap();
    assert_eq!(first.mentions.len(), 2);
    let newest = &first.mentions[0];
    assert_eq!(newest.text, "newer #acme");
    assert_eq!(newest.url, "https://social.example/@ann/10000");
    assert_eq!(newest.author.as_deref(), Some("ann"));
    assert_eq!(newest.language.as_deref(), Some("en"));
    assert_eq!((newest.reach, newest.engagement), (Some(120), Some(7)));
    // Ids compare as numbers: as text, "9999" would sort after "10000".
    assert_eq!(first.cursor.since_id.as_deref(), Some("10000"));

    let second = source
        .fetch(&query("acme"), Some(first.cursor.clone()))
        .await
        .unwrap();
    assert!(second.mentions.is_empty());
    assert_eq!(second.cursor, first.cursor);

    let seen = server.seen();
    assert_eq!(seen[0].path, "/api/v1/timelines/tag/acme");
    assert_eq!(seen[0].param("limit"), Some("20"));
    assert_eq!(seen[0].param("since_id"), None);
    assert_eq!(seen[1].param("since_id"), Some("10000"));

    let err = source
        .fetch(&query("acme/../admin"), None)
        .await
        .unwrap_err();
    assert!(matches!(err, SourceError::Config(_)), "{err:?}");
}

#[tokio::test]
async fn x_sends_the_bearer_token_and_fields_and_moves_forward_with_since_id() {
    let router = Router::new().route(
        "/2/tweets/search/recent",
        get(|Query(params): Params| async move {
            if params.get("since_id").map(String::as_str) == Some("1900") {
                return Json(json!({"meta": {"result_count": 0}}));
            }
            Json(json!({
                "data": [
                    {"id": "1900", "text": "Acme &amp; me", "created_at": "2025-06-10T09:00:00.000Z",
                     "lang": "en", "author_id": "7",
                     "public_metrics": {"like_count": 5, "retweet_count": 2, "reply_count": 1, "quote_count": 1}},
                    {"id": "1850", "text": "acme?", "created_at": "2025-06-10T08:00:00.000Z",
                     "lang": "und", "author_id": "8",
                     "public_metrics": {"like_count": 0, "retweet_count": 0, "reply_count": 0, "quote_count": 0}}
                ],
                "includes": {"users": [{"id": "7", "username": "acmefan", "public_metrics": {"followers_count": 321}}]},
                "meta": {"newest_id": "1900", "oldest_id": "1850", "result_count": 2}
            }))
        }),
    );
    let server = serve(router).await;
    let source = XSource::new(http(), &server.base, "token-123");
    let first = source
        .fetch(&query("acme -is:retweet"), None)
        .await
        .unwrap();
    let [a, b] = first.mentions.as_slice() else {
        panic!("{:?}", first.mentions)
    };
    assert_eq!(a.id, "x:1900");
    assert_eq!(a.url, "https://x.com/acmefan/status/1900");
    assert_eq!(a.text, "Acme & me");
    assert_eq!((a.reach, a.engagement), (Some(321), Some(9)));
    assert_eq!(a.language.as_deref(), Some("en"));
    assert_eq!(b.url, "https://x.com/i/web/status/1850");
    assert_eq!((b.author.as_deref(), b.language.as_deref()), (None, None));
    assert_eq!(first.cursor.since_id.as_deref(), Some("1900"));

    let second = source
        .fetch(&query("acme -is:retweet"), Some(first.cursor))
        .await
        .unwrap();
    assert!(second.mentions.is_empty());
    assert_eq!(second.cursor.since_id.as_deref(), Some("1900"));

    let seen = server.seen();
    let s = &seen[0];
    assert_eq!(s.header("authorization"), Some("Bearer token-123"));
    assert_eq!(s.param("query"), Some("acme -is:retweet"));
    assert_eq!(s.param("max_results"), Some("20"));
    assert_eq!(
        s.param("tweet.fields"),
        Some("created_at,lang,public_metrics,author_id")
    );
    assert_eq!(s.param("expansions"), Some("author_id"));
    assert_eq!(s.param("user.fields"), Some("username,public_metrics"));
    assert_eq!(s.param("since_id"), None);
    assert_eq!(seen[1].param("since_id"), Some("1900"));
}

#[tokio::test]
async fn cursors_default_to_nothing_seen() {
    assert_eq!(serde_json::to_value(Cursor::default()).unwrap(), json!({}));
}
