//! One state per step.

use super::choice::rule;
use super::data::Scope;
use super::{LAMBDA_INVOKE, LAMBDA_INVOKE_WAIT};
use crate::definition::{
    After, Approval, Catch, Choice, END, Fail, Map, Parallel, Retry, Seconds, Step, StepKind, Tool,
    Wait, error_names,
};
use crate::paths::{Text, classify};
use serde_json::{Map as JsonMap, Value, json};

/// The errors Step Functions raises for transient Lambda service failures, which AWS
/// recommends retrying on every Lambda task.
const LAMBDA_TRANSIENT_ERRORS: [&str; 4] = [
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
];

pub(super) struct Compiler<'a> {
    pub(super) workflow: &'a str,
    pub(super) function: &'a str,
}

impl Compiler<'_> {
    /// The states of one list of steps (the workflow's, a branch's or a map's).
    pub(super) fn states(&self, steps: &[Step], scope: &Scope) -> JsonMap<String, Value> {
        let mut states = JsonMap::new();
        for (i, step) in steps.iter().enumerate() {
            let id = step.id.as_str();
            let mut state = match &step.kind {
                StepKind::Tool(tool) => self.tool(id, tool, scope),
                StepKind::Approval(approval) => self.approval(id, approval, scope),
                StepKind::Parallel(parallel) => self.parallel(id, parallel, scope),
                StepKind::Map(map) => self.map(id, map, scope),
                StepKind::Choice(choice) => choice_state(choice, scope),
                StepKind::Wait(wait) => wait_state(wait, scope),
                StepKind::Succeed(_) => json!({"Type": "Succeed"}),
                StepKind::Fail(fail) => fail_state(fail),
            };
            let end = match step.kind.after() {
                After::Next(next) if next == END => true,
                After::Next(next) => {
                    state["Next"] = next.into();
                    false
                }
                After::Following => match steps.get(i + 1) {
                    Some(following) => {
                        state["Next"] = following.id.clone().into();
                        false
                    }
                    None => true,
                },
                After::Decides | After::Stops => false,
            };
            if end {
                state["End"] = true.into();
            }
            // A branch or iteration's result is its own steps' outputs.
            let ends_list = end || matches!(step.kind, StepKind::Succeed(_));
            if ends_list && scope.nested() {
                state["OutputPath"] = "$.steps".into();
            }
            states.insert(step.id.clone(), state);
        }
        states
    }

    fn tool(&self, id: &str, tool: &Tool, scope: &Scope) -> Value {
        let (input_key, input) = scope.entry("input", tool.input.as_ref().unwrap_or(&json!({})));
        let mut payload = json!({
            "kind": "tool",
            "workflow": self.workflow,
            "step": id,
            "tool": tool.tool,
            "execution.$": "$$.Execution.Id",
        });
        payload[input_key] = input;
        let mut state = json!({
            "Type": "Task",
            "Resource": LAMBDA_INVOKE,
            "Parameters": {"FunctionName": self.function, "Payload": payload},
            "ResultSelector": {"output.$": "$.Payload"},
            "ResultPath": result_path(id),
        });
        if let Some(timeout) = tool.timeout_seconds {
            state["TimeoutSeconds"] = timeout.into();
        }
        recovery(
            &mut state,
            id,
            true,
            tool.retry.as_ref(),
            tool.catch.as_ref(),
        );
        state
    }

    fn approval(&self, id: &str, approval: &Approval, scope: &Scope) -> Value {
        let mut payload = json!({
            "kind": "approval",
            "workflow": self.workflow,
            "step": id,
            "prompt": approval.prompt,
            "task_token.$": "$$.Task.Token",
            "execution.$": "$$.Execution.Id",
        });
        if let Some(input) = &approval.input {
            let (key, input) = scope.entry("input", input);
            payload[key] = input;
        }
        let mut state = json!({
            "Type": "Task",
            "Resource": LAMBDA_INVOKE_WAIT,
            "Parameters": {"FunctionName": self.function, "Payload": payload},
            // The callback's output (the decision) is the whole result.
            "ResultSelector": {"output.$": "$"},
            "ResultPath": result_path(id),
        });
        if let Some(timeout) = approval.timeout_seconds {
            state["TimeoutSeconds"] = timeout.into();
        }
        recovery(&mut state, id, true, None, approval.catch.as_ref());
        state
    }

    fn parallel(&self, id: &str, parallel: &Parallel, scope: &Scope) -> Value {
        let branches: Vec<Value> = parallel
            .branches
            .iter()
            .map(|branch| self.machine(branch, &scope.inner(branch, false)))
            .collect();
        let mut state = json!({
            "Type": "Parallel",
            "Branches": branches,
            "Parameters": scope.inner_context(None),
            "ResultSelector": {"output.$": merge(parallel.branches.len())},
            "ResultPath": result_path(id),
        });
        recovery(
            &mut state,
            id,
            false,
            parallel.retry.as_ref(),
            parallel.catch.as_ref(),
        );
        state
    }

    fn map(&self, id: &str, map: &Map, scope: &Scope) -> Value {
        let mut processor = self.machine(&map.steps, &scope.inner(&map.steps, true));
        processor["ProcessorConfig"] = json!({"Mode": "INLINE"});
        let mut state = json!({
            "Type": "Map",
            "ItemsPath": scope.path(&map.items),
            "ItemSelector": scope.inner_context(Some("$$.Map.Item.Value")),
            "ItemProcessor": processor,
            "ResultSelector": {"output.$": "$"},
            "ResultPath": result_path(id),
        });
        if let Some(limit) = map.max_concurrency {
            state["MaxConcurrency"] = limit.into();
        }
        recovery(
            &mut state,
            id,
            false,
            map.retry.as_ref(),
            map.catch.as_ref(),
        );
        state
    }

    /// `StartAt` and `States` for a branch or map body.
    fn machine(&self, steps: &[Step], scope: &Scope) -> Value {
        let start = steps.first().map(|s| s.id.as_str()).unwrap_or_default();
        json!({"StartAt": start, "States": self.states(steps, scope)})
    }
}

