//! Agent workflows on this platform: the tools a step can call. The platform's own
//! capabilities (research, brand, content) run through the same host as the MCP server's
//! tools, under the tenant and permissions of whoever started the execution; the tools that
//! reach outside (HTTP, LLM, notifications, MCP servers, a browser) come from plasma-tools.

use crate::Platform;
use crate::mcp::{MCP_ONLY, Tools};
use async_trait::async_trait;
use plasma_agent::store::Store;
use plasma_agent::{Agent, AgentSettings, ToolBox};
use plasma_core::{Completion, CompletionOutput, Llm, PortError, PortResult};
use plasma_mcp::{Caller, ToolError, ToolHost};
use plasma_tools::{TenantTools, Tool, ToolCall, ToolFailure, ToolSettings};
use serde_json::Value;
use std::sync::Arc;

/// The agent capability for `platform`, with every tool wired.
pub fn agent(platform: &Platform, settings: AgentSettings, tools: &ToolSettings) -> Agent {
    let host = Arc::new(Tools(platform.clone()));
    let store = Store {
        items: platform.items.clone(),
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
    let llm: Arc<dyn Llm> = match &platform.research.models.llm {
        Some(llm) => llm.clone(),
        None => Arc::new(NoLlm),
    };
    for (name, tool) in plasma_tools::tools(tools, llm, tenant_tools(platform)) {
        toolbox.insert(name.into(), tool);
    }
    Agent::new(
        platform.items.clone(),
        platform.bus.clone(),
        Some(platform.webhooks.clone()),
        platform.clock.clone(),
        platform.ids.clone(),
        toolbox,
        settings,
    )
}

/// Each tenant's `notify` targets and MCP servers, sealed with the platform's cipher.
pub fn tenant_tools(platform: &Platform) -> TenantTools {
    TenantTools::new(
        platform.items.clone(),
        platform.cipher.clone(),
        platform.clock.clone(),
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
