//! The triage inbox: filtered, newest-first listing, tagging and review, and exclusion terms
//! suggested from what people marked irrelevant.

use super::keys::{gsi1_sk, mention_key, monitor_partition, range_bounds, tenant_partition};
use super::store::{MentionStore, READ_PAGE, StoredMention, normalise_tag};
use super::terms::tokens;
use chrono::{DateTime, Utc};
use plasma_core::{Condition, PortError, PortResult, Query, Update};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Every field narrows the list; `None` means "any".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InboxFilter {
    pub monitor_id: Option<String>,
    pub label: Option<super::SentimentLabel>,
    pub source: Option<String>,
    /// Published at or after.
    pub from: Option<DateTime<Utc>>,
    /// Published before.
    pub to: Option<DateTime<Utc>>,
    pub tag: Option<String>,
    pub reviewed: Option<bool>,
    pub irrelevant: Option<bool>,
}

impl InboxFilter {
    fn admits(&self, m: &StoredMention, tag: Option<&str>) -> bool {
        let at = m.mention.published_at;
        self.label.is_none_or(|l| m.sentiment.label == l)
            && self.source.as_deref().is_none_or(|s| m.mention.source == s)
            && self.from.is_none_or(|from| at >= from)
            && self.to.is_none_or(|to| at < to)
            && tag.is_none_or(|t| m.tags.iter().any(|have| have == t))
            && self.reviewed.is_none_or(|r| m.reviewed == r)
            && self.irrelevant.is_none_or(|i| m.irrelevant == i)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboxPage {
    pub mentions: Vec<StoredMention>,
    /// Pass back to continue; `None` when the list is exhausted. A page may hold fewer than
    /// the limit and still have a cursor (the scan budget ran out on a narrow filter).
    pub next: Option<String>,
}

/// Most items one inbox call examines, so a filter that matches little cannot turn one
/// request into a scan of the whole tenant.
const SCAN_BUDGET: usize = 2_000;
/// Largest page a caller may ask for.
pub const MAX_PAGE: u32 = 200;
/// Most mentions read when suggesting exclusions (newest first).
pub const MAX_SUGGESTION_SAMPLE: usize = 20_000;

/// A word that separates irrelevant mentions from relevant ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TermSuggestion {
    pub term: String,
    /// Irrelevant mentions containing the term.
    pub irrelevant: u64,
    /// Relevant mentions containing the term.
    pub relevant: u64,
    /// Smoothed log-odds ratio; higher means more typical of irrelevant mentions.
    pub score: f64,
}

/// Additive smoothing for the log-odds: keeps terms never seen on one side finite.
const SMOOTHING: f64 = 0.5;
/// A term must appear in at least this many irrelevant mentions to be suggested; one odd
/// post is not a pattern.
const MIN_IRRELEVANT: u64 = 2;

impl MentionStore {
    /// One page of the tenant's mentions, newest first. The cursor is the sort key of the
    /// last mention returned (on the monitor partition when the filter names a monitor,
    /// otherwise on GSI1), so each call resumes right after it and every mention is listed
    /// exactly once even when filters skip most items.
    pub async fn inbox(
        &self,
        tenant: &str,
        filter: &InboxFilter,
        limit: u32,
        cursor: Option<String>,
    ) -> PortResult<InboxPage> {
        if limit == 0 || limit > MAX_PAGE {
            return Err(PortError::Invalid(format!(
                "page limit must be 1 to {MAX_PAGE}"
            )));
        }
        let tag = filter.tag.as_deref().map(normalise_tag).transpose()?;
        let (lo, mut hi) = range_bounds(filter.from, filter.to);
        let base = match &filter.monitor_id {
            Some(monitor) => Query::partition(monitor_partition(tenant, monitor)?),
            None => Query::gsi1(tenant_partition(tenant)?),
        };
        // Bounds are inclusive: resume at the cursor and skip the item it names.
        if let Some(c) = cursor.as_ref().filter(|c| **c < hi) {
            hi.clone_from(c);
        }
        let mut query = base.between(lo, hi).limit(READ_PAGE).descending();
        let mut mentions = Vec::new();
        let mut examined = 0;
        loop {
            let page = self.items.query(query.clone()).await?;
            for item in &page.items {
                let m: StoredMention = item.parse()?;
                let index_sk = match &filter.monitor_id {
                    Some(_) => m.key.clone(),
                    None => gsi1_sk(&m.monitor_id, m.mention.published_at, &m.digest)?,
                };
                if cursor.as_ref() == Some(&index_sk) {
                    continue;
                }
                examined += 1;
                if filter.admits(&m, tag.as_deref()) {
                    mentions.push(m);
                }
                if mentions.len() == limit as usize || examined == SCAN_BUDGET {
                    return Ok(InboxPage {
                        mentions,
                        next: Some(index_sk),
                    });
                }
            }
            match page.next {
                Some(next) => query.cursor = Some(next),
                None => {
                    return Ok(InboxPage {
                        mentions,
                        next: None,
                    });
                }
            }
        }
    }

