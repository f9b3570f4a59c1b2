//! The agent capability's HTTP routes: workflows, their compiled state machine, executions,
//! approvals, cancel, retry and replay.

use crate::model::{Execution, Starter, Workflow};
use crate::service::{ExecutionView, PendingApproval};
use crate::use_cases::{InspectExecution, RunWorkflow};
use crate::{Agent, AgentError, ApprovalBody, ReplayBody, StartBody, WorkflowBody};
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::{Extension, Json};
use plasma_gateway::use_case::{parse, with_path_id};
use plasma_gateway::{Api, Permission, Principal};
use plasma_http::{ApiJson, Problem};
use serde::Serialize;
use serde_json::Value;
use utoipa::{OpenApi, ToSchema};

pub const WORKFLOWS: &str = "/agent/workflows";
pub const WORKFLOW: &str = "/agent/workflows/{id}";
pub const ASL: &str = "/agent/workflows/{id}/asl";
pub const START: &str = "/agent/workflows/{id}/executions";
pub const EXECUTIONS: &str = "/agent/executions";
pub const EXECUTION: &str = "/agent/executions/{id}";
pub const APPROVAL: &str = "/agent/executions/{id}/approvals/{step}";
pub const CANCEL: &str = "/agent/executions/{id}/cancel";
pub const RETRY: &str = "/agent/executions/{id}/retry";
pub const REPLAY: &str = "/agent/executions/{id}/replay";
pub const APPROVALS: &str = "/agent/approvals";

/// Where compiled state machines' Task states point when no agent-step function ARN is
/// configured: a `DefinitionSubstitutions` placeholder, as template.yaml fills it.
pub const STEP_FUNCTION_PLACEHOLDER: &str = "${AgentStepFunctionArn}";

pub fn routes(api: Api, agent: Agent) -> Api {
    use Permission::{AgentApprove, AgentRun};
    let a = agent;
    api.route(Method::POST, WORKFLOWS, AgentRun, save_workflow, a.clone())
        .route(Method::GET, WORKFLOWS, AgentRun, list_workflows, a.clone())
        .route(Method::GET, WORKFLOW, AgentRun, get_workflow, a.clone())
        .route(Method::GET, ASL, AgentRun, asl, a.clone())
        .route(Method::POST, START, AgentRun, start, a.clone())
        .route(
            Method::GET,
            EXECUTIONS,
            AgentRun,
            list_executions,
            a.clone(),
        )
        .route(Method::GET, EXECUTION, AgentRun, get_execution, a.clone())
        .route(Method::POST, APPROVAL, AgentApprove, decide, a.clone())
        .route(Method::POST, CANCEL, AgentRun, cancel, a.clone())
        .route(Method::POST, RETRY, AgentRun, retry, a.clone())
        .route(Method::POST, REPLAY, AgentRun, replay, a.clone())
        .route(Method::GET, APPROVALS, AgentRun, approvals, a)
}

impl From<AgentError> for Problem {
    fn from(e: AgentError) -> Self {
        match e {
            AgentError::NotFound(what) => Problem::not_found(what),
            AgentError::Invalid { field, detail } => {
                Problem::invalid(format!("{field}: {detail}")).with("field", field)
            }
            AgentError::Definition(errors) => Problem::new(
                StatusCode::BAD_REQUEST,
                "invalid_definition",
                "Invalid workflow definition",
            )
            .detail(
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            )
            .with("errors", serde_json::to_value(&errors).unwrap_or_default()),
            AgentError::Conflict(detail) => Problem::conflict(detail),
            AgentError::Forbidden(permission) => Problem::forbidden(permission.as_str()),
            AgentError::Port(e) => e.into(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Saved {
    pub id: String,
    pub version: u32,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkflowList {
    pub items: Vec<Workflow>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Started {
    pub execution_id: String,
    pub status: crate::model::Status,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExecutionList {
    pub items: Vec<Execution>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApprovalList {
    pub items: Vec<PendingApproval>,
}

#[utoipa::path(post, path = WORKFLOWS, tag = "agent", operation_id = "saveWorkflow",
    request_body = WorkflowBody,
    responses(
        (status = 201, description = "Saved as a new version", body = Saved),
        (status = 400, description = "The definition is not valid; `errors` names each step and field", body = Problem, content_type = "application/problem+json"),
    ))]
async fn save_workflow(
    State(agent): State<Agent>,
    Extension(who): Extension<Principal>,
    ApiJson(body): ApiJson<WorkflowBody>,
) -> Result<(StatusCode, Json<Saved>), Problem> {
    let saved = agent.save_workflow(&who.tenant, &who.subject, body).await?;
    Ok((
        StatusCode::CREATED,
        Json(Saved {
            id: saved.id,
            version: saved.version,
            name: saved.name,
        }),
    ))
}

#[utoipa::path(get, path = WORKFLOWS, tag = "agent", operation_id = "listWorkflows",
    responses((status = 200, description = "The tenant's workflows, latest versions", body = WorkflowList)))]
async fn list_workflows(
    State(agent): State<Agent>,
    Extension(who): Extension<Principal>,
) -> Result<Json<WorkflowList>, Problem> {
    Ok(Json(WorkflowList {
        items: agent.store.workflows(&who.tenant).await?,
    }))
}

#[utoipa::path(get, path = WORKFLOW, tag = "agent", operation_id = "getWorkflow",
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "The latest version", body = Workflow),
        (status = 404, description = "No such workflow", body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_workflow(
    State(agent): State<Agent>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Json<Workflow>, Problem> {
    Ok(Json(agent.workflow(&who.tenant, &id).await?))
}

#[utoipa::path(get, path = ASL, tag = "agent", operation_id = "getWorkflowAsl",
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "The latest version compiled to Amazon States Language", body = Object),
        (status = 404, description = "No such workflow", body = Problem, content_type = "application/problem+json"),
    ))]
async fn asl(
    State(agent): State<Agent>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Json<Value>, Problem> {
    let workflow = agent.workflow(&who.tenant, &id).await?;
    Ok(Json(plasma_workflow::compile_asl(
        &workflow.definition,
        &agent.settings.step_function_arn,
    )))
}

#[utoipa::path(post, path = START, tag = "agent", operation_id = "startExecution",
    params(("id" = String, Path)),
    request_body = StartBody,
    responses(
        (status = 201, description = "Started", body = Started),
        (status = 200, description = "Started earlier with the same idempotency key", body = Started),
        (status = 404, description = "No such workflow", body = Problem, content_type = "application/problem+json"),
    ))]
