use crate::support::{OPEN, assert_fails, call};
use async_trait::async_trait;
use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;
use plasma_mcp::{Caller, RemoteServer, ServerOptions, ToolError, ToolHost, ToolSpec};
use plasma_tools::{McpCall, Tool};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

struct Host;

fn spec(name: &str) -> ToolSpec {
    ToolSpec {
        name: name.into(),
        title: name.to_uppercase(),
        description: format!("The {name} tool."),
        input_schema: json!({ "type": "object", "properties": { "text": { "type": "string" } } }),
        permission: plasma_mcp::Permission::ResearchRead,
        errors: &[],
    }
}

#[async_trait]
impl ToolHost for Host {
    fn tools(&self, _caller: &Caller) -> Vec<ToolSpec> {
        vec![spec("shout"), spec("explode"), spec("plain")]
    }

    async fn call(
        &self,
        caller: &Caller,
        name: &str,
        arguments: Value,
    ) -> Result<Value, ToolError> {
        match name {
            "shout" => Ok(json!({
                "text": arguments["text"].as_str().unwrap_or_default().to_uppercase(),
                "tenant": caller.tenant,
            })),
            "plain" => Ok(json!("just text")),
            "explode" => Err(ToolError::Failed("the warehouse is on fire".into())),
            other => Err(ToolError::UnknownTool(other.into())),
        }
    }
}

/// The integrator's auth layer, reduced to "everyone is the remote's tenant".
async fn authenticate(mut request: Request, next: Next) -> Response {
    let bearer = request
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok());
    if bearer == Some("Bearer remote-token") {
        request.extensions_mut().insert(Caller {
            tenant: "remote".into(),
            subject: "plasma".into(),
            permissions: vec!["research:read".into()],
        });
    }
    next.run(request).await
}

async fn serve_mcp() -> String {
    let app = plasma_mcp::router(Arc::new(Host), ServerOptions::default())
        .layer(middleware::from_fn(authenticate));
    format!("{}{}", crate::support::serve(app).await, plasma_mcp::PATH)
}

fn tool(url: &str, bearer: &str, timeout: Duration) -> McpCall {
    let server = RemoteServer {
        url: url.into(),
        bearer: Some(bearer.into()),
        timeout,
        egress: OPEN,
    };
    McpCall::new(BTreeMap::from([("remote".to_owned(), server)]))
}

#[tokio::test]
async fn calls_a_remote_tool_and_returns_its_output() {
    let mcp = tool(&serve_mcp().await, "remote-token", Duration::from_secs(10));
    let out = mcp
        .call(call(
            json!({ "server": "remote", "tool": "shout", "arguments": { "text": "hi" } }),
        ))
        .await
        .unwrap();
    assert_eq!(out, json!({ "text": "HI", "tenant": "remote" }));
    // Not an object: no structured content, so the text comes back.
    let out = mcp
        .call(call(json!({ "server": "remote", "tool": "plain" })))
        .await
        .unwrap();
    assert_eq!(out, json!("\"just text\""));
}

#[tokio::test]
async fn lists_the_remote_tools() {
    let mcp = tool(&serve_mcp().await, "remote-token", Duration::from_secs(10));
    let out = mcp
        .call(call(json!({ "server": "remote", "list": true })))
        .await
        .unwrap();
    let names: Vec<&str> = out["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["shout", "explode", "plain"]);
    assert_eq!(out["tools"][0]["title"], "SHOUT");
    assert_eq!(out["tools"][0]["input_schema"]["type"], "object");
}

#[tokio::test]
async fn failures_have_names_to_catch() {
    let url = serve_mcp().await;
    let mcp = tool(&url, "remote-token", Duration::from_secs(10));
    let failure = assert_fails(
        mcp.call(call(json!({ "server": "remote", "tool": "explode" })))
            .await,
        "Mcp.ToolError",
    );
    assert!(
        failure.cause.contains("the warehouse is on fire"),
        "{failure}"
    );
    assert_fails(
        mcp.call(call(json!({ "server": "remote", "tool": "nope" })))
            .await,
        "Mcp.RpcError",
    );
    let failure = assert_fails(
        mcp.call(call(json!({ "server": "elsewhere", "tool": "shout" })))
            .await,
        "Mcp.UnknownServer",
    );
    assert!(failure.cause.contains("remote"), "{failure}");
    assert_fails(
        tool(&url, "wrong-token", Duration::from_secs(10))
            .call(call(json!({ "server": "remote", "tool": "shout" })))
            .await,
        "Mcp.Unauthorized",
    );
    for input in [
        json!({ "server": "remote" }),
        json!({ "server": "remote", "tool": "shout", "arguments": [1] }),
        json!({ "server": "remote", "tool": "shout", "list": true }),
    ] {
        assert_fails(mcp.call(call(input)).await, "Tool.InvalidInput");
    }
}

#[tokio::test]
async fn a_silent_server_times_out() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let started = Instant::now();
    assert_fails(
        tool(
            &format!("http://{addr}/mcp"),
            "remote-token",
            Duration::from_millis(400),
        )
        .call(call(json!({ "server": "remote", "tool": "shout" })))
        .await,
        "States.Timeout",
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_private_server_is_refused_without_private_egress() {
    let url = serve_mcp().await;
    let server = RemoteServer {
        url,
        bearer: Some("remote-token".into()),
        timeout: Duration::from_secs(5),
        egress: crate::support::STRICT,
    };
    let mcp = McpCall::new(BTreeMap::from([("remote".to_owned(), server)]));
    assert_fails(
        mcp.call(call(json!({ "server": "remote", "tool": "shout" })))
            .await,
        "Http.Forbidden",
    );
}
