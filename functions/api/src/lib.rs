//! The api function: the platform's router, plus the bridge from API Gateway's JWT authorizer
//! to the gateway's principal mapping.

use axum::Router;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use lambda_http::RequestExt;
use lambda_http::request::RequestContext;
use plasma_gateway::AuthorizerClaims;
use plasma_platform::Platform;
use serde_json::{Map, Value};

pub fn app(platform: &Platform) -> Router {
    let (router, _) = plasma_platform::api::api(platform);
    router.layer(axum::middleware::from_fn(authorizer_claims))
}

/// Only lambda_http sets a request context, from the event API Gateway sent after its
/// authorizer verified the token; a client cannot forge one through headers.
async fn authorizer_claims(mut req: Request, next: Next) -> Response {
    if let Some(claims) = jwt_claims(&req) {
        req.extensions_mut().insert(AuthorizerClaims(claims));
    }
    next.run(req).await
}

fn jwt_claims(req: &Request) -> Option<Map<String, Value>> {
    let RequestContext::ApiGatewayV2(ctx) = req.request_context_ref()? else {
        return None;
    };
    let jwt = ctx.authorizer.as_ref()?.jwt.as_ref()?;
    Some(
        jwt.claims
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect(),
    )
}
