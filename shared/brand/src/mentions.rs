//! Mention storage, deduplication, the triage inbox and analytics.
//!
//! # Key design (single table)
//!
//! | item | PK | SK | GSI1PK | GSI1SK |
//! |------|----|----|--------|--------|
//! | mention | `T#{tenant}#MON#{monitor}#MENTION` | `{published}#{digest}` | `T#{tenant}#MENTION` | `{published}#{monitor}#{digest}` |
//! | dedup marker | `T#{tenant}#MON#{monitor}#DEDUP` | `{digest}` | – | – |
//!
//! `{published}` is `published_at` as RFC 3339 UTC with milliseconds, so string order is time
//! order and a date range is one `Between` on the sort key. `{digest}` is derived from the
//! canonical URL and the normalised text ([`dedup`]), so it is the same for every sighting of
//! one item and also tells apart different items published in the same millisecond.
//!
//! - Mentions of a monitor, newest first, optionally in a date range: the primary partition,
//!   descending. Analytics and share of voice read this path.
//! - A tenant's inbox across all monitors: GSI1, descending.
//! - Deduplication: the marker is written with `Condition::NotExists` in one transaction with
//!   the mention, so of any number of concurrent collectors exactly one stores the item.
//!   Markers are per monitor, because the same article counts once for each monitor it
//!   mentions (share of voice compares monitors).
//!
//! Every key starts with `T#{tenant}#` and is built by `plasma_core::keys`, whose ids may not
//! contain `#`, so no query can reach another tenant's items.

mod analytics;
mod dedup;
mod inbox;
mod keys;
mod store;
mod terms;

pub use analytics::{
    Analytics, AnalyticsRequest, Bucket, BucketStats, MAX_ANALYSED, MAX_BUCKETS, Ranked,
    SentimentCounts, ShareOfVoice, VoiceShare,
};
pub use dedup::{content_hash, dedup_digest};
pub use inbox::{
    InboxFilter, InboxPage, MAX_PAGE, MAX_SUGGESTION_SAMPLE, TermSuggestion, suggest_exclusions,
};
pub use store::{Insert, MentionStore, NewMention, SentimentLabel, SentimentScore, StoredMention};
pub use terms::{is_stop_word, tokens};

#[cfg(test)]
mod tests;
