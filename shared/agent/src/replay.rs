//! Replay: fork an execution at a top-level step with edited state. The fork inherits what
//! its parent did before that step, approvals included, but an approval is inherited only
//! while the edits leave alone everything it saw: the workflow input, the entry of every
//! step that ran before it, and its own decision. Otherwise the fork starts at that approval
//! and asks it again; the steps between it and the fork point replay their (edited) outputs
//! without running. A holder of `agent:approve` may carry approvals over regardless.

use crate::Agent;
use crate::model::{Checkpoint, Execution, Fork, Starter, Status, StepStatus};
use crate::service::{AgentError, FORK_KEY, INHERITED, ReplayBody, invalid};
use plasma_core::Condition;
use plasma_gateway::Permission;
use plasma_workflow::{Step, StepKind};
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

impl Agent {
    /// Fork `id` at `from_step`: a new execution, linked to its parent, that starts at that
    /// step with the parent's context from just before it, edited by `state`.
    pub async fn replay(
        &self,
        tenant: &str,
        who: &Starter,
        id: &str,
        body: ReplayBody,
    ) -> Result<Execution, AgentError> {
        if body.carry_approvals && !who.may(Permission::AgentApprove) {
            return Err(AgentError::Forbidden(Permission::AgentApprove));
        }
        let parent = self.execution(tenant, id).await?;
        let workflow = self
            .store
            .workflow_version(
                tenant,
                &parent.execution.workflow_id,
                parent.execution.workflow_version,
            )
            .await?
            .ok_or(AgentError::NotFound("the workflow"))?;
        let definition = &workflow.definition.steps;
        let from = body.from_step.as_str();
        if !definition.iter().any(|s| s.id == from) {
            return Err(invalid(
                "from_step",
                format!("{from:?} is not a top-level step of {}", workflow.name),
            ));
        }
        let state = match body.state {
            Value::Null => Map::new(),
            Value::Object(state) => state,
            _ => {
                return Err(invalid(
                    "state",
                    "must be an object with input and/or steps",
                ));
            }
        };
        let timeline = timeline(&parent.steps);
        let fork_point = timeline
            .iter()
            .filter(|c| c.key == from || c.key.starts_with(&format!("{from}#")))
            .find(|c| top_level(c, definition))
            .ok_or_else(|| {
                invalid(
                    "from_step",
                    format!("{from:?} has no checkpoint in this execution"),
                )
            })?
            .started_at;
        // The parent's top-level history before the fork point, oldest first: what it ran,
        // and what it had inherited itself (under the step's own key again), so a chain of
        // forks keeps every approval in view.
        let history: Vec<Checkpoint> = timeline
            .iter()
            .filter(|c| c.started_at < fork_point)
            .filter_map(|c| {
                let mut checkpoint = c.clone();
                checkpoint.key = c.key.trim_start_matches(INHERITED).to_owned();
                top_level(&checkpoint, definition).then_some(checkpoint)
            })
            .collect();
        // The context the parent had just before the fork point.
        let mut original = match parent.execution.seed.as_ref().and_then(|s| s.get("steps")) {
            Some(Value::Object(seeded)) => seeded.clone(),
            _ => Map::new(),
        };
        for c in &history {
            if matches!(
                step_kind(definition, &c.step),
                Some(StepKind::Wait(_) | StepKind::Choice(_))
            ) {
                continue;
            }
            match (c.status, &c.error) {
                (StepStatus::Succeeded | StepStatus::Inherited, _) => {
                    original.insert(c.step.clone(), json!({"output": c.output}));
                }
                (StepStatus::Failed, Some(error)) if c.caught => {
                    original.insert(
                        c.step.clone(),
                        json!({"error": {"Error": error.error, "Cause": error.cause}}),
                    );
                }
                _ => {}
            }
        }
        let mut steps = original.clone();
        if let Some(edits) = state.get("steps") {
            let Value::Object(edits) = edits else {
                return Err(invalid("state.steps", "must be an object of step ids"));
            };
            for (step, value) in edits {
                steps.insert(step.clone(), value.clone());
            }
        }
        let input = state
            .get("input")
            .cloned()
            .unwrap_or_else(|| parent.execution.input.clone());
        let ask_again = if body.carry_approvals {
            None
        } else {
            first_unseen_approval(
                definition,
                &history,
                input != parent.execution.input,
                &changed(&original, &steps),
            )?
        };
        // Asking an approval again: the fork starts there, with the context it saw (edited).
        let (start, asked_at) = match ask_again {
            Some(approval) => (approval.step.clone(), Some(approval.started_at)),
            None => (from.to_owned(), None),
        };
        if let Some(at) = asked_at {
            for c in history.iter().filter(|c| c.started_at >= at) {
                steps.remove(&c.step);
            }
        }
        let seed = json!({"input": input, "steps": steps});
        let now = self.clock.now();
        let mut child = Execution {
            remote_arn: None,
            id: format!("ex_{}", self.ids.new_id()),
            tenant: tenant.into(),
            workflow_id: workflow.id.clone(),
            workflow_name: workflow.name.clone(),
            workflow_version: workflow.version,
            status: Status::Running,
            input,
            output: None,
            error: None,
            parent: Some(Fork {
                execution: id.into(),
                step: from.into(),
            }),
            start_at: Some(start.clone()),
            seed: Some(seed.clone()),
            idempotency_key: None,
            round: 0,
            started_by: who.subject.clone(),
            permissions: who.permissions.clone(),
            retried_by: None,
            created_at: now,
            updated_at: now,
            revision: 0,
        };
        let edited = |step: &str| state.get("steps").and_then(|s| s.get(step));
        for c in &history {
            match asked_at {
                // Steps between the approval asked again and the fork point replay from
                // these checkpoints (under the keys the engine gives them) once it is
                // decided, with their edited outputs; choices decide again.
                Some(at) if c.started_at > at => {
                    if asks_a_person(definition, &c.step)
                        || matches!(step_kind(definition, &c.step), Some(StepKind::Choice(_)))
                    {
                        continue;
                    }
                    let mut replayed = c.clone();
                    if replayed.status == StepStatus::Succeeded {
                        replayed.status = StepStatus::Inherited;
                    }
                    if let Some(edit) = edited(&c.step) {
                        replayed.status = StepStatus::Inherited;
                        replayed.output = edit.get("output").cloned();
                    }
                    self.store
                        .put_checkpoint(tenant, &child.id, &replayed, Condition::None)
                        .await?;
                }
                Some(at) if c.started_at == at => {}
                // The history starts with what the parent did before the fork.
                _ => {
                    let mut inherited = c.clone();
                    inherited.key = format!("{INHERITED}{}", c.key);
                    inherited.status = StepStatus::Inherited;
                    if let Some(edit) = edited(&c.step) {
                        inherited.output = edit.get("output").cloned();
                    }
                    self.store
                        .put_checkpoint(tenant, &child.id, &inherited, Condition::None)
                        .await?;
                }
            }
        }
        let mut context = json!({"parent": id, "from_step": from, "context": seed});
        if asked_at.is_some() {
            context["asks_again"] = Value::String(start);
        }
        if body.carry_approvals {
            context["approvals_carried_by"] = Value::String(who.subject.clone());
        }
        let marker = Checkpoint {
            key: FORK_KEY.into(),
            step: from.into(),
            kind: "fork".into(),
            status: StepStatus::Succeeded,
            tool: None,
            input: Some(Value::Object(state)),
            output: Some(context),
            error: None,
            caught: false,
            attempt: 1,
            round: 0,
            earlier_errors: Vec::new(),
            started_at: now,
            finished_at: Some(now),
            wake_at: None,
            prompt: None,
            task_token: None,
            duration_ms: Some(0),
        };
        self.store
            .put_checkpoint(tenant, &child.id, &marker, Condition::None)
            .await?;
        self.launch(&mut child).await?;
        Ok(child)
    }
}

