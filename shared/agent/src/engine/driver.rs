//! Driving executions: one pass over an execution ([`drive`]), and the [`Executor`] loop the
//! local runner runs, which finds executions that are due and holds each by a lease it
//! renews while driving. After a crash the lease runs out and the restarted runner (or
//! another one sharing the data) takes over from the last checkpoints.

use super::{Halt, Run, suspended_status};
use crate::Agent;
use crate::events::Lifecycle;
use crate::model::{Status, StepStatus};
use crate::store::Active;
use plasma_core::{PortError, PortResult};
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::{Mutex, watch};
use tokio::task::JoinHandle;

/// Run an execution as far as it goes now: to its end, or until it waits for a person or
/// the clock. Safe to call again at any time: finished steps replay from their checkpoints.
pub async fn drive(agent: &Agent, tenant: &str, id: &str, seen_poke: i64) -> PortResult<()> {
    let Some(execution) = agent.store.execution(tenant, id).await? else {
        return agent.store.deactivate(tenant, id).await;
    };
    if execution.status.is_final() {
        return agent.store.deactivate(tenant, id).await;
    }
    let workflow = agent
        .store
        .workflow_version(tenant, &execution.workflow_id, execution.workflow_version)
        .await?
        .ok_or_else(|| {
            PortError::Invalid(format!(
                "the workflow {} of execution {id} is gone",
                execution.workflow_id
            ))
        })?;
    let definition = &workflow.definition;
    let run = Run {
        agent,
        tenant: tenant.into(),
        execution: id.into(),
        round: execution.round,
        created_at: execution.created_at,
        timeout_seconds: definition.timeout_seconds,
    };
    let ctx = execution
        .seed
        .clone()
        .unwrap_or_else(|| json!({"input": execution.input, "steps": {}}));
    let start = execution
        .start_at
        .clone()
        .or_else(|| definition.start_step().map(str::to_owned));
    let result = run.list(String::new(), &definition.steps, start, ctx).await;
    settle(agent, tenant, id, seen_poke, result.map(|(ctx, _)| ctx)).await
}

async fn settle(
    agent: &Agent,
    tenant: &str,
    id: &str,
    seen_poke: i64,
    result: Result<serde_json::Value, Halt>,
) -> PortResult<()> {
    let waiting = match &result {
        Err(Halt::Suspended { .. }) => agent
            .store
            .checkpoints(tenant, id)
            .await?
            .iter()
            .any(|c| c.status == StepStatus::Waiting),
        _ => false,
    };
    // Compare-and-set against API calls (cancel) that change the execution meanwhile.
    loop {
        let Some(mut execution) = agent.store.execution(tenant, id).await? else {
            return agent.store.deactivate(tenant, id).await;
        };
        if execution.status.is_final() {
            return agent.store.deactivate(tenant, id).await;
        }
        let announce = match &result {
            Ok(ctx) => {
                execution.status = Status::Succeeded;
                execution.output = Some(ctx.clone());
                Some(Lifecycle::Succeeded)
            }
            Err(Halt::Failed(error)) => {
                execution.status = Status::Failed;
                execution.error = Some(error.clone());
                Some(Lifecycle::Failed)
            }
            Err(Halt::Suspended { .. }) => {
                execution.status = suspended_status(waiting);
                None
            }
            Err(Halt::Stopped) => return Ok(()),
        };
        execution.updated_at = agent.clock.now();
        match agent.store.save_execution(&mut execution).await {
            Ok(()) => {}
            Err(PortError::Conflict(_)) => continue,
            Err(e) => return Err(e),
        }
        match (&result, announce) {
            (Err(Halt::Suspended { wake_at }), _) => {
                agent.store.release(tenant, id, *wake_at, seen_poke).await?;
            }
            (_, Some(what)) => {
                agent.store.deactivate(tenant, id).await?;
                agent.announce_end(&execution, what).await;
            }
            _ => {}
        }
        return Ok(());
    }
}

/// The local runner's executor: polls the active set, leases what is due, drives it.
pub struct Executor {
    agent: Agent,
    owner: String,
    running: Mutex<HashMap<String, JoinHandle<()>>>,
}

impl Executor {
    pub fn new(agent: Agent) -> Arc<Self> {
        let owner = format!("runner-{}", agent.ids.new_id());
        Arc::new(Self {
            agent,
            owner,
            running: Mutex::new(HashMap::new()),
        })
    }

    pub async fn run(self: Arc<Self>, mut stop: watch::Receiver<bool>) -> anyhow::Result<()> {
        while !*stop.borrow() {
            if let Err(e) = self.tick().await {
                tracing::warn!(error = %e, "agent executor: a pass failed");
            }
            let _ = tokio::time::timeout(self.agent.settings.poll, stop.changed()).await;
        }
        // Stopping: hand every execution back at once (a restart resumes it from its
        // checkpoints without waiting for the lease to run out).
        let running: Vec<(String, JoinHandle<()>)> = self.running.lock().await.drain().collect();
        for (key, task) in running {
            task.abort();
            let _ = task.await;
            if let Some((tenant, id)) = key.split_once('#') {
                let _ = self.agent.store.release(tenant, id, None, i64::MIN).await;
            }
        }
        Ok(())
    }

    async fn tick(self: &Arc<Self>) -> PortResult<()> {
        let now = self.agent.clock.now();
        let mut running = self.running.lock().await;
        running.retain(|_, task| !task.is_finished());
        for active in self.agent.store.active().await? {
            let key = format!("{}#{}", active.tenant, active.execution);
            if running.contains_key(&key) {
                continue;
            }
            let due = active.wake_at.is_none_or(|at| at <= now);
            let free = active.lease_owner.is_none() || active.lease_until.is_none_or(|t| t <= now);
            if !due || !free {
                continue;
            }
            let until =
                now + chrono::Duration::from_std(self.agent.settings.lease).unwrap_or_default();
            match self.agent.store.lease(&active, &self.owner, until).await {
                Ok(()) => {}
                Err(PortError::Conflict(_)) => continue,
                Err(e) => return Err(e),
            }
            let this = self.clone();
            running.insert(
                key,
                tokio::spawn(async move { this.hold_and_drive(active, until).await }),
            );
        }
        Ok(())
    }

    async fn hold_and_drive(&self, active: Active, until: chrono::DateTime<chrono::Utc>) {
        let (tenant, id) = (active.tenant.clone(), active.execution.clone());
        let heartbeat = async {
            let mut held = Active {
                lease_owner: Some(self.owner.clone()),
                lease_until: Some(until),
                ..active.clone()
            };
            loop {
                tokio::time::sleep(self.agent.settings.lease / 3).await;
                let until = self.agent.clock.now()
                    + chrono::Duration::from_std(self.agent.settings.lease).unwrap_or_default();
                if let Err(e) = self.agent.store.lease(&held, &self.owner, until).await {
                    // Lost (taken over after a stall) or re-activated by an approval: stop
                    // here; whoever holds it now drives from the checkpoints.
                    tracing::info!(execution = %id, error = %e, "agent executor: lease lost");
                    return;
                }
                held.lease_until = Some(until);
            }
        };
        tokio::select! {
            result = drive(&self.agent, &tenant, &id, active.poke) => {
                if let Err(e) = result {
                    tracing::warn!(execution = %id, error = %e, "agent executor: driving failed");
                    let retry = self.agent.clock.now() + chrono::Duration::seconds(2);
                    let _ = self.agent.store.release(&tenant, &id, Some(retry), active.poke).await;
                }
            }
            () = heartbeat => {}
        }
    }
}
