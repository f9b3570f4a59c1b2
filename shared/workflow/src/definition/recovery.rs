//! What a step does when it fails: retry it, then hand over to a fallback step.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The error name that matches every error (Step Functions' wildcard).
pub const ANY_ERROR: &str = "States.ALL";

/// Retries a failed step. The wait before retry `n` (1-based) is
/// `backoff_seconds * multiplier^(n-1)`, capped at `max_backoff_seconds`; with `jitter` it is
/// a random time between zero and that.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Retry {
    /// Retries after the first failure, 1 to 10.
    pub attempts: u32,
    /// Wait before the first retry; 1 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backoff_seconds: Option<u32>,
    /// Growth of the wait per retry, at least 1; 2 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiplier: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_backoff_seconds: Option<u32>,
    #[serde(default)]
    pub jitter: bool,
    /// Error names to retry on; every error (`States.ALL`) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<Vec<String>>,
}

/// After retries run out, goes to `next` with the error at `$.steps.<id>.error`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Catch {
    /// Error names to catch; every error (`States.ALL`) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<Vec<String>>,
    pub next: String,
}

impl Retry {
    pub const MAX_ATTEMPTS: u32 = 10;
    pub const DEFAULT_BACKOFF_SECONDS: u32 = 1;
    pub const DEFAULT_MULTIPLIER: f64 = 2.0;
}

/// The error names a retry or catch applies to, with the default filled in.
pub(crate) fn error_names(on: Option<&Vec<String>>) -> Vec<String> {
    on.cloned().unwrap_or_else(|| vec![ANY_ERROR.to_owned()])
}
