//! One scan job: fetch a source from its cursor, keep what the monitor's query matches, score
//! and store it, move the cursor on, and record the outcome.

use super::connectors::{connector, search_text};
use super::runs::{Outcome, SourceOutcome};
use super::{Brand, ScanJob};
use crate::Mention;
use crate::mentions::{Insert, NewMention, SentimentLabel, SentimentScore, StoredMention};
use crate::monitors::Monitor;
use crate::query::Query;
use crate::sources::{SourceError, SourceQuery, load_cursor, save_cursor};
use chrono::Duration;
use plasma_core::PortError;
use plasma_sentiment::{Analyzer, Label};
use std::collections::BTreeMap;

/// Items asked for per request; connectors clamp it to each API's maximum.
const FETCH_LIMIT: u32 = 100;
/// How far back a source's first scan looks, where the API filters by time.
const FIRST_SCAN_DAYS: i64 = 7;

#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    #[error(transparent)]
    Store(#[from] PortError),
    #[error("source {index} ({kind}): {error}")]
    Source {
        index: usize,
        kind: &'static str,
        #[source]
        error: SourceError,
    },
    #[error("monitor {0} has a query that no longer parses: {1}")]
    Query(String, String),
}

/// Run one job. A job whose monitor or source is gone (deleted since it was queued) is done:
/// retrying cannot help. A source failure is recorded in the scan run and returned, so the
/// job is retried (and dead-lettered after the queue's receive limit).
pub async fn collect(brand: &Brand, job: &ScanJob) -> Result<(), CollectError> {
    let monitors = brand.monitors();
    let Some(monitor) = monitors.get(&job.tenant, &job.monitor_id).await? else {
        tracing::info!(monitor = %job.monitor_id, "scan job for a deleted monitor; skipped");
        return Ok(());
    };
    let Some(config) = monitor.sources.get(job.source_index) else {
        tracing::warn!(monitor = %job.monitor_id, index = job.source_index, "scan job for a missing source; skipped");
        return Ok(());
    };
    let query = Query::parse_with_exclusions(&monitor.query, &monitor.exclusions)
        .map_err(|e| CollectError::Query(monitor.id.clone(), e.to_string()))?;
    let competitors = competitors(brand, &job.tenant, &monitor).await?;
    let kind = config.kind.as_str();
    let result = fetch_and_store(brand, job, &monitor, &query, &competitors).await;
    let outcome = match &result {
        Ok((fetched, new)) => Outcome::Ok {
            fetched: *fetched,
            new: *new,
        },
        Err(CollectError::Source { error, .. }) => Outcome::Error {
            error: error.to_string(),
            retryable: error.is_retryable(),
        },
        Err(e) => Outcome::Error {
            error: e.to_string(),
            retryable: true,
        },
    };
    let finished = SourceOutcome {
        source_index: job.source_index,
        kind: kind.to_string(),
        finished_at: brand.clock.now(),
        outcome,
    };
    brand
        .runs()
        .finish(&job.tenant, &monitor.id, &job.scan_id, &finished)
        .await?;
    result.map(|_| ())
}

/// `(fetched, new)`.
async fn fetch_and_store(
    brand: &Brand,
    job: &ScanJob,
    monitor: &Monitor,
    query: &Query,
    competitors: &[Monitor],
) -> Result<(u64, u64), CollectError> {
    let index = job.source_index;
    let config = &monitor.sources[index];
    let kind = config.kind.as_str();
    let source_error = |error| CollectError::Source { index, kind, error };
    let source = connector(config, &brand.settings, &brand.http).map_err(source_error)?;
    // Unique within the monitor, and stable because monitors are immutable.
    let cursor_name = format!("{index}:{kind}");
    let items = brand.items.as_ref();
    let cursor = load_cursor(items, &job.tenant, &monitor.id, &cursor_name).await?;
    let search = SourceQuery {
        text: search_text(config.kind, monitor, query),
        since: Some(brand.clock.now() - Duration::days(FIRST_SCAN_DAYS)),
        limit: FETCH_LIMIT,
    };
    let fetched = source.fetch(&search, cursor).await.map_err(source_error)?;
    let total = fetched.mentions.len() as u64;
    let (_, stored) = store_matching(
        brand,
        &job.tenant,
        monitor,
        query,
        competitors,
        fetched.mentions,
    )
    .await?;
    // Saved after the mentions: a job that dies midway fetches the same items again, and
    // deduplication absorbs them.
    save_cursor(
        items,
        &job.tenant,
        &monitor.id,
        &cursor_name,
        &fetched.cursor,
    )
    .await?;
    evaluate_alerts(brand, &job.tenant, monitor, &stored).await;
    Ok((total, stored.len() as u64))
}

