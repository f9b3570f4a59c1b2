//! The web function: the dashboard's pages behind API Gateway. They call the API router in
//! process with the session's token, so every action passes the same gateway as REST; the
//! gateway verifies the OIDC ID token against the configured issuers (`PLASMA_JWT_ISSUERS`).

use axum::Router;
use plasma_platform::Platform;
use plasma_web::{OidcSettings, WebConfig};

pub fn app(platform: &Platform, oidc: Option<OidcSettings>) -> Router {
    let secure_cookies = oidc
        .as_ref()
        .is_some_and(|o| o.redirect_url.starts_with("https://"));
    plasma_web::router(WebConfig {
        api: api::app(platform),
        dev_key: platform.ports.dev_key.clone(),
        oidc,
        secure_cookies,
    })
}
