//! Reddit search: `GET /search.json`, newest first. Reddit has no "newer than" filter for
//! search, so a scan walks pages back through `after` until it reaches what the previous scan
//! saw (the cursor's newest `created_utc` and fullname) or the page cap.

use super::http::SourceHttp;
use super::text::{decode_entities, join_parts};
use super::{Cursor, Fetched, Source, SourceError, SourceQuery, endpoint, parse_json};
use crate::Mention;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Deserialize;

pub const REDDIT_BASE: &str = "https://www.reddit.com";

/// Reddit throttles generic clients hard and asks for `<platform>:<app id>:<version> (by
/// <contact>)`; deployments override the contact.
pub const REDDIT_USER_AGENT: &str = concat!(
    "server:plasma-engine-brand-monitor:",
    env!("CARGO_PKG_VERSION"),
    " (brand monitoring)"
);

pub struct RedditSource {
    http: SourceHttp,
    base: String,
    user_agent: String,
    max_pages: u32,
}

impl RedditSource {
    /// `base` is [`REDDIT_BASE`] outside tests; `user_agent` usually [`REDDIT_USER_AGENT`]
    /// with a contact; `max_pages` bounds one scan's walk back through older pages.
    pub fn new(
        http: SourceHttp,
        base: impl Into<String>,
        user_agent: impl Into<String>,
        max_pages: u32,
    ) -> Self {
        Self {
            http,
            base: base.into(),
            user_agent: user_agent.into(),
            max_pages: max_pages.max(1),
        }
    }
}

#[derive(Deserialize)]
struct Listing {
    data: ListingData,
}

#[derive(Deserialize)]
struct ListingData {
    children: Vec<Child>,
    after: Option<String>,
}

#[derive(Deserialize)]
struct Child {
    data: Post,
}

#[derive(Deserialize)]
struct Post {
    /// Fullname (`t3_…`): unique across Reddit's kinds, unlike `id`.
    name: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    selftext: Option<String>,
    permalink: String,
    #[serde(default)]
    author: Option<String>,
    created_utc: f64,
    #[serde(default)]
    score: Option<i64>,
    #[serde(default)]
    num_comments: Option<i64>,
    #[serde(default)]
    subreddit_subscribers: Option<u64>,
}

#[async_trait]
impl Source for RedditSource {
    fn kind(&self) -> &'static str {
        "reddit"
    }

    async fn fetch(
        &self,
        search: &SourceQuery,
        cursor: Option<Cursor>,
    ) -> Result<Fetched, SourceError> {
        let previous = cursor.unwrap_or_default();
        let watermark = previous.since.or(search.since);
        let is_new = |m: &Mention| match watermark {
            None => true,
            // Same-second posts are told apart by fullname; only the one recorded is skipped
            // and any other repeat is deduplicated by id downstream.
            Some(w) => {
                m.published_at > w
                    || (m.published_at == w
                        && previous.since_id.as_deref() != m.id.strip_prefix("reddit:"))
            }
        };
        let mut mentions: Vec<Mention> = Vec::new();
        let mut after: Option<String> = None;
        for _ in 0..self.max_pages {
            let mut url = endpoint(&self.base, "/search.json")?;
            {
                let mut query = url.query_pairs_mut();
                query
                    .append_pair("q", &search.text)
                    .append_pair("sort", "new")
                    .append_pair("limit", &search.limit.clamp(1, 100).to_string());
                if let Some(after) = &after {
                    query.append_pair("after", after);
                }
            }
            let response = self
                .http
                .get(&url, &[("User-Agent", self.user_agent.as_str())])
                .await?;
            let listing: Listing = parse_json(&response.host, &response.body)?;
            let page: Vec<Mention> = listing
                .data
                .children
                .into_iter()
                .filter_map(|c| mention(c.data))
                .collect();
            let reached_seen = page.iter().any(|m| !is_new(m));
            mentions.extend(page.into_iter().filter(|m| is_new(m)));
            match listing.data.after {
                Some(next) if !reached_seen => after = Some(next),
                _ => break,
            }
        }
        let newest = mentions.iter().max_by_key(|m| m.published_at);
        let cursor = match newest {
            Some(m) => Cursor {
                since: Some(m.published_at),
                since_id: m.id.strip_prefix("reddit:").map(str::to_string),
                ..previous
            },
            None => previous,
        };
        Ok(Fetched { mentions, cursor })
    }
}

fn mention(post: Post) -> Option<Mention> {
    let published_at: DateTime<Utc> = DateTime::from_timestamp(post.created_utc as i64, 0)?;
    // Reddit's JSON escapes `&`, `<` and `>` in text fields unless asked not to.
    let unescape = |s: String| decode_entities(&s);
    Some(Mention {
        id: format!("reddit:{}", post.name),
        url: format!("{REDDIT_BASE}{}", post.permalink),
        source: "reddit".into(),
        author: post.author.filter(|a| a != "[deleted]"),
        published_at,
        text: join_parts([post.title.map(unescape), post.selftext.map(unescape)]),
        language: None,
        reach: post.subreddit_subscribers,
        engagement: Some(
            (post.score.unwrap_or(0).max(0) + post.num_comments.unwrap_or(0).max(0)) as u64,
        ),
    })
}
