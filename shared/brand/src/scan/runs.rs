//! Scan runs: what each scan did, per source, so a user can see why mentions did or did not
//! arrive.
//!
//! | item | PK | SK |
//! |------|----|----|
//! | run | `T#{tenant}#MON#{monitor}#SCAN` | `{scan_id}` |
//! | source outcome | `T#{tenant}#MON#{monitor}#SCAN` | `{scan_id}#{index:04}` |
//!
//! Scan ids are time-ordered, so a descending query lists the newest runs first, each run's
//! outcomes just before it. Items expire after [`RETENTION_DAYS`]: scheduled scans run every
//! few minutes and old runs only explain old gaps.

use crate::monitors::Monitor;
use chrono::{DateTime, Duration, Utc};
use plasma_core::item::attrs_of;
use plasma_core::keys::{SCAN_OUTCOME, SCANS};
use plasma_core::{Condition, Item, ItemStore, Key, PortResult, Query};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;
use utoipa::ToSchema;

const RETENTION_DAYS: i64 = 30;
/// Most runs one listing returns.
pub const MAX_RUNS: usize = 50;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum Outcome {
    /// `fetched` items came back from the source; `new` of them were stored (the others did
    /// not match the query or were already stored).
    Ok {
        fetched: u64,
        new: u64,
    },
    Error {
        error: String,
        retryable: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SourceOutcome {
    pub source_index: usize,
    pub kind: String,
    pub finished_at: DateTime<Utc>,
    #[serde(flatten)]
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ScanRun {
    pub scan_id: String,
    pub monitor_id: String,
    pub started_at: DateTime<Utc>,
    /// How many sources the scan covers; fewer outcomes mean jobs still pending.
    pub sources: usize,
    /// One per finished job, in source order; a retried job's latest attempt.
    #[serde(default)]
    pub outcomes: Vec<SourceOutcome>,
}

#[derive(Clone)]
pub struct ScanRuns {
    items: Arc<dyn ItemStore>,
}

fn partition(tenant: &str, monitor: &str) -> PortResult<String> {
    SCANS.key([tenant, monitor])
}

fn expiry(at: DateTime<Utc>) -> i64 {
    (at + Duration::days(RETENTION_DAYS)).timestamp()
}

impl ScanRuns {
    pub fn new(items: Arc<dyn ItemStore>) -> Self {
        Self { items }
    }

    pub async fn start(
        &self,
        tenant: &str,
        monitor: &Monitor,
        scan_id: &str,
        at: DateTime<Utc>,
    ) -> PortResult<()> {
        let run = ScanRun {
            scan_id: scan_id.to_string(),
            monitor_id: monitor.id.clone(),
            started_at: at,
            sources: monitor.sources.len(),
            outcomes: Vec::new(),
        };
        let item = Item::new(
            Key::new(partition(tenant, &monitor.id)?, scan_id),
            attrs_of(&run)?,
        )
        .with_expiry(expiry(at));
        self.items.put(item, Condition::None).await
    }

    /// Overwrites an earlier attempt's outcome: a redelivered job reports its latest try.
    pub async fn finish(
        &self,
        tenant: &str,
        monitor_id: &str,
        scan_id: &str,
        outcome: &SourceOutcome,
    ) -> PortResult<()> {
        let source = format!("{:04}", outcome.source_index);
        let sk = SCAN_OUTCOME.key([scan_id, &source])?;
        let item = Item::new(
            Key::new(partition(tenant, monitor_id)?, sk),
            attrs_of(outcome)?,
        )
        .with_expiry(expiry(outcome.finished_at));
        self.items.put(item, Condition::None).await
    }

    /// The newest `limit` runs (at most [`MAX_RUNS`]) with their outcomes, newest first.
    pub async fn list(
        &self,
        tenant: &str,
        monitor_id: &str,
        limit: usize,
    ) -> PortResult<Vec<ScanRun>> {
        let limit = limit.clamp(1, MAX_RUNS);
        let mut query = Query::partition(partition(tenant, monitor_id)?)
            .limit(200)
            .descending();
        let mut outcomes: HashMap<String, Vec<SourceOutcome>> = HashMap::new();
        let mut runs = Vec::new();
        loop {
            let page = self.items.query(query.clone()).await?;
            for item in &page.items {
                match SCAN_OUTCOME.parse(&item.key.sk) {
                    Some([scan_id, _]) => outcomes
                        .entry(scan_id.to_string())
                        .or_default()
                        .push(item.parse()?),
                    None => {
                        let mut run: ScanRun = item.parse()?;
                        // Read in descending order: reverse to source order.
                        run.outcomes = outcomes.remove(&run.scan_id).unwrap_or_default();
                        run.outcomes.reverse();
                        runs.push(run);
                        if runs.len() == limit {
                            return Ok(runs);
                        }
                    }
                }
            }
            match page.next {
                Some(next) => query.cursor = Some(next),
                None => return Ok(runs),
            }
        }
    }
}
