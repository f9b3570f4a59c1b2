//! [`StateMachines`] on AWS Step Functions: one standard state machine per workflow, run by
//! the execution role the deployment names, executions named by the platform's ids.

use crate::errors::sdk_error;
use async_trait::async_trait;
use aws_sdk_sfn::types::StateMachineType;
use plasma_core::{PortError, PortResult, RemoteExecution, StateMachines};
use serde_json::Value;

pub struct StepFunctions {
    client: aws_sdk_sfn::Client,
    role_arn: String,
    region: String,
}

impl StepFunctions {
    pub fn new(client: aws_sdk_sfn::Client, role_arn: String, region: String) -> Self {
        Self {
            client,
            role_arn,
            region,
        }
    }

    /// From the SDK configuration (its region) and the role state machines run as.
    pub fn from_sdk(sdk: &aws_config::SdkConfig, role_arn: String) -> Self {
        let region = sdk
            .region()
            .map_or_else(|| "us-east-1".to_owned(), |r| r.to_string());
        Self::new(aws_sdk_sfn::Client::new(sdk), role_arn, region)
    }

    /// A state machine's ARN from its name: same partition and account as the execution
    /// role, this client's region.
    fn machine_arn(&self, name: &str) -> PortResult<String> {
        let parts: Vec<&str> = self.role_arn.split(':').collect();
        match parts.as_slice() {
            ["arn", partition, "iam", "", account, _] => Ok(format!(
                "arn:{partition}:states:{}:{account}:stateMachine:{name}",
                self.region
            )),
            _ => Err(PortError::NotConfigured(format!(
                "the Step Functions execution role {:?} is not an IAM role ARN",
                self.role_arn
            ))),
        }
    }
}

fn json_text(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "{}".into())
}

#[async_trait]
impl StateMachines for StepFunctions {
    async fn deploy(&self, name: &str, definition: &Value) -> PortResult<String> {
        let arn = self.machine_arn(name)?;
        let updated = self
            .client
            .update_state_machine()
            .state_machine_arn(&arn)
            .definition(json_text(definition))
            .role_arn(&self.role_arn)
            .send()
            .await;
        match updated {
            Ok(_) => return Ok(arn),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|e| e.is_state_machine_does_not_exist()) => {}
            Err(e) => return Err(sdk_error("states UpdateStateMachine", e)),
        }
        let created = self
            .client
            .create_state_machine()
            .name(name)
            .definition(json_text(definition))
            .role_arn(&self.role_arn)
            .r#type(StateMachineType::Standard)
            .send()
            .await
            .map_err(|e| sdk_error("states CreateStateMachine", e))?;
        Ok(created.state_machine_arn)
    }

    async fn start(&self, machine_arn: &str, name: &str, input: &Value) -> PortResult<String> {
        let started = self
            .client
            .start_execution()
            .state_machine_arn(machine_arn)
            .name(name)
            .input(json_text(input))
            .send()
            .await
            .map_err(|e| sdk_error("states StartExecution", e))?;
        Ok(started.execution_arn)
    }

    async fn describe(&self, execution_arn: &str) -> PortResult<RemoteExecution> {
        let described = self
            .client
            .describe_execution()
            .execution_arn(execution_arn)
            .send()
            .await
            .map_err(|e| sdk_error("states DescribeExecution", e))?;
        Ok(RemoteExecution {
            status: described.status.as_str().to_owned(),
            output: described
                .output
                .as_deref()
                .and_then(|text| serde_json::from_str(text).ok()),
            error: described.error,
            cause: described.cause,
        })
    }

    async fn send_success(&self, token: &str, output: &Value) -> PortResult<()> {
        self.client
            .send_task_success()
            .task_token(token)
            .output(json_text(output))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| sdk_error("states SendTaskSuccess", e))
    }

    async fn send_failure(&self, token: &str, error: &str, cause: &str) -> PortResult<()> {
        self.client
            .send_task_failure()
            .task_token(token)
            .error(error)
            .cause(cause)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| sdk_error("states SendTaskFailure", e))
    }

    async fn stop(&self, execution_arn: &str, cause: &str) -> PortResult<()> {
        self.client
            .stop_execution()
            .execution_arn(execution_arn)
            .cause(cause)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| sdk_error("states StopExecution", e))
    }

    async fn redrive(&self, execution_arn: &str) -> PortResult<()> {
        self.client
            .redrive_execution()
            .execution_arn(execution_arn)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| sdk_error("states RedriveExecution", e))
    }
}
