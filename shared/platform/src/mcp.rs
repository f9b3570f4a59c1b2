//! The platform's tools over MCP (`/mcp`): research search and answers, brand mentions,
//! content drafts and checks, each behind the permission its REST route needs, under the
//! caller's tenant. The gateway authenticates the request exactly as for REST; the MCP
//! router then reads the [`Caller`] made from the principal.

use crate::Platform;
use async_trait::async_trait;
use axum::Extension;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use plasma_agent::model::Starter;
use plasma_agent::use_cases::{InspectExecution, ListWorkflows, RunWorkflow};
use plasma_brand::routes::{MentionsRequest, ScanRequest};
use plasma_content::routes::{CheckRequest, DraftBody, ScheduleRequest};
use plasma_gateway::Principal;
use plasma_gateway::use_case::{Declaration, UseCase, declaration, parse};
use plasma_http::Problem;
use plasma_mcp::{Caller, ServerOptions, ToolError, ToolHost, ToolSpec};
use plasma_research::routes::{AskRequest, SearchBody};
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

/// Every use case served as a tool, from its declaration: the request type's schema (with
/// its limits and defaults), its permission and its problem codes.
pub(crate) fn declarations() -> Vec<Declaration> {
    vec![
        declaration::<SearchBody>(),
        declaration::<AskRequest>(),
        declaration::<MentionsRequest>(),
        declaration::<CheckRequest>(),
        declaration::<DraftBody>(),
        declaration::<ScanRequest>(),
        declaration::<ScheduleRequest>(),
        declaration::<ListWorkflows>(),
        declaration::<RunWorkflow>(),
        declaration::<InspectExecution>(),
    ]
}

pub(crate) fn catalogue() -> Vec<ToolSpec> {
    declarations()
        .into_iter()
        .map(|d| ToolSpec {
            name: d.name.into(),
            title: d.title.into(),
            description: d.description.into(),
            input_schema: d.input_schema,
            permission: d.permission,
            errors: d.errors,
        })
        .collect()
}

/// Tools only the MCP server offers: a workflow step can't start or inspect workflows.
pub(crate) const MCP_ONLY: [&str; 3] = [
    ListWorkflows::NAME,
    RunWorkflow::NAME,
    InspectExecution::NAME,
];

/// A refusal as the tool's error, with the problem's code: the same code the REST route
/// and the GraphQL field answer.
fn refused(problem: Problem) -> ToolError {
    let detail = problem.detail.unwrap_or_else(|| problem.title.into());
    let message = match problem.extra.get("field").and_then(Value::as_str) {
        Some(field) if !detail.starts_with(field) => format!("{field}: {detail}"),
        _ => detail,
    };
    match problem.status {
        403 => ToolError::Forbidden(
            problem
                .extra
                .get("permission")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .into(),
        ),
        404 => ToolError::NotFound(message),
        400..=499 => ToolError::Refused {
            code: problem.code,
            message,
        },
        _ => ToolError::Failed(message),
    }
}

fn request<U: UseCase>(arguments: Value) -> Result<U, ToolError> {
    parse(arguments).map_err(refused)
}

fn output(value: impl serde::Serialize) -> Result<Value, ToolError> {
    serde_json::to_value(value).map_err(|e| ToolError::Failed(e.to_string()))
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
        let tool = declarations()
            .into_iter()
            .find(|t| t.name == name && self.offers(name))
            .ok_or_else(|| ToolError::UnknownTool(name.into()))?;
        if !caller.may(tool.permission) {
            return Err(ToolError::Forbidden(tool.permission.to_string()));
        }
        let p = self;
        let tenant = caller.tenant.as_str();
        match name {
            SearchBody::NAME => {
                let results = request::<SearchBody>(arguments)?
                    .run(&p.research, tenant)
                    .await
                    .map_err(refused)?;
                Ok(json!({ "results": results }))
            }
            AskRequest::NAME => {
                let answer = request::<AskRequest>(arguments)?
                    .run(&p.research, tenant)
                    .await
                    .map_err(refused)?;
                output(answer)
            }
            MentionsRequest::NAME => {
                let page = request::<MentionsRequest>(arguments)?
                    .run(&p.brand, tenant, Default::default(), None)
                    .await
                    .map_err(refused)?;
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
            CheckRequest::NAME => {
                let report = request::<CheckRequest>(arguments)?
                    .run(&p.content, tenant)
                    .await
                    .map_err(refused)?;
                output(report)
            }
            DraftBody::NAME => {
                let items = request::<DraftBody>(arguments)?
                    .run(&p.content, tenant, &caller.subject)
                    .await
                    .map_err(refused)?;
                Ok(json!({ "items": items }))
            }
            ScanRequest::NAME => {
                let started = request::<ScanRequest>(arguments)?
                    .run(&p.brand, tenant)
                    .await
                    .map_err(refused)?;
                output(started)
            }
            ScheduleRequest::NAME => {
                let item = request::<ScheduleRequest>(arguments)?
                    .run(&p.content, tenant, &caller.subject)
                    .await
                    .map_err(refused)?;
                Ok(
                    json!({"item_id": item.id, "status": item.status, "scheduled_at": item.scheduled_at}),
                )
            }
            ListWorkflows::NAME => {
                let (workflows, executions) = request::<ListWorkflows>(arguments)?
                    .run(p.agent(name)?, tenant)
                    .await
                    .map_err(|e| refused(e.into()))?;
                Ok(json!({
                    "workflows": workflows.iter().map(|w| json!({"id": w.id, "name": w.name, "version": w.version})).collect::<Vec<_>>(),
                    "executions": executions.iter().map(|e| json!({"id": e.id, "workflow": e.workflow_name, "status": e.status, "created_at": e.created_at})).collect::<Vec<_>>(),
                }))
            }
            RunWorkflow::NAME => {
                let starter = Starter {
                    subject: caller.subject.clone(),
                    permissions: caller.permissions.clone(),
                };
                let (execution, created) = request::<RunWorkflow>(arguments)?
                    .run(p.agent(name)?, tenant, &starter)
                    .await
                    .map_err(|e| refused(e.into()))?;
                Ok(
                    json!({"execution_id": execution.id, "status": execution.status, "created": created}),
                )
            }
            InspectExecution::NAME => {
                let view = request::<InspectExecution>(arguments)?
                    .run(p.agent(name)?, tenant)
                    .await
                    .map_err(|e| refused(e.into()))?;
                output(view)
            }
            _ => Err(ToolError::UnknownTool(name.into())),
        }
    }
}
