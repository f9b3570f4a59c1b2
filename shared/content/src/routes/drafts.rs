//! `POST /content/drafts`: drafts from a brief, one item per channel.

use super::invalid;
use crate::Content;
use crate::drafts::{DraftError, DraftRequest};
use crate::items::ContentItem;
use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use plasma_composer::Brief;
use plasma_gateway::use_case::{UseCase, Validated};
use plasma_gateway::{Permission, Principal};
use plasma_http::Problem;
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

impl UseCase for DraftBody {
    const NAME: &'static str = "content.generate";
    const TITLE: &'static str = "Draft content from a brief";
    const DESCRIPTION: &'static str = "Drafts one item per channel in the brand's voice, optionally grounded in research; the drafts are saved for review.";
    const PERMISSION: Permission = Permission::ContentWrite;
    /// `model_failed`: the LLM that writes drafts failed.
    const ERRORS: &'static [&'static str] = &[
        "invalid_request",
        "invalid_field",
        "not_found",
        "model_failed",
    ];
}

impl DraftBody {
    /// The drafts, saved for review as `subject`'s.
    pub async fn run(
        self,
        content: &Content,
        tenant: &str,
        subject: &str,
    ) -> Result<Vec<ContentItem>, Problem> {
        if let Some(campaign) = &self.campaign_id
            && content.campaign(tenant, campaign).await?.is_none()
        {
            return Err(Problem::not_found("the campaign"));
        }
        let request = DraftRequest {
            brief: self.brief,
            profile_id: self.profile_id,
            ground: self.ground,
            campaign_id: self.campaign_id,
            owner: self.owner,
        };
        content
            .draft(tenant, subject, request)
            .await
            .map_err(|e| match e {
                DraftError::Invalid { field, message } => invalid(field, message),
                DraftError::NoSuchProfile => Problem::not_found("the profile"),
                DraftError::Model(m) => {
                    Problem::new(StatusCode::BAD_GATEWAY, "model_failed", "The model failed")
                        .detail(m)
                }
                DraftError::Port(e) => e.into(),
            })
    }
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
    Validated(body): Validated<DraftBody>,
) -> Result<(StatusCode, Json<DraftList>), Problem> {
    let items = body.run(&content, &who.tenant, &who.subject).await?;
    Ok((StatusCode::CREATED, Json(DraftList { items })))
}
