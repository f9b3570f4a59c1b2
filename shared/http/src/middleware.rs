//! The outer layers every HTTP function's router gets: problem-details fallbacks for unknown
//! routes and methods, a request id propagated into logs and responses, security headers, a
//! body limit, a panic safety net that answers 500 problem details, and CORS when configured.

use crate::cors::{Cors, silence_refused_origins};
use crate::json::{DEFAULT_BODY_LIMIT, too_large};
use crate::problem::Problem;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::any::Any;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tracing::Instrument;

pub const REQUEST_ID_HEADER: &str = "x-request-id";
/// The IETF draft rate-limit headers the gateway's guard sets (named here for CORS to expose).
pub const RATELIMIT_LIMIT: &str = "ratelimit-limit";
pub const RATELIMIT_REMAINING: &str = "ratelimit-remaining";
pub const RATELIMIT_RESET: &str = "ratelimit-reset";

/// The request's id, available to handlers as an extension.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Routes that take bodies above the default limit (document uploads), by exact path, with
/// their own limit. Their handlers read the body themselves and enforce that limit.
pub type LargeBodies = &'static [(&'static str, usize)];

/// Wrap a fully routed API in the shared fallbacks and layers.
pub fn finish(router: Router, cors: &Cors, large_bodies: LargeBodies) -> Router {
    let request_id = HeaderName::from_static(REQUEST_ID_HEADER);
    let security = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=63072000; includeSubDomains",
        ),
        (header::CACHE_CONTROL, "no-store"),
    ];
    let mut router = router
        .fallback(|| async { Problem::not_found("this route") })
        .method_not_allowed_fallback(|| async {
            Problem::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "Method not allowed",
            )
            .detail("this route does not accept that method")
        })
        .layer(axum::middleware::from_fn_with_state(
            large_bodies,
            oversized_as_problem,
        ))
        .layer(DefaultBodyLimit::max(DEFAULT_BODY_LIMIT))
        .layer(axum::middleware::from_fn(record_request_id));
    for (name, value) in security {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ));
    }
    router = router.layer(CatchPanicLayer::custom(panic_as_problem));
    // Outside the panic net, so that even a 500 is readable by an allowed origin; inside the
    // request id layers, so that preflight answers carry one too.
    if let Some(layer) = cors.layer() {
        router = router
            .layer(layer)
            .layer(axum::middleware::map_response(silence_refused_origins));
    }
    router
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

async fn record_request_id(mut req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let span = tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path());
    req.extensions_mut().insert(RequestId(id));
    async move {
        let response = next.run(req).await;
        tracing::info!(status = response.status().as_u16(), "handled");
        response
    }
    .instrument(span)
    .await
}

/// Extractors that buffer bodies answer 413 in plain text; a declared `Content-Length` over the
/// limit is refused before any handler runs, and any remaining plain 413 becomes a problem.
async fn oversized_as_problem(
    axum::extract::State(large_bodies): axum::extract::State<LargeBodies>,
    req: Request,
    next: Next,
) -> Response {
    let limit = large_bodies
        .iter()
        .find(|(path, _)| *path == req.uri().path())
        .map_or(DEFAULT_BODY_LIMIT, |(_, limit)| *limit);
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return too_large().into_response();
    }
    let response = next.run(req).await;
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes() == crate::problem::CONTENT_TYPE.as_bytes());
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_problem {
        return too_large().into_response();
    }
    response
}

fn panic_as_problem(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    tracing::error!(panic = message, "handler panicked");
    Problem::internal().into_response()
}