async fn start(
    State(agent): State<Agent>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Value>,
) -> Result<(StatusCode, Json<Started>), Problem> {
    let request: RunWorkflow = parse(with_path_id(body, "workflow", id)?)?;
    let (execution, created) = request
        .run(&agent, &who.tenant, &Starter::from(&who))
        .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(Started {
            execution_id: execution.id,
            status: execution.status,
        }),
    ))
}

#[utoipa::path(get, path = EXECUTIONS, tag = "agent", operation_id = "listExecutions",
    responses((status = 200, description = "The tenant's latest executions, newest first", body = ExecutionList)))]
async fn list_executions(
    State(agent): State<Agent>,
    Extension(who): Extension<Principal>,
) -> Result<Json<ExecutionList>, Problem> {
    Ok(Json(ExecutionList {
        items: agent.store.executions(&who.tenant, 100).await?,
    }))
}

#[utoipa::path(get, path = EXECUTION, tag = "agent", operation_id = "getExecution",
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "Status, output or error, and every step's checkpoint", body = ExecutionView),
        (status = 404, description = "No such execution", body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_execution(
    State(agent): State<Agent>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Json<ExecutionView>, Problem> {
    let request: InspectExecution = parse(serde_json::json!({ "execution_id": id }))?;
    Ok(Json(request.run(&agent, &who.tenant).await?))
}

#[utoipa::path(post, path = APPROVAL, tag = "agent", operation_id = "decideApproval",
    params(("id" = String, Path), ("step" = String, Path)),
    request_body = ApprovalBody,
    responses(
        (status = 200, description = "Decided; the execution goes on", body = ExecutionView),
        (status = 409, description = "No approval waits at that step", body = Problem, content_type = "application/problem+json"),
    ))]
async fn decide(
    State(agent): State<Agent>,
    Extension(who): Extension<Principal>,
    Path((id, step)): Path<(String, String)>,
    ApiJson(body): ApiJson<ApprovalBody>,
) -> Result<Json<ExecutionView>, Problem> {
    Ok(Json(
        agent
            .decide(&who.tenant, &who.subject, &id, &step, body)
            .await?,
    ))
}

#[utoipa::path(post, path = CANCEL, tag = "agent", operation_id = "cancelExecution",
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "Cancelled", body = ExecutionView),
        (status = 409, description = "It has already ended", body = Problem, content_type = "application/problem+json"),
    ))]
async fn cancel(
    State(agent): State<Agent>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Json<ExecutionView>, Problem> {
    Ok(Json(agent.cancel(&who.tenant, &id).await?))
}

#[utoipa::path(post, path = RETRY, tag = "agent", operation_id = "retryExecution",
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "Running again from the failed step, with only the permissions both the starter and the caller hold", body = ExecutionView),
        (status = 409, description = "It has not failed", body = Problem, content_type = "application/problem+json"),
    ))]
async fn retry(
    State(agent): State<Agent>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Json<ExecutionView>, Problem> {
    Ok(Json(
        agent.retry(&who.tenant, &Starter::from(&who), &id).await?,
    ))
}

#[utoipa::path(post, path = REPLAY, tag = "agent", operation_id = "replayExecution",
    params(("id" = String, Path)),
    request_body = ReplayBody,
    responses(
        (status = 201, description = "The fork: a new execution linked to this one; it waits at an approval again when the edits change what that approval saw", body = Started),
        (status = 400, description = "Not a step of this execution", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`carry_approvals`, or an edit to an approval that did not run, needs `agent:approve`", body = Problem, content_type = "application/problem+json"),
    ))]
async fn replay(
    State(agent): State<Agent>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReplayBody>,
) -> Result<(StatusCode, Json<Started>), Problem> {
    let child = agent
        .replay(&who.tenant, &Starter::from(&who), &id, body)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(Started {
            execution_id: child.id,
            status: child.status,
        }),
    ))
}

#[utoipa::path(get, path = APPROVALS, tag = "agent", operation_id = "listPendingApprovals",
    responses((status = 200, description = "Approvals waiting for a person", body = ApprovalList)))]
async fn approvals(
    State(agent): State<Agent>,
    Extension(who): Extension<Principal>,
) -> Result<Json<ApprovalList>, Problem> {
    Ok(Json(ApprovalList {
        items: agent.pending_approvals(&who.tenant).await?,
    }))
}

#[derive(OpenApi)]
#[openapi(paths(
    save_workflow,
    list_workflows,
    get_workflow,
    asl,
    start,
    list_executions,
    get_execution,
    decide,
    cancel,
    retry,
    replay,
    approvals
))]
pub struct AgentApi;
