//! Executions on Step Functions: the state machine per workflow, and reading an execution's
//! status back into the platform's record. Steps themselves are recorded by the agent-step
//! function ([`crate::step`]) as they run.

use crate::Agent;
use crate::events::Lifecycle;
use crate::model::{Execution, Status, StepError, StepStatus};
use plasma_core::{PortError, PortResult, Rule, StateMachines};
use serde_json::json;
use sha2::{Digest, Sha256};

/// What Step Functions puts on the account's default bus when an execution changes status.
pub const STATUS_SOURCE: &str = "aws.states";
pub const STATUS_DETAIL_TYPE: &str = "Step Functions Execution Status Change";

/// Status changes go to `queue`, where the worker brings the execution's record up to date
/// and announces the change (template.yaml declares the same rule on the default bus).
pub fn rule(queue: &str) -> Rule {
    Rule {
        name: "agent-status".into(),
        sources: vec![STATUS_SOURCE.into()],
        detail_types: vec![STATUS_DETAIL_TYPE.into()],
        target_queue: queue.into(),
    }
}

/// The state machine a workflow runs on: its id is unique across tenants, and Step Functions
/// names are at most 80 characters.
pub fn machine_name(workflow_id: &str) -> String {
    format!("plasma-{workflow_id}")
}

/// The state machine that resumes a workflow at `step` (for replays).
pub fn fork_machine_name(workflow_id: &str, step: &str) -> String {
    format!("plasma-{workflow_id}-from-{}", short_digest(step, 4))
}

/// The first `bytes` of the text's SHA-256, in hex: a name part that stays the same for the
/// same text and fits the length limits of Step Functions names and item keys.
pub(crate) fn short_digest(text: &str, bytes: usize) -> String {
    hex::encode(&Sha256::digest(text.as_bytes())[..bytes])
}

/// The platform's execution id in a Step Functions execution ARN (its name, the last part).
pub fn execution_id(arn: &str) -> &str {
    arn.rsplit(':').next().unwrap_or(arn)
}

impl Agent {
    /// A Step Functions status change (the event's detail): the execution's record follows
    /// it, and its lifecycle event goes out. Executions of other state machines in the
    /// account are no concern of ours.
    pub async fn on_status_change(&self, detail: &serde_json::Value) -> PortResult<()> {
        let Some(arn) = detail["executionArn"].as_str() else {
            return Err(PortError::Invalid(
                "a status change without executionArn".into(),
            ));
        };
        let id = execution_id(arn);
        let Some(tenant) = self.store.locate(id).await? else {
            return Ok(());
        };
        let Some(mut execution) = self.store.execution(&tenant, id).await? else {
            return Ok(());
        };
        if execution.remote_arn.as_deref() != Some(arn) {
            return Ok(());
        }
        self.refresh(&mut execution).await
    }

    /// Approvals still waiting when a run ended on Step Functions (withdrawn with
    /// `SendTaskFailure`, timed out, stopped) are closed, so nobody is asked to decide them.
    async fn close_waiting(&self, execution: &Execution) -> PortResult<()> {
        let now = self.clock.now();
        for mut checkpoint in self
            .store
            .checkpoints(&execution.tenant, &execution.id)
            .await?
        {
            if checkpoint.status != StepStatus::Waiting {
                continue;
            }
            checkpoint.status = StepStatus::Failed;
            checkpoint.error = Some(StepError::new(
                "Approval.Closed",
                format!(
                    "the execution ended ({}) before a decision",
                    execution.status.as_str()
                ),
            ));
            checkpoint.finished_at = Some(now);
            checkpoint.task_token = None;
            self.store
                .put_checkpoint(
                    &execution.tenant,
                    &execution.id,
                    &checkpoint,
                    plasma_core::Condition::Equals("status".into(), json!("waiting")),
                )
                .await
                .or_else(|e| match e {
                    PortError::Conflict(_) => Ok(()),
                    other => Err(other),
                })?;
        }
        Ok(())
    }

    pub(crate) fn remote(&self) -> PortResult<&dyn StateMachines> {
        self.machines
            .as_deref()
            .ok_or_else(|| PortError::NotConfigured("Step Functions".into()))
    }

    /// Bring a running execution's record up to date with Step Functions.
    pub(crate) async fn refresh(&self, execution: &mut Execution) -> PortResult<()> {
        let (Some(machines), Some(arn)) = (&self.machines, execution.remote_arn.clone()) else {
            return Ok(());
        };
        if execution.status.is_final() {
            return Ok(());
        }
        let remote = machines.describe(&arn).await?;
        let (status, announce) = match remote.status.as_str() {
            "SUCCEEDED" => (Status::Succeeded, Some(Lifecycle::Succeeded)),
            "FAILED" | "TIMED_OUT" => (Status::Failed, Some(Lifecycle::Failed)),
            "ABORTED" => (Status::Cancelled, Some(Lifecycle::Cancelled)),
            _ => {
                let waiting = self
                    .store
                    .checkpoints(&execution.tenant, &execution.id)
                    .await?
                    .iter()
                    .any(|c| c.status == StepStatus::Waiting);
                (crate::engine::suspended_status(waiting), None)
            }
        };
        if status == execution.status {
            return Ok(());
        }
        execution.status = status;
        execution.output = remote.output;
        execution.error = match remote.status.as_str() {
            "FAILED" => Some(StepError::new(
                remote.error.unwrap_or_default(),
                remote.cause.unwrap_or_default(),
            )),
            "TIMED_OUT" => Some(StepError::new(
                StepError::TIMEOUT,
                "the state machine timed out",
            )),
            _ => None,
        };
        execution.updated_at = self.clock.now();
        match self.store.save_execution(execution).await {
            Ok(()) => {}
            // Someone else refreshed it first; theirs is as good.
            Err(PortError::Conflict(_)) => return Ok(()),
            Err(e) => return Err(e),
        }
        if execution.status.is_final() {
            self.close_waiting(execution).await?;
        }
        if let Some(what) = announce {
            self.announce_end(execution, what).await;
        }
        Ok(())
    }
}
