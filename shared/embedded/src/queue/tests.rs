use super::*;
use crate::test_support::{clock, specs};
use plasma_core::queue::MAX_BODY_BYTES;
use plasma_core::{ManualClock, SequentialIds};

const LONG: Duration = Duration::from_secs(30);

fn open(path: &Path, clock: Arc<ManualClock>) -> SqliteQueue {
    SqliteQueue::open(path, specs(), clock, Arc::new(SequentialIds::new("m"))).expect("open queue")
}

async fn receive(q: &SqliteQueue, queue: &str) -> Vec<Received> {
    q.receive(queue, 10, LONG, Duration::ZERO)
        .await
        .expect("receive")
}

#[tokio::test]
async fn reopened_queue_keeps_messages() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("queue.db");
    let clock = clock();
    {
        let q = open(&path, clock.clone());
        q.send("jobs", OutMessage::new("durable").attribute("k", "v"))
            .await
            .expect("send");
        q.send(
            "jobs",
            OutMessage::new("later").delayed(Duration::from_secs(20)),
        )
        .await
        .expect("send");
    }
    let q = open(&path, clock.clone());
    assert_eq!(
        q.depth("jobs").await.expect("depth"),
        QueueDepth {
            visible: 1,
            in_flight: 0,
            delayed: 1
        }
    );
    let got = receive(&q, "jobs").await;
    assert_eq!(got.len(), 1);
    assert_eq!(
        (
            got[0].body.as_str(),
            got[0].attributes.get("k").map(String::as_str)
        ),
        ("durable", Some("v"))
    );
    clock.advance(chrono::Duration::seconds(20));
    let later = receive(&q, "jobs").await;
    assert_eq!(
        later.iter().map(|m| m.body.as_str()).collect::<Vec<_>>(),
        ["later"],
        "the delay ran out"
    );
}

#[tokio::test]
async fn stale_receipts_cannot_touch_a_message_received_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = clock();
    let q = open(&dir.path().join("queue.db"), clock.clone());
    q.send("jobs", OutMessage::new("x")).await.expect("send");
    let first = receive(&q, "jobs").await.remove(0);
    clock.advance(chrono::Duration::seconds(31));
    let second = receive(&q, "jobs").await.remove(0);
    assert_eq!(second.receive_count, 2);
    q.delete("jobs", &first.receipt)
        .await
        .expect("stale delete is a no-op");
    let stale = q
        .change_visibility("jobs", &first.receipt, Duration::ZERO)
        .await;
    assert!(matches!(stale, Err(PortError::Invalid(_))), "{stale:?}");
    assert_eq!(
        q.depth("jobs").await.expect("depth").in_flight,
        1,
        "still held by the second receiver"
    );
    q.delete("jobs", &second.receipt).await.expect("delete");
    assert_eq!(q.depth("jobs").await.expect("depth"), QueueDepth::default());
}

#[tokio::test]
async fn redrives_to_the_dead_letter_queue_on_the_next_receive() {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = clock();
    let q = open(&dir.path().join("queue.db"), clock.clone());
    let id = q
        .send("jobs", OutMessage::new("poison"))
        .await
        .expect("send");
    for n in 1..=2 {
        let got = receive(&q, "jobs").await;
        assert_eq!(got[0].receive_count, n);
        clock.advance(chrono::Duration::seconds(31));
    }
    assert!(
        receive(&q, "jobs").await.is_empty(),
        "moved instead of returned"
    );
    let dead = receive(&q, "dlq").await;
    assert_eq!(
        (dead[0].message_id.as_str(), dead[0].receive_count),
        (id.as_str(), 1)
    );
}

#[tokio::test]
async fn zero_visibility_never_returns_a_message_twice_in_one_receive() {
    let dir = tempfile::tempdir().expect("temp dir");
    let q = open(&dir.path().join("queue.db"), clock());
    q.send_batch("jobs", vec![OutMessage::new("a"), OutMessage::new("b")])
        .await
        .expect("send");
    let got = q
        .receive("jobs", 10, Duration::ZERO, Duration::ZERO)
        .await
        .expect("receive");
    assert_eq!(
        got.iter().map(|m| m.body.as_str()).collect::<Vec<_>>(),
        ["a", "b"]
    );
}

#[tokio::test]
async fn long_poll_wakes_on_a_send() {
    let dir = tempfile::tempdir().expect("temp dir");
    let q = Arc::new(open(&dir.path().join("queue.db"), clock()));
    let waiter = {
        let q = Arc::clone(&q);
        tokio::spawn(async move { q.receive("jobs", 1, LONG, Duration::from_secs(10)).await })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    let started = std::time::Instant::now();
    q.send("jobs", OutMessage::new("wake")).await.expect("send");
    let got = waiter.await.expect("join").expect("receive");
    assert_eq!(got.len(), 1);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "woken by the send, not the timeout"
    );
}

#[tokio::test]
async fn refuses_bad_requests() {
    let dir = tempfile::tempdir().expect("temp dir");
    let q = open(&dir.path().join("queue.db"), clock());
    assert!(matches!(
        q.depth("nope").await,
        Err(PortError::NotConfigured(_))
    ));
    for bad in [
        OutMessage::new(""),
        OutMessage::new("x").delayed(Duration::from_secs(901)),
        OutMessage::new("x".repeat(MAX_BODY_BYTES + 1)),
    ] {
        assert!(matches!(
            q.send("jobs", bad).await,
            Err(PortError::Invalid(_))
        ));
    }
    assert!(
        q.receive("jobs", 1, LONG, Duration::from_secs(21))
            .await
            .is_err()
    );
    let orphan = vec![QueueSpec {
        dead_letter: Some("missing".into()),
        ..specs().remove(0)
    }];
    let opened = SqliteQueue::open(
        &dir.path().join("q2.db"),
        orphan,
        clock(),
        Arc::new(SequentialIds::new("m")),
    );
    assert!(matches!(opened, Err(PortError::NotConfigured(_))));
}
