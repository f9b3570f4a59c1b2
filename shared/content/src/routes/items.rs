//! Items: list, read, edit (a new version), move through the workflow, versions and diffs,
//! comments and activity.

use super::invalid;
use crate::Content;
use crate::diff::{VersionDiff, diff};
use crate::items::{Activity, ContentItem, Saved, Version};
use crate::transitions::{Edit, Move, TransitionError};
use crate::workflow::Status;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use chrono::{DateTime, Utc};
use plasma_compliance::Channel;
use plasma_gateway::Principal;
use plasma_http::params::Params;
use plasma_http::{ApiJson, Problem};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const ITEMS: &str = "/content/items";
pub const ITEM: &str = "/content/items/{id}";
pub const TRANSITIONS: &str = "/content/items/{id}/transitions";
pub const VERSIONS: &str = "/content/items/{id}/versions";
pub const DIFF: &str = "/content/items/{id}/diff";
pub const COMMENTS: &str = "/content/items/{id}/comments";
pub const ACTIVITY: &str = "/content/items/{id}/activity";

#[derive(Debug, Serialize, ToSchema)]
pub struct ItemList {
    pub items: Vec<ContentItem>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditBody {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub thread: Option<Vec<String>>,
    /// What changed, for the version history.
    #[serde(default)]
    pub note: Option<String>,
    /// The revision you read; a 409 says someone else changed the item since.
    #[serde(default)]
    pub rev: Option<u64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionBody {
    /// `in_review` (submit), `approved`, `draft` (request changes, withdraw), `scheduled`
    /// (with `at`), `approved` from `scheduled` (cancel the schedule).
    pub to: Status,
    #[serde(default)]
    pub comment: Option<String>,
    #[serde(default)]
    pub at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub timezone: Option<String>,
    #[serde(default)]
    pub destination: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentBody {
    pub text: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VersionList {
    pub items: Vec<Version>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityList {
    pub items: Vec<Activity>,
}

pub(super) async fn find(
    content: &Content,
    tenant: &str,
    id: &str,
) -> Result<ContentItem, Problem> {
    content
        .item(tenant, id)
        .await?
        .ok_or_else(|| Problem::not_found("the item"))
}

pub(super) fn problem(e: TransitionError) -> Problem {
    match e {
        TransitionError::Illegal { from, to, allowed } => Problem::new(
            StatusCode::CONFLICT,
            "illegal_transition",
            "Illegal transition",
        )
        .detail(format!(
            "an item that is {} cannot move to {}",
            from.as_str(),
            to.as_str()
        ))
        .with("from", from.as_str())
        .with(
            "allowed",
            allowed.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        ),
        TransitionError::Forbidden(p) => Problem::forbidden(p.as_str()),
        TransitionError::OwnSubmission => {
            Problem::new(StatusCode::FORBIDDEN, "own_submission", "Permission denied")
                .detail("approvers cannot approve their own submission; ask another approver")
        }
        TransitionError::NotCompliant(report) => Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_compliant",
            "The compliance check found errors",
        )
        .detail("fix the errors the check lists, then submit again")
        .with("score", report.score)
        .with(
            "findings",
            serde_json::to_value(&report.findings).unwrap_or_default(),
        ),
        TransitionError::Invalid { field, message } => invalid(field, message),
        TransitionError::Stale => {
            Problem::conflict("the item was changed meanwhile; read it again and retry")
        }
        TransitionError::Schedule(e) => super::schedule::problem(e),
        TransitionError::Port(e) => e.into(),
    }
}

#[utoipa::path(
    get,
    path = ITEMS,
    tag = "content",
    operation_id = "listItems",
    params(
        ("status" = Option<String>, Query, description = "Only items with this status"),
        ("channel" = Option<String>, Query),
        ("campaign_id" = Option<String>, Query),
    ),
    responses(
        (status = 200, description = "The tenant's items, newest first", body = ItemList),
        (status = 400, description = "An invalid parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn list(
    State(content): State<Content>,
    Extension(who): Extension<Principal>,
    RawQuery(raw): RawQuery,
) -> Result<Json<ItemList>, Problem> {
    let params = Params::parse(raw, &["status", "channel", "campaign_id"])?;
    let status = params.get("status", "an item status", Status::parse)?;
    let channel = params.get("channel", "a channel", |v| v.parse::<Channel>().ok())?;
    let campaign = params.text("campaign_id");
    let mut items: Vec<ContentItem> = content
        .all_items(&who.tenant)
        .await?
        .into_iter()
        .filter(|i| status.is_none_or(|s| i.status == s))
        .filter(|i| channel.is_none_or(|c| i.channel == c))
        .filter(|i| campaign.is_none() || i.campaign_id == campaign)
        .collect();
    items.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
    Ok(Json(ItemList { items }))
}

#[utoipa::path(
    get,
    path = ITEM,
    tag = "content",
    operation_id = "getItem",
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "The item: text, status, schedule, publishing result, compliance and metrics", body = ContentItem),
        (status = 404, description = "No such item", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn get(
    State(content): State<Content>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Json<ContentItem>, Problem> {
    Ok(Json(find(&content, &who.tenant, &id).await?))
}

#[utoipa::path(
    patch,
    path = ITEM,
    tag = "content",
    operation_id = "editItem",
    params(("id" = String, Path)),
    request_body = EditBody,
    responses(
        (status = 200, description = "The item with a new version; an item in review or approved is a draft again", body = ContentItem),
        (status = 404, description = "No such item", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not editable now (scheduled or published), or changed meanwhile", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn edit(
    State(content): State<Content>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<EditBody>,
) -> Result<Json<ContentItem>, Problem> {
    if body.title.is_none() && body.body.is_none() && body.thread.is_none() {
        return Err(invalid("body", "give a title, body or thread to change"));
    }
    if body.title.as_deref().is_some_and(|t| t.trim().is_empty()) {
        return Err(invalid("title", "must not be empty"));
    }
    let item = find(&content, &who.tenant, &id).await?;
    let edit = Edit {
        title: body.title,
        body: body.body,
        thread: body.thread,
        note: body.note,
        rev: body.rev,
    };
    content
        .edit(&who.tenant, &who, item, edit)
        .await
        .map(Json)
        .map_err(problem)
}

#[utoipa::path(
    post,
    path = TRANSITIONS,
    tag = "content",
    operation_id = "transitionItem",
    params(("id" = String, Path)),
    request_body = TransitionBody,
    responses(
        (status = 200, description = "The item in its new status", body = ContentItem),
        (status = 403, description = "The move needs a permission the caller lacks, or approves the caller's own submission", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such item", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "An illegal transition (`illegal_transition`, with the `allowed` ones listed)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Submission refused: the compliance check found errors (`not_compliant`, with its findings)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn transition(
    State(content): State<Content>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<TransitionBody>,
) -> Result<Json<ContentItem>, Problem> {
    let item = find(&content, &who.tenant, &id).await?;
    let request = Move {
        to: body.to,
        comment: body.comment,
        at: body.at,
        timezone: body.timezone,
        destination: body.destination,
    };
    content
        .transition(&who.tenant, &who, item, request)
        .await
        .map(Json)
        .map_err(problem)
}

#[utoipa::path(
    get,
    path = VERSIONS,
    tag = "content",
    operation_id = "listItemVersions",
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "Every version of the text, oldest first", body = VersionList),
        (status = 404, description = "No such item", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn versions(
    State(content): State<Content>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Json<VersionList>, Problem> {
    find(&content, &who.tenant, &id).await?;
    Ok(Json(VersionList {
        items: content.versions(&who.tenant, &id).await?,
    }))
}

#[utoipa::path(
    get,
    path = DIFF,
    tag = "content",
    operation_id = "diffItemVersions",
    params(
        ("id" = String, Path),
        ("from" = Option<u32>, Query, description = "Default: the version before `to`"),
        ("to" = Option<u32>, Query, description = "Default: the current version"),
    ),
    responses(
        (status = 200, description = "A unified diff and word-level changes", body = VersionDiff),
        (status = 404, description = "No such item or version", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn diff_versions(
    State(content): State<Content>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<VersionDiff>, Problem> {
    let params = Params::parse(raw, &["from", "to"])?;
    let item = find(&content, &who.tenant, &id).await?;
    let number = |v: &str| v.parse::<u32>().ok().filter(|n| *n >= 1);
    let to = params
        .get("to", "a version number", number)?
        .unwrap_or(item.version);
    let from = params
        .get("from", "a version number", number)?
        .unwrap_or(to.saturating_sub(1).max(1));
    let load = |n: u32| {
        let content = content.clone();
        let (tenant, id) = (who.tenant.clone(), id.clone());
        async move {
            content
                .version(&tenant, &id, n)
                .await?
                .ok_or_else(|| Problem::not_found(&format!("version {n}")))
        }
    };
    let (old, new) = (load(from).await?, load(to).await?);
    Ok(Json(diff(from, &text_of(&old), to, &text_of(&new))))
}

/// A version as the diff reads it: title, body and thread parts.
fn text_of(v: &Version) -> String {
    let mut text = format!("# {}\n\n{}\n", v.title, v.body);
    for part in &v.thread {
        text.push_str("\n---\n");
        text.push_str(part);
        text.push('\n');
    }
    text
}

#[utoipa::path(
    post,
    path = COMMENTS,
    tag = "content",
    operation_id = "commentOnItem",
    params(("id" = String, Path)),
    request_body = CommentBody,
    responses(
        (status = 201, description = "The comment", body = Activity),
        (status = 404, description = "No such item", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn comment(
    State(content): State<Content>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CommentBody>,
) -> Result<(StatusCode, Json<Activity>), Problem> {
    let text = body.text.trim();
    if text.is_empty() || text.len() > 10_000 {
        return Err(invalid("text", "must be 1 to 10000 bytes"));
    }
    let item = find(&content, &who.tenant, &id).await?;
    let activity = content.new_activity(&who.subject, None, Some(text.to_string()));
    // The item is rewritten unchanged so the comment lands with a revision check: it never
    // attaches to an item deleted or moved meanwhile without the caller knowing.
    match content
        .save_item(&who.tenant, item, None, Some(activity.clone()))
        .await?
    {
        Saved::Done(_) => Ok((StatusCode::CREATED, Json(activity))),
        Saved::Stale => Err(Problem::conflict("the item was changed meanwhile; retry")),
    }
}

#[utoipa::path(
    get,
    path = ACTIVITY,
    tag = "content",
    operation_id = "listItemActivity",
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "Comments and status changes, oldest first", body = ActivityList),
        (status = 404, description = "No such item", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn activity(
    State(content): State<Content>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Json<ActivityList>, Problem> {
    find(&content, &who.tenant, &id).await?;
    Ok(Json(ActivityList {
        items: content.activity(&who.tenant, &id).await?,
    }))
}
