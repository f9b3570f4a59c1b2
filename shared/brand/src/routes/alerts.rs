//! Alert routes: a monitor's rules, its alert history, and acknowledgement.

use super::monitors::monitor;
use crate::alerts::{Alert, MAX_HISTORY_PAGE, NewRule, Rule};
use crate::scan::Brand;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use plasma_gateway::Principal;
use plasma_http::params::{Params, invalid};
use plasma_http::{Problem, json};
use serde::Serialize;
use utoipa::ToSchema;

pub const RULES: &str = "/brand/monitors/{id}/alert-rules";
pub const RULE: &str = "/brand/monitors/{id}/alert-rules/{rule}";
pub const ALERTS: &str = "/brand/monitors/{id}/alerts";
pub const ACK: &str = "/brand/monitors/{id}/alerts/{alert}/ack";

/// History page size when none is asked for.
const DEFAULT_PAGE: u32 = 20;

#[derive(Debug, Serialize, ToSchema)]
pub struct RuleView {
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub rule: Rule,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RuleList {
    /// Oldest first.
    pub items: Vec<RuleView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AlertView {
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub alert: Alert,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AlertList {
    /// Newest first.
    pub items: Vec<AlertView>,
    /// Pass as `cursor` for the next page; absent at the end.
    pub next: Option<String>,
}

#[utoipa::path(
    post,
    path = RULES,
    tag = "brand",
    operation_id = "createAlertRule",
    params(("id" = String, Path, description = "The monitor's id")),
    request_body(content = Object, description = "`name`, `kind` (`{\"type\": \"volume_spike\" | \"negative_spike\" | \"keyword\" | \"high_reach\", ...}`), `cooldown_minutes`, `channels` (`slack_webhook_url`, `signed_webhooks`)"),
    responses(
        (status = 201, description = "The rule", body = RuleView),
        (status = 400, description = "An invalid field (`field` names it), or the monitor's rule limit", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such monitor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn create(
    State(brand): State<Brand>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<RuleView>), Problem> {
    // The monitor is checked before the body is read, so another tenant learns nothing
    // from validation errors.
    let monitor = monitor(&brand, &who.tenant, &id).await?;
    let new: NewRule = json::parse(&body)?;
    // Checked here for the field's name; `create_rule` checks again, as it must for any caller.
    brand
        .alerts
        .check_rule(&new)
        .map_err(|e| invalid(e.field, e.detail))?;
    let rule = brand
        .alerts
        .create_rule(&who.tenant, &monitor.id, new)
        .await?;
    Ok((StatusCode::CREATED, Json(RuleView { rule })))
}

#[utoipa::path(
    get,
    path = RULES,
    tag = "brand",
    operation_id = "listAlertRules",
    params(("id" = String, Path, description = "The monitor's id")),
    responses(
        (status = 200, description = "The monitor's rules, oldest first", body = RuleList),
        (status = 404, description = "No such monitor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn list(
    State(brand): State<Brand>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Json<RuleList>, Problem> {
    let monitor = monitor(&brand, &who.tenant, &id).await?;
    let rules = brand.alerts.rules(&who.tenant, &monitor.id).await?;
    Ok(Json(RuleList {
        items: rules.into_iter().map(|rule| RuleView { rule }).collect(),
    }))
}

#[utoipa::path(
    delete,
    path = RULE,
    tag = "brand",
    operation_id = "deleteAlertRule",
    params(
        ("id" = String, Path, description = "The monitor's id"),
        ("rule" = String, Path, description = "The rule's id"),
    ),
    responses(
        (status = 204, description = "Deleted; its past alerts stay in the history"),
        (status = 404, description = "No such monitor or rule", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn delete(
    State(brand): State<Brand>,
    Extension(who): Extension<Principal>,
    Path((id, rule)): Path<(String, String)>,
) -> Result<StatusCode, Problem> {
    let monitor = monitor(&brand, &who.tenant, &id).await?;
    if brand
        .alerts
        .delete_rule(&who.tenant, &monitor.id, &rule)
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Problem::not_found(&format!("alert rule {rule}")))
    }
}

#[utoipa::path(
    get,
    path = ALERTS,
    tag = "brand",
    operation_id = "listAlerts",
    params(
        ("id" = String, Path, description = "The monitor's id"),
        ("limit" = Option<u32>, Query, description = "1 to 100, default 20"),
        ("cursor" = Option<String>, Query, description = "`next` of the previous page"),
    ),
    responses(
        (status = 200, description = "The monitor's alerts, newest first", body = AlertList),
        (status = 400, description = "A bad parameter (`field` names it)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such monitor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn history(
    State(brand): State<Brand>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<AlertList>, Problem> {
    let monitor = monitor(&brand, &who.tenant, &id).await?;
    let params = Params::parse(raw, &["limit", "cursor"])?;
    let limit = params
        .get("limit", &format!("1 to {MAX_HISTORY_PAGE}"), |v| {
            v.parse()
                .ok()
                .filter(|n| (1..=MAX_HISTORY_PAGE).contains(n))
        })?
        .unwrap_or(DEFAULT_PAGE);
    let page = brand
        .alerts
        .history(&who.tenant, Some(&monitor.id), limit, params.text("cursor"))
        .await?;
    Ok(Json(AlertList {
        items: page
            .alerts
            .into_iter()
            .map(|alert| AlertView { alert })
            .collect(),
        next: page.next,
    }))
}

#[utoipa::path(
    post,
    path = ACK,
    tag = "brand",
    operation_id = "acknowledgeAlert",
    params(
        ("id" = String, Path, description = "The monitor's id"),
        ("alert" = String, Path, description = "The alert's id"),
    ),
    responses(
        (status = 200, description = "The alert, acknowledged by the caller (or by whoever acknowledged it first)", body = AlertView),
        (status = 404, description = "No such monitor, or no such alert of it", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn acknowledge(
    State(brand): State<Brand>,
    Extension(who): Extension<Principal>,
    Path((id, alert_id)): Path<(String, String)>,
) -> Result<Json<AlertView>, Problem> {
    let monitor = monitor(&brand, &who.tenant, &id).await?;
    let not_found = || Problem::not_found(&format!("alert {alert_id}"));
    // Alerts are keyed by tenant alone: one of the tenant's other monitors is not this one's.
    match brand.alerts.alert(&who.tenant, &alert_id).await? {
        Some(alert) if alert.monitor_id == monitor.id => {}
        _ => return Err(not_found()),
    }
    let alert = brand
        .alerts
        .acknowledge(&who.tenant, &alert_id, &who.subject)
        .await?
        .ok_or_else(not_found)?;
    Ok(Json(AlertView { alert }))
}
