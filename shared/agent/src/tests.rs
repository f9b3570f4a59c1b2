//! The engine against the embedded item store, with tools that count their calls.

use crate::engine::drive;
use crate::model::{Status, StepStatus};
use crate::{
    Agent, AgentDeps, AgentSettings, ApprovalBody, ReplayBody, StartBody, ToolBox, WorkflowBody,
};
use async_trait::async_trait;
use plasma_core::{SystemClock, UuidV7Ids};
use plasma_embedded::Embedded;
use plasma_tools::{Tool, ToolCall, ToolFailure};
use plasma_workflow::Decision;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

const TENANT: &str = "t1";

/// Returns `{"echo": input, "calls": n}`; fails with `Flaky` while `failing` is set.
#[derive(Default)]
struct Counting {
    calls: AtomicU32,
    failing: AtomicBool,
}

#[async_trait]
impl Tool for Counting {
    async fn call(&self, call: ToolCall) -> Result<Value, ToolFailure> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        if self.failing.load(Ordering::SeqCst) {
            return Err(ToolFailure::new("Flaky", format!("call {n} failed")));
        }
        Ok(json!({"echo": call.input, "calls": n}))
    }
}

/// Fails its first `failures` calls with `Flaky`.
struct FailsFirst {
    failures: u32,
    calls: AtomicU32,
}

#[async_trait]
impl Tool for FailsFirst {
    async fn call(&self, call: ToolCall) -> Result<Value, ToolFailure> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        if n <= self.failures {
            return Err(ToolFailure::new("Flaky", format!("attempt {n}")));
        }
        Ok(json!({"attempt": n, "input": call.input}))
    }
}

struct Harness {
    agent: Agent,
    counting: Arc<Counting>,
    flaky: Arc<FailsFirst>,
    _dir: tempfile::TempDir,
}

fn harness(failures: u32) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let embedded = Embedded::open(
        dir.path(),
        Vec::new(),
        Vec::new(),
        "http://127.0.0.1".into(),
        Arc::new(SystemClock),
        Arc::new(UuidV7Ids),
    )
    .unwrap();
    let counting = Arc::new(Counting::default());
    let flaky = Arc::new(FailsFirst {
        failures,
        calls: AtomicU32::new(0),
    });
    let mut tools = ToolBox::new();
    tools.insert("http.request".into(), counting.clone());
    tools.insert("llm.complete".into(), flaky.clone());
    let agent = Agent::new(AgentDeps {
        items: embedded.items.clone(),
        bus: embedded.bus.clone(),
        webhooks: None,
        clock: Arc::new(SystemClock),
        ids: Arc::new(UuidV7Ids),
        tools,
        settings: AgentSettings::default(),
        machines: None,
    });
    Harness {
        agent,
        counting,
        flaky,
        _dir: dir,
    }
}

impl Harness {
    async fn start(&self, definition: Value, input: Value) -> String {
        let name = definition["name"].as_str().unwrap().to_owned();
        let workflow = self
            .agent
            .save_workflow(TENANT, "tester", WorkflowBody { name, definition })
            .await
            .unwrap();
        let (execution, _) = self
            .agent
            .start(
                TENANT,
                &starter(),
                &workflow.id,
                StartBody {
                    input,
                    idempotency_key: None,
                },
            )
            .await
            .unwrap();
        execution.id
    }

    async fn drive(&self, id: &str) -> crate::ExecutionView {
        drive(&self.agent, TENANT, id, 0).await.unwrap();
        self.agent.execution(TENANT, id).await.unwrap()
    }
}

fn starter() -> crate::model::Starter {
    crate::model::Starter {
        subject: "tester".into(),
        permissions: vec!["agent:run".into()],
    }
}

fn control_flow() -> Value {
    json!({
        "name": "control",
        "steps": [
            {"id": "fan", "type": "parallel", "branches": [
                [{"id": "a", "type": "tool", "tool": "http.request", "input": {"n": 1}}],
                [{"id": "b", "type": "tool", "tool": "http.request", "input": {"n": "$.input.n"}}]
            ]},
            {"id": "each", "type": "map", "items": "$.input.items", "max_concurrency": 1, "steps": [
                {"id": "per", "type": "tool", "tool": "http.request", "input": {"item": "$.item"}}
            ]},
            {"id": "route", "type": "choice", "choices": [
                {"when": {"path": "$.input.n", "greater_than": 5}, "next": "big"}
            ], "default": "small"},
            {"id": "big", "type": "tool", "tool": "http.request", "input": {"size": "big"}, "next": "end"},
            {"id": "small", "type": "tool", "tool": "http.request", "input": {"size": "small"}}
        ]
    })
}

