//! Voice profiles: create, list, read (any version), revise (a new version).

use super::invalid;
use crate::Content;
use crate::profiles::{Profile, ProfileInput, validate};
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use plasma_gateway::Principal;
use plasma_http::params::Params;
use plasma_http::{ApiJson, Problem};
use serde::Serialize;
use utoipa::ToSchema;

pub const PROFILES: &str = "/content/profiles";
pub const PROFILE: &str = "/content/profiles/{id}";
pub const PROFILE_VERSIONS: &str = "/content/profiles/{id}/versions";

#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileList {
    pub items: Vec<Profile>,
}

fn checked(input: ProfileInput) -> Result<ProfileInput, Problem> {
    validate(&input).map_err(|(field, message)| invalid(field, message))?;
    Ok(input)
}

#[utoipa::path(
    post,
    path = PROFILES,
    tag = "content",
    operation_id = "createProfile",
    request_body = ProfileInput,
    responses(
        (status = 201, description = "Version 1 of the profile", body = Profile),
        (status = 400, description = "An invalid field", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn create(
    State(content): State<Content>,
    Extension(who): Extension<Principal>,
    ApiJson(input): ApiJson<ProfileInput>,
) -> Result<(StatusCode, Json<Profile>), Problem> {
    let input = checked(input)?;
    let profile = content
        .create_profile(&who.tenant, &who.subject, input)
        .await?;
    Ok((StatusCode::CREATED, Json(profile)))
}

#[utoipa::path(
    get,
    path = PROFILES,
    tag = "content",
    operation_id = "listProfiles",
    responses((status = 200, description = "The latest version of each profile", body = ProfileList))
)]
pub(super) async fn list(
    State(content): State<Content>,
    Extension(who): Extension<Principal>,
) -> Result<Json<ProfileList>, Problem> {
    Ok(Json(ProfileList {
        items: content.profiles(&who.tenant).await?,
    }))
}

#[utoipa::path(
    get,
    path = PROFILE,
    tag = "content",
    operation_id = "getProfile",
    params(("id" = String, Path), ("version" = Option<u32>, Query, description = "A past version; the latest by default")),
    responses(
        (status = 200, description = "The profile", body = Profile),
        (status = 404, description = "No such profile or version", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn get(
    State(content): State<Content>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Profile>, Problem> {
    let params = Params::parse(raw, &["version"])?;
    let version = params.get("version", "a version number", |v| v.parse::<u32>().ok())?;
    content
        .profile(&who.tenant, &id, version)
        .await?
        .map(Json)
        .ok_or_else(|| Problem::not_found("the profile"))
}

#[utoipa::path(
    put,
    path = PROFILE,
    tag = "content",
    operation_id = "reviseProfile",
    params(("id" = String, Path)),
    request_body = ProfileInput,
    responses(
        (status = 200, description = "The new version; earlier ones stay readable", body = Profile),
        (status = 400, description = "An invalid field", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such profile", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Revised concurrently", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn revise(
    State(content): State<Content>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ProfileInput>,
) -> Result<Json<Profile>, Problem> {
    let input = checked(input)?;
    content
        .revise_profile(&who.tenant, &who.subject, &id, input)
        .await?
        .map(Json)
        .ok_or_else(|| Problem::not_found("the profile"))
}

#[utoipa::path(
    get,
    path = PROFILE_VERSIONS,
    tag = "content",
    operation_id = "listProfileVersions",
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "Every version, oldest first", body = ProfileList),
        (status = 404, description = "No such profile", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn versions(
    State(content): State<Content>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Json<ProfileList>, Problem> {
    let items = content.profile_versions(&who.tenant, &id).await?;
    if items.is_empty() {
        return Err(Problem::not_found("the profile"));
    }
    Ok(Json(ProfileList { items }))
}
