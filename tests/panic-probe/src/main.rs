//! The API's outer layers (`plasma_http::finish`) around a handler that panics, served to the
//! Lambda Runtime API like every HTTP function.

use axum::Router;
use axum::routing::get;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let router = Router::new()
        .route("/panic", get(boom))
        .route("/ok", get(|| async { "still serving" }));
    let app = plasma_http::finish(router, &plasma_http::Cors::default(), &[]);
    lambda_http::run(app).await
}

async fn boom() -> &'static str {
    panic!("a bug in a handler")
}
