//! Queue conformance: SQS standard-queue semantics (see `plasma_core::queue`). Visibility
//! timeouts and delays run on real time, kept at 1-2 s so the suite stays quick.

use plasma_core::{OutMessage, PortError, Queue, QueueDepth, QueueSpec, Received};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

/// The queue every case works on, and its dead-letter queue.
pub const JOBS: &str = "jobs";
pub const JOBS_DLQ: &str = "jobs-dlq";
/// Receives before a message moves to the dead-letter queue.
pub const MAX_RECEIVES: u32 = 2;

const SHORT: Duration = Duration::from_secs(1);
const LONG: Duration = Duration::from_secs(30);
const NO_WAIT: Duration = Duration::ZERO;

/// The queues the suites need, as both backends declare them (embedded specs, SQS attributes).
pub fn specs() -> Vec<QueueSpec> {
    vec![
        QueueSpec {
            name: JOBS.into(),
            visibility_timeout: LONG,
            max_receives: MAX_RECEIVES,
            dead_letter: Some(JOBS_DLQ.into()),
        },
        QueueSpec {
            name: JOBS_DLQ.into(),
            visibility_timeout: LONG,
            max_receives: 10,
            dead_letter: None,
        },
    ]
}

async fn receive(
    q: &dyn Queue,
    queue: &str,
    max: u32,
    visibility: Duration,
    wait: Duration,
) -> Vec<Received> {
    q.receive(queue, max, visibility, wait)
        .await
        .unwrap_or_else(|e| panic!("receive from {queue}: {e}"))
}

/// Exactly one message, received within `wait`.
async fn receive_one(q: &dyn Queue, queue: &str, visibility: Duration, wait: Duration) -> Received {
    let mut got = receive(q, queue, 1, visibility, wait).await;
    assert_eq!(
        got.len(),
        1,
        "expected one message from {queue} within {wait:?}, got {got:?}"
    );
    got.pop().expect("one message")
}

async fn assert_empty(q: &dyn Queue, queue: &str, wait: Duration, why: &str) {
    let got = receive(q, queue, 10, LONG, wait).await;
    assert!(
        got.is_empty(),
        "{why}: {queue} should have nothing to receive, got {got:?}"
    );
}

