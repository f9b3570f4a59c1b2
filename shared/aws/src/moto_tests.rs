//! The adapters against a running moto server (`moto_server -H 127.0.0.1 -p 5055`), for
//! working on this crate alone: `PLASMA_MOTO_ENDPOINT=http://127.0.0.1:5055 cargo test -p
//! plasma-aws`. Without that variable these tests return at once; the conformance suite in
//! `tests/` is what runs against moto in CI.

use crate::{DynamoItemStore, EventBridgeBus, EventBridgeScheduler, S3BlobStore, SqsQueue};
use aws_config::{BehaviorVersion, SdkConfig};
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType, TimeToLiveSpecification,
};
use aws_sdk_sqs::types::QueueAttributeName;
use bytes::Bytes;
use chrono::{DateTime, Duration as ChronoDuration, Utc};
use plasma_core::*;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

const ENDPOINT_VAR: &str = "PLASMA_MOTO_ENDPOINT";

async fn moto() -> Option<SdkConfig> {
    let endpoint = std::env::var(ENDPOINT_VAR).ok()?;
    Some(
        aws_config::defaults(BehaviorVersion::latest())
            .endpoint_url(endpoint)
            .region("us-east-1")
            .test_credentials()
            .load()
            .await,
    )
}

/// Resource names unique to this process and call, so tests can share one moto server.
fn unique(kind: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    format!(
        "{kind}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

fn attrs(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

fn at(epoch: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(epoch, 0).unwrap()
}

async fn create_table(sdk: &SdkConfig) -> (aws_sdk_dynamodb::Client, String) {
    let client = aws_sdk_dynamodb::Client::new(sdk);
    let table = unique("items");
    let string_attr = |name: &str| {
        AttributeDefinition::builder()
            .attribute_name(name)
            .attribute_type(ScalarAttributeType::S)
            .build()
            .unwrap()
    };
    let key = |name: &str, kind: KeyType| {
        KeySchemaElement::builder()
            .attribute_name(name)
            .key_type(kind)
            .build()
            .unwrap()
    };
    client
        .create_table()
        .table_name(&table)
        .billing_mode(BillingMode::PayPerRequest)
        .set_attribute_definitions(Some(
            ["PK", "SK", "GSI1PK", "GSI1SK"].map(string_attr).to_vec(),
        ))
        .key_schema(key("PK", KeyType::Hash))
        .key_schema(key("SK", KeyType::Range))
        .global_secondary_indexes(
            GlobalSecondaryIndex::builder()
                .index_name("GSI1")
                .key_schema(key("GSI1PK", KeyType::Hash))
                .key_schema(key("GSI1SK", KeyType::Range))
                .projection(
                    Projection::builder()
                        .projection_type(ProjectionType::All)
                        .build(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    client
        .update_time_to_live()
        .table_name(&table)
        .time_to_live_specification(
            TimeToLiveSpecification::builder()
                .enabled(true)
                .attribute_name("ttl")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    (client, table)
}

#[tokio::test]
async fn dynamo_item_store() {
    let Some(sdk) = moto().await else { return };
    let (client, table) = create_table(&sdk).await;
    let clock = Arc::new(ManualClock::new(at(1_900_000_000)));
    let now = clock.now().timestamp();
    let store = DynamoItemStore::new(client, table.clone(), clock.clone());
    assert_eq!(
        store.health().await.unwrap(),
        format!("dynamodb {table} (ACTIVE)")
    );

    // Conditions, including reserved words as attribute names.
    let key = Key::new("t#1", "doc#1");
    let item = Item::new(key.clone(), attrs(json!({"name": "a", "status": "new", "version": 1, "nested": {"l": [1, 2.5, null, true]}})))
        .with_gsi1(Key::new("owner#1", "doc#1"));
    store.put(item.clone(), Condition::NotExists).await.unwrap();
    assert_eq!(store.get(&key).await.unwrap(), Some(item.clone()));
    assert!(matches!(
        store.put(item.clone(), Condition::NotExists).await,
        Err(PortError::Conflict(_))
    ));
    store
        .put(item.clone(), Condition::Equals("version".into(), json!(1)))
        .await
        .unwrap();
    assert!(matches!(
        store
            .put(item.clone(), Condition::Equals("version".into(), json!(2)))
            .await,
        Err(PortError::Conflict(_))
    ));
    let reserved = Item::new(Key::new("t#1", "x"), attrs(json!({"ttl": 1})));
    assert!(matches!(
        store.put(reserved, Condition::None).await,
        Err(PortError::Invalid(_))
    ));

    // Updates.
    let mut update = Update::default()
        .set("status", "done")
        .remove("name")
        .add("version", 1)
        .add("count", 5);
    update.expires_at = Some(Some(now + 60));
    let updated = store.update(&key, update, Condition::Exists).await.unwrap();
    assert_eq!(updated.get("status"), Some(&json!("done")));
    assert_eq!(updated.get("name"), None);
    assert_eq!(updated.get("version"), Some(&json!(2)));
    assert_eq!(updated.get("count"), Some(&json!(5)));
    assert_eq!(updated.expires_at, Some(now + 60));
    assert_eq!(store.get(&key).await.unwrap(), Some(updated));
    let missing = Key::new("t#1", "missing");
    assert!(matches!(
        store
            .update(&missing, Update::default().set("a", 1), Condition::Exists)
            .await,
        Err(PortError::Conflict(_))
    ));
    let created = store
        .update(
            &missing,
            Update::default().add("n", 3),
            Condition::NotExists,
        )
        .await
        .unwrap();
    assert_eq!(created.attrs, attrs(json!({"n": 3})));

    // Expired items are absent for reads and conditions, and do not come back to life.
    clock.advance(ChronoDuration::seconds(60));
    assert_eq!(store.get(&key).await.unwrap(), None);
    assert!(matches!(
        store.delete(&key, Condition::Exists).await,
        Err(PortError::Conflict(_))
    ));
    let revived = store
        .update(&key, Update::default().set("fresh", true), Condition::None)
        .await
        .unwrap();
    assert_eq!(
        revived.attrs,
        attrs(json!({"fresh": true})),
        "expired attributes leaked"
    );
    assert_eq!(revived.expires_at, None);
    let expiring = Item::new(Key::new("t#1", "doc#2"), Map::new()).with_expiry(now + 61);
    store.put(expiring.clone(), Condition::None).await.unwrap();
    clock.advance(ChronoDuration::seconds(1));
    store.put(expiring, Condition::NotExists).await.unwrap();
    store.delete(&missing, Condition::None).await.unwrap();
    store
        .delete(&Key::new("t#1", "doc#2"), Condition::None)
        .await
        .unwrap();

    // Queries page through every live item exactly once, in both directions.
    let puts: Vec<Item> = (0..30)
        .map(|i| {
            let item = Item::new(Key::new("q", format!("s#{i:02}")), attrs(json!({"i": i})))
                .with_gsi1(Key::new("g", format!("{:02}", 29 - i)));
            if i % 7 == 0 {
                item.with_expiry(now)
            } else {
                item
            }
        })
        .collect();
    store.batch_write(puts, Vec::new()).await.unwrap();
    for descending in [false, true] {
        let mut seen = Vec::new();
        let mut cursor = None;
        let mut pages = 0;
        loop {
            let mut query = Query::partition("q").prefix("s#").limit(4).after(cursor);
            query.descending = descending;
            let page = store.query(query).await.unwrap();
            seen.extend(page.items.into_iter().map(|item| item.key.sk));
            pages += 1;
            cursor = page.next;
            if cursor.is_none() {
                break;
            }
        }
        let mut expected: Vec<String> = (0..30)
            .filter(|i| i % 7 != 0)
            .map(|i| format!("s#{i:02}"))
            .collect();
        if descending {
            expected.reverse();
        }
        assert_eq!(seen, expected, "descending={descending}");
        assert!(pages > 5, "limit was not applied: {pages} pages");
    }
    let between = store
        .query(Query::partition("q").between("s#03", "s#05"))
        .await
        .unwrap();
    assert_eq!(between.items.len(), 3);
    assert_eq!(between.next, None);
    assert!(
        store
            .query(Query::partition("q").between("s#05", "s#03"))
            .await
            .unwrap()
            .items
            .is_empty()
    );
    // Limit counts the items examined, expired s#28 included, as DynamoDB's Limit does.
    let gsi = store.query(Query::gsi1("g").limit(3)).await.unwrap();
    assert_eq!(
        gsi.items
            .iter()
            .map(|i| i.key.sk.as_str())
            .collect::<Vec<_>>(),
        ["s#29", "s#27"]
    );
    assert!(gsi.next.is_some());
    assert!(matches!(
        store
            .query(Query::partition("q").after(Some("garbage".into())))
            .await,
        Err(PortError::Invalid(_))
    ));
    let foreign = store
        .query(Query::partition("q").limit(1))
        .await
        .unwrap()
        .next;
    assert!(matches!(
        store.query(Query::partition("other").after(foreign)).await,
        Err(PortError::Invalid(_))
    ));
    assert_eq!(store.get(&Key::new("", "x")).await.unwrap(), None);

    // Batches beyond one call's limits.
    let keys: Vec<Key> = (0..150)
        .map(|i| Key::new("q", format!("s#{i:02}")))
        .collect();
    let found = store.batch_get(&keys).await.unwrap();
    assert_eq!(found.len(), 30 - 5);
    let many: Vec<Item> = (0..60)
        .map(|i| Item::new(Key::new("b", format!("{i:03}")), Map::new()))
        .collect();
    store.batch_write(many, Vec::new()).await.unwrap();
    let deletes: Vec<Key> = (0..60).map(|i| Key::new("b", format!("{i:03}"))).collect();
    store.batch_write(Vec::new(), deletes).await.unwrap();
    assert!(
        store
            .query(Query::partition("b"))
            .await
            .unwrap()
            .items
            .is_empty()
    );
    // One key several times: as if the puts ran in order, then the deletes.
    let version = |v: i64| Item::new(Key::new("b", "dup"), attrs(json!({"v": v})));
    let gone = Item::new(Key::new("b", "gone"), Map::new());
    store
        .batch_write(
            vec![version(1), gone.clone(), version(2)],
            vec![gone.key.clone()],
        )
        .await
        .unwrap();
    let left = store.query(Query::partition("b")).await.unwrap().items;
    assert_eq!(left, vec![version(2)]);

    // Transactions: all or nothing, with the failing operations named.
    let a = Key::new("tx", "a");
    let b = Key::new("tx", "b");
    store
        .transact_write(vec![
            TxOp::Put(
                Item::new(a.clone(), attrs(json!({"v": 1}))),
                Condition::NotExists,
            ),
            TxOp::Update(b.clone(), Update::default().add("v", 1), Condition::None),
        ])
        .await
        .unwrap();
    let err = store
        .transact_write(vec![
            TxOp::Update(a.clone(), Update::default().set("v", 9), Condition::Exists),
            TxOp::Put(Item::new(b.clone(), Map::new()), Condition::NotExists),
            TxOp::Check(Key::new("tx", "c"), Condition::Exists),
            TxOp::Delete(Key::new("tx", "d"), Condition::None),
        ])
        .await
        .unwrap_err();
    assert_eq!(err, PortError::TransactionCanceled { failed: vec![1, 2] });
    assert_eq!(
        store.get(&a).await.unwrap().unwrap().get("v"),
        Some(&json!(1))
    );
    assert!(matches!(
        store
            .transact_write(vec![
                TxOp::Check(a.clone(), Condition::None),
                TxOp::Delete(a.clone(), Condition::None)
            ])
            .await,
        Err(PortError::Invalid(_))
    ));
    // An expired item a transaction updates is swept first, not merged into.
    let now = clock.now().timestamp();
    store
        .put(
            Item::new(b.clone(), attrs(json!({"old": 1}))).with_expiry(now + 1),
            Condition::None,
        )
        .await
        .unwrap();
    clock.advance(ChronoDuration::seconds(1));
    store
        .transact_write(vec![
            TxOp::Update(
                b.clone(),
                Update::default().set("new", 1),
                Condition::NotExists,
            ),
            TxOp::Check(a, Condition::Exists),
        ])
        .await
        .unwrap();
    assert_eq!(
        store.get(&b).await.unwrap().unwrap().attrs,
        attrs(json!({"new": 1}))
    );
    let hundred: Vec<TxOp> = (0..100)
        .map(|i| {
            TxOp::Put(
                Item::new(Key::new("tx100", format!("{i:03}")), Map::new()),
                Condition::NotExists,
            )
        })
        .collect();
    store.transact_write(hundred).await.unwrap();
}

#[tokio::test]
async fn s3_blob_store() {
    let Some(sdk) = moto().await else { return };
    let config = aws_sdk_s3::config::Builder::from(&sdk)
        .force_path_style(true)
        .build();
    let client = aws_sdk_s3::Client::from_conf(config);
    let bucket = unique("blobs");
    client.create_bucket().bucket(&bucket).send().await.unwrap();
    let store = S3BlobStore::new(client, bucket.clone());
    assert_eq!(store.health().await.unwrap(), format!("s3 bucket {bucket}"));

    let options = PutOptions {
        content_type: Some("text/plain".into()),
        metadata: BTreeMap::from([("owner".to_string(), "ada".to_string())]),
    };
    let meta = store
        .put("docs/a.txt", Bytes::from_static(b"hello"), options)
        .await
        .unwrap();
    assert_eq!(meta.size, 5);
    assert_eq!(meta.etag, "5d41402abc4b2a76b9719d911017c592");
    assert_eq!(meta.content_type.as_deref(), Some("text/plain"));
    assert_eq!(meta.metadata["owner"], "ada");
    let blob = store.get("docs/a.txt").await.unwrap().unwrap();
    assert_eq!(blob.body, Bytes::from_static(b"hello"));
    assert_eq!(blob.meta, meta);
    assert_eq!(store.head("docs/a.txt").await.unwrap(), Some(meta));
    assert_eq!(store.head("docs/none").await.unwrap(), None);
    assert_eq!(store.get("docs/none").await.unwrap(), None);
    assert!(matches!(
        store.get("../x").await,
        Err(PortError::Invalid(_))
    ));
    let untyped = store
        .put("docs/b.bin", Bytes::new(), PutOptions::default())
        .await
        .unwrap();
    eprintln!(
        "s3: content type of a put without one: {:?}",
        untyped.content_type
    );

    for i in 0..5 {
        store
            .put(
                &format!("list/{i}"),
                Bytes::from(vec![b'x'; i]),
                PutOptions::default(),
            )
            .await
            .unwrap();
    }
    let mut keys = Vec::new();
    let mut cursor = None;
    loop {
        let page = store.list("list/", cursor, 2).await.unwrap();
        assert!(page.items.len() <= 2);
        keys.extend(page.items.into_iter().map(|m| (m.key, m.size)));
        cursor = page.next;
        if cursor.is_none() {
            break;
        }
    }
    assert_eq!(
        keys,
        (0..5)
            .map(|i| (format!("list/{i}"), i as u64))
            .collect::<Vec<_>>()
    );

    store.delete("docs/a.txt").await.unwrap();
    store.delete("docs/a.txt").await.unwrap();
    assert_eq!(store.head("docs/a.txt").await.unwrap(), None);

    let presigned = store
        .presign_put(
            "uploads/x.pdf",
            Some("application/pdf"),
            Duration::from_secs(300),
        )
        .await
        .unwrap();
    assert_eq!(presigned.method, "PUT");
    assert!(
        presigned.url.contains(&format!("/{bucket}/uploads/x.pdf?")),
        "{}",
        presigned.url
    );
    assert_eq!(
        presigned.headers.get("content-type").map(String::as_str),
        Some("application/pdf")
    );
    eprintln!("s3 presigned: {presigned:?}");
}

async fn create_queues(sdk: &SdkConfig) -> (aws_sdk_sqs::Client, BTreeMap<String, String>) {
    let client = aws_sdk_sqs::Client::new(sdk);
    let dlq = client
        .create_queue()
        .queue_name(unique("dlq"))
        .send()
        .await
        .unwrap()
        .queue_url
        .unwrap();
    let dlq_arn = client
        .get_queue_attributes()
        .queue_url(&dlq)
        .attribute_names(QueueAttributeName::QueueArn)
        .send()
        .await
        .unwrap()
        .attributes
        .unwrap()
        .remove(&QueueAttributeName::QueueArn)
        .unwrap();
    let jobs = client
        .create_queue()
        .queue_name(unique("jobs"))
        .attributes(QueueAttributeName::VisibilityTimeout, "30")
        .attributes(
            QueueAttributeName::RedrivePolicy,
            json!({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 2}).to_string(),
        )
        .send()
        .await
        .unwrap()
        .queue_url
        .unwrap();
    (
        client,
        BTreeMap::from([("jobs".to_string(), jobs), ("jobs-dlq".to_string(), dlq)]),
    )
}

#[tokio::test]
async fn sqs_queue() {
    let Some(sdk) = moto().await else { return };
    let (client, urls) = create_queues(&sdk).await;
    let queue = SqsQueue::new(client, urls);
    assert_eq!(queue.health().await.unwrap(), "sqs queues jobs, jobs-dlq");
    assert!(matches!(
        queue.send("nope", OutMessage::new("x")).await,
        Err(PortError::NotConfigured(_))
    ));

    let id = queue
        .send("jobs", OutMessage::new("one").attribute("kind", "test"))
        .await
        .unwrap();
    let got = queue
        .receive("jobs", 10, Duration::from_secs(30), Duration::ZERO)
        .await
        .unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(
        (
            got[0].message_id.as_str(),
            got[0].body.as_str(),
            got[0].receive_count
        ),
        (id.as_str(), "one", 1)
    );
    assert_eq!(got[0].attributes["kind"], "test");
    assert_eq!(
        queue.depth("jobs").await.unwrap(),
        QueueDepth {
            visible: 0,
            in_flight: 1,
            delayed: 0
        }
    );
    queue
        .change_visibility("jobs", &got[0].receipt, Duration::ZERO)
        .await
        .unwrap();
    let again = queue
        .receive("jobs", 1, Duration::from_secs(30), Duration::ZERO)
        .await
        .unwrap();
    assert_eq!(again[0].receive_count, 2);
    queue
        .change_visibility("jobs", &again[0].receipt, Duration::ZERO)
        .await
        .unwrap();
    // A third receive exceeds maxReceiveCount 2: the message moves to the DLQ.
    let third = queue
        .receive("jobs", 1, Duration::from_secs(30), Duration::ZERO)
        .await
        .unwrap();
    assert!(third.is_empty(), "redrive did not happen: {third:?}");
    let dead = queue
        .receive("jobs-dlq", 10, Duration::from_secs(30), Duration::ZERO)
        .await
        .unwrap();
    assert_eq!(
        dead.iter().map(|m| m.body.as_str()).collect::<Vec<_>>(),
        ["one"]
    );
    queue.delete("jobs-dlq", &dead[0].receipt).await.unwrap();

    let messages: Vec<OutMessage> = (0..25).map(|i| OutMessage::new(format!("m{i}"))).collect();
    let ids = queue.send_batch("jobs", messages).await.unwrap();
    assert_eq!(ids.len(), 25);
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), 25);
    let mut bodies = BTreeSet::new();
    while bodies.len() < 25 {
        let batch = queue
            .receive("jobs", 10, Duration::from_secs(30), Duration::ZERO)
            .await
            .unwrap();
        assert!(!batch.is_empty(), "only {} of 25 received", bodies.len());
        for message in batch {
            queue.delete("jobs", &message.receipt).await.unwrap();
            bodies.insert(message.body);
        }
    }

    queue
        .send(
            "jobs",
            OutMessage::new("later").delayed(Duration::from_secs(2)),
        )
        .await
        .unwrap();
    let depth = queue.depth("jobs").await.unwrap();
    eprintln!("sqs depth with one delayed message: {depth:?}");
    assert!(
        queue
            .receive("jobs", 1, Duration::from_secs(30), Duration::ZERO)
            .await
            .unwrap()
            .is_empty()
    );
    let started = Instant::now();
    let later = queue
        .receive("jobs", 1, Duration::from_secs(30), Duration::from_secs(5))
        .await
        .unwrap();
    eprintln!(
        "sqs long poll returned {} message(s) after {:?}",
        later.len(),
        started.elapsed()
    );
    let started = Instant::now();
    let empty = queue
        .receive(
            "jobs-dlq",
            1,
            Duration::from_secs(30),
            Duration::from_secs(2),
        )
        .await
        .unwrap();
    eprintln!(
        "sqs long poll on an empty queue returned {} after {:?}",
        empty.len(),
        started.elapsed()
    );
    assert!(matches!(
        queue
            .receive("jobs", 11, Duration::ZERO, Duration::ZERO)
            .await,
        Err(PortError::Invalid(_))
    ));
    queue.delete("jobs", "not-a-receipt").await.unwrap();
    assert!(matches!(
        queue
            .change_visibility("jobs", "not-a-receipt", Duration::ZERO)
            .await,
        Err(PortError::Invalid(_))
    ));
}

#[tokio::test]
async fn eventbridge_bus() {
    let Some(sdk) = moto().await else { return };
    let client = aws_sdk_eventbridge::Client::new(&sdk);
    let bus_name = unique("bus");
    client
        .create_event_bus()
        .name(&bus_name)
        .send()
        .await
        .unwrap();
    let (sqs, urls) = create_queues(&sdk).await;
    let arn = sqs
        .get_queue_attributes()
        .queue_url(&urls["jobs"])
        .attribute_names(QueueAttributeName::QueueArn)
        .send()
        .await
        .unwrap()
        .attributes
        .unwrap()
        .remove(&QueueAttributeName::QueueArn)
        .unwrap();
    let rule = Rule {
        name: "audit".into(),
        sources: vec!["plasma.test".into()],
        detail_types: vec!["audit.recorded".into()],
        target_queue: "jobs".into(),
    };
    client
        .put_rule()
        .name("audit")
        .event_bus_name(&bus_name)
        .event_pattern(rule.event_pattern().to_string())
        .send()
        .await
        .unwrap();
    client
        .put_targets()
        .rule("audit")
        .event_bus_name(&bus_name)
        .targets(
            aws_sdk_eventbridge::types::Target::builder()
                .id("jobs")
                .arn(arn)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();

    let bus = EventBridgeBus::new(client, bus_name.clone());
    assert_eq!(
        bus.health().await.unwrap(),
        format!("eventbridge bus {bus_name}")
    );
    let events: Vec<Event> = (0..12)
        .map(|i| {
            Event::new(
                "plasma.test",
                if i == 0 { "audit.recorded" } else { "other" },
                json!({"i": i}),
            )
        })
        .collect();
    let ids = bus.publish(events).await.unwrap();
    assert_eq!(ids.len(), 12);
    let queue = SqsQueue::new(sqs, urls);
    let delivered = queue
        .receive("jobs", 10, Duration::from_secs(30), Duration::from_secs(1))
        .await
        .unwrap();
    assert_eq!(delivered.len(), 1, "{delivered:?}");
    eprintln!(
        "eventbridge envelope delivered to SQS: {}",
        delivered[0].body
    );
    let envelope: Value = serde_json::from_str(&delivered[0].body).unwrap();
    assert_eq!(envelope["id"], ids[0]);
    assert_eq!(envelope["detail-type"], "audit.recorded");
    assert_eq!(envelope["detail"], json!({"i": 0}));
}

#[tokio::test]
async fn eventbridge_scheduler() {
    let Some(sdk) = moto().await else { return };
    let client = aws_sdk_scheduler::Client::new(&sdk);
    let group = unique("group");
    client
        .create_schedule_group()
        .name(&group)
        .send()
        .await
        .unwrap();
    let (sqs, urls) = create_queues(&sdk).await;
    let scheduler = EventBridgeScheduler::new(
        client,
        sqs,
        group.clone(),
        "arn:aws:iam::123456789012:role/s".into(),
        urls,
    );
    assert_eq!(
        scheduler.health().await.unwrap(),
        format!("scheduler group {group} (ACTIVE)")
    );

    let first = OneTimeSchedule {
        name: "publish-1".into(),
        at: at(1_900_000_000),
        queue: "jobs".into(),
        body: r#"{"post":1}"#.into(),
    };
    scheduler.schedule_once(first.clone()).await.unwrap();
    assert_eq!(
        scheduler.get("publish-1").await.unwrap(),
        Some(first.clone())
    );
    let replaced = OneTimeSchedule {
        at: at(1_900_000_600),
        queue: "jobs-dlq".into(),
        body: "v2".into(),
        ..first
    };
    scheduler.schedule_once(replaced.clone()).await.unwrap();
    assert_eq!(
        scheduler.get("publish-1").await.unwrap(),
        Some(replaced.clone())
    );
    let other = OneTimeSchedule {
        name: "remind-1".into(),
        ..replaced.clone()
    };
    scheduler.schedule_once(other.clone()).await.unwrap();
    let mut second = replaced.clone();
    second.name = "publish-0".into();
    scheduler.schedule_once(second.clone()).await.unwrap();
    assert_eq!(
        scheduler.list("publish-").await.unwrap(),
        vec![second, replaced]
    );
    assert_eq!(scheduler.list("").await.unwrap().len(), 3);
    assert!(scheduler.cancel("publish-1").await.unwrap());
    assert!(!scheduler.cancel("publish-1").await.unwrap());
    assert_eq!(scheduler.get("publish-1").await.unwrap(), None);
    assert_eq!(scheduler.get("bad/name").await.unwrap(), None);
    assert!(!scheduler.cancel("bad/name").await.unwrap());
    assert!(scheduler.list("bad/").await.unwrap().is_empty());
    assert!(matches!(
        scheduler
            .schedule_once(OneTimeSchedule {
                queue: "nope".into(),
                ..other
            })
            .await,
        Err(PortError::NotConfigured(_))
    ));
}
