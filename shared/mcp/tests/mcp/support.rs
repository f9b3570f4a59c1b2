//! A fake tool host behind a tiny bearer-token auth layer, served on 127.0.0.1:0, and a raw
//! JSON-RPC-over-HTTP session for looking at exactly what goes over the wire.

use async_trait::async_trait;
use axum::Router;
use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;
use plasma_mcp::{Caller, Permission, ServerOptions, ToolError, ToolHost, ToolSpec};
use reqwest::header::{ACCEPT, AUTHORIZATION};
use serde_json::{Value, json};
use std::sync::Arc;

/// Sees `echo` only (research:read).
pub const READER: &str = "reader-token";
/// Sees `echo` and `publish` (research:read, content:publish).
pub const PUBLISHER: &str = "publisher-token";

struct FakeHost;

fn echo() -> ToolSpec {
    ToolSpec {
        name: "echo".into(),
        title: "Echo".into(),
        description: "Returns the text with the caller's tenant.".into(),
        input_schema: json!({
            "type": "object",
            "properties": { "text": { "type": "string" } },
            "required": ["text"],
        }),
        permission: Permission::ResearchRead,
        errors: &["invalid_request"],
    }
}

fn publish() -> ToolSpec {
    ToolSpec {
        name: "publish".into(),
        title: "Publish".into(),
        description: "Publishes a draft.".into(),
        input_schema: json!({ "type": "object", "properties": { "draft": { "type": "string" } } }),
        permission: Permission::ContentPublish,
        errors: &[],
    }
}

/// Listed unfiltered by the fake host, a bug the server's own permission filter must catch.
fn leaked() -> ToolSpec {
    ToolSpec {
        name: "purge".into(),
        title: "Purge".into(),
        description: "Deletes the tenant.".into(),
        input_schema: json!({ "type": "object" }),
        permission: Permission::Admin,
        errors: &[],
    }
}

#[async_trait]
impl ToolHost for FakeHost {
    fn tools(&self, caller: &Caller) -> Vec<ToolSpec> {
        [echo(), publish()]
            .into_iter()
            .filter(|t| caller.may(t.permission))
            .chain([leaked()])
            .collect()
    }

    async fn call(
        &self,
        caller: &Caller,
        name: &str,
        arguments: Value,
    ) -> Result<Value, ToolError> {
        let spec = match name {
            "echo" => echo(),
            "publish" => publish(),
            other => return Err(ToolError::UnknownTool(other.into())),
        };
        if !caller.may(spec.permission) {
            return Err(ToolError::Forbidden(spec.permission.to_string()));
        }
        match name {
            "echo" => {
                let text = arguments["text"]
                    .as_str()
                    .ok_or_else(|| ToolError::Invalid("text must be a string".into()))?;
                Ok(json!({ "text": text, "tenant": caller.tenant, "subject": caller.subject }))
            }
            _ => Ok(json!({ "published": arguments["draft"] })),
        }
    }
}

fn caller_for(token: &str) -> Option<Caller> {
    let permissions: &[&str] = match token {
        READER => &["research:read"],
        PUBLISHER => &["research:read", "content:publish"],
        _ => return None,
    };
    Some(Caller {
        tenant: "acme".into(),
        subject: format!("user-{token}"),
        permissions: permissions.iter().map(|p| p.to_string()).collect(),
    })
}

/// Stands in for the gateway: a known bearer token becomes a Caller; anything else passes
/// through without one, so the MCP router must refuse it itself.
async fn test_auth(mut request: Request, next: Next) -> Response {
    let caller = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .and_then(caller_for);
    if let Some(caller) = caller {
        request.extensions_mut().insert(caller);
    }
    next.run(request).await
}

/// Serves the MCP router on a free loopback port until the test's runtime ends; returns the
/// endpoint URL.
pub async fn serve(options: ServerOptions) -> String {
    let app: Router =
        plasma_mcp::router(Arc::new(FakeHost), options).layer(middleware::from_fn(test_auth));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}{}", plasma_mcp::PATH)
}

