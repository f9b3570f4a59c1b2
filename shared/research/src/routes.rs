//! The research capability's HTTP routes: documents and uploads, search, ask, the knowledge
//! graph, and research jobs.

mod ask;
mod documents;
mod graph;
mod jobs;
mod search;

use crate::Research;
use axum::http::Method;
use plasma_gateway::{Api, Permission};

pub use ask::{ASK, AskRequest};
pub use documents::{
    DOCUMENT, DOCUMENTS, DocumentAccepted, DocumentList, MAX_DIRECT_BYTES, NewDocument, UPLOADS,
    UploadTicket,
};
pub use graph::{COMMUNITIES, ENTITIES, ENTITY, EXPORT, NEIGHBOURHOOD, PATH};
pub use jobs::{JOB, JOB_REPORT, JOBS, JobAccepted};
pub use search::{SEARCH, SearchBody, SearchResponse};

/// Routes whose bodies may exceed the API's default limit: document uploads (multipart or
/// JSON carrying the file), up to the direct-upload limit plus envelope overhead.
pub const LARGE_BODIES: &[(&str, usize)] = &[(DOCUMENTS, MAX_DIRECT_BYTES + ENVELOPE)];
/// Room for multipart boundaries, JSON escaping and base64 around a direct upload.
const ENVELOPE: usize = MAX_DIRECT_BYTES / 3 + 64 * 1024;

pub fn routes(api: Api, research: Research) -> Api {
    use Permission::{ResearchRead, ResearchWrite};
    let r = research;
    api.route(
        Method::POST,
        DOCUMENTS,
        ResearchWrite,
        documents::create,
        r.clone(),
    )
    .route(
        Method::GET,
        DOCUMENTS,
        ResearchRead,
        documents::list,
        r.clone(),
    )
    .route(
        Method::GET,
        DOCUMENT,
        ResearchRead,
        documents::get,
        r.clone(),
    )
    .route(
        Method::DELETE,
        DOCUMENT,
        ResearchWrite,
        documents::delete,
        r.clone(),
    )
    .route(
        Method::POST,
        UPLOADS,
        ResearchWrite,
        documents::upload,
        r.clone(),
    )
    .route(
        Method::POST,
        SEARCH,
        ResearchRead,
        search::search,
        r.clone(),
    )
    .route(Method::POST, ASK, ResearchRead, ask::ask, r.clone())
    .route(
        Method::GET,
        ENTITIES,
        ResearchRead,
        graph::entities,
        r.clone(),
    )
    .route(Method::GET, ENTITY, ResearchRead, graph::entity, r.clone())
    .route(
        Method::GET,
        NEIGHBOURHOOD,
        ResearchRead,
        graph::neighbourhood,
        r.clone(),
    )
    .route(Method::GET, PATH, ResearchRead, graph::path, r.clone())
    .route(Method::GET, EXPORT, ResearchRead, graph::export, r.clone())
    .route(
        Method::GET,
        COMMUNITIES,
        ResearchRead,
        graph::communities,
        r.clone(),
    )
    .route(Method::POST, JOBS, ResearchWrite, jobs::create, r.clone())
    .route(Method::GET, JOB, ResearchRead, jobs::get, r.clone())
    .route(Method::GET, JOB_REPORT, ResearchRead, jobs::report, r)
}

/// The OpenAPI documentation of these routes, merged into the platform's document.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
    documents::create,
    documents::list,
    documents::get,
    documents::delete,
    documents::upload,
    search::search,
    ask::ask,
    graph::entities,
    graph::entity,
    graph::neighbourhood,
    graph::path,
    graph::export,
    graph::communities,
    jobs::create,
    jobs::get,
        jobs::report,
    ),
    tags((name = "research", description = "Documents, hybrid search, the knowledge graph, answers with citations, research jobs"))
)]
pub struct ResearchDoc;
