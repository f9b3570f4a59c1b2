//! The platform's MCP server and client.
//!
//! The server ([`router`]) speaks MCP over Streamable HTTP at [`PATH`] with rmcp, and exposes
//! the platform's tools through the [`ToolHost`] port under the [`Caller`] that the
//! integrator's auth middleware put into the request (the same tokens and API keys as the
//! REST API); a request without one is refused with a 401 problem before MCP sees it.
//! Protocol versions: every revision rmcp knows, from 2024-11-05 to the handshake-less
//! 2026-07-28. Sessions live in process memory, which suits `plasma serve`; on Lambda set
//! [`ServerOptions::stateless`], since instances share no session table and responses are
//! buffered.
//!
//! The client ([`McpClient`]) calls tools on external MCP servers for `mcp.call`.

mod client;
mod host;
mod router;
mod server;

pub use client::{ClientError, McpClient, RemoteServer, RemoteTool, ToolOutput};
pub use host::{Caller, ToolError, ToolHost, ToolSpec};
pub use plasma_gateway::Permission;
pub use plasma_http::outbound::Egress;
pub use router::{PATH, ServerOptions, router};
