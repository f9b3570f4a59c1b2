//! One definition, two engines: each control-flow construct (parallel, map, choice, wait,
//! retry, catch, fail, approval by task token) runs on the embedded engine and, compiled to
//! Amazon States Language, on moto's Step Functions interpreter, whose Task states invoke the
//! real agent-step handler through a stand-in Lambda endpoint. Both must end the same way
//! with the same output.
//!
//! moto's interpreter sends its service calls to `http://localhost:$MOTO_PORT`; a moto
//! server of this test's own is started with that pointing at the stand-in, which answers
//! Lambda's Invoke API (`POST /2015-03-31/functions/{name}/invocations`, a function error
//! as `X-Amz-Function-Error` with an `{errorType, errorMessage}` body) by calling
//! `plasma_agent::step::handle`, as the agent-step function does.

use async_trait::async_trait;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use plasma_agent::engine::drive;
use plasma_agent::model::{Starter, Status, StepStatus};
use plasma_agent::step::StepEvent;
use plasma_agent::{
    Agent, AgentDeps, AgentSettings, ApprovalBody, StartBody, ToolBox, WorkflowBody,
};
use plasma_core::{SystemClock, UuidV7Ids};
use plasma_embedded::Embedded;
use plasma_tests::moto::{ACCOUNT_ID, DedicatedMoto};
use plasma_tools::{Tool, ToolCall, ToolFailure};
use plasma_workflow::Decision;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const TENANT: &str = "acme";

/// `http.request`: echoes its input.
struct Echo;

#[async_trait]
impl Tool for Echo {
    async fn call(&self, call: ToolCall) -> Result<Value, ToolFailure> {
        Ok(json!({"echo": call.input}))
    }
}

/// `llm.complete`: fails the first call for each input with `Flaky`, then answers.
#[derive(Default)]
struct FlakyOnce(Mutex<HashMap<String, u32>>);

#[async_trait]
impl Tool for FlakyOnce {
    async fn call(&self, call: ToolCall) -> Result<Value, ToolFailure> {
        let n = {
            let mut seen = self.0.lock().unwrap();
            let n = seen.entry(call.input.to_string()).or_insert(0);
            *n += 1;
            *n
        };
        if n == 1 {
            return Err(ToolFailure::new("Flaky", "the first try fails"));
        }
        Ok(json!({"completion": call.input["prompt"], "tries": n}))
    }
}

/// `notify`: always fails with `Boom`.
struct Boom;

#[async_trait]
impl Tool for Boom {
    async fn call(&self, _: ToolCall) -> Result<Value, ToolFailure> {
        Err(ToolFailure::new("Boom", "the channel is down"))
    }
}

/// `browser.fetch`: takes longer than any step here allows.
struct Slow;

#[async_trait]
impl Tool for Slow {
    async fn call(&self, _: ToolCall) -> Result<Value, ToolFailure> {
        tokio::time::sleep(Duration::from_secs(4)).await;
        Ok(json!({"late": true}))
    }
}

fn toolbox() -> ToolBox {
    let mut tools = ToolBox::new();
    tools.insert("browser.fetch".into(), Arc::new(Slow));
    tools.insert("http.request".into(), Arc::new(Echo));
    tools.insert("llm.complete".into(), Arc::new(FlakyOnce::default()));
    tools.insert("notify".into(), Arc::new(Boom));
    tools
}

fn agent(embedded: &Embedded) -> Agent {
    Agent::new(AgentDeps {
        items: embedded.items.clone(),
        bus: embedded.bus.clone(),
        webhooks: None,
        clock: Arc::new(SystemClock),
        ids: Arc::new(UuidV7Ids),
        tools: toolbox(),
        settings: AgentSettings {
            step_function_arn: format!("arn:aws:lambda:us-east-1:{ACCOUNT_ID}:function:agent-step"),
            ..AgentSettings::default()
        },
        machines: None,
    })
}

fn open(dir: &std::path::Path) -> Embedded {
    Embedded::open(
        dir,
        Vec::new(),
        Vec::new(),
        "http://127.0.0.1".into(),
        Arc::new(SystemClock),
        Arc::new(UuidV7Ids),
    )
    .unwrap()
}

fn starter() -> Starter {
    Starter {
        subject: "tester".into(),
        permissions: vec!["agent:run".into(), "agent:approve".into()],
    }
}

