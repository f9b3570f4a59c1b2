//! The worker: consumes the jobs queue. Each message is an EventBridge envelope — routed here
//! by a rule, or sent directly as a job (webhook deliveries, fired one-time schedules) — and
//! is dispatched by source and detail-type. A failed message is reported back
//! (SQS partial batch response) so that only it is retried, and after
//! [`crate::topology::MAX_RECEIVES`] attempts it is dead-lettered rather than lost.

use crate::Platform;
use anyhow::{Context, bail};
use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use plasma_brand::scan;
use plasma_core::EventEnvelope;
use plasma_gateway::audit::{self, AuditEvent, AuditLog};
use plasma_gateway::webhooks;
use plasma_research::{self as research, jobs};

/// Handle one SQS batch; failures are reported per message, never for the whole batch.
pub async fn handle_batch(platform: &Platform, event: SqsEvent) -> SqsBatchResponse {
    crate::batch::each(&event, "job", |record| async move {
        match record.body.as_deref() {
            Some(body) => dispatch(platform, body).await,
            None => Err(anyhow::anyhow!("message has no body")),
        }
    })
    .await
}

/// Run the handler for one message body.
pub async fn dispatch(platform: &Platform, body: &str) -> anyhow::Result<()> {
    let envelope: EventEnvelope =
        serde_json::from_str(body).context("message is not an event envelope")?;
    match (envelope.source.as_str(), envelope.detail_type.as_str()) {
        (audit::SOURCE, audit::DETAIL_TYPE) => {
            let event: AuditEvent =
                serde_json::from_value(envelope.detail).context("malformed audit event")?;
            AuditLog::new(platform.ports.items.clone())
                .append(&envelope.id, &event)
                .await?;
            Ok(())
        }
        (webhooks::SOURCE, webhooks::DELIVERY) => {
            let job: webhooks::Job =
                serde_json::from_value(envelope.detail).context("malformed webhook job")?;
            platform.webhooks.attempt(&job).await?;
            Ok(())
        }
        (scan::SOURCE, scan::SCAN_REQUESTED) => {
            let job: scan::ScanJob =
                serde_json::from_value(envelope.detail).context("malformed scan job")?;
            scan::collect(&platform.brand, &job).await?;
            Ok(())
        }
        (research::SOURCE, jobs::JOB_REQUESTED) => {
            let step: jobs::Step =
                serde_json::from_value(envelope.detail).context("malformed research job step")?;
            jobs::run_plan(&platform.research, &step).await?;
            Ok(())
        }
        (research::SOURCE, jobs::SUBQUESTION) => {
            let step: jobs::Step =
                serde_json::from_value(envelope.detail).context("malformed research job step")?;
            jobs::run_subquestion(&platform.research, &step).await?;
            Ok(())
        }
        (plasma_agent::remote::STATUS_SOURCE, plasma_agent::remote::STATUS_DETAIL_TYPE) => {
            platform.agent.on_status_change(&envelope.detail).await?;
            Ok(())
        }
        (source, detail_type) => bail!("no handler for {source} / {detail_type}"),
    }
}
