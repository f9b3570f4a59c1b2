//! The stored mention and its insertion with deduplication.

use super::dedup::dedup_digest;
use super::keys::{
    dedup_key, mention_gsi1, mention_key, mention_sk, monitor_partition, range_bounds,
};
use crate::Mention;
use chrono::{DateTime, Utc};
use plasma_core::item::attrs_of;
use plasma_core::{Clock, Condition, Item, ItemStore, PortError, PortResult, Query, TxOp};
use serde::{Deserialize, Serialize};
use serde_json::Map;
use std::collections::BTreeMap;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SentimentLabel {
    Positive,
    Neutral,
    Negative,
}

/// The sentiment analyser's verdict (the analyser lives in another crate).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SentimentScore {
    /// From -1 (most negative) to 1 (most positive).
    pub compound: f64,
    pub label: SentimentLabel,
}

/// What a collector hands over for one monitor.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMention {
    pub mention: Mention,
    pub monitor_id: String,
    /// Whether the monitor's query matched (unmatched items may be kept for tuning).
    pub matched: bool,
    pub sentiment: SentimentScore,
    /// Sentiment towards each named brand or competitor the text talks about.
    pub targeted: BTreeMap<String, SentimentScore>,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredMention {
    /// Handle for later changes (tag, review): the item's sort key in its monitor partition.
    pub key: String,
    /// Same for every sighting of the item ([`super::dedup_digest`]).
    pub digest: String,
    pub tenant: String,
    pub monitor_id: String,
    pub mention: Mention,
    pub matched: bool,
    pub sentiment: SentimentScore,
    #[serde(default)]
    pub targeted: BTreeMap<String, SentimentScore>,
    /// Sorted and unique.
    #[serde(default)]
    pub tags: Vec<String>,
    pub reviewed: bool,
    pub irrelevant: bool,
    pub collected_at: DateTime<Utc>,
    /// Bumped by every change; changes name the version they were based on.
    pub version: u64,
}

/// Outcome of [`MentionStore::insert`].
#[derive(Debug, Clone, PartialEq)]
pub enum Insert {
    /// Boxed: a stored mention is large and the duplicate case carries nothing.
    New(Box<StoredMention>),
    /// The monitor already holds this item; nothing was written.
    Duplicate,
}

impl Insert {
    pub fn is_new(&self) -> bool {
        matches!(self, Insert::New(_))
    }
}

#[derive(Clone)]
pub struct MentionStore {
    pub(crate) items: Arc<dyn ItemStore>,
    clock: Arc<dyn Clock>,
}

/// Longest tag accepted; tags are labels, not notes.
const MAX_TAG_CHARS: usize = 64;

/// Tags are compared case-insensitively and trimmed, so "Crisis " and "crisis" are one tag.
pub(crate) fn normalise_tag(tag: &str) -> PortResult<String> {
    let tag = tag.trim().to_lowercase();
    if tag.is_empty() || tag.chars().count() > MAX_TAG_CHARS {
        return Err(PortError::Invalid(format!(
            "a tag has 1 to {MAX_TAG_CHARS} characters"
        )));
    }
    Ok(tag)
}

impl MentionStore {
    pub fn new(items: Arc<dyn ItemStore>, clock: Arc<dyn Clock>) -> Self {
        Self { items, clock }
    }

    /// Store the mention unless the monitor already has it. The dedup marker and the mention
    /// are written in one transaction, both conditional on absence, so concurrent collectors
    /// (re-scans, redelivered messages, two sources with one canonical URL) store it once.
    pub async fn insert(&self, tenant: &str, new: NewMention) -> PortResult<Insert> {
        let digest = dedup_digest(&new.mention);
        let mut tags = new
            .tags
            .iter()
            .map(|t| normalise_tag(t))
            .collect::<PortResult<Vec<_>>>()?;
        tags.sort();
        tags.dedup();
        let record = StoredMention {
            key: mention_sk(new.mention.published_at, &digest)?,
            digest,
            tenant: tenant.to_string(),
            monitor_id: new.monitor_id,
            mention: new.mention,
            matched: new.matched,
            sentiment: new.sentiment,
            targeted: new.targeted,
            tags,
            reviewed: false,
            irrelevant: false,
            collected_at: self.clock.now(),
            version: 1,
        };
        let marker_key = dedup_key(tenant, &record.monitor_id, &record.digest)?;
        // The marker points at the mention it guards, so a duplicate can be traced to the
        // stored copy (whose sort key may differ if the source changed `published_at`).
        let mut marker = Map::new();
        marker.insert("mention".into(), record.key.clone().into());
        let mention = Item::new(
            mention_key(tenant, &record.monitor_id, &record.key)?,
            attrs_of(&record)?,
        )
        .with_gsi1(mention_gsi1(
            tenant,
            &record.monitor_id,
            record.mention.published_at,
            &record.digest,
        )?);
        let ops = vec![
            TxOp::Put(Item::new(marker_key, marker), Condition::NotExists),
            TxOp::Put(mention, Condition::NotExists),
        ];
        match self.items.transact_write(ops).await {
            Ok(()) => Ok(Insert::New(Box::new(record))),
            Err(PortError::TransactionCanceled { .. }) => Ok(Insert::Duplicate),
            Err(e) => Err(e),
        }
    }

    pub async fn get(
        &self,
        tenant: &str,
        monitor_id: &str,
        key: &str,
    ) -> PortResult<Option<StoredMention>> {
        let item_key = mention_key(tenant, monitor_id, key)?;
        if key.is_empty() {
            return Ok(None);
        }
        match self.items.get(&item_key).await? {
            Some(item) => item.parse().map(Some),
            None => Ok(None),
        }
    }

    /// Mentions of a monitor published in `[from, to)` (unbounded where `None`), newest
    /// first, at most `cap`; the flag says whether more were left unread.
    pub(crate) async fn read_range(
        &self,
        tenant: &str,
        monitor_id: &str,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        cap: usize,
    ) -> PortResult<(Vec<StoredMention>, bool)> {
        let (lo, hi) = range_bounds(from, to);
        let mut query = Query::partition(monitor_partition(tenant, monitor_id)?)
            .between(lo, hi)
            .limit(READ_PAGE)
            .descending();
        let mut out = Vec::new();
        loop {
            let page = self.items.query(query.clone()).await?;
            for item in &page.items {
                let stored: StoredMention = item.parse()?;
                let at = stored.mention.published_at;
                if from.is_none_or(|f| at >= f) && to.is_none_or(|t| at < t) {
                    if out.len() == cap {
                        return Ok((out, true));
                    }
                    out.push(stored);
                }
            }
            match page.next {
                Some(next) => query.cursor = Some(next),
                None => return Ok((out, false)),
            }
        }
    }
}

/// Items fetched per store round trip when reading a range.
pub(crate) const READ_PAGE: u32 = 500;
