//! Scheduler conformance: one-time schedules are created, read, listed, replaced and
//! cancelled by name (see `plasma_core::schedule`). Firing is backend-specific (EventBridge
//! Scheduler on AWS, `EmbeddedScheduler::fire_due` locally) and tested beside each adapter.

use crate::queue::JOBS;
use chrono::{DateTime, Duration, SubsecRound, Utc};
use plasma_core::{OneTimeSchedule, PortError, Scheduler};

/// Second precision, as the contract stores it; a day ahead so nothing fires during the test.
fn tomorrow() -> DateTime<Utc> {
    (Utc::now() + Duration::days(1)).trunc_subsecs(0)
}

fn schedule(name: &str, at: DateTime<Utc>, body: &str) -> OneTimeSchedule {
    OneTimeSchedule {
        name: name.into(),
        at,
        queue: JOBS.into(),
        body: body.into(),
    }
}

fn names(list: &[OneTimeSchedule]) -> Vec<&str> {
    list.iter().map(|s| s.name.as_str()).collect()
}

/// get/list see what schedule_once stored; the same name replaces; cancel reports whether
/// there was something to cancel.
pub async fn schedule_get_list_replace_cancel(s: &dyn Scheduler) {
    let at = tomorrow();
    assert_eq!(s.get("conf-a").await.expect("get absent"), None);
    let a = schedule("conf-a", at, r#"{"publish":"a"}"#);
    for sch in [
        a.clone(),
        schedule("conf-b", at, "b"),
        schedule("other-c", at, "c"),
    ] {
        s.schedule_once(sch).await.expect("schedule_once");
    }
    assert_eq!(
        s.get("conf-a").await.expect("get"),
        Some(a),
        "get returns what was stored"
    );
    let listed = s.list("conf-").await.expect("list");
    assert_eq!(
        names(&listed),
        ["conf-a", "conf-b"],
        "list filters by prefix, ordered by name"
    );
    assert_eq!(
        listed[1],
        schedule("conf-b", at, "b"),
        "list returns whole schedules"
    );

    let replacement = schedule("conf-a", at + Duration::hours(2), "replaced");
    s.schedule_once(replacement.clone()).await.expect("replace");
    assert_eq!(
        s.get("conf-a").await.expect("get"),
        Some(replacement),
        "same name replaces"
    );
    assert_eq!(
        names(&s.list("conf-").await.expect("list")),
        ["conf-a", "conf-b"]
    );

    assert!(
        s.cancel("conf-a").await.expect("cancel"),
        "cancel of a pending schedule"
    );
    assert!(
        !s.cancel("conf-a").await.expect("cancel again"),
        "second cancel finds nothing"
    );
    assert_eq!(s.get("conf-a").await.expect("get cancelled"), None);
    assert_eq!(
        names(&s.list("").await.expect("list all")),
        ["conf-b", "other-c"]
    );
}

/// Names EventBridge Scheduler would refuse are refused by every backend.
pub async fn invalid_names_refused(s: &dyn Scheduler) {
    for name in ["", "has/slash", "has space", &"x".repeat(65)] {
        let r = s.schedule_once(schedule(name, tomorrow(), "x")).await;
        assert!(
            matches!(r, Err(PortError::Invalid(_))),
            "schedule name {name:?} must be refused as Invalid, got {r:?}"
        );
    }
    assert!(
        s.list("").await.expect("list").is_empty(),
        "refused schedules must not be stored"
    );
}
