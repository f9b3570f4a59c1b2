//! `POST /graphql`: one schema over every capability. The route's guard authenticates the
//! caller with the same authenticator as REST; each field then checks the permission its REST
//! route needs and audits the same events (see `plasma_gateway::graphql`).

mod agent;
mod cost;
mod research;

use crate::Platform;
use crate::health::HealthQuery;
use async_graphql::{EmptySubscription, MergedObject, Schema, Variables};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use plasma_gateway::graphql::{AdminMutation, AdminQuery, Caller, error};
use plasma_gateway::use_case::{UseCase, parse};
use plasma_gateway::{Gateway, Principal};
use plasma_http::{ApiJson, Problem, RequestId};
use serde::Deserialize;
use serde_json::Value;
use std::sync::Arc;
use utoipa::ToSchema;

/// Deep enough for the standard introspection query (13 levels through `ofType`), which is
/// deeper than any data query this schema allows.
const MAX_DEPTH: usize = 15;
/// Each selected field costs 1, an expensive one [`EXPENSIVE_FIELD`]; the standard
/// introspection query costs about 180.
const MAX_COMPLEXITY: usize = 250;
/// The complexity of a field that searches or writes an answer, so that one query holds at
/// most 10 of them however they are aliased (each is also charged a rate-limit token).
const EXPENSIVE_FIELD: usize = MAX_COMPLEXITY / 10;

#[derive(MergedObject, Default)]
pub struct Query(
    HealthQuery,
    AdminQuery,
    research::ResearchQuery,
    agent::AgentQuery,
);

#[derive(MergedObject, Default)]
pub struct Mutation(AdminMutation, agent::AgentMutation);

pub type ApiSchema = Schema<Query, Mutation, EmptySubscription>;

pub fn schema(platform: &Platform, gateway: Arc<Gateway>) -> ApiSchema {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .data(platform.clone())
        .data(gateway.clone())
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .extension(cost::Metered(gateway.rate_limiter.clone()))
        .enable_federation()
        .finish()
}

/// A use case's request from a field's arguments (as JSON with the declaration's snake_case
/// names), through the same defaults and limits as every other surface; a refusal names
/// the argument as GraphQL spells it.
fn request<U: UseCase>(arguments: Value) -> async_graphql::Result<U> {
    parse(arguments).map_err(|mut problem| {
        if let Some(Value::String(field)) = problem.extra.get_mut("field") {
            *field = camel_case(field);
        }
        error(problem)
    })
}

fn camel_case(snake: &str) -> String {
    let mut words = snake.split('_');
    let mut camel = words.next().unwrap_or_default().to_owned();
    for word in words {
        let mut chars = word.chars();
        camel.extend(chars.next().map(|c| c.to_ascii_uppercase()));
        camel.push_str(chars.as_str());
    }
    camel
}

/// A GraphQL request as JSON (GraphQL over HTTP).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GraphQlRequest {
    pub query: String,
    pub operation_name: Option<String>,
    /// An object of the operation's variables.
    pub variables: Option<Value>,
}

/// Run a GraphQL query or mutation.
#[utoipa::path(
    post,
    path = "/graphql",
    tag = "graphql",
    operation_id = "graphql",
    request_body = GraphQlRequest,
    responses(
        (status = 200, description = "`data`, and `errors` whose `extensions.code` is a problem \
                                      code such as `forbidden`", body = Object),
        (status = 400, description = "A body that is not a GraphQL request, or an operation \
                                      costing more requests than a minute allows", body = Problem,
         content_type = "application/problem+json"),
        (status = 429, description = "The operation's fields cost more requests than are left \
                                      (`rate_limited`, with `Retry-After`); nothing ran",
         body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn execute(
    State(schema): State<ApiSchema>,
    Extension(principal): Extension<Principal>,
    request_id: Option<Extension<RequestId>>,
    ApiJson(body): ApiJson<GraphQlRequest>,
) -> Response {
    let ledger = cost::Ledger::new(principal.clone(), body.operation_name.clone());
    let mut request = async_graphql::Request::new(body.query)
        .variables(Variables::from_json(body.variables.unwrap_or_default()))
        .data(Caller {
            principal,
            request_id: request_id.map(|Extension(id)| id.0).unwrap_or_default(),
        })
        .data(ledger.clone());
    if let Some(name) = body.operation_name {
        request = request.operation_name(name);
    }
    let answer = schema.execute(request).await;
    match ledger.outcome() {
        Some(Err(refused)) => refused.into_response(),
        Some(Ok(quota)) => {
            let mut response = Json(answer).into_response();
            quota.apply(response.headers_mut());
            response
        }
        None => Json(answer).into_response(),
    }
}
