//! The route table. Every route is added through [`Api`], which records its method, path and
//! permission in one place (for the OpenAPI document and the tenant-isolation sweep) and puts
//! the authentication, rate limit, permission and audit guard in front of it. There is no
//! other way to add a non-public route, so a route cannot be added without a permission.

use crate::Gateway;
use crate::audit::{self, AuditEvent};
use crate::auth::AuthorizerClaims;
use crate::principal::Principal;
use crate::rbac::Permission;
use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::handler::Handler;
use axum::http::Method;
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, on};
use plasma_http::{Problem, RequestId};
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteSpec {
    pub method: Method,
    pub path: &'static str,
    /// `None` for the few public routes (health) and for authenticated-only ones.
    pub permission: Option<Permission>,
    /// Whether the guard authenticates the caller. `true` with no permission: the handler
    /// checks a permission per operation itself (GraphQL: each field names its own).
    pub authenticated: bool,
}

pub struct Api {
    router: Router,
    specs: Vec<RouteSpec>,
    gateway: Arc<Gateway>,
}

impl Api {
    pub fn new(gateway: Arc<Gateway>) -> Self {
        Self {
            router: Router::new(),
            specs: Vec::new(),
            gateway,
        }
    }

    pub fn gateway(&self) -> &Arc<Gateway> {
        &self.gateway
    }

    /// A route anyone may call, unauthenticated.
    pub fn public<H, T, S>(
        mut self,
        method: Method,
        path: &'static str,
        handler: H,
        state: S,
    ) -> Self
    where
        H: Handler<T, S>,
        T: 'static,
        S: Clone + Send + Sync + 'static,
    {
        let route = on(filter(&method), handler).with_state(state);
        self.router = self.router.route(path, route);
        self.specs.push(RouteSpec {
            method,
            path,
            permission: None,
            authenticated: false,
        });
        self
    }

    /// A route for any authenticated caller, whose handler checks a permission per operation
    /// and audits what it does; it gets the [`Principal`] as an extension like any other.
    pub fn authenticated<H, T, S>(
        mut self,
        method: Method,
        path: &'static str,
        handler: H,
        state: S,
    ) -> Self
    where
        H: Handler<T, S>,
        T: 'static,
        S: Clone + Send + Sync + 'static,
    {
        let route = on(filter(&method), handler)
            .with_state(state)
            .route_layer(from_fn_with_state((self.gateway.clone(), None), guard));
        self.router = self.router.route(path, route);
        self.specs.push(RouteSpec {
            method,
            path,
            permission: None,
            authenticated: true,
        });
        self
    }

    /// A route that needs `permission`.
    pub fn route<H, T, S>(
        mut self,
        method: Method,
        path: &'static str,
        permission: Permission,
        handler: H,
        state: S,
    ) -> Self
    where
        H: Handler<T, S>,
        T: 'static,
        S: Clone + Send + Sync + 'static,
    {
        let route = on(filter(&method), handler)
            .with_state(state)
            .route_layer(from_fn_with_state(
                (self.gateway.clone(), Some(permission)),
                guard,
            ));
        self.router = self.router.route(path, route);
        self.specs.push(RouteSpec {
            method,
            path,
            permission: Some(permission),
            authenticated: true,
        });
        self
    }

    pub fn specs(&self) -> &[RouteSpec] {
        &self.specs
    }

    pub fn into_parts(self) -> (Router, Vec<RouteSpec>) {
        (self.router, self.specs)
    }
}

fn filter(method: &Method) -> MethodFilter {
    MethodFilter::try_from(method.clone())
        .unwrap_or_else(|_| panic!("route method {method} is not routable"))
}

async fn guard(
    State((gateway, permission)): State<(Arc<Gateway>, Option<Permission>)>,
    req: Request,
    next: Next,
) -> Response {
    let principal = match gateway
        .auth
        .authenticate(req.headers(), req.extensions().get::<AuthorizerClaims>())
        .await
    {
        Ok(p) => p,
        Err(problem) => {
            let detail = problem.detail.as_deref().unwrap_or("");
            tracing::warn!(detail, "authentication failed");
            if !gateway.sampled_unauthenticated().await {
                return problem.into_response();
            }
            // No tenant can be trusted yet, so the event goes to the platform's own log.
            let event = AuditEvent {
                tenant: audit::PLATFORM_TENANT.into(),
                actor: "anonymous".into(),
                action: action_of(&req),
                resource: req.uri().path().to_string(),
                outcome: format!("unauthenticated: {detail}"),
                request_id: request_id_of(&req),
                at: gateway.clock.now(),
            };
            gateway.audit(&event).await;
            return problem.into_response();
        }
    };
    // After authentication because the buckets are per tenant and principal; before the
    // permission check so that refused requests count too.
    let quota = match gateway.rate_limiter.admit(&principal).await {
        Ok(quota) => quota,
        Err(problem) => return problem.into_response(),
    };
    let mut response = authorized(&gateway, permission, principal, req, next).await;
    quota.apply(response.headers_mut());
    response
}

/// The permission check, the handler and its audit record, for an admitted caller.
async fn authorized(
    gateway: &Gateway,
    permission: Option<Permission>,
    principal: Principal,
    mut req: Request,
    next: Next,
) -> Response {
    let method = req.method().clone();
    let action = action_of(&req);
    let resource = req.uri().path().to_string();
    let request_id = request_id_of(&req);
    let record = |outcome: String| AuditEvent {
        tenant: principal.tenant.clone(),
        actor: principal.subject.clone(),
        action: action.clone(),
        resource: resource.clone(),
        outcome,
        request_id: request_id.clone(),
        at: gateway.clock.now(),
    };
    if let Some(permission) = permission.filter(|p| !principal.allows(*p)) {
        gateway
            .audit(&record(format!("denied: needs {permission}")))
            .await;
        return Problem::forbidden(permission.as_str()).into_response();
    }
    req.extensions_mut().insert::<Principal>(principal.clone());
    let response = next.run(req).await;
    // Authenticated-only routes audit per operation (a GraphQL request may hold only reads).
    if permission.is_some() && !matches!(method, Method::GET | Method::HEAD | Method::OPTIONS) {
        let status = response.status();
        let outcome = if status.is_success() {
            "success".to_string()
        } else {
            format!("failure: {}", status.as_u16())
        };
        gateway.audit(&record(outcome)).await;
    }
    response
}

impl Gateway {
    /// Whether an unauthenticated request is one of its minute's sample written to the audit
    /// log; every one is counted. When the count cannot be kept, none is written: the point
    /// is that anonymous traffic cannot multiply writes.
    async fn sampled_unauthenticated(&self) -> bool {
        match self.audit_log.count_unauthenticated(self.clock.now()).await {
            Ok(sampled) => sampled,
            Err(e) => {
                tracing::error!(error = %e, "counting unauthenticated requests failed");
                false
            }
        }
    }

    /// Audit publishing must not undo a request that already took effect: a failure is logged
    /// loudly instead of turned into an error response.
    pub(crate) async fn audit(&self, event: &AuditEvent) {
        if let Err(e) = audit::publish(self.bus.as_ref(), event).await {
            tracing::error!(error = %e, action = %event.action, tenant = %event.tenant, "audit event lost");
        }
    }
}

/// `METHOD /route/{param}`: the route, not the concrete path, so entries group by action.
fn action_of(req: &Request) -> String {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(MatchedPath::as_str)
        .unwrap_or("?");
    format!("{} {route}", req.method())
}

fn request_id_of(req: &Request) -> String {
    req.extensions()
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default()
}
