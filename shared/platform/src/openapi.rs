//! `GET /openapi.json`: the OpenAPI 3.1 document, generated from the handlers' annotations and
//! completed from the route table, which alone says who may call what: each protected
//! operation gets its security schemes, `x-permission`, and the guard's 401 and 403 answers;
//! every operation gets the answers the shared layers give for its shape (400, 404, 413, 415),
//! and every create links to the operations on what it created.
//! Operations are only ever decorated here, never added, so a route without an annotated
//! handler stays missing and the route-table test catches it.

mod links;
mod schemas;

use crate::{graphql, health, mcp, me, pages};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{Method, header};
use axum::response::{IntoResponse, Response};
use plasma_gateway::RouteSpec;
use plasma_http::Problem;
use std::sync::{Arc, OnceLock};
use utoipa::OpenApi;
use utoipa::openapi::path::{Operation, ParameterIn, PathItem};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};

const BEARER: &str = "bearer";
const API_KEY: &str = "apiKey";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Plasma Engine API",
        description = "Every route of the platform. Protected operations accept a bearer JWT or \
                       an API key and name the permission they need in `x-permission`; \
                       `POST /graphql` checks a permission per field."
    ),
    paths(health::health, health::details, document, me::me, graphql::execute, mcp::post, mcp::delete),
    components(schemas(Problem)),
    tags(
        (name = "platform", description = "Health and this document"),
        (name = "graphql", description = "One GraphQL schema over every capability"),
        (name = "mcp", description = "The platform's tools for MCP clients (Streamable HTTP)"),
    )
)]
struct PlatformDoc;

/// Routes only the local runner serves: pages for a person at a browser.
#[derive(OpenApi)]
#[openapi(paths(pages::docs, pages::explorer))]
struct LocalDoc;

/// The whole document for the routes in `specs`.
pub fn build(specs: &[RouteSpec], local: bool) -> utoipa::openapi::OpenApi {
    let mut doc = PlatformDoc::openapi();
    doc.merge(plasma_gateway::admin::AdminDoc::openapi());
    doc.merge(plasma_gateway::webhook_routes::WebhookDoc::openapi());
    doc.merge(plasma_brand::routes::BrandDoc::openapi());
    doc.merge(plasma_research::routes::ResearchDoc::openapi());
    doc.merge(plasma_content::routes::ContentDoc::openapi());
    doc.merge(plasma_agent::routes::AgentApi::openapi());
    doc.merge(plasma_agent::tool_settings::ToolSettingsApi::openapi());
    if local {
        doc.merge(LocalDoc::openapi());
    }
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        BEARER,
        SecurityScheme::Http(
            Http::builder()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("JWT")
                .build(),
        ),
    );
    components.add_security_scheme(
        API_KEY,
        SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("x-api-key"))),
    );
    for spec in specs {
        if let Some(op) = doc
            .paths
            .paths
            .get_mut(spec.path)
            .and_then(|item| operation(item, &spec.method))
        {
            decorate(op, spec);
        }
    }
    links::add(&mut doc);
    schemas::open_flattened_parts(&mut doc);
    doc
}

fn operation<'a>(item: &'a mut PathItem, method: &Method) -> Option<&'a mut Operation> {
    match *method {
        Method::GET => item.get.as_mut(),
        Method::POST => item.post.as_mut(),
        Method::PUT => item.put.as_mut(),
        Method::PATCH => item.patch.as_mut(),
        Method::DELETE => item.delete.as_mut(),
        Method::HEAD => item.head.as_mut(),
        Method::OPTIONS => item.options.as_mut(),
        _ => None,
    }
}

fn decorate(op: &mut Operation, spec: &RouteSpec) {
    shared_problems(op);
    if !spec.authenticated {
        return;
    }
    op.security = Some(vec![
        SecurityRequirement::new(BEARER, Vec::<String>::new()),
        SecurityRequirement::new(API_KEY, Vec::<String>::new()),
    ]);
    add_problem(op, "401", "No valid bearer token or API key");
    add_problem(
        op,
        "429",
        "Rate limit reached; retry after `Retry-After` seconds",
    );
    add_problem(op, "503", "A backing service failed; retry later");
    let needs = match spec.permission {
        Some(permission) => {
            op.extensions
                .get_or_insert_with(Default::default)
                .insert("x-permission".into(), permission.as_str().into());
            add_problem(op, "403", "The caller lacks the permission");
            format!("Needs the `{permission}` permission.")
        }
        None => "Needs an authenticated caller; each operation checks its own permission.".into(),
    };
    op.description = Some(match op.description.take() {
        Some(text) => format!("{text}\n\n{needs}"),
        None => needs,
    });
}

/// What the shared layers answer for any operation of this shape, whatever its handler
/// declares: the JSON body extractor and the query and path parsers refuse bad input with 400
/// (naming the `field` where there is one), the body limit with 413, a body that is not JSON
/// with 415, and a path naming nothing with 404.
fn shared_problems(op: &mut Operation) {
    let located = |place: ParameterIn| {
        op.parameters.iter().flatten().any(|p| match p {
            RefOr::T(p) => p.parameter_in == place,
            RefOr::Ref(_) => false,
        })
    };
    let (query, path) = (located(ParameterIn::Query), located(ParameterIn::Path));
    let body = op.request_body.is_some();
    // A path segment can be refused too: ids the store cannot key (`#`, `/`) are 400s.
    if body || query || path {
        add_problem(
            op,
            "400",
            "A malformed body, or an invalid field, parameter or path segment",
        );
    }
    if body {
        add_problem(op, "413", "The body is larger than this operation accepts");
        add_problem(
            op,
            "415",
            "The body is not of a media type this operation reads",
        );
    }
    if path {
        add_problem(
            op,
            "404",
            "Nothing the path names exists for the caller's tenant",
        );
    }
}

fn add_problem(op: &mut Operation, status: &str, description: &str) {
    let response = ResponseBuilder::new()
        .description(description)
        .content(
            plasma_http::problem::CONTENT_TYPE,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build();
    op.responses
        .responses
        .entry(status.to_string())
        .or_insert(response.into());
}

/// The serialized document, set once the route table is complete: it lists its own route.
#[derive(Clone, Default)]
pub struct Served(Arc<OnceLock<Bytes>>);

impl Served {
    pub fn fill(&self, doc: &utoipa::openapi::OpenApi) {
        match serde_json::to_vec(doc) {
            Ok(json) => {
                let _ = self.0.set(Bytes::from(json));
            }
            Err(e) => tracing::error!(error = %e, "the OpenAPI document does not serialize"),
        }
    }
}

/// This document.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "platform",
    operation_id = "openapi",
    responses((status = 200, description = "The OpenAPI 3.1 document", body = Object))
)]
pub async fn document(State(served): State<Served>) -> Response {
    match served.0.get() {
        Some(json) => ([(header::CONTENT_TYPE, "application/json")], json.clone()).into_response(),
        None => Problem::internal().into_response(),
    }
}
