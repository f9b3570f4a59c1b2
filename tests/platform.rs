//! Black-box tests of the platform: HTTP routes, Lambda handlers fed their sample events, the
//! local runner, and template.yaml's agreement with the code.

#[path = "platform/agent.rs"]
mod agent;
#[path = "platform/agent_engines.rs"]
mod agent_engines;
#[path = "platform/bedrock.rs"]
mod bedrock;
#[path = "platform/brand.rs"]
mod brand;
#[path = "platform/brand_alerts.rs"]
mod brand_alerts;
#[path = "platform/brand_connectors.rs"]
mod brand_connectors;
#[path = "platform/brand_inbound.rs"]
mod brand_inbound;
#[path = "platform/brand_scan.rs"]
mod brand_scan;
#[path = "platform/brand_settings.rs"]
mod brand_settings;
#[path = "platform/brand_spike.rs"]
mod brand_spike;
#[path = "platform/common.rs"]
mod common;
#[path = "platform/composition.rs"]
mod composition;
#[path = "platform/content.rs"]
mod content;
#[path = "platform/content_platforms.rs"]
mod content_platforms;
#[path = "platform/cors.rs"]
mod cors;
#[path = "platform/functions.rs"]
mod functions;
#[path = "platform/graphql.rs"]
mod graphql;
#[path = "platform/http.rs"]
mod http;
#[path = "platform/isolation.rs"]
mod isolation;
#[path = "platform/jwt.rs"]
mod jwt;
#[path = "platform/mcp.rs"]
mod mcp;
#[path = "platform/openapi.rs"]
mod openapi;
#[path = "platform/rate_limit.rs"]
mod rate_limit;
#[path = "platform/release_panic.rs"]
mod release_panic;
#[path = "platform/research.rs"]
mod research;
#[path = "platform/schemathesis.rs"]
mod schemathesis;
#[path = "platform/security_agent.rs"]
mod security_agent;
#[path = "platform/security_connectors.rs"]
mod security_connectors;
#[path = "platform/security_cost.rs"]
mod security_cost;
#[path = "platform/security_host.rs"]
mod security_host;
#[path = "platform/security_low.rs"]
mod security_low;
#[path = "platform/security_parsers.rs"]
mod security_parsers;
#[path = "platform/security_uploads.rs"]
mod security_uploads;
#[path = "platform/template.rs"]
mod template;
#[path = "platform/use_cases.rs"]
mod use_cases;
#[path = "platform/web.rs"]
mod web;
#[path = "platform/webhooks.rs"]
mod webhooks;
