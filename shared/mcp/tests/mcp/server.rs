//! The MCP endpoint on the wire: handshake per protocol version, per-caller tool lists, tool
//! results and tool errors, the 401 gate, and the stateless (Lambda) mode.

use crate::support::{PUBLISHER, READER, Raw, serve, tool_names};
use plasma_mcp::ServerOptions;
use serde_json::json;

#[tokio::test]
async fn initialize_agrees_on_each_protocol_version_with_a_handshake() {
    let url = serve(ServerOptions::default()).await;
    for version in ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"] {
        let mut raw = Raw::new(&url, Some(READER));
        let reply = raw.initialize(version).await;
        let result = &reply.body["result"];
        assert_eq!(result["protocolVersion"], version, "{}", reply.body);
        assert_eq!(result["serverInfo"]["name"], "plasma-engine");
        assert!(result["capabilities"]["tools"].is_object(), "{result}");
        assert!(
            reply.session_id.is_some(),
            "no Mcp-Session-Id for {version}"
        );
        // The session works under the negotiated version.
        let list = raw.request("tools/list", json!({})).await;
        assert_eq!(tool_names(&list.body), ["echo"], "{version}");
    }
}

#[tokio::test]
async fn an_unknown_version_is_answered_with_the_newest_handshake_version() {
    let url = serve(ServerOptions::default()).await;
    let reply = Raw::new(&url, Some(READER)).initialize("2099-01-01").await;
    assert_eq!(reply.body["result"]["protocolVersion"], "2025-11-25");
}

/// 2026-07-28 has no handshake: each request carries its version and capabilities in `_meta`.
#[tokio::test]
async fn the_handshake_less_revision_lists_and_calls_tools() {
    let url = serve(ServerOptions::default()).await;
    let mut raw = Raw::new(&url, Some(READER));
    raw.protocol_version = Some("2026-07-28".into());
    let meta = json!({
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": {},
        "io.modelcontextprotocol/clientInfo": { "name": "raw-test", "version": "0" },
    });
    let list = raw.request("tools/list", json!({ "_meta": meta })).await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert_eq!(tool_names(&list.body), ["echo"]);
    let call = raw
        .request(
            "tools/call",
            json!({ "_meta": meta, "name": "echo", "arguments": { "text": "hi" } }),
        )
        .await;
    assert_eq!(
        call.body["result"]["structuredContent"]["text"], "hi",
        "{}",
        call.body
    );
}

#[tokio::test]
async fn tools_list_shows_only_the_callers_tools_with_their_schemas() {
    let url = serve(ServerOptions::default()).await;
    let mut reader = Raw::new(&url, Some(READER));
    reader.initialize("2025-06-18").await;
    let list = reader.request("tools/list", json!({})).await;
    assert_eq!(tool_names(&list.body), ["echo"]);
    let echo = &list.body["result"]["tools"][0];
    assert_eq!(echo["title"], "Echo");
    assert_eq!(
        echo["description"],
        "Returns the text with the caller's tenant."
    );
    assert_eq!(echo["inputSchema"]["required"], json!(["text"]));
    assert_eq!(echo["inputSchema"]["properties"]["text"]["type"], "string");

    let mut publisher = Raw::new(&url, Some(PUBLISHER));
    publisher.initialize("2025-06-18").await;
    let list = publisher.request("tools/list", json!({})).await;
    assert_eq!(tool_names(&list.body), ["echo", "publish"]);
}

/// The session id only threads messages together: each request runs as whoever sent it.
#[tokio::test]
async fn each_request_runs_as_its_own_caller_whatever_session_it_names() {
    let url = serve(ServerOptions::default()).await;
    let mut publisher = Raw::new(&url, Some(PUBLISHER));
    publisher.initialize("2025-06-18").await;
    let mut reader = Raw::new(&url, Some(READER));
    reader.session_id = publisher.session_id.clone();
    reader.protocol_version = publisher.protocol_version.clone();

    let list = reader.request("tools/list", json!({})).await;
    assert_eq!(tool_names(&list.body), ["echo"]);
    let refused = reader.call("publish", json!({ "draft": "d1" })).await;
    assert_eq!(refused["result"]["isError"], true, "{refused}");
    let echoed = reader.call("echo", json!({ "text": "x" })).await;
    assert_eq!(
        echoed["result"]["structuredContent"]["subject"],
        "user-reader-token"
    );
}