/// What a batch of mentions from any source (a scan job or the inbound webhook) amounted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ingested {
    /// Mentions the monitor's language filter and query kept.
    pub matched: u64,
    /// Of those, the ones not stored before.
    pub new: u64,
}

/// The pipeline every batch of mentions goes through: keep what the monitor wants (language
/// and query), score with the tenant's sentiment provider, store with deduplication, then
/// evaluate the monitor's alert rules on the new ones. Competitors are loaded here; a scan
/// job, which must save its cursor between storing and alerting, uses the parts instead.
pub async fn ingest(
    brand: &Brand,
    tenant: &str,
    monitor: &Monitor,
    mentions: Vec<Mention>,
) -> Result<Ingested, CollectError> {
    let query = Query::parse_with_exclusions(&monitor.query, &monitor.exclusions)
        .map_err(|e| CollectError::Query(monitor.id.clone(), e.to_string()))?;
    let competitors = competitors(brand, tenant, monitor).await?;
    let (matched, stored) =
        store_matching(brand, tenant, monitor, &query, &competitors, mentions).await?;
    evaluate_alerts(brand, tenant, monitor, &stored).await;
    Ok(Ingested {
        matched,
        new: stored.len() as u64,
    })
}

/// The monitor's competitors that still exist.
async fn competitors(
    brand: &Brand,
    tenant: &str,
    monitor: &Monitor,
) -> Result<Vec<Monitor>, PortError> {
    let monitors = brand.monitors();
    let mut found = Vec::new();
    for id in &monitor.competitors {
        if let Some(c) = monitors.get(tenant, id).await? {
            found.push(c);
        }
    }
    Ok(found)
}

/// Filter, score and insert; `(matched, newly stored)`.
async fn store_matching(
    brand: &Brand,
    tenant: &str,
    monitor: &Monitor,
    query: &Query,
    competitors: &[Monitor],
    mentions: Vec<Mention>,
) -> Result<(u64, Vec<StoredMention>), PortError> {
    let store = brand.mentions();
    let matched: Vec<Mention> = mentions
        .into_iter()
        .filter(|m| monitor.wants_language(m.language.as_deref()) && query.matches(&m.text))
        .collect();
    let count = matched.len() as u64;
    // Scored before storing and in one go, so an LLM sees whole batches. Duplicates of stored
    // mentions are scored again and discarded; at most one batch's worth.
    let texts: Vec<String> = matched.iter().map(|m| m.text.clone()).collect();
    let compounds = brand.sentiment(tenant).await?.compounds(&texts).await;
    let mut analyzer = Analyzer::new();
    let mut stored = Vec::new();
    for (mention, compound) in matched.into_iter().zip(compounds) {
        let scored = score(&mut analyzer, mention, compound, monitor, competitors);
        if let Insert::New(mention) = store.insert(tenant, scored).await? {
            stored.push(*mention);
        }
    }
    Ok((count, stored))
}

/// A failed evaluation does not fail the batch: the mentions are stored, and a retry would
/// find them duplicates and evaluate nothing. Spike rules look at the whole window again on
/// the next scan; keyword and high-reach rules miss only these mentions.
async fn evaluate_alerts(brand: &Brand, tenant: &str, monitor: &Monitor, stored: &[StoredMention]) {
    if let Err(error) = brand.alerts.evaluate(tenant, &monitor.id, stored).await {
        tracing::error!(monitor = %monitor.id, %error, "alert evaluation failed");
    }
}

/// `compound` is the overall score from the tenant's analyser. Targeted scores always come
/// from the built-in one, which can attribute sentiment to the words near each brand name.
fn score(
    analyzer: &mut Analyzer,
    mention: Mention,
    compound: f64,
    monitor: &Monitor,
    competitors: &[Monitor],
) -> NewMention {
    let sentiment = convert(compound);
    // Targeted sentiment only says something when the text names several brands ("X beats
    // Y"); for a text about one brand it equals the overall score.
    let mut targeted = BTreeMap::new();
    for brand in std::iter::once(monitor).chain(competitors) {
        if let Some(s) = analyzer.score_for(&mention.text, &brand.brand_names()) {
            targeted.insert(brand.name.clone(), convert(s.compound));
        }
    }
    if targeted.len() < 2 {
        targeted.clear();
    }
    NewMention {
        mention,
        monitor_id: monitor.id.clone(),
        matched: true,
        sentiment,
        targeted,
        tags: Vec::new(),
    }
}

fn convert(compound: f64) -> SentimentScore {
    SentimentScore {
        compound,
        label: match Label::of(compound) {
            Label::Positive => SentimentLabel::Positive,
            Label::Neutral => SentimentLabel::Neutral,
            Label::Negative => SentimentLabel::Negative,
        },
    }
}