/// One JSON-RPC exchange as the test saw it on the wire.
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub session_id: Option<String>,
    /// The JSON-RPC response (from a JSON body or the event stream), or the problem body.
    pub body: Value,
}

/// A hand-driven MCP client: it sends exactly what the test says.
pub struct Raw {
    http: reqwest::Client,
    url: String,
    token: Option<&'static str>,
    pub session_id: Option<String>,
    pub protocol_version: Option<String>,
    next_id: u64,
}

impl Raw {
    pub fn new(url: &str, token: Option<&'static str>) -> Self {
        // reqwest is built without a TLS crypto provider in this workspace.
        plasma_http::outbound::install_crypto_provider();
        Self {
            http: reqwest::Client::new(),
            url: url.into(),
            token,
            session_id: None,
            protocol_version: None,
            next_id: 1,
        }
    }

    /// initialize + notifications/initialized; keeps the session id and version for later.
    pub async fn initialize(&mut self, version: &str) -> Reply {
        let reply = self
            .request(
                "initialize",
                json!({
                    "protocolVersion": version,
                    "capabilities": {},
                    "clientInfo": { "name": "raw-test", "version": "0" },
                }),
            )
            .await;
        assert_eq!(reply.status, 200, "initialize failed: {}", reply.body);
        self.session_id = reply.session_id.clone();
        self.protocol_version = reply.body["result"]["protocolVersion"]
            .as_str()
            .map(str::to_owned);
        let accepted = self
            .post(json!({ "jsonrpc": "2.0", "method": "notifications/initialized" }))
            .await
            .unwrap();
        assert_eq!(accepted.status().as_u16(), 202);
        reply
    }

    pub async fn request(&mut self, method: &str, params: Value) -> Reply {
        let id = self.next_id;
        self.next_id += 1;
        let response = self
            .post(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }))
            .await
            .unwrap();
        read_reply(response, id).await
    }

    pub async fn call(&mut self, name: &str, arguments: Value) -> Value {
        let reply = self
            .request(
                "tools/call",
                json!({ "name": name, "arguments": arguments }),
            )
            .await;
        assert_eq!(reply.status, 200, "tools/call failed: {}", reply.body);
        reply.body
    }

    pub async fn post(&self, message: Value) -> reqwest::Result<reqwest::Response> {
        let mut request = self
            .http
            .post(&self.url)
            .header(ACCEPT, "application/json, text/event-stream")
            .json(&message);
        if let Some(token) = self.token {
            request = request.bearer_auth(token);
        }
        if let Some(session) = &self.session_id {
            request = request.header("mcp-session-id", session);
        }
        if let Some(version) = &self.protocol_version {
            request = request.header("mcp-protocol-version", version);
        }
        // From 2026-07-28 (SEP-2243) the method and the tool's name are repeated in headers.
        if self.protocol_version.as_deref() >= Some("2026-07-28") {
            if let Some(method) = message["method"].as_str() {
                request = request.header("mcp-method", method);
            }
            if let Some(name) = message["params"]["name"].as_str() {
                request = request.header("mcp-name", name);
            }
        }
        request.send().await
    }
}

async fn read_reply(response: reqwest::Response, id: u64) -> Reply {
    let status = response.status().as_u16();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let content_type = header("content-type").unwrap_or_default();
    let session_id = header("mcp-session-id");
    let text = response.text().await.unwrap();
    let body = if content_type.starts_with("text/event-stream") {
        // The answer is the event whose data is the response to our id; others are
        // priming events or notifications.
        text.lines()
            .filter_map(|line| line.strip_prefix("data:"))
            .filter_map(|data| serde_json::from_str::<Value>(data.trim()).ok())
            .find(|message| message["id"] == id)
            .unwrap_or_else(|| panic!("no response to request {id} in the stream:\n{text}"))
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    Reply {
        status,
        content_type,
        session_id,
        body,
    }
}

pub fn tool_names(list: &Value) -> Vec<&str> {
    list["result"]["tools"]
        .as_array()
        .unwrap_or_else(|| panic!("not a tools/list result: {list}"))
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect()
}
