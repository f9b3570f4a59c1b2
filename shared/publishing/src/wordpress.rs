//! WordPress REST API (`/wp-json/wp/v2/posts`) with an application password.
//!
//! Credentials: `base_url` (the site), `username`, `password` (application password).
//! The idempotency key becomes the post's slug, which `find_existing` queries.

use crate::format;
use crate::http::{Http, Op, id_of};
use crate::publisher::{Credentials, Metrics, Post, PublishError, Published, Publisher, required};
use chrono::{NaiveDateTime, Utc};
use serde_json::{Value, json};

const CHANNEL: &str = "wordpress";
const POSTS: &str = "/wp-json/wp/v2/posts";

pub struct WordPress {
    http: Http,
}

struct Site<'a> {
    url: &'a str,
    username: &'a str,
    password: &'a str,
}

impl WordPress {
    pub(crate) fn new(http: Http) -> Self {
        Self { http }
    }

    fn site(creds: &Credentials) -> Result<Site<'_>, PublishError> {
        Ok(Site {
            url: required(&creds.base_url, CHANNEL, "the site URL (base_url)")?,
            username: required(&creds.username, CHANNEL, "a username")?,
            password: required(&creds.password, CHANNEL, "an application password")?,
        })
    }
}

/// The slug WordPress keeps as given: lowercase `[a-z0-9-]`, no leading, trailing or doubled
/// dashes, within its 200-character column.
pub(crate) fn slug(key: &str) -> String {
    let mut slug = String::new();
    for c in key.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.truncate(200);
    slug.trim_end_matches('-').to_string()
}

fn published(post: &Value) -> Option<Published> {
    // `date_gmt` has no offset: it is UTC by name.
    let at = post
        .get("date_gmt")
        .and_then(Value::as_str)
        .and_then(|d| NaiveDateTime::parse_from_str(d, "%Y-%m-%dT%H:%M:%S").ok())
        .map(|d| d.and_utc());
    Some(Published {
        id: id_of(post.get("id"))?,
        url: post.get("link").and_then(Value::as_str).map(str::to_string),
        part_ids: Vec::new(),
        at: at.unwrap_or_else(Utc::now),
    })
}

#[async_trait::async_trait]
impl Publisher for WordPress {
    fn channel(&self) -> &'static str {
        CHANNEL
    }

    /// Tags are not sent: the API takes tag term ids, which would mean creating terms.
    async fn publish(
        &self,
        post: &Post,
        creds: &Credentials,
        key: &str,
    ) -> Result<Published, PublishError> {
        let site = Self::site(creds)?;
        let slug = slug(key);
        if slug.is_empty() {
            return Err(PublishError::not_configured(
                "the idempotency key has no letters or digits for a slug",
            ));
        }
        let url = self.http.url(CHANNEL, site.url, POSTS)?;
        let body = json!({
            "title": post.title.as_deref().unwrap_or_default(),
            "content": format::html(&post.text, post.content_format),
            "status": "publish",
            "slug": slug,
        });
        let request = self
            .http
            .client
            .post(url)
            .basic_auth(site.username, Some(site.password))
            .json(&body);
        let reply = self.http.send(CHANNEL, request, Op::Create).await?;
        if !reply.status.is_success() {
            return Err(reply.failure(CHANNEL, Op::Create));
        }
        // WordPress answered success: something was created. Without its id it is not counted,
        // and the caller looks it up by slug before any new attempt.
        published(&reply.json()).ok_or_else(|| {
            PublishError::ambiguous(format!(
                "WordPress answered {} without the post's id",
                reply.status
            ))
        })
    }

    /// The post with this key's slug in any status our create can have produced.
    async fn find_existing(
        &self,
        _post: &Post,
        creds: &Credentials,
        key: &str,
    ) -> Result<Option<Published>, PublishError> {
        let site = Self::site(creds)?;
        let url = self.http.url(CHANNEL, site.url, POSTS)?;
        let request = self
            .http
            .client
            .get(url)
            .basic_auth(site.username, Some(site.password))
            .query(&[
                ("slug", slug(key).as_str()),
                ("status", "publish,future,draft"),
            ]);
        let reply = self.http.send(CHANNEL, request, Op::Read).await?;
        if !reply.status.is_success() {
            return Err(reply.failure(CHANNEL, Op::Read));
        }
        Ok(reply
            .json()
            .as_array()
            .and_then(|posts| posts.iter().find_map(published)))
    }

    /// WordPress core keeps no view or engagement counts (they come from plugins), so every
    /// metric is `None`.
    async fn metrics(
        &self,
        _published: &Published,
        _creds: &Credentials,
    ) -> Result<Metrics, PublishError> {
        Ok(Metrics::default())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn slugs_keep_only_what_wordpress_keeps() {
        assert_eq!(super::slug("Item_01J9:WordPress"), "item-01j9-wordpress");
        assert_eq!(super::slug("--a--b--"), "a-b");
    }
}
