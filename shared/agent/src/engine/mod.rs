//! The embedded engine: runs a definition step by step, writing a checkpoint for every step
//! it starts and finishes. Driving an execution again (after a restart, an approval, a wait)
//! replays the definition from the start: a step with a finished checkpoint returns what it
//! returned the first time without running, so no completed step runs twice, and the run
//! continues from the first step without one. Control flow is deterministic given the
//! outputs, so the replay takes the same path.

mod driver;
mod recovery;
mod steps;

pub use driver::{Executor, drive};
pub use recovery::RUNTIME;

use crate::Agent;
use crate::model::{Status, StepError};
use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use plasma_workflow::{After, END, Step, StepKind};
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// Why a list of steps stopped before its end.
#[derive(Debug, Clone, PartialEq)]
pub enum Halt {
    Failed(StepError),
    /// Waiting for a person or the clock: drive again at `wake_at` (`None`: only when
    /// something happens, like a decision).
    Suspended {
        wake_at: Option<DateTime<Utc>>,
    },
    /// The execution was cancelled (or finished elsewhere) while this driver ran.
    Stopped,
}

impl Halt {
    /// Several branches halted: a failure wins (the first), else the run sleeps until the
    /// earliest wake-up any branch asked for.
    fn combine(halts: Vec<Halt>) -> Option<Halt> {
        let mut wake: Option<Option<DateTime<Utc>>> = None;
        for halt in &halts {
            match halt {
                Halt::Failed(_) | Halt::Stopped => return Some(halt.clone()),
                Halt::Suspended { wake_at } => {
                    wake = Some(match (wake.flatten(), wake_at) {
                        (Some(a), Some(b)) => Some(a.min(*b)),
                        (a, b) => a.or(*b),
                    });
                }
            }
        }
        wake.map(|wake_at| Halt::Suspended { wake_at })
    }
}

/// A list's own steps' outputs (`{<id>: {"output": ...}}`): a branch's or iteration's result.
type Own = Map<String, Value>;

pub(crate) struct Run<'a> {
    pub agent: &'a Agent,
    pub tenant: String,
    pub execution: String,
    pub round: u32,
    pub created_at: DateTime<Utc>,
    pub timeout_seconds: Option<u64>,
}

