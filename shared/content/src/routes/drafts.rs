//! `POST /content/drafts`: drafts from a brief, one item per channel.

use super::invalid;
use crate::Content;
use crate::drafts::{DraftError, DraftRequest};
use crate::items::ContentItem;
use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use plasma_composer::Brief;
use plasma_gateway::Principal;
use plasma_http::{ApiJson, Problem};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const DRAFTS: &str = "/content/drafts";

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftBody {
    #[serde(flatten)]
    pub brief: Brief,
    /// Write in this voice profile (its latest version).
    #[serde(default)]
    pub profile_id: Option<String>,
    /// Ground the drafts in the research knowledge base, with numbered citations.
    #[serde(default)]
    pub ground: bool,
    #[serde(default)]
    pub campaign_id: Option<String>,
    #[serde(default)]
    pub owner: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DraftList {
    pub items: Vec<ContentItem>,
}

#[utoipa::path(
    post,
    path = DRAFTS,
    tag = "content",
    operation_id = "createDrafts",
    request_body = DraftBody,
    responses(
        (status = 201, description = "One draft item per channel; each records its provider, prompt version and sources", body = DraftList),
        (status = 400, description = "An invalid field", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such profile or campaign", body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "The model failed", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn create(
    State(content): State<Content>,
    Extension(who): Extension<Principal>,
    ApiJson(body): ApiJson<DraftBody>,
) -> Result<(StatusCode, Json<DraftList>), Problem> {
    if let Some(campaign) = &body.campaign_id
        && content.campaign(&who.tenant, campaign).await?.is_none()
    {
        return Err(Problem::not_found("the campaign"));
    }
    let request = DraftRequest {
        brief: body.brief,
        profile_id: body.profile_id,
        ground: body.ground,
        campaign_id: body.campaign_id,
        owner: body.owner,
    };
    match content.draft(&who.tenant, &who.subject, request).await {
        Ok(items) => Ok((StatusCode::CREATED, Json(DraftList { items }))),
        Err(DraftError::Invalid { field, message }) => Err(invalid(field, message)),
        Err(DraftError::NoSuchProfile) => Err(Problem::not_found("the profile")),
        Err(DraftError::Model(m)) => {
            Err(Problem::new(StatusCode::BAD_GATEWAY, "model_failed", "The model failed").detail(m))
        }
        Err(DraftError::Port(e)) => Err(e.into()),
    }
}