/// send → receive (body, id, attributes, count 1) → delete; a deleted message is gone.
pub async fn send_receive_delete(q: &dyn Queue) {
    let id = q
        .send(
            JOBS,
            OutMessage::new(r#"{"job":1}"#).attribute("kind", "test"),
        )
        .await
        .expect("send");
    let got = receive_one(q, JOBS, LONG, SHORT).await;
    assert_eq!(got.message_id, id, "receive reports the id send returned");
    assert_eq!(got.body, r#"{"job":1}"#);
    assert_eq!(got.receive_count, 1);
    assert_eq!(
        got.attributes.get("kind").map(String::as_str),
        Some("test"),
        "{got:?}"
    );
    q.delete(JOBS, &got.receipt).await.expect("delete");
    assert_eq!(
        q.depth(JOBS).await.expect("depth"),
        QueueDepth::default(),
        "depth after delete"
    );
    assert_empty(q, JOBS, NO_WAIT, "after delete").await;
}

/// A received but undeleted message is hidden for its visibility timeout, then redelivered
/// with its receive count incremented.
pub async fn undeleted_message_is_redelivered(q: &dyn Queue) {
    let id = q.send(JOBS, OutMessage::new("again")).await.expect("send");
    let first = receive_one(q, JOBS, SHORT, SHORT).await;
    assert_eq!(first.receive_count, 1);
    assert_empty(q, JOBS, NO_WAIT, "while the message is in flight").await;
    // Long polling must notice the message becoming visible again.
    let second = receive_one(q, JOBS, LONG, Duration::from_secs(3)).await;
    assert_eq!(second.message_id, id, "the same message comes back");
    assert_eq!(
        second.receive_count, 2,
        "receive_count counts every receive"
    );
    assert_ne!(
        second.receipt, first.receipt,
        "each receive gets a new receipt"
    );
}

/// After MAX_RECEIVES receives without a delete, the message moves to the dead-letter queue.
pub async fn dead_letters_after_max_receives(q: &dyn Queue) {
    q.send(JOBS, OutMessage::new("poison")).await.expect("send");
    for n in 1..=MAX_RECEIVES {
        let got = receive_one(q, JOBS, SHORT, Duration::from_secs(3)).await;
        assert_eq!(got.receive_count, n, "receive #{n}");
    }
    // The next receive attempt, once the message is visible again, dead-letters it.
    assert_empty(q, JOBS, Duration::from_secs(2), "after max receives").await;
    let dead = receive_one(q, JOBS_DLQ, LONG, Duration::from_secs(2)).await;
    assert_eq!(
        dead.body, "poison",
        "the dead-lettered message keeps its body"
    );
    assert_eq!(
        q.depth(JOBS).await.expect("depth").visible,
        0,
        "moved, not copied"
    );
}

/// A delayed message stays hidden until its delay elapses.
pub async fn delay_hides_message_until_elapsed(q: &dyn Queue) {
    let sent = Instant::now();
    q.send(
        JOBS,
        OutMessage::new("later").delayed(Duration::from_secs(2)),
    )
    .await
    .expect("send delayed");
    assert_empty(q, JOBS, NO_WAIT, "during the delay").await;
    let got = receive_one(q, JOBS, LONG, Duration::from_secs(5)).await;
    assert_eq!(got.body, "later");
    let waited = sent.elapsed();
    assert!(
        waited >= Duration::from_millis(1500),
        "delivered after {waited:?}, before its 2 s delay"
    );
}

/// send_batch splits any number of messages into SQS-sized batches, ids in order.
pub async fn send_batch_of_25(q: &dyn Queue) {
    let bodies: Vec<String> = (0..25).map(|i| format!("batch-{i:02}")).collect();
    let ids = q
        .send_batch(JOBS, bodies.iter().map(OutMessage::new).collect())
        .await
        .expect("send_batch");
    assert_eq!(ids.len(), 25, "one id per message");
    assert_eq!(
        ids.iter().collect::<BTreeSet<_>>().len(),
        25,
        "ids are distinct"
    );
    let mut received = Vec::new();
    for _ in 0..20 {
        received.extend(receive(q, JOBS, 10, LONG, SHORT).await);
        if received.len() >= 25 {
            break;
        }
    }
    let got: BTreeSet<(String, String)> = received
        .into_iter()
        .map(|m| (m.message_id, m.body))
        .collect();
    let want: BTreeSet<(String, String)> = ids.into_iter().zip(bodies).collect();
    assert_eq!(
        got, want,
        "every batched message delivered once, under the id send_batch returned"
    );
}

/// change_visibility to 0 makes an in-flight message visible at once.
pub async fn change_visibility_zero_releases(q: &dyn Queue) {
    q.send(JOBS, OutMessage::new("release me"))
        .await
        .expect("send");
    let first = receive_one(q, JOBS, LONG, SHORT).await;
    assert_empty(q, JOBS, NO_WAIT, "in flight for 30 s").await;
    q.change_visibility(JOBS, &first.receipt, Duration::ZERO)
        .await
        .expect("change_visibility");
    let again = receive_one(q, JOBS, LONG, NO_WAIT).await;
    assert_eq!(again.message_id, first.message_id);
    assert_eq!(again.receive_count, 2);
}

/// depth counts visible, in-flight and delayed messages separately.
pub async fn depth_counts_each_state(q: &dyn Queue) {
    assert_eq!(
        q.depth(JOBS).await.expect("depth"),
        QueueDepth::default(),
        "new queue"
    );
    q.send_batch(
        JOBS,
        vec![
            OutMessage::new("a"),
            OutMessage::new("b"),
            OutMessage::new("c"),
        ],
    )
    .await
    .expect("send");
    q.send(JOBS, OutMessage::new("d").delayed(LONG))
        .await
        .expect("send delayed");
    receive_one(q, JOBS, LONG, SHORT).await;
    let depth = q.depth(JOBS).await.expect("depth");
    let want = QueueDepth {
        visible: 2,
        in_flight: 1,
        delayed: 1,
    };
    assert_eq!(depth, want);
}

/// Unknown queues and out-of-range receive sizes are refused.
pub async fn bad_requests_refused(q: &dyn Queue) {
    let r = q.send("no-such-queue", OutMessage::new("x")).await;
    assert!(
        matches!(r, Err(PortError::NotConfigured(_))),
        "send to an unknown queue must be NotConfigured, got {r:?}"
    );
    for max in [0, 11] {
        let r = q.receive(JOBS, max, LONG, NO_WAIT).await;
        assert!(
            matches!(r, Err(PortError::Invalid(_))),
            "receive of {max} messages must be Invalid, got {r:?}"
        );
    }
}
