//! The ingest queue's consumer: S3 notifications and ingest jobs, one SQS batch at a time, so
//! the batch's documents share one index write. Failures are reported per message.

use crate::Platform;
use crate::topology::MAX_RECEIVES;
use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use plasma_research::ingest::{Delivery, handle_batch as ingest};

pub async fn handle_batch(platform: &Platform, event: SqsEvent) -> SqsBatchResponse {
    let mut ids = Vec::new();
    let mut deliveries = Vec::new();
    for record in &event.records {
        let id = record.message_id.clone().unwrap_or_default();
        let Some(body) = record.body.as_deref() else {
            tracing::error!(message_id = %id, "ingest message has no body; dropping it");
            continue;
        };
        let receive_count = record
            .attributes
            .get("ApproximateReceiveCount")
            .and_then(|n| n.parse().ok())
            .unwrap_or(1);
        ids.push(id);
        deliveries.push(Delivery {
            body,
            receive_count,
        });
    }
    let results = ingest(&platform.research, &deliveries, MAX_RECEIVES).await;
    crate::batch::response(ids.into_iter().zip(results), "ingest")
}
