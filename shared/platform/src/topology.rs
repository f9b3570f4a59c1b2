//! The platform's queues and event rules (recurring schedules are in [`crate::schedules`]).
//! template.yaml declares the same for AWS (a test checks they agree); the embedded runtime
//! enforces these directly.

use plasma_core::{QueueSpec, Rule};
use std::time::Duration;

/// Background work: routed events and fired one-time schedules.
pub const JOBS: &str = "jobs";
pub const JOBS_DLQ: &str = "jobs-dlq";
/// Receives before a message is dead-lettered (template.yaml: maxReceiveCount).
pub const MAX_RECEIVES: u32 = 5;
/// How long a received message stays hidden from other workers (template.yaml: jobs
/// VisibilityTimeout, six times the worker's 60 s timeout as AWS recommends).
pub const JOBS_VISIBILITY: Duration = Duration::from_secs(360);

/// Document ingestion: S3 notifications for `incoming/` and the API's ingest jobs.
pub const INGEST: &str = "ingest";
pub const INGEST_DLQ: &str = "ingest-dlq";
/// Six times the research-ingest function's 120 s timeout (template.yaml).
pub const INGEST_VISIBILITY: Duration = Duration::from_secs(720);

/// Publishing: fired one-time schedules and publish retries.
pub const PUBLISH: &str = "publish";
pub const PUBLISH_DLQ: &str = "publish-dlq";
/// Six times the content-publish function's 60 s timeout (template.yaml).
pub const PUBLISH_VISIBILITY: Duration = Duration::from_secs(360);

pub const QUEUE_NAMES: [&str; 6] = [JOBS, JOBS_DLQ, INGEST, INGEST_DLQ, PUBLISH, PUBLISH_DLQ];

pub fn queues() -> Vec<QueueSpec> {
    vec![
        QueueSpec {
            name: JOBS.into(),
            visibility_timeout: JOBS_VISIBILITY,
            max_receives: MAX_RECEIVES,
            dead_letter: Some(JOBS_DLQ.into()),
        },
        QueueSpec {
            name: JOBS_DLQ.into(),
            visibility_timeout: JOBS_VISIBILITY,
            max_receives: u32::MAX,
            dead_letter: None,
        },
        QueueSpec {
            name: INGEST.into(),
            visibility_timeout: INGEST_VISIBILITY,
            max_receives: MAX_RECEIVES,
            dead_letter: Some(INGEST_DLQ.into()),
        },
        QueueSpec {
            name: INGEST_DLQ.into(),
            visibility_timeout: INGEST_VISIBILITY,
            max_receives: u32::MAX,
            dead_letter: None,
        },
        QueueSpec {
            name: PUBLISH.into(),
            visibility_timeout: PUBLISH_VISIBILITY,
            max_receives: MAX_RECEIVES,
            dead_letter: Some(PUBLISH_DLQ.into()),
        },
        QueueSpec {
            name: PUBLISH_DLQ.into(),
            visibility_timeout: PUBLISH_VISIBILITY,
            max_receives: u32::MAX,
            dead_letter: None,
        },
    ]
}

pub fn rules() -> Vec<Rule> {
    vec![
        plasma_gateway::audit::rule(JOBS),
        plasma_agent::remote::rule(JOBS),
    ]
}