    pub async fn tag(
        &self,
        tenant: &str,
        monitor_id: &str,
        key: &str,
        expected_version: u64,
        tag: &str,
    ) -> PortResult<StoredMention> {
        let tag = normalise_tag(tag)?;
        self.change(tenant, monitor_id, key, expected_version, |m| {
            if let Err(at) = m.tags.binary_search(&tag) {
                m.tags.insert(at, tag);
            }
        })
        .await
    }

    pub async fn untag(
        &self,
        tenant: &str,
        monitor_id: &str,
        key: &str,
        expected_version: u64,
        tag: &str,
    ) -> PortResult<StoredMention> {
        let tag = normalise_tag(tag)?;
        self.change(tenant, monitor_id, key, expected_version, |m| {
            m.tags.retain(|t| *t != tag)
        })
        .await
    }

    pub async fn mark_reviewed(
        &self,
        tenant: &str,
        monitor_id: &str,
        key: &str,
        expected_version: u64,
        reviewed: bool,
    ) -> PortResult<StoredMention> {
        self.change(tenant, monitor_id, key, expected_version, |m| {
            m.reviewed = reviewed
        })
        .await
    }

    pub async fn mark_irrelevant(
        &self,
        tenant: &str,
        monitor_id: &str,
        key: &str,
        expected_version: u64,
        irrelevant: bool,
    ) -> PortResult<StoredMention> {
        self.change(tenant, monitor_id, key, expected_version, |m| {
            m.irrelevant = irrelevant
        })
        .await
    }

    /// Apply `edit` to the mention as of `expected_version`. Two people triaging the same
    /// mention cannot silently overwrite each other: the loser gets `Conflict` and re-reads.
    async fn change(
        &self,
        tenant: &str,
        monitor_id: &str,
        key: &str,
        expected_version: u64,
        edit: impl FnOnce(&mut StoredMention),
    ) -> PortResult<StoredMention> {
        let mut m = self
            .get(tenant, monitor_id, key)
            .await?
            .ok_or_else(|| PortError::Invalid(format!("no mention {key:?}")))?;
        if m.version != expected_version {
            return Err(PortError::Conflict(format!(
                "mention {key:?} is at version {}, not {expected_version}",
                m.version
            )));
        }
        edit(&mut m);
        m.version += 1;
        let update = Update::default()
            .set(
                "tags",
                serde_json::to_value(&m.tags).map_err(PortError::backend)?,
            )
            .set("reviewed", m.reviewed)
            .set("irrelevant", m.irrelevant)
            .set("version", m.version);
        self.items
            .update(
                &mention_key(tenant, monitor_id, key)?,
                update,
                Condition::Equals("version".into(), expected_version.into()),
            )
            .await?
            .parse()
    }

    /// Terms to add as exclusions to a monitor's query, best first: frequent in mentions
    /// marked irrelevant and rare in the others. Reads the newest
    /// [`MAX_SUGGESTION_SAMPLE`] mentions of the monitor.
    pub async fn suggest_exclusions(
        &self,
        tenant: &str,
        monitor_id: &str,
        top: usize,
    ) -> PortResult<Vec<TermSuggestion>> {
        let (mentions, _) = self
            .read_range(tenant, monitor_id, None, None, MAX_SUGGESTION_SAMPLE)
            .await?;
        Ok(suggest_exclusions(&mentions, top))
    }
}

/// Rank terms by the smoothed log-odds ratio of appearing in an irrelevant versus a relevant
/// mention (document frequency: a word repeated in one post counts once).
pub fn suggest_exclusions(mentions: &[StoredMention], top: usize) -> Vec<TermSuggestion> {
    // term -> (irrelevant, relevant) mention counts
    let mut counts: HashMap<String, (u64, u64)> = HashMap::new();
    let (mut n_irrelevant, mut n_relevant) = (0u64, 0u64);
    for m in mentions {
        let side = m.irrelevant;
        if side {
            n_irrelevant += 1;
        } else {
            n_relevant += 1;
        }
        let distinct: HashSet<String> = tokens(&m.mention.text).collect();
        for term in distinct {
            let entry = counts.entry(term).or_default();
            if side {
                entry.0 += 1;
            } else {
                entry.1 += 1;
            }
        }
    }
    let odds = |k: u64, n: u64| ((k as f64 + SMOOTHING) / ((n - k) as f64 + SMOOTHING)).ln();
    let mut ranked: Vec<TermSuggestion> = counts
        .into_iter()
        .filter(|(_, (irrelevant, _))| *irrelevant >= MIN_IRRELEVANT)
        .map(|(term, (irrelevant, relevant))| TermSuggestion {
            score: odds(irrelevant, n_irrelevant) - odds(relevant, n_relevant),
            term,
            irrelevant,
            relevant,
        })
        .filter(|s| s.score > 0.0)
        .collect();
    ranked.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.irrelevant.cmp(&a.irrelevant))
            .then_with(|| a.term.cmp(&b.term))
    });
    ranked.truncate(top);
    ranked
}
