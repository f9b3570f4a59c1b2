use super::*;
use crate::test_support::{clock, start};
use plasma_core::{ManualClock, SortKey};
use serde_json::{Map, Value, json};

fn open(path: &Path, clock: Arc<ManualClock>) -> SqliteItemStore {
    SqliteItemStore::open(path, clock).expect("open")
}

fn item(pk: &str, sk: &str, attrs: Value) -> Item {
    let attrs: Map<String, Value> = serde_json::from_value(attrs).expect("object");
    Item::new(Key::new(pk, sk), attrs)
}

#[tokio::test]
async fn gsi_pagination_with_equal_sort_keys_returns_each_item_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(&dir.path().join("items.db"), clock());
    let puts: Vec<Item> = (0..7)
        .map(|i| {
            item(&format!("user#{i}"), "profile", json!({"i": i}))
                .with_gsi1(Key::new("org", "same"))
        })
        .collect();
    store
        .batch_write(puts, Vec::new())
        .await
        .expect("batch_write");
    for descending in [false, true] {
        let mut seen = Vec::new();
        let mut cursor = None;
        loop {
            let mut query = Query::gsi1("org").limit(3).after(cursor);
            query.descending = descending;
            let page = store.query(query).await.expect("query");
            seen.extend(page.items.into_iter().map(|i| i.key.pk));
            cursor = page.next;
            if cursor.is_none() {
                break;
            }
        }
        let mut want: Vec<String> = (0..7).map(|i| format!("user#{i}")).collect();
        if descending {
            want.reverse();
        }
        assert_eq!(seen, want);
    }
}

#[tokio::test]
async fn prefix_and_range_queries() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(&dir.path().join("items.db"), clock());
    let sks = ["a", "a#1", "a#2", "a$", "b"];
    store
        .batch_write(
            sks.iter().map(|sk| item("p", sk, json!({}))).collect(),
            Vec::new(),
        )
        .await
        .expect("write");
    let run = |sk: SortKey| {
        let store = &store;
        async move {
            let query = Query {
                sk,
                ..Query::partition("p")
            };
            let page = store.query(query).await.expect("query");
            page.items.into_iter().map(|i| i.key.sk).collect::<Vec<_>>()
        }
    };
    assert_eq!(run(SortKey::Prefix("a#".into())).await, ["a#1", "a#2"]);
    assert_eq!(
        run(SortKey::Between("a#2".into(), "b".into())).await,
        ["a#2", "a$", "b"]
    );
    assert_eq!(run(SortKey::To("a#1".into())).await, ["a", "a#1"]);
    assert!(store.query(Query::partition("p").limit(0)).await.is_err());
    let foreign = store
        .query(Query::partition("p").limit(1))
        .await
        .expect("page")
        .next;
    assert!(matches!(
        store.query(Query::partition("other").after(foreign)).await,
        Err(PortError::Invalid(_))
    ));
}

#[tokio::test]
async fn conditions_and_transactions() {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = clock();
    let store = open(&dir.path().join("items.db"), clock.clone());
    let key = Key::new("p", "v");
    store
        .put(item("p", "v", json!({"version": 1})), Condition::NotExists)
        .await
        .expect("create");
    let lost = store
        .put(item("p", "v", json!({})), Condition::NotExists)
        .await;
    assert!(matches!(lost, Err(PortError::Conflict(_))), "{lost:?}");
    let bumped = store
        .update(
            &key,
            Update::default().add("version", 1),
            Condition::Equals("version".into(), json!(1)),
        )
        .await
        .expect("update");
    assert_eq!(bumped.get("version"), Some(&json!(2)));
    let missing = store
        .update(
            &Key::new("p", "none"),
            Update::default(),
            Condition::Equals("v".into(), json!(1)),
        )
        .await;
    assert!(matches!(missing, Err(PortError::Conflict(_))));

    let cancelled = store
        .transact_write(vec![
            TxOp::Put(item("p", "new", json!({})), Condition::NotExists),
            TxOp::Check(key.clone(), Condition::Equals("version".into(), json!(1))),
            TxOp::Delete(Key::new("p", "ghost"), Condition::Exists),
        ])
        .await;
    assert_eq!(
        cancelled,
        Err(PortError::TransactionCanceled { failed: vec![1, 2] })
    );
    assert_eq!(
        store.get(&Key::new("p", "new")).await.expect("get"),
        None,
        "nothing written"
    );

    // An expired item counts as absent, and is purged when the store is reopened.
    store
        .put(
            item("p", "old", json!({})).with_expiry(start().timestamp() + 10),
            Condition::None,
        )
        .await
        .expect("put");
    clock.advance(chrono::Duration::seconds(10));
    assert_eq!(store.get(&Key::new("p", "old")).await.expect("get"), None);
    store
        .put(item("p", "old", json!({})), Condition::NotExists)
        .await
        .expect("expired counts as absent");
    assert!(store.health().await.expect("health").contains("(2 items)"));
}

#[tokio::test]
async fn two_connections_to_one_file_lose_no_update() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("items.db");
    let clock = clock();
    // Two stores stand in for two processes: each has its own SQLite connection.
    let stores = [
        Arc::new(open(&path, clock.clone())),
        Arc::new(open(&path, clock.clone())),
    ];
    let key = Key::new("counter", "c");
    let mut tasks = Vec::new();
    for i in 0..40 {
        let store = Arc::clone(&stores[i % 2]);
        let key = key.clone();
        tasks.push(tokio::spawn(async move {
            store
                .update(&key, Update::default().add("n", 1), Condition::None)
                .await
        }));
    }
    for task in tasks {
        task.await.expect("join").expect("update");
    }
    let n = stores[0]
        .get(&key)
        .await
        .expect("get")
        .and_then(|i| i.get("n").cloned());
    assert_eq!(n, Some(json!(40)));
}
