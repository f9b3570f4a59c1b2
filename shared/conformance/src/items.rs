//! ItemStore conformance: DynamoDB single-table semantics (see `plasma_core::item`).

use plasma_core::{Condition, Item, ItemStore, Key, PortError, Query, TxOp, Update};
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

fn attrs(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        other => panic!("test bug: attributes must be an object, got {other}"),
    }
}

fn item(pk: &str, sk: &str, v: Value) -> Item {
    Item::new(Key::new(pk, sk), attrs(v))
}

fn now_epoch() -> i64 {
    chrono::Utc::now().timestamp()
}

async fn must_get(store: &dyn ItemStore, key: &Key) -> Item {
    store
        .get(key)
        .await
        .unwrap_or_else(|e| panic!("get {key:?} failed: {e}"))
        .unwrap_or_else(|| panic!("get {key:?} returned None, expected the item"))
}

async fn assert_absent(store: &dyn ItemStore, key: &Key, why: &str) {
    let got = store
        .get(key)
        .await
        .unwrap_or_else(|e| panic!("get {key:?} failed: {e}"));
    assert_eq!(got, None, "{why}: {key:?} should be absent");
}

fn assert_conflict<T: std::fmt::Debug>(result: Result<T, PortError>, what: &str) {
    match result {
        Err(PortError::Conflict(_)) => {}
        other => panic!("{what}: expected PortError::Conflict, got {other:?}"),
    }
}

fn sks(items: &[Item]) -> Vec<String> {
    items.iter().map(|i| i.key.sk.clone()).collect()
}

/// put → get returns the same item (every JSON type, GSI key, expiry); delete removes it;
/// deleting again is fine.
pub async fn put_get_delete_round_trip(store: &dyn ItemStore) {
    let key = Key::new("round", "trip");
    assert_absent(store, &key, "before any put").await;
    let written = item(
        "round",
        "trip",
        json!({"s": "text", "n": 42, "f": 1.5, "neg": -7, "b": true, "null": null,
               "list": [1, "two", {"three": 3}], "map": {"nested": {"deep": "yes"}}}),
    )
    .with_gsi1(Key::new("g-round", "g-trip"))
    .with_expiry(now_epoch() + 3600);
    store
        .put(written.clone(), Condition::None)
        .await
        .expect("put");
    assert_eq!(
        must_get(store, &key).await,
        written,
        "get must return exactly what was put"
    );
    store.delete(&key, Condition::None).await.expect("delete");
    assert_absent(store, &key, "after delete").await;
    store
        .delete(&key, Condition::None)
        .await
        .expect("deleting an absent item must succeed");
}

/// `Condition::NotExists` lets exactly one writer create an item; `Exists` refuses absent ones.
pub async fn conditional_put_not_exists_conflicts(store: &dyn ItemStore) {
    let first = item("cond", "one", json!({"writer": "first"}));
    store
        .put(first.clone(), Condition::NotExists)
        .await
        .expect("NotExists on an absent item must succeed");
    let second = item("cond", "one", json!({"writer": "second"}));
    assert_conflict(
        store.put(second, Condition::NotExists).await,
        "second NotExists put",
    );
    assert_eq!(
        must_get(store, &first.key).await,
        first,
        "the losing put must not write"
    );
    let absent = item("cond", "absent", json!({}));
    assert_conflict(
        store.put(absent.clone(), Condition::Exists).await,
        "Exists put on absent item",
    );
    assert_absent(store, &absent.key, "a refused Exists put").await;
    assert_conflict(
        store.delete(&absent.key, Condition::Exists).await,
        "Exists delete on absent item",
    );
}