fn choice_state(choice: &Choice, scope: &Scope) -> Value {
    let rules: Vec<Value> = choice
        .choices
        .iter()
        .map(|r| {
            let mut rule = rule(&r.when, scope);
            rule["Next"] = r.next.clone().into();
            rule
        })
        .collect();
    let mut state = json!({"Type": "Choice", "Choices": rules});
    if let Some(default) = &choice.default {
        state["Default"] = default.clone().into();
    }
    state
}

fn wait_state(wait: &Wait, scope: &Scope) -> Value {
    let mut state = json!({"Type": "Wait"});
    match (&wait.seconds, &wait.until) {
        (Some(Seconds::Fixed(seconds)), _) => state["Seconds"] = (*seconds).into(),
        (Some(Seconds::Path(path)), _) => state["SecondsPath"] = scope.path(path).into(),
        (None, Some(until)) => match classify(until) {
            Text::Path(path) => state["TimestampPath"] = scope.path(path).into(),
            Text::Literal(time) => state["Timestamp"] = time.into(),
        },
        (None, None) => {}
    }
    state
}

fn fail_state(fail: &Fail) -> Value {
    let mut state = json!({"Type": "Fail", "Error": fail.error});
    if let Some(cause) = &fail.cause {
        state["Cause"] = cause.clone().into();
    }
    state
}

fn result_path(id: &str) -> String {
    format!("$.steps.{id}")
}

/// The merge of `branches` branch results (`$[0]`, `$[1]`, ...) into one object.
fn merge(branches: usize) -> String {
    (1..branches).fold("$[0]".to_owned(), |merged, b| {
        format!("States.JsonMerge({merged}, $[{b}], false)")
    })
}

/// `Retry` and `Catch`; `lambda` adds the retrier for transient Lambda errors.
fn recovery(
    state: &mut Value,
    id: &str,
    lambda: bool,
    retry: Option<&Retry>,
    catch: Option<&Catch>,
) {
    let mut retriers = Vec::new();
    if lambda {
        retriers.push(json!({
            "ErrorEquals": LAMBDA_TRANSIENT_ERRORS,
            "IntervalSeconds": 1,
            "MaxAttempts": 3,
            "BackoffRate": 2,
            "JitterStrategy": "FULL",
        }));
    }
    if let Some(retry) = retry {
        let mut retrier = json!({
            "ErrorEquals": error_names(retry.on.as_ref()),
            "IntervalSeconds": retry.backoff_seconds.unwrap_or(Retry::DEFAULT_BACKOFF_SECONDS),
            "MaxAttempts": retry.attempts,
            "BackoffRate": retry.multiplier.unwrap_or(Retry::DEFAULT_MULTIPLIER),
            "JitterStrategy": if retry.jitter { "FULL" } else { "NONE" },
        });
        if let Some(max) = retry.max_backoff_seconds {
            retrier["MaxDelaySeconds"] = max.into();
        }
        retriers.push(retrier);
    }
    if !retriers.is_empty() {
        state["Retry"] = retriers.into();
    }
    if let Some(catch) = catch {
        state["Catch"] = json!([{
            "ErrorEquals": error_names(catch.on.as_ref()),
            "Next": catch.next,
            "ResultPath": format!("{}.error", result_path(id)),
        }]);
    }
}
