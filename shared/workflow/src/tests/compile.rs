//! The compiled state machine, construct by construct: key fields, not whole snapshots.

use super::{kitchen_sink, research, unchecked};
use crate::asl::{LAMBDA_INVOKE, LAMBDA_INVOKE_WAIT, SETUP_STATE};
use crate::compile_asl;
use serde_json::{Value, json};

const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:agent-step";

fn state<'a>(states: &'a Value, name: &str) -> &'a Value {
    let state = &states["States"][name];
    assert!(state.is_object(), "no state {name} in {states:#}");
    state
}

#[test]
fn the_machine_starts_by_laying_out_the_context() {
    let asl = compile_asl(&research(), ARN);
    assert_eq!(asl["StartAt"], SETUP_STATE);
    assert_eq!(asl["QueryLanguage"], "JSONPath");
    assert_eq!(asl["Comment"], "research-and-draft v1");
    assert_eq!(asl["TimeoutSeconds"], 604800);
    let setup = state(&asl, SETUP_STATE);
    assert_eq!(setup["Type"], "Pass");
    assert_eq!(setup["Parameters"], json!({"input.$": "$", "steps": {}}));
    assert_eq!(setup["Next"], "research");
    // One state per step at the top level, plus the setup state.
    assert_eq!(asl["States"].as_object().map(|s| s.len()), Some(11));
}

#[test]
fn a_tool_step_invokes_the_agent_step_lambda() {
    let asl = compile_asl(&research(), ARN);
    let publish = state(&asl, "publish");
    assert_eq!(publish["Type"], "Task");
    assert_eq!(publish["Resource"], LAMBDA_INVOKE);
    assert_eq!(publish["Parameters"]["FunctionName"], ARN);
    assert_eq!(
        publish["Parameters"]["Payload"],
        json!({
            "kind": "tool",
            "workflow": "research-and-draft",
            "step": "publish",
            "tool": "content.schedule",
            "execution.$": "$$.Execution.Id",
            "input": {"drafts.$": "$.steps.drafts.output", "at.$": "$.input.publish_at", "note": "$5 off, literally"},
        })
    );
    assert_eq!(publish["ResultSelector"], json!({"output.$": "$.Payload"}));
    assert_eq!(publish["ResultPath"], "$.steps.publish");
    assert_eq!(publish["TimeoutSeconds"], 30);
    assert_eq!(publish["End"], true);
    assert!(publish.get("Next").is_none());
}

