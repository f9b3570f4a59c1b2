//! The workflow definition as written in JSON or YAML: a named, versioned list of steps.

mod condition;
mod recovery;
mod step;

pub use condition::Condition;
pub(crate) use recovery::error_names;
pub use recovery::{ANY_ERROR, Catch, Retry};
pub use step::After;
pub use step::{
    Approval, Choice, ChoiceRule, Fail, Map, Parallel, Seconds, Step, StepKind, Succeed, Tool, Wait,
};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The reserved `next` target that ends the workflow (or the branch or map iteration the step
/// runs in). It can't be a step id.
pub const END: &str = "end";

/// An agent workflow. Steps run in list order unless `next`, `catch` or a choice says
/// otherwise; see the crate docs for the full format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Definition {
    pub name: String,
    /// Set by the store when it saves a definition; a definition may carry the version it
    /// was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The first step; the first in `steps` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// Limit on the whole run (the state machine's `TimeoutSeconds`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<u64>,
    pub steps: Vec<Step>,
}

impl Definition {
    /// The step the workflow starts at: `start`, or the first step.
    pub fn start_step(&self) -> Option<&str> {
        self.start
            .as_deref()
            .or_else(|| self.steps.first().map(|s| s.id.as_str()))
    }
}
