use thiserror::Error;

/// The error every port returns. Adapters map their backend's errors onto these variants so
/// that domain code can react to a lost race or a missing object the same way on both runtimes.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum PortError {
    /// A conditional write lost: the item's state did not match the condition.
    #[error("conditional write failed: {0}")]
    Conflict(String),
    /// A transaction was cancelled; nothing was written. `failed` holds the indexes of the
    /// operations whose conditions did not hold.
    #[error("transaction cancelled: conditions failed at {failed:?}")]
    TransactionCanceled { failed: Vec<usize> },
    /// The caller asked for something the port cannot do (too many items, bad cursor, ...).
    #[error("invalid request: {0}")]
    Invalid(String),
    /// The named resource (queue, bucket, table) does not exist or is not configured.
    #[error("not configured: {0}")]
    NotConfigured(String),
    /// The backend failed; retrying later may succeed.
    #[error("backend error: {0}")]
    Backend(String),
}

pub type PortResult<T> = Result<T, PortError>;

impl PortError {
    pub fn backend(e: impl std::fmt::Display) -> Self {
        PortError::Backend(e.to_string())
    }
}
