//! The publish queue's consumer: fired schedules and retries, one SQS batch at a time, each
//! message reported on its own.

use crate::Platform;
use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use plasma_content::publish::{PUBLISH_DUE, PublishJob};
use plasma_core::EventEnvelope;

pub async fn handle_batch(platform: &Platform, event: SqsEvent) -> SqsBatchResponse {
    crate::batch::each(&event, "publish job", |record| {
        publish(platform, record.body.as_deref())
    })
    .await
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
