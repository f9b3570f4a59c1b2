//! Research jobs: start one, follow its progress, read its report.

use crate::jobs::{self, Job, JobStatus};
use crate::{Research, limits};
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use plasma_gateway::Principal;
use plasma_http::{ApiJson, Problem};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const JOBS: &str = "/research/jobs";
pub const JOB: &str = "/research/jobs/{id}";
pub const JOB_REPORT: &str = "/research/jobs/{id}/report";

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewJob {
    #[schema(schema_with = limits::question)]
    pub question: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JobAccepted {
    pub id: String,
    pub status: JobStatus,
}

#[utoipa::path(
    post,
    path = JOBS,
    tag = "research",
    operation_id = "createResearchJob",
    request_body = NewJob,
    responses((status = 202, description = "Queued: poll the job, then read its report", body = JobAccepted))
)]
pub(super) async fn create(
    State(research): State<Research>,
    Extension(who): Extension<Principal>,
    ApiJson(new): ApiJson<serde_json::Value>,
) -> Result<(StatusCode, Json<JobAccepted>), Problem> {
    let new: NewJob = plasma_gateway::use_case::parse_fields(new)?;
    let job = jobs::start(&research, &who.tenant, new.question.trim()).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(JobAccepted {
            id: job.id,
            status: job.status,
        }),
    ))
}

async fn find(research: &Research, tenant: &str, id: &str) -> Result<Job, Problem> {
    jobs::get(research, tenant, id)
        .await?
        .ok_or_else(|| Problem::not_found(&format!("research job {id}")))
}

#[utoipa::path(
    get,
    path = JOB,
    tag = "research",
    operation_id = "getResearchJob",
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "Status, sub-questions and progress", body = Job),
        (status = 404, description = "No such job", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn get(
    State(research): State<Research>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Json<Job>, Problem> {
    Ok(Json(find(&research, &who.tenant, &id).await?))
}

#[utoipa::path(
    get,
    path = JOB_REPORT,
    tag = "research",
    operation_id = "getResearchReport",
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "The report", content_type = "text/markdown"),
        (status = 404, description = "No such job", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not finished yet (`not_ready`)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn report(
    State(research): State<Research>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let job = find(&research, &who.tenant, &id).await?;
    let Some(markdown) = jobs::report(&research, &who.tenant, &job).await? else {
        return Err(Problem::new(StatusCode::CONFLICT, "not_ready", "Not ready")
            .detail(
                format!(
                    "the job is {:?}; its report comes when it is done",
                    job.status
                )
                .to_lowercase(),
            )
            .with(
                "status",
                serde_json::to_value(job.status).unwrap_or_default(),
            ));
    };
    Ok((
        [(header::CONTENT_TYPE, "text/markdown; charset=utf-8")],
        markdown,
    )
        .into_response())
}
