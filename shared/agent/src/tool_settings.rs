//! A tenant's own settings for the workflow tools that carry secrets: `notify`'s Slack and
//! signed-webhook targets with the signing secret, and the MCP servers `mcp.call` may use.
//! Admins manage them; secrets are sealed (see [`plasma_tools::tenant`]) and never returned,
//! except a signing secret the platform generates, shown once.

use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::{Extension, Json};
use chrono::{DateTime, Utc};
use plasma_gateway::{Api, Permission, Principal};
use plasma_http::{ApiJson, Problem};
use plasma_tools::TenantTools;
use plasma_tools::tenant::{McpServerRecord, NotifyRecord, NotifyTargets, new_signing_secret};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use utoipa::{OpenApi, ToSchema};

pub const NOTIFY: &str = "/agent/settings/notify";
pub const MCP_SERVERS: &str = "/agent/settings/mcp-servers";
pub const MCP_SERVER: &str = "/agent/settings/mcp-servers/{name}";

const MAX_URL: usize = 2048;
const MAX_BEARER: usize = 2048;
const DEFAULT_MCP_TIMEOUT_SECONDS: f64 = 30.0;

pub fn routes(api: Api, tenants: TenantTools) -> Api {
    use Permission::Admin;
    let t = tenants;
    api.route(Method::GET, NOTIFY, Admin, get_notify, t.clone())
        .route(Method::PUT, NOTIFY, Admin, put_notify, t.clone())
        .route(Method::DELETE, NOTIFY, Admin, delete_notify, t.clone())
        .route(Method::GET, MCP_SERVERS, Admin, list_mcp_servers, t.clone())
        .route(Method::PUT, MCP_SERVER, Admin, put_mcp_server, t.clone())
        .route(Method::DELETE, MCP_SERVER, Admin, delete_mcp_server, t)
}

fn invalid(field: &str, detail: impl Into<String>) -> Problem {
    Problem::new(StatusCode::BAD_REQUEST, "invalid_field", "Invalid field")
        .detail(format!("{field}: {}", detail.into()))
        .with("field", field.to_owned())
}

/// An absolute http(s) URL with a host. Whether it may be reached (no private addresses
/// deployed) is checked when a tool sends to it, after DNS, by the egress guard.
fn url(field: &str, value: &str) -> Result<(), Problem> {
    let parsed = url::Url::parse(value).map_err(|_| invalid(field, "must be an http(s) URL"))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(invalid(field, "must be an http(s) URL"));
    }
    if value.len() > MAX_URL {
        return Err(invalid(
            field,
            format!("must be at most {MAX_URL} characters"),
        ));
    }
    Ok(())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotifyBody {
    /// A Slack incoming-webhook URL for `notify` `slack` (a secret: stored sealed).
    #[serde(default)]
    pub slack_webhook_url: Option<String>,
    /// Where `notify` `webhook` posts when a step names no `url`.
    #[serde(default)]
    pub webhook_url: Option<String>,
    /// A `whsec_<base64>` Standard Webhooks secret to sign with. Left out, the stored secret
    /// is kept, or a new one is generated and returned once.
    #[serde(default)]
    pub webhook_secret: Option<String>,
    /// Generate a new signing secret (returned once) instead of keeping the stored one.
    #[serde(default)]
    pub rotate_webhook_secret: bool,
}

/// A tenant's `notify` settings as the API shows them: never the secrets.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct NotifyView {
    /// The tenant has settings; without them `notify` fails with `Notify.NotConfigured`.
    pub configured: bool,
    /// A Slack webhook URL is set.
    pub slack: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<String>,
    /// A signing secret is set.
    pub webhook_secret_set: bool,
    /// Only in the answer to the `PUT` that generated it: the new signing secret. Verify
    /// `webhook-signature` with it; it is not shown again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook_secret: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_by: Option<String>,
}

