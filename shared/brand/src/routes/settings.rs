//! The tenant's brand settings: which analyser scores sentiment.

use crate::scan::Brand;
use crate::sentiment::{SentimentChoice, TenantSettings};
use axum::extract::State;
use axum::{Extension, Json};
use plasma_gateway::Principal;
use plasma_http::{ApiJson, Problem};

pub const SETTINGS: &str = "/brand/settings";

#[utoipa::path(
    get,
    path = SETTINGS,
    tag = "brand",
    operation_id = "getBrandSettings",
    responses((status = 200, description = "The tenant's settings; defaults until first saved", body = TenantSettings))
)]
pub(super) async fn get(
    State(brand): State<Brand>,
    Extension(who): Extension<Principal>,
) -> Result<Json<TenantSettings>, Problem> {
    Ok(Json(brand.tenant_settings().get(&who.tenant).await?))
}

#[utoipa::path(
    put,
    path = SETTINGS,
    tag = "brand",
    operation_id = "putBrandSettings",
    request_body = TenantSettings,
    responses(
        (status = 200, description = "The saved settings", body = TenantSettings),
        (status = 400, description = "`bedrock` chosen on a platform without a Bedrock model (`PLASMA_BEDROCK_MODEL_ID`)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn put(
    State(brand): State<Brand>,
    Extension(who): Extension<Principal>,
    ApiJson(settings): ApiJson<TenantSettings>,
) -> Result<Json<TenantSettings>, Problem> {
    if settings.sentiment == SentimentChoice::Bedrock && brand.settings.llm.is_none() {
        return Err(
            Problem::invalid("this platform has no Bedrock model configured")
                .with("field", "sentiment"),
        );
    }
    brand.tenant_settings().put(&who.tenant, &settings).await?;
    Ok(Json(settings))
}
