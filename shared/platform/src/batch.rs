//! SQS partial batch responses, the same for every queue consumer: a failed message is
//! reported on its own, so only it is retried, and after
//! [`crate::topology::MAX_RECEIVES`] attempts it is dead-lettered rather than lost.

use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent, SqsMessage};
use std::future::Future;

/// Every message of `event` through `handle`, concurrently. `what` names the work in logs.
pub async fn each<'a, F, Fut>(event: &'a SqsEvent, what: &str, handle: F) -> SqsBatchResponse
where
    F: Fn(&'a SqsMessage) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    let outcomes = futures::future::join_all(event.records.iter().map(|record| {
        let id = record.message_id.clone().unwrap_or_default();
        let work = handle(record);
        async move { (id, work.await) }
    }))
    .await;
    response(outcomes, what)
}

/// The response for results by message id: the failed ones, logged.
pub fn response(
    outcomes: impl IntoIterator<Item = (String, anyhow::Result<()>)>,
    what: &str,
) -> SqsBatchResponse {
    let mut response = SqsBatchResponse::default();
    for (id, result) in outcomes {
        if let Err(e) = result {
            tracing::error!(message_id = %id, error = format!("{e:#}"), "{what} failed; it will be retried");
            let mut failure = BatchItemFailure::default();
            failure.item_identifier = id;
            response.batch_item_failures.push(failure);
        }
    }
    response
}