#[test]
fn retry_keeps_transient_lambda_errors_first_then_the_policy() {
    let asl = compile_asl(&research(), ARN);
    let retry = &state(&asl, "publish")["Retry"];
    assert_eq!(retry[0]["ErrorEquals"][0], "Lambda.ServiceException");
    assert_eq!(
        retry[1],
        json!({"ErrorEquals": ["Retryable"], "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 2.0, "JitterStrategy": "NONE"})
    );
    let search = &state(&asl, "research")["Branches"][0]["States"]["search"];
    assert_eq!(
        search["Retry"][1],
        json!({"ErrorEquals": ["Timeout", "Retryable"], "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 2.0, "JitterStrategy": "FULL"})
    );
    let fetch = &compile_asl(&kitchen_sink(), ARN)["States"]["fetch"];
    assert_eq!(fetch["Retry"][1]["ErrorEquals"], json!(["States.ALL"]));
    assert_eq!(fetch["Retry"][1]["MaxDelaySeconds"], 30);
}

#[test]
fn catch_records_the_error_and_moves_on() {
    let asl = compile_asl(&research(), ARN);
    assert_eq!(
        state(&asl, "publish")["Catch"],
        json!([{"ErrorEquals": ["States.ALL"], "Next": "notify_failure", "ResultPath": "$.steps.publish.error"}])
    );
    let fetch = &compile_asl(&kitchen_sink(), ARN)["States"]["fetch"];
    assert_eq!(
        fetch["Catch"][0]["ErrorEquals"],
        json!(["States.Timeout", "Retryable"])
    );
}

#[test]
fn an_approval_waits_for_its_task_token() {
    let asl = compile_asl(&research(), ARN);
    let review = state(&asl, "review");
    assert_eq!(review["Type"], "Task");
    assert_eq!(review["Resource"], LAMBDA_INVOKE_WAIT);
    assert_eq!(
        review["Parameters"]["Payload"],
        json!({
            "kind": "approval",
            "workflow": "research-and-draft",
            "step": "review",
            "prompt": "Publish these drafts?",
            "input": {"drafts.$": "$.steps.drafts.output"},
            "task_token.$": "$$.Task.Token",
            "execution.$": "$$.Execution.Id",
        })
    );
    assert_eq!(review["ResultSelector"], json!({"output.$": "$"}));
    assert_eq!(review["ResultPath"], "$.steps.review");
    assert_eq!(review["TimeoutSeconds"], 86400);
    assert!(review.get("HeartbeatSeconds").is_none());
    assert_eq!(review["Catch"][0]["ErrorEquals"], json!(["States.Timeout"]));
    assert_eq!(review["Next"], "route");
}

#[test]
fn a_parallel_gives_branches_the_context_and_merges_their_outputs() {
    let asl = compile_asl(&research(), ARN);
    let research = state(&asl, "research");
    assert_eq!(research["Type"], "Parallel");
    assert_eq!(
        research["Parameters"],
        json!({"input.$": "$.input", "steps": {}, "outer.$": "$.steps"})
    );
    assert_eq!(
        research["ResultSelector"],
        json!({"output.$": "States.JsonMerge($[0], $[1], false)"})
    );
    assert_eq!(research["ResultPath"], "$.steps.research");
    assert_eq!(research["Catch"][0]["Next"], "research_failed");
    assert_eq!(research["Next"], "drafts");
    let branches = research["Branches"].as_array().expect("branches");
    assert_eq!(branches.len(), 2);
    assert_eq!(branches[1]["StartAt"], "ask");
    let ask = &branches[1]["States"]["ask"];
    assert_eq!(
        ask["Parameters"]["Payload"]["input"],
        json!({"question.$": "$.input.question"})
    );
    assert_eq!(ask["End"], true);
    // A branch's result is its own steps' outputs only.
    assert_eq!(ask["OutputPath"], "$.steps");
}

#[test]
fn many_branches_merge_with_nested_intrinsics() {
    let definition = unchecked(
        "name: p\nsteps:\n  - {id: p, type: parallel, branches: [[{id: a, type: succeed}], [{id: b, type: succeed}], [{id: c, type: succeed}]]}\n",
    );
    let asl = compile_asl(&definition, ARN);
    assert_eq!(
        asl["States"]["p"]["ResultSelector"]["output.$"],
        "States.JsonMerge(States.JsonMerge($[0], $[1], false), $[2], false)"
    );
    assert_eq!(
        asl["States"]["p"]["Branches"][2]["States"]["c"]["OutputPath"],
        "$.steps"
    );
    let single = unchecked(
        "name: p\nsteps:\n  - {id: p, type: parallel, branches: [[{id: a, type: succeed}]]}\n",
    );
    assert_eq!(
        compile_asl(&single, ARN)["States"]["p"]["ResultSelector"]["output.$"],
        "$[0]"
    );
}

#[test]
fn a_map_runs_inline_over_its_items() {
    let asl = compile_asl(&research(), ARN);
    let drafts = state(&asl, "drafts");
    assert_eq!(drafts["Type"], "Map");
    assert_eq!(drafts["ItemsPath"], "$.input.channels");
    assert_eq!(drafts["MaxConcurrency"], 2);
    assert_eq!(
        drafts["ItemSelector"],
        json!({"input.$": "$.input", "steps": {}, "outer.$": "$.steps", "item.$": "$$.Map.Item.Value"})
    );
    assert_eq!(
        drafts["ItemProcessor"]["ProcessorConfig"],
        json!({"Mode": "INLINE"})
    );
    assert_eq!(drafts["ItemProcessor"]["StartAt"], "draft");
    assert_eq!(drafts["ResultSelector"], json!({"output.$": "$"}));
    assert_eq!(drafts["ResultPath"], "$.steps.drafts");
    let body = &drafts["ItemProcessor"]["States"];
    assert_eq!(body["draft"]["Next"], "check");
    assert_eq!(body["check"]["End"], true);
    assert_eq!(body["check"]["OutputPath"], "$.steps");
}

#[test]
fn paths_to_steps_outside_a_branch_or_map_read_the_outer_outputs() {
    let asl = compile_asl(&research(), ARN);
    let body = &state(&asl, "drafts")["ItemProcessor"]["States"];
    assert_eq!(
        body["draft"]["Parameters"]["Payload"]["input"],
        json!({
            "channel.$": "$.item",
            "topic.$": "$.input.topic",
            "sources.$": "States.Array($.outer.research.output.search.output, $.outer.research.output.ask.output)",
        })
    );
    // A step of the same iteration stays in `$.steps`.
    assert_eq!(
        body["check"]["Parameters"]["Payload"]["input"]["text.$"],
        "$.steps.draft.output.text"
    );
}

#[test]
fn nested_lists_pass_the_outer_outputs_and_the_item_down() {
    let asl = compile_asl(&kitchen_sink(), ARN);
    let outer_loop = state(&asl, "outer_loop");
    let body = &outer_loop["ItemProcessor"]["States"];
    let fan = &body["fan"];
    assert_eq!(
        fan["Parameters"],
        json!({"input.$": "$.input", "steps": {}, "outer.$": "States.JsonMerge($.outer, $.steps, false)", "item.$": "$.item"})
    );
    assert_eq!(
        fan["Retry"],
        json!([{"ErrorEquals": ["States.BranchFailed"], "IntervalSeconds": 1, "MaxAttempts": 1, "BackoffRate": 2.0, "JitterStrategy": "NONE"}])
    );
    let inner_map = &fan["Branches"][1]["States"]["mentions_per_source"];
    assert_eq!(inner_map["ItemsPath"], "$.item.sources");
    assert_eq!(
        inner_map["ItemSelector"]["outer.$"],
        "States.JsonMerge($.outer, $.steps, false)"
    );
    assert_eq!(inner_map["ItemSelector"]["item.$"], "$$.Map.Item.Value");
    assert_eq!(
        inner_map["ItemProcessor"]["States"]["mention"]["Parameters"]["Payload"]["input"],
        json!({"source.$": "$.item", "page.$": "$.outer.fetch.output"})
    );
    assert_eq!(
        fan["Branches"][2]["States"]["shot"]["Parameters"]["Payload"]["input.$"],
        "$.item"
    );
    // The iteration's own choice, succeed and fail.
    assert_eq!(
        body["iteration_done"],
        json!({"Type": "Succeed", "OutputPath": "$.steps"})
    );
    assert_eq!(
        body["iteration_failed"],
        json!({"Type": "Fail", "Error": "IterationFailed"})
    );
    assert!(body["enough"].get("End").is_none());
}

#[test]
fn arrays_holding_paths_become_states_array_with_escaped_literals() {
    let asl = compile_asl(&kitchen_sink(), ARN);
    let input = &asl["States"]["fetch"]["Parameters"]["Payload"]["input"];
    assert_eq!(
        input["tags.$"],
        r"States.Array($.input.tag, 'it\'s \{braced\}', 3, true, null)"
    );
    assert_eq!(input["raw"], json!(["$.literal", 1.5, {"nested": true}]));
    assert_eq!(input["headers"], json!({"accept": "text/html"}));
    assert_eq!(input["url.$"], "$.input.url");
    // Step Functions wants a backslash in an intrinsic's string escaped too.
    let slash = unchecked(
        "name: b\nsteps:\n  - {id: a, type: tool, tool: notify, input: {l: [$.input.x, 'a\\b']}}\n",
    );
    assert_eq!(
        compile_asl(&slash, ARN)["States"]["a"]["Parameters"]["Payload"]["input"]["l.$"],
        r"States.Array($.input.x, 'a\\b')"
    );
}

#[test]
fn a_choice_compiles_each_operator() {
    let asl = compile_asl(&kitchen_sink(), ARN);
    let gate = state(&asl, "gate");
    assert_eq!(gate["Type"], "Choice");
    assert_eq!(gate["Default"], "pause_until");
    assert_eq!(
        gate["Choices"],
        json!([
            {"Variable": "$.input.count", "NumericGreaterThan": 10, "Next": "ask"},
            {"Variable": "$.input.name", "StringLessThan": "m", "Next": "ask"},
            {"Or": [
                {"Variable": "$.input.flag", "BooleanEquals": true},
                {"Not": {"Variable": "$.input.skip", "IsPresent": true}},
            ], "Next": "pause"},
            {"And": [
                {"Not": {"Variable": "$.input.mode", "StringEquals": "dry"}},
                {"Variable": "$.input.score", "NumericEquals": 1.5},
                {"Variable": "$.input.none", "IsNull": true},
                {"Variable": "$.input.off", "BooleanEquals": false},
            ], "Next": "pause_path"},
        ])
    );
    let route = state(&compile_asl(&research(), ARN), "route").clone();
    assert_eq!(
        route,
        json!({"Type": "Choice", "Choices": [{"Variable": "$.steps.review.output.decision", "StringEquals": "approved", "Next": "wait_for_slot"}], "Default": "stop"})
    );
}

#[test]
fn waits_take_seconds_or_a_time_fixed_or_by_path() {
    let asl = compile_asl(&kitchen_sink(), ARN);
    assert_eq!(
        state(&asl, "pause"),
        &json!({"Type": "Wait", "Seconds": 5, "Next": "ask"})
    );
    assert_eq!(
        state(&asl, "pause_path"),
        &json!({"Type": "Wait", "SecondsPath": "$.input.delay", "Next": "ask"})
    );
    assert_eq!(
        state(&asl, "pause_until"),
        &json!({"Type": "Wait", "Timestamp": "2030-01-31T09:00:00Z", "Next": "pause_until_path"})
    );
    assert_eq!(
        state(&asl, "pause_until_path"),
        &json!({"Type": "Wait", "TimestampPath": "$.input.at", "Next": "ask"})
    );
}

#[test]
fn succeed_and_fail_end_the_run() {
    let asl = compile_asl(&kitchen_sink(), ARN);
    assert_eq!(state(&asl, "done"), &json!({"Type": "Succeed"}));
    assert_eq!(
        state(&asl, "failed"),
        &json!({"Type": "Fail", "Error": "KitchenSinkFailed", "Cause": "Something broke."})
    );
    // A tool step with no input still sends an (empty) input.
    let bare = unchecked("name: b\nsteps:\n  - {id: ping, type: tool, tool: notify}\n");
    let ping = &compile_asl(&bare, ARN)["States"]["ping"];
    assert_eq!(ping["Parameters"]["Payload"]["input"], json!({}));
    assert_eq!(ping["End"], true);
    assert!(compile_asl(&bare, ARN).get("TimeoutSeconds").is_none());
}

#[test]
fn an_explicit_start_follows_the_setup_state() {
    let definition = unchecked(
        "name: s\nstart: second\nsteps:\n  - {id: first, type: succeed}\n  - {id: second, type: tool, tool: notify, next: first}\n",
    );
    let asl = compile_asl(&definition, ARN);
    assert_eq!(asl["States"][SETUP_STATE]["Next"], "second");
    assert_eq!(asl["Comment"], "s");
}
