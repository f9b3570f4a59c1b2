//! The agent-step function: Step Functions invokes it for every Task state of a deployed
//! workflow (`lambda:invoke` for tools, `lambda:invoke.waitForTaskToken` for approvals).
//! A tool's failure becomes the function error whose `errorType` retry and catch match.

use lambda_runtime::{Diagnostic, LambdaEvent};
use plasma_agent::step::{StepEvent, handle};
use plasma_platform::Platform;
use serde_json::Value;

pub async fn handler(platform: &Platform, event: LambdaEvent<Value>) -> Result<Value, Diagnostic> {
    let step: StepEvent = serde_json::from_value(event.payload).map_err(|e| Diagnostic {
        error_type: "States.Runtime".into(),
        error_message: format!("not an agent-step payload: {e}"),
    })?;
    handle(&platform.agent, step)
        .await
        .map_err(|failure| Diagnostic {
            error_type: failure.error,
            error_message: failure.cause,
        })
}