/// The parent's steps in the order they happened. When the parent itself asked an approval
/// again, the steps it replayed from checkpoints after that approval keep their first run's
/// times; they belong right after the approval (in their own order).
fn timeline(steps: &[Checkpoint]) -> Vec<Checkpoint> {
    let mut timeline = steps.to_vec();
    let asked = steps
        .iter()
        .find(|c| c.key == FORK_KEY)
        .and_then(|c| c.output.as_ref()?.get("asks_again")?.as_str());
    let replayed = |c: &Checkpoint| {
        c.status == StepStatus::Inherited && !c.key.starts_with(INHERITED) && c.key != FORK_KEY
    };
    let anchor = asked.and_then(|step| {
        steps
            .iter()
            .find(|c| c.step == step && !replayed(c) && !c.key.starts_with(INHERITED))
            .map(|c| c.started_at)
    });
    if let Some(at) = anchor {
        for (n, c) in timeline.iter_mut().filter(|c| replayed(c)).enumerate() {
            c.started_at = at + chrono::Duration::microseconds(n as i64 + 1);
        }
        timeline.sort_by(|a, b| a.started_at.cmp(&b.started_at).then(a.key.cmp(&b.key)));
    }
    timeline
}

/// A step of the top-level list (on Step Functions, keys don't show nesting).
fn top_level(c: &Checkpoint, definition: &[Step]) -> bool {
    !c.key.contains(['/', '[', '@'])
        && c.key != FORK_KEY
        && definition.iter().any(|s| s.id == c.step)
}

