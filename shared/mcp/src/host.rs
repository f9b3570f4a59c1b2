//! The port between the MCP server and the platform's capabilities. The integrator implements
//! [`ToolHost`] over research, brand, content and workflows; this crate only speaks MCP.

use async_trait::async_trait;
use plasma_gateway::{Permission, Principal};
use serde_json::Value;

/// Who is calling, as the integrator's auth middleware established it. Inserted into the HTTP
/// request's extensions before the MCP router runs; every MCP request reads its own, so a
/// session id never carries one caller's rights into another caller's request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub tenant: String,
    pub subject: String,
    /// Permission names as the gateway spells them (`content:read`, `agent:run`, ...).
    pub permissions: Vec<String>,
}

impl Caller {
    pub fn may(&self, permission: Permission) -> bool {
        self.permissions.iter().any(|p| p == permission.as_str())
    }
}

/// Expands roles and scopes into the permissions the principal actually holds, so tools are
/// checked against the same RBAC table as the REST routes.
impl From<&Principal> for Caller {
    fn from(principal: &Principal) -> Self {
        Self {
            tenant: principal.tenant.clone(),
            subject: principal.subject.clone(),
            permissions: principal.permission_names(),
        }
    }
}

/// One tool as MCP clients see it in `tools/list`.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolSpec {
    pub name: String,
    pub title: String,
    pub description: String,
    /// A JSON Schema object for the arguments; a tool whose schema is not an object is left
    /// out of listings (and logged) rather than sent malformed.
    pub input_schema: Value,
    /// The permission a caller needs to see and call the tool.
    pub permission: Permission,
    /// The problem codes a call may be refused with (listed in the tool's `_meta`).
    pub errors: &'static [&'static str],
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ToolError {
    /// No tool has this name: answered as a JSON-RPC error, as the protocol asks.
    #[error("unknown tool: {0}")]
    UnknownTool(String),
    #[error("permission denied: this tool needs the {0} permission")]
    Forbidden(String),
    #[error("invalid arguments: {0}")]
    Invalid(String),
    /// Something the tool looked for (a workflow run, a document) does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// Refused as the platform's REST route would refuse it, with that problem's code
    /// (`invalid_field`, `conflict`, `illegal_transition`, ...).
    #[error("{message}")]
    Refused { code: &'static str, message: String },
    #[error("the tool failed: {0}")]
    Failed(String),
}

impl ToolError {
    /// The stable code MCP clients can branch on in an error result's structured content.
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownTool(_) => "unknown_tool",
            Self::Forbidden(_) => "forbidden",
            Self::Invalid(_) => "invalid_request",
            Self::NotFound(_) => "not_found",
            Self::Refused { code, .. } => code,
            Self::Failed(_) => "failed",
        }
    }
}

#[async_trait]
pub trait ToolHost: Send + Sync {
    /// The tools this caller may see (filtered by permission). The server filters again by
    /// [`ToolSpec::permission`], so a host that forgets one cannot leak a tool.
    fn tools(&self, caller: &Caller) -> Vec<ToolSpec>;

    /// Run a tool under the caller's tenant. The host checks the permission (a hidden tool
    /// called by name answers [`ToolError::Forbidden`]). A JSON object result becomes MCP
    /// structured content; every result is also sent as text for older clients.
    async fn call(&self, caller: &Caller, name: &str, arguments: Value)
    -> Result<Value, ToolError>;
}
