//! NewsAPI-style news search: `GET /v2/everything`, newest first, authenticated with
//! `X-Api-Key`. The cursor is the newest `publishedAt` seen; `from` is inclusive, so the
//! boundary article comes back once more and is deduplicated by its URL-derived id.

use super::canonical::{canonical_url, url_id};
use super::http::SourceHttp;
use super::text::{html_to_text, join_parts};
use super::{Cursor, Fetched, Source, SourceError, SourceQuery, endpoint, parse_json};
use crate::Mention;
use async_trait::async_trait;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Deserialize;

pub const NEWSAPI_BASE: &str = "https://newsapi.org";

pub struct NewsApiSource {
    http: SourceHttp,
    base: String,
    api_key: String,
}

impl NewsApiSource {
    /// `base` is [`NEWSAPI_BASE`] outside tests.
    pub fn new(http: SourceHttp, base: impl Into<String>, api_key: impl Into<String>) -> Self {
        Self {
            http,
            base: base.into(),
            api_key: api_key.into(),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Response {
    status: String,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    articles: Vec<Article>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Article {
    #[serde(default)]
    source: Option<ArticleSource>,
    author: Option<String>,
    title: Option<String>,
    description: Option<String>,
    content: Option<String>,
    url: Option<String>,
    published_at: Option<String>,
}

#[derive(Deserialize)]
struct ArticleSource {
    name: Option<String>,
}

#[async_trait]
impl Source for NewsApiSource {
    fn kind(&self) -> &'static str {
        "newsapi"
    }

    async fn fetch(
        &self,
        search: &SourceQuery,
        cursor: Option<Cursor>,
    ) -> Result<Fetched, SourceError> {
        let previous = cursor.unwrap_or_default();
        let mut url = endpoint(&self.base, "/v2/everything")?;
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("q", &search.text);
            if let Some(from) = previous.since.or(search.since) {
                query.append_pair("from", &from.to_rfc3339_opts(SecondsFormat::Secs, true));
            }
            query
                .append_pair("sortBy", "publishedAt")
                .append_pair("pageSize", &search.limit.clamp(1, 100).to_string());
        }
        let response = self
            .http
            .get(&url, &[("X-Api-Key", self.api_key.as_str())])
            .await?;
        let body: Response = parse_json(&response.host, &response.body)?;
        if body.status != "ok" {
            return Err(SourceError::Malformed {
                host: response.host,
                reason: format!(
                    "status {:?}: {}",
                    body.status,
                    body.message.unwrap_or_default()
                ),
            });
        }
        let mentions: Vec<Mention> = body.articles.into_iter().filter_map(mention).collect();
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

/// Articles without a web URL or a date (NewsAPI's "[Removed]" placeholders among them) are
/// skipped rather than failing the page.
fn mention(article: Article) -> Option<Mention> {
    let url = canonical_url(article.url.as_deref()?)?;
    let published_at = DateTime::parse_from_rfc3339(article.published_at.as_deref()?)
        .ok()?
        .with_timezone(&Utc);
    // `content` is a truncated copy of the body; the description says the same in full
    // sentences, so the content is only a fallback.
    let body = article.description.or(article.content);
    Some(Mention {
        id: url_id(&url),
        url,
        source: "newsapi".into(),
        author: article
            .author
            .or(article.source.and_then(|s| s.name))
            .filter(|a| !a.trim().is_empty()),
        published_at,
        text: join_parts([
            article.title.map(|t| html_to_text(&t)),
            body.map(|b| html_to_text(&b)),
        ]),
        language: None,
        reach: None,
        engagement: None,
    })
}