#[tokio::test]
async fn parallel_map_and_choice_run_and_a_second_drive_runs_nothing_again() {
    let h = harness(0);
    let id = h
        .start(control_flow(), json!({"n": 7, "items": ["x", "y"]}))
        .await;
    let view = h.drive(&id).await;
    assert_eq!(view.execution.status, Status::Succeeded, "{view:?}");
    let out = view.execution.output.unwrap();
    assert_eq!(
        out["steps"]["fan"]["output"]["b"]["output"]["echo"],
        json!({"n": 7})
    );
    assert_eq!(
        out["steps"]["each"]["output"][1]["per"]["output"]["echo"],
        json!({"item": "y"})
    );
    assert_eq!(
        out["steps"]["big"]["output"]["echo"],
        json!({"size": "big"})
    );
    assert!(out["steps"].get("small").is_none());
    assert_eq!(h.counting.calls.load(Ordering::SeqCst), 5);
    let keys: Vec<&str> = view.steps.iter().map(|c| c.key.as_str()).collect();
    for key in [
        "fan",
        "fan/0/a",
        "fan/1/b",
        "each",
        "each[0]/per",
        "each[1]/per",
        "route",
        "big",
    ] {
        assert!(keys.contains(&key), "{key} missing from {keys:?}");
    }
    // Driving a finished execution again is a no-op; replaying its steps would call tools.
    h.drive(&id).await;
    assert_eq!(h.counting.calls.load(Ordering::SeqCst), 5);
}

#[tokio::test]
async fn an_interrupted_execution_resumes_without_repeating_finished_steps() {
    let h = harness(0);
    let id = h
        .start(control_flow(), json!({"n": 1, "items": ["x", "y", "z"]}))
        .await;
    // Pretend the runner died after the parallel and the first map item: their checkpoints
    // exist, the rest never ran.
    let run = h.drive(&id).await;
    assert_eq!(run.execution.status, Status::Succeeded);
    let calls = h.counting.calls.load(Ordering::SeqCst);
    for key in ["each[1]/per", "each[2]/per", "each", "route", "small"] {
        h.agent
            .store
            .items
            .delete(
                &plasma_core::Key::new(
                    plasma_core::keys::CHECKPOINTS.key([TENANT, &id]).unwrap(),
                    key,
                ),
                plasma_core::Condition::None,
            )
            .await
            .unwrap();
    }
    let mut execution = h.agent.store.execution(TENANT, &id).await.unwrap().unwrap();
    execution.status = Status::Running;
    execution.output = None;
    h.agent.store.save_execution(&mut execution).await.unwrap();
    let view = h.drive(&id).await;
    assert_eq!(view.execution.status, Status::Succeeded);
    // Only the two missing map items and `small` ran again.
    assert_eq!(h.counting.calls.load(Ordering::SeqCst), calls + 3);
}

#[tokio::test]
async fn retries_then_catch_routes_to_the_fallback_with_the_error() {
    let h = harness(10);
    let definition = json!({
        "name": "recover",
        "steps": [
            {"id": "try", "type": "tool", "tool": "llm.complete", "input": {"prompt": "hi"},
             "retry": {"attempts": 2, "backoff_seconds": 1, "multiplier": 1, "on": ["Flaky"]},
             "catch": {"next": "fallback"}},
            {"id": "done", "type": "succeed"},
            {"id": "fallback", "type": "tool", "tool": "http.request", "input": {"error": "$.steps.try.error.Error"}}
        ]
    });
    let id = h.start(definition, json!({})).await;
    let view = h.drive(&id).await;
    assert_eq!(view.execution.status, Status::Succeeded, "{view:?}");
    assert_eq!(
        h.flaky.calls.load(Ordering::SeqCst),
        3,
        "one try and two retries"
    );
    let out = view.execution.output.unwrap();
    assert_eq!(
        out["steps"]["fallback"]["output"]["echo"],
        json!({"error": "Flaky"})
    );
    let cause: Value =
        serde_json::from_str(out["steps"]["try"]["error"]["Cause"].as_str().unwrap()).unwrap();
    assert_eq!(
        cause,
        json!({"errorType": "Flaky", "errorMessage": "attempt 3"})
    );
    let try_step = view.steps.iter().find(|c| c.key == "try").unwrap();
    assert!(try_step.caught);
    assert_eq!(try_step.attempt, 3);
    assert_eq!(try_step.earlier_errors.len(), 2);
}

