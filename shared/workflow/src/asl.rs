//! Compiles a definition to an Amazon States Language state machine (JSONPath query
//! language) for Step Functions.
//!
//! # State data
//!
//! The state data is the run's context, the same one [`resolve`](crate::resolve) and
//! [`evaluate`](crate::evaluate) take: `{"input": ..., "steps": {<id>: {"output": ...}}}`.
//! A first Pass state, [`SETUP_STATE`], wraps the execution input into it, so an execution
//! is started with the workflow input as it is. Each step that produces something writes
//! `{"output": <result>}` to `$.steps.<id>` (`ResultPath`), and a caught error adds
//! `$.steps.<id>.error` (`{"Error", "Cause"}`; in a loop, beside the output of an earlier
//! round). The execution's output is the final context. Every output stays in the state
//! data, which Step Functions limits to 256 KiB, so tools return small results (references
//! to stored documents rather than the documents).
//!
//! A parallel branch or map iteration starts with `{"input", "steps": {}, "outer", "item"}`:
//! its own steps' outputs go to its empty `steps`, while `outer` holds the outputs of the
//! steps around it, and paths to those are rewritten from `$.steps.<id>` to `$.outer.<id>`.
//! So a branch or iteration ends with only its own steps' outputs in `$.steps`, which is its
//! result (the `OutputPath` of its last states), and the outputs around it are never copied
//! into the parallel's or map's result. The parallel's output is its branches' results
//! merged into one object (`States.JsonMerge`), `{<id>: {"output": ...}}` for each step run in
//! the branches; the map's output is the list of its iterations' results, in item order.
//!
//! # States
//!
//! - `tool`: a Task on [`LAMBDA_INVOKE`] calling the agent-step Lambda with the payload
//!   `{"kind": "tool", "workflow", "step", "tool", "execution", "input"}`, `input` being the
//!   step's template with each path as a `"<field>.$"` entry (arrays holding paths become
//!   `States.Array(...)`); the Lambda's return value is the step's output. Step Functions'
//!   transient Lambda errors are always retried first, as AWS recommends for Lambda tasks;
//!   the step's `retry` follows as a second retrier.
//! - `approval`: a Task on [`LAMBDA_INVOKE_WAIT`] calling the same Lambda with
//!   `{"kind": "approval", "workflow", "step", "prompt", "input", "task_token", "execution"}`.
//!   The Lambda records the request with its task token and returns; the run waits until the
//!   platform calls `SendTaskSuccess` with an [`ApprovalDecision`](crate::ApprovalDecision)
//!   as output (approved, rejected and answered alike, so a choice routes on
//!   `$.steps.<id>.output.decision`). `SendTaskFailure` is for requests withdrawn before anyone
//!   decided; its error can be caught like any other. `timeout_seconds` becomes
//!   `TimeoutSeconds` (no `HeartbeatSeconds`: nothing beats while a person thinks), after
//!   which the step fails with `States.Timeout`.
//! - `parallel`, `map`, `choice`, `wait`, `succeed` and `fail` become the native states of the
//!   same names; a map runs `INLINE`, its items at `ItemsPath`.
//! - `next: end`, or the last step of a list without `next`, becomes `"End": true`.
//!
//! State names are step ids, which validation keeps unique and ASL-safe; [`SETUP_STATE`]
//! has a space, which no id has. Failed executions can be redriven from the failed state:
//! each state reads everything it needs from its own input.

mod choice;
mod data;
mod states;

use crate::definition::Definition;
use serde_json::{Map as JsonMap, Value, json};

/// The Lambda service integration a tool step's Task uses.
pub const LAMBDA_INVOKE: &str = "arn:aws:states:::lambda:invoke";
/// The callback flavour an approval's Task uses.
pub const LAMBDA_INVOKE_WAIT: &str = "arn:aws:states:::lambda:invoke.waitForTaskToken";
/// The first state: lays the execution input out as the run's context.
pub const SETUP_STATE: &str = "Set up context";
/// The first state of a resume machine ([`compile_asl_from`]).
pub const RESUME_STATE: &str = "Resume at step";

/// The state machine for a definition that passed [`validate`](crate::validate), each Task
/// invoking `task_function_arn` (the agent-step Lambda).
pub fn compile_asl(definition: &Definition, task_function_arn: &str) -> Value {
    compile(definition, task_function_arn, None)
}

/// The state machine for resuming a run at the top-level step `start`: it is started with a
/// whole context (`{"input", "steps"}`, as a replay's edited state gives it) rather than the
/// workflow input, and goes straight to `start`.
pub fn compile_asl_from(definition: &Definition, task_function_arn: &str, start: &str) -> Value {
    compile(definition, task_function_arn, Some(start))
}

fn compile(definition: &Definition, task_function_arn: &str, resume_at: Option<&str>) -> Value {
    let compiler = states::Compiler {
        workflow: &definition.name,
        function: task_function_arn,
    };
    let mut states = compiler.states(&definition.steps, &data::Scope::top(&definition.steps));
    states.insert(
        SETUP_STATE.into(),
        json!({
            "Type": "Pass",
            "Parameters": {"input.$": "$", "steps": {}},
            "Next": definition.start_step().unwrap_or_default(),
        }),
    );
    // A resume machine starts with a whole context and goes to `start`; plain input still
    // takes the usual way, which also keeps every state reachable, as Step Functions
    // requires.
    let start_at = match resume_at {
        None => SETUP_STATE,
        Some(start) => {
            states.insert(
                RESUME_STATE.into(),
                json!({
                    "Type": "Choice",
                    "Choices": [{"Variable": "$.steps", "IsPresent": true, "Next": start}],
                    "Default": SETUP_STATE,
                }),
            );
            RESUME_STATE
        }
    };
    let mut machine = JsonMap::new();
    let comment = match definition.version {
        Some(version) => format!("{} v{version}", definition.name),
        None => definition.name.clone(),
    };
    machine.insert("Comment".into(), comment.into());
    machine.insert("QueryLanguage".into(), "JSONPath".into());
    machine.insert("StartAt".into(), start_at.into());
    if let Some(timeout) = definition.timeout_seconds {
        machine.insert("TimeoutSeconds".into(), timeout.into());
    }
    machine.insert("States".into(), Value::Object(states));
    Value::Object(machine)
}
