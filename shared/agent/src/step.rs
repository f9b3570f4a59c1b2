//! What the agent-step Lambda does for a deployed workflow's Task states: run a tool step
//! (its return value is the step's output; a failure's name is the Lambda error type that
//! retry and catch match on), or record an approval request with its task token so a
//! person's decision can resume the execution. Each writes the step's checkpoint, so the
//! history reads the same as on the embedded engine.

use crate::Agent;
use crate::events::Lifecycle;
use crate::model::{Checkpoint, Status, StepError, StepStatus};
use crate::remote::{execution_id, short_digest};
use plasma_core::Condition;
use plasma_tools::{ToolCall, ToolFailure};
use serde::Deserialize;
use serde_json::{Value, json};

/// The payload a compiled Task state sends (see `plasma_workflow::asl`).
#[derive(Debug, Clone, Deserialize)]
pub struct StepEvent {
    pub kind: StepKind,
    pub workflow: String,
    pub step: String,
    #[serde(default)]
    pub tool: Option<String>,
    /// The Step Functions execution ARN; its name is the platform's execution id.
    pub execution: String,
    #[serde(default)]
    pub input: Option<Value>,
    #[serde(default)]
    pub prompt: Option<String>,
    #[serde(default)]
    pub task_token: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    Tool,
    Approval,
}

fn failure(error: &str, cause: impl Into<String>) -> ToolFailure {
    ToolFailure::new(error, cause)
}

/// The checkpoint key of a deployed step run: the step id and a digest of its input, so a
/// map's iterations get their own entries while Lambda's own retries of the same payload
/// (and the tool's idempotency key) stay the same.
fn run_key(step: &str, input: &Value) -> String {
    format!("{step}#{}", short_digest(&input.to_string(), 6))
}

pub async fn handle(agent: &Agent, event: StepEvent) -> Result<Value, ToolFailure> {
    let id = execution_id(&event.execution).to_owned();
    let internal = |e: plasma_core::PortError| failure("Tool.Failed", e.to_string());
    let tenant = agent
        .store
        .locate(&id)
        .await
        .map_err(internal)?
        .ok_or_else(|| failure("States.Runtime", format!("no execution {id}")))?;
    let execution = agent
        .store
        .execution(&tenant, &id)
        .await
        .map_err(internal)?
        .ok_or_else(|| failure("States.Runtime", format!("no execution {id}")))?;
    if event.kind == StepKind::Tool
        && let Some(replayed) = agent
            .store
            .checkpoint(&tenant, &id, &event.step)
            .await
            .map_err(internal)?
            .filter(|c| c.status == StepStatus::Inherited)
    {
        // A fork that asks an approval again replays the steps after it up to its fork
        // point from their checkpoints rather than running them.
        return Ok(replayed.output.unwrap_or(Value::Null));
    }
    let input = event.input.clone().unwrap_or_else(|| json!({}));
    let key = run_key(&event.step, &input);
    let now = agent.clock.now();
    let existing = agent
        .store
        .checkpoint(&tenant, &id, &key)
        .await
        .map_err(internal)?;
    let mut checkpoint = existing.unwrap_or_else(|| Checkpoint {
        key: key.clone(),
        step: event.step.clone(),
        kind: match event.kind {
            StepKind::Tool => "tool".into(),
            StepKind::Approval => "approval".into(),
        },
        status: StepStatus::Running,
        tool: event.tool.clone(),
        input: Some(input.clone()),
        output: None,
        error: None,
        caught: false,
        attempt: 0,
        round: execution.round,
        earlier_errors: Vec::new(),
        started_at: now,
        finished_at: None,
        wake_at: None,
        prompt: event.prompt.clone(),
        task_token: None,
        duration_ms: None,
    });
    checkpoint.attempt += 1;
    if let Some(error) = checkpoint.error.take() {
        checkpoint.earlier_errors.push(error);
    }
    match event.kind {
        StepKind::Approval => {
            checkpoint.status = StepStatus::Waiting;
            checkpoint.task_token = event.task_token.clone();
            agent
                .store
                .put_checkpoint(&tenant, &id, &checkpoint, Condition::None)
                .await
                .map_err(internal)?;
            let mut execution = execution;
            if !execution.status.is_final() {
                execution.status = Status::WaitingApproval;
                execution.updated_at = now;
                // A lost race only means the status is refreshed from Step Functions later.
                let _ = agent.store.save_execution(&mut execution).await;
            }
            agent
                .announce(
                    &tenant,
                    Lifecycle::ApprovalRequested,
                    json!({"execution_id": id, "step": key, "prompt": event.prompt, "input": input}),
                )
                .await;
            Ok(json!({"waiting": key}))
        }
        StepKind::Tool => {
            let name = event.tool.clone().unwrap_or_default();
            checkpoint.status = StepStatus::Running;
            agent
                .store
                .put_checkpoint(&tenant, &id, &checkpoint, Condition::None)
                .await
                .map_err(internal)?;
            let result = match agent.tools.get(&name) {
                Some(tool) => {
                    tool.call(ToolCall {
                        tenant: tenant.clone(),
                        execution: id.clone(),
                        step: key.clone(),
                        attempt: checkpoint.attempt,
                        input,
                    })
                    .await
                }
                None => Err(failure(
                    "Tool.Unavailable",
                    format!("the tool {name} is not available on this platform"),
                )),
            };
            let finished = agent.clock.now();
            checkpoint.finished_at = Some(finished);
            checkpoint.duration_ms = Some((finished - checkpoint.started_at).num_milliseconds());
            match &result {
                Ok(output) => {
                    checkpoint.status = StepStatus::Succeeded;
                    checkpoint.output = Some(output.clone());
                }
                Err(e) => {
                    checkpoint.status = StepStatus::Failed;
                    checkpoint.error = Some(StepError::new(e.error.clone(), e.cause.clone()));
                }
            }
            agent
                .store
                .put_checkpoint(&tenant, &id, &checkpoint, Condition::None)
                .await
                .map_err(internal)?;
            result
        }
    }
}