impl Run<'_> {
    /// Run `steps` from `start` with `ctx`; the final context and the list's own outputs.
    pub(crate) fn list<'s>(
        &'s self,
        prefix: String,
        steps: &'s [Step],
        start: Option<String>,
        mut ctx: Value,
    ) -> BoxFuture<'s, Result<(Value, Own), Halt>> {
        Box::pin(async move {
            let mut own = Own::new();
            let mut visits: HashMap<String, u32> = HashMap::new();
            let Some(mut current) = start.or_else(|| steps.first().map(|s| s.id.clone())) else {
                return Ok((ctx, own));
            };
            loop {
                self.check_still_running().await?;
                let Some(index) = steps.iter().position(|s| s.id == current) else {
                    return Err(Halt::Failed(StepError::new(
                        RUNTIME,
                        format!("no step {current:?} in this list"),
                    )));
                };
                let step = &steps[index];
                let visit = visits.entry(step.id.clone()).or_insert(0);
                *visit += 1;
                let key = match *visit {
                    1 => format!("{prefix}{}", step.id),
                    n => format!("{prefix}{}#{n}", step.id),
                };
                let outcome = match &step.kind {
                    StepKind::Tool(tool) => self.tool(&key, &step.id, tool, &ctx).await,
                    StepKind::Approval(approval) => {
                        self.approval(&key, &step.id, approval, &ctx).await
                    }
                    StepKind::Parallel(parallel) => {
                        self.parallel(&key, &step.id, parallel, &ctx).await
                    }
                    StepKind::Map(map) => self.map(&key, &step.id, map, &ctx).await,
                    StepKind::Wait(wait) => self
                        .wait(&key, &step.id, wait, &ctx)
                        .await
                        .map(|()| Value::Null),
                    StepKind::Choice(choice) => {
                        let target = self.choice(&key, &step.id, choice, &ctx).await?;
                        if target == END {
                            return Ok((ctx, own));
                        }
                        current = target;
                        continue;
                    }
                    StepKind::Succeed(_) => return Ok((ctx, own)),
                    StepKind::Fail(fail) => {
                        return Err(Halt::Failed(StepError::new(
                            fail.error.clone(),
                            fail.cause.clone().unwrap_or_default(),
                        )));
                    }
                };
                match outcome {
                    Ok(output) => {
                        if !matches!(step.kind, StepKind::Wait(_)) {
                            record(&mut ctx, &mut own, &step.id, "output", output);
                        }
                    }
                    Err(Halt::Failed(error)) => {
                        let Some(catch) = recovery::catch_for(step.kind.catch(), &error.error)
                        else {
                            return Err(Halt::Failed(error));
                        };
                        self.mark_caught(&key).await?;
                        let caught = json!({"Error": error.error, "Cause": error.cause});
                        record(&mut ctx, &mut own, &step.id, "error", caught);
                        if catch.next == END {
                            return Ok((ctx, own));
                        }
                        current = catch.next.clone();
                        continue;
                    }
                    Err(halt) => return Err(halt),
                }
                match step.kind.after() {
                    After::Next(next) if next == END => return Ok((ctx, own)),
                    After::Next(next) => current = next.to_owned(),
                    // Choices, succeed and fail moved on above and never get here.
                    After::Following | After::Decides | After::Stops => {
                        match steps.get(index + 1) {
                            Some(following) => current = following.id.clone(),
                            None => return Ok((ctx, own)),
                        }
                    }
                }
            }
        })
    }

    /// Stop driving when the execution was cancelled, or fail it when it ran out of time.
    async fn check_still_running(&self) -> Result<(), Halt> {
        let execution = self
            .agent
            .store
            .execution(&self.tenant, &self.execution)
            .await
            .map_err(port_halt)?;
        match execution {
            Some(e) if !e.status.is_final() => {}
            _ => return Err(Halt::Stopped),
        }
        if let Some(limit) = self.timeout_seconds {
            let elapsed = self.agent.clock.now() - self.created_at;
            if elapsed.num_seconds() >= limit as i64 {
                return Err(Halt::Failed(StepError::new(
                    StepError::TIMEOUT,
                    format!("the workflow ran longer than its timeout of {limit} s"),
                )));
            }
        }
        Ok(())
    }
}

/// A storage failure while driving: the driver gives up this pass and the executor tries
/// again later; nothing is lost because every finished step is already checkpointed.
pub(crate) fn port_halt(error: plasma_core::PortError) -> Halt {
    tracing::warn!(%error, "agent engine: storage failed; the execution will be driven again");
    Halt::Suspended {
        wake_at: Some(Utc::now() + chrono::Duration::seconds(2)),
    }
}

/// `$.steps.<id>.<field> = value` in the context and the list's own outputs. A caught error
/// sits beside an output an earlier loop round left, as on Step Functions.
fn record(ctx: &mut Value, own: &mut Own, id: &str, field: &str, value: Value) {
    if !ctx["steps"].is_object() {
        ctx["steps"] = json!({});
    }
    let entry = |slot: &mut Value| {
        if field == "output" || !slot.is_object() {
            *slot = json!({});
        }
        slot[field] = value.clone();
    };
    entry(&mut ctx["steps"][id]);
    let slot = own.entry(id.to_owned()).or_insert(Value::Null);
    entry(slot);
}

/// The status an execution shows while suspended.
pub(crate) fn suspended_status(waiting_approval: bool) -> Status {
    if waiting_approval {
        Status::WaitingApproval
    } else {
        Status::Running
    }
}
