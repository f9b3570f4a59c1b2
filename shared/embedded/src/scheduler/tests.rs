use super::*;
use crate::SqliteQueue;
use crate::test_support::{clock, specs, start};
use chrono::Duration as Span;
use plasma_core::{ManualClock, UuidV7Ids};
use std::time::Duration;

struct Fixture {
    _dir: tempfile::TempDir,
    clock: Arc<ManualClock>,
    queue: Arc<SqliteQueue>,
    scheduler: EmbeddedScheduler,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = clock();
    let queue = Arc::new(
        SqliteQueue::open(
            &dir.path().join("queue.db"),
            specs(),
            clock.clone(),
            Arc::new(UuidV7Ids),
        )
        .expect("queue"),
    );
    let scheduler = EmbeddedScheduler::open(
        &dir.path().join("schedules.db"),
        queue.clone(),
        clock.clone(),
    )
    .expect("scheduler");
    Fixture {
        _dir: dir,
        clock,
        queue,
        scheduler,
    }
}

fn once(name: &str, at: DateTime<Utc>, body: &str) -> OneTimeSchedule {
    OneTimeSchedule {
        name: name.into(),
        at,
        queue: "jobs".into(),
        body: body.into(),
    }
}

async fn bodies(queue: &SqliteQueue) -> Vec<String> {
    let got = queue
        .receive("jobs", 10, Duration::from_secs(30), Duration::ZERO)
        .await
        .expect("receive");
    got.into_iter().map(|m| m.body).collect()
}

#[tokio::test]
async fn a_late_schedule_fires_once() {
    let f = fixture();
    f.scheduler
        .schedule_once(once("late", start() + Span::minutes(1), "first"))
        .await
        .expect("schedule");
    // Replacing by name keeps one schedule, with the new body.
    f.scheduler
        .schedule_once(once("late", start() + Span::minutes(1), "second"))
        .await
        .expect("replace");
    assert_eq!(
        f.scheduler.fire_due().await.expect("fire"),
        0,
        "not due yet"
    );
    // The runner was down for a day.
    f.clock.advance(Span::days(1));
    assert_eq!(f.scheduler.fire_due().await.expect("fire"), 1);
    assert_eq!(f.scheduler.fire_due().await.expect("fire again"), 0);
    assert_eq!(bodies(&f.queue).await, ["second"]);
    assert_eq!(f.scheduler.get("late").await.expect("get"), None);
}

#[tokio::test]
async fn schedules_are_listed_by_prefix_and_cancelled() {
    let f = fixture();
    let at = start() + Span::hours(1);
    for name in ["b-1", "a-2", "a-1", "a_3"] {
        f.scheduler
            .schedule_once(once(name, at, name))
            .await
            .expect("schedule");
    }
    let names: Vec<String> = f
        .scheduler
        .list("a-")
        .await
        .expect("list")
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(names, ["a-1", "a-2"]);
    assert_eq!(
        f.scheduler.get("b-1").await.expect("get"),
        Some(once("b-1", at, "b-1"))
    );
    assert!(f.scheduler.cancel("b-1").await.expect("cancel"));
    assert!(!f.scheduler.cancel("b-1").await.expect("cancel again"));
    assert!(
        f.scheduler
            .schedule_once(once("bad/name", at, "x"))
            .await
            .is_err()
    );
    let unknown = OneTimeSchedule {
        queue: "nope".into(),
        ..once("x", at, "x")
    };
    assert!(matches!(
        f.scheduler.schedule_once(unknown).await,
        Err(PortError::NotConfigured(_))
    ));
}

#[tokio::test]
async fn last_fired_is_persisted() {
    let f = fixture();
    assert_eq!(f.scheduler.last_fired("nightly").await.expect("read"), None);
    let at = start() + Span::milliseconds(1234);
    f.scheduler
        .set_last_fired("nightly", at)
        .await
        .expect("write");
    let dir = f._dir.path();
    let reopened =
        EmbeddedScheduler::open(&dir.join("schedules.db"), f.queue.clone(), f.clock.clone())
            .expect("reopen");
    assert_eq!(
        reopened.last_fired("nightly").await.expect("read"),
        Some(at)
    );
}
