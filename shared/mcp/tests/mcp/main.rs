//! The MCP server and client end to end, over real HTTP on loopback. A third-party client
//! (the Python `mcp` SDK) drives the platform's own `/mcp` in the platform tests.

mod caller;
mod client;
mod server;
mod support;