fn approval_flow() -> Value {
    json!({
        "name": "approve",
        "steps": [
            {"id": "draft", "type": "tool", "tool": "http.request", "input": {"draft": "$.input.topic"}},
            {"id": "review", "type": "approval", "prompt": "Publish?", "input": {"draft": "$.steps.draft.output"}},
            {"id": "route", "type": "choice", "choices": [
                {"when": {"path": "$.steps.review.output.decision", "equals": "approved"}, "next": "publish"}
            ], "default": "stop"},
            {"id": "publish", "type": "tool", "tool": "http.request", "input": {"publish": "$.steps.draft.output.echo.draft"}, "next": "end"},
            {"id": "stop", "type": "fail", "error": "Rejected"}
        ]
    })
}

#[tokio::test]
async fn an_approval_pauses_the_run_until_a_person_decides() {
    let h = harness(0);
    let id = h.start(approval_flow(), json!({"topic": "tides"})).await;
    let paused = h.drive(&id).await;
    assert_eq!(paused.execution.status, Status::WaitingApproval);
    let waiting = paused.steps.iter().find(|c| c.key == "review").unwrap();
    assert_eq!(waiting.status, StepStatus::Waiting);
    assert_eq!(
        waiting.input.as_ref().unwrap()["draft"]["echo"],
        json!({"draft": "tides"})
    );
    assert_eq!(h.agent.pending_approvals(TENANT).await.unwrap().len(), 1);
    // Driving again while nobody decided changes nothing.
    h.drive(&id).await;
    assert_eq!(h.counting.calls.load(Ordering::SeqCst), 1);

    let body = ApprovalBody {
        decision: Decision::Approved,
        value: None,
    };
    h.agent
        .decide(TENANT, "editor-1", &id, "review", body)
        .await
        .unwrap();
    let done = h.drive(&id).await;
    assert_eq!(done.execution.status, Status::Succeeded, "{done:?}");
    let out = done.execution.output.unwrap();
    assert_eq!(out["steps"]["review"]["output"]["by"], "editor-1");
    assert_eq!(
        out["steps"]["publish"]["output"]["echo"],
        json!({"publish": "tides"})
    );
    assert_eq!(h.counting.calls.load(Ordering::SeqCst), 2);
    // A second decision finds nothing waiting.
    let again = ApprovalBody {
        decision: Decision::Rejected,
        value: None,
    };
    assert!(
        h.agent
            .decide(TENANT, "editor-1", &id, "review", again)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn a_rejection_fails_through_the_choice_and_retry_reruns_only_the_failed_step() {
    let h = harness(0);
    let definition = json!({
        "name": "fragile",
        "steps": [
            {"id": "first", "type": "tool", "tool": "llm.complete", "input": {"prompt": "x"}},
            {"id": "second", "type": "tool", "tool": "http.request", "input": {"after": "$.steps.first.output.attempt"}}
        ]
    });
    h.counting.failing.store(true, Ordering::SeqCst);
    let id = h.start(definition, json!({})).await;
    let failed = h.drive(&id).await;
    assert_eq!(failed.execution.status, Status::Failed);
    assert_eq!(failed.execution.error.as_ref().unwrap().error, "Flaky");
    h.counting.failing.store(false, Ordering::SeqCst);
    h.agent.retry(TENANT, &starter(), &id).await.unwrap();
    let done = h.drive(&id).await;
    assert_eq!(done.execution.status, Status::Succeeded, "{done:?}");
    assert_eq!(
        h.flaky.calls.load(Ordering::SeqCst),
        1,
        "the first step did not run again"
    );
    let second = done.steps.iter().find(|c| c.key == "second").unwrap();
    assert_eq!(second.earlier_errors.len(), 1);
}

#[tokio::test]
async fn replay_forks_a_linked_execution_from_a_checkpoint_with_edited_state() {
    let h = harness(0);
    let id = h.start(approval_flow(), json!({"topic": "tides"})).await;
    h.drive(&id).await;
    let body = ApprovalBody {
        decision: Decision::Approved,
        value: None,
    };
    h.agent
        .decide(TENANT, "editor-1", &id, "review", body)
        .await
        .unwrap();
    h.drive(&id).await;
    let calls = h.counting.calls.load(Ordering::SeqCst);

    // The edit changes what the review saw: the fork asks it again before going on.
    let edit = ReplayBody {
        from_step: "route".into(),
        state: json!({"steps": {"draft": {"output": {"echo": {"draft": "edited"}}}}}),
        carry_approvals: false,
    };
    let child = h.agent.replay(TENANT, &starter(), &id, edit).await.unwrap();
    assert_eq!(child.parent.as_ref().unwrap().execution, id);
    let paused = h.drive(&child.id).await;
    assert_eq!(
        paused.execution.status,
        Status::WaitingApproval,
        "{paused:?}"
    );
    let asked = paused.steps.iter().find(|c| c.key == "review").unwrap();
    assert_eq!(
        asked.input.as_ref().unwrap()["draft"]["echo"],
        json!({"draft": "edited"})
    );
    let body = ApprovalBody {
        decision: Decision::Approved,
        value: None,
    };
    h.agent
        .decide(TENANT, "editor-2", &child.id, "review", body)
        .await
        .unwrap();
    let view = h.drive(&child.id).await;
    assert_eq!(view.execution.status, Status::Succeeded, "{view:?}");
    let out = view.execution.output.unwrap();
    assert_eq!(
        out["steps"]["publish"]["output"]["echo"],
        json!({"publish": "edited"})
    );
    assert_eq!(out["steps"]["review"]["output"]["by"], "editor-2");
    // Only publish ran in the fork; draft was inherited.
    assert_eq!(h.counting.calls.load(Ordering::SeqCst), calls + 1);
    let keys: Vec<&str> = view.steps.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "inherited/draft",
            crate::FORK_KEY,
            "review",
            "route",
            "publish"
        ]
    );

    // Unedited, the fork inherits the decision and goes straight on.
    let same = ReplayBody {
        from_step: "route".into(),
        state: Value::Null,
        carry_approvals: false,
    };
    let child = h.agent.replay(TENANT, &starter(), &id, same).await.unwrap();
    let view = h.drive(&child.id).await;
    assert_eq!(view.execution.status, Status::Succeeded, "{view:?}");
    let keys: Vec<&str> = view.steps.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "inherited/draft",
            "inherited/review",
            crate::FORK_KEY,
            "route",
            "publish"
        ]
    );
    // Carrying approvals over needs agent:approve.
    let carry = ReplayBody {
        from_step: "route".into(),
        state: Value::Null,
        carry_approvals: true,
    };
    assert!(matches!(
        h.agent.replay(TENANT, &starter(), &id, carry).await,
        Err(crate::AgentError::Forbidden(_))
    ));
    let parent = h.agent.execution(TENANT, &id).await.unwrap();
    assert_eq!(
        parent.execution.output.unwrap()["steps"]["publish"]["output"]["echo"],
        json!({"publish": "tides"})
    );
}

#[tokio::test]
async fn invalid_definitions_name_the_step_and_field() {
    let h = harness(0);
    let body = WorkflowBody {
        name: "bad".into(),
        definition: json!("steps:\n  - id: x\n    type: tool\n    tool: nope.tool\n"),
    };
    match h.agent.save_workflow(TENANT, "t", body).await {
        Err(crate::AgentError::Definition(errors)) => {
            assert_eq!(errors[0].step.as_deref(), Some("x"));
            assert_eq!(errors[0].field, "tool");
        }
        other => panic!("expected definition errors, got {other:?}"),
    }
    let yaml = WorkflowBody {
        name: "ok".into(),
        definition: json!("steps:\n  - id: x\n    type: succeed\n"),
    };
    let first = h.agent.save_workflow(TENANT, "t", yaml).await.unwrap();
    let again = WorkflowBody {
        name: "ok".into(),
        definition: json!({"steps": [{"id": "y", "type": "succeed"}]}),
    };
    let second = h.agent.save_workflow(TENANT, "t", again).await.unwrap();
    assert_eq!(
        (first.id == second.id, first.version, second.version),
        (true, 1, 2)
    );
}
