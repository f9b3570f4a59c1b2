//! Monitor items (key layout in the module doc).

use super::Monitor;
use plasma_core::item::{attrs_of, query_all};
use plasma_core::keys::{MONITOR_INDEX, MONITOR_INDEX_SORT, MONITORS};
use plasma_core::{Condition, Item, ItemStore, Key, PortResult, Query};
use serde::Deserialize;
use std::sync::Arc;

/// A monitor's id is also a segment of its mentions', scans' and reports' keys, so it must
/// be one even though here it is a whole sort key.
fn key(tenant: &str, id: &str) -> PortResult<Key> {
    plasma_core::keys::check_segment("monitor", id)?;
    Ok(Key::new(MONITORS.key([tenant])?, id))
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
        let item_key = key(tenant, &monitor.id)?;
        let mut attrs = attrs_of(monitor)?;
        attrs.insert("tenant".into(), tenant.into());
        let item = Item::new(item_key, attrs).with_gsi1(Key::new(
            MONITOR_INDEX.literal(),
            MONITOR_INDEX_SORT.key([tenant, &monitor.id])?,
        ));
        self.items.put(item, Condition::NotExists).await
    }

    /// `None` for unknown ids and for ids that are not valid key segments (they cannot exist).
    pub async fn get(&self, tenant: &str, id: &str) -> PortResult<Option<Monitor>> {
        let Ok(key) = key(tenant, id) else {
            return Ok(None);
        };
        match self.items.get(&key).await? {
            Some(item) => item.parse().map(Some),
            None => Ok(None),
        }
    }

    /// A tenant's monitors in id order (ids are time-ordered, so oldest first).
    pub async fn list(&self, tenant: &str) -> PortResult<Vec<Monitor>> {
        query_all(
            self.items.as_ref(),
            Query::partition(MONITORS.key([tenant])?),
        )
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
        self.items
            .delete(&key(tenant, id)?, Condition::None)
            .await?;
        Ok(true)
    }

    /// Every tenant's monitors, for the scan scheduler.
    pub async fn all(&self) -> PortResult<Vec<ScheduledMonitor>> {
        query_all(self.items.as_ref(), Query::gsi1(MONITOR_INDEX.literal()))
            .await?
            .iter()
            .map(Item::parse)
            .collect()
    }
}
