//! Where the records live in the item store. Every key but the active set's starts with the
//! tenant; the active set is the executor's own index of executions to drive, across tenants.

use crate::model::{Checkpoint, Execution, Workflow};
use chrono::{DateTime, Utc};
use plasma_core::item::{attrs_of, query_all};
use plasma_core::{Condition, Item, ItemStore, Key, PortError, PortResult, Query, Update, keys};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::sync::Arc;

fn workflows(tenant: &str) -> PortResult<String> {
    keys::WORKFLOWS.key([tenant])
}
fn versions(tenant: &str, id: &str) -> PortResult<String> {
    keys::WORKFLOW_VERSIONS.key([tenant, id])
}
fn version_sk(version: u32) -> PortResult<String> {
    keys::WORKFLOW_VERSION.key([&format!("{version:06}")])
}
fn names(tenant: &str) -> PortResult<String> {
    keys::WORKFLOW_NAMES.key([tenant])
}
fn executions(tenant: &str) -> PortResult<String> {
    keys::EXECUTIONS.key([tenant])
}
fn checkpoints(tenant: &str, execution: &str) -> PortResult<String> {
    keys::CHECKPOINTS.key([tenant, execution])
}
/// Execution id → tenant, for the agent-step function, which learns only the id.
const LOCATIONS: &str = keys::EXECUTION_LOCATIONS.literal();

fn idempotency(tenant: &str, workflow: &str) -> PortResult<String> {
    keys::IDEMPOTENCY.key([tenant, workflow])
}

fn active_key(tenant: &str, execution: &str) -> PortResult<Key> {
    Ok(Key::new(
        keys::ACTIVE.literal(),
        keys::ACTIVE_EXECUTION.key([tenant, execution])?,
    ))
}

/// An execution the executor should drive: now, or from `wake_at` (a wait's end, an
/// approval's deadline). A driver holds it by its lease.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Active {
    pub tenant: String,
    pub execution: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wake_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lease_owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lease_until: Option<DateTime<Utc>>,
    /// Counts wake-up calls (a decision, a retry): a driver that took the lease before one
    /// arrived must not put the execution back to sleep.
    #[serde(default)]
    pub poke: i64,
}

impl Active {
    /// Due at `wake_at` (now when `None`), held by nobody.
    pub fn new(tenant: &str, execution: &str, wake_at: Option<DateTime<Utc>>) -> Self {
        Self {
            tenant: tenant.into(),
            execution: execution.into(),
            wake_at,
            lease_owner: None,
            // A value rather than none, so that taking the lease is always a compare-and-set.
            lease_until: Some(DateTime::UNIX_EPOCH),
            poke: 0,
        }
    }
}

#[derive(Clone)]
pub struct Store {
    pub items: Arc<dyn ItemStore>,
}

impl Store {
    pub async fn workflow(&self, tenant: &str, id: &str) -> PortResult<Option<Workflow>> {
        let item = self.items.get(&Key::new(workflows(tenant)?, id)).await?;
        item.map(|i| i.parse()).transpose()
    }

    pub async fn workflow_version(
        &self,
        tenant: &str,
        id: &str,
        version: u32,
    ) -> PortResult<Option<Workflow>> {
        // An id that is not a key segment names no workflow.
        let Ok(partition) = versions(tenant, id) else {
            return Ok(None);
        };
        let item = self
            .items
            .get(&Key::new(partition, version_sk(version)?))
            .await?;
        item.map(|i| i.parse()).transpose()
    }

    pub async fn workflows(&self, tenant: &str) -> PortResult<Vec<Workflow>> {
        let items = query_all(self.items.as_ref(), Query::partition(workflows(tenant)?)).await?;
        items.iter().map(Item::parse).collect()
    }

    pub async fn workflow_versions(&self, tenant: &str, id: &str) -> PortResult<Vec<Workflow>> {
        let Ok(partition) = versions(tenant, id) else {
            return Ok(Vec::new());
        };
        let items = query_all(self.items.as_ref(), Query::partition(partition)).await?;
        items.iter().map(Item::parse).collect()
    }

    /// The id of the workflow saved under `name`, if any.
    pub async fn workflow_named(&self, tenant: &str, name: &str) -> PortResult<Option<String>> {
        let item = self.items.get(&Key::new(names(tenant)?, name)).await?;
        Ok(item.and_then(|i| i.get("id").and_then(|v| v.as_str()).map(str::to_owned)))
    }

