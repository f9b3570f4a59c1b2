//! What the agent capability stores: workflows (one record per version), executions, and
//! the checkpoint of every step an execution ran.

use chrono::{DateTime, Utc};
use plasma_workflow::Definition;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// One saved version of a workflow. Saving a definition under a name that exists makes the
/// next version of that workflow; executions pin the version they started with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Workflow {
    pub id: String,
    pub name: String,
    pub version: u32,
    pub definition: Definition,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    /// Deployed: the Step Functions state machine this workflow runs on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_machine_arn: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
// Named apart from the other `Status`s: the OpenAPI document keys schemas by name.
#[schema(as = ExecutionStatus)]
pub enum Status {
    Running,
    /// Paused until a person decides on an approval step.
    WaitingApproval,
    Succeeded,
    Failed,
    Cancelled,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Running => "running",
            Status::WaitingApproval => "waiting_approval",
            Status::Succeeded => "succeeded",
            Status::Failed => "failed",
            Status::Cancelled => "cancelled",
        }
    }

    pub fn is_final(self) -> bool {
        matches!(self, Status::Succeeded | Status::Failed | Status::Cancelled)
    }
}

/// An error as Step Functions names it: `error` is what retry and catch match on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StepError {
    pub error: String,
    pub cause: String,
}

impl StepError {
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        Self {
            error: error.into(),
            cause: cause.into(),
        }
    }

    pub const TIMEOUT: &'static str = "States.Timeout";
}

/// Where a replayed execution came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Fork {
    pub execution: String,
    pub step: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Execution {
    pub id: String,
    pub tenant: String,
    pub workflow_id: String,
    pub workflow_name: String,
    pub workflow_version: u32,
    pub status: Status,
    pub input: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<StepError>,
    /// The execution this one was forked from, and at which step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Fork>,
    /// A fork starts here, with `seed` as its context, instead of at the workflow's start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
    /// Bumped by "retry from the failed step": a step that failed without being caught in an
    /// earlier round runs again; everything else replays from its checkpoint.
    #[serde(default)]
    pub round: u32,
    pub started_by: String,
    /// The starter's permissions (`research:read`, ...): tools run with these, so a workflow
    /// can do no more than the person who started it. A retry narrows them to what the
    /// person retrying also holds.
    #[serde(default)]
    pub permissions: Vec<String>,
    /// Who retried the execution last: tools of the resumed part act as this subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retried_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// For optimistic concurrency on status changes.
    #[serde(default)]
    pub revision: u64,
    /// Deployed: the Step Functions execution running it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_arn: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    Running,
    /// An approval nobody has decided yet.
    Waiting,
    Succeeded,
    Failed,
    /// Copied from the parent of a replayed execution.
    Inherited,
}

/// The record of one step run: written when it starts, rewritten when it ends. `key` names
/// the run uniquely within the execution: the step id, prefixed by the parallel branch or
/// map item it ran in (`research/0/search`, `drafts[2]/draft`) and suffixed by the visit
/// number when a loop passes it again (`poll#2`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Checkpoint {
    pub key: String,
    pub step: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub status: StepStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<StepError>,
    /// The failure was handed to the step's `catch`: the run went on.
    #[serde(default)]
    pub caught: bool,
    /// Attempts made so far (retries count).
    pub attempt: u32,
    /// The execution round that wrote this record.
    #[serde(default)]
    pub round: u32,
    /// Errors of earlier attempts and rounds, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub earlier_errors: Vec<StepError>,
    pub started_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<DateTime<Utc>>,
    /// A wait's end, or an approval's deadline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wake_at: Option<DateTime<Utc>>,
    /// An approval's question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// Step Functions' task token for an approval on AWS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<i64>,
}

/// Who starts an execution, as the gateway established it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Starter {
    pub subject: String,
    pub permissions: Vec<String>,
}

impl Starter {
    pub fn may(&self, permission: plasma_gateway::Permission) -> bool {
        self.permissions.iter().any(|p| p == permission.as_str())
    }
}

impl From<&plasma_gateway::Principal> for Starter {
    fn from(principal: &plasma_gateway::Principal) -> Self {
        Self {
            subject: principal.subject.clone(),
            permissions: principal.permission_names(),
        }
    }
}
