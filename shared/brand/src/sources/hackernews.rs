//! Hacker News through the Algolia search API: stories and comments, newest first, filtered
//! by creation time. The cursor is the newest `created_at_i` seen.

use super::canonical::canonical_url;
use super::http::SourceHttp;
use super::text::{html_to_text, join_parts};
use super::{Cursor, Fetched, Source, SourceError, SourceQuery, endpoint, parse_json};
use crate::Mention;
use async_trait::async_trait;
use chrono::DateTime;
use serde::Deserialize;

pub const HACKERNEWS_BASE: &str = "https://hn.algolia.com";

pub struct HackerNewsSource {
    http: SourceHttp,
    base: String,
}

impl HackerNewsSource {
    /// `base` is [`HACKERNEWS_BASE`] outside tests.
    pub fn new(http: SourceHttp, base: impl Into<String>) -> Self {
        Self {
            http,
            base: base.into(),
        }
    }
}

#[derive(Deserialize)]
struct Response {
    hits: Vec<Hit>,
}

#[derive(Deserialize)]
struct Hit {
    #[serde(rename = "objectID")]
    object_id: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    story_title: Option<String>,
    #[serde(default)]
    comment_text: Option<String>,
    #[serde(default)]
    story_text: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    points: Option<i64>,
    #[serde(default)]
    num_comments: Option<i64>,
    created_at_i: i64,
}

#[async_trait]
impl Source for HackerNewsSource {
    fn kind(&self) -> &'static str {
        "hackernews"
    }

    async fn fetch(
        &self,
        search: &SourceQuery,
        cursor: Option<Cursor>,
    ) -> Result<Fetched, SourceError> {
        let previous = cursor.unwrap_or_default();
        let mut url = endpoint(&self.base, "/api/v1/search_by_date")?;
        {
            let mut query = url.query_pairs_mut();
            query
                .append_pair("query", &search.text)
                .append_pair("tags", "(story,comment)")
                .append_pair("hitsPerPage", &search.limit.clamp(1, 1000).to_string());
            if let Some(since) = previous.since.or(search.since) {
                // One second of overlap: an item created in the same second as the newest one
                // seen may not have been indexed yet; a repeat keeps its id and is deduplicated.
                let after = since.timestamp() - 1;
                query.append_pair("numericFilters", &format!("created_at_i>{after}"));
            }
        }
        let response = self.http.get(&url, &[]).await?;
        let body: Response = parse_json(&response.host, &response.body)?;
        let mentions: Vec<Mention> = body.hits.into_iter().filter_map(mention).collect();
        let newest = mentions.iter().map(|m| m.published_at).max();
        Ok(Fetched {
            cursor: Cursor {
                since: newest.max(previous.since),
                ..previous
            },
            mentions,
        })
    }
}

fn mention(hit: Hit) -> Option<Mention> {
    let published_at = DateTime::from_timestamp(hit.created_at_i, 0)?;
    let discussion = format!("https://news.ycombinator.com/item?id={}", hit.object_id);
    let url = hit
        .url
        .as_deref()
        .and_then(canonical_url)
        .unwrap_or(discussion);
    let engagement = hit.points.unwrap_or(0).max(0) + hit.num_comments.unwrap_or(0).max(0);
    Some(Mention {
        id: format!("hackernews:{}", hit.object_id),
        url,
        source: "hackernews".into(),
        author: hit.author,
        published_at,
        text: join_parts([
            hit.title.or(hit.story_title).map(|t| html_to_text(&t)),
            hit.comment_text
                .or(hit.story_text)
                .map(|t| html_to_text(&t)),
        ]),
        language: None,
        reach: None,
        engagement: Some(engagement as u64),
    })
}