    /// Claim `name` for a new workflow id; `Conflict` when another id has it.
    pub async fn claim_name(&self, tenant: &str, name: &str, id: &str) -> PortResult<()> {
        let attrs = json!({"id": id}).as_object().cloned().unwrap_or_default();
        self.items
            .put(
                Item::new(Key::new(names(tenant)?, name), attrs),
                Condition::NotExists,
            )
            .await
    }

    /// Store a new version; `Conflict` when that version exists (a concurrent save).
    pub async fn put_version(&self, tenant: &str, workflow: &Workflow) -> PortResult<()> {
        let attrs = attrs_of(workflow)?;
        self.items
            .put(
                Item::new(
                    Key::new(
                        versions(tenant, &workflow.id)?,
                        version_sk(workflow.version)?,
                    ),
                    attrs.clone(),
                ),
                Condition::NotExists,
            )
            .await?;
        self.items
            .put(
                Item::new(Key::new(workflows(tenant)?, &workflow.id), attrs),
                Condition::None,
            )
            .await
    }

    pub async fn execution(&self, tenant: &str, id: &str) -> PortResult<Option<Execution>> {
        let item = self.items.get(&Key::new(executions(tenant)?, id)).await?;
        item.map(|i| i.parse()).transpose()
    }

    /// Newest first.
    pub async fn executions(&self, tenant: &str, limit: u32) -> PortResult<Vec<Execution>> {
        let page = self
            .items
            .query(
                Query::partition(executions(tenant)?)
                    .descending()
                    .limit(limit),
            )
            .await?;
        page.items.iter().map(Item::parse).collect()
    }

    /// The tenant an execution belongs to.
    pub async fn locate(&self, execution: &str) -> PortResult<Option<String>> {
        let item = self.items.get(&Key::new(LOCATIONS, execution)).await?;
        Ok(item.and_then(|i| i.get("tenant").and_then(|v| v.as_str()).map(str::to_owned)))
    }

    pub async fn create_execution(&self, execution: &Execution) -> PortResult<()> {
        let location = json!({"tenant": execution.tenant})
            .as_object()
            .cloned()
            .unwrap_or_default();
        self.items
            .put(
                Item::new(Key::new(LOCATIONS, &execution.id), location),
                Condition::NotExists,
            )
            .await?;
        self.items
            .put(
                Item::new(
                    Key::new(executions(&execution.tenant)?, &execution.id),
                    attrs_of(execution)?,
                ),
                Condition::NotExists,
            )
            .await
    }

    /// Write `execution` if nobody changed it since it was read (its `revision`); the stored
    /// revision moves on by one. `Conflict` otherwise.
    pub async fn save_execution(&self, execution: &mut Execution) -> PortResult<()> {
        let expected = execution.revision;
        execution.revision += 1;
        let result = self
            .items
            .put(
                Item::new(
                    Key::new(executions(&execution.tenant)?, &execution.id),
                    attrs_of(&*execution)?,
                ),
                Condition::Equals("revision".into(), json!(expected)),
            )
            .await;
        if result.is_err() {
            execution.revision = expected;
        }
        result
    }

    /// Remember which execution an idempotency key started; the existing one if the key was
    /// used before.
    pub async fn claim_idempotency(
        &self,
        tenant: &str,
        workflow: &str,
        key: &str,
        execution: &str,
    ) -> PortResult<Option<String>> {
        let attrs = json!({"execution": execution})
            .as_object()
            .cloned()
            .unwrap_or_default();
        let item_key = Key::new(idempotency(tenant, workflow)?, key);
        match self
            .items
            .put(Item::new(item_key.clone(), attrs), Condition::NotExists)
            .await
        {
            Ok(()) => Ok(None),
            Err(PortError::Conflict(_)) => {
                let existing = self.items.get(&item_key).await?;
                Ok(existing.and_then(|i| {
                    i.get("execution")
                        .and_then(|v| v.as_str())
                        .map(str::to_owned)
                }))
            }
            Err(e) => Err(e),
        }
    }

