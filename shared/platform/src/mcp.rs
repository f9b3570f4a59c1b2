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
use plasma_content::check::{CheckError, MAX_CHECK_TEXT_BYTES};
use plasma_content::drafts::{DraftError, DraftRequest};
use plasma_core::{SearchFilters, SearchMode};
use plasma_gateway::Principal;
use plasma_http::Problem;
use plasma_mcp::{Caller, ServerOptions, ToolError, ToolHost, ToolSpec};
use plasma_research::ask::AskMode;
use plasma_research::limits;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::sync::Arc;
use tower::ServiceExt;

pub const PATH: &str = plasma_mcp::PATH;

/// The MCP router for this platform: sessions in memory on the local runner; stateless
/// behind API Gateway, where requests may reach different instances and responses are
/// buffered. `Host` is checked in front of every route, `/mcp` included: by the runner's
/// host guard locally (one list for all routes, operator-allowed names too), by API
/// Gateway's routing deployed; so rmcp's own check is off.
pub fn router(platform: &Platform) -> axum::Router {
    let options = ServerOptions {
        stateless: platform.ports.embedded.is_none(),
        allowed_hosts: Vec::new(),
    };
    let tools = Tools {
        brand: platform.brand.clone(),
        research: platform.research.clone(),
        content: platform.content.clone(),
        agent: Some(platform.agent.clone()),
    };
    plasma_mcp::router(Arc::new(tools), options)
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
        (status = 400, description = "Not an MCP message, or a request without its session",
         content((Problem = "application/problem+json"), (Object = "application/json"))),
        (status = 404, description = "The session ended or never existed, or no such JSON-RPC method",
         content((Problem = "application/problem+json"), (Object = "application/json"))),
        (status = 406, description = "`Accept` must name both application/json and text/event-stream",
         body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body must be application/json", body = Problem,
         content_type = "application/problem+json"),
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
    responses(
        (status = 200, description = "The session is closed"),
        (status = 400, description = "No `Mcp-Session-Id` given", body = Problem,
         content_type = "application/problem+json"),
        (status = 404, description = "The session ended or never existed", body = Problem,
         content_type = "application/problem+json"),
    )
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

/// The platform's capabilities as tools: served over MCP, and (all but the workflow tools)
/// called by workflow steps.
/// The capabilities the tools call.
pub struct Tools {
    pub brand: plasma_brand::scan::Brand,
    pub research: plasma_research::Research,
    pub content: plasma_content::Content,
    /// Serves `workflows.*`; `None` in the agent's own toolbox, which doesn't offer them
    /// (a workflow step can't start or inspect workflows).
    pub agent: Option<plasma_agent::Agent>,
}

impl Tools {
    fn offers(&self, name: &str) -> bool {
        self.agent.is_some() || !MCP_ONLY.contains(&name)
    }

    fn agent(&self, name: &str) -> Result<&plasma_agent::Agent, ToolError> {
        self.agent
            .as_ref()
            .ok_or_else(|| ToolError::UnknownTool(name.into()))
    }
}

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

pub(crate) fn catalogue() -> Vec<ToolSpec> {
    vec![
        spec(
            "research.search",
            "Search the knowledge base",
            "Hybrid (BM25 + vector) search over the tenant's documents; returns chunks with titles and scores.",
            "research:read",
            json!({"type": "object", "properties": {
                "query": {"type": "string", "minLength": 1, "maxLength": limits::MAX_QUERY_CHARS},
                "mode": {"type": "string", "enum": ["bm25", "vector", "hybrid"], "default": "hybrid"},
                "top_k": {"type": "integer", "minimum": limits::TOP_K.start(), "maximum": limits::TOP_K.end(), "default": limits::DEFAULT_TOP_K}
            }, "required": ["query"], "additionalProperties": false}),
        ),
        spec(
            "research.ask",
            "Ask the knowledge base",
            "An answer with numbered citations to the tenant's documents; mode naive, local (GraphRAG) or global.",
            "research:read",
            json!({"type": "object", "properties": {
                "question": {"type": "string", "minLength": 1, "maxLength": limits::MAX_QUESTION_CHARS},
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
                "text": {"type": "string", "minLength": 1, "description": format!("At most {MAX_CHECK_TEXT_BYTES} bytes")},
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
        spec(
            "brand.scan",
            "Scan a monitor now",
            "Queues a scan of every source of a brand monitor; mentions arrive as the scan runs.",
            "brand:write",
            json!({"type": "object", "properties": {
                "monitor_id": {"type": "string"}
            }, "required": ["monitor_id"], "additionalProperties": false}),
        ),
        spec(
            "content.schedule",
            "Schedule an approved content item",
            "Schedules an approved item for publishing at a time, on its channel's destination or another.",
            "content:publish",
            json!({"type": "object", "properties": {
                "item_id": {"type": "string"},
                "at": {"type": "string", "format": "date-time"},
                "destination": {"type": "string"},
                "timezone": {"type": "string"}
            }, "required": ["item_id", "at"], "additionalProperties": false}),
        ),
        spec(
            "workflows.list",
            "List agent workflows",
            "The tenant's saved workflows (latest versions) and recent executions.",
            "agent:run",
            json!({"type": "object", "properties": {}, "additionalProperties": false}),
        ),
        spec(
            "workflows.run",
            "Run an agent workflow",
            "Starts the latest version of a saved workflow (by id or name) with an input; returns the execution id.",
            "agent:run",
            json!({"type": "object", "properties": {
                "workflow": {"type": "string", "description": "The workflow's id or name"},
                "input": {"type": "object"},
                "idempotency_key": {"type": "string"}
            }, "required": ["workflow"], "additionalProperties": false}),
        ),
        spec(
            "workflows.inspect",
            "Inspect an agent execution",
            "An execution's status, output or error, and its step-by-step history.",
            "agent:run",
            json!({"type": "object", "properties": {
                "execution_id": {"type": "string"}
            }, "required": ["execution_id"], "additionalProperties": false}),
        ),
    ]
}

/// Tools only the MCP server offers: a workflow step can't start or inspect workflows.
pub(crate) const MCP_ONLY: [&str; 3] = ["workflows.list", "workflows.run", "workflows.inspect"];

fn args<T: DeserializeOwned>(arguments: Value) -> Result<T, ToolError> {
    serde_json::from_value(arguments).map_err(|e| ToolError::Invalid(e.to_string()))
}

/// A request the REST route would answer 400, as the tool's invalid-arguments error.
fn refused(problem: Problem) -> ToolError {
    let detail = problem.detail.unwrap_or_default();
    match problem.extra.get("field").and_then(Value::as_str) {
        Some(field) => ToolError::Invalid(format!("{field}: {detail}")),
        None => ToolError::Invalid(detail),
    }
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScanArgs {
    monitor_id: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScheduleArgs {
    item_id: String,
    at: chrono::DateTime<chrono::Utc>,
    #[serde(default)]
    destination: Option<String>,
    #[serde(default)]
    timezone: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RunArgs {
    workflow: String,
    #[serde(default)]
    input: Value,
    #[serde(default)]
    idempotency_key: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InspectArgs {
    execution_id: String,
}

fn agent_error(e: plasma_agent::AgentError) -> ToolError {
    match e {
        plasma_agent::AgentError::NotFound(what) => ToolError::NotFound(what.into()),
        plasma_agent::AgentError::Invalid { .. } | plasma_agent::AgentError::Definition(_) => {
            ToolError::Invalid(e.to_string())
        }
        other => failed(other),
    }
}

#[async_trait]
impl ToolHost for Tools {
    fn tools(&self, caller: &Caller) -> Vec<ToolSpec> {
        catalogue()
            .into_iter()
            .filter(|t| self.offers(&t.name) && caller.may(t.permission))
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
            .find(|t| t.name == name && self.offers(name))
            .ok_or_else(|| ToolError::UnknownTool(name.into()))?;
        if !caller.may(tool.permission) {
            return Err(ToolError::Forbidden(tool.permission.into()));
        }
        let p = self;
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
                limits::query("query", &a.query).map_err(refused)?;
                let top_k = limits::top_k("top_k", a.top_k).map_err(refused)?;
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
                limits::question("question", &a.question).map_err(refused)?;
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
                        CheckError::InvalidText(why) => ToolError::Invalid(format!("text: {why}")),
                        CheckError::NoSuchProfile => ToolError::NotFound("the profile".into()),
                        CheckError::Port(e) => failed(e),
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
            "brand.scan" => {
                let a: ScanArgs = args(arguments)?;
                let monitor = p
                    .brand
                    .monitors()
                    .get(tenant, &a.monitor_id)
                    .await
                    .map_err(failed)?
                    .ok_or_else(|| ToolError::NotFound(format!("monitor {}", a.monitor_id)))?;
                let scan_id = plasma_brand::scan::enqueue(&p.brand, tenant, &monitor)
                    .await
                    .map_err(failed)?;
                Ok(json!({"scan_id": scan_id, "jobs": monitor.sources.len()}))
            }
            "content.schedule" => {
                let a: ScheduleArgs = args(arguments)?;
                let item = p
                    .content
                    .item(tenant, &a.item_id)
                    .await
                    .map_err(failed)?
                    .ok_or_else(|| ToolError::NotFound(format!("content item {}", a.item_id)))?;
                let item = p
                    .content
                    .schedule(
                        tenant,
                        &caller.subject,
                        item,
                        a.at,
                        a.timezone,
                        a.destination,
                    )
                    .await
                    .map_err(|e| match e {
                        plasma_content::publish::ScheduleError::Port(e) => failed(e),
                        other => ToolError::Invalid(other.to_string()),
                    })?;
                Ok(json!({"item_id": item.id, "status": item.status, "scheduled_at": a.at}))
            }
            "workflows.list" => {
                let workflows = p
                    .agent(name)?
                    .store
                    .workflows(tenant)
                    .await
                    .map_err(failed)?;
                let executions = p
                    .agent(name)?
                    .store
                    .executions(tenant, 20)
                    .await
                    .map_err(failed)?;
                Ok(json!({
                    "workflows": workflows.iter().map(|w| json!({"id": w.id, "name": w.name, "version": w.version})).collect::<Vec<_>>(),
                    "executions": executions.iter().map(|e| json!({"id": e.id, "workflow": e.workflow_name, "status": e.status, "created_at": e.created_at})).collect::<Vec<_>>(),
                }))
            }
            "workflows.run" => {
                let a: RunArgs = args(arguments)?;
                let id = match p
                    .agent(name)?
                    .store
                    .workflow_named(tenant, &a.workflow)
                    .await
                    .map_err(failed)?
                {
                    Some(id) => id,
                    None => a.workflow.clone(),
                };
                let starter = plasma_agent::model::Starter {
                    subject: caller.subject.clone(),
                    permissions: caller.permissions.clone(),
                };
                let body = plasma_agent::StartBody {
                    input: a.input,
                    idempotency_key: a.idempotency_key,
                };
                let (execution, created) = p
                    .agent(name)?
                    .start(tenant, &starter, &id, body)
                    .await
                    .map_err(agent_error)?;
                Ok(
                    json!({"execution_id": execution.id, "status": execution.status, "created": created}),
                )
            }
            "workflows.inspect" => {
                let a: InspectArgs = args(arguments)?;
                let view = p
                    .agent(name)?
                    .execution(tenant, &a.execution_id)
                    .await
                    .map_err(agent_error)?;
                serde_json::to_value(view).map_err(failed)
            }
            _ => Err(ToolError::UnknownTool(name.into())),
        }
    }
}
