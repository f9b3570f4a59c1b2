//! The `/mcp` endpoint: rmcp's Streamable HTTP transport behind a gate that refuses requests
//! the integrator's auth middleware did not turn into a [`Caller`].

use crate::host::{Caller, ToolHost};
use crate::server::PlasmaServer;
use axum::Router;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use plasma_http::Problem;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::session::never::NeverSessionManager;
use rmcp::transport::{StreamableHttpServerConfig, StreamableHttpService};
use std::sync::Arc;

/// Where the router serves MCP.
pub const PATH: &str = "/mcp";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerOptions {
    /// No sessions, and every POST answered with one JSON body. Lambda needs this: a client's
    /// consecutive requests may reach different instances, which share no session table, and
    /// API Gateway buffers responses, so a held-open event stream would never arrive.
    /// Off, the server keeps sessions (`Mcp-Session-Id`) in memory and answers with event
    /// streams, which suits the single-process local runner.
    pub stateless: bool,
    /// `Host` values accepted (`name` or `name:port`), rmcp's guard against DNS rebinding
    /// from a browser. Empty accepts any host; do that only where a gateway fixes the host.
    pub allowed_hosts: Vec<String>,
}

impl Default for ServerOptions {
    fn default() -> Self {
        Self {
            stateless: false,
            allowed_hosts: vec!["localhost".into(), "127.0.0.1".into(), "::1".into()],
        }
    }
}

/// The MCP endpoint at [`PATH`]. Mount it where the auth middleware runs first and inserts a
/// [`Caller`] into the request extensions; requests without one get a 401 problem.
pub fn router(host: Arc<dyn ToolHost>, options: ServerOptions) -> Router {
    let config = StreamableHttpServerConfig::default().with_allowed_hosts(options.allowed_hosts);
    let factory = move || Ok(PlasmaServer::new(host.clone()));
    let router = if options.stateless {
        let config = config
            .with_legacy_session_mode(false)
            .with_json_response(true);
        let sessions = Arc::new(NeverSessionManager::default());
        Router::new().route_service(PATH, StreamableHttpService::new(factory, sessions, config))
    } else {
        let sessions = Arc::new(LocalSessionManager::default());
        Router::new().route_service(PATH, StreamableHttpService::new(factory, sessions, config))
    };
    router
        .layer(middleware::from_fn(plain_errors_as_problems))
        .layer(middleware::from_fn(require_caller))
}

/// Longest transport error text kept as a problem's detail.
const MAX_DETAIL: usize = 1024;

/// rmcp answers transport errors (no session id, an unknown session, a wrong `Accept` or
/// `Content-Type`) in plain text or with no media type at all. They become problem details like
/// every other error of the API; JSON-RPC errors (`application/json`) stay as MCP clients
/// expect them.
async fn plain_errors_as_problems(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let media = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !status.is_client_error() || media.starts_with("application/") {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, MAX_DETAIL)
        .await
        .unwrap_or_default();
    let (code, title) = match status {
        StatusCode::NOT_FOUND => ("not_found", "Not found"),
        StatusCode::FORBIDDEN => ("forbidden", "Forbidden"),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "Method not allowed"),
        StatusCode::NOT_ACCEPTABLE => ("not_acceptable", "Not acceptable"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", "Unsupported media type"),
        _ => ("invalid_request", "Invalid request"),
    };
    let mut problem = Problem::new(status, code, title)
        .detail(String::from_utf8_lossy(&text).trim().to_string())
        .into_response();
    // `Allow` on a 405, and whatever else rmcp said, still reaches the client.
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            problem.headers_mut().insert(name, value.clone());
        }
    }
    problem
}

async fn require_caller(request: Request, next: Next) -> Response {
    if request.extensions().get::<Caller>().is_none() {
        return Problem::unauthorized("send a bearer token or an API key").into_response();
    }
    next.run(request).await
}
