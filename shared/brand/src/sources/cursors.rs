//! Saved cursors: one item per (monitor, source) next to the monitor's other items, so a scan
//! resumes where the previous one stopped.

use super::Cursor;
use plasma_core::keys::SOURCE_CURSORS;
use plasma_core::{Condition, Item, ItemStore, Key, PortResult};
use serde_json::Map;

fn key(tenant: &str, monitor: &str, source: &str) -> PortResult<Key> {
    Ok(Key::new(SOURCE_CURSORS.key([tenant, monitor])?, source))
}

/// The cursor saved for `source` (a name unique within the monitor, such as `rss:<feed url>`
/// or `reddit`), or `None` before the first scan.
pub async fn load_cursor(
    store: &dyn ItemStore,
    tenant: &str,
    monitor: &str,
    source: &str,
) -> PortResult<Option<Cursor>> {
    match store.get(&key(tenant, monitor, source)?).await? {
        Some(item) => item
            .get("cursor")
            .cloned()
            .map(serde_json::from_value)
            .transpose()
            .map_err(|e| plasma_core::PortError::Backend(format!("saved cursor: {e}"))),
        None => Ok(None),
    }
}

pub async fn save_cursor(
    store: &dyn ItemStore,
    tenant: &str,
    monitor: &str,
    source: &str,
    cursor: &Cursor,
) -> PortResult<()> {
    let value = serde_json::to_value(cursor)
        .map_err(|e| plasma_core::PortError::Backend(format!("cursor: {e}")))?;
    let attrs = Map::from_iter([("cursor".to_string(), value)]);
    store
        .put(
            Item::new(key(tenant, monitor, source)?, attrs),
            Condition::None,
        )
        .await
}