/// Two writers read version 1; the first conditional write wins, the second gets Conflict.
pub async fn optimistic_concurrency_on_version(store: &dyn ItemStore) {
    let key = Key::new("occ", "doc");
    store
        .put(
            item("occ", "doc", json!({"version": 1, "title": "v1"})),
            Condition::None,
        )
        .await
        .expect("seed");
    let expect_v1 = || Condition::Equals("version".into(), json!(1));
    let winner = store
        .update(
            &key,
            Update::default().set("title", "winner").add("version", 1),
            expect_v1(),
        )
        .await
        .expect("the first writer holding version 1 must win");
    assert_eq!(
        winner.get("version"),
        Some(&json!(2)),
        "update returns the new state"
    );
    assert_conflict(
        store
            .update(
                &key,
                Update::default().set("title", "loser").add("version", 1),
                expect_v1(),
            )
            .await,
        "update expecting a stale version",
    );
    assert_conflict(
        store
            .put(
                item("occ", "doc", json!({"version": 2, "title": "loser"})),
                expect_v1(),
            )
            .await,
        "put expecting a stale version",
    );
    assert_conflict(
        store.delete(&key, expect_v1()).await,
        "delete expecting a stale version",
    );
    let now = must_get(store, &key).await;
    assert_eq!(
        now.get("title"),
        Some(&json!("winner")),
        "only the winner's write may land"
    );
    assert_eq!(now.get("version"), Some(&json!(2)));
    store
        .put(
            item("occ", "doc", json!({"version": 3, "title": "next"})),
            Condition::Equals("version".into(), json!(2)),
        )
        .await
        .expect("put expecting the current version must succeed");
    assert_conflict(
        store
            .put(
                item("occ", "missing", json!({"version": 1})),
                Condition::Equals("version".into(), json!(0)),
            )
            .await,
        "Equals on an absent item",
    );
}

/// Update sets, removes and adds (missing counts as 0), creates absent items, and manages expiry.
pub async fn update_set_remove_add_and_create(store: &dyn ItemStore) {
    let key = Key::new("upd", "counter");
    let created = store
        .update(
            &key,
            Update::default().set("name", "c").add("hits", 5),
            Condition::None,
        )
        .await
        .expect("update of an absent item must create it");
    assert_eq!(created.key, key);
    assert_eq!(
        created.attrs,
        attrs(json!({"name": "c", "hits": 5})),
        "created item"
    );
    let expiry = now_epoch() + 3600;
    let mut change = Update::default()
        .add("hits", 3)
        .add("misses", -2)
        .remove("name")
        .set("tags", json!(["a", "b"]));
    change.expires_at = Some(Some(expiry));
    let updated = store
        .update(&key, change, Condition::Exists)
        .await
        .expect("update");
    assert_eq!(
        updated.attrs,
        attrs(json!({"hits": 8, "misses": -2, "tags": ["a", "b"]})),
        "set/remove/add result"
    );
    assert_eq!(updated.expires_at, Some(expiry), "update sets the expiry");
    assert_eq!(
        must_get(store, &key).await,
        updated,
        "get agrees with update's return value"
    );
    let cleared = Update {
        expires_at: Some(None),
        ..Update::default()
    };
    let updated = store
        .update(&key, cleared, Condition::None)
        .await
        .expect("clear expiry");
    assert_eq!(updated.expires_at, None, "Some(None) removes the expiry");
    let absent = Key::new("upd", "absent");
    assert_conflict(
        store
            .update(&absent, Update::default().add("hits", 1), Condition::Exists)
            .await,
        "update with Exists on an absent item",
    );
    assert_absent(store, &absent, "a refused update").await;
}

