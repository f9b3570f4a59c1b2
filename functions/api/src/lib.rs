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
use serde_json::Value;

pub fn app(platform: &Platform) -> Router {
    let (router, _) = plasma_platform::api::api(platform);
    router.layer(axum::middleware::from_fn(attach_authorizer_claims))
}

/// Only lambda_http sets a request context, from the event API Gateway sent after its
/// authorizer verified the token; a client cannot forge one through headers.
async fn attach_authorizer_claims(mut req: Request, next: Next) -> Response {
    if let Some(claims) = authorizer_claims(&req) {
        req.extensions_mut().insert(claims);
    }
    next.run(req).await
}

/// The claims API Gateway's JWT authorizer verified, as it renders them: every value a
/// string. Public so tests can prove both runtimes map one token to one principal.
pub fn authorizer_claims<B>(req: &axum::http::Request<B>) -> Option<AuthorizerClaims> {
    let RequestContext::ApiGatewayV2(ctx) = req.request_context_ref()? else {
        return None;
    };
    let jwt = ctx.authorizer.as_ref()?.jwt.as_ref()?;
    Some(AuthorizerClaims(
        jwt.claims
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect(),
    ))
}
