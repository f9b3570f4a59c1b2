//! LinkedIn Posts API (`/rest/posts`, versioned).
//!
//! Credentials: `token` (member or organization access token with `w_member_social` /
//! `w_organization_social`; finding posts needs the matching read permission) and `account`
//! (the author URN, `urn:li:person:…` or `urn:li:organization:…`).

use crate::format::Social;
use crate::http::{Http, Op, Reply};
use crate::publisher::{
    Credentials, Metrics, Post, PublishError, Published, Publisher, codes, required,
    unverifiable_when_forbidden,
};
use chrono::{DateTime, Utc};
use reqwest::RequestBuilder;
use serde_json::{Value, json};

const CHANNEL: &str = "linkedin";
/// LinkedIn's "the token used in the request has expired" service error.
const TOKEN_EXPIRED: i64 = 65601;
/// The author's most recent posts `find_existing` looks through: it runs right after an
/// unknown outcome, when the post in question is among the newest.
const RECENT: &str = "10";

pub struct LinkedIn {
    http: Http,
    api: String,
    version: String,
}

impl LinkedIn {
    pub(crate) fn new(http: Http, api: String, version: String) -> Self {
        Self { http, api, version }
    }

    /// The headers every versioned Rest.li call needs.
    fn rest(&self, request: RequestBuilder, token: &str) -> RequestBuilder {
        request
            .bearer_auth(token)
            .header("LinkedIn-Version", &self.version)
            .header("X-Restli-Protocol-Version", "2.0.0")
    }

    fn failure(reply: &Reply, op: Op) -> PublishError {
        let expired =
            reply.json().get("serviceErrorCode").and_then(Value::as_i64) == Some(TOKEN_EXPIRED);
        if reply.status.as_u16() == 401 && expired {
            return PublishError::permanent(
                codes::AUTH_EXPIRED,
                format!("linkedin answered 401: {}", reply.message()),
            );
        }
        reply.failure(CHANNEL, op)
    }

    /// The author's recent post whose commentary is the one we send for this post.
    async fn lookup(
        &self,
        token: &str,
        author: &str,
        commentary: &str,
    ) -> Result<Option<Published>, PublishError> {
        let url = self.http.url(CHANNEL, &self.api, "/rest/posts")?;
        let request = self
            .rest(self.http.client.get(url), token)
            .header("X-RestLi-Method", "FINDER")
            .query(&[("author", author), ("q", "author"), ("count", RECENT)]);
        let reply = self.http.send(CHANNEL, request, Op::Read).await?;
        if !reply.status.is_success() {
            return Err(Self::failure(&reply, Op::Read));
        }
        let wanted = unescape(commentary);
        let found = reply
            .json()
            .get("elements")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|p| {
                p.get("commentary")
                    .and_then(Value::as_str)
                    .is_some_and(|c| unescape(c) == wanted)
            })
            .and_then(|p| {
                let urn = p.get("id").and_then(Value::as_str)?;
                let at = ["publishedAt", "createdAt"]
                    .iter()
                    .find_map(|k| p.get(k).and_then(Value::as_i64))
                    .and_then(DateTime::from_timestamp_millis);
                Some(published(urn, at.unwrap_or_else(Utc::now)))
            });
        Ok(found)
    }
}

fn published(urn: &str, at: DateTime<Utc>) -> Published {
    Published {
        id: urn.to_string(),
        url: Some(format!("https://www.linkedin.com/feed/update/{urn}")),
        part_ids: Vec::new(),
        at,
    }
}

/// The commentary in LinkedIn's "little" text format, where `\ | { } @ [ ] ( ) < > # * _ ~`
/// are markup and must be escaped to show as typed; a `#` that starts a word stays a hashtag.
fn commentary(post: &Post) -> String {
    Social::of(post).compose(escape)
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let hashtag = c == '#'
            && previous.is_none_or(char::is_whitespace)
            && chars.peek().is_some_and(|n| n.is_alphanumeric());
        if "\\|{}@[]()<>#*_~".contains(c) && !hashtag {
            out.push('\\');
        }
        out.push(c);
        previous = Some(c);
    }
    out
}