/// Sort-key conditions and order within one partition; other partitions never leak in.
pub async fn query_sort_key_conditions(store: &dyn ItemStore) {
    let keys = ["a#1", "a#2", "b#1", "b#2", "c"];
    let puts = keys
        .iter()
        .map(|sk| item("q", sk, json!({"sk": sk})))
        .collect();
    let noise = vec![item("q2", "a#1", json!({})), item("qq", "a#1", json!({}))];
    store.batch_write(puts, vec![]).await.expect("seed");
    store
        .batch_write(noise, vec![])
        .await
        .expect("seed other partitions");
    let run = |q: Query| async move {
        let page = store
            .query(q.clone())
            .await
            .unwrap_or_else(|e| panic!("{q:?}: {e}"));
        assert_eq!(page.next, None, "{q:?} fits one page");
        sks(&page.items)
    };
    assert_eq!(
        run(Query::partition("q")).await,
        keys,
        "whole partition ascending"
    );
    assert_eq!(
        run(Query::partition("q").prefix("a#")).await,
        ["a#1", "a#2"],
        "prefix"
    );
    assert_eq!(
        run(Query::partition("q").between("a#2", "b#2")).await,
        ["a#2", "b#1", "b#2"],
        "between is inclusive at both ends"
    );
    let mut reversed = keys.to_vec();
    reversed.reverse();
    assert_eq!(
        run(Query::partition("q").descending()).await,
        reversed,
        "descending"
    );
    assert_eq!(
        run(Query::partition("q").prefix("b#").descending()).await,
        ["b#2", "b#1"],
        "prefix descending"
    );
    let from = Query {
        sk: plasma_core::SortKey::From("b#2".into()),
        ..Query::partition("q")
    };
    assert_eq!(run(from).await, ["b#2", "c"], "From is inclusive");
    let to = Query {
        sk: plasma_core::SortKey::To("a#2".into()),
        ..Query::partition("q")
    };
    assert_eq!(run(to).await, ["a#1", "a#2"], "To is inclusive");
    assert!(
        run(Query::partition("nobody")).await.is_empty(),
        "empty partition"
    );
}

/// GSI1 queries find items by their secondary key, ordered by it, and return whole items.
pub async fn query_gsi1(store: &dyn ItemStore) {
    let tagged = |sk: &str, gsk: &str| {
        item("user#1", sk, json!({"n": sk})).with_gsi1(Key::new("by-email", gsk))
    };
    let puts = vec![
        tagged("profile", "c@x"),
        tagged("other", "a@x"),
        item("user#2", "profile", json!({})).with_gsi1(Key::new("by-email", "b@x")),
        item("user#3", "profile", json!({})),
    ];
    store.batch_write(puts.clone(), vec![]).await.expect("seed");
    let page = store
        .query(Query::gsi1("by-email"))
        .await
        .expect("GSI1 query");
    let found: Vec<_> = page
        .items
        .iter()
        .map(|i| i.gsi1.clone().map(|k| k.sk))
        .collect();
    assert_eq!(
        found,
        [Some("a@x".into()), Some("b@x".into()), Some("c@x".into())],
        "GSI1 items ordered by GSI1 sort key; items without gsi1 excluded"
    );
    assert_eq!(page.items[0], puts[1], "GSI1 query returns the whole item");
    let page = store
        .query(Query::gsi1("by-email").prefix("b@").descending())
        .await
        .expect("GSI1 prefix");
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].key, Key::new("user#2", "profile"));
}

/// 57 items with limit 10: following cursors yields every item exactly once, in order.
pub async fn query_pagination_returns_each_item_once(store: &dyn ItemStore) {
    let expected: Vec<String> = (0..57).map(|i| format!("item#{i:03}")).collect();
    let puts = expected
        .iter()
        .map(|sk| item("pages", sk, json!({})))
        .collect();
    store.batch_write(puts, vec![]).await.expect("seed");
    for descending in [false, true] {
        let mut seen = Vec::new();
        let mut cursor = None;
        for page_no in 0.. {
            assert!(
                page_no < 20,
                "pagination did not end after 20 pages of 10 (57 items)"
            );
            let mut q = Query::partition("pages").limit(10).after(cursor);
            q.descending = descending;
            let page = store.query(q).await.expect("page");
            assert!(page.items.len() <= 10, "a page holds at most `limit` items");
            seen.extend(sks(&page.items));
            cursor = page.next;
            if cursor.is_none() {
                break;
            }
        }
        let mut want = expected.clone();
        if descending {
            want.reverse();
        }
        assert_eq!(
            seen, want,
            "every item exactly once, in order (descending={descending})"
        );
    }
    let bad = store
        .query(Query::partition("pages").after(Some("not-a-cursor".into())))
        .await;
    assert!(
        matches!(bad, Err(PortError::Invalid(_))),
        "a malformed cursor must be refused as Invalid, got {bad:?}"
    );
}