/// Save and start `definition`, answer every approval with `decision`, and wait for the
/// end: the final status, output and error.
async fn run(
    agent: &Agent,
    definition: &Value,
    input: &Value,
    decision: Decision,
) -> (String, (Status, Value, Value)) {
    let name = definition["name"].as_str().unwrap().to_owned();
    let workflow = agent
        .save_workflow(
            TENANT,
            "tester",
            WorkflowBody {
                name: name.clone(),
                definition: definition.clone(),
            },
        )
        .await
        .unwrap();
    let (execution, _) = agent
        .start(
            TENANT,
            &starter(),
            &workflow.id,
            StartBody {
                input: input.clone(),
                idempotency_key: None,
            },
        )
        .await
        .unwrap();
    (
        execution.id.clone(),
        finish(agent, &execution.id, definition, decision).await,
    )
}

/// Drive (embedded) or poll (Step Functions) an execution to its end, answering approvals.
async fn finish(
    agent: &Agent,
    id: &str,
    definition: &Value,
    decision: Decision,
) -> (Status, Value, Value) {
    let name = definition["name"].as_str().unwrap().to_owned();
    let execution = agent.execution(TENANT, id).await.unwrap().execution;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        if agent.machines.is_none() {
            drive(agent, TENANT, &execution.id, 0).await.unwrap();
        }
        let view = agent.execution(TENANT, &execution.id).await.unwrap();
        if view.execution.status.is_final() {
            // On Step Functions the steps were recorded by the agent-step handler.
            let on_aws = agent.machines.is_some();
            assert_eq!(view.execution.remote_arn.is_some(), on_aws);
            if on_aws && definition.to_string().contains("\"tool\"") {
                assert!(
                    !view.steps.is_empty(),
                    "{name}: no step recorded by agent-step"
                );
            }
            let error = json!(view.execution.error);
            return (
                view.execution.status,
                view.execution.output.unwrap_or(Value::Null),
                error,
            );
        }
        if let Some(waiting) = view.steps.iter().find(|c| c.status == StepStatus::Waiting) {
            let body = ApprovalBody {
                decision,
                value: Some(json!("fine")),
            };
            // A decision can lose a race with the run ending (a withdrawn approval).
            match agent
                .decide(TENANT, "approver", &execution.id, &waiting.key, body)
                .await
            {
                Ok(_) | Err(plasma_agent::AgentError::Conflict(_)) => {}
                Err(e) => panic!("{name}: deciding failed: {e}"),
            }
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{name} did not finish: {view:?}"
        );
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

async fn invoke(State(agent): State<Agent>, body: Bytes) -> Response {
    let event: StepEvent = match serde_json::from_slice(&body) {
        Ok(event) => event,
        Err(e) => return (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
    };
    match plasma_agent::step::handle(&agent, event).await {
        Ok(output) => axum::Json(output).into_response(),
        Err(failure) => (
            [("X-Amz-Function-Error", "Unhandled")],
            axum::Json(json!({"errorType": failure.error, "errorMessage": failure.cause})),
        )
            .into_response(),
    }
}

fn definitions() -> Vec<(Value, Value, Decision)> {
    vec![
        (
            json!({"name": "parallel", "steps": [
                {"id": "both", "type": "parallel", "branches": [
                    [{"id": "left", "type": "tool", "tool": "http.request", "input": {"side": "left", "topic": "$.input.topic"}}],
                    [{"id": "right", "type": "tool", "tool": "http.request", "input": {"side": "right"}},
                     {"id": "right_again", "type": "tool", "tool": "http.request", "input": {"prev": "$.steps.right.output.echo.side"}}]
                ]},
                {"id": "after", "type": "tool", "tool": "http.request", "input": {"left": "$.steps.both.output.left.output"}}
            ]}),
            json!({"topic": "tides"}),
            Decision::Approved,
        ),
        (
            json!({"name": "map", "steps": [
                {"id": "each", "type": "map", "items": "$.input.channels", "max_concurrency": 2, "steps": [
                    {"id": "draft", "type": "tool", "tool": "http.request", "input": {"channel": "$.item", "topic": "$.input.topic"}},
                    {"id": "check", "type": "tool", "tool": "http.request", "input": {"draft": "$.steps.draft.output.echo.channel"}}
                ]},
                {"id": "second", "type": "tool", "tool": "http.request", "input": {"first": "$.steps.each.output[1].check.output"}}
            ]}),
            json!({"topic": "tides", "channels": ["x", "linkedin", "blog"]}),
            Decision::Approved,
        ),
        (
            json!({"name": "choice", "steps": [
                {"id": "route", "type": "choice", "choices": [
                    {"when": {"and": [{"path": "$.input.n", "greater_than": 5}, {"path": "$.input.kind", "equals": "big"}]}, "next": "big"},
                    {"when": {"path": "$.input.flag", "is_true": true}, "next": "flagged"}
                ], "default": "small"},
                {"id": "big", "type": "tool", "tool": "http.request", "input": {"size": "big"}, "next": "end"},
                {"id": "flagged", "type": "tool", "tool": "http.request", "input": {"size": "flagged"}, "next": "end"},
                {"id": "small", "type": "tool", "tool": "http.request", "input": {"size": "small"}}
            ]}),
            json!({"n": 3, "kind": "big", "flag": true}),
            Decision::Approved,
        ),
        (
            json!({"name": "recovery", "steps": [
                {"id": "flaky", "type": "tool", "tool": "llm.complete", "input": {"prompt": "$.input.prompt"},
                 "retry": {"attempts": 2, "backoff_seconds": 1, "on": ["Flaky"]}},
                {"id": "doomed", "type": "tool", "tool": "notify", "input": {"text": "hello"},
                 "retry": {"attempts": 1, "backoff_seconds": 1, "on": ["Flaky"]},
                 "catch": {"on": ["Boom"], "next": "fallback"}},
                {"id": "unreached", "type": "succeed"},
                {"id": "fallback", "type": "tool", "tool": "http.request", "input": {"error": "$.steps.doomed.error"}}
            ]}),
            json!({"prompt": "Say hi"}),
            Decision::Approved,
        ),
        (
            json!({"name": "uncaught", "steps": [
                {"id": "first", "type": "tool", "tool": "http.request", "input": {"n": 1}},
                {"id": "doomed", "type": "tool", "tool": "notify", "input": {"text": "x"}, "catch": {"on": ["Other"], "next": "never"}, "next": "end"},
                {"id": "never", "type": "succeed"}
            ]}),
            json!({}),
            Decision::Approved,
        ),
        (
            json!({"name": "approval", "steps": [
                {"id": "draft", "type": "tool", "tool": "http.request", "input": {"topic": "$.input.topic"}},
                {"id": "review", "type": "approval", "prompt": "Publish?", "input": {"draft": "$.steps.draft.output"}},
                {"id": "route", "type": "choice", "choices": [
                    {"when": {"path": "$.steps.review.output.decision", "equals": "approved"}, "next": "publish"}
                ], "default": "rejected"},
                {"id": "publish", "type": "tool", "tool": "http.request", "input": {"decision": "$.steps.review.output.decision", "value": "$.steps.review.output.value"}, "next": "end"},
                {"id": "rejected", "type": "fail", "error": "Rejected", "cause": "the reviewer said no"}
            ]}),
            json!({"topic": "tides"}),
            Decision::Approved,
        ),
        (
            json!({"name": "rejection", "steps": [
                {"id": "review", "type": "approval", "prompt": "Publish?"},
                {"id": "route", "type": "choice", "choices": [
                    {"when": {"path": "$.steps.review.output.decision", "equals": "approved"}, "next": "done"}
                ], "default": "rejected"},
                {"id": "done", "type": "succeed"},
                {"id": "rejected", "type": "fail", "error": "Rejected", "cause": "the reviewer said no"}
            ]}),
            json!({}),
            Decision::Rejected,
        ),
        (
            json!({"name": "timeout", "steps": [
                {"id": "slow", "type": "tool", "tool": "browser.fetch", "input": {"url": "https://example.com"},
                 "timeout_seconds": 1, "catch": {"on": ["States.Timeout"], "next": "fallback"}},
                {"id": "unreached", "type": "succeed"},
                {"id": "fallback", "type": "tool", "tool": "http.request", "input": {"error": "$.steps.slow.error.Error"}}
            ]}),
            json!({}),
            Decision::Approved,
        ),
        (
            json!({"name": "wait_until", "steps": [
                {"id": "pause", "type": "wait", "until": "$.input.at"},
                {"id": "after", "type": "tool", "tool": "http.request", "input": {"at": "$.input.at"}}
            ]}),
            json!({"at": (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)}),
            Decision::Approved,
        ),
        (
            json!({"name": "wait", "steps": [
                {"id": "pause", "type": "wait", "seconds": "$.input.seconds"},
                {"id": "after", "type": "tool", "tool": "http.request", "input": {"waited": "$.input.seconds"}}
            ]}),
            json!({"seconds": 1}),
            Decision::Approved,
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_control_flow_construct_ends_the_same_on_step_functions_and_embedded() {
    plasma_tests::install_crypto_provider();
    // The stand-in Lambda endpoint first: moto must know its port when it starts.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let moto = DedicatedMoto::start(vec![("MOTO_PORT".into(), port.to_string())]).await;
    let enabled = reqwest::Client::new()
        .post(format!("{}/moto-api/config", moto.endpoint))
        .json(&json!({"stepfunctions": {"execute_state_machine": true}}))
        .send()
        .await
        .unwrap();
    assert!(
        enabled.status().is_success(),
        "moto's execution mode: {}",
        enabled.status()
    );
    let sdk = moto.sdk_config().await;

    let aws_dir = tempfile::tempdir().unwrap();
    let aws_store = open(aws_dir.path());
    let machines = plasma_aws::StepFunctions::from_sdk(
        &sdk,
        format!("arn:aws:iam::{ACCOUNT_ID}:role/plasma-agent-states"),
    );
    let on_aws = agent(&aws_store).on_state_machines(Arc::new(machines));
    let lambda = Router::new()
        .route("/2015-03-31/functions/{name}/invocations", post(invoke))
        .with_state(on_aws.clone());
    tokio::spawn(async move { axum::serve(listener, lambda).await });

    let local_dir = tempfile::tempdir().unwrap();
    let local_store = open(local_dir.path());
    let embedded = agent(&local_store);

    for (definition, input, decision) in definitions() {
        let name = definition["name"].as_str().unwrap();
        let (local_id, local) = run(&embedded, &definition, &input, decision).await;
        let (remote_id, remote) = run(&on_aws, &definition, &input, decision).await;
        assert_eq!(
            local.0, remote.0,
            "{name}: status differs\nembedded: {local:?}\nstep functions: {remote:?}"
        );
        assert_eq!(local.2, remote.2, "{name}: error differs");
        if local.0 == Status::Succeeded {
            // A timeout's cause is each engine's own sentence; the error name is the contract.
            let (mut l, mut r) = (local.1.clone(), remote.1.clone());
            for out in [&mut l, &mut r] {
                if let Some(cause) = out.pointer_mut("/steps/slow/error/Cause") {
                    *cause = json!("(the engine's words)");
                }
            }
            assert_eq!(l, r, "{name}: output differs");
        }
        // Each construct did what it says, not merely the same thing twice.
        let steps = &local.1["steps"];
        match name {
            "parallel" => assert_eq!(
                steps["after"]["output"]["echo"]["left"]["echo"],
                json!({"side": "left", "topic": "tides"})
            ),
            "map" => {
                assert_eq!(steps["each"]["output"].as_array().unwrap().len(), 3);
                assert_eq!(
                    steps["second"]["output"]["echo"]["first"]["echo"],
                    json!({"draft": "linkedin"})
                );
            }
            "choice" => assert_eq!(
                steps["flagged"]["output"]["echo"],
                json!({"size": "flagged"})
            ),
            "recovery" => {
                assert_eq!(steps["flaky"]["output"]["tries"], 2);
                assert_eq!(
                    steps["fallback"]["output"]["echo"]["error"]["Error"],
                    "Boom"
                );
            }
            "uncaught" => assert_eq!(local.2["error"], "Boom"),
            "approval" => assert_eq!(
                steps["publish"]["output"]["echo"],
                json!({"decision": "approved", "value": "fine"})
            ),
            "rejection" => assert_eq!(
                local.2,
                json!({"error": "Rejected", "cause": "the reviewer said no"})
            ),
            "wait" => assert_eq!(steps["after"]["output"]["echo"], json!({"waited": 1})),
            "timeout" => assert_eq!(
                steps["fallback"]["output"]["echo"],
                json!({"error": "States.Timeout"})
            ),
            "wait_until" => assert_eq!(steps["after"]["output"]["echo"]["at"], input["at"]),
            other => panic!("no expectation for {other}"),
        }
        if name == "approval" {
            // Replay from `publish` with an edited decision, carried over by an approver: a
            // fork on each engine (on Step Functions, a resume machine started with the
            // edited context).
            let edit = || plasma_agent::ReplayBody {
                from_step: "publish".into(),
                state: json!({"steps": {"review": {"output": {"decision": "approved", "value": "edited", "by": "someone"}}}}),
                carry_approvals: true,
            };
            let local_fork = embedded
                .replay(TENANT, &starter(), &local_id, edit())
                .await
                .unwrap();
            let remote_fork = on_aws
                .replay(TENANT, &starter(), &remote_id, edit())
                .await
                .unwrap();
            let local = finish(&embedded, &local_fork.id, &definition, decision).await;
            let remote = finish(&on_aws, &remote_fork.id, &definition, decision).await;
            assert_eq!(local.0, Status::Succeeded, "{local:?}");
            assert_eq!(local, remote, "the replays differ");
            assert_eq!(
                local.1["steps"]["publish"]["output"]["echo"],
                json!({"decision": "approved", "value": "edited"})
            );
            let history = on_aws.execution(TENANT, &remote_fork.id).await.unwrap();
            assert_eq!(
                history.execution.parent.as_ref().unwrap().execution,
                remote_id
            );
            assert!(
                history
                    .steps
                    .iter()
                    .any(|c| c.key == plasma_agent::FORK_KEY)
            );
        }
    }

    // The rest of the port on moto: a withdrawn approval fails its task (SendTaskFailure)
    // into the step's catch, and cancelling calls StopExecution.
    let machines = on_aws.machines.clone().unwrap();
    let withdrawable = json!({"name": "withdrawable", "steps": [
        {"id": "review", "type": "approval", "prompt": "Go?", "catch": {"on": ["Approval.Withdrawn"], "next": "withdrawn"}},
        {"id": "done", "type": "succeed"},
        {"id": "withdrawn", "type": "tool", "tool": "http.request", "input": {"why": "$.steps.review.error.Error"}}
    ]});
    let workflow = on_aws
        .save_workflow(
            TENANT,
            "tester",
            WorkflowBody {
                name: "withdrawable".into(),
                definition: withdrawable,
            },
        )
        .await
        .unwrap();
    let start = || StartBody {
        input: json!({}),
        idempotency_key: None,
    };
    let waiting_token = |id: String| {
        let on_aws = on_aws.clone();
        async move {
            for _ in 0..100 {
                let view = on_aws.execution(TENANT, &id).await.unwrap();
                if let Some(token) = view.steps.iter().find_map(|c| c.task_token.clone()) {
                    return token;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            panic!("no approval was requested on Step Functions");
        }
    };
    let (withdrawn, _) = on_aws
        .start(TENANT, &starter(), &workflow.id, start())
        .await
        .unwrap();
    let token = waiting_token(withdrawn.id.clone()).await;
    machines
        .send_failure(&token, "Approval.Withdrawn", "the request was withdrawn")
        .await
        .unwrap();
    let definition = json!({"name": "withdrawable"});
    let (status, output, _) = finish(&on_aws, &withdrawn.id, &definition, Decision::Approved).await;
    assert_eq!(status, Status::Succeeded);
    assert_eq!(
        output["steps"]["withdrawn"]["output"]["echo"],
        json!({"why": "Approval.Withdrawn"})
    );
    // Nobody is left asked to decide an approval whose run went on without it.
    let closed = on_aws.execution(TENANT, &withdrawn.id).await.unwrap();
    let review = closed.steps.iter().find(|c| c.step == "review").unwrap();
    assert_eq!(review.status, StepStatus::Failed);
    assert_eq!(review.error.as_ref().unwrap().error, "Approval.Closed");
    assert!(on_aws.pending_approvals(TENANT).await.unwrap().is_empty());

    let (stopped, _) = on_aws
        .start(TENANT, &starter(), &workflow.id, start())
        .await
        .unwrap();
    waiting_token(stopped.id.clone()).await;
    let view = on_aws.cancel(TENANT, &stopped.id).await.unwrap();
    assert_eq!(view.execution.status, Status::Cancelled);
    // moto takes the StopExecution (an error would have failed the cancel) but its
    // interpreter keeps a run that waits on a task token RUNNING, so the status is not
    // read back from it here.
    assert!(view.execution.remote_arn.is_some());
}
