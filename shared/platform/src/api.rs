//! The HTTP API: every route of every capability, behind the gateway's guard, wrapped in the
//! shared layers. The api function serves it through lambda_http; the runner mounts it as is.

use crate::{Platform, health};
use axum::Router;
use axum::http::Method;
use plasma_gateway::{Api, RouteSpec};
use std::sync::Arc;

pub fn api(platform: &Platform) -> (Router, Vec<RouteSpec>) {
    let api = Api::new(Arc::new(platform.gateway())).public(
        Method::GET,
        "/health",
        health::health,
        platform.clone(),
    );
    let api = plasma_gateway::admin::routes(api);
    let (router, specs) = api.into_parts();
    (plasma_http::finish(router), specs)
}
