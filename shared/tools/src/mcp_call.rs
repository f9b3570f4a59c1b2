//! `mcp.call`: a tool on an external MCP server the operator configured.

use crate::net::url_failure;
use crate::{Tool, ToolCall, ToolFailure, errors, input};
use async_trait::async_trait;
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
/// Each call opens a session (bounded by the server's timeout), makes the one request and
/// closes it, so nothing is held between steps.
///
/// Errors: `Tool.InvalidInput`; `Mcp.UnknownServer`; `Mcp.ToolError` (the tool ran and
/// reported failure: the cause is its text); `Mcp.RpcError` (unknown tool, arguments the
/// server refused); `Mcp.Unauthorized`; `States.Timeout`; `Http.Forbidden` (the server's URL
/// is a private address without private egress); `Mcp.Transport`.
pub struct McpCall {
    servers: BTreeMap<String, RemoteServer>,
}

impl McpCall {
    pub const NAME: &'static str = "mcp.call";

    pub fn new(servers: BTreeMap<String, RemoteServer>) -> Self {
        Self { servers }
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
        let server = self.servers.get(&input.server).ok_or_else(|| {
            let known: Vec<&str> = self.servers.keys().map(String::as_str).collect();
            ToolFailure::new(
                errors::MCP_UNKNOWN_SERVER,
                format!(
                    "no MCP server named {:?} is configured (known: {}; see PLASMA_MCP_SERVERS)",
                    input.server,
                    if known.is_empty() {
                        "none".to_owned()
                    } else {
                        known.join(", ")
                    }
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
