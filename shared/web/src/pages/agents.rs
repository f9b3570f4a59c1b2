//! Agents: workflows and their editor (validation errors name the step and field), runs,
//! each execution's step timeline, approvals waiting for a person, and replay from a step.

use super::{Call, act, badge, items, pretty, refusal, s, seg, when};
use crate::Web;
use crate::api::Reply;
use crate::layout::{self, Flash, Page, csrf_input};
use crate::session::{Fields, Session, field};
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::Method;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use maud::html;
use serde::Deserialize;
use serde_json::{Value, json};

pub(crate) fn routes() -> Router<Web> {
    Router::new()
        .route("/app/agents", get(page).post(save))
        .route("/app/agents/workflows/{id}", get(workflow))
        .route("/app/agents/workflows/{id}/run", post(run))
        .route("/app/agents/executions/{id}", get(execution))
        .route("/app/agents/executions/{id}/decide", post(decide))
        .route("/app/agents/executions/{id}/replay", post(replay))
        .route("/app/agents/executions/{id}/cancel", post(cancel))
        .route("/app/agents/executions/{id}/retry", post(retry))
}

const EXAMPLE: &str = "steps:\n  - id: find\n    type: tool\n    tool: research.search\n    input: {query: $.input.topic}\n  - id: review\n    type: approval\n    prompt: Share these findings?\n    input: {hits: $.steps.find.output}\n";

#[derive(Deserialize)]
pub(crate) struct EditorQuery {
    #[serde(flatten)]
    flash: Flash,
}

pub(crate) async fn page(
    State(web): State<Web>,
    session: Session,
    Query(q): Query<EditorQuery>,
) -> Html<String> {
    let workflows = web.get("/agent/workflows", &session.token).await;
    let runs = web.get("/agent/executions", &session.token).await;
    let pending = web.get("/agent/approvals", &session.token).await;
    let body = html! {
        (q.flash.render())
        section.card {
            h2 { "Waiting for approval" }
            @if items(&pending.body).is_empty() { p.muted { "Nothing waits for a person." } }
            @else { ul #pending { @for p in items(&pending.body) {
                li {
                    a href={ "/app/agents/executions/" (seg(s(&p["execution_id"]))) } { (s(&p["workflow_name"])) ": " (s(&p["prompt"])) }
                    " " span.muted { (when(&p["requested_at"])) }
                }
            } } }
        }
        section.card {
            h2 { "Workflows" }
            @if items(&workflows.body).is_empty() { p.muted { "No workflows yet." } }
            @else { ul { @for w in items(&workflows.body) {
                li { a href={ "/app/agents/workflows/" (seg(s(&w["id"]))) } { (s(&w["name"])) } " " span.muted { "v" (w["version"]) } }
            } } }
        }
        section.card {
            h2 { "New workflow or new version" }
            form method="post" action="/app/agents" {
                (csrf_input(&session))
                label for="name" { "Name (an existing name saves a new version)" }
                input #name name="name" required maxlength="120";
                label for="definition" { "Definition (YAML or JSON)" }
                textarea #definition name="definition" rows="14" required { (EXAMPLE) }
                button type="submit" { "Save" }
            }
        }
        section.card {
            h2 { "Recent executions" }
            @if items(&runs.body).is_empty() { p.muted { "Nothing has run yet." } }
            @else { div.scroll { table {
                thead { tr { th { "Execution" } th { "Workflow" } th { "Status" } th { "Started" } } }
                tbody { @for e in items(&runs.body) {
                    tr {
                        td { a href={ "/app/agents/executions/" (seg(s(&e["id"]))) } { "…" (tail(s(&e["id"]), 8)) } }
                        td { (s(&e["workflow_name"])) }
                        td { (badge(s(&e["status"]))) }
                        td { (when(&e["created_at"])) }
                    }
                } }
            } } }
        }
    };
    layout::page(&session, Page::in_section("agents", "Agents"), body)
}

pub(crate) async fn save(
    State(web): State<Web>,
    session: Session,
    Form(fields): Form<Fields>,
) -> Response {
    if let Err(refused) = session.check(&fields) {
        return refused.into_response();
    }
    let body = json!({"name": field(&fields, "name"), "definition": field(&fields, "definition")});
    let reply = web
        .call(Method::POST, "/agent/workflows", &session.token, Some(body))
        .await;
    if reply.ok() {
        let id = s(&reply.body["id"]).to_owned();
        return layout::done(
            &format!("/app/agents/workflows/{}", seg(&id)),
            &format!("Saved version {}.", reply.body["version"]),
        );
    }
    // Validation errors name the step and the field: show them beside the editor, keeping
    // what was typed.
    let errors = reply.body["errors"].as_array().cloned().unwrap_or_default();
    let body = html! {
        p.error role="alert" { (reply.problem()) }
        @if !errors.is_empty() {
            ul #definition-errors { @for e in &errors {
                li { @if let Some(step) = e["step"].as_str() { "step " code { (step) } } @if !s(&e["field"]).is_empty() { ", field " code { (s(&e["field"])) } } ": " (s(&e["message"])) }
            } }
        }
        section.card {
            form method="post" action="/app/agents" {
                (csrf_input(&session))
                label for="name" { "Name" }
                input #name name="name" required value=(field(&fields, "name"));
                label for="definition" { "Definition (YAML or JSON)" }
                textarea #definition name="definition" rows="14" required aria-invalid="true" aria-describedby="definition-errors" { (field(&fields, "definition")) }
                button type="submit" { "Save" }
            }
        }
    };
    (
        reply.status,
        layout::page(
            &session,
            Page::in_section("agents", "Fix the workflow"),
            body,
        ),
    )
        .into_response()
}

