//! The one trait every connector implements, and the values that cross it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::time::Duration;

/// What to publish. Each connector takes the fields its platform has a place for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    /// Blog title (WordPress, Medium; Medium requires one). Social channels ignore it.
    pub title: Option<String>,
    /// The body, in `content_format`.
    pub text: String,
    /// X only: when not empty, the whole thread in order (part 1 first); X then posts these
    /// parts instead of `text`. Empty means a single post.
    pub thread: Vec<String>,
    /// A link the social channels (LinkedIn, X, Mastodon) append when the text does not
    /// already contain it; the webhook passes it on; blogs leave it to the body.
    pub link: Option<String>,
    /// Hashtags on social channels, tags on Medium (WordPress needs term ids: not sent).
    pub tags: Vec<String>,
    pub content_format: ContentFormat,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContentFormat {
    #[default]
    Markdown,
    Html,
    Plain,
}

/// One account on one channel. Which fields a channel needs is on its connector.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Credentials {
    /// Bearer access token (LinkedIn, X, Mastodon, Medium).
    pub token: Option<String>,
    /// WordPress user name.
    pub username: Option<String>,
    /// WordPress application password.
    pub password: Option<String>,
    /// LinkedIn author URN, Medium user id, X user id.
    pub account: Option<String>,
    /// Webhook signing secret (`whsec_…`).
    pub secret: Option<String>,
    /// WordPress site, Mastodon instance, webhook URL.
    pub base_url: Option<String>,
}

/// Credentials end up in logs through `{:?}` of whatever holds them: never print the secrets.
impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn redacted(v: &Option<String>) -> Option<&'static str> {
            v.as_ref().map(|_| "<redacted>")
        }
        f.debug_struct("Credentials")
            .field("token", &redacted(&self.token))
            .field("username", &self.username)
            .field("password", &redacted(&self.password))
            .field("account", &self.account)
            .field("secret", &redacted(&self.secret))
            .field("base_url", &self.base_url)
            .finish()
    }
}

/// A post the platform confirmed by returning its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Published {
    pub id: String,
    pub url: Option<String>,
    /// X threads: every part's id in order (the first is `id`). Empty for single posts.
    #[serde(default)]
    pub part_ids: Vec<String>,
    pub at: DateTime<Utc>,
}

/// Post metrics; `None` where the platform's API does not give the number.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Metrics {
    pub impressions: Option<u64>,
    pub reactions: Option<u64>,
    pub comments: Option<u64>,
    pub shares: Option<u64>,
    pub clicks: Option<u64>,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum PublishError {
    /// Worth retrying later (5xx, 429 with retry_after, connection refused before sending).
    #[error("retryable: {reason}")]
    Retryable {
        reason: String,
        retry_after: Option<Duration>,
    },
    /// The request may or may not have reached the platform (timeout after sending, connection
    /// reset mid-response): the caller must call `find_existing` before posting again.
    #[error("outcome unknown: {reason}")]
    Ambiguous { reason: String },
    /// Will not succeed by retrying. `code` is one of the `codes` constants.
    #[error("{code}: {reason}")]
    Permanent { code: String, reason: String },
}

/// The stable `code`s of [`PublishError::Permanent`].
pub mod codes {
    /// The token expired: the user reconnects the account.
    pub const AUTH_EXPIRED: &str = "auth_expired";
    /// The credentials are wrong or revoked.
    pub const AUTH_INVALID: &str = "auth_invalid";
    /// Authenticated, but the account may not do this (scope, role, app permissions).
    pub const FORBIDDEN: &str = "forbidden";
    /// The platform refused the content (validation, length, duplicate content).
    pub const REJECTED: &str = "rejected";
    /// A credential or setting the channel needs is missing or unusable.
    pub const NOT_CONFIGURED: &str = "not_configured";
    /// The post is gone (metrics of a deleted post).
    pub const NOT_FOUND: &str = "not_found";
    /// `find_existing` cannot tell whether the post exists: do not post again.
    pub const UNVERIFIABLE: &str = "unverifiable";
}

impl PublishError {
    pub fn permanent(code: &str, reason: impl Into<String>) -> Self {
        Self::Permanent {
            code: code.into(),
            reason: reason.into(),
        }
    }

    pub fn ambiguous(reason: impl Into<String>) -> Self {
        Self::Ambiguous {
            reason: reason.into(),
        }
    }

    pub fn not_configured(reason: impl Into<String>) -> Self {
        Self::permanent(codes::NOT_CONFIGURED, reason)
    }

    /// The permanent code, if any.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Permanent { code, .. } => Some(code),
            _ => None,
        }
    }

    /// The same error with context in front of its reason (which thread parts were posted).
    pub(crate) fn context(self, prefix: &str) -> Self {
        match self {
            Self::Retryable {
                reason,
                retry_after,
            } => Self::Retryable {
                reason: format!("{prefix}: {reason}"),
                retry_after,
            },
            Self::Ambiguous { reason } => Self::Ambiguous {
                reason: format!("{prefix}: {reason}"),
            },
            Self::Permanent { code, reason } => Self::Permanent {
                code,
                reason: format!("{prefix}: {reason}"),
            },
        }
    }
}

#[async_trait::async_trait]
pub trait Publisher: Send + Sync {
    /// "webhook", "wordpress", "linkedin", "x", "mastodon" or "medium".
    fn channel(&self) -> &'static str;

    /// Posts once. `key` is the idempotency key for this item and channel; connectors whose
    /// API supports idempotency send it (Mastodon `Idempotency-Key`, webhook `webhook-id`),
    /// others embed it where `find_existing` can see it (WordPress slug). `Ok` only when the
    /// platform returned the created post's id.
    async fn publish(
        &self,
        post: &Post,
        creds: &Credentials,
        key: &str,
    ) -> Result<Published, PublishError>;

    /// After an `Ambiguous` outcome: looks on the platform for the post made with this key /
    /// this content. `Ok(None)` means "not there, safe to post"; `Err(Permanent{code:
    /// "unverifiable"})` when the API cannot tell (then the caller must not repost).
    async fn find_existing(
        &self,
        post: &Post,
        creds: &Credentials,
        key: &str,
    ) -> Result<Option<Published>, PublishError>;

    /// The post's current numbers.
    async fn metrics(
        &self,
        published: &Published,
        creds: &Credentials,
    ) -> Result<Metrics, PublishError>;
}

/// `find_existing` when the account may post but not read its posts back (LinkedIn member
/// posts need the restricted `r_member_social`): the lookup cannot tell, which is not the
/// same as "not there".
pub(crate) fn unverifiable_when_forbidden(error: PublishError) -> PublishError {
    match error {
        PublishError::Permanent { code, reason } if code == codes::FORBIDDEN => {
            PublishError::permanent(codes::UNVERIFIABLE, reason)
        }
        other => other,
    }
}

/// A credential the channel cannot work without.
pub(crate) fn required<'a>(
    value: &'a Option<String>,
    channel: &str,
    what: &str,
) -> Result<&'a str, PublishError> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| PublishError::not_configured(format!("{channel} needs {what}")))
}