/// Batches larger than DynamoDB's 25 (write) and 100 (get) limits are chunked by the adapter.
pub async fn batch_get_and_write_beyond_limits(store: &dyn ItemStore) {
    let keys: Vec<Key> = (0..130)
        .map(|i| Key::new(format!("b#{}", i % 3), format!("{i:03}")))
        .collect();
    let puts = keys
        .iter()
        .map(|k| Item::new(k.clone(), attrs(json!({"i": k.sk}))))
        .collect();
    store
        .batch_write(puts, vec![])
        .await
        .expect("batch_write of 130 puts");
    let mut ask = keys.clone();
    ask.push(Key::new("b#0", "absent"));
    let got: BTreeSet<Key> = store
        .batch_get(&ask)
        .await
        .expect("batch_get of 131 keys")
        .into_iter()
        .map(|i| i.key)
        .collect();
    assert_eq!(
        got,
        keys.iter().cloned().collect(),
        "all 130 stored items, absent key left out"
    );
    store
        .batch_write(vec![], keys[..60].to_vec())
        .await
        .expect("batch_write of 60 deletes");
    let left = store
        .batch_get(&keys)
        .await
        .expect("batch_get after deletes");
    assert_eq!(left.len(), 70, "60 of 130 deleted");
    assert!(
        left.iter().all(|i| !keys[..60].contains(&i.key)),
        "deleted items still returned"
    );
    assert_eq!(store.batch_get(&[]).await.expect("empty batch_get"), vec![]);
}

/// One failing condition cancels the whole transaction and names its index; a passing one
/// applies every operation.
pub async fn transaction_is_all_or_nothing(store: &dyn ItemStore) {
    store
        .put(item("tx", "taken", json!({"v": 1})), Condition::None)
        .await
        .expect("seed");
    store
        .put(item("tx", "doomed", json!({"v": 1})), Condition::None)
        .await
        .expect("seed");
    let ops = vec![
        TxOp::Put(item("tx", "new", json!({"v": 1})), Condition::NotExists),
        TxOp::Update(
            Key::new("tx", "counter"),
            Update::default().add("n", 1),
            Condition::None,
        ),
        TxOp::Delete(Key::new("tx", "doomed"), Condition::Exists),
        TxOp::Put(item("tx", "taken", json!({"v": 2})), Condition::NotExists),
    ];
    match store.transact_write(ops).await {
        Err(PortError::TransactionCanceled { failed }) => {
            assert_eq!(failed, vec![3], "the failing operation's index")
        }
        other => panic!("expected TransactionCanceled {{ failed: [3] }}, got {other:?}"),
    }
    assert_absent(store, &Key::new("tx", "new"), "cancelled transaction's put").await;
    assert_absent(
        store,
        &Key::new("tx", "counter"),
        "cancelled transaction's update",
    )
    .await;
    must_get(store, &Key::new("tx", "doomed")).await;
    assert_eq!(
        must_get(store, &Key::new("tx", "taken")).await.get("v"),
        Some(&json!(1))
    );

    let ops = vec![
        TxOp::Check(
            Key::new("tx", "taken"),
            Condition::Equals("v".into(), json!(1)),
        ),
        TxOp::Put(item("tx", "new", json!({"v": 1})), Condition::NotExists),
        TxOp::Update(
            Key::new("tx", "counter"),
            Update::default().add("n", 1),
            Condition::None,
        ),
        TxOp::Delete(Key::new("tx", "doomed"), Condition::Exists),
    ];
    store
        .transact_write(ops)
        .await
        .expect("a transaction whose conditions hold");
    must_get(store, &Key::new("tx", "new")).await;
    assert_eq!(
        must_get(store, &Key::new("tx", "counter")).await.get("n"),
        Some(&json!(1))
    );
    assert_absent(
        store,
        &Key::new("tx", "doomed"),
        "committed transaction's delete",
    )
    .await;
}