/// Step ids whose context entry the edits changed (added, replaced or removed).
fn changed(original: &Map<String, Value>, edited: &Map<String, Value>) -> BTreeSet<String> {
    original
        .keys()
        .chain(edited.keys())
        .filter(|step| original.get(*step) != edited.get(*step))
        .cloned()
        .collect()
}

/// The earliest approval in `history` that saw something the edits changed: the input, the
/// entry of a step that ran before it, or its own decision. An edit to the entry of an
/// approval that never ran before the fork point cannot be asked again: only an approver
/// may make it (with `carry_approvals`).
fn first_unseen_approval<'h>(
    definition: &[Step],
    history: &'h [Checkpoint],
    input_changed: bool,
    changed: &BTreeSet<String>,
) -> Result<Option<&'h Checkpoint>, AgentError> {
    let ran: BTreeSet<&str> = history.iter().map(|c| c.step.as_str()).collect();
    if changed
        .iter()
        .any(|step| asks_a_person(definition, step) && !ran.contains(step.as_str()))
    {
        return Err(AgentError::Forbidden(Permission::AgentApprove));
    }
    for (i, approval) in history.iter().enumerate() {
        if !asks_a_person(definition, &approval.step) {
            continue;
        }
        let saw_a_change = input_changed
            || history[..=i]
                .iter()
                .any(|seen| changed.contains(&seen.step));
        if saw_a_change {
            return Ok(Some(approval));
        }
    }
    Ok(None)
}

/// An approval step, or a parallel or map with one inside.
fn asks_a_person(definition: &[Step], id: &str) -> bool {
    fn within(steps: &[Step]) -> bool {
        steps.iter().any(|s| match &s.kind {
            StepKind::Approval(_) => true,
            StepKind::Parallel(p) => p.branches.iter().any(|b| within(b)),
            StepKind::Map(m) => within(&m.steps),
            _ => false,
        })
    }
    definition
        .iter()
        .find(|s| s.id == id)
        .is_some_and(|s| within(std::slice::from_ref(s)))
}

fn step_kind<'a>(steps: &'a [Step], id: &str) -> Option<&'a StepKind> {
    steps.iter().find(|s| s.id == id).map(|s| &s.kind)
}