impl NotifyView {
    fn of(record: NotifyRecord, generated: Option<String>) -> Self {
        Self {
            configured: true,
            slack: record.slack,
            webhook_url: record.webhook_url,
            webhook_secret_set: record.webhook_secret,
            webhook_secret: generated,
            updated_at: Some(record.updated_at),
            updated_by: Some(record.updated_by),
        }
    }
}

#[utoipa::path(get, path = NOTIFY, tag = "agent", operation_id = "getNotifySettings",
    responses((status = 200, description = "Which notify targets are set (`configured: false` when none); never the secrets", body = NotifyView)))]
async fn get_notify(
    State(tenants): State<TenantTools>,
    Extension(who): Extension<Principal>,
) -> Result<Json<NotifyView>, Problem> {
    let view = match tenants.notify_record(&who.tenant).await? {
        Some(record) => NotifyView::of(record, None),
        None => NotifyView::default(),
    };
    Ok(Json(view))
}

#[utoipa::path(put, path = NOTIFY, tag = "agent", operation_id = "putNotifySettings",
    request_body = NotifyBody,
    responses(
        (status = 200, description = "Stored, secrets sealed; a generated signing secret is in `webhook_secret` this once", body = NotifyView),
        (status = 400, description = "An invalid field", body = Problem, content_type = "application/problem+json"),
    ))]
async fn put_notify(
    State(tenants): State<TenantTools>,
    Extension(who): Extension<Principal>,
    ApiJson(body): ApiJson<NotifyBody>,
) -> Result<Json<NotifyView>, Problem> {
    if let Some(slack) = &body.slack_webhook_url {
        url("slack_webhook_url", slack)?;
    }
    if let Some(webhook) = &body.webhook_url {
        url("webhook_url", webhook)?;
    }
    if let Some(secret) = &body.webhook_secret {
        if body.rotate_webhook_secret {
            return Err(invalid(
                "rotate_webhook_secret",
                "give a webhook_secret or ask for a new one, not both",
            ));
        }
        if !secret.starts_with("whsec_")
            || secret.len() > MAX_BEARER
            || standardwebhooks::Webhook::new(secret).is_err()
        {
            return Err(invalid("webhook_secret", "must be a whsec_<base64> secret"));
        }
    }
    let kept = match (&body.webhook_secret, body.rotate_webhook_secret) {
        (None, false) => tenants
            .notify(&who.tenant)
            .await?
            .and_then(|t| t.webhook_secret),
        _ => None,
    };
    let generated = match (&body.webhook_secret, &kept) {
        (None, None) => Some(new_signing_secret()),
        _ => None,
    };
    let targets = NotifyTargets {
        slack_webhook_url: body.slack_webhook_url,
        webhook_url: body.webhook_url,
        webhook_secret: body.webhook_secret.or(kept).or_else(|| generated.clone()),
    };
    let record = tenants
        .set_notify(&who.tenant, &who.subject, &targets)
        .await?;
    Ok(Json(NotifyView::of(record, generated)))
}

#[utoipa::path(delete, path = NOTIFY, tag = "agent", operation_id = "deleteNotifySettings",
    responses(
        (status = 204, description = "Removed; notify fails with Notify.NotConfigured until set again"),
        (status = 404, description = "The tenant has no notify settings", body = Problem, content_type = "application/problem+json"),
    ))]
async fn delete_notify(
    State(tenants): State<TenantTools>,
    Extension(who): Extension<Principal>,
) -> Result<StatusCode, Problem> {
    if tenants.remove_notify(&who.tenant).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Problem::not_found("the tenant's notify settings"))
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct McpServerBody {
    /// The server's Streamable HTTP endpoint, e.g. `https://tools.example.com/mcp`.
    pub url: String,
    /// Sent as `Authorization: Bearer ...` (a secret: stored sealed).
    #[serde(default)]
    pub bearer: Option<String>,
    /// Bounds connecting and each call; default 30.
    #[serde(default)]
    pub timeout_seconds: Option<f64>,
}

