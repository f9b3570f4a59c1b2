//! The platform's tools over MCP (`/mcp`): research search and answers, brand mentions,
//! content drafts and checks, each behind the permission its REST route needs, under the
//! caller's tenant. The gateway authenticates the request exactly as for REST; the MCP
//! router then reads the [`Caller`] made from the principal.

use crate::Platform;
use async_trait::async_trait;
use axum::Extension;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use plasma_brand::mentions::InboxFilter;
use plasma_content::drafts::{DraftError, DraftRequest};
use plasma_core::{SearchFilters, SearchMode};
use plasma_gateway::Principal;
use plasma_mcp::{Caller, ServerOptions, ToolError, ToolHost, ToolSpec};
use plasma_research::ask::AskMode;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::sync::Arc;
use tower::ServiceExt;

pub const PATH: &str = plasma_mcp::PATH;

/// The MCP router for this platform: sessions in memory on the local runner; stateless
/// behind API Gateway, where requests may reach different instances and responses are
/// buffered (and the gateway fixes the host, so any `Host` is accepted).
pub fn router(platform: &Platform) -> axum::Router {
    let options = if platform.embedded.is_some() {
        ServerOptions::default()
    } else {
        ServerOptions {
            stateless: true,
            allowed_hosts: Vec::new(),
        }
    };
    plasma_mcp::router(Arc::new(Tools(platform.clone())), options)
}

/// MCP Streamable HTTP: a JSON-RPC message from the client.
#[utoipa::path(
    post,
    path = "/mcp",
    tag = "mcp",
    operation_id = "mcpMessage",
    responses(
        (status = 200, description = "The JSON-RPC response, as JSON or an event stream (MCP Streamable HTTP)"),
        (status = 202, description = "A notification or response was accepted"),
    )
)]
pub async fn post(
    State(mcp): State<axum::Router>,
    Extension(principal): Extension<Principal>,
    request: Request,
) -> Response {
    forward(mcp, &principal, request).await
}

/// MCP Streamable HTTP: ends the caller's session.
#[utoipa::path(
    delete,
    path = "/mcp",
    tag = "mcp",
    operation_id = "mcpEndSession",
    responses((status = 200, description = "The session is closed"))
)]
pub async fn delete(
    State(mcp): State<axum::Router>,
    Extension(principal): Extension<Principal>,
    request: Request,
) -> Response {
    forward(mcp, &principal, request).await
}

async fn forward(mcp: axum::Router, principal: &Principal, mut request: Request) -> Response {
    request.extensions_mut().insert(Caller::from(principal));
    match mcp.oneshot(request).await {
        Ok(response) => response.into_response(),
        Err(never) => match never {},
    }
}

struct Tools(Platform);

fn spec(
    name: &str,
    title: &str,
    description: &str,
    permission: &'static str,
    schema: Value,
) -> ToolSpec {
    ToolSpec {
        name: name.into(),
        title: title.into(),
        description: description.into(),
        input_schema: schema,
        permission,
    }
}

fn catalogue() -> Vec<ToolSpec> {
    vec![
        spec(
            "research.search",
            "Search the knowledge base",
            "Hybrid (BM25 + vector) search over the tenant's documents; returns chunks with titles and scores.",
            "research:read",
            json!({"type": "object", "properties": {
                "query": {"type": "string", "minLength": 1},
                "mode": {"type": "string", "enum": ["bm25", "vector", "hybrid"], "default": "hybrid"},
                "top_k": {"type": "integer", "minimum": 1, "maximum": 50, "default": 5}
            }, "required": ["query"], "additionalProperties": false}),
        ),
        spec(
            "research.ask",
            "Ask the knowledge base",
            "An answer with numbered citations to the tenant's documents; mode naive, local (GraphRAG) or global.",
            "research:read",
            json!({"type": "object", "properties": {
                "question": {"type": "string", "minLength": 1},
                "mode": {"type": "string", "enum": ["naive", "local", "global"], "default": "naive"}
            }, "required": ["question"], "additionalProperties": false}),
        ),
        spec(
            "brand.mentions",
            "Recent brand mentions",
            "The newest mentions of a monitor, with sentiment.",
            "brand:read",
            json!({"type": "object", "properties": {
                "monitor_id": {"type": "string"},
                "limit": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}
            }, "required": ["monitor_id"], "additionalProperties": false}),
        ),
        spec(
            "content.check",
            "Check content for compliance",
            "Scores a text for a channel (0-100) against the brand voice, with itemised findings.",
            "content:read",
            json!({"type": "object", "properties": {
                "text": {"type": "string", "minLength": 1},
                "channel": {"type": "string", "enum": ["blog", "linkedin", "x", "newsletter", "press_release", "mastodon", "medium", "wordpress", "webhook"]},
                "profile_id": {"type": "string"}
            }, "required": ["text", "channel"], "additionalProperties": false}),
        ),
        spec(
            "content.generate",
            "Draft content from a brief",
            "Drafts one item per channel in the brand's voice, optionally grounded in research; the drafts are saved for review.",
            "content:write",
            json!({"type": "object", "properties": {
                "topic": {"type": "string", "minLength": 1},
                "channels": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                "audience": {"type": "string"},
                "goal": {"type": "string"},
                "keywords": {"type": "array", "items": {"type": "string"}},
                "profile_id": {"type": "string"},
                "ground": {"type": "boolean", "default": false}
            }, "required": ["topic", "channels"], "additionalProperties": false}),
        ),
    ]
}

