//! The knowledge graph: entity search, one entity, its neighbourhood (to depth 3), the
//! shortest path between two entities, whole-graph export (GraphML or JSON), communities.

use crate::Research;
use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use plasma_gateway::Principal;
use plasma_graph::{Entity, Graph, Subgraph};
use plasma_http::Problem;
use plasma_http::params::{Params, invalid};
use serde::Serialize;
use serde_json::Value;
use std::sync::Arc;
use utoipa::ToSchema;

pub const ENTITIES: &str = "/research/graph/entities";
pub const ENTITY: &str = "/research/graph/entities/{id}";
pub const NEIGHBOURHOOD: &str = "/research/graph/entities/{id}/neighbourhood";
pub const PATH: &str = "/research/graph/path";
pub const EXPORT: &str = "/research/graph/export";
pub const COMMUNITIES: &str = "/research/graph/communities";
pub const MAX_DEPTH: usize = 3;

#[derive(Debug, Serialize, ToSchema)]
pub struct EntityList {
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<Value>,
}

async fn graph(research: &Research, tenant: &str) -> Result<Arc<Graph>, Problem> {
    Ok(research.graphs.graph(tenant).await?)
}

fn entity_json(entity: &Entity) -> Value {
    serde_json::to_value(entity).unwrap_or_default()
}

fn find<'g>(graph: &'g Graph, id: &str) -> Result<&'g Entity, Problem> {
    graph
        .entity(id)
        .or_else(|| graph.resolve(id))
        .ok_or_else(|| Problem::not_found(&format!("entity {id}")))
}

fn limit(params: &Params, default: usize, max: usize) -> Result<usize, Problem> {
    Ok(params
        .get("limit", &format!("a number from 1 to {max}"), |v| {
            v.parse::<usize>().ok().filter(|n| (1..=max).contains(n))
        })?
        .unwrap_or(default))
}

#[utoipa::path(
    get,
    path = ENTITIES,
    tag = "research",
    operation_id = "searchEntities",
    params(
        ("q" = Option<String>, Query, description = "Name or alias to match; the most mentioned entities without it"),
        ("limit" = Option<usize>, Query, description = "1–200, default 20"),
    ),
    responses((status = 200, description = "Entities: name, kind, aliases, description, mention count, documents, chunks", body = EntityList))
)]
pub(super) async fn entities(
    State(research): State<Research>,
    Extension(who): Extension<Principal>,
    RawQuery(raw): RawQuery,
) -> Result<Json<EntityList>, Problem> {
    let params = Params::parse(raw, &["q", "limit"])?;
    let limit = limit(&params, 20, 200)?;
    let graph = graph(&research, &who.tenant).await?;
    let items = match params.text("q").filter(|q| !q.trim().is_empty()) {
        Some(q) => graph
            .search_entities(&q, limit)
            .into_iter()
            .map(entity_json)
            .collect(),
        None => {
            let mut all: Vec<&Entity> = graph.entities().iter().collect();
            all.sort_by(|a, b| b.mention_count.cmp(&a.mention_count).then(a.id.cmp(&b.id)));
            all.into_iter().take(limit).map(entity_json).collect()
        }
    };
    Ok(Json(EntityList { items }))
}

