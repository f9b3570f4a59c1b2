//! The administration fields of the GraphQL schema. Each field checks the permission its REST
//! route needs and audits like the REST guard does, with the REST route's action and resource,
//! so one audit query or alert covers both APIs. The platform merges these objects with the
//! other capabilities' into one schema.

use crate::Gateway;
use crate::admin::{self, AUDIT, AuditPage, AuditQuery, CreatedKey, KEY, KEYS};
use crate::api_keys::{ApiKey, NewKey};
use crate::audit::AuditEvent;
use crate::principal::Principal;
use crate::rbac::Permission;
use async_graphql::{Context, ErrorExtensions, Object};
use axum::http::Method;
use chrono::{DateTime, Utc};
use plasma_http::Problem;
use std::sync::Arc;

/// Who is calling. The HTTP handler adds it to each GraphQL request after the route's guard
/// authenticated the caller.
#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    pub request_id: String,
}

/// A problem as a GraphQL error: `extensions.code` is the problem's stable code and the
/// extension members (`permission`, `field`) come along.
pub fn error(problem: Problem) -> async_graphql::Error {
    let message = problem.detail.clone().unwrap_or(problem.title.to_string());
    async_graphql::Error::new(message).extend_with(|_, e| {
        e.set("code", problem.code);
        e.set("status", problem.status);
        for (name, value) in &problem.extra {
            if let Ok(value) = async_graphql::Value::from_json(value.clone()) {
                e.set(name.as_str(), value);
            }
        }
    })
}

/// The REST route a field does the work of, for its audit events.
struct Act {
    method: Method,
    route: &'static str,
    resource: String,
}

impl Act {
    fn on(method: Method, route: &'static str, resource: impl Into<String>) -> Self {
        Self {
            method,
            route,
            resource: resource.into(),
        }
    }
}

async fn audit(gw: &Gateway, caller: &Caller, act: &Act, outcome: String) {
    let event = AuditEvent {
        tenant: caller.principal.tenant.clone(),
        actor: caller.principal.subject.clone(),
        action: format!("{} {}", act.method, act.route),
        resource: act.resource.clone(),
        outcome,
        request_id: caller.request_id.clone(),
        at: gw.clock.now(),
    };
    gw.audit(&event).await;
}

/// The gateway and the caller, when the caller holds `permission`; a refusal is audited and
/// answered with `extensions.code = "forbidden"`, as the REST guard does.
async fn allow<'a>(
    ctx: &'a Context<'_>,
    permission: Permission,
    act: &Act,
) -> async_graphql::Result<(&'a Gateway, &'a Caller)> {
    let gw = ctx.data::<Arc<Gateway>>()?;
    let caller = ctx.data::<Caller>()?;
    if !caller.principal.allows(permission) {
        audit(gw, caller, act, format!("denied: needs {permission}")).await;
        return Err(error(Problem::forbidden(permission.as_str())));
    }
    Ok((gw, caller))
}

/// For fields of other capabilities: the caller, when they hold the `permission` the REST
/// route `method route` needs; a refusal is audited against `resource` like the guard's.
pub async fn authorize<'a>(
    ctx: &'a Context<'_>,
    permission: Permission,
    method: Method,
    route: &'static str,
    resource: &str,
) -> async_graphql::Result<&'a Caller> {
    let (_, caller) = allow(ctx, permission, &Act::on(method, route, resource)).await?;
    Ok(caller)
}

/// Audit a mutation's outcome as the REST guard does, then answer it.
async fn audited<T>(
    gw: &Gateway,
    caller: &Caller,
    act: &Act,
    result: Result<T, Problem>,
) -> async_graphql::Result<T> {
    let outcome = match &result {
        Ok(_) => "success".to_string(),
        Err(p) => format!("failure: {}", p.status),
    };
    audit(gw, caller, act, outcome).await;
    result.map_err(error)
}

#[derive(Default)]
pub struct AdminQuery;

#[Object]
impl AdminQuery {
    /// The tenant's API keys, without their secrets. Needs `admin:*`.
    async fn api_keys(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ApiKey>> {
        let (gw, caller) = allow(ctx, Permission::Admin, &Act::on(Method::GET, KEYS, KEYS)).await?;
        admin::list_keys(gw, &caller.principal).await.map_err(error)
    }

    /// The tenant's audit log, newest first; the same bounds as `GET /admin/audit`.
    /// Needs `admin:*`.
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        actor: Option<String>,
        limit: Option<u32>,
        cursor: Option<String>,
    ) -> async_graphql::Result<AuditPage> {
        let act = Act::on(Method::GET, AUDIT, AUDIT);
        let (gw, caller) = allow(ctx, Permission::Admin, &act).await?;
        let query = AuditQuery {
            from,
            to,
            actor,
            limit,
            cursor,
        };
        admin::audit_page(gw, &caller.principal, query)
            .await
            .map_err(error)
    }
}

#[derive(Default)]
pub struct AdminMutation;

#[Object]
impl AdminMutation {
    /// Create an API key; its secret is in this answer only. Needs `admin:*`.
    async fn create_api_key(
        &self,
        ctx: &Context<'_>,
        input: NewKey,
    ) -> async_graphql::Result<CreatedKey> {
        let act = Act::on(Method::POST, KEYS, KEYS);
        let (gw, caller) = allow(ctx, Permission::Admin, &act).await?;
        let result = admin::create_key(gw, &caller.principal, input).await;
        audited(gw, caller, &act, result).await
    }

    /// Revoke an API key; `true` once revoked. Needs `admin:*`.
    async fn revoke_api_key(&self, ctx: &Context<'_>, id: String) -> async_graphql::Result<bool> {
        let act = Act::on(Method::DELETE, KEY, format!("{KEYS}/{id}"));
        let (gw, caller) = allow(ctx, Permission::Admin, &act).await?;
        let result = admin::revoke_key(gw, &caller.principal, &id).await;
        audited(gw, caller, &act, result.map(|()| true)).await
    }
}
