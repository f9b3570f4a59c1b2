//! The MCP server handler: `tools/list` and `tools/call` answered from the [`ToolHost`] under
//! the [`Caller`] of the HTTP request that carried each message.

use crate::host::{Caller, ToolError, ToolHost, ToolSpec};
use rmcp::model::{
    CacheScope, CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock,
    Implementation, ListToolsResult, MetaObject, PaginatedRequestParams, ServerCapabilities,
    ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler};
use serde_json::{Value, json};
use std::sync::Arc;

const INSTRUCTIONS: &str = "Tools of the Plasma Engine platform (research, brand monitoring, \
     content and agent workflows). Every call runs in your tenant with your permissions; \
     tools you may not use are not listed.";

/// One per MCP session (or per request when stateless); cheap, as it only holds the host.
#[derive(Clone)]
pub(crate) struct PlasmaServer {
    host: Arc<dyn ToolHost>,
}

impl PlasmaServer {
    pub(crate) fn new(host: Arc<dyn ToolHost>) -> Self {
        Self { host }
    }
}

impl ServerHandler for PlasmaServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(
                Implementation::new("plasma-engine", env!("CARGO_PKG_VERSION"))
                    .with_title("Plasma Engine"),
            )
            .with_instructions(INSTRUCTIONS)
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        let caller = caller(&context)?;
        let tools = self
            .host
            .tools(caller)
            .into_iter()
            .filter(|spec| caller.may(spec.permission))
            .filter_map(tool)
            .collect();
        // The list depends on who asks: no shared cache may serve it to someone else.
        Ok(ListToolsResult::with_all_items(tools).with_cache_scope(CacheScope::Private))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let caller = caller(&context)?;
        let arguments = Value::Object(request.arguments.unwrap_or_default());
        let result = match self.host.call(caller, &request.name, arguments).await {
            Ok(value) => success(value),
            Err(ToolError::UnknownTool(name)) => {
                return Err(ErrorData::invalid_params(
                    format!("Unknown tool: {name}"),
                    None,
                ));
            }
            Err(error) => failure(&error),
        };
        Ok(result.into())
    }
}

/// The router's gate answers 401 before MCP runs, so a missing caller here means the app was
/// wired without its auth middleware: refuse rather than run tools for nobody.
fn caller(context: &RequestContext<RoleServer>) -> Result<&Caller, ErrorData> {
    context
        .extensions
        .get::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Caller>())
        .ok_or_else(|| {
            tracing::error!("MCP request reached the tools without an authenticated caller");
            ErrorData::internal_error("the request carries no authenticated caller", None)
        })
}

fn tool(spec: ToolSpec) -> Option<Tool> {
    let Value::Object(schema) = spec.input_schema else {
        tracing::error!(tool = %spec.name, "input schema is not a JSON object; tool not listed");
        return None;
    };
    // Who may call it and how it can be refused, for clients that branch on codes.
    let meta = json!({
        "plasma.dev/permission": spec.permission.as_str(),
        "plasma.dev/errors": spec.errors,
    });
    let Value::Object(meta) = meta else {
        unreachable!("built as an object")
    };
    Some(
        Tool::new_with_raw(spec.name, Some(spec.description.into()), schema)
            .with_title(spec.title)
            .with_meta(MetaObject(meta)),
    )
}

/// MCP's structured content must be an object; other values travel as text only.
fn success(value: Value) -> CallToolResult {
    let mut result = CallToolResult::success(vec![ContentBlock::text(value.to_string())]);
    if value.is_object() {
        result.structured_content = Some(value);
    }
    result
}

/// Tool-level failures are results the model can read and act on, not protocol errors.
fn failure(error: &ToolError) -> CallToolResult {
    let message = error.to_string();
    let mut detail = json!({ "code": error.code(), "message": message });
    if let ToolError::Forbidden(permission) = error {
        detail["permission"] = permission.as_str().into();
    }
    let mut result = CallToolResult::error(vec![ContentBlock::text(message)]);
    result.structured_content = Some(detail);
    result
}
