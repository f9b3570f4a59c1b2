//! `mcp.call`: a tool on an external MCP server the tenant configured.

use crate::net::url_failure;
use crate::tenant::TenantTools;
use crate::{Tool, ToolCall, ToolFailure, errors, input};
use async_trait::async_trait;
use plasma_http::outbound::Egress;
use plasma_mcp::{ClientError, McpClient, RemoteServer};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// `mcp.call`.
///
/// Input: `{ "server": "name", "tool": "search", "arguments": {...} }` (`arguments` an object,
/// optional), or `{ "server": "name", "list": true }` to list the server's tools.
/// Output: the tool's structured content when it sent one, else its text content (joined);
/// a listing is `{ "tools": [{ "name", "title", "description", "input_schema" }] }`.
///
/// The servers are the tenant's own (`PUT /agent/settings/mcp-servers/{name}`); the
/// operator's (`PLASMA_MCP_SERVERS`) serve a tenant without servers of its own only when the
/// operator opted in ([`McpCall::per_tenant`]), since their bearer tokens are the operator's.
///
/// Each call opens a session (bounded by the server's timeout), makes the one request and
/// closes it, so nothing is held between steps.
///
/// Errors: `Tool.InvalidInput`; `Mcp.NotConfigured` (the tenant has no servers);
/// `Mcp.UnknownServer`; `Mcp.ToolError` (the tool ran and
/// reported failure: the cause is its text); `Mcp.RpcError` (unknown tool, arguments the
/// server refused); `Mcp.Unauthorized`; `States.Timeout`; `Http.Forbidden` (the server's URL
/// is a private address without private egress); `Mcp.Transport`.
pub struct McpCall {
    servers: BTreeMap<String, RemoteServer>,
    tenants: Option<(TenantTools, Egress)>,
    operator_defaults: bool,
}

impl McpCall {
    pub const NAME: &'static str = "mcp.call";

    /// With the operator's servers for every call.
    pub fn new(servers: BTreeMap<String, RemoteServer>) -> Self {
        Self {
            servers,
            tenants: None,
            operator_defaults: true,
        }
    }

    /// Each tenant's own servers, reached under `egress`; the operator's only for a tenant
    /// without servers, and only when `operator_defaults` (`PLASMA_TOOLS_OPERATOR_DEFAULTS`).
    pub fn per_tenant(
        mut self,
        tenants: TenantTools,
        egress: Egress,
        operator_defaults: bool,
    ) -> Self {
        self.tenants = Some((tenants, egress));
        self.operator_defaults = operator_defaults;
        self
    }

    async fn servers(&self, tenant: &str) -> Result<BTreeMap<String, RemoteServer>, ToolFailure> {
        let own = match &self.tenants {
            Some((tenants, egress)) => tenants
                .mcp_servers(tenant, *egress)
                .await
                .map_err(|e| ToolFailure::new(errors::TOOL_FAILED, e.to_string()))?,
            None => BTreeMap::new(),
        };
        if !own.is_empty() {
            return Ok(own);
        }
        if self.operator_defaults && !self.servers.is_empty() {
            return Ok(self.servers.clone());
        }
        Err(ToolFailure::new(
            errors::MCP_NOT_CONFIGURED,
            format!(
                "the tenant {tenant} has no MCP servers: an admin adds them with PUT /agent/settings/mcp-servers/{{name}}"
            ),
        ))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Input {
    server: String,
    tool: Option<String>,
    #[serde(default)]
    arguments: Value,
    #[serde(default)]
    list: bool,
}

#[async_trait]
impl Tool for McpCall {
    async fn call(&self, call: ToolCall) -> Result<Value, ToolFailure> {
        let input: Input = input(Self::NAME, call.input)?;
        let servers = self.servers(&call.tenant).await?;
        let server = servers.get(&input.server).ok_or_else(|| {
            let known: Vec<&str> = servers.keys().map(String::as_str).collect();
            ToolFailure::new(
                errors::MCP_UNKNOWN_SERVER,
                format!(
                    "no MCP server named {:?} is configured (known: {})",
                    input.server,
                    known.join(", ")
                ),
            )
        })?;
        let tool = match (&input.tool, input.list) {
            (Some(_), true) => {
                return Err(ToolFailure::invalid(
                    "give either tool or list: true, not both",
                ));
            }
            (None, false) => return Err(ToolFailure::invalid("tool is required")),
            (tool, _) => tool.clone(),
        };
        if !matches!(input.arguments, Value::Object(_) | Value::Null) {
            return Err(ToolFailure::invalid("arguments must be an object"));
        }
        let client = McpClient::connect(server).await.map_err(client_failure)?;
        let result = match tool {
            None => list(&client).await,
            Some(tool) => run(&client, &tool, input.arguments).await,
        };
        client.close().await;
        result
    }
}

async fn list(client: &McpClient) -> Result<Value, ToolFailure> {
    let tools = client.list_tools().await.map_err(client_failure)?;
    let tools: Vec<Value> = tools
        .into_iter()
        .map(|t| {
            json!({
                "name": t.name,
                "title": t.title,
                "description": t.description,
                "input_schema": t.input_schema,
            })
        })
        .collect();
    Ok(json!({ "tools": tools }))
}

async fn run(client: &McpClient, tool: &str, arguments: Value) -> Result<Value, ToolFailure> {
    let output = client
        .call_tool(tool, arguments)
        .await
        .map_err(client_failure)?;
    if output.is_error {
        let cause = if output.text.is_empty() {
            output.structured.map(|s| s.to_string()).unwrap_or_default()
        } else {
            output.text
        };
        return Err(ToolFailure::new(
            errors::MCP_TOOL_ERROR,
            format!("{tool}: {cause}"),
        ));
    }
    Ok(output.structured.unwrap_or(Value::String(output.text)))
}

fn client_failure(error: ClientError) -> ToolFailure {
    let name = match error {
        ClientError::Url(e) => return url_failure(e),
        ClientError::Arguments(_) => errors::INVALID_INPUT,
        ClientError::Unauthorized => errors::MCP_UNAUTHORIZED,
        ClientError::Timeout(_) => errors::TIMEOUT,
        ClientError::Rpc { .. } => errors::MCP_RPC_ERROR,
        ClientError::Transport(_) => errors::MCP_TRANSPORT,
    };
    ToolFailure::new(name, error.to_string())
}
