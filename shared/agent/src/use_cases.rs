//! The workflow use cases other surfaces share with REST: list, run and inspect (served as
//! the MCP tools `workflows.*`; a workflow step cannot start or inspect workflows).

use crate::model::{Execution, Starter, Workflow};
use crate::{Agent, AgentError, ExecutionView, StartBody};
use plasma_gateway::Permission;
use plasma_gateway::use_case::UseCase;
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

/// The tenant's saved workflows and recent executions.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListWorkflows {}

/// How many recent executions a listing shows.
const RECENT_EXECUTIONS: u32 = 20;

impl UseCase for ListWorkflows {
    const NAME: &'static str = "workflows.list";
    const TITLE: &'static str = "List agent workflows";
    const DESCRIPTION: &'static str =
        "The tenant's saved workflows (latest versions) and recent executions.";
    const PERMISSION: Permission = Permission::AgentRun;
    const ERRORS: &'static [&'static str] = &["invalid_request", "invalid_field"];
}

impl ListWorkflows {
    pub async fn run(
        self,
        agent: &Agent,
        tenant: &str,
    ) -> Result<(Vec<Workflow>, Vec<Execution>), AgentError> {
        let workflows = agent.store.workflows(tenant).await?;
        let executions = agent.store.executions(tenant, RECENT_EXECUTIONS).await?;
        Ok((workflows, executions))
    }
}

/// Start the latest version of a saved workflow (`POST /agent/workflows/{id}/executions`
/// on REST, where `workflow` is the path's `{id}`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RunWorkflow {
    /// The workflow's id or name.
    pub workflow: String,
    /// The execution's input, `$.input` to its steps.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub input: Value,
    /// Starting again with a key used before returns the execution it started (1 to 200
    /// bytes).
    #[serde(default)]
    pub idempotency_key: Option<String>,
}

impl UseCase for RunWorkflow {
    const NAME: &'static str = "workflows.run";
    const TITLE: &'static str = "Run an agent workflow";
    const DESCRIPTION: &'static str = "Starts the latest version of a saved workflow (by id or name) with an input; returns the execution id.";
    const PERMISSION: Permission = Permission::AgentRun;
    const ERRORS: &'static [&'static str] = &["invalid_request", "invalid_field", "not_found"];
}

impl RunWorkflow {
    /// The execution, and whether this call created it (rather than an earlier call with the
    /// same idempotency key).
    pub async fn run(
        self,
        agent: &Agent,
        tenant: &str,
        starter: &Starter,
    ) -> Result<(Execution, bool), AgentError> {
        let id = match agent.store.workflow_named(tenant, &self.workflow).await? {
            Some(id) => id,
            None => self.workflow,
        };
        let body = StartBody {
            input: self.input,
            idempotency_key: self.idempotency_key,
        };
        agent.start(tenant, starter, &id, body).await
    }
}

/// An execution's status, output or error, and its step history.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InspectExecution {
    /// The execution's id.
    pub execution_id: String,
}

impl UseCase for InspectExecution {
    const NAME: &'static str = "workflows.inspect";
    const TITLE: &'static str = "Inspect an agent execution";
    const DESCRIPTION: &'static str =
        "An execution's status, output or error, and its step-by-step history.";
    const PERMISSION: Permission = Permission::AgentRun;
    const ERRORS: &'static [&'static str] = &["invalid_request", "invalid_field", "not_found"];
}

impl InspectExecution {
    pub async fn run(self, agent: &Agent, tenant: &str) -> Result<ExecutionView, AgentError> {
        agent.execution(tenant, &self.execution_id).await
    }
}
