//! `McpClient` against the platform's own server (stateful and stateless, so both the event
//! stream and the JSON answer paths are read) and against a server that never answers.

use crate::support::{READER, serve};
use plasma_mcp::{ClientError, Egress, McpClient, RemoteServer, ServerOptions};
use serde_json::json;
use std::time::{Duration, Instant};

fn remote(url: &str, bearer: Option<&str>, timeout: Duration) -> RemoteServer {
    RemoteServer {
        url: url.into(),
        bearer: bearer.map(str::to_owned),
        timeout,
        egress: Egress {
            allow_private: true,
        },
    }
}

async fn lists_and_calls(options: ServerOptions) {
    let url = serve(options).await;
    let client = McpClient::connect(&remote(&url, Some(READER), Duration::from_secs(10)))
        .await
        .unwrap();
    let tools = client.list_tools().await.unwrap();
    assert_eq!(tools.len(), 1, "{tools:?}");
    assert_eq!(tools[0].name, "echo");
    assert_eq!(tools[0].title.as_deref(), Some("Echo"));
    assert_eq!(tools[0].input_schema["required"], json!(["text"]));

    let output = client
        .call_tool("echo", json!({ "text": "hi" }))
        .await
        .unwrap();
    assert!(!output.is_error);
    let expected = json!({ "text": "hi", "tenant": "acme", "subject": "user-reader-token" });
    assert_eq!(output.structured, Some(expected.clone()));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&output.text).unwrap(),
        expected
    );

    let refused = client.call_tool("publish", json!({})).await.unwrap();
    assert!(refused.is_error);
    assert!(refused.text.contains("content:publish"), "{}", refused.text);

    match client.call_tool("nope", json!({})).await {
        Err(ClientError::Rpc { code, message }) => {
            assert_eq!(code, -32602);
            assert_eq!(message, "Unknown tool: nope");
        }
        other => panic!("expected a JSON-RPC error, got {other:?}"),
    }
    assert!(matches!(
        client.call_tool("echo", json!([1])).await,
        Err(ClientError::Arguments(_))
    ));
    client.close().await;
}

#[tokio::test]
async fn lists_and_calls_tools_over_a_session_with_event_streams() {
    lists_and_calls(ServerOptions::default()).await;
}

#[tokio::test]
async fn lists_and_calls_tools_against_a_stateless_json_server() {
    lists_and_calls(ServerOptions {
        stateless: true,
        ..ServerOptions::default()
    })
    .await;
}

#[tokio::test]
async fn a_refused_token_is_unauthorized() {
    let url = serve(ServerOptions::default()).await;
    for bearer in [None, Some("wrong")] {
        let result = McpClient::connect(&remote(&url, bearer, Duration::from_secs(10))).await;
        assert!(
            matches!(result, Err(ClientError::Unauthorized)),
            "{bearer:?}: {:?}",
            result.err()
        );
    }
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    // Accepts connections and reads nothing back: the request hangs until our timeout.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let timeout = Duration::from_millis(500);
    let started = Instant::now();
    let result = McpClient::connect(&remote(
        &format!("http://{addr}/mcp"),
        Some(READER),
        timeout,
    ))
    .await;
    assert!(
        matches!(result, Err(ClientError::Timeout(t)) if t == timeout),
        "{:?}",
        result.err()
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn private_addresses_are_refused_unless_allowed() {
    let mut server = remote("http://127.0.0.1:9/mcp", None, Duration::from_secs(1));
    server.egress = Egress::default();
    assert!(matches!(
        McpClient::connect(&server).await,
        Err(ClientError::Url(_))
    ));
}
