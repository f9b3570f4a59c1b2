//! Maps aws-sdk errors onto [`PortError`] by their AWS error code, so that domain code sees a
//! lost race, a bad request or a missing resource the same way it does on the embedded
//! adapters. Operation-specific outcomes (an absent object, a cancelled transaction) are
//! handled where the operation is called, before falling back to this mapping.

use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use plasma_core::PortError;
use std::error::Error;
use std::fmt::Debug;

/// Codes meaning a condition on the current state did not hold (for Step Functions: the task
/// a token named has ended).
const CONFLICT: [&str; 3] = [
    "ConditionalCheckFailedException",
    "TaskTimedOut",
    "TaskDoesNotExist",
];

/// Codes meaning the request itself was at fault and retrying it cannot help.
const INVALID: [&str; 10] = [
    "InvalidToken",
    "ValidationException",
    "InvalidParameterValue",
    "InvalidParameterValueException",
    "InvalidAttributeValue",
    "InvalidArgument",
    "KeyTooLongError",
    "ReceiptHandleIsInvalid",
    "MessageNotInflight",
    "InvalidBatchEntryId",
];

/// Codes meaning the table, bucket, queue, bus or schedule group does not exist.
const NOT_CONFIGURED: [&str; 4] = [
    "ResourceNotFoundException",
    "NoSuchBucket",
    "QueueDoesNotExist",
    "AWS.SimpleQueueService.NonExistentQueue",
];

/// Map an SDK error from `operation` (e.g. "dynamodb PutItem") onto a [`PortError`].
///
/// The top-level display of an SDK error is often just "service error", so messages carry the
/// source chain. Unexpected failures (`Backend`) also carry [`DisplayErrorContext`]'s debug
/// dump, raw response included, for diagnosis; expected outcomes (a lost race, a bad request)
/// stay one readable line.
pub(crate) fn sdk_error<E, R>(operation: &str, err: SdkError<E, R>) -> PortError
where
    E: ProvideErrorMetadata + Error + 'static,
    R: Debug,
{
    let brief = || format!("{operation}: {}", chain(&err));
    match err.code() {
        Some(code) if CONFLICT.contains(&code) => PortError::Conflict(brief()),
        Some(code) if INVALID.contains(&code) => PortError::Invalid(brief()),
        Some(code) if NOT_CONFIGURED.contains(&code) => PortError::NotConfigured(brief()),
        _ => PortError::Backend(format!("{operation}: {}", DisplayErrorContext(&err))),
    }
}

/// A request the adapter built could not be assembled (a required field was missing).
pub(crate) fn build_error(operation: &str, err: aws_sdk_dynamodb::error::BuildError) -> PortError {
    PortError::Backend(format!("{operation}: {err}"))
}

/// `err: its source: its source's source ...`
fn chain(err: &dyn Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}
