//! Agent workflows on this platform: the tools a step can call. The platform's own
//! capabilities (research, brand, content) run through the same host as the MCP server's
//! tools, under the tenant and permissions of whoever started the execution; the tools that
//! reach outside (HTTP, LLM, notifications, MCP servers, a browser) come from plasma-tools.

use crate::mcp::{MCP_ONLY, Tools};
use crate::ports::Ports;
use async_trait::async_trait;
use plasma_agent::store::Store;
use plasma_agent::{Agent, AgentDeps, AgentSettings, ToolBox};
use plasma_core::{Completion, CompletionOutput, Llm, PortError, PortResult, StateMachines};
use plasma_gateway::webhooks::Webhooks;
use plasma_mcp::{Caller, ToolError, ToolHost};
use plasma_tools::{TenantTools, Tool, ToolCall, ToolFailure, ToolSettings};
use serde_json::Value;
use std::sync::Arc;

/// What the agent is built from: the ports, the capabilities its tools call, and settings.
pub struct AgentParts<'a> {
    pub ports: &'a Ports,
    /// Lifecycle events to tenants' endpoints.
    pub webhooks: &'a Webhooks,
    /// The platform's capabilities as tools (without `workflows.*`).
    pub host: Tools,
    pub settings: AgentSettings,
    /// The tools that reach outside.
    pub tools: &'a ToolSettings,
    /// Step Functions, when workflows run there.
    pub machines: Option<Arc<dyn StateMachines>>,
}

/// The agent capability with every tool wired.
pub fn agent(parts: AgentParts<'_>) -> Agent {
    let AgentParts {
        ports,
        webhooks,
        host,
        settings,
        tools,
        machines,
    } = parts;
    let llm: Arc<dyn Llm> = match &host.research.models.llm {
        Some(llm) => llm.clone(),
        None => Arc::new(NoLlm),
    };
    let host = Arc::new(host);
    let store = Store {
        items: ports.items.clone(),
    };
    let mut toolbox = ToolBox::new();
    for spec in crate::mcp::catalogue() {
        if MCP_ONLY.contains(&spec.name.as_str()) {
            continue;
        }
        toolbox.insert(
            spec.name.clone(),
            Arc::new(HostTool {
                host: host.clone(),
                store: store.clone(),
                name: spec.name,
            }),
        );
    }
    for (name, tool) in plasma_tools::tools(tools, llm, tenant_tools(ports)) {
        toolbox.insert(name.into(), tool);
    }
    Agent::new(AgentDeps {
        items: ports.items.clone(),
        bus: ports.bus.clone(),
        webhooks: Some(webhooks.clone()),
        clock: ports.clock.clone(),
        ids: ports.ids.clone(),
        tools: toolbox,
        settings,
        machines,
    })
}

/// Each tenant's `notify` targets and MCP servers, sealed with the platform's cipher.
pub fn tenant_tools(ports: &Ports) -> TenantTools {
    TenantTools::new(
        ports.items.clone(),
        ports.cipher.clone(),
        ports.clock.clone(),
    )
}

/// One of the platform's capabilities as a workflow tool.
struct HostTool {
    host: Arc<Tools>,
    store: Store,
    name: String,
}

#[async_trait]
impl Tool for HostTool {
    async fn call(&self, call: ToolCall) -> Result<Value, ToolFailure> {
        let execution = self
            .store
            .execution(&call.tenant, &call.execution)
            .await
            .map_err(|e| ToolFailure::new("Tool.Failed", e.to_string()))?
            .ok_or_else(|| ToolFailure::new("Tool.Failed", "the execution is gone"))?;
        let caller = Caller {
            tenant: call.tenant.clone(),
            // The resumed part of a retried execution acts for whoever retried it.
            subject: execution.retried_by.unwrap_or(execution.started_by),
            permissions: execution.permissions,
        };
        self.host
            .call(&caller, &self.name, call.input)
            .await
            .map_err(|e| {
                let name = match &e {
                    // Refused as the REST route would refuse it: retrying won't help.
                    ToolError::Invalid(_)
                    | ToolError::Refused { .. }
                    | ToolError::UnknownTool(_) => "Tool.InvalidInput",
                    ToolError::NotFound(_) => "Tool.NotFound",
                    ToolError::Forbidden(_) => "Tool.Forbidden",
                    ToolError::Failed(_) => "Tool.Failed",
                };
                ToolFailure::new(name, e.to_string())
            })
    }
}

/// `llm.complete` when no model is configured: a clear failure naming the settings.
struct NoLlm;

#[async_trait]
impl Llm for NoLlm {
    async fn complete(&self, _: Completion) -> PortResult<CompletionOutput> {
        Err(PortError::NotConfigured(
            "no LLM is configured: set PLASMA_LLM (bedrock or openai) and PLASMA_LLM_MODEL".into(),
        ))
    }

    fn model(&self) -> &str {
        "none"
    }
}