/// More than 100 operations is refused before anything is written.
pub async fn transaction_over_100_ops_refused(store: &dyn ItemStore) {
    let ops: Vec<TxOp> = (0..101)
        .map(|i| TxOp::Put(item("big", &format!("{i:03}"), json!({})), Condition::None))
        .collect();
    let result = store.transact_write(ops).await;
    assert!(
        matches!(result, Err(PortError::Invalid(_))),
        "101 operations must be refused as Invalid, got {result:?}"
    );
    assert_absent(store, &Key::new("big", "000"), "a refused transaction").await;
}

/// Items whose `expires_at` has passed are invisible to every read and count as absent.
pub async fn expired_items_are_invisible(store: &dyn ItemStore) {
    let past = now_epoch() - 60;
    let expired = item("ttl", "old", json!({"v": "old"}))
        .with_expiry(past)
        .with_gsi1(Key::new("ttl-g", "old"));
    let live = item("ttl", "live", json!({})).with_expiry(now_epoch() + 3600);
    store
        .batch_write(vec![expired.clone(), live.clone()], vec![])
        .await
        .expect("seed");
    assert_absent(store, &expired.key, "an expired item").await;
    let page = store.query(Query::partition("ttl")).await.expect("query");
    assert_eq!(sks(&page.items), ["live"], "query must skip expired items");
    let page = store.query(Query::gsi1("ttl-g")).await.expect("GSI1 query");
    assert!(
        page.items.is_empty(),
        "GSI1 query must skip expired items: {page:?}"
    );
    let got = store
        .batch_get(&[expired.key.clone(), live.key.clone()])
        .await
        .expect("batch_get");
    assert_eq!(got, vec![live], "batch_get must skip expired items");
    assert_conflict(
        store
            .update(
                &expired.key,
                Update::default().set("v", "x"),
                Condition::Exists,
            )
            .await,
        "Exists over an expired item",
    );
    let reborn = item("ttl", "old", json!({"v": "new"}));
    store
        .put(reborn.clone(), Condition::NotExists)
        .await
        .expect("NotExists must succeed over an expired item");
    assert_eq!(must_get(store, &expired.key).await, reborn);
}

/// An update of an expired item starts a new item: the old attributes must not come back
/// (DynamoDB's UpdateItem would merge into an expired item its TTL sweep has not removed yet).
pub async fn update_over_expired_item_starts_fresh(store: &dyn ItemStore) {
    let expired = item("ttl-update", "old", json!({"secret": "stale", "n": 41}))
        .with_expiry(now_epoch() - 60);
    store
        .put(expired.clone(), Condition::None)
        .await
        .expect("put expired item");
    let updated = store
        .update(&expired.key, Update::default().add("n", 1), Condition::None)
        .await
        .expect("update over an expired item creates a fresh one");
    assert_eq!(
        updated.attrs,
        attrs(json!({"n": 1})),
        "old attributes leaked"
    );
    assert_eq!(
        updated.expires_at, None,
        "the expiry of the old item leaked"
    );
    let tx = vec![TxOp::Update(
        expired.key.clone(),
        Update::default().set("fresh", true),
        Condition::None,
    )];
    store
        .put(expired.clone(), Condition::None)
        .await
        .expect("put expired item again");
    store
        .transact_write(tx)
        .await
        .expect("transactional update");
    assert_eq!(
        must_get(store, &expired.key).await.attrs,
        attrs(json!({"fresh": true})),
        "old attributes leaked through a transaction"
    );
}
