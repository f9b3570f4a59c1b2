//! The record every source connector normalises its items into.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    /// Stable across re-scans: derived from the canonical URL, or the source's own id.
    pub id: String,
    pub url: String,
    /// The connector kind that produced it (`rss`, `newsapi`, `hackernews`, `reddit`,
    /// `mastodon`, `x`, `webhook`).
    pub source: String,
    pub author: Option<String>,
    pub published_at: DateTime<Utc>,
    /// Title and body as plain text (markup removed).
    pub text: String,
    /// BCP 47 language tag when the source says or it can be told.
    pub language: Option<String>,
    /// Audience size the source reports (followers, subscribers), when it does.
    pub reach: Option<u64>,
    /// Interactions the source reports (likes + shares + comments, or points), when it does.
    pub engagement: Option<u64>,
}
