//! The research-ingest function: one SQS batch from the ingest queue per invocation. The
//! queue receives S3 `ObjectCreated` notifications for `incoming/` and the API's ingest jobs.

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use lambda_runtime::{Error, LambdaEvent};
use plasma_platform::Platform;

pub async fn handler(
    platform: &Platform,
    event: LambdaEvent<SqsEvent>,
) -> Result<SqsBatchResponse, Error> {
    Ok(plasma_platform::ingest::handle_batch(platform, event.payload).await)
}
