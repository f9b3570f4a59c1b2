//! EventBus conformance: events matching a rule reach its target queue as the EventBridge
//! envelope; others do not (see `plasma_core::events`).

use crate::queue::JOBS;
use plasma_core::{Event, EventBus, EventEnvelope, Queue, Received, Rule};
use serde_json::json;
use std::collections::BTreeSet;
use std::time::Duration;

pub const SOURCE: &str = "plasma.conformance";
pub const DETAIL_TYPE: &str = "widget.created";

/// The rules both backends are configured with: one rule routing SOURCE/DETAIL_TYPE to JOBS.
pub fn rules() -> Vec<Rule> {
    vec![Rule {
        name: "conformance-widgets".into(),
        sources: vec![SOURCE.into()],
        detail_types: vec![DETAIL_TYPE.into()],
        target_queue: JOBS.into(),
    }]
}

/// Receives until `want` messages arrived or a receive comes back empty after waiting.
async fn drain(queue: &dyn Queue, want: usize) -> Vec<Received> {
    let mut got = Vec::new();
    while got.len() < want {
        let batch = queue
            .receive(JOBS, 10, Duration::from_secs(30), Duration::from_secs(3))
            .await
            .expect("receive from the rule's target queue");
        if batch.is_empty() {
            break;
        }
        got.extend(batch);
    }
    got
}

fn envelope(m: &Received) -> EventEnvelope {
    serde_json::from_str(&m.body).unwrap_or_else(|e| {
        panic!(
            "target queue message is not an EventBridge envelope ({e}): {}",
            m.body
        )
    })
}

/// A matching event arrives once as an envelope carrying source, detail-type and detail;
/// events of another source or detail-type are not routed.
pub async fn matching_event_reaches_rule_target(bus: &dyn EventBus, queue: &dyn Queue) {
    let detail = json!({"widget": {"id": "w-1", "size": 3}, "tags": ["a"]});
    let events = vec![
        Event::new("plasma.other", DETAIL_TYPE, json!({"n": 1})),
        Event::new(SOURCE, "widget.deleted", json!({"n": 2})),
        Event::new(SOURCE, DETAIL_TYPE, detail.clone()),
    ];
    let ids = bus.publish(events).await.expect("publish");
    assert_eq!(ids.len(), 3, "one id per published event");
    // Drain more than expected: a wrongly routed event would show up as an extra message.
    let got = drain(queue, 2).await;
    assert_eq!(
        got.len(),
        1,
        "only the matching event may reach the queue, got {got:?}"
    );
    let env = envelope(&got[0]);
    assert_eq!(env.source, SOURCE);
    assert_eq!(env.detail_type, DETAIL_TYPE);
    assert_eq!(env.detail, detail, "detail round trip");
    assert_eq!(env.version, "0");
    assert_eq!(env.id, ids[2], "the envelope id is the id publish returned");
    let age = (chrono::Utc::now() - env.time).num_seconds().abs();
    assert!(age < 300, "envelope time {} is not close to now", env.time);
}

/// Publishing more events than one PutEvents call takes delivers all of them.
pub async fn publish_beyond_one_put_events_call(bus: &dyn EventBus, queue: &dyn Queue) {
    let events: Vec<Event> = (0..25)
        .map(|i| Event::new(SOURCE, DETAIL_TYPE, json!({"i": i})))
        .collect();
    let ids = bus.publish(events).await.expect("publish 25");
    assert_eq!(ids.len(), 25);
    assert_eq!(
        ids.iter().collect::<BTreeSet<_>>().len(),
        25,
        "ids are distinct"
    );
    let got: BTreeSet<i64> = drain(queue, 25)
        .await
        .iter()
        .map(|m| envelope(m).detail["i"].as_i64().expect("detail.i"))
        .collect();
    assert_eq!(got, (0..25).collect(), "every event delivered");
}
