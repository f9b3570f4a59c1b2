//! The web function: the dashboard's pages behind API Gateway. They call the API router in
//! process with the session's token, so every action passes the same gateway as REST; the
//! gateway verifies the OIDC ID token against the configured issuers (`PLASMA_JWT_ISSUERS`).

use axum::Router;
use plasma_platform::Platform;
use plasma_web::{OidcSettings, WebConfig};

/// The dashboard over `api`, the API router it calls in process (the runner passes the one
/// it already serves). `dev_signin` offers the development sign-in where the platform has a
/// development key (the embedded runtime only).
pub fn app(
    platform: &Platform,
    api: Router,
    oidc: Option<OidcSettings>,
    dev_signin: bool,
) -> Router {
    let secure_cookies = oidc
        .as_ref()
        .is_some_and(|o| o.redirect_url.starts_with("https://"));
    plasma_web::router(WebConfig {
        api,
        dev_key: platform.ports.dev_key.clone().filter(|_| dev_signin),
        oidc,
        secure_cookies,
    })
}
