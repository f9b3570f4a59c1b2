//! Agent workflows: definitions saved as versions ([`model::Workflow`]), executions run by the
//! durable embedded [`engine`] with a checkpoint per step, approvals, cancel, retry from the
//! failed step, replay from a checkpoint with edited state, lifecycle [`events`], and the HTTP
//! [`routes`]. Tools are [`plasma_tools::Tool`]s the integrator registers by name.

pub mod engine;
pub mod events;
pub mod model;
pub mod remote;
mod replay;
pub mod routes;
mod service;
pub mod step;
pub mod store;
pub mod tool_settings;
pub mod use_cases;

pub use service::{
    AgentError, ApprovalBody, ExecutionView, FORK_KEY, PendingApproval, ReplayBody, StartBody,
    WorkflowBody,
};

use plasma_core::{Clock, EventBus, IdGen, ItemStore, StateMachines};
use plasma_gateway::webhooks::Webhooks;
use plasma_tools::Tool;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// Tools by the name a `tool` step uses (`research.search`, `http.request`, ...).
pub type ToolBox = BTreeMap<String, Arc<dyn Tool>>;

#[derive(Debug, Clone, PartialEq)]
pub struct AgentSettings {
    /// How long a runner holds an execution without renewing its lease; after a crash,
    /// another (or the restarted) runner takes it over once this has passed.
    pub lease: Duration,
    /// How often the executor looks for executions to drive.
    pub poll: Duration,
    /// Waits up to this long sleep inside the driver; longer ones are handed back to the
    /// executor's schedule.
    pub inline_wait: Duration,
    /// The agent-step Lambda's ARN that compiled state machines invoke.
    pub step_function_arn: String,
}

impl Default for AgentSettings {
    fn default() -> Self {
        Self {
            lease: Duration::from_secs(15),
            poll: Duration::from_millis(500),
            inline_wait: Duration::from_secs(30),
            step_function_arn: routes::STEP_FUNCTION_PLACEHOLDER.into(),
        }
    }
}

#[derive(Clone)]
pub struct Agent {
    pub store: store::Store,
    pub bus: Arc<dyn EventBus>,
    pub webhooks: Option<Webhooks>,
    pub clock: Arc<dyn Clock>,
    pub ids: Arc<dyn IdGen>,
    pub tools: Arc<ToolBox>,
    pub settings: AgentSettings,
    /// Deployed, executions run on Step Functions; `None` runs them on the embedded
    /// [`engine`].
    pub machines: Option<Arc<dyn StateMachines>>,
}

/// What an [`Agent`] is built from.
pub struct AgentDeps {
    pub items: Arc<dyn ItemStore>,
    /// Lifecycle events.
    pub bus: Arc<dyn EventBus>,
    /// Lifecycle events to tenants' webhook endpoints, when the platform has them.
    pub webhooks: Option<Webhooks>,
    pub clock: Arc<dyn Clock>,
    pub ids: Arc<dyn IdGen>,
    pub tools: ToolBox,
    pub settings: AgentSettings,
    /// Deployed with a state-machine role, executions run on Step Functions; `None` runs
    /// them on the embedded [`engine`].
    pub machines: Option<Arc<dyn StateMachines>>,
}

impl Agent {
    pub fn new(deps: AgentDeps) -> Self {
        tracing::debug!(target: plasma_core::BUILT, capability = "agent");
        Self {
            store: store::Store { items: deps.items },
            bus: deps.bus,
            webhooks: deps.webhooks,
            clock: deps.clock,
            ids: deps.ids,
            tools: Arc::new(deps.tools),
            settings: deps.settings,
            machines: deps.machines,
        }
    }

    /// Run executions on Step Functions instead of the embedded engine.
    pub fn on_state_machines(mut self, machines: Arc<dyn StateMachines>) -> Self {
        self.machines = Some(machines);
        self
    }
}

#[cfg(test)]
mod tests;
