//! Pages for a person at a browser, served by the local runner only. They are self-contained
//! (no scripts or styles from elsewhere): the runner is often used offline.

use axum::response::Html;

/// A page listing every operation of `/openapi.json` with its permission.
#[utoipa::path(
    get,
    path = "/docs",
    tag = "platform",
    operation_id = "docsPage",
    responses((status = 200, description = "An HTML page", content_type = "text/html", body = String))
)]
pub async fn docs() -> Html<&'static str> {
    Html(include_str!("pages/docs.html"))
}

/// A page to run GraphQL queries with a token.
#[utoipa::path(
    get,
    path = "/graphql",
    tag = "graphql",
    operation_id = "graphqlPage",
    responses((status = 200, description = "An HTML page", content_type = "text/html", body = String))
)]
pub async fn explorer() -> Html<&'static str> {
    Html(include_str!("pages/graphql.html"))
}
