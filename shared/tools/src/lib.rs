//! Workflow tools that reach outside the platform. The agent engine calls every tool through
//! [`Tool`]; the platform's own capabilities (research, brand, content) implement it next to
//! their services, the ones here need only ports and outbound HTTP.
//!
//! | name | tool | needs |
//! | --- | --- | --- |
//! | `http.request` | [`HttpRequest`] | hosts in `PLASMA_AGENT_HTTP_ALLOW` |
//! | `llm.complete` | [`LlmComplete`] | the platform's [`Llm`] |
//! | `notify` | [`Notify`] | the tenant's settings ([`TenantTools`], `PUT /agent/settings/notify`) |
//! | `mcp.call` | [`McpCall`] | the tenant's servers (`PUT /agent/settings/mcp-servers/{name}`) |
//! | `browser.fetch`, `browser.screenshot` | [`BrowserFetch`], [`BrowserScreenshot`] | `PLASMA_CHROMIUM_PATH` |
//!
//! Every tool is always registered; one whose setting is missing fails its calls with a
//! `*.NotConfigured` (or `Http.Forbidden`) error that names the variable, so a workflow
//! author sees what to configure rather than an unknown tool.
//!
//! # Environment ([`ToolSettings::from_env`])
//!
//! - `PLASMA_AGENT_HTTP_ALLOW`: comma-separated host patterns `http.request` (and a
//!   `notify` webhook's own `url`) may reach: `api.example.com`, `*.example.com` (subdomains
//!   only) or `*` (any public host). Unset or empty allows **no** host: agent inputs are often
//!   built from model output, so reaching the internet is opted into per host.
//! - `PLASMA_AGENT_ALLOW_PRIVATE`: `true` lets every tool reach loopback, private and
//!   link-local addresses (local development and tests). Off, the SSRF guard refuses them,
//!   including names that resolve to them.
//! - `PLASMA_TOOLS_OPERATOR_DEFAULTS`: `true` lets a tenant without settings of its own use
//!   the operator's `notify` targets and MCP servers below. Off (the default), those
//!   settings serve no tenant: the operator's signing secret and bearer tokens would
//!   otherwise work for whatever any tenant's workflow sends.
//! - `PLASMA_SLACK_WEBHOOK_URL`: a Slack incoming-webhook URL for `notify` `slack`.
//! - `PLASMA_NOTIFY_WEBHOOK_URL`, `PLASMA_NOTIFY_WEBHOOK_SECRET` (`whsec_<base64>`): the default
//!   target and the Standard Webhooks signing secret for `notify` `webhook`.
//! - `PLASMA_MCP_SERVERS`: JSON `{"name": {"url": "https://.../mcp", "bearer": "...",
//!   "timeout_seconds": 30}}` (`bearer` optional, `timeout_seconds` default 30).
//! - `PLASMA_CHROMIUM_PATH`: a Chromium binary for the browser tools (e.g. `/usr/bin/chromium`).
//!
//! # Errors
//!
//! Failure names are in [`errors`]: `Tool.InvalidInput`, `States.Timeout`, `Http.Forbidden`,
//! `Http.Network`, `Http.Status.<code>`, `Llm.Failed`, `Llm.InvalidRequest`,
//! `Llm.NotConfigured`, `Notify.NotConfigured`, `Mcp.NotConfigured`, `Mcp.UnknownServer`, `Mcp.ToolError`,
//! `Mcp.RpcError`, `Mcp.Unauthorized`, `Mcp.Transport`, `Browser.NotConfigured`,
//! `Browser.NavigationFailed`, `Browser.Failed`.

mod allow;
mod browser;
pub mod errors;
mod http_request;
mod llm;
mod mcp_call;
mod net;
mod notify;
mod settings;
pub mod tenant;

pub use allow::HostAllowlist;
pub use browser::{BrowserFetch, BrowserScreenshot, BrowserSettings};
pub use http_request::{HttpPolicy, HttpRequest};
pub use llm::LlmComplete;
pub use mcp_call::McpCall;
pub use notify::{Notify, NotifySettings};
pub use settings::{SettingsError, ToolSettings};
pub use tenant::TenantTools;

use async_trait::async_trait;
use plasma_core::Llm;
use serde_json::Value;
use std::sync::Arc;

/// One call of a tool by a workflow step.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolCall {
    pub tenant: String,
    pub execution: String,
    /// The step's checkpoint key (unique within the execution, stable across restarts).
    pub step: String,
    /// 1 for the first try; retries count up.
    pub attempt: u32,
    /// The step's resolved input.
    pub input: Value,
}

impl ToolCall {
    /// A key that is the same for every attempt of this step in this execution, sent as
    /// `Idempotency-Key` where a remote API takes one.
    pub fn idempotency_key(&self) -> String {
        format!("{}:{}", self.execution, self.step)
    }
}

/// Why a tool call failed: `error` is the name retry and catch match on (`States.Timeout`,
/// `Http.Status.503`, `Tool.InvalidInput`, ...), `cause` a human explanation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error}: {cause}")]
pub struct ToolFailure {
    pub error: String,
    pub cause: String,
}

impl ToolFailure {
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        Self {
            error: error.into(),
            cause: cause.into(),
        }
    }

    /// The input did not have the shape the tool needs.
    pub fn invalid(cause: impl Into<String>) -> Self {
        Self::new("Tool.InvalidInput", cause)
    }
}

#[async_trait]
pub trait Tool: Send + Sync {
    async fn call(&self, call: ToolCall) -> Result<Value, ToolFailure>;
}

/// Every tool in this crate, keyed by the name workflows call it by; `notify` and `mcp.call`
/// use each tenant's own settings from `tenants`.
pub fn tools(
    settings: &ToolSettings,
    llm: Arc<dyn Llm>,
    tenants: TenantTools,
) -> Vec<(&'static str, Arc<dyn Tool>)> {
    vec![
        (
            HttpRequest::NAME,
            Arc::new(HttpRequest::new(settings.http.clone())) as Arc<dyn Tool>,
        ),
        (LlmComplete::NAME, Arc::new(LlmComplete::new(llm))),
        (
            Notify::NAME,
            Arc::new(
                Notify::new(
                    settings.notify.clone(),
                    HostAllowlist::new(&settings.http.allow_hosts),
                )
                .per_tenant(tenants.clone(), settings.operator_defaults),
            ),
        ),
        (
            McpCall::NAME,
            Arc::new(McpCall::new(settings.mcp_servers.clone()).per_tenant(
                tenants,
                settings.http.egress,
                settings.operator_defaults,
            )),
        ),
        (
            BrowserFetch::NAME,
            Arc::new(BrowserFetch::new(settings.browser.clone())),
        ),
        (
            BrowserScreenshot::NAME,
            Arc::new(BrowserScreenshot::new(settings.browser.clone())),
        ),
    ]
}

/// A tool's input as its typed shape, naming the field that was wrong.
pub(crate) fn input<T: serde::de::DeserializeOwned>(
    tool: &str,
    value: Value,
) -> Result<T, ToolFailure> {
    serde_json::from_value(value).map_err(|e| ToolFailure::invalid(format!("{tool}: {e}")))
}
