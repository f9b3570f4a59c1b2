//! The web dashboard: server-rendered HTML for the people who use the platform day to day,
//! over the very API REST clients use. Every page and action calls the API router in
//! process with the session's bearer token, so the gateway's authentication, permissions,
//! rate limits, validation and audit apply unchanged; pages only hide what the caller's
//! permissions (from `GET /me`) would refuse.
//!
//! Sessions are a cookie holding the bearer token (`HttpOnly`, `SameSite=Lax`, `Secure`
//! when served over HTTPS); every form carries a CSRF token derived from it. Sign-in is a
//! development form locally (a token for a chosen tenant and role, signed with the runner's
//! development key) and the OIDC authorization-code flow with PKCE when an issuer is
//! configured. Pages work without JavaScript; a small script adds upload progress.

mod api;
mod csrf;
mod layout;
mod oidc;
mod pages;
mod session;

pub use oidc::{CLIENT_ID_VAR, CLIENT_SECRET_VAR, ISSUER_VAR, OidcSettings, PUBLIC_URL_VAR};

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::Redirect;
use axum::routing::{get, post};
use plasma_gateway::DevKey;
use std::sync::Arc;
use tower::ServiceBuilder;
use tower_http::set_header::SetResponseHeaderLayer;

/// Where the dashboard lives; `/` redirects here.
pub const BASE: &str = "/app";

pub struct WebConfig {
    /// The platform's API router, called in process.
    pub api: Router,
    /// Locally: the development key the sign-in form issues tokens with.
    pub dev_key: Option<DevKey>,
    /// Deployed: the identity provider for the authorization-code flow.
    pub oidc: Option<OidcSettings>,
    /// Mark cookies `Secure` (served over HTTPS).
    pub secure_cookies: bool,
}

pub(crate) struct Inner {
    pub api: Router,
    pub dev_key: Option<DevKey>,
    pub oidc: Option<oidc::Oidc>,
    pub secure_cookies: bool,
}

#[derive(Clone)]
pub(crate) struct Web(pub Arc<Inner>);

/// Pages are same-origin only: scripts, styles and images come from this server (charts are
/// inline SVG), and nothing may frame them.
const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                   object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub fn router(config: WebConfig) -> Router {
    let web = Web(Arc::new(Inner {
        api: config.api,
        dev_key: config.dev_key,
        oidc: config.oidc.map(oidc::Oidc::new),
        secure_cookies: config.secure_cookies,
    }));
    // Pages that embed other content (a report's HTML) set their own policy.
    let set =
        |name, value| SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value));
    let headers = ServiceBuilder::new()
        .layer(set(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(set(header::REFERRER_POLICY, "same-origin"))
        .layer(set(header::X_FRAME_OPTIONS, "DENY"));
    Router::new()
        .route("/", get(|| async { Redirect::to(BASE) }))
        .route(BASE, get(pages::home::page))
        .route(
            "/app/signin",
            get(session::signin_page).post(session::dev_signin),
        )
        .route("/app/signout", post(session::signout))
        .route("/app/auth/login", get(oidc::login))
        .route("/app/auth/callback", get(oidc::callback))
        .route("/app/static/app.css", get(layout::css))
        .route("/app/static/app.js", get(layout::js))
        .merge(pages::routes())
        .with_state(web)
        .layer(headers)
}
