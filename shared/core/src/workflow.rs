//! The workflow-engine port for deployed workflows: state machines (Amazon States Language)
//! run by a managed engine, approvals resumed by task token. The embedded runtime runs
//! workflows itself (plasma-agent's executor) and needs no adapter here; the comparison of
//! both engines on the same definitions is the port's conformance test.

use crate::PortResult;
use async_trait::async_trait;
use serde_json::Value;

/// An execution as the engine reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteExecution {
    /// `RUNNING`, `SUCCEEDED`, `FAILED`, `TIMED_OUT`, `ABORTED` or `PENDING_REDRIVE`.
    pub status: String,
    pub output: Option<Value>,
    pub error: Option<String>,
    pub cause: Option<String>,
}

#[async_trait]
pub trait StateMachines: Send + Sync {
    /// Create the state machine `name`, or update its definition; its ARN.
    async fn deploy(&self, name: &str, definition: &Value) -> PortResult<String>;
    /// Start an execution named `name` (unique per machine: a repeated name with the same
    /// input returns the existing execution); its ARN.
    async fn start(&self, machine_arn: &str, name: &str, input: &Value) -> PortResult<String>;
    async fn describe(&self, execution_arn: &str) -> PortResult<RemoteExecution>;
    /// Resume a task waiting on `token` with `output`.
    async fn send_success(&self, token: &str, output: &Value) -> PortResult<()>;
    /// Fail a task waiting on `token`; `error` is what a catch matches on.
    async fn send_failure(&self, token: &str, error: &str, cause: &str) -> PortResult<()>;
    async fn stop(&self, execution_arn: &str, cause: &str) -> PortResult<()>;
    /// Run a failed execution again from the state that failed.
    async fn redrive(&self, execution_arn: &str) -> PortResult<()>;
}
