//! What the API asks of the agent capability: save workflows, start, inspect, decide,
//! cancel, retry and replay executions.

use crate::Agent;
use crate::events::Lifecycle;
use crate::model::{Checkpoint, Execution, Starter, Status, StepStatus, Workflow};
use crate::remote::{fork_machine_name, machine_name};
use crate::store::Active;
use plasma_core::{Condition, PortError};
use plasma_workflow::{
    ApprovalDecision, Decision, DefinitionError, Format, compile_asl, compile_asl_from,
    parse_value, read_text,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

#[derive(Debug, thiserror::Error)]
pub enum AgentError {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{field}: {detail}")]
    Invalid { field: &'static str, detail: String },
    #[error("the definition is not valid")]
    Definition(Vec<DefinitionError>),
    #[error("{0}")]
    Conflict(String),
    /// The caller lacks this permission for what the request asks (e.g. carrying approvals
    /// over into a replay).
    #[error("needs {0}")]
    Forbidden(plasma_gateway::Permission),
    #[error(transparent)]
    Port(#[from] PortError),
}

pub(crate) fn invalid(field: &'static str, detail: impl Into<String>) -> AgentError {
    AgentError::Invalid {
        field,
        detail: detail.into(),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkflowBody {
    pub name: String,
    /// The definition: a JSON object, or JSON or YAML text. Its `name`, when given, must be
    /// `name`.
    pub definition: Value,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartBody {
    #[serde(default)]
    pub input: Value,
    /// Starting again with a key used before returns the execution it started.
    #[serde(default)]
    pub idempotency_key: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovalBody {
    pub decision: Decision,
    #[serde(default)]
    pub value: Option<Value>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplayBody {
    /// A top-level step of the workflow that ran in the execution.
    pub from_step: String,
    /// Edits to the context the fork starts with: `input` replaces the workflow input,
    /// `steps.<id>.output` replaces what an earlier step returned.
    #[serde(default)]
    pub state: Value,
    /// Inherit the parent's approvals even where the edits change what they saw. Needs
    /// `agent:approve`; without it such an approval is asked again.
    #[serde(default)]
    pub carry_approvals: bool,
}

/// An execution with its step-by-step history.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExecutionView {
    #[serde(flatten)]
    pub execution: Execution,
    pub steps: Vec<Checkpoint>,
}

/// The key of the history entry that marks where a replayed execution forked; no step id
/// can have parentheses.
pub const FORK_KEY: &str = "(fork)";
pub(crate) const INHERITED: &str = "inherited/";

impl Agent {
    pub async fn save_workflow(
        &self,
        tenant: &str,
        who: &str,
        body: WorkflowBody,
    ) -> Result<Workflow, AgentError> {
        let name = body.name.trim().to_owned();
        if name.is_empty() || name.len() > 120 {
            return Err(invalid("name", "must be 1 to 120 characters"));
        }
        let mut value = match body.definition {
            Value::String(text) => {
                read_text(&text, Format::Detect).map_err(AgentError::Definition)?
            }
            value @ Value::Object(_) => value,
            _ => {
                return Err(invalid(
                    "definition",
                    "must be an object, or JSON or YAML text",
                ));
            }
        };
        match value.get("name") {
            None => value["name"] = Value::String(name.clone()),
            Some(Value::String(given)) if given == &name => {}
            Some(_) => return Err(invalid("definition.name", "must be the workflow's name")),
        }
        let mut definition = parse_value(value).map_err(AgentError::Definition)?;
        let (id, version) = match self.store.workflow_named(tenant, &name).await? {
            Some(id) => {
                let latest = self.store.workflow(tenant, &id).await?;
                (id, latest.map_or(1, |w| w.version + 1))
            }
            None => {
                let id = format!("wf_{}", self.ids.new_id());
                match self.store.claim_name(tenant, &name, &id).await {
                    Ok(()) => (id, 1),
                    Err(PortError::Conflict(_)) => {
                        return Err(AgentError::Conflict(format!(
                            "another save of {name:?} is in progress; try again"
                        )));
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        };
        definition.version = Some(version);
        let state_machine_arn = match &self.machines {
            Some(machines) => {
                let asl = compile_asl(&definition, &self.settings.step_function_arn);
                Some(machines.deploy(&machine_name(&id), &asl).await?)
            }
            None => None,
        };
        let workflow = Workflow {
            state_machine_arn,
            id,
            name,
            version,
            definition,
            created_at: self.clock.now(),
            created_by: who.into(),
        };
        match self.store.put_version(tenant, &workflow).await {
            Ok(()) => Ok(workflow),
            Err(PortError::Conflict(_)) => Err(AgentError::Conflict(
                "another version was saved at the same time; try again".into(),
            )),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn workflow(&self, tenant: &str, id: &str) -> Result<Workflow, AgentError> {
        self.store
            .workflow(tenant, id)
            .await?
            .ok_or(AgentError::NotFound("the workflow"))
    }

    /// Start the workflow's latest version. `false` with an execution started earlier by the
    /// same idempotency key.
    pub async fn start(
        &self,
        tenant: &str,
        who: &Starter,
        workflow_id: &str,
        body: StartBody,
    ) -> Result<(Execution, bool), AgentError> {
        let workflow = self.workflow(tenant, workflow_id).await?;
        let id = format!("ex_{}", self.ids.new_id());
        if let Some(key) = &body.idempotency_key {
            if key.is_empty() || key.len() > 200 {
                return Err(invalid("idempotency_key", "must be 1 to 200 characters"));
            }
            if let Some(existing) = self
                .store
                .claim_idempotency(tenant, workflow_id, key, &id)
                .await?
            {
                let execution = self
                    .store
                    .execution(tenant, &existing)
                    .await?
                    .ok_or(AgentError::NotFound("the execution"))?;
                return Ok((execution, false));
            }
        }
        let now = self.clock.now();
        let mut execution = Execution {
            remote_arn: None,
            id,
            tenant: tenant.into(),
            workflow_id: workflow.id.clone(),
            workflow_name: workflow.name.clone(),
            workflow_version: workflow.version,
            status: Status::Running,
            input: body.input,
            output: None,
            error: None,
            parent: None,
            start_at: None,
            seed: None,
            idempotency_key: body.idempotency_key,
            round: 0,
            started_by: who.subject.clone(),
            permissions: who.permissions.clone(),
            retried_by: None,
            created_at: now,
            updated_at: now,
            revision: 0,
        };
        self.launch(&mut execution).await?;
        Ok((execution, true))
    }

    pub(crate) async fn launch(&self, execution: &mut Execution) -> Result<(), AgentError> {
        self.store.create_execution(execution).await?;
        match &self.machines {
            None => {
                self.store
                    .activate(&Active::new(&execution.tenant, &execution.id, None))
                    .await?
            }
            Some(machines) => {
                let workflow = self
                    .store
                    .workflow_version(
                        &execution.tenant,
                        &execution.workflow_id,
                        execution.workflow_version,
                    )
                    .await?
                    .ok_or(AgentError::NotFound("the workflow"))?;
                let (machine, input) = match (&execution.start_at, &execution.seed) {
                    (Some(step), Some(seed)) => {
                        let asl = compile_asl_from(
                            &workflow.definition,
                            &self.settings.step_function_arn,
                            step,
                        );
                        let name = fork_machine_name(&workflow.id, step);
                        (machines.deploy(&name, &asl).await?, seed.clone())
                    }
                    _ => {
                        let machine = workflow.state_machine_arn.clone().ok_or_else(|| {
                            AgentError::Conflict(
                                "the workflow was saved before Step Functions was configured; save it again".into(),
                            )
                        })?;
                        (machine, execution.input.clone())
                    }
                };
                let arn = machines.start(&machine, &execution.id, &input).await?;
                execution.remote_arn = Some(arn);
                self.store.save_execution(execution).await?;
            }
        }
        self.announce(
            &execution.tenant,
            Lifecycle::Started,
            json!({
                "execution_id": execution.id,
                "workflow_id": execution.workflow_id,
                "workflow_name": execution.workflow_name,
                "parent": execution.parent,
            }),
        )
        .await;
        Ok(())
    }

    pub async fn execution(&self, tenant: &str, id: &str) -> Result<ExecutionView, AgentError> {
        let mut execution = self
            .store
            .execution(tenant, id)
            .await?
            .ok_or(AgentError::NotFound("the execution"))?;
        self.refresh(&mut execution).await?;
        let steps = self.store.checkpoints(tenant, id).await?;
        Ok(ExecutionView { execution, steps })
    }

    /// A person's answer to a waiting approval. `step` is the step id, or the checkpoint key
    /// when the step waits more than once (in a map).
    pub async fn decide(
        &self,
        tenant: &str,
        who: &str,
        id: &str,
        step: &str,
        body: ApprovalBody,
    ) -> Result<ExecutionView, AgentError> {
        let view = self.execution(tenant, id).await?;
        if view.execution.status.is_final() {
            return Err(AgentError::Conflict(format!(
                "the execution has ended ({})",
                view.execution.status.as_str()
            )));
        }
        let waiting: Vec<&Checkpoint> = view
            .steps
            .iter()
            .filter(|c| c.status == StepStatus::Waiting && (c.key == step || c.step == step))
            .collect();
        let mut checkpoint = match waiting.as_slice() {
            [one] => (*one).clone(),
            [] => {
                return Err(AgentError::Conflict(format!(
                    "no approval is waiting at step {step:?}"
                )));
            }
            many => {
                let keys: Vec<&str> = many.iter().map(|c| c.key.as_str()).collect();
                return Err(AgentError::Conflict(format!(
                    "several approvals wait at {step:?}; name one of {keys:?}"
                )));
            }
        };
        if body.decision == Decision::Answered && body.value.is_none() {
            return Err(invalid("value", "an answer needs a value"));
        }
        let decision = ApprovalDecision {
            decision: body.decision,
            value: body.value,
            by: Some(who.into()),
        };
        if let Some(token) = &checkpoint.task_token {
            // Deployed: Step Functions resumes the run; a token already used (a decision
            // that won a race) is refused there.
            self.remote()?
                .send_success(token, &json!(decision))
                .await
                .map_err(|e| match e {
                    PortError::Invalid(_) | PortError::Conflict(_) => AgentError::Conflict(
                        "the approval was decided, withdrawn or timed out meanwhile".into(),
                    ),
                    other => other.into(),
                })?;
        }
        let now = self.clock.now();
        checkpoint.status = StepStatus::Succeeded;
        checkpoint.output = Some(json!(decision));
        checkpoint.finished_at = Some(now);
        checkpoint.duration_ms = Some((now - checkpoint.started_at).num_milliseconds());
        match self
            .store
            .put_checkpoint(
                tenant,
                id,
                &checkpoint,
                Condition::Equals("status".into(), json!("waiting")),
            )
            .await
        {
            Ok(()) => {}
            Err(PortError::Conflict(_)) => {
                return Err(AgentError::Conflict(
                    "the approval was decided or timed out meanwhile".into(),
                ));
            }
            Err(e) => return Err(e.into()),
        }
        self.set_status(tenant, id, |e| {
            (e.status == Status::WaitingApproval).then(|| e.status = Status::Running)
        })
        .await?;
        if self.machines.is_none() {
            self.store.poke(tenant, id).await?;
        }
        self.execution(tenant, id).await
    }

    /// Change an execution with a compare-and-set retry loop; `change` returns `None` to
    /// leave it as it is.
    async fn set_status(
        &self,
        tenant: &str,
        id: &str,
        change: impl Fn(&mut Execution) -> Option<()>,
    ) -> Result<Option<Execution>, AgentError> {
        loop {
            let mut execution = self
                .store
                .execution(tenant, id)
                .await?
                .ok_or(AgentError::NotFound("the execution"))?;
            if change(&mut execution).is_none() {
                return Ok(None);
            }
            execution.updated_at = self.clock.now();
            match self.store.save_execution(&mut execution).await {
                Ok(()) => return Ok(Some(execution)),
                Err(PortError::Conflict(_)) => continue,
                Err(e) => return Err(e.into()),
            }
        }
    }

    pub async fn cancel(&self, tenant: &str, id: &str) -> Result<ExecutionView, AgentError> {
        let current = self.execution(tenant, id).await?.execution;
        if let (Some(arn), false) = (&current.remote_arn, current.status.is_final()) {
            self.remote()?
                .stop(arn, "cancelled through the API")
                .await?;
        }
        let cancelled = self
            .set_status(tenant, id, |e| {
                (!e.status.is_final()).then(|| e.status = Status::Cancelled)
            })
            .await?;
        let Some(execution) = cancelled else {
            return Err(AgentError::Conflict(
                "the execution has already ended".into(),
            ));
        };
        self.store.deactivate(tenant, id).await?;
        self.announce(
            tenant,
            Lifecycle::Cancelled,
            json!({"execution_id": id, "workflow_id": execution.workflow_id}),
        )
        .await;
        self.execution(tenant, id).await
    }

    /// Run a failed execution again from the step that failed: everything that finished
    /// replays from its checkpoint. The resumed part acts for `who` with only the permissions
    /// both `who` and the execution's starter hold, so retrying borrows nobody's rights.
    pub async fn retry(
        &self,
        tenant: &str,
        who: &Starter,
        id: &str,
    ) -> Result<ExecutionView, AgentError> {
        let retried = self
            .set_status(tenant, id, |e| {
                (e.status == Status::Failed).then(|| {
                    e.status = Status::Running;
                    e.error = None;
                    e.round += 1;
                    e.permissions.retain(|p| who.permissions.contains(p));
                    e.retried_by = Some(who.subject.clone());
                })
            })
            .await?;
        if retried.is_none() {
            return Err(AgentError::Conflict(
                "only a failed execution can be retried".into(),
            ));
        }
        self.store.poke(tenant, id).await?;
        self.execution(tenant, id).await
    }

    /// Approvals waiting for a person, across the tenant's recent executions.
    pub async fn pending_approvals(
        &self,
        tenant: &str,
    ) -> Result<Vec<PendingApproval>, AgentError> {
        let mut pending = Vec::new();
        for execution in self.store.executions(tenant, 200).await? {
            if execution.status != Status::WaitingApproval {
                continue;
            }
            for checkpoint in self.store.checkpoints(tenant, &execution.id).await? {
                if checkpoint.status == StepStatus::Waiting {
                    pending.push(PendingApproval {
                        execution_id: execution.id.clone(),
                        workflow_name: execution.workflow_name.clone(),
                        step: checkpoint.step.clone(),
                        key: checkpoint.key.clone(),
                        prompt: checkpoint.prompt.clone().unwrap_or_default(),
                        input: checkpoint.input.clone(),
                        requested_at: checkpoint.started_at,
                        deadline: checkpoint.wake_at,
                    });
                }
            }
        }
        Ok(pending)
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PendingApproval {
    pub execution_id: String,
    pub workflow_name: String,
    pub step: String,
    pub key: String,
    pub prompt: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<Value>,
    pub requested_at: chrono::DateTime<chrono::Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<chrono::DateTime<chrono::Utc>>,
}
