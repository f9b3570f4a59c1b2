//! The worker function: one SQS batch from the jobs queue per invocation.

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use lambda_runtime::{Error, LambdaEvent};
use plasma_platform::Platform;

pub async fn handler(
    platform: &Platform,
    event: LambdaEvent<SqsEvent>,
) -> Result<SqsBatchResponse, Error> {
    Ok(plasma_platform::worker::handle_batch(platform, event.payload).await)
}