pub(crate) async fn workflow(
    State(web): State<Web>,
    session: Session,
    Path(id): Path<String>,
    Query(flash): Query<Flash>,
) -> Response {
    let reply = web
        .get(&format!("/agent/workflows/{}", seg(&id)), &session.token)
        .await;
    if !reply.ok() {
        return refusal(&session, "agents", "Workflow", &reply);
    }
    let w = reply.body;
    let body = html! {
        (flash.render())
        section.card {
            p { "Version " (w["version"]) " · saved " (when(&w["created_at"])) " by " (s(&w["created_by"])) }
            form method="post" action={ "/app/agents/workflows/" (seg(&id)) "/run" } {
                (csrf_input(&session))
                label for="input" { "Input (JSON)" }
                textarea #input name="input" rows="4" { "{}" }
                button type="submit" { "Run" }
            }
        }
        section.card {
            h2 { "Definition" }
            pre { (pretty(&w["definition"])) }
        }
    };
    layout::page(&session, Page::in_section("agents", s(&w["name"])), body).into_response()
}

pub(crate) async fn run(
    State(web): State<Web>,
    session: Session,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Response {
    if let Err(refused) = session.check(&fields) {
        return refused.into_response();
    }
    let here = format!("/app/agents/workflows/{}", seg(&id));
    let input: Value = match serde_json::from_str(field(&fields, "input")) {
        Ok(input) => input,
        Err(e) => return layout::failed(&here, &format!("The input is not JSON: {e}")),
    };
    let reply = web
        .call(
            Method::POST,
            &format!("/agent/workflows/{}/executions", seg(&id)),
            &session.token,
            Some(json!({"input": input})),
        )
        .await;
    to_execution(&reply, &here, "Started.")
}

pub(crate) async fn execution(
    State(web): State<Web>,
    session: Session,
    Path(id): Path<String>,
    Query(flash): Query<Flash>,
) -> Response {
    let reply = web
        .get(&format!("/agent/executions/{}", seg(&id)), &session.token)
        .await;
    if !reply.ok() {
        return refusal(&session, "agents", "Execution", &reply);
    }
    let e = reply.body;
    let here = format!("/app/agents/executions/{}", seg(&id));
    let status = s(&e["status"]).to_owned();
    let steps = e["steps"].as_array().cloned().unwrap_or_default();
    let waiting: Vec<&Value> = steps.iter().filter(|c| c["status"] == "waiting").collect();
    let top: Vec<&str> = steps
        .iter()
        .map(|c| s(&c["key"]))
        .filter(|k| !k.contains(['/', '[', '@', '(']) && !k.starts_with("inherited"))
        .collect();
    let body = html! {
        (flash.render())
        section.card {
            p { span #status { (badge(&status)) } " · " (s(&e["workflow_name"])) " v" (e["workflow_version"]) " · started " (when(&e["created_at"])) " by " (s(&e["started_by"])) }
            @if let Some(parent) = e["parent"].as_object() {
                p { "Replayed from " a href={ "/app/agents/executions/" (seg(s(&parent["execution"]))) } { (s(&parent["execution"])) } " at step " code { (s(&parent["step"])) } }
            }
            @if let Some(error) = e["error"].as_object() { p.error { (s(&error["error"])) ": " (s(&error["cause"])) } }
            @if matches!(status.as_str(), "running" | "waiting_approval") {
                form.inline method="post" action={ (here) "/cancel" } { (csrf_input(&session)) button.secondary type="submit" { "Cancel" } }
            }
            @if status == "failed" {
                form.inline method="post" action={ (here) "/retry" } { (csrf_input(&session)) button type="submit" { "Retry from the failed step" } }
            }
        }
        @for w in &waiting {
            section.card.approval {
                h2 { "Approval: " (s(&w["prompt"])) }
                @if let Some(input) = w.get("input").filter(|i| !i.is_null()) { pre { (pretty(input)) } }
                @if session.may("agent:approve") {
                    form method="post" action={ (here) "/decide" } {
                        (csrf_input(&session))
                        input type="hidden" name="step" value=(s(&w["key"]));
                        label for={ "value-" (s(&w["key"])) } { "Answer or note (optional)" }
                        input id={ "value-" (s(&w["key"])) } name="value";
                        button type="submit" name="decision" value="approved" { "Approve" }
                        button.danger type="submit" name="decision" value="rejected" { "Reject" }
                        button.secondary type="submit" name="decision" value="answered" { "Answer" }
                    }
                } @else { p.muted { "Someone with the agent:approve permission decides this." } }
            }
        }
        section.card {
            h2 { "Steps" }
            ol.timeline #timeline { @for c in &steps {
                li {
                    strong { (s(&c["key"])) } " " (badge(s(&c["status"]))) " " span.muted { (s(&c["type"])) @if let Some(tool) = c["tool"].as_str() { " · " (tool) } }
                    br;
                    span.muted { (when(&c["started_at"])) @if let Some(ms) = c["duration_ms"].as_i64() { " · " (ms) " ms" } @if c["attempt"].as_u64().unwrap_or(1) > 1 { " · attempt " (c["attempt"]) } }
                    @if let Some(error) = c["error"].as_object() { br; span.error { (s(&error["error"])) ": " (s(&error["cause"])) } }
                    details { summary { "Input and output" } pre { "input: " (pretty(&c["input"])) "\noutput: " (pretty(&c["output"])) } }
                }
            } }
        }
        @if !top.is_empty() {
            section.card {
                h2 { "Replay from a step" }
                form method="post" action={ (here) "/replay" } {
                    (csrf_input(&session))
                    label for="from_step" { "Fork at" }
                    select #from_step name="from_step" { @for k in &top { option value=(k.split('#').next().unwrap_or(k)) { (k) } } }
                    label for="state" { "Edited state (JSON: input and/or steps.<id>.output)" }
                    textarea #state name="state" rows="4" { "{}" }
                    button.secondary type="submit" { "Replay" }
                }
            }
        }
        @if let Some(output) = e.get("output").filter(|o| !o.is_null()) {
            section.card { h2 { "Output" } pre #output { (pretty(output)) } }
        }
    };
    layout::page(
        &session,
        Page::in_section("agents", format!("Execution {id}")),
        body,
    )
    .into_response()
}

pub(crate) async fn decide(
    State(web): State<Web>,
    session: Session,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Response {
    let value = field(&fields, "value").trim();
    let mut body = json!({"decision": field(&fields, "decision")});
    if !value.is_empty() {
        body["value"] = value.into();
    }
    let path = format!(
        "/agent/executions/{}/approvals/{}",
        seg(&id),
        seg(field(&fields, "step"))
    );
    let here = format!("/app/agents/executions/{}", seg(&id));
    act(
        &web,
        &session,
        &fields,
        Call::post(path, Some(body)),
        &here,
        "Decided; the run goes on.",
    )
    .await
}

pub(crate) async fn replay(
    State(web): State<Web>,
    session: Session,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Response {
    if let Err(refused) = session.check(&fields) {
        return refused.into_response();
    }
    let here = format!("/app/agents/executions/{}", seg(&id));
    let state: Value = match serde_json::from_str(field(&fields, "state")) {
        Ok(state) => state,
        Err(e) => return layout::failed(&here, &format!("The state is not JSON: {e}")),
    };
    let body = json!({"from_step": field(&fields, "from_step"), "state": state});
    let reply = web
        .call(
            Method::POST,
            &format!("/agent/executions/{}/replay", seg(&id)),
            &session.token,
            Some(body),
        )
        .await;
    to_execution(&reply, &here, "Forked.")
}

pub(crate) async fn cancel(
    State(web): State<Web>,
    session: Session,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Response {
    let call = Call::post(format!("/agent/executions/{}/cancel", seg(&id)), None);
    let here = format!("/app/agents/executions/{}", seg(&id));
    act(&web, &session, &fields, call, &here, "Cancelled.").await
}

pub(crate) async fn retry(
    State(web): State<Web>,
    session: Session,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Response {
    let call = Call::post(format!("/agent/executions/{}/retry", seg(&id)), None);
    let here = format!("/app/agents/executions/{}", seg(&id));
    act(
        &web,
        &session,
        &fields,
        call,
        &here,
        "Running again from the failed step.",
    )
    .await
}

/// The last `n` characters of an id: enough to tell recent runs apart at a glance.
fn tail(id: &str, n: usize) -> &str {
    let start = id.char_indices().rev().nth(n - 1).map_or(0, |(i, _)| i);
    &id[start..]
}

/// After starting or forking a run: on to its page, or back `here` with what went wrong.
fn to_execution(reply: &Reply, here: &str, notice: &str) -> Response {
    if reply.ok() {
        let id = seg(s(&reply.body["execution_id"]));
        layout::done(&format!("/app/agents/executions/{id}"), notice)
    } else {
        layout::failed(here, &reply.problem())
    }
}
