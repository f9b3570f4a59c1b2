//! The publish queue's consumer: fired schedules and retries, one SQS batch at a time, each
//! message reported on its own.

use crate::Platform;
use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use plasma_content::publish::{PUBLISH_DUE, PublishJob};
use plasma_core::EventEnvelope;

pub async fn handle_batch(platform: &Platform, event: SqsEvent) -> SqsBatchResponse {
    let outcomes = futures::future::join_all(event.records.iter().map(|record| async move {
        let id = record.message_id.clone().unwrap_or_default();
        (id, publish(platform, record.body.as_deref()).await)
    }))
    .await;
    let mut response = SqsBatchResponse::default();
    for (id, result) in outcomes {
        if let Err(e) = result {
            tracing::error!(message_id = %id, error = format!("{e:#}"), "publish job failed; it will be retried");
            let mut failure = BatchItemFailure::default();
            failure.item_identifier = id;
            response.batch_item_failures.push(failure);
        }
    }
    response
}

async fn publish(platform: &Platform, body: Option<&str>) -> anyhow::Result<()> {
    let body = body.ok_or_else(|| anyhow::anyhow!("message has no body"))?;
    let envelope: EventEnvelope = serde_json::from_str(body)?;
    anyhow::ensure!(
        envelope.source == plasma_content::SOURCE && envelope.detail_type == PUBLISH_DUE,
        "no publish handler for {} / {}",
        envelope.source,
        envelope.detail_type
    );
    let job: PublishJob = serde_json::from_value(envelope.detail)?;
    platform.content.run_publish(&job).await?;
    Ok(())
}
