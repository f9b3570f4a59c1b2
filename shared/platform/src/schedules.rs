//! The recurring schedules, one table: each names the function it invokes (template.yaml's
//! schedule of that function, checked by a test), its EventBridge expression, and its work.
//! The functions serve their entry, and the runner fires every entry at its times, through
//! the same [`handle`] with a synthesized Scheduled Event.

use crate::Platform;
use aws_lambda_events::event::eventbridge::EventBridgeEvent;
use futures::future::BoxFuture;
use lambda_runtime::LambdaEvent;
use serde::Serialize;
use serde_json::Value;

/// A schedule's work: what its function does when fired; the result is the invocation's
/// response (a summary of what ran).
pub type Job = for<'a> fn(&'a Platform) -> BoxFuture<'a, anyhow::Result<Value>>;

pub struct Schedule {
    /// The function it invokes (the crate and binary under functions/).
    pub name: &'static str,
    /// `rate(...)` or `cron(...)`, as EventBridge Scheduler takes it.
    pub expression: &'static str,
    pub run: Job,
}

/// Hourly: dead letters settled, queue depths recorded for `/health`.
pub const HOUSEKEEPING: Schedule = Schedule {
    name: "housekeeping",
    expression: "rate(1 hour)",
    run: |p| Box::pin(async move { summary(crate::housekeeping::run(p).await?) }),
};

/// Every 15 minutes: fresh enough for triage, and well within the free tiers and politeness
/// of the sources' APIs.
pub const BRAND_SCAN: Schedule = Schedule {
    name: "brand-scan",
    expression: "rate(15 minutes)",
    run: |p| Box::pin(async move { summary(plasma_brand::scan::enqueue_all(&p.brand).await?) }),
};

/// Mondays 06:00 UTC: the week closed at midnight and late mentions of Sunday have had six
/// hours to be collected. EventBridge numbers weekdays from Sunday (2 = Monday).
pub const BRAND_REPORTS: Schedule = Schedule {
    name: "brand-reports",
    expression: "cron(0 6 ? * 2 *)",
    run: |p| {
        Box::pin(
            async move { summary(plasma_brand::reports::weekly::reports_all(&p.brand).await?) },
        )
    },
};

/// Hourly: platforms update their counts continuously; hourly is fresh enough for reports
/// and far inside every API's rate limits.
pub const CONTENT_METRICS: Schedule = Schedule {
    name: "content-metrics",
    expression: "rate(1 hour)",
    run: |p| Box::pin(async move { summary(p.content.refresh_metrics().await?) }),
};

pub const SCHEDULES: [&Schedule; 4] =
    [&HOUSEKEEPING, &BRAND_SCAN, &BRAND_REPORTS, &CONTENT_METRICS];

/// One scheduled invocation: anything but EventBridge's Scheduled Event is refused (a
/// misrouted event must not trigger a scan), then the schedule's work runs.
pub async fn handle(
    platform: &Platform,
    schedule: &Schedule,
    event: LambdaEvent<EventBridgeEvent>,
) -> Result<Value, lambda_runtime::Error> {
    if event.payload.detail_type != "Scheduled Event" {
        return Err(format!(
            "{} expects a Scheduled Event, got {:?}",
            schedule.name, event.payload.detail_type
        )
        .into());
    }
    Ok((schedule.run)(platform).await?)
}

fn summary(report: impl Serialize) -> anyhow::Result<Value> {
    Ok(serde_json::to_value(report)?)
}
