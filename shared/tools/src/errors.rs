//! The error names tools fail with, as retry and catch match them (`on: ["Http.Status.503"]`).
//! A name is a contract with workflow authors: keep them stable.

/// The input did not have the shape the tool needs. Not worth retrying.
pub const INVALID_INPUT: &str = "Tool.InvalidInput";
/// The call did not finish within its timeout (the same name the engine uses for step
/// timeouts, so one `on: ["States.Timeout"]` covers both).
pub const TIMEOUT: &str = "States.Timeout";
/// The destination is not allowed: not on the host allowlist, or a private address while
/// private egress is off (SSRF guard).
pub const HTTP_FORBIDDEN: &str = "Http.Forbidden";
/// Connecting or talking to the remote failed (DNS, refused connection, reset).
pub const HTTP_NETWORK: &str = "Http.Network";
/// The prefix of `Http.Status.<code>`, for any answer outside 2xx.
pub const HTTP_STATUS_PREFIX: &str = "Http.Status.";
/// The model's backend failed; retrying later may succeed.
pub const LLM_FAILED: &str = "Llm.Failed";
/// The model refused the request as invalid (too many tokens for the model, ...).
pub const LLM_INVALID_REQUEST: &str = "Llm.InvalidRequest";
/// The deployment has no model behind the LLM port.
pub const LLM_NOT_CONFIGURED: &str = "Llm.NotConfigured";
/// The channel asked for has no URL (or secret) configured, or the tenant no settings.
pub const NOTIFY_NOT_CONFIGURED: &str = "Notify.NotConfigured";
/// The tenant has no MCP servers of its own (and the operator's are not offered).
pub const MCP_NOT_CONFIGURED: &str = "Mcp.NotConfigured";
/// The tool's own settings could not be read (storage or key trouble); retrying may help.
pub const TOOL_FAILED: &str = "Tool.Failed";
/// The server name is not among the configured MCP servers.
pub const MCP_UNKNOWN_SERVER: &str = "Mcp.UnknownServer";
/// The remote tool ran and reported a failure (`isError`); the cause holds its text.
pub const MCP_TOOL_ERROR: &str = "Mcp.ToolError";
/// The server answered with a JSON-RPC error (an unknown tool, invalid arguments, ...).
pub const MCP_RPC_ERROR: &str = "Mcp.RpcError";
/// The server refused the configured credentials.
pub const MCP_UNAUTHORIZED: &str = "Mcp.Unauthorized";
/// The MCP exchange failed below the protocol (connection, malformed answers).
pub const MCP_TRANSPORT: &str = "Mcp.Transport";
/// No Chromium binary is configured (`PLASMA_CHROMIUM_PATH`).
pub const BROWSER_NOT_CONFIGURED: &str = "Browser.NotConfigured";
/// Chromium did not start, or the DevTools connection broke.
pub const BROWSER_FAILED: &str = "Browser.Failed";
/// The page could not be loaded (DNS, refused connection, TLS, ...): `cause` holds
/// Chromium's `net::ERR_...` text.
pub const BROWSER_NAVIGATION_FAILED: &str = "Browser.NavigationFailed";

/// `Http.Status.<code>`.
pub fn http_status(code: u16) -> String {
    format!("{HTTP_STATUS_PREFIX}{code}")
}
