//! The tools against local fixture servers (and a real headless Chromium when one is
//! installed): one test binary, one module per tool.

mod browser;
mod http_request;
mod llm;
mod mcp_call;
mod notify;
mod registry;
mod support;
mod tenant;
