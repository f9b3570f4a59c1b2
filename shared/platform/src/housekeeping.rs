//! Hourly housekeeping: marks the documents of dead-lettered ingest messages failed, then
//! measures every queue and records the result, so that `/health` can say when scheduled
//! work last ran and whether dead letters are piling up.

use crate::{Platform, topology};
use async_graphql::SimpleObject;
use chrono::{DateTime, Utc};
use plasma_core::keys::{HOUSEKEEPING, SYSTEM};
use plasma_core::{Condition, Item, Key, PortResult};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct QueueReport {
    pub visible: u64,
    pub in_flight: u64,
    pub delayed: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, SimpleObject)]
// Named apart from the other `Report`s: the OpenAPI document keys schemas by name.
#[schema(as = HousekeepingReport)]
pub struct Report {
    pub ran_at: DateTime<Utc>,
    pub queues: BTreeMap<String, QueueReport>,
    /// Messages waiting in dead-letter queues: work that failed every attempt.
    pub dead_letters: u64,
}

fn status_key() -> Key {
    Key::new(SYSTEM.literal(), HOUSEKEEPING.literal())
}

pub async fn run(platform: &Platform) -> PortResult<Report> {
    let settled = crate::dead_letters::settle_ingest(platform).await?;
    if settled > 0 {
        tracing::warn!(
            settled,
            "marked the documents of dead-lettered ingest messages failed"
        );
    }
    let mut queues = BTreeMap::new();
    let mut dead_letters = 0;
    for spec in topology::queues() {
        let depth = platform.ports.queue.depth(&spec.name).await?;
        if spec.dead_letter.is_none() {
            dead_letters += depth.visible + depth.in_flight;
        }
        queues.insert(
            spec.name,
            QueueReport {
                visible: depth.visible,
                in_flight: depth.in_flight,
                delayed: depth.delayed,
            },
        );
    }
    let report = Report {
        ran_at: platform.ports.clock.now(),
        queues,
        dead_letters,
    };
    if dead_letters > 0 {
        tracing::warn!(dead_letters, "dead-letter queues hold failed work");
    }
    let attrs = plasma_core::item::attrs_of(&report)?;
    platform
        .ports
        .items
        .put(Item::new(status_key(), attrs), Condition::None)
        .await?;
    Ok(report)
}

pub async fn last_report(platform: &Platform) -> PortResult<Option<Report>> {
    match platform.ports.items.get(&status_key()).await? {
        Some(item) => item.parse().map(Some),
        None => Ok(None),
    }
}
