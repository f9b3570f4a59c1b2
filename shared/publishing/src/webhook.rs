//! A signed generic webhook (Standard Webhooks): the receiver publishes and answers with the
//! created post's `{id, url}`.
//!
//! Credentials: `base_url` (the receiver's URL) and `secret` (`whsec_…`).

use crate::http::{Http, Op, id_of};
use crate::publisher::{
    Credentials, Metrics, Post, PublishError, Published, Publisher, codes, required,
};
use chrono::Utc;
use serde_json::{Value, json};

const CHANNEL: &str = "webhook";

pub struct Webhook {
    http: Http,
}

impl Webhook {
    pub(crate) fn new(http: Http) -> Self {
        Self { http }
    }
}

#[async_trait::async_trait]
impl Publisher for Webhook {
    fn channel(&self) -> &'static str {
        CHANNEL
    }

    /// POSTs `{id, type: "content.published", timestamp, data}` signed with `webhook-id` =
    /// `key`, so a retry carries the same message id and the receiver can drop it.
    async fn publish(
        &self,
        post: &Post,
        creds: &Credentials,
        key: &str,
    ) -> Result<Published, PublishError> {
        let target = required(&creds.base_url, CHANNEL, "the receiver URL (base_url)")?;
        let secret = required(&creds.secret, CHANNEL, "a signing secret")?;
        let url = self.http.exact_url(CHANNEL, target)?;
        let signer = standardwebhooks::Webhook::new(secret)
            .map_err(|e| PublishError::not_configured(format!("webhook secret: {e}")))?;
        let now = Utc::now();
        let body = json!({
            "id": key,
            "type": "content.published",
            "timestamp": now.to_rfc3339(),
            "data": {
                "title": post.title,
                "text": post.text,
                "content_format": post.content_format,
                "thread": post.thread,
                "link": post.link,
                "tags": post.tags,
            },
        })
        .to_string();
        let signature = signer
            .sign(key, now.timestamp(), body.as_bytes())
            .map_err(|e| PublishError::permanent(codes::REJECTED, format!("signing: {e}")))?;
        let request = self
            .http
            .client
            .post(url)
            .header("content-type", "application/json")
            .header("webhook-id", key)
            .header("webhook-timestamp", now.timestamp().to_string())
            .header("webhook-signature", signature)
            .body(body);
        let reply = self.http.send(CHANNEL, request, Op::Create).await?;
        if !reply.status.is_success() {
            return Err(reply.failure(CHANNEL, Op::Create));
        }
        let json = reply.json();
        // A receiver that does not say what it created has not confirmed anything; it dedupes
        // on webhook-id, so this is its contract broken, not an unknown outcome.
        let id = id_of(json.get("id")).ok_or_else(|| {
            PublishError::permanent(
                codes::REJECTED,
                format!(
                    "the receiver answered {} without the created post's id",
                    reply.status
                ),
            )
        })?;
        Ok(Published {
            id,
            url: json.get("url").and_then(Value::as_str).map(str::to_string),
            part_ids: Vec::new(),
            at: now,
        })
    }

    /// Always `Ok(None)`: Standard Webhooks receivers deduplicate on `webhook-id`, which is the
    /// idempotency key, so sending again after an unknown outcome cannot publish twice.
    async fn find_existing(
        &self,
        _post: &Post,
        _creds: &Credentials,
        _key: &str,
    ) -> Result<Option<Published>, PublishError> {
        Ok(None)
    }

    /// A generic receiver has no metrics endpoint.
    async fn metrics(
        &self,
        _published: &Published,
        _creds: &Credentials,
    ) -> Result<Metrics, PublishError> {
        Ok(Metrics::default())
    }
}