fn args<T: DeserializeOwned>(arguments: Value) -> Result<T, ToolError> {
    serde_json::from_value(arguments).map_err(|e| ToolError::Invalid(e.to_string()))
}

fn failed(e: impl std::fmt::Display) -> ToolError {
    ToolError::Failed(e.to_string())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SearchArgs {
    query: String,
    #[serde(default)]
    mode: Option<String>,
    #[serde(default)]
    top_k: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AskArgs {
    question: String,
    #[serde(default)]
    mode: AskMode,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MentionArgs {
    monitor_id: String,
    #[serde(default)]
    limit: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckArgs {
    text: String,
    channel: plasma_compliance::Channel,
    #[serde(default)]
    profile_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GenerateArgs {
    #[serde(flatten)]
    brief: plasma_composer::Brief,
    #[serde(default)]
    profile_id: Option<String>,
    #[serde(default)]
    ground: bool,
}

#[async_trait]
impl ToolHost for Tools {
    fn tools(&self, caller: &Caller) -> Vec<ToolSpec> {
        catalogue()
            .into_iter()
            .filter(|t| caller.may(t.permission))
            .collect()
    }

    async fn call(
        &self,
        caller: &Caller,
        name: &str,
        arguments: Value,
    ) -> Result<Value, ToolError> {
        let tool = catalogue()
            .into_iter()
            .find(|t| t.name == name)
            .ok_or_else(|| ToolError::UnknownTool(name.into()))?;
        if !caller.may(tool.permission) {
            return Err(ToolError::Forbidden(tool.permission.into()));
        }
        let p = &self.0;
        let tenant = caller.tenant.as_str();
        match name {
            "research.search" => {
                let a: SearchArgs = args(arguments)?;
                let mode = match a.mode.as_deref().unwrap_or("hybrid") {
                    "bm25" => SearchMode::Bm25,
                    "vector" => SearchMode::Vector,
                    "hybrid" => SearchMode::Hybrid,
                    other => return Err(ToolError::Invalid(format!("unknown mode {other:?}"))),
                };
                let top_k = a.top_k.unwrap_or(5);
                if a.query.trim().is_empty() || !(1..=50).contains(&top_k) {
                    return Err(ToolError::Invalid(
                        "query must not be empty and top_k is 1 to 50".into(),
                    ));
                }
                let results = plasma_research::search::search(
                    &p.research,
                    tenant,
                    &a.query,
                    mode,
                    top_k,
                    SearchFilters::default(),
                    None,
                )
                .await
                .map_err(failed)?;
                Ok(json!({ "results": results }))
            }
            "research.ask" => {
                let a: AskArgs = args(arguments)?;
                if a.question.trim().is_empty() {
                    return Err(ToolError::Invalid("question must not be empty".into()));
                }
                let answer =
                    plasma_research::ask::ask(&p.research, tenant, &a.question, a.mode, false)
                        .await
                        .map_err(failed)?;
                serde_json::to_value(answer).map_err(failed)
            }
            "brand.mentions" => {
                let a: MentionArgs = args(arguments)?;
                if p.brand
                    .monitors()
                    .get(tenant, &a.monitor_id)
                    .await
                    .map_err(failed)?
                    .is_none()
                {
                    return Err(ToolError::NotFound(format!("monitor {}", a.monitor_id)));
                }
                let filter = InboxFilter {
                    monitor_id: Some(a.monitor_id),
                    ..InboxFilter::default()
                };
                let page = p
                    .brand
                    .mentions()
                    .inbox(tenant, &filter, a.limit.unwrap_or(20).clamp(1, 100), None)
                    .await
                    .map_err(failed)?;
                let mentions: Vec<Value> = page
                    .mentions
                    .iter()
                    .map(|m| {
                        json!({
                            "url": m.mention.url,
                            "author": m.mention.author,
                            "published_at": m.mention.published_at,
                            "text": m.mention.text,
                            "sentiment": m.sentiment,
                        })
                    })
                    .collect();
                Ok(json!({ "mentions": mentions }))
            }
            "content.check" => {
                let a: CheckArgs = args(arguments)?;
                let report = p
                    .content
                    .check_text(tenant, &a.text, a.channel, a.profile_id.as_deref(), 0)
                    .await
                    .map_err(|e| match e {
                        plasma_content::check::CheckError::NoSuchProfile => {
                            ToolError::NotFound("the profile".into())
                        }
                        plasma_content::check::CheckError::Port(e) => failed(e),
                    })?;
                serde_json::to_value(report).map_err(failed)
            }
            "content.generate" => {
                let a: GenerateArgs = args(arguments)?;
                let request = DraftRequest {
                    brief: a.brief,
                    profile_id: a.profile_id,
                    ground: a.ground,
                    campaign_id: None,
                    owner: None,
                };
                let items = p
                    .content
                    .draft(tenant, &caller.subject, request)
                    .await
                    .map_err(|e| match e {
                        DraftError::Invalid { field, message } => {
                            ToolError::Invalid(format!("{field}: {message}"))
                        }
                        DraftError::NoSuchProfile => ToolError::NotFound("the profile".into()),
                        other => failed(other),
                    })?;
                Ok(json!({ "items": items }))
            }
            _ => Err(ToolError::UnknownTool(name.into())),
        }
    }
}
