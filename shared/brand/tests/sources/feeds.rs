//! RSS, Atom and JSON Feed parsing, conditional GET, and malformed feeds.

use crate::fixture::{http, query, serve};
use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use plasma_brand::sources::{Cursor, FeedSource, Source, SourceError, canonical_url, url_id};

const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>Tech news</title>
    <link>https://news.example/</link>
    <language>en-us</language>
    <item>
      <title>Acme &amp; friends launch</title>
      <link>https://News.Example/launch?utm_source=rss&amp;id=7#top</link>
      <description>&lt;p&gt;Acme's &lt;b&gt;new&lt;/b&gt; app&lt;/p&gt;</description>
      <dc:creator>Jane Doe</dc:creator>
      <pubDate>Tue, 10 Jun 2025 09:00:00 GMT</pubDate>
      <guid>launch-7</guid>
    </item>
    <item>
      <title>Relative link</title>
      <link>/second</link>
      <pubDate>Tue, 10 Jun 2025 10:00:00 GMT</pubDate>
    </item>
  </channel>
</rss>"#;

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">
  <title>Blog</title>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <updated>2025-06-10T12:00:00Z</updated>
  <entry>
    <title type="html">Acme im &lt;i&gt;Test&lt;/i&gt;</title>
    <link href="https://blog.example/acme-test"/>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <updated>2025-06-10T12:00:00Z</updated>
    <author><name>Max Muster</name></author>
    <content type="html">&lt;p&gt;Sehr gut&lt;/p&gt;</content>
  </entry>
</feed>"#;

const JSON_FEED: &str = r#"{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "Podcast notes",
  "language": "fr",
  "items": [
    {"id": "1", "url": "https://notes.example/1", "title": "Épisode Acme",
     "content_html": "<p>On parle d&rsquo;Acme</p>", "date_published": "2025-06-09T08:30:00+02:00",
     "authors": [{"name": "Claire"}]}
  ]
}"#;

fn feed_router(path: &'static str, content_type: &'static str, body: &'static str) -> Router {
    Router::new().route(
        path,
        get(move || async move { ([(header::CONTENT_TYPE, content_type)], body) }),
    )
}

#[tokio::test]
async fn an_rss_feed_becomes_plain_text_mentions_with_canonical_ids() {
    let server = serve(feed_router("/rss.xml", "application/rss+xml", RSS)).await;
    let source = FeedSource::new(http(), format!("{}/rss.xml", server.base));
    assert_eq!(source.kind(), "rss");
    let fetched = source.fetch(&query("acme"), None).await.unwrap();
    assert_eq!(fetched.mentions.len(), 2);
    let first = &fetched.mentions[0];
    assert_eq!(first.url, "https://news.example/launch?id=7");
    assert_eq!(first.id, url_id("https://news.example/launch?id=7"));
    assert_eq!(first.source, "rss");
    assert_eq!(first.text, "Acme & friends launch\nAcme's new app");
    assert_eq!(first.author.as_deref(), Some("Jane Doe"));
    assert_eq!(first.language.as_deref(), Some("en-us"));
    assert_eq!(first.published_at.to_rfc3339(), "2025-06-10T09:00:00+00:00");
    // Relative links resolve against the feed's URL.
    assert_eq!(
        fetched.mentions[1].url,
        canonical_url(&format!("{}/second", server.base)).unwrap()
    );
}

#[tokio::test]
async fn an_atom_feed_is_read() {
    let server = serve(feed_router("/atom", "application/atom+xml", ATOM)).await;
    let fetched = FeedSource::new(http(), format!("{}/atom", server.base))
        .fetch(&query("acme"), None)
        .await
        .unwrap();
    let [m] = fetched.mentions.as_slice() else {
        panic!("{:?}", fetched.mentions)
    };
    assert_eq!(m.url, "https://blog.example/acme-test");
    assert_eq!(m.text, "Acme im Test\nSehr gut");
    assert_eq!(m.author.as_deref(), Some("Max Muster"));
    assert_eq!(m.published_at.to_rfc3339(), "2025-06-10T12:00:00+00:00");
}

#[tokio::test]
async fn a_json_feed_is_read() {
    let server = serve(feed_router(
        "/feed.json",
        "application/feed+json",
        JSON_FEED,
    ))
    .await;
    let fetched = FeedSource::new(http(), format!("{}/feed.json", server.base))
        .fetch(&query("acme"), None)
        .await
        .unwrap();
    let [m] = fetched.mentions.as_slice() else {
        panic!("{:?}", fetched.mentions)
    };
    assert_eq!(m.url, "https://notes.example/1");
    assert_eq!(m.text, "Épisode Acme\nOn parle d’Acme");
    assert_eq!(m.author.as_deref(), Some("Claire"));
    assert_eq!(m.published_at.to_rfc3339(), "2025-06-09T06:30:00+00:00");
}

#[tokio::test]
async fn an_unchanged_feed_answers_304_and_keeps_the_cursor() {
    const ETAG: &str = "\"v1\"";
    const MODIFIED: &str = "Tue, 10 Jun 2025 10:00:00 GMT";
    let router = Router::new().route(
        "/rss.xml",
        get(|headers: HeaderMap| async move {
            if headers
                .get(header::IF_NONE_MATCH)
                .is_some_and(|v| v == ETAG)
            {
                return StatusCode::NOT_MODIFIED.into_response();
            }
            (
                [(header::ETAG, ETAG), (header::LAST_MODIFIED, MODIFIED)],
                RSS,
            )
                .into_response()
        }),
    );
    let server = serve(router).await;
    let source = FeedSource::new(http(), format!("{}/rss.xml", server.base));

    let first = source.fetch(&query("acme"), None).await.unwrap();
    assert_eq!(first.mentions.len(), 2);
    assert_eq!(first.cursor.etag.as_deref(), Some(ETAG));
    assert_eq!(first.cursor.last_modified.as_deref(), Some(MODIFIED));

    let second = source
        .fetch(&query("acme"), Some(first.cursor.clone()))
        .await
        .unwrap();
    assert!(second.mentions.is_empty());
    assert_eq!(second.cursor, first.cursor);

    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].header("if-none-match"), None);
    assert_eq!(seen[1].header("if-none-match"), Some(ETAG));
    assert_eq!(seen[1].header("if-modified-since"), Some(MODIFIED));
}

#[tokio::test]
async fn a_malformed_feed_is_reported_not_panicked_on() {
    for body in [
        "<rss><channel><item><title>cut off",
        "{\"not\": \"a feed\"}",
        "",
    ] {
        let router = Router::new().route("/bad", get(move || async move { body }));
        let server = serve(router).await;
        let err = FeedSource::new(http(), format!("{}/bad", server.base))
            .fetch(&query("acme"), Some(Cursor::default()))
            .await
            .unwrap_err();
        assert!(
            matches!(err, SourceError::Malformed { .. }),
            "{body:?}: {err:?}"
        );
        assert!(!err.is_retryable());
    }
}