    pub async fn checkpoint(
        &self,
        tenant: &str,
        execution: &str,
        key: &str,
    ) -> PortResult<Option<Checkpoint>> {
        let Ok(partition) = checkpoints(tenant, execution) else {
            return Ok(None);
        };
        let item = self.items.get(&Key::new(partition, key)).await?;
        item.map(|i| i.parse()).transpose()
    }

    /// Every checkpoint, in the order the steps started.
    pub async fn checkpoints(&self, tenant: &str, execution: &str) -> PortResult<Vec<Checkpoint>> {
        let Ok(partition) = checkpoints(tenant, execution) else {
            return Ok(Vec::new());
        };
        let items = query_all(self.items.as_ref(), Query::partition(partition)).await?;
        let mut records: Vec<Checkpoint> =
            items.iter().map(Item::parse).collect::<Result<_, _>>()?;
        records.sort_by(|a, b| a.started_at.cmp(&b.started_at).then(a.key.cmp(&b.key)));
        Ok(records)
    }

    pub async fn put_checkpoint(
        &self,
        tenant: &str,
        execution: &str,
        checkpoint: &Checkpoint,
        condition: Condition,
    ) -> PortResult<()> {
        self.items
            .put(
                Item::new(
                    Key::new(checkpoints(tenant, execution)?, &checkpoint.key),
                    attrs_of(checkpoint)?,
                ),
                condition,
            )
            .await
    }

    pub async fn activate(&self, active: &Active) -> PortResult<()> {
        self.items
            .put(
                Item::new(
                    active_key(&active.tenant, &active.execution)?,
                    attrs_of(active)?,
                ),
                Condition::None,
            )
            .await
    }

    /// Make an execution due now, whoever holds it: a driver holding it sees the poke when
    /// it hands the execution back, and leaves it due.
    pub async fn poke(&self, tenant: &str, execution: &str) -> PortResult<()> {
        let key = active_key(tenant, execution)?;
        let update = Update::default()
            .set("tenant", tenant)
            .set("execution", execution)
            .set("wake_at", Value::Null)
            .add("poke", 1);
        self.items
            .update(&key, update, Condition::None)
            .await
            .map(|_| ())
    }

    /// Hand an execution back to the executor's schedule, due at `wake_at`, or due now if
    /// it was poked since `seen_poke`.
    pub async fn release(
        &self,
        tenant: &str,
        execution: &str,
        wake_at: Option<DateTime<Utc>>,
        seen_poke: i64,
    ) -> PortResult<()> {
        let key = active_key(tenant, execution)?;
        let free = || {
            Update::default()
                .set("lease_until", json!(DateTime::<Utc>::UNIX_EPOCH))
                .remove("lease_owner")
        };
        match self
            .items
            .update(
                &key,
                free().set("wake_at", json!(wake_at)),
                Condition::Equals("poke".into(), json!(seen_poke)),
            )
            .await
        {
            Ok(_) => Ok(()),
            Err(PortError::Conflict(_)) => self
                .items
                .update(&key, free().set("wake_at", Value::Null), Condition::Exists)
                .await
                .map(|_| ()),
            Err(e) => Err(e),
        }
    }

    pub async fn deactivate(&self, tenant: &str, execution: &str) -> PortResult<()> {
        self.items
            .delete(&active_key(tenant, execution)?, Condition::None)
            .await
    }

    pub async fn active(&self) -> PortResult<Vec<Active>> {
        let items = query_all(
            self.items.as_ref(),
            Query::partition(keys::ACTIVE.literal()),
        )
        .await?;
        items.iter().map(Item::parse).collect()
    }

    /// Take or extend the lease on an active execution: only if it is free, expired, or
    /// already `owner`'s. `Conflict` when someone else holds it.
    pub async fn lease(
        &self,
        active: &Active,
        owner: &str,
        until: DateTime<Utc>,
    ) -> PortResult<()> {
        let key = active_key(&active.tenant, &active.execution)?;
        // Conditional on what we read: a lease taken by someone else in between fails.
        let condition = match &active.lease_until {
            Some(lease) => Condition::Equals("lease_until".into(), json!(lease)),
            None => Condition::Exists,
        };
        let update = Update::default()
            .set("lease_owner", owner)
            .set("lease_until", json!(until));
        self.items.update(&key, update, condition).await.map(|_| ())
    }
}