/// Commentary compared as shown, whichever characters LinkedIn chose to escape.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.trim().chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

#[async_trait::async_trait]
impl Publisher for LinkedIn {
    fn channel(&self) -> &'static str {
        CHANNEL
    }

    async fn publish(
        &self,
        post: &Post,
        creds: &Credentials,
        _key: &str,
    ) -> Result<Published, PublishError> {
        let token = required(&creds.token, CHANNEL, "an access token")?;
        let author = required(&creds.account, CHANNEL, "the author URN (account)")?;
        let commentary = commentary(post);
        let url = self.http.url(CHANNEL, &self.api, "/rest/posts")?;
        let body = json!({
            "author": author,
            "commentary": commentary,
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": false,
        });
        let request = self.rest(self.http.client.post(url), token).json(&body);
        let reply = self.http.send(CHANNEL, request, Op::Create).await?;
        let status = reply.status.as_u16();
        if matches!(status, 400 | 409 | 422) && reply.message().to_lowercase().contains("duplicate")
        {
            // LinkedIn refuses the same content twice: an earlier attempt got through.
            return match self.lookup(token, author, &commentary).await? {
                Some(existing) => Ok(existing),
                None => Err(Self::failure(&reply, Op::Create)),
            };
        }
        if !reply.status.is_success() {
            return Err(Self::failure(&reply, Op::Create));
        }
        match reply.header("x-restli-id").map(str::trim) {
            Some(urn) if !urn.is_empty() => Ok(published(urn, Utc::now())),
            // Created, by the status, but without the URN: not counted; the caller looks it up.
            _ => Err(PublishError::ambiguous(format!(
                "linkedin answered {} without the post URN (x-restli-id)",
                reply.status
            ))),
        }
    }

    /// Among the author's latest posts, the one whose commentary is exactly what `publish`
    /// sends for this post. LinkedIn has no client-supplied id to search by.
    async fn find_existing(
        &self,
        post: &Post,
        creds: &Credentials,
        _key: &str,
    ) -> Result<Option<Published>, PublishError> {
        let token = required(&creds.token, CHANNEL, "an access token")?;
        let author = required(&creds.account, CHANNEL, "the author URN (account)")?;
        self.lookup(token, author, &commentary(post))
            .await
            .map_err(unverifiable_when_forbidden)
    }

    /// Social actions give reactions and comments; impressions, shares and clicks come only
    /// from organization share statistics, so they stay `None`.
    async fn metrics(
        &self,
        published: &Published,
        creds: &Credentials,
    ) -> Result<Metrics, PublishError> {
        let token = required(&creds.token, CHANNEL, "an access token")?;
        let urn: String = url::form_urlencoded::byte_serialize(published.id.as_bytes()).collect();
        let url = self
            .http
            .url(CHANNEL, &self.api, &format!("/rest/socialActions/{urn}"))?;
        let request = self.rest(self.http.client.get(url), token);
        let reply = self.http.send(CHANNEL, request, Op::Read).await?;
        if !reply.status.is_success() {
            return Err(Self::failure(&reply, Op::Read));
        }
        let json = reply.json();
        let count = |pointer: &str| json.pointer(pointer).and_then(Value::as_u64);
        Ok(Metrics {
            reactions: count("/likesSummary/totalLikes"),
            comments: count("/commentsSummary/aggregatedTotalComments"),
            ..Metrics::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn little_format_escapes_markup_but_keeps_hashtags() {
        assert_eq!(
            escape("Hi @team (v2) #launch a#b x_y"),
            r"Hi \@team \(v2\) #launch a\#b x\_y"
        );
        assert_eq!(unescape(r"Hi \@team \(v2\)"), "Hi @team (v2)");
    }
}
