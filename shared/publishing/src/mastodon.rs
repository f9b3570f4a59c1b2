//! Mastodon statuses (`/api/v1/statuses`).
//!
//! Credentials: `base_url` (the instance, `https://mastodon.social`) and `token` (an access
//! token with `write:statuses`, and `read:statuses` for metrics).

use crate::format::Social;
use crate::http::{Http, Op, id_of};
use crate::publisher::{Credentials, Metrics, Post, PublishError, Published, Publisher, required};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

const CHANNEL: &str = "mastodon";

pub struct Mastodon {
    http: Http,
}

impl Mastodon {
    pub(crate) fn new(http: Http) -> Self {
        Self { http }
    }
}

fn instance_and_token(creds: &Credentials) -> Result<(&str, &str), PublishError> {
    Ok((
        required(&creds.base_url, CHANNEL, "the instance URL (base_url)")?,
        required(&creds.token, CHANNEL, "an access token")?,
    ))
}

#[async_trait::async_trait]
impl Publisher for Mastodon {
    fn channel(&self) -> &'static str {
        CHANNEL
    }

    /// Sends the key as `Idempotency-Key`: Mastodon answers a repeat with the status the key
    /// already created instead of posting again.
    async fn publish(
        &self,
        post: &Post,
        creds: &Credentials,
        key: &str,
    ) -> Result<Published, PublishError> {
        let (instance, token) = instance_and_token(creds)?;
        let url = self.http.url(CHANNEL, instance, "/api/v1/statuses")?;
        let body = json!({
            "status": Social::of(post).text(),
            "visibility": "public",
        });
        let request = self
            .http
            .client
            .post(url)
            .bearer_auth(token)
            .header("Idempotency-Key", key)
            .json(&body);
        let reply = self.http.send(CHANNEL, request, Op::Create).await?;
        if !reply.status.is_success() {
            return Err(reply.failure(CHANNEL, Op::Create));
        }
        let json = reply.json();
        let Some(id) = id_of(json.get("id")) else {
            // Posted, by the status; a repeat with the same key returns the same status.
            return Err(PublishError::ambiguous(format!(
                "mastodon answered {} without the status id",
                reply.status
            )));
        };
        let at = json
            .get("created_at")
            .and_then(Value::as_str)
            .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
            .map_or_else(Utc::now, |d| d.with_timezone(&Utc));
        Ok(Published {
            id,
            // `url` is the status's HTML page; `uri` its ActivityPub id, also a link to it.
            url: ["url", "uri"]
                .iter()
                .find_map(|k| json.get(k).and_then(Value::as_str))
                .map(str::to_string),
            part_ids: Vec::new(),
            at,
        })
    }

    /// Always `Ok(None)`: Mastodon deduplicates on `Idempotency-Key`, so publishing again with
    /// the same key returns the status an unknown attempt created. It keeps keys for an hour,
    /// so the retry after an `Ambiguous` outcome has to come within that hour.
    async fn find_existing(
        &self,
        _post: &Post,
        _creds: &Credentials,
        _key: &str,
    ) -> Result<Option<Published>, PublishError> {
        Ok(None)
    }

    /// Favourites, replies and boosts; Mastodon counts no impressions or clicks.
    async fn metrics(
        &self,
        published: &Published,
        creds: &Credentials,
    ) -> Result<Metrics, PublishError> {
        let (instance, token) = instance_and_token(creds)?;
        let id: String = url::form_urlencoded::byte_serialize(published.id.as_bytes()).collect();
        let url = self
            .http
            .url(CHANNEL, instance, &format!("/api/v1/statuses/{id}"))?;
        let request = self.http.client.get(url).bearer_auth(token);
        let reply = self.http.send(CHANNEL, request, Op::Read).await?;
        if !reply.status.is_success() {
            return Err(reply.failure(CHANNEL, Op::Read));
        }
        let json = reply.json();
        let count = |k: &str| json.get(k).and_then(Value::as_u64);
        Ok(Metrics {
            reactions: count("favourites_count"),
            comments: count("replies_count"),
            shares: count("reblogs_count"),
            ..Metrics::default()
        })
    }
}
