//! Mastodon hashtag timelines on one instance (`GET /api/v1/timelines/tag/{hashtag}`), paged
//! forward with `since_id`. Mastodon has no full-text search for unauthenticated clients, so
//! the search text names the hashtag to follow.

use super::canonical::{canonical_url, url_id};
use super::http::SourceHttp;
use super::text::html_to_text;
use super::{Cursor, Fetched, Source, SourceError, SourceQuery, newer_id, parse_json};
use crate::Mention;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Deserialize;

pub struct MastodonSource {
    http: SourceHttp,
    instance: String,
}

impl MastodonSource {
    /// `instance` is the base URL of the Mastodon server from configuration.
    pub fn new(http: SourceHttp, instance: impl Into<String>) -> Self {
        Self {
            http,
            instance: instance.into(),
        }
    }
}

#[derive(Deserialize)]
struct Status {
    id: String,
    #[serde(default)]
    url: Option<String>,
    /// The ActivityPub id; remote statuses without a web `url` still have one.
    uri: Option<String>,
    created_at: DateTime<Utc>,
    #[serde(default)]
    content: String,
    #[serde(default)]
    language: Option<String>,
    account: Account,
    #[serde(default)]
    favourites_count: u64,
    #[serde(default)]
    reblogs_count: u64,
    #[serde(default)]
    replies_count: u64,
}

#[derive(Deserialize)]
struct Account {
    acct: String,
    #[serde(default)]
    followers_count: Option<u64>,
}

/// Hashtags are letters, digits and underscores; anything else would change the path.
fn hashtag(text: &str) -> Result<&str, SourceError> {
    let tag = text.trim().trim_start_matches('#');
    if tag.is_empty() || !tag.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return Err(SourceError::Config(format!(
            "{text:?} is not a hashtag (letters, digits and _)"
        )));
    }
    Ok(tag)
}

#[async_trait]
impl Source for MastodonSource {
    fn kind(&self) -> &'static str {
        "mastodon"
    }

    async fn fetch(
        &self,
        search: &SourceQuery,
        cursor: Option<Cursor>,
    ) -> Result<Fetched, SourceError> {
        let previous = cursor.unwrap_or_default();
        let tag = hashtag(&search.text)?;
        let mut url = super::endpoint(&self.instance, "/api/v1/timelines/tag/")?;
        url.path_segments_mut()
            .map_err(|_| SourceError::Config("instance URL cannot have a path".into()))?
            .pop_if_empty()
            .push(tag);
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("limit", &search.limit.clamp(1, 40).to_string());
            if let Some(since_id) = &previous.since_id {
                query.append_pair("since_id", since_id);
            }
        }
        let response = self.http.get(&url, &[]).await?;
        let statuses: Vec<Status> = parse_json(&response.host, &response.body)?;
        let newest = statuses
            .iter()
            .map(|s| s.id.clone())
            .fold(None, |acc, id| newer_id(acc, Some(id)));
        let mentions = statuses
            .into_iter()
            .filter(|s| search.since.is_none_or(|since| s.created_at >= since))
            .filter_map(mention)
            .collect();
        Ok(Fetched {
            mentions,
            cursor: Cursor {
                since_id: newer_id(previous.since_id.clone(), newest),
                ..previous
            },
        })
    }
}

fn mention(status: Status) -> Option<Mention> {
    // Keyed by the public URL rather than the instance-local id, so the same post seen
    // through another instance or a feed is one mention.
    let url = status
        .url
        .as_deref()
        .or(status.uri.as_deref())
        .and_then(canonical_url)?;
    Some(Mention {
        id: url_id(&url),
        url,
        source: "mastodon".into(),
        author: Some(status.account.acct),
        published_at: status.created_at,
        text: html_to_text(&status.content),
        language: status.language,
        reach: status.account.followers_count,
        engagement: Some(status.favourites_count + status.reblogs_count + status.replies_count),
    })
}
