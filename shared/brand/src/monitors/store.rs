//! Monitor items (key layout in the module doc).

use super::Monitor;
use plasma_core::item::{attrs_of, query_all};
use plasma_core::{Condition, Item, ItemStore, Key, PortError, PortResult, Query};
use serde::Deserialize;
use std::sync::Arc;

/// The scheduler's index partition: every tenant's monitors.
const INDEX: &str = "MONITORS";

/// Ids become key segments: `#` would reach into another partition, empty would address a
/// parent one.
fn check_id(what: &str, id: &str) -> PortResult<()> {
    if id.is_empty() || id.contains('#') {
        return Err(PortError::Invalid(format!(
            "{what} id must be non-empty and free of '#'"
        )));
    }
    Ok(())
}

fn partition(tenant: &str) -> String {
    format!("T#{tenant}#MONITOR")
}

fn key(tenant: &str, id: &str) -> Key {
    Key::new(partition(tenant), id)
}

/// A monitor as the scheduler sees it: which tenant it belongs to.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ScheduledMonitor {
    pub tenant: String,
    #[serde(flatten)]
    pub monitor: Monitor,
}

#[derive(Clone)]
pub struct MonitorStore {
    items: Arc<dyn ItemStore>,
}

impl MonitorStore {
    pub fn new(items: Arc<dyn ItemStore>) -> Self {
        Self { items }
    }

    pub async fn create(&self, tenant: &str, monitor: &Monitor) -> PortResult<()> {
        check_id("tenant", tenant)?;
        check_id("monitor", &monitor.id)?;
        let mut attrs = attrs_of(monitor)?;
        attrs.insert("tenant".into(), tenant.into());
        let item = Item::new(key(tenant, &monitor.id), attrs)
            .with_gsi1(Key::new(INDEX, format!("{tenant}#{}", monitor.id)));
        self.items.put(item, Condition::NotExists).await
    }

    /// `None` for unknown ids and for ids that are not valid key segments (they cannot exist).
    pub async fn get(&self, tenant: &str, id: &str) -> PortResult<Option<Monitor>> {
        if check_id("monitor", id).is_err() {
            return Ok(None);
        }
        match self.items.get(&key(tenant, id)).await? {
            Some(item) => item.parse().map(Some),
            None => Ok(None),
        }
    }

    /// A tenant's monitors in id order (ids are time-ordered, so oldest first).
    pub async fn list(&self, tenant: &str) -> PortResult<Vec<Monitor>> {
        check_id("tenant", tenant)?;
        query_all(self.items.as_ref(), Query::partition(partition(tenant)))
            .await?
            .iter()
            .map(Item::parse)
            .collect()
    }

    /// Whether it existed. Its mentions, cursors and scan runs stay behind but are reachable
    /// only through the monitor, so they are invisible once it is gone.
    pub async fn delete(&self, tenant: &str, id: &str) -> PortResult<bool> {
        if self.get(tenant, id).await?.is_none() {
            return Ok(false);
        }
        self.items.delete(&key(tenant, id), Condition::None).await?;
        Ok(true)
    }

    /// Every tenant's monitors, for the scan scheduler.
    pub async fn all(&self) -> PortResult<Vec<ScheduledMonitor>> {
        query_all(self.items.as_ref(), Query::gsi1(INDEX))
            .await?
            .iter()
            .map(Item::parse)
            .collect()
    }
}
