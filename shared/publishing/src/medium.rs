//! Medium (`/v1/users/{authorId}/posts`).
//!
//! Credentials: `token` (an integration token) and `account` (the user id `/v1/me` returns).
//! Medium's API can create posts but neither list nor read them, which shapes
//! `find_existing` and `metrics` below.

use crate::format;
use crate::http::{Http, Op, id_of};
use crate::publisher::{
    ContentFormat, Credentials, Metrics, Post, PublishError, Published, Publisher, codes, required,
};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

const CHANNEL: &str = "medium";
/// Medium's own limits on tags: it ignores tags beyond these.
const MAX_TAGS: usize = 5;
const MAX_TAG_CHARS: usize = 25;

pub struct Medium {
    http: Http,
    api: String,
}

impl Medium {
    pub(crate) fn new(http: Http, api: String) -> Self {
        Self { http, api }
    }
}

/// `contentFormat` and `content`. The title goes in the body too: Medium uses `title` for
/// listings only and shows on the page just what `content` holds.
fn content(title: &str, post: &Post) -> (&'static str, String) {
    match post.content_format {
        ContentFormat::Markdown => ("markdown", format!("# {title}\n\n{}", post.text)),
        format => (
            "html",
            format!(
                "<h1>{}</h1>{}",
                format::escape_html(title),
                format::html(&post.text, format)
            ),
        ),
    }
}

#[async_trait::async_trait]
impl Publisher for Medium {
    fn channel(&self) -> &'static str {
        CHANNEL
    }

    async fn publish(
        &self,
        post: &Post,
        creds: &Credentials,
        _key: &str,
    ) -> Result<Published, PublishError> {
        let token = required(&creds.token, CHANNEL, "an integration token")?;
        let author = required(&creds.account, CHANNEL, "the user id (account)")?;
        let title = post
            .title
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| PublishError::permanent(codes::REJECTED, "medium needs a title"))?;
        let (content_format, content) = content(title, post);
        let tags: Vec<&str> = post
            .tags
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty() && t.chars().count() <= MAX_TAG_CHARS)
            .take(MAX_TAGS)
            .collect();
        let path = format!(
            "/v1/users/{}/posts",
            url::form_urlencoded::byte_serialize(author.as_bytes()).collect::<String>()
        );
        let url = self.http.url(CHANNEL, &self.api, &path)?;
        let body = json!({
            "title": title,
            "contentFormat": content_format,
            "content": content,
            "tags": tags,
            "publishStatus": "public",
        });
        let request = self.http.client.post(url).bearer_auth(token).json(&body);
        let reply = self.http.send(CHANNEL, request, Op::Create).await?;
        if !reply.status.is_success() {
            return Err(reply.failure(CHANNEL, Op::Create));
        }
        let json = reply.json();
        let data = json.get("data").unwrap_or(&Value::Null);
        let Some(id) = id_of(data.get("id")) else {
            return Err(PublishError::ambiguous(format!(
                "medium answered {} without the post's id",
                reply.status
            )));
        };
        Ok(Published {
            id,
            url: data.get("url").and_then(Value::as_str).map(str::to_string),
            part_ids: Vec::new(),
            at: data
                .get("publishedAt")
                .and_then(Value::as_i64)
                .and_then(DateTime::from_timestamp_millis)
                .unwrap_or_else(Utc::now),
        })
    }

    /// Always `Err(unverifiable)`: Medium has no API to list or read a user's posts, so after
    /// an unknown outcome nobody can tell from here whether the post exists. The caller fails
    /// the item ("outcome unknown: check Medium before retrying") instead of risking a
    /// duplicate.
    async fn find_existing(
        &self,
        _post: &Post,
        _creds: &Credentials,
        _key: &str,
    ) -> Result<Option<Published>, PublishError> {
        Err(PublishError::permanent(
            codes::UNVERIFIABLE,
            "medium's API cannot list posts: check Medium for the post before retrying",
        ))
    }

    /// Medium's API offers no statistics: every metric is `None`.
    async fn metrics(
        &self,
        _published: &Published,
        _creds: &Credentials,
    ) -> Result<Metrics, PublishError> {
        Ok(Metrics::default())
    }
}
