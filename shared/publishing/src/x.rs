//! X API v2 (`/2/tweets`): single posts and threads.
//!
//! Credentials: `token` (OAuth 2.0 user access token with `tweet.read tweet.write
//! users.read`) and `account` (the user's numeric id; needed for threads, `find_existing`, and
//! recovering from X's duplicate-content refusal).
//!
//! Threads are posted part by part, each replying to the previous one. A thread that fails
//! part-way leaves its first parts on X; the error says which. The design keeps no state of
//! its own: every thread publish first reads the account's recent posts and continues after
//! the parts that are already there (matched by text and reply chain), so retrying a failed
//! or unknown thread never posts an earlier part twice. `find_existing` reports the thread
//! only when complete; `Ok(None)` for a partial one means "publish again: it resumes".

use crate::format::{self, Social};
use crate::http::{Http, Op, Reply, id_of};
use crate::publisher::{
    Credentials, Metrics, Post, PublishError, Published, Publisher, codes, required,
    unverifiable_when_forbidden,
};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

const CHANNEL: &str = "x";

pub struct X {
    http: Http,
    api: String,
}

/// A post of ours on X: one part of the chain being built or found.
#[derive(Clone)]
struct Tweet {
    id: String,
    at: DateTime<Utc>,
}

/// A post read back from the account's timeline.
struct Recent {
    tweet: Tweet,
    text: String,
    replied_to: Option<String>,
}

impl X {
    pub(crate) fn new(http: Http, api: String) -> Self {
        Self { http, api }
    }

    async fn create(
        &self,
        token: &str,
        text: &str,
        reply_to: Option<&str>,
    ) -> Result<Reply, PublishError> {
        let url = self.http.url(CHANNEL, &self.api, "/2/tweets")?;
        let mut body = json!({ "text": text });
        if let Some(parent) = reply_to {
            body["reply"] = json!({ "in_reply_to_tweet_id": parent });
        }
        let request = self.http.client.post(url).bearer_auth(token).json(&body);
        self.http.send(CHANNEL, request, Op::Create).await
    }

    /// The account's latest posts, newest first.
    async fn recent(
        &self,
        token: &str,
        account: &str,
        parts: usize,
    ) -> Result<Vec<Recent>, PublishError> {
        let path = format!("/2/users/{}/tweets", encode(account));
        let url = self.http.url(CHANNEL, &self.api, &path)?;
        // X allows 5 to 100; a thread needs room for all its parts.
        let max = (parts * 2).clamp(10, 100).to_string();
        let request = self.http.client.get(url).bearer_auth(token).query(&[
            ("max_results", max.as_str()),
            ("tweet.fields", "created_at,referenced_tweets"),
        ]);
        let reply = self.http.send(CHANNEL, request, Op::Read).await?;
        if !reply.status.is_success() {
            return Err(reply.failure(CHANNEL, Op::Read));
        }
        let json = reply.json();
        let tweets = json.get("data").and_then(Value::as_array);
        Ok(tweets
            .into_iter()
            .flatten()
            .filter_map(|t| {
                let at = t
                    .get("created_at")
                    .and_then(Value::as_str)
                    .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
                    .map_or_else(Utc::now, |d| d.with_timezone(&Utc));
                let replied_to = t
                    .get("referenced_tweets")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .find(|r| r.get("type").and_then(Value::as_str) == Some("replied_to"))
                    .and_then(|r| id_of(r.get("id")));
                Some(Recent {
                    tweet: Tweet {
                        id: id_of(t.get("id"))?,
                        at,
                    },
                    text: t.get("text").and_then(Value::as_str)?.to_string(),
                    replied_to,
                })
            })
            .collect())
    }

    /// The leading parts of this thread that are already on X: part 1 as a post that replies
    /// to nothing, each next part as a reply to the one before, all with our texts.
    async fn posted(
        &self,
        token: &str,
        account: &str,
        parts: &[String],
    ) -> Result<Vec<Tweet>, PublishError> {
        let recent = self.recent(token, account, parts.len()).await?;
        let mut chain: Vec<Tweet> = Vec::new();
        for part in parts {
            let parent = chain.last().map(|t| t.id.as_str());
            let wanted = comparable(part);
            match recent
                .iter()
                .find(|r| r.replied_to.as_deref() == parent && comparable(&r.text) == wanted)
            {
                Some(r) => chain.push(r.tweet.clone()),
                None => break,
            }
        }
        Ok(chain)
    }
}

/// What X gets for this post: the thread's parts, or one post with link and hashtags.
fn parts(post: &Post) -> Vec<String> {
    if post.thread.is_empty() {
        vec![Social::of(post).text()]
    } else {
        post.thread
            .iter()
            .map(|p| format::plain(p, post.content_format))
            .collect()
    }
}

