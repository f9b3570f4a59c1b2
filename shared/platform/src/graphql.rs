//! `POST /graphql`: one schema over every capability. The route's guard authenticates the
//! caller with the same authenticator as REST; each field then checks the permission its REST
//! route needs and audits the same events (see `plasma_gateway::graphql`).

mod agent;
mod research;

use crate::Platform;
use crate::health::HealthQuery;
use async_graphql::{EmptySubscription, MergedObject, Schema, Variables};
use axum::extract::State;
use axum::{Extension, Json};
use plasma_gateway::graphql::{AdminMutation, AdminQuery, Caller};
use plasma_gateway::{Gateway, Principal};
use plasma_http::{ApiJson, Problem, RequestId};
use serde::Deserialize;
use serde_json::Value;
use std::sync::Arc;
use utoipa::ToSchema;

/// Deep enough for the standard introspection query (13 levels through `ofType`), which is
/// deeper than any data query this schema allows.
const MAX_DEPTH: usize = 15;
/// Each selected field costs 1; the standard introspection query costs about 180.
const MAX_COMPLEXITY: usize = 250;

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
        .data(gateway)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .enable_federation()
        .finish()
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
        (status = 400, description = "A body that is not a GraphQL request", body = Problem,
         content_type = "application/problem+json"),
    )
)]
pub async fn execute(
    State(schema): State<ApiSchema>,
    Extension(principal): Extension<Principal>,
    request_id: Option<Extension<RequestId>>,
    ApiJson(body): ApiJson<GraphQlRequest>,
) -> Json<async_graphql::Response> {
    let mut request = async_graphql::Request::new(body.query)
        .variables(Variables::from_json(body.variables.unwrap_or_default()))
        .data(Caller {
            principal,
            request_id: request_id.map(|Extension(id)| id.0).unwrap_or_default(),
        });
    if let Some(name) = body.operation_name {
        request = request.operation_name(name);
    }
    Json(schema.execute(request).await)
}
