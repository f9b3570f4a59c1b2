//! A panic in an HTTP handler, in a binary built with the release profile the functions ship
//! with (`cargo lambda build --release` keeps every setting `[profile.release]` names, and
//! would otherwise make `panic = "abort"`): the request answers a 500 problem and the same
//! process serves the next one.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use serde_json::Value;
use std::collections::VecDeque;
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;

const API: &str = "/2018-06-01/runtime";

/// What the function posted back: `response` or `error`, with the body.
type Outcome = (String, Value);

#[derive(Clone)]
struct RuntimeApi {
    events: Arc<Mutex<VecDeque<Value>>>,
    outcomes: mpsc::UnboundedSender<Outcome>,
}

/// The Lambda Runtime API, as much as lambda_runtime uses: events handed out one by one
/// (a `next` with none left waits, as Lambda's does), responses and errors collected.
fn runtime_api(state: RuntimeApi) -> Router {
    Router::new()
        .route(&format!("{API}/invocation/next"), get(next))
        .route(
            &format!("{API}/invocation/{{id}}/response"),
            post(|s, p, b| outcome(s, p, b, "response")),
        )
        .route(
            &format!("{API}/invocation/{{id}}/error"),
            post(|s, p, b| outcome(s, p, b, "error")),
        )
        .route(
            &format!("{API}/init/error"),
            post(|State(s): State<RuntimeApi>, body: String| async move {
                let _ = s.outcomes.send(("init error".into(), Value::String(body)));
            }),
        )
        .with_state(state)
}

async fn next(State(state): State<RuntimeApi>) -> axum::response::Response {
    let Some(event) = state.events.lock().unwrap().pop_front() else {
        return std::future::pending().await;
    };
    let mut headers = HeaderMap::new();
    let deadline = chrono::Utc::now().timestamp_millis() + 60_000;
    for (name, value) in [
        ("lambda-runtime-aws-request-id", request_id()),
        ("lambda-runtime-deadline-ms", deadline.to_string()),
        (
            "lambda-runtime-invoked-function-arn",
            "arn:aws:lambda:us-east-1:123456789012:function:panic-probe".into(),
        ),
        (
            "lambda-runtime-trace-id",
            "Root=1-00000000-000000000000000000000000".into(),
        ),
    ] {
        headers.insert(name, value.parse().unwrap());
    }
    (headers, axum::Json(event)).into_response()
}

/// A request id, different for each event.
fn request_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!("probe-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

async fn outcome(
    State(state): State<RuntimeApi>,
    Path(_id): Path<String>,
    body: String,
    kind: &'static str,
) {
    let body = serde_json::from_str(&body).unwrap_or(Value::String(body));
    let _ = state.outcomes.send((kind.into(), body));
}

/// The API Gateway sample event, for `path`.
fn event(path: &str) -> Value {
    let mut event: Value =
        serde_json::from_str(&crate::functions::sample("api-health.json")).unwrap();
    event["rawPath"] = path.into();
    event["requestContext"]["http"]["path"] = path.into();
    event
}

/// Builds the probe with the release profile, in its own target directory (the test run
/// holds the workspace's).
fn build_probe() -> std::path::PathBuf {
    let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let target = workspace.join("target").join("panic-probe");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = std::process::Command::new(cargo)
        .current_dir(&workspace)
        .args(["build", "--release", "--locked", "-p", "panic-probe"])
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .expect("cargo runs");
    assert!(
        status.success(),
        "the probe builds with the release profile"
    );
    target.join("release").join("panic-probe")
}

#[tokio::test]
async fn a_panicking_handler_answers_500_and_the_shipped_binary_keeps_serving() {
    let binary = tokio::task::spawn_blocking(build_probe).await.unwrap();
    let (outcomes, mut received) = mpsc::unbounded_channel();
    let state = RuntimeApi {
        events: Arc::new(Mutex::new(VecDeque::from([event("/panic"), event("/ok")]))),
        outcomes,
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(axum::serve(listener, runtime_api(state)).into_future());
    let mut child = tokio::process::Command::new(&binary)
        .env("AWS_LAMBDA_RUNTIME_API", addr.to_string())
        .env("AWS_LAMBDA_FUNCTION_NAME", "panic-probe")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/panic-probe")
        .env("AWS_LAMBDA_LOG_STREAM_NAME", "probe")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("the probe starts");
    let mut take = async || {
        tokio::time::timeout(Duration::from_secs(30), received.recv())
            .await
            .ok()
            .flatten()
    };
    let (kind, panicked) = take().await.expect("an answer to the panicking request");
    assert_eq!(kind, "response", "{panicked}");
    assert_eq!(panicked["statusCode"], 500, "{panicked}");
    let problem: Value = serde_json::from_str(panicked["body"].as_str().unwrap()).unwrap();
    assert_eq!(problem["code"], "internal", "{problem}");
    let (kind, next) = take()
        .await
        .expect("the same process answers the next request");
    assert_eq!(
        (kind.as_str(), &next["statusCode"]),
        ("response", &Value::from(200))
    );
    assert_eq!(next["body"], "still serving");
    assert!(
        child.try_wait().unwrap().is_none(),
        "the process is still up"
    );
}