/// Text as X returns it has links rewritten to t.co and `&`, `<`, `>` as entities: compare
/// with links blanked, entities decoded, and whitespace collapsed.
fn comparable(text: &str) -> String {
    format::unescape_html(text)
        .split_whitespace()
        .map(|w| {
            if w.starts_with("http://") || w.starts_with("https://") {
                "<link>"
            } else {
                w
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn encode(segment: &str) -> String {
    url::form_urlencoded::byte_serialize(segment.as_bytes()).collect()
}

fn is_duplicate(reply: &Reply) -> bool {
    reply.status.as_u16() == 403 && reply.message().to_lowercase().contains("duplicate")
}

fn published(chain: &[Tweet]) -> Option<Published> {
    let first = chain.first()?;
    Some(Published {
        id: first.id.clone(),
        url: Some(format!("https://x.com/i/web/status/{}", first.id)),
        part_ids: if chain.len() > 1 {
            chain.iter().map(|t| t.id.clone()).collect()
        } else {
            Vec::new()
        },
        at: first.at,
    })
}

/// Says which parts made it when a thread fails part-way; a single post's error is as is.
fn within(error: PublishError, chain: &[Tweet], total: usize) -> PublishError {
    if total == 1 {
        return error;
    }
    let ids: Vec<&str> = chain.iter().map(|t| t.id.as_str()).collect();
    error.context(&format!(
        "thread part {} of {total} (already posted: [{}])",
        chain.len() + 1,
        ids.join(", ")
    ))
}

#[async_trait::async_trait]
impl Publisher for X {
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
        let parts = parts(post);
        let account = || required(&creds.account, CHANNEL, "the user id (account)");
        let mut chain = if parts.len() > 1 {
            self.posted(token, account()?, &parts).await?
        } else {
            Vec::new()
        };
        while chain.len() < parts.len() {
            let parent = chain.last().map(|t| t.id.clone());
            let reply = self
                .create(token, &parts[chain.len()], parent.as_deref())
                .await
                .map_err(|e| within(e, &chain, parts.len()))?;
            if is_duplicate(&reply) {
                // X refuses the same text twice: an earlier attempt got this part through.
                let found = match account() {
                    Ok(account) => self
                        .posted(token, account, &parts)
                        .await
                        .map_err(|e| within(e, &chain, parts.len()))?,
                    Err(_) => Vec::new(),
                };
                if found.len() > chain.len() {
                    chain = found;
                    continue;
                }
                let refused = PublishError::permanent(
                    codes::REJECTED,
                    format!("x refused duplicate content: {}", reply.message()),
                );
                return Err(within(refused, &chain, parts.len()));
            }
            if !reply.status.is_success() {
                return Err(within(
                    reply.failure(CHANNEL, Op::Create),
                    &chain,
                    parts.len(),
                ));
            }
            let Some(id) = id_of(reply.json().pointer("/data/id")) else {
                let unknown = PublishError::ambiguous(format!(
                    "x answered {} without the post's id",
                    reply.status
                ));
                return Err(within(unknown, &chain, parts.len()));
            };
            chain.push(Tweet { id, at: Utc::now() });
        }
        published(&chain).ok_or_else(|| PublishError::permanent(codes::REJECTED, "nothing to post"))
    }

    /// The post, or the complete thread, among the account's latest posts (matched by text
    /// and reply chain). A partial thread is `Ok(None)`: `publish` resumes it.
    async fn find_existing(
        &self,
        post: &Post,
        creds: &Credentials,
        _key: &str,
    ) -> Result<Option<Published>, PublishError> {
        let token = required(&creds.token, CHANNEL, "an access token")?;
        let account = required(&creds.account, CHANNEL, "the user id (account)")?;
        let parts = parts(post);
        let chain = self
            .posted(token, account, &parts)
            .await
            .map_err(unverifiable_when_forbidden)?;
        Ok((chain.len() == parts.len())
            .then(|| published(&chain))
            .flatten())
    }

    /// Public metrics of the post (a thread's first part). Link clicks are only in the
    /// owner-only, 30-day `non_public_metrics`, so `clicks` stays `None`.
    async fn metrics(
        &self,
        published: &Published,
        creds: &Credentials,
    ) -> Result<Metrics, PublishError> {
        let token = required(&creds.token, CHANNEL, "an access token")?;
        let url = self.http.url(CHANNEL, &self.api, "/2/tweets")?;
        let request = self.http.client.get(url).bearer_auth(token).query(&[
            ("ids", published.id.as_str()),
            ("tweet.fields", "public_metrics"),
        ]);
        let reply = self.http.send(CHANNEL, request, Op::Read).await?;
        if !reply.status.is_success() {
            return Err(reply.failure(CHANNEL, Op::Read));
        }
        let json = reply.json();
        let m = json.pointer("/data/0/public_metrics").ok_or_else(|| {
            PublishError::permanent(
                codes::NOT_FOUND,
                format!("x has no post {}: {}", published.id, reply.message()),
            )
        })?;
        let count = |k: &str| m.get(k).and_then(Value::as_u64);
        // A thread's second part is our own reply to the first: not a comment.
        let own_replies = u64::from(published.part_ids.len() > 1);
        Ok(Metrics {
            impressions: count("impression_count"),
            reactions: count("like_count"),
            comments: count("reply_count").map(|n| n.saturating_sub(own_replies)),
            shares: match (count("retweet_count"), count("quote_count")) {
                (None, None) => None,
                (r, q) => Some(r.unwrap_or(0) + q.unwrap_or(0)),
            },
            clicks: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_comparison_ignores_link_rewriting_and_entities() {
        assert_eq!(
            comparable("Fish &amp; chips https://t.co/abc"),
            comparable("Fish & chips\n https://example.com/long/path")
        );
        assert_ne!(comparable("Fish & chips"), comparable("Fish and chips"));
    }
}
