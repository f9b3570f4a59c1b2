//! Helpers shared by the unit tests.

use chrono::{DateTime, Utc};
use plasma_core::{ManualClock, QueueSpec};
use std::sync::Arc;
use std::time::Duration;

pub(crate) fn start() -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000, 0).expect("valid start time")
}

pub(crate) fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(start()))
}

/// `jobs`, dead-lettering to `dlq` after two receives.
pub(crate) fn specs() -> Vec<QueueSpec> {
    let spec = |name: &str, dead_letter: Option<&str>| QueueSpec {
        name: name.into(),
        visibility_timeout: Duration::from_secs(30),
        max_receives: 2,
        dead_letter: dead_letter.map(Into::into),
    };
    vec![spec("jobs", Some("dlq")), spec("dlq", None)]
}
