//! `GET /me`: who the caller is to the platform: tenant, subject, roles and the permissions
//! they add up to, so a client (the dashboard) can show only what the caller may do.

use axum::{Extension, Json};
use plasma_gateway::Principal;
use serde::Serialize;
use utoipa::ToSchema;

pub const PATH: &str = "/me";

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub tenant: String,
    pub subject: String,
    pub roles: Vec<String>,
    /// Every permission the caller holds (`research:read`, `agent:approve`, ...).
    pub permissions: Vec<String>,
}

#[utoipa::path(
    get,
    path = "/me",
    tag = "platform",
    operation_id = "me",
    responses((status = 200, description = "The caller's tenant, roles and permissions", body = Me))
)]
pub async fn me(Extension(principal): Extension<Principal>) -> Json<Me> {
    Json(Me {
        tenant: principal.tenant.clone(),
        subject: principal.subject.clone(),
        roles: principal
            .roles
            .iter()
            .map(|r| r.as_str().to_owned())
            .collect(),
        permissions: principal.permission_names(),
    })
}
