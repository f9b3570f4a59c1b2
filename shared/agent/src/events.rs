//! Lifecycle events: on the event bus (source `plasma.agent`) and to the tenant's signed
//! webhooks (`agent.execution.succeeded`, ...).

use crate::Agent;
use crate::model::Execution;
use plasma_core::Event;
use serde_json::{Value, json};

pub const SOURCE: &str = "plasma.agent";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifecycle {
    Started,
    ApprovalRequested,
    Succeeded,
    Failed,
    Cancelled,
}

impl Lifecycle {
    /// The bus's detail type.
    pub fn detail_type(self) -> &'static str {
        match self {
            Lifecycle::Started => "AgentExecutionStarted",
            Lifecycle::ApprovalRequested => "AgentApprovalRequested",
            Lifecycle::Succeeded => "AgentExecutionSucceeded",
            Lifecycle::Failed => "AgentExecutionFailed",
            Lifecycle::Cancelled => "AgentExecutionCancelled",
        }
    }

    /// The webhook event type.
    pub fn webhook_type(self) -> &'static str {
        match self {
            Lifecycle::Started => "agent.execution.started",
            Lifecycle::ApprovalRequested => "agent.approval.requested",
            Lifecycle::Succeeded => "agent.execution.succeeded",
            Lifecycle::Failed => "agent.execution.failed",
            Lifecycle::Cancelled => "agent.execution.cancelled",
        }
    }
}

impl Agent {
    /// An execution ended (whichever engine ran it): its outcome, and its error if it failed.
    pub(crate) async fn announce_end(&self, execution: &Execution, what: Lifecycle) {
        let mut detail = json!({
            "execution_id": execution.id,
            "workflow_id": execution.workflow_id,
            "workflow_name": execution.workflow_name,
            "status": execution.status,
        });
        if let Some(error) = &execution.error {
            detail["error"] = json!(error);
        }
        self.announce(&execution.tenant, what, detail).await;
    }

    /// Best effort: a bus or webhook outage must not fail or repeat a step that already
    /// happened, so failures are logged, not returned.
    pub(crate) async fn announce(&self, tenant: &str, what: Lifecycle, detail: Value) {
        let mut detail = detail;
        detail["tenant"] = tenant.into();
        if let Err(e) = self
            .bus
            .publish(vec![Event::new(SOURCE, what.detail_type(), detail.clone())])
            .await
        {
            tracing::warn!(error = %e, "agent: publishing {} failed", what.detail_type());
        }
        if let Some(webhooks) = &self.webhooks
            && let Err(e) = webhooks.emit(tenant, what.webhook_type(), detail).await
        {
            tracing::warn!(error = %e, "agent: queueing {} webhooks failed", what.webhook_type());
        }
    }
}
