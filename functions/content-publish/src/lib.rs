//! The content-publish function: one SQS batch from the publish queue per invocation. The
//! queue receives what EventBridge Scheduler delivers when a post is due, and retries.

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use lambda_runtime::{Error, LambdaEvent};
use plasma_platform::Platform;

pub async fn handler(
    platform: &Platform,
    event: LambdaEvent<SqsEvent>,
) -> Result<SqsBatchResponse, Error> {
    Ok(plasma_platform::publish::handle_batch(platform, event.payload).await)
}