#[tokio::test]
async fn tools_call_returns_structured_content_and_text() {
    let url = serve(ServerOptions::default()).await;
    let mut raw = Raw::new(&url, Some(READER));
    raw.initialize("2025-06-18").await;
    let reply = raw.call("echo", json!({ "text": "hello" })).await;
    let result = &reply["result"];
    let expected = json!({ "text": "hello", "tenant": "acme", "subject": "user-reader-token" });
    assert_eq!(result["structuredContent"], expected, "{reply}");
    assert_eq!(result["isError"], false);
    assert_eq!(result["content"][0]["type"], "text");
    let text: serde_json::Value =
        serde_json::from_str(result["content"][0]["text"].as_str().unwrap()).unwrap();
    assert_eq!(text, expected);
}

#[tokio::test]
async fn forbidden_and_invalid_calls_are_tool_error_results() {
    let url = serve(ServerOptions::default()).await;
    let mut raw = Raw::new(&url, Some(READER));
    raw.initialize("2025-06-18").await;

    let forbidden = raw.call("publish", json!({ "draft": "d1" })).await;
    let result = &forbidden["result"];
    assert!(forbidden.get("error").is_none(), "{forbidden}");
    assert_eq!(result["isError"], true);
    assert_eq!(
        result["content"][0]["text"],
        "permission denied: this tool needs the content:publish permission"
    );
    assert_eq!(result["structuredContent"]["code"], "forbidden");
    assert_eq!(result["structuredContent"]["permission"], "content:publish");

    let invalid = raw.call("echo", json!({ "text": 7 })).await;
    let result = &invalid["result"];
    assert_eq!(result["isError"], true, "{invalid}");
    assert_eq!(
        result["content"][0]["text"],
        "invalid arguments: text must be a string"
    );
    assert_eq!(result["structuredContent"]["code"], "invalid_request");
}

#[tokio::test]
async fn an_unknown_tool_is_a_protocol_error() {
    let url = serve(ServerOptions::default()).await;
    let mut raw = Raw::new(&url, Some(READER));
    raw.initialize("2025-06-18").await;
    let reply = raw.call("nope", json!({})).await;
    assert!(reply.get("result").is_none(), "{reply}");
    assert_eq!(reply["error"]["code"], -32602);
    assert_eq!(reply["error"]["message"], "Unknown tool: nope");
}

#[tokio::test]
async fn requests_without_a_caller_get_a_401_problem() {
    let url = serve(ServerOptions::default()).await;
    for token in [None, Some("not-a-token")] {
        let raw = Raw::new(&url, token);
        let response = raw
            .post(json!({
                "jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {
                    "protocolVersion": "2025-06-18", "capabilities": {},
                    "clientInfo": { "name": "raw-test", "version": "0" },
                },
            }))
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
        let problem: serde_json::Value = response.json().await.unwrap();
        assert_eq!(problem["status"], 401);
        assert_eq!(problem["code"], "unauthorized");
        assert_eq!(problem["title"], "Authentication required");
    }
}

#[tokio::test]
async fn stateless_mode_answers_each_post_with_json_and_no_session() {
    let url = serve(ServerOptions {
        stateless: true,
        ..ServerOptions::default()
    })
    .await;
    let mut raw = Raw::new(&url, Some(READER));
    let reply = raw.initialize("2025-06-18").await;
    assert_eq!(reply.body["result"]["protocolVersion"], "2025-06-18");
    assert!(
        reply.content_type.starts_with("application/json"),
        "{}",
        reply.content_type
    );
    assert_eq!(reply.session_id, None);

    let list = raw.request("tools/list", json!({})).await;
    assert!(list.content_type.starts_with("application/json"));
    assert_eq!(tool_names(&list.body), ["echo"]);
    let call = raw.call("echo", json!({ "text": "lambda" })).await;
    assert_eq!(
        call["result"]["structuredContent"]["text"], "lambda",
        "{call}"
    );
}

#[tokio::test]
async fn hosts_outside_the_allow_list_are_refused() {
    let url = serve(ServerOptions {
        allowed_hosts: vec!["api.example.com".into()],
        ..ServerOptions::default()
    })
    .await;
    let mut raw = Raw::new(&url, Some(READER));
    let reply = raw.request("ping", json!({})).await;
    assert_eq!(reply.status, 403, "{}", reply.body);
}
