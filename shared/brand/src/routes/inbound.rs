//! The inbound webhook: mentions pushed by any source without a connector, run through the
//! same pipeline as a scan job's.

use super::monitors::monitor;
use crate::scan::{Brand, CollectError, ingest};
use crate::sources::parse_inbound;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::{Extension, Json};
use plasma_gateway::Principal;
use plasma_http::Problem;
use plasma_http::params::invalid;
use serde::Serialize;
use utoipa::ToSchema;

pub const INBOUND: &str = "/brand/monitors/{id}/inbound";

#[derive(Debug, Serialize, ToSchema)]
pub struct InboundReceived {
    /// Items in the document.
    pub received: u64,
    /// Items the monitor's languages and query kept.
    pub matched: u64,
    /// Matched items not stored before (by canonical URL).
    pub new: u64,
}

/// The documented shape, for the OpenAPI document; the body is validated by `parse_inbound`,
/// which names the first offending field.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct InboundDocument {
    /// At most 1000 items.
    items: Vec<InboundItem>,
}

#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct InboundItem {
    /// Absolute http(s) URL; mentions are deduplicated by its canonical form.
    url: String,
    /// Required, but may be null when unknown.
    author: Option<String>,
    /// RFC 3339 timestamp.
    published_at: String,
    /// At most 64 KiB; HTML is reduced to plain text.
    text: String,
    /// BCP 47 tag such as `en` or `pt-BR`.
    language: Option<String>,
    reach: Option<u64>,
    engagement: Option<u64>,
}

#[utoipa::path(
    post,
    path = INBOUND,
    tag = "brand",
    operation_id = "postInboundMentions",
    description = "Push mentions from a source without a connector (a `service` API key may call it). They are filtered by the monitor's languages and query, scored, deduplicated and checked against its alert rules, like a scan's. A document is accepted whole or refused with the first offending field.",
    params(("id" = String, Path, description = "The monitor's id")),
    request_body = InboundDocument,
    responses(
        (status = 200, description = "What the document amounted to", body = InboundReceived),
        (status = 400, description = "An invalid document; `field` names the first offending one, e.g. `items[0].published_at`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such monitor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn receive(
    State(brand): State<Brand>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<InboundReceived>, Problem> {
    let monitor = monitor(&brand, &who.tenant, &id).await?;
    let mentions = parse_inbound(&body).map_err(|e| invalid(&e.field, e.to_string()))?;
    let received = mentions.len() as u64;
    let ingested = ingest(&brand, &who.tenant, &monitor, mentions)
        .await
        .map_err(|e| match e {
            CollectError::Store(e) => Problem::from(e),
            other => {
                tracing::error!(monitor = %monitor.id, error = %other, "inbound mentions not stored");
                Problem::internal()
            }
        })?;
    Ok(Json(InboundReceived {
        received,
        matched: ingested.matched,
        new: ingested.new,
    }))
}
