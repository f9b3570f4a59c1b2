//! X (Twitter) API v2 recent search with an app bearer token, paged forward with `since_id`
//! (the response's `meta.newest_id`). Authors' follower counts come from the `author_id`
//! expansion.

use super::http::SourceHttp;
use super::text::decode_entities;
use super::{Cursor, Fetched, Source, SourceError, SourceQuery, endpoint, newer_id, parse_json};
use crate::Mention;
use async_trait::async_trait;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Deserialize;
use std::collections::HashMap;

pub const X_BASE: &str = "https://api.x.com";

pub struct XSource {
    http: SourceHttp,
    base: String,
    bearer: String,
}

impl XSource {
    /// `base` is [`X_BASE`] outside tests.
    pub fn new(http: SourceHttp, base: impl Into<String>, bearer: impl Into<String>) -> Self {
        Self {
            http,
            base: base.into(),
            bearer: bearer.into(),
        }
    }
}

#[derive(Deserialize)]
struct Response {
    #[serde(default)]
    data: Vec<Tweet>,
    #[serde(default)]
    includes: Includes,
    meta: Meta,
}

#[derive(Deserialize)]
struct Tweet {
    id: String,
    text: String,
    created_at: DateTime<Utc>,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    author_id: Option<String>,
    #[serde(default)]
    public_metrics: Option<TweetMetrics>,
}

#[derive(Deserialize)]
struct TweetMetrics {
    #[serde(default)]
    like_count: u64,
    #[serde(default)]
    retweet_count: u64,
    #[serde(default)]
    reply_count: u64,
    #[serde(default)]
    quote_count: u64,
}

#[derive(Deserialize, Default)]
struct Includes {
    #[serde(default)]
    users: Vec<User>,
}

#[derive(Deserialize)]
struct User {
    id: String,
    username: String,
    #[serde(default)]
    public_metrics: Option<UserMetrics>,
}

#[derive(Deserialize)]
struct UserMetrics {
    followers_count: u64,
}

#[derive(Deserialize)]
struct Meta {
    #[serde(default)]
    newest_id: Option<String>,
}

#[async_trait]
impl Source for XSource {
    fn kind(&self) -> &'static str {
        "x"
    }

    async fn fetch(
        &self,
        search: &SourceQuery,
        cursor: Option<Cursor>,
    ) -> Result<Fetched, SourceError> {
        let previous = cursor.unwrap_or_default();
        let mut url = endpoint(&self.base, "/2/tweets/search/recent")?;
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("query", &search.text);
            match (&previous.since_id, search.since) {
                (Some(since_id), _) => {
                    query.append_pair("since_id", since_id);
                }
                (None, Some(since)) => {
                    query.append_pair(
                        "start_time",
                        &since.to_rfc3339_opts(SecondsFormat::Secs, true),
                    );
                }
                (None, None) => {}
            }
            query
                .append_pair("max_results", &search.limit.clamp(10, 100).to_string())
                .append_pair("tweet.fields", "created_at,lang,public_metrics,author_id")
                .append_pair("expansions", "author_id")
                .append_pair("user.fields", "username,public_metrics");
        }
        let authorization = format!("Bearer {}", self.bearer);
        let response = self
            .http
            .get(&url, &[("Authorization", authorization.as_str())])
            .await?;
        let body: Response = parse_json(&response.host, &response.body)?;
        let users: HashMap<&str, &User> = body
            .includes
            .users
            .iter()
            .map(|u| (u.id.as_str(), u))
            .collect();
        let mentions = body
            .data
            .iter()
            .map(|tweet| {
                mention(
                    tweet,
                    tweet
                        .author_id
                        .as_deref()
                        .and_then(|a| users.get(a).copied()),
                )
            })
            .collect();
        Ok(Fetched {
            mentions,
            cursor: Cursor {
                since_id: newer_id(previous.since_id.clone(), body.meta.newest_id),
                ..previous
            },
        })
    }
}

fn mention(tweet: &Tweet, author: Option<&User>) -> Mention {
    let url = match author {
        Some(user) => format!("https://x.com/{}/status/{}", user.username, tweet.id),
        None => format!("https://x.com/i/web/status/{}", tweet.id),
    };
    Mention {
        id: format!("x:{}", tweet.id),
        url,
        source: "x".into(),
        author: author.map(|u| u.username.clone()),
        published_at: tweet.created_at,
        // The API escapes `&`, `<` and `>` in tweet text.
        text: decode_entities(&tweet.text),
        // `und`: the API could not tell.
        language: tweet.lang.clone().filter(|l| l != "und"),
        reach: author
            .and_then(|u| u.public_metrics.as_ref())
            .map(|m| m.followers_count),
        engagement: tweet
            .public_metrics
            .as_ref()
            .map(|m| m.like_count + m.retweet_count + m.reply_count + m.quote_count),
    }
}
