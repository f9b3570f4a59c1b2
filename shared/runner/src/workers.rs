//! The runner's background loops: they hand the embedded queue's messages and the schedules'
//! firings to the very handlers the worker and housekeeping Lambda functions run.

use aws_lambda_events::event::eventbridge::EventBridgeEvent;
use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent, SqsMessage};
use chrono::Utc;
use lambda_runtime::{Context, LambdaEvent};
use plasma_core::{Received, ScheduleExpression};
use plasma_embedded::Embedded;
use plasma_platform::schedules::{SCHEDULES, Schedule, handle};
use plasma_platform::{Platform, topology};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Long-poll wait per receive; also bounds how long shutdown waits for an idle worker.
const POLL: Duration = Duration::from_secs(1);
const TICK: Duration = Duration::from_millis(500);

pub async fn jobs(platform: Platform, stop: watch::Receiver<bool>) -> anyhow::Result<()> {
    consume(platform, topology::JOBS, topology::JOBS_VISIBILITY, stop, |p, event| async move {
        worker::handler(&p, LambdaEvent::new(event, Context::default())).await
    })
    .await
}

/// Ingest consumers the runner starts; template.yaml's ingest `MaximumConcurrency`.
pub const INGEST_CONCURRENCY: usize = 5;

/// The ingest queue: S3-style notifications for uploads under `incoming/` and ingest jobs,
/// handed to the research-ingest function's handler.
pub async fn ingest(platform: Platform, stop: watch::Receiver<bool>) -> anyhow::Result<()> {
    consume(
        platform,
        topology::INGEST,
        topology::INGEST_VISIBILITY,
        stop,
        |p, event| async move {
            research_ingest::handler(&p, LambdaEvent::new(event, Context::default())).await
        },
    )
    .await
}

/// The publish queue: fired content schedules and publish retries, handed to the
/// content-publish function's handler.
pub async fn publish(platform: Platform, stop: watch::Receiver<bool>) -> anyhow::Result<()> {
    consume(
        platform,
        topology::PUBLISH,
        topology::PUBLISH_VISIBILITY,
        stop,
        |p, event| async move {
            content_publish::handler(&p, LambdaEvent::new(event, Context::default())).await
        },
    )
    .await
}

async fn consume<F, Fut>(
    platform: Platform,
    queue: &'static str,
    visibility: Duration,
    mut stop: watch::Receiver<bool>,
    handler: F,
) -> anyhow::Result<()>
where
    F: Fn(Platform, SqsEvent) -> Fut,
    Fut: std::future::Future<Output = Result<SqsBatchResponse, lambda_runtime::Error>>,
{
    while !*stop.borrow() {
        let batch = match platform
            .ports
            .queue
            .receive(queue, 10, visibility, POLL)
            .await
        {
            Ok(batch) => batch,
            Err(e) => {
                tracing::error!(queue, error = %e, "receiving messages failed");
                let _ = tokio::time::timeout(POLL, stop.changed()).await;
                continue;
            }
        };
        if batch.is_empty() {
            continue;
        }
        let outcome = handler(platform.clone(), sqs_event(&batch)).await;
        settle(&platform, queue, visibility, &batch, outcome).await;
    }
    Ok(())
}

/// What Lambda's SQS integration does after the handler: delete what succeeded, leave
/// failures to come back (sooner than the full visibility timeout, with backoff, since
/// nobody else will pick them up locally).
async fn settle(
    platform: &Platform,
    queue: &str,
    visibility: Duration,
    batch: &[Received],
    outcome: Result<SqsBatchResponse, lambda_runtime::Error>,
) {
    let failed: HashSet<String> = match outcome {
        Ok(response) => response
            .batch_item_failures
            .into_iter()
            .map(|f| f.item_identifier)
            .collect(),
        Err(e) => {
            tracing::error!(queue, error = %e, "the handler failed the whole batch");
            batch.iter().map(|m| m.message_id.clone()).collect()
        }
    };
    for message in batch {
        let result = if failed.contains(&message.message_id) {
            let backoff = Duration::from_secs(5u64 << message.receive_count.min(6));
            platform
                .ports
                .queue
                .change_visibility(queue, &message.receipt, backoff.min(visibility))
                .await
        } else {
            platform.ports.queue.delete(queue, &message.receipt).await
        };
        if let Err(e) = result {
            tracing::error!(queue, error = %e, message_id = %message.message_id, "could not settle a message");
        }
    }
}

fn sqs_event(batch: &[Received]) -> SqsEvent {
    let mut event = SqsEvent::default();
    event.records = batch
        .iter()
        .map(|m| {
            let mut record = SqsMessage::default();
            record.message_id = Some(m.message_id.clone());
            record.receipt_handle = Some(m.receipt.clone());
            record.body = Some(m.body.clone());
            record.attributes.insert(
                "ApproximateReceiveCount".into(),
                m.receive_count.to_string(),
            );
            record.event_source = Some("plasma:embedded-queue".into());
            record
        })
        .collect();
    event
}

/// Fires due one-time schedules into their queues, and recurring schedules into their
/// functions. A recurring schedule missed while the runner was down fires once on start.
pub async fn schedules(
    platform: Platform,
    embedded: Arc<Embedded>,
    mut stop: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    let recurring: Vec<_> = SCHEDULES
        .into_iter()
        .filter_map(|s| match ScheduleExpression::parse(s.expression) {
            Ok(expr) => Some((s, expr)),
            Err(e) => {
                tracing::error!(schedule = %s.name, error = %e, "skipping a malformed schedule");
                None
            }
        })
        .collect();
    while !*stop.borrow() {
        if let Err(e) = embedded.scheduler.fire_due().await {
            tracing::error!(error = %e, "firing one-time schedules failed");
        }
        for (schedule, expr) in &recurring {
            let name = schedule.name;
            let now = platform.ports.clock.now();
            let due = match embedded.scheduler.last_fired(name).await {
                Ok(None) => true,
                Ok(Some(last)) => expr.next_after(last).is_some_and(|next| next <= now),
                Err(e) => {
                    tracing::error!(schedule = %name, error = %e, "reading schedule state failed");
                    false
                }
            };
            if due {
                fire(&platform, schedule).await;
                if let Err(e) = embedded.scheduler.set_last_fired(name, now).await {
                    tracing::error!(schedule = %name, error = %e, "recording a schedule firing failed");
                }
            }
        }
        let _ = tokio::time::timeout(TICK, stop.changed()).await;
    }
    Ok(())
}

/// What EventBridge Scheduler sends the schedule's function.
async fn fire(platform: &Platform, schedule: &Schedule) {
    let mut event = EventBridgeEvent::default();
    event.detail_type = "Scheduled Event".into();
    event.source = "aws.events".into();
    event.time = Some(Utc::now());
    event.resources = Some(vec![format!("plasma:schedule/{}", schedule.name)]);
    event.detail = serde_json::json!({});
    match handle(
        platform,
        schedule,
        LambdaEvent::new(event, Context::default()),
    )
    .await
    {
        Ok(summary) => tracing::info!(schedule = schedule.name, %summary, "scheduled function ran"),
        Err(e) => {
            tracing::error!(schedule = schedule.name, error = %e, "scheduled function failed")
        }
    }
}
