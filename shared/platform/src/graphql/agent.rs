//! Agent fields: workflows and executions as the REST routes give them, behind the same
//! permissions (`agent:run`; `agent:approve` for decisions).

use super::request;
use crate::Platform;
use async_graphql::{Context, Enum, Json, Object};
use axum::http::Method;
use plasma_agent::model::{Execution, Starter, Workflow};
use plasma_agent::routes::{
    APPROVAL, CANCEL, EXECUTION, EXECUTIONS, REPLAY, RETRY, START, WORKFLOWS,
};
use plasma_agent::use_cases::{InspectExecution, RunWorkflow};
use plasma_agent::{ApprovalBody, ExecutionView, ReplayBody, WorkflowBody};
use plasma_gateway::Permission;
use plasma_gateway::graphql::{authorize, error};
use plasma_workflow::Decision;
use serde_json::{Value, json};

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ApprovalDecision {
    Approved,
    Rejected,
    Answered,
}

#[derive(Default)]
pub struct AgentQuery;

#[Object]
impl AgentQuery {
    /// The tenant's workflows (latest versions), as `GET /agent/workflows`.
    async fn agent_workflows(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Json<Vec<Workflow>>> {
        let caller =
            authorize(ctx, Permission::AgentRun, Method::GET, WORKFLOWS, WORKFLOWS).await?;
        let platform = ctx.data::<Platform>()?;
        let workflows = platform
            .agent
            .store
            .workflows(&caller.principal.tenant)
            .await;
        workflows.map(Json).map_err(|e| error(e.into()))
    }

    /// Recent executions, newest first, as `GET /agent/executions`.
    async fn agent_executions(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Json<Vec<Execution>>> {
        let caller = authorize(
            ctx,
            Permission::AgentRun,
            Method::GET,
            EXECUTIONS,
            EXECUTIONS,
        )
        .await?;
        let platform = ctx.data::<Platform>()?;
        let executions = platform
            .agent
            .store
            .executions(&caller.principal.tenant, 100)
            .await;
        executions.map(Json).map_err(|e| error(e.into()))
    }

    /// One execution with its step history, as `GET /agent/executions/{id}`.
    async fn agent_execution(
        &self,
        ctx: &Context<'_>,
        id: String,
    ) -> async_graphql::Result<Json<ExecutionView>> {
        let caller = authorize(
            ctx,
            Permission::AgentRun,
            Method::GET,
            EXECUTION,
            &format!("/agent/executions/{id}"),
        )
        .await?;
        let inspect: InspectExecution = request(json!({ "execution_id": id }))?;
        let platform = ctx.data::<Platform>()?;
        let view = inspect.run(&platform.agent, &caller.principal.tenant).await;
        view.map(Json).map_err(|e| error(e.into()))
    }
}

#[derive(Default)]
pub struct AgentMutation;

#[Object]
impl AgentMutation {
    /// Save a definition (a JSON object, or JSON or YAML text) as the next version of the
    /// workflow `name`; returns `{id, version, name}`.
    async fn save_agent_workflow(
        &self,
        ctx: &Context<'_>,
        name: String,
        definition: Json<Value>,
    ) -> async_graphql::Result<Json<Value>> {
        let caller = authorize(
            ctx,
            Permission::AgentRun,
            Method::POST,
            WORKFLOWS,
            WORKFLOWS,
        )
        .await?;
        let platform = ctx.data::<Platform>()?;
        let body = WorkflowBody {
            name,
            definition: definition.0,
        };
        let saved = platform
            .agent
            .save_workflow(&caller.principal.tenant, &caller.principal.subject, body)
            .await
            .map_err(|e| error(e.into()))?;
        Ok(Json(
            serde_json::json!({"id": saved.id, "version": saved.version, "name": saved.name}),
        ))
    }

    /// Start the workflow's latest version; returns the execution.
    async fn start_agent_execution(
        &self,
        ctx: &Context<'_>,
        workflow_id: String,
        input: Option<Json<Value>>,
        idempotency_key: Option<String>,
    ) -> async_graphql::Result<Json<Execution>> {
        let path = format!("/agent/workflows/{workflow_id}/executions");
        let caller = authorize(ctx, Permission::AgentRun, Method::POST, START, &path).await?;
        let run: RunWorkflow = request(json!({
            "workflow": workflow_id,
            "input": input.map(|j| j.0).unwrap_or(Value::Null),
            "idempotency_key": idempotency_key,
        }))?;
        let platform = ctx.data::<Platform>()?;
        let started = run
            .run(
                &platform.agent,
                &caller.principal.tenant,
                &Starter::from(&caller.principal),
            )
            .await;
        started.map(|(e, _)| Json(e)).map_err(|e| error(e.into()))
    }

    /// Approve, reject or answer a waiting approval. Needs `agent:approve`.
    async fn decide_agent_approval(
        &self,
        ctx: &Context<'_>,
        execution_id: String,
        step: String,
        decision: ApprovalDecision,
        value: Option<Json<Value>>,
    ) -> async_graphql::Result<Json<ExecutionView>> {
        let path = format!("/agent/executions/{execution_id}/approvals/{step}");
        let caller =
            authorize(ctx, Permission::AgentApprove, Method::POST, APPROVAL, &path).await?;
        let platform = ctx.data::<Platform>()?;
        let decision = match decision {
            ApprovalDecision::Approved => Decision::Approved,
            ApprovalDecision::Rejected => Decision::Rejected,
            ApprovalDecision::Answered => Decision::Answered,
        };
        let body = ApprovalBody {
            decision,
            value: value.map(|j| j.0),
        };
        let view = platform
            .agent
            .decide(
                &caller.principal.tenant,
                &caller.principal.subject,
                &execution_id,
                &step,
                body,
            )
            .await;
        view.map(Json).map_err(|e| error(e.into()))
    }

    async fn cancel_agent_execution(
        &self,
        ctx: &Context<'_>,
        id: String,
    ) -> async_graphql::Result<Json<ExecutionView>> {
        let caller = authorize(
            ctx,
            Permission::AgentRun,
            Method::POST,
            CANCEL,
            &format!("/agent/executions/{id}/cancel"),
        )
        .await?;
        let platform = ctx.data::<Platform>()?;
        let view = platform.agent.cancel(&caller.principal.tenant, &id).await;
        view.map(Json).map_err(|e| error(e.into()))
    }

    /// Run a failed execution again from its failed step, with only the permissions both
    /// its starter and the caller hold.
    async fn retry_agent_execution(
        &self,
        ctx: &Context<'_>,
        id: String,
    ) -> async_graphql::Result<Json<ExecutionView>> {
        let caller = authorize(
            ctx,
            Permission::AgentRun,
            Method::POST,
            RETRY,
            &format!("/agent/executions/{id}/retry"),
        )
        .await?;
        let platform = ctx.data::<Platform>()?;
        let view = platform
            .agent
            .retry(
                &caller.principal.tenant,
                &Starter::from(&caller.principal),
                &id,
            )
            .await;
        view.map(Json).map_err(|e| error(e.into()))
    }

    /// Fork an execution at a top-level step with edited state; returns the new execution.
    /// An approval whose view the edits change is asked again, unless an `agent:approve`
    /// holder sets `carryApprovals`.
    async fn replay_agent_execution(
        &self,
        ctx: &Context<'_>,
        id: String,
        from_step: String,
        state: Option<Json<Value>>,
        carry_approvals: Option<bool>,
    ) -> async_graphql::Result<Json<Execution>> {
        let caller = authorize(
            ctx,
            Permission::AgentRun,
            Method::POST,
            REPLAY,
            &format!("/agent/executions/{id}/replay"),
        )
        .await?;
        let platform = ctx.data::<Platform>()?;
        let body = ReplayBody {
            from_step,
            state: state.map(|j| j.0).unwrap_or(Value::Null),
            carry_approvals: carry_approvals.unwrap_or(false),
        };
        let child = platform
            .agent
            .replay(
                &caller.principal.tenant,
                &Starter::from(&caller.principal),
                &id,
                body,
            )
            .await;
        child.map(Json).map_err(|e| error(e.into()))
    }
}
