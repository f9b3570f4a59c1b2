//! Gateway core: who is calling (JWT or API key → [`Principal`]), what they may do (RBAC
//! [`Permission`]s declared per route in one table), and the audit trail of what they did.

pub mod admin;
pub mod api_keys;
pub mod audit;
pub mod auth;
pub mod config;
pub mod graphql;
pub mod jwks;
pub mod principal;
pub mod rate_limit;
pub mod rbac;
pub mod routes;
pub mod token;
pub mod use_case;
pub mod webhook_routes;
pub mod webhooks;

pub use auth::{Authenticator, AuthorizerClaims};
pub use config::{GatewayConfig, IssuerConfig};
pub use jwks::JwtVerifier;
pub use principal::{ClaimMapping, Principal};
pub use rbac::{Permission, Role};
pub use routes::{Api, RouteSpec};
pub use token::DevKey;

use plasma_core::{Clock, EventBus};
use std::sync::Arc;

/// What the gateway's guard and admin routes need, built once per process.
pub struct Gateway {
    pub auth: Authenticator,
    pub keys: api_keys::ApiKeys,
    pub audit_log: audit::AuditLog,
    pub bus: Arc<dyn EventBus>,
    pub clock: Arc<dyn Clock>,
    /// Token buckets per tenant and principal, checked by the guard after authentication.
    pub rate_limiter: rate_limit::RateLimiter,
}
