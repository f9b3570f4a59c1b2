//! A client for external MCP servers over Streamable HTTP, for the `mcp.call` workflow step:
//! connect (initialize, session), list the server's tools, call one, each within a timeout.

mod transport;

use plasma_http::outbound::{self, Egress, OutboundError};
use rmcp::RoleClient;
use rmcp::model::{
    CallToolRequestParams, ClientCapabilities, ClientConfig, ErrorData, Implementation,
    ProtocolVersion,
};
use rmcp::service::{ClientInitializeError, RunningService, ServiceError, ServiceExt};
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use serde_json::Value;
use std::future::Future;
use std::time::Duration;
use transport::HttpClient;

const HTTP_GRACE: Duration = Duration::from_secs(1);

/// An external MCP server and how to reach it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteServer {
    /// The Streamable HTTP endpoint, e.g. `https://tools.example.com/mcp`.
    pub url: String,
    /// Sent as `Authorization: Bearer ...` on every request.
    pub bearer: Option<String>,
    /// Bounds connecting and each call, and every HTTP exchange within them.
    pub timeout: Duration,
    /// Private addresses are refused unless allowed (local development, tests).
    pub egress: Egress,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RemoteTool {
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub input_schema: Value,
    /// The tool's `_meta` (null when it has none): this platform's tools list their
    /// permission and problem codes there.
    pub meta: Value,
}

/// What a tool returned. A tool-level failure (`is_error`) is an answer, not an [`ClientError`]:
/// the workflow decides what to do with it.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolOutput {
    pub is_error: bool,
    pub structured: Option<Value>,
    /// The text content blocks, joined by newlines.
    pub text: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error(transparent)]
    Url(#[from] OutboundError),
    #[error("tool arguments must be a JSON object, not {0}")]
    Arguments(String),
    #[error("the MCP server refused the credentials (HTTP 401)")]
    Unauthorized,
    #[error("the MCP server did not answer within {0:?}")]
    Timeout(Duration),
    /// A JSON-RPC error from the server, e.g. -32602 for an unknown tool.
    #[error("the MCP server answered with error {code}: {message}")]
    Rpc { code: i32, message: String },
    #[error("talking to the MCP server failed: {0}")]
    Transport(String),
}

pub struct McpClient {
    service: RunningService<RoleClient, ClientConfig>,
    timeout: Duration,
}

impl McpClient {
    /// Initializes a session with the server (protocol version negotiated down from the
    /// newest this crate speaks over `initialize`).
    pub async fn connect(server: &RemoteServer) -> Result<Self, ClientError> {
        let url = outbound::check_url(server.egress, &server.url)?;
        // Each HTTP exchange is bounded too, a little past the call's own timeout so that a
        // hung server is reported as a timeout rather than a transport error.
        let http = HttpClient(outbound::client(server.egress, server.timeout + HTTP_GRACE));
        let mut config = StreamableHttpClientTransportConfig::with_uri(url.as_str());
        config.auth_header = server.bearer.clone();
        let transport = StreamableHttpClientTransport::with_client(http, config);
        let info = ClientConfig::new(
            ClientCapabilities::default(),
            Implementation::new("plasma-engine", env!("CARGO_PKG_VERSION")),
        )
        .with_protocol_version(ProtocolVersion::LATEST_WITH_INITIALIZE);
        let service = within(server.timeout, info.serve(transport))
            .await?
            .map_err(initialize_error)?;
        Ok(Self {
            service,
            timeout: server.timeout,
        })
    }

    pub async fn list_tools(&self) -> Result<Vec<RemoteTool>, ClientError> {
        let tools = within(self.timeout, self.service.list_all_tools())
            .await?
            .map_err(service_error)?;
        Ok(tools
            .into_iter()
            .map(|tool| RemoteTool {
                name: tool.name.into_owned(),
                title: tool.title,
                description: tool.description.map(|d| d.into_owned()),
                input_schema: Value::Object((*tool.input_schema).clone()),
                meta: tool.meta.map(|m| Value::Object(m.0)).unwrap_or_default(),
            })
            .collect())
    }

    /// `arguments` must be a JSON object (or null for none), as MCP passes named arguments.
    pub async fn call_tool(&self, name: &str, arguments: Value) -> Result<ToolOutput, ClientError> {
        let mut params = CallToolRequestParams::new(name.to_owned());
        params.arguments = match arguments {
            Value::Object(map) => Some(map),
            Value::Null => None,
            other => return Err(ClientError::Arguments(other.to_string())),
        };
        let result = within(self.timeout, self.service.call_tool(params))
            .await?
            .map_err(service_error)?;
        let text = result
            .content
            .iter()
            .filter_map(|block| block.as_text())
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        Ok(ToolOutput {
            is_error: result.is_error.unwrap_or(false),
            structured: result.structured_content,
            text,
        })
    }

    /// Ends the session on the server (HTTP DELETE) rather than leaving it to expire.
    pub async fn close(self) {
        let timeout = self.timeout;
        if within(timeout, self.service.cancel()).await.is_err() {
            tracing::warn!("closing the MCP session timed out");
        }
    }
}

async fn within<T>(timeout: Duration, work: impl Future<Output = T>) -> Result<T, ClientError> {
    tokio::time::timeout(timeout, work)
        .await
        .map_err(|_| ClientError::Timeout(timeout))
}

fn initialize_error(error: ClientInitializeError) -> ClientError {
    if error.auth_challenge().is_some() {
        return ClientError::Unauthorized;
    }
    match error {
        ClientInitializeError::JsonRpcError(e) => rpc(e),
        other => ClientError::Transport(other.to_string()),
    }
}

fn service_error(error: ServiceError) -> ClientError {
    if error.auth_challenge().is_some() {
        return ClientError::Unauthorized;
    }
    match error {
        ServiceError::McpError(e) => rpc(e),
        ServiceError::Timeout { timeout } => ClientError::Timeout(timeout),
        other => ClientError::Transport(other.to_string()),
    }
}

fn rpc(error: ErrorData) -> ClientError {
    ClientError::Rpc {
        code: error.code.0,
        message: error.message.into_owned(),
    }
}
