//! Everything a deployment tunes beyond where its resources are: identity providers and claim
//! names, rate limits, CORS, outbound-network policy, webhook retries, brand connector
//! credentials and the Bedrock model. Read from the environment by functions and `plasma
//! serve`; built by hand in tests, so that tests running in one process never share settings
//! through the process environment.

use crate::research::ResearchModels;
use plasma_brand::scan::{BrandSettings, check_api_base, parse_mirror_hosts};
use plasma_gateway::GatewayConfig;
use plasma_gateway::rate_limit::RateLimits;
use plasma_gateway::webhooks::Policy;
use plasma_http::Cors;

pub const ALLOW_PRIVATE_EGRESS_VAR: &str = "PLASMA_ALLOW_PRIVATE_EGRESS";
pub const NEWSAPI_KEY_VAR: &str = "PLASMA_NEWSAPI_KEY";
pub const X_BEARER_TOKEN_VAR: &str = "PLASMA_X_BEARER_TOKEN";
/// Where the NewsAPI key and the X bearer token are sent (defaults: the public APIs).
pub const NEWSAPI_BASE_URL_VAR: &str = "PLASMA_NEWSAPI_BASE_URL";
pub const X_API_BASE_URL_VAR: &str = "PLASMA_X_API_BASE_URL";
/// Hosts (`host` or `host:port`, comma-separated) a `newsapi` or `x` source's `url` may name
/// besides the configured API: the operator's proxies or mirrors, trusted with the credential.
pub const CONNECTOR_MIRROR_HOSTS_VAR: &str = "PLASMA_CONNECTOR_MIRROR_HOSTS";
pub const BEDROCK_MODEL_ID_VAR: &str = "PLASMA_BEDROCK_MODEL_ID";
/// The agent-step Lambda's ARN, which compiled state machines invoke (template.yaml sets it).
pub const AGENT_STEP_FUNCTION_VAR: &str = "AGENT_STEP_FUNCTION_ARN";
/// The IAM role deployed workflows' state machines run as (template.yaml sets it).
pub const STATES_ROLE_VAR: &str = "AGENT_STATES_ROLE_ARN";

#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub gateway: GatewayConfig,
    pub rate_limits: RateLimits,
    pub cors: Cors,
    /// May outbound calls (webhooks, JWKS) reach loopback and private addresses? `None`:
    /// yes on the embedded runtime (a laptop talking to its own services), no deployed.
    pub allow_private_egress: Option<bool>,
    /// Webhook retry policy; its `egress` is replaced by the one derived above.
    pub webhooks: Policy,
    /// Brand scan connectors: credentials, politeness and timeouts.
    pub brand: BrandSettings,
    /// The Bedrock model tenants may choose for brand sentiment (e.g.
    /// `anthropic.claude-3-haiku-20240307-v1:0`); AWS backend only.
    pub bedrock_model_id: Option<String>,
    /// Research's embedder, LLM and graph extraction.
    pub research: ResearchModels,
    /// Publishing retries and the metrics window.
    pub content: plasma_content::ContentSettings,
    /// Publishing connectors' timeout and API hosts; `egress` is replaced as for webhooks.
    pub publishing: plasma_publishing::ConnectorSettings,
    /// The workflow executor's leases and polling, and the agent-step function's ARN.
    pub agent: plasma_agent::AgentSettings,
    /// Workflow tools that reach outside: HTTP allowlist, notifications, MCP servers,
    /// Chromium.
    pub tools: plasma_tools::ToolSettings,
    /// Deployed: the role Step Functions state machines run as; with it, workflows run on
    /// Step Functions instead of the embedded engine.
    pub states_role_arn: Option<String>,
}

impl Settings {
    pub fn from_env() -> anyhow::Result<Self> {
        let allow_private_egress = match std::env::var(ALLOW_PRIVATE_EGRESS_VAR)
            .ok()
            .as_deref()
            .map(str::trim)
        {
            None | Some("") => None,
            Some("true") | Some("1") => Some(true),
            Some("false") | Some("0") => Some(false),
            Some(other) => anyhow::bail!(
                "environment variable {ALLOW_PRIVATE_EGRESS_VAR} is malformed: expected true or false, got {other:?}"
            ),
        };
        Ok(Self {
            gateway: GatewayConfig::from_env()?,
            rate_limits: RateLimits::from_env()?,
            cors: Cors::from_env()?,
            allow_private_egress,
            webhooks: Policy::default(),
            brand: brand_from_env()?,
            research: ResearchModels::from_env(secret(BEDROCK_MODEL_ID_VAR).as_deref())?,
            content: plasma_content::ContentSettings::default(),
            publishing: plasma_publishing::ConnectorSettings::default(),
            bedrock_model_id: secret(BEDROCK_MODEL_ID_VAR),
            agent: plasma_agent::AgentSettings {
                step_function_arn: secret(AGENT_STEP_FUNCTION_VAR)
                    .unwrap_or_else(|| plasma_agent::routes::STEP_FUNCTION_PLACEHOLDER.to_owned()),
                ..plasma_agent::AgentSettings::default()
            },
            tools: plasma_tools::ToolSettings::from_env()?,
            states_role_arn: secret(STATES_ROLE_VAR),
        })
    }
}

fn brand_from_env() -> anyhow::Result<BrandSettings> {
    let malformed = |var: &str, problem: String| {
        anyhow::anyhow!("environment variable {var} is malformed: {problem}")
    };
    let defaults = BrandSettings::default();
    let api_base = |var: &str, default: String| match secret(var) {
        Some(raw) => check_api_base(&raw).map_err(|e| malformed(var, e)),
        None => Ok(default),
    };
    Ok(BrandSettings {
        newsapi_key: secret(NEWSAPI_KEY_VAR),
        x_bearer: secret(X_BEARER_TOKEN_VAR),
        newsapi_base: api_base(NEWSAPI_BASE_URL_VAR, defaults.newsapi_base.clone())?,
        x_base: api_base(X_API_BASE_URL_VAR, defaults.x_base.clone())?,
        mirror_hosts: parse_mirror_hosts(&secret(CONNECTOR_MIRROR_HOSTS_VAR).unwrap_or_default())
            .map_err(|e| malformed(CONNECTOR_MIRROR_HOSTS_VAR, e))?,
        ..defaults
    })
}

/// An optional credential; blank counts as unset.
fn secret(var: &str) -> Option<String> {
    std::env::var(var)
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}
