//! The HTTP API: every route of every capability, behind the gateway's guard, wrapped in the
//! shared layers. The api function serves it through lambda_http; the runner mounts it as is.

use crate::{Platform, graphql, health, openapi, pages};
use axum::Router;
use axum::http::Method;
use plasma_gateway::{Api, RouteSpec};

pub fn api(platform: &Platform) -> (Router, Vec<RouteSpec>) {
    let gateway = platform.gateway.clone();
    let document = openapi::Served::default();
    let api = Api::new(gateway.clone())
        .public(Method::GET, "/health", health::health, platform.clone())
        .public(
            Method::GET,
            "/openapi.json",
            openapi::document,
            document.clone(),
        )
        .route(
            Method::GET,
            health::ADMIN_HEALTH,
            plasma_gateway::Permission::Admin,
            health::details,
            platform.clone(),
        )
        .authenticated(Method::GET, crate::me::PATH, crate::me::me, ())
        .authenticated(
            Method::POST,
            "/graphql",
            graphql::execute,
            graphql::schema(platform, gateway),
        );
    let api = plasma_gateway::admin::routes(api);
    let api = plasma_gateway::webhook_routes::routes(api, platform.webhooks.clone());
    let api = plasma_brand::routes::routes(api, platform.brand.clone());
    let api = plasma_research::routes::routes(api, platform.research.clone());
    let api = plasma_agent::routes::routes(api, platform.agent.clone());
    let api = plasma_agent::tool_settings::routes(api, crate::agent::tenant_tools(&platform.ports));
    let mcp = crate::mcp::router(platform);
    let mut api = plasma_content::routes::routes(api, platform.content.clone())
        .authenticated(
            Method::POST,
            crate::mcp::PATH,
            crate::mcp::post,
            mcp.clone(),
        )
        .authenticated(Method::DELETE, crate::mcp::PATH, crate::mcp::delete, mcp);
    // The browser pages are for developers on the local runner; deployed, the API serves
    // only machine-readable routes.
    let local = platform.ports.embedded.is_some();
    if local {
        api = api.public(Method::GET, "/docs", pages::docs, ()).public(
            Method::GET,
            "/graphql",
            pages::explorer,
            (),
        );
    }
    let (router, specs) = api.into_parts();
    document.fill(&openapi::build(&specs, local));
    (
        plasma_http::finish(
            router,
            &platform.cors,
            plasma_research::routes::LARGE_BODIES,
        ),
        specs,
    )
}
