//! Query cursors as clients send them back (`?cursor=`), through the embedded item store's
//! query: anything but a cursor of the same partition and index is refused, never a panic
//! and never a page of another partition.
#![no_main]

use libfuzzer_sys::fuzz_target;
use plasma_core::{Condition, Item, ItemStore, Key, Query, SystemClock};
use plasma_embedded::SqliteItemStore;
use std::sync::{Arc, LazyLock};

struct Store {
    items: SqliteItemStore,
    runtime: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
}

static STORE: LazyLock<Store> = LazyLock::new(|| {
    let dir = tempfile::tempdir().unwrap();
    let items = SqliteItemStore::open(&dir.path().join("items.db"), Arc::new(SystemClock)).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(async {
        for (pk, sk) in [("T#a", "1"), ("T#a", "2"), ("T#a", "3"), ("T#b", "1")] {
            let mut item = Item::new(Key::new(pk, sk), serde_json::Map::new());
            item.gsi1 = Some(Key::new(format!("G#{pk}"), sk));
            items.put(item, Condition::None).await.unwrap();
        }
    });
    Store {
        items,
        runtime,
        _dir: dir,
    }
});

fuzz_target!(|data: &[u8]| {
    let Some((first, rest)) = data.split_first() else {
        return;
    };
    let Ok(cursor) = std::str::from_utf8(rest) else {
        return;
    };
    let query = if first % 2 == 0 {
        Query::partition("T#a")
    } else {
        Query::gsi1("G#T#a")
    };
    let query = query.limit(2).after(Some(cursor.to_owned()));
    if let Ok(page) = STORE.runtime.block_on(STORE.items.query(query)) {
        assert!(page.items.iter().all(|item| item.key.pk == "T#a"));
    }
});
