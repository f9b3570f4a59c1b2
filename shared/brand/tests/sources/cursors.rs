//! Cursors saved in the item store between scans.

use plasma_brand::sources::{Cursor, load_cursor, save_cursor};
use plasma_core::SystemClock;
use plasma_embedded::SqliteItemStore;
use std::sync::Arc;

#[tokio::test]
async fn a_saved_cursor_loads_back_per_monitor_and_source() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteItemStore::open(&dir.path().join("items.db"), Arc::new(SystemClock)).unwrap();
    assert_eq!(load_cursor(&store, "t1", "m1", "x").await.unwrap(), None);
    let cursor = Cursor {
        since_id: Some("1900".into()),
        etag: Some("\"v1\"".into()),
        ..Cursor::default()
    };
    save_cursor(&store, "t1", "m1", "x", &cursor).await.unwrap();
    assert_eq!(
        load_cursor(&store, "t1", "m1", "x").await.unwrap(),
        Some(cursor)
    );
    assert_eq!(
        load_cursor(&store, "t1", "m1", "reddit").await.unwrap(),
        None
    );
    assert_eq!(load_cursor(&store, "t1", "m2", "x").await.unwrap(), None);
}