#[utoipa::path(
    get,
    path = ENTITY,
    tag = "research",
    operation_id = "getEntity",
    params(("id" = String, Path, description = "The entity's id, or a name or alias it resolves from")),
    responses(
        (status = 200, description = "The entity", body = Object),
        (status = 404, description = "No such entity", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn entity(
    State(research): State<Research>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Json<Value>, Problem> {
    let graph = graph(&research, &who.tenant).await?;
    Ok(Json(entity_json(find(&graph, &id)?)))
}

#[utoipa::path(
    get,
    path = NEIGHBOURHOOD,
    tag = "research",
    operation_id = "getNeighbourhood",
    params(
        ("id" = String, Path),
        ("depth" = Option<usize>, Query, description = "Hops, 1–3, default 1"),
        ("limit" = Option<usize>, Query, description = "Most entities, 1–500, default 100; strongest relations first"),
        ("format" = Option<String>, Query, description = "`json` (default) or `graphml`"),
    ),
    responses(
        (status = 200, description = "Entities and relations around the entity", body = Object),
        (status = 400, description = "Depth outside 1–3", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such entity", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn neighbourhood(
    State(research): State<Research>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    let params = Params::parse(raw, &["depth", "limit", "format"])?;
    let depth = params
        .get("depth", "a depth from 1 to 3", |v| {
            v.parse::<usize>()
                .ok()
                .filter(|d| (1..=MAX_DEPTH).contains(d))
        })?
        .unwrap_or(1);
    let limit = limit(&params, 100, 500)?;
    let format = format(&params)?;
    let graph = graph(&research, &who.tenant).await?;
    let entity = find(&graph, &id)?;
    let sub = graph
        .neighbourhood(&entity.id, depth, limit)
        .ok_or_else(|| Problem::not_found(&format!("entity {id}")))?;
    Ok(render(&sub, format))
}

#[derive(Clone, Copy)]
enum Format {
    Json,
    GraphMl,
}

fn format(params: &Params) -> Result<Format, Problem> {
    match params.text("format").as_deref() {
        None | Some("json") => Ok(Format::Json),
        Some("graphml") => Ok(Format::GraphMl),
        Some(_) => Err(invalid("format", "json or graphml")),
    }
}

fn render(sub: &Subgraph<'_>, format: Format) -> Response {
    match format {
        Format::Json => Json(sub.to_json()).into_response(),
        Format::GraphMl => (
            [(
                header::CONTENT_TYPE,
                "application/graphml+xml; charset=utf-8",
            )],
            sub.to_graphml(),
        )
            .into_response(),
    }
}

#[utoipa::path(
    get,
    path = PATH,
    tag = "research",
    operation_id = "getPath",
    params(
        ("from" = String, Query, description = "Entity id, name or alias"),
        ("to" = String, Query, description = "Entity id, name or alias"),
    ),
    responses(
        (status = 200, description = "The entities along the shortest path and the relations joining them", body = Object),
        (status = 404, description = "An entity is unknown, or no path joins them (`no_path`)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn path(
    State(research): State<Research>,
    Extension(who): Extension<Principal>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, Problem> {
    let params = Params::parse(raw, &["from", "to"])?;
    let (Some(from), Some(to)) = (params.text("from"), params.text("to")) else {
        return Err(invalid("from", "from and to are both required"));
    };
    let graph = graph(&research, &who.tenant).await?;
    let (a, b) = (find(&graph, &from)?, find(&graph, &to)?);
    let path = graph.shortest_path(&a.id, &b.id).ok_or_else(|| {
        Problem::new(axum::http::StatusCode::NOT_FOUND, "no_path", "No path").detail(format!(
            "no chain of relations joins {} and {}",
            a.name, b.name
        ))
    })?;
    Ok(Json(serde_json::json!({
        "entities": path.entities.iter().map(|e| entity_json(e)).collect::<Vec<_>>(),
        "relations": path.relations,
        "length": path.relations.len(),
    })))
}

#[utoipa::path(
    get,
    path = EXPORT,
    tag = "research",
    operation_id = "exportGraph",
    params(("format" = Option<String>, Query, description = "`json` (default) or `graphml`")),
    responses((status = 200, description = "The tenant's whole graph", body = Object))
)]
pub(super) async fn export(
    State(research): State<Research>,
    Extension(who): Extension<Principal>,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    let params = Params::parse(raw, &["format"])?;
    let format = format(&params)?;
    let graph = graph(&research, &who.tenant).await?;
    Ok(render(&graph.all(), format))
}

#[utoipa::path(
    get,
    path = COMMUNITIES,
    tag = "research",
    operation_id = "listCommunities",
    responses((status = 200, description = "Communities of the graph (Louvain), largest first, with their summaries", body = Object))
)]
pub(super) async fn communities(
    State(research): State<Research>,
    Extension(who): Extension<Principal>,
) -> Result<Json<Value>, Problem> {
    let graph = graph(&research, &who.tenant).await?;
    let communities = tokio::task::spawn_blocking(move || graph.communities())
        .await
        .map_err(|_| Problem::internal())?;
    Ok(Json(serde_json::json!({ "items": communities })))
}