/// One of the tenant's MCP servers as the API shows it: never the bearer token.
#[derive(Debug, Serialize, ToSchema)]
pub struct McpServerView {
    pub name: String,
    pub url: String,
    /// A bearer token is set.
    pub bearer: bool,
    pub timeout_seconds: f64,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

impl From<McpServerRecord> for McpServerView {
    fn from(r: McpServerRecord) -> Self {
        Self {
            name: r.name,
            url: r.url,
            bearer: r.bearer,
            timeout_seconds: r.timeout_seconds,
            updated_at: r.updated_at,
            updated_by: r.updated_by,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct McpServerList {
    pub items: Vec<McpServerView>,
}

fn server_name(name: &str) -> Result<(), Problem> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(invalid("name", "must be 1 to 64 letters, digits, - or _"))
    }
}

#[utoipa::path(get, path = MCP_SERVERS, tag = "agent", operation_id = "listMcpServers",
    responses((status = 200, description = "The tenant's MCP servers; never their bearer tokens", body = McpServerList)))]
async fn list_mcp_servers(
    State(tenants): State<TenantTools>,
    Extension(who): Extension<Principal>,
) -> Result<Json<McpServerList>, Problem> {
    let items = tenants.mcp_records(&who.tenant).await?;
    Ok(Json(McpServerList {
        items: items.into_iter().map(McpServerView::from).collect(),
    }))
}

#[utoipa::path(put, path = MCP_SERVER, tag = "agent", operation_id = "putMcpServer",
    params(("name" = String, Path, description = "The name `mcp.call` steps use as `server`")),
    request_body = McpServerBody,
    responses(
        (status = 200, description = "Stored, the bearer token sealed", body = McpServerView),
        (status = 400, description = "An invalid field", body = Problem, content_type = "application/problem+json"),
    ))]
async fn put_mcp_server(
    State(tenants): State<TenantTools>,
    Extension(who): Extension<Principal>,
    Path(name): Path<String>,
    ApiJson(body): ApiJson<McpServerBody>,
) -> Result<Json<McpServerView>, Problem> {
    server_name(&name)?;
    url("url", &body.url)?;
    if let Some(bearer) = &body.bearer
        && (bearer.is_empty() || bearer.len() > MAX_BEARER)
    {
        return Err(invalid(
            "bearer",
            format!("must be 1 to {MAX_BEARER} characters"),
        ));
    }
    let seconds = body.timeout_seconds.unwrap_or(DEFAULT_MCP_TIMEOUT_SECONDS);
    if !(seconds.is_finite() && seconds > 0.0 && seconds <= 3600.0) {
        return Err(invalid(
            "timeout_seconds",
            "must be more than 0 and at most 3600",
        ));
    }
    let record = tenants
        .set_mcp_server(
            &who.tenant,
            &who.subject,
            &name,
            &body.url,
            body.bearer.as_deref(),
            Duration::from_secs_f64(seconds),
        )
        .await?;
    Ok(Json(record.into()))
}

#[utoipa::path(delete, path = MCP_SERVER, tag = "agent", operation_id = "deleteMcpServer",
    params(("name" = String, Path)),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such server", body = Problem, content_type = "application/problem+json"),
    ))]
async fn delete_mcp_server(
    State(tenants): State<TenantTools>,
    Extension(who): Extension<Principal>,
    Path(name): Path<String>,
) -> Result<StatusCode, Problem> {
    server_name(&name)?;
    if tenants.remove_mcp_server(&who.tenant, &name).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Problem::not_found("the MCP server"))
    }
}

#[derive(OpenApi)]
#[openapi(paths(
    get_notify,
    put_notify,
    delete_notify,
    list_mcp_servers,
    put_mcp_server,
    delete_mcp_server
))]
pub struct ToolSettingsApi;
