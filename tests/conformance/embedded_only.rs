//! Embedded-only guarantees: the SQLite queue is durable across a crash, and the scheduler's
//! `fire_due` (the runner's tick) delivers a due schedule exactly once.

use chrono::{Duration as Span, SubsecRound};
use plasma_conformance::queue::{JOBS, specs};
use plasma_core::{
    Clock, ManualClock, OneTimeSchedule, OutMessage, Queue, Scheduler, SystemClock, UuidV7Ids,
};
use plasma_embedded::{EmbeddedScheduler, SqliteQueue};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

/// Set in the child re-exec of this test binary: the data dir it writes the queue into.
const CHILD_DIR_VAR: &str = "PLASMA_CONFORMANCE_CRASH_DIR";
const READY: &str = "PLASMA-CHILD-READY";

fn open_queue(dir: &Path) -> SqliteQueue {
    SqliteQueue::open(
        &dir.join("queue.db"),
        specs(),
        Arc::new(SystemClock),
        Arc::new(UuidV7Ids),
    )
    .expect("open SQLite queue")
}

/// The child sends one message and receives it without deleting, sends a second, then
/// waits to be SIGKILLed: nothing gets a chance to shut down cleanly.
async fn crash_child(dir: &Path) -> ! {
    let q = open_queue(dir);
    q.send(JOBS, OutMessage::new("received-before-crash"))
        .await
        .expect("child send 1");
    let got = q
        .receive(JOBS, 1, Duration::from_secs(1), Duration::ZERO)
        .await
        .expect("child receive");
    assert_eq!(got.len(), 1, "child should receive its first message");
    q.send(JOBS, OutMessage::new("never-received"))
        .await
        .expect("child send 2");
    println!("{READY}");
    // Exits on its own only if the parent dies first (stdin closes), so it never lingers.
    let _ = std::io::stdin().read_line(&mut String::new());
    std::process::exit(3);
}

#[tokio::test]
async fn queue_keeps_messages_across_kill_9() {
    if let Some(dir) = std::env::var_os(CHILD_DIR_VAR) {
        crash_child(Path::new(&dir)).await;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let test_name = concat!(module_path!(), "::queue_keeps_messages_across_kill_9");
    let test_name = test_name.split_once("::").expect("crate prefix").1;
    let mut child = Command::new(std::env::current_exe().expect("test binary path"))
        .args([test_name, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_DIR_VAR, dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("re-exec the test binary");
    let stdout = BufReader::new(child.stdout.take().expect("child stdout"));
    // libtest prints "test <name> ... " before the child's own output, on the same line.
    // Lines are read on a thread so a wedged child fails the test instead of hanging it.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let ready = stdout
            .lines()
            .map_while(Result::ok)
            .any(|l| l.ends_with(READY));
        let _ = tx.send(ready);
    });
    let ready = rx.recv_timeout(Duration::from_secs(30)).unwrap_or(false);
    child.kill().expect("SIGKILL the child"); // Child::kill is SIGKILL on Unix.
    let status = child.wait().expect("reap child");
    assert!(
        ready,
        "child ({status}) did not report sending its messages within 30 s"
    );

    let q = open_queue(dir.path());
    let mut got = Vec::new();
    for _ in 0..5 {
        got.extend(
            q.receive(JOBS, 10, Duration::from_secs(30), Duration::from_secs(2))
                .await
                .expect("receive after restart"),
        );
        if got.len() >= 2 {
            break;
        }
    }
    let mut seen: Vec<(String, u32)> = got.into_iter().map(|m| (m.body, m.receive_count)).collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            ("never-received".to_string(), 1),
            ("received-before-crash".to_string(), 2)
        ],
        "both messages survive the crash; the in-flight one comes back after its visibility timeout"
    );
}

#[tokio::test]
async fn fire_due_delivers_a_due_schedule_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let start = chrono::Utc::now().trunc_subsecs(0);
    let clock = Arc::new(ManualClock::new(start));
    let queue: Arc<SqliteQueue> = Arc::new(
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
    let at = start + Span::seconds(60);
    scheduler
        .schedule_once(OneTimeSchedule {
            name: "remind-1".into(),
            at,
            queue: JOBS.into(),
            body: r#"{"remind":1}"#.into(),
        })
        .await
        .expect("schedule_once");
    assert_eq!(
        scheduler.fire_due().await.expect("fire_due early"),
        0,
        "not due yet"
    );
    clock.advance(Span::seconds(59));
    assert_eq!(
        scheduler.fire_due().await.expect("fire_due"),
        0,
        "1 s before due"
    );
    clock.advance(Span::seconds(1));
    assert_eq!(clock.now(), at);
    assert_eq!(
        scheduler.fire_due().await.expect("fire_due at due time"),
        1,
        "due now"
    );
    assert_eq!(
        scheduler.fire_due().await.expect("fire_due again"),
        0,
        "fires once"
    );
    assert_eq!(
        scheduler.get("remind-1").await.expect("get"),
        None,
        "a fired schedule is gone"
    );
    let got = queue
        .receive(JOBS, 10, Duration::from_secs(30), Duration::ZERO)
        .await
        .expect("receive");
    let bodies: Vec<&str> = got.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(
        bodies,
        [r#"{"remind":1}"#],
        "the schedule's body, delivered once"
    );
}
