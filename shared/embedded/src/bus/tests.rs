use super::*;
use crate::SqliteQueue;
use crate::test_support::{clock, specs, start};
use plasma_core::SequentialIds;
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn matching_rules_enqueue_the_envelope() {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = clock();
    let queue = Arc::new(
        SqliteQueue::open(
            &dir.path().join("queue.db"),
            specs(),
            clock.clone(),
            Arc::new(SequentialIds::new("m")),
        )
        .expect("queue"),
    );
    let rule = |name: &str, detail_types: &[&str]| Rule {
        name: name.into(),
        sources: vec!["plasma.test".into()],
        detail_types: detail_types.iter().map(|d| d.to_string()).collect(),
        target_queue: "jobs".into(),
    };
    let bus = EmbeddedEventBus::new(
        queue.clone(),
        vec![rule("all", &[]), rule("created", &["created"])],
        clock,
        Arc::new(SequentialIds::new("e")),
    );
    let ids = bus
        .publish(vec![
            Event::new("plasma.test", "created", json!({"n": 1})),
            Event::new("elsewhere", "created", json!({})),
        ])
        .await
        .expect("publish");
    assert_eq!(
        ids,
        ["e000001", "e000002"],
        "unrouted events are accepted too"
    );
    let got = queue
        .receive("jobs", 10, Duration::from_secs(30), Duration::ZERO)
        .await
        .expect("receive");
    assert_eq!(got.len(), 2, "one delivery per matching rule");
    let envelope: EventEnvelope = serde_json::from_str(&got[0].body).expect("envelope");
    let event = Event::new("plasma.test", "created", json!({"n": 1}));
    assert_eq!(
        envelope,
        EventEnvelope::local("e000001".into(), start(), &event)
    );
    assert!(
        bus.publish(vec![Event::new("plasma.test", "x", json!([1]))])
            .await
            .is_err()
    );
}
