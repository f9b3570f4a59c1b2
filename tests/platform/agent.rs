//! Agent workflows through the API: a workflow with parallel research, an approval and a
//! publish step, run by a `plasma serve` process that is killed with SIGKILL mid-run and
//! restarted; replay with edited state; retry, cancel, idempotent starts, validation errors,
//! the compiled state machine, GraphQL and permissions.

use crate::common::{TestApp, eventually, eventually_within, json};
use crate::webhooks::{receiver, verifies};
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use chrono::{Duration as Ttl, Utc};
use plasma_gateway::DevKey;
use reqwest::Client;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

const CHILD_DIR: &str = "PLASMA_TEST_CHILD_RUNNER_DIR";
const NOTIFY_SECRET: &str = "whsec_c2VjcmV0LWZvci10aGUtbm90aWZ5LXRvb2wtdGVzdA==";

/// Each request's body and `Idempotency-Key`, by path.
type Seen = HashMap<String, Vec<(Value, String)>>;

/// Requests the fixture API received.
#[derive(Clone, Default)]
struct Fixture {
    seen: Arc<Mutex<Seen>>,
    /// Answer 503 to this many `/flaky` requests first.
    flaky_failures: Arc<Mutex<u32>>,
}

impl Fixture {
    fn count(&self, path: &str) -> usize {
        self.seen.lock().unwrap().get(path).map_or(0, Vec::len)
    }
    fn keys(&self, path: &str) -> Vec<String> {
        let seen = self.seen.lock().unwrap();
        seen.get(path)
            .map_or(Vec::new(), |v| v.iter().map(|(_, k)| k.clone()).collect())
    }
    fn bodies(&self, path: &str) -> Vec<Value> {
        let seen = self.seen.lock().unwrap();
        seen.get(path)
            .map_or(Vec::new(), |v| v.iter().map(|(b, _)| b.clone()).collect())
    }
}

async fn record(
    State(f): State<Fixture>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: String,
) -> (StatusCode, axum::Json<Value>) {
    let path = uri.path().to_owned();
    if path == "/flaky" {
        let mut left = f.flaky_failures.lock().unwrap();
        if *left > 0 {
            *left -= 1;
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(json!({"error": "busy"})),
            );
        }
    }
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body: Value = serde_json::from_str(&body).unwrap_or(Value::String(body));
    let mut seen = f.seen.lock().unwrap();
    let list = seen.entry(path.clone()).or_default();
    list.push((body, key));
    let n = list.len();
    (
        StatusCode::CREATED,
        axum::Json(json!({"path": path, "received": n})),
    )
}

async fn fixture() -> (String, Fixture) {
    let state = Fixture::default();
    let app = Router::new()
        .route("/draft", post(record))
        .route("/publish", post(record))
        .route("/flaky", post(record))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, state)
}

/// Not a test: the `plasma serve` process the kill test starts, stops with SIGKILL and
/// starts again. It runs only when the parent sets the data directory.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "the child process of a_killed_runner_finishes_the_workflow_after_a_restart"]
async fn child_runner() {
    let Ok(dir) = std::env::var(CHILD_DIR) else {
        return;
    };
    let settings = plasma_platform::Settings {
        agent: plasma_agent::AgentSettings {
            lease: Duration::from_secs(3),
            poll: Duration::from_millis(200),
            ..plasma_agent::AgentSettings::default()
        },
        tools: plasma_tools::ToolSettings::from_env().expect("tool settings"),
        ..plasma_platform::Settings::default()
    };
    let server = plasma::serve::Server::start_with(
        Path::new(&dir),
        "127.0.0.1:0".parse().unwrap(),
        settings,
    )
    .await
    .expect("runner starts");
    println!("PLASMA_CHILD_URL={}", server.url());
    std::future::pending::<()>().await;
}

struct Remote {
    child: Child,
    url: String,
}

async fn start_child(dir: &Path, fixture_url: &str) -> Remote {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["agent::child_runner", "--exact", "--ignored", "--nocapture"])
        .env(CHILD_DIR, dir)
        .env("PLASMA_AGENT_HTTP_ALLOW", "127.0.0.1")
        .env("PLASMA_AGENT_ALLOW_PRIVATE", "true")
        .env("FIXTURE", fixture_url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("the test binary runs as a child runner");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(url) = line.strip_prefix("PLASMA_CHILD_URL=") {
                return url.to_owned();
            }
        }
        panic!("the child runner exited before listening");
    })
    .await
    .expect("the child runner starts within a minute");
    // Keep draining stdout so the child never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Remote { child, url }
}

fn launch_workflow() -> &'static str {
    r#"
name: launch
description: Research a launch, save a draft, wait, have it approved, publish it, announce it.
steps:
  - id: research
    type: parallel
    branches:
      - - id: search
          type: tool
          tool: research.search
          input: {query: $.input.topic, top_k: 3}
      - - id: ask
          type: tool
          tool: research.ask
          input: {question: $.input.question}
  - id: save_draft
    type: tool
    tool: http.request
    input:
      method: POST
      url: $.input.draft_url
      body: {answer: $.steps.research.output.ask.output.answer}
  - id: pause
    type: wait
    seconds: 4
  - id: review
    type: approval
    prompt: Publish the launch note?
    input: {answer: $.steps.research.output.ask.output.answer}
  - id: route
    type: choice
    choices:
      - when: {path: $.steps.review.output.decision, equals: approved}
        next: publish
    default: stop
  - id: publish
    type: tool
    tool: http.request
    input:
      method: POST
      url: $.input.publish_url
      body: {text: $.steps.research.output.ask.output.answer}
    retry: {attempts: 2, on: [Http.Network]}
  - id: announce
    type: tool
    tool: notify
    input: {channel: webhook, event: launch.published, payload: {status: $.steps.publish.output.status}}
    next: end
  - id: stop
    type: succeed
"#
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_runner_finishes_the_workflow_after_a_restart_running_each_side_effect_once() {
    plasma_tests::install_crypto_provider();
    let (fixture_url, fixture) = fixture().await;
    let (notify_url, notified) = receiver(StatusCode::OK).await;
    let (hook_url, lifecycle) = receiver(StatusCode::OK).await;
    let dir = tempfile::tempdir().unwrap();
    let mut runner = start_child(dir.path(), &fixture_url).await;
    let key = DevKey::load_or_create(dir.path()).unwrap();
    let admin = key.issue("acme", "ada", &["admin"], Ttl::hours(1), Utc::now());
    let http = Client::new();

    let (status, endpoint) = json(
        http.post(format!("{}/webhooks", runner.url))
            .bearer_auth(&admin)
            .json(&json!({"url": hook_url, "events": ["agent.execution.succeeded", "agent.approval.requested"]}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 201, "{endpoint}");
    let hook_secret = endpoint["secret"].as_str().unwrap().to_owned();
    // The tenant's own notify target and signing secret (kept across the restart).
    let (status, notify) = json(
        http.put(format!("{}/agent/settings/notify", runner.url))
            .bearer_auth(&admin)
            .json(&json!({"webhook_url": notify_url, "webhook_secret": NOTIFY_SECRET}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{notify}");
    for (title, content) in [
        (
            "Launch plan",
            "The Aurora sensor launches in Oslo on 12 March with a public demo.",
        ),
        (
            "Pricing memo",
            "Aurora costs 49 euros a month for teams of up to ten people.",
        ),
    ] {
        let (status, doc) = json(
            http.post(format!("{}/research/documents", runner.url))
                .bearer_auth(&admin)
                .json(&json!({"title": title, "content": content}))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert!(status == 201 || status == 202, "{doc}");
        let id = doc["id"].as_str().unwrap().to_owned();
        eventually("the document to be indexed", || {
            let (http, url, admin, id) =
                (http.clone(), runner.url.clone(), admin.clone(), id.clone());
            async move {
                let (_, d) = json(
                    http.get(format!("{url}/research/documents/{id}"))
                        .bearer_auth(&admin)
                        .send()
                        .await
                        .unwrap(),
                )
                .await;
                (d["status"] == "indexed").then_some(())
            }
        })
        .await;
    }

    let (status, saved) = json(
        http.post(format!("{}/agent/workflows", runner.url))
            .bearer_auth(&admin)
            .json(&json!({"name": "launch", "definition": launch_workflow()}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 201, "{saved}");
    assert_eq!(saved["version"], 1);
    let workflow = saved["id"].as_str().unwrap().to_owned();
    let input = json!({
        "topic": "Aurora launch Oslo",
        "question": "Where does the Aurora sensor launch?",
        "draft_url": format!("{fixture_url}/draft"),
        "publish_url": format!("{fixture_url}/publish"),
    });
    let (status, started) = json(
        http.post(format!(
            "{}/agent/workflows/{workflow}/executions",
            runner.url
        ))
        .bearer_auth(&admin)
        .json(&json!({"input": input, "idempotency_key": "launch-1"}))
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(status, 201, "{started}");
    let execution = started["execution_id"].as_str().unwrap().to_owned();
    let get = |url: String| {
        let (http, admin, execution) = (http.clone(), admin.clone(), execution.clone());
        async move {
            json(
                http.get(format!("{url}/agent/executions/{execution}"))
                    .bearer_auth(&admin)
                    .send()
                    .await
                    .unwrap(),
            )
            .await
            .1
        }
    };

    // Mid-run: the draft is saved and the four-second wait has begun. Kill the runner.
    eventually("the run to reach its wait", || {
        let view = get(runner.url.clone());
        async move {
            let view = view.await;
            let steps = view["steps"].as_array()?;
            steps
                .iter()
                .any(|s| s["key"] == "pause" && s["status"] == "running")
                .then_some(())
        }
    })
    .await;
    assert_eq!(fixture.count("/draft"), 1);
    runner.child.start_kill().unwrap();
    runner.child.wait().await.unwrap();

    // A new process on the same data: once the dead runner's lease runs out it resumes
    // from the checkpoints and stops at the approval.
    let runner = start_child(dir.path(), &fixture_url).await;
    let (status, again) = json(
        http.post(format!(
            "{}/agent/workflows/{workflow}/executions",
            runner.url
        ))
        .bearer_auth(&admin)
        .json(&json!({"input": {}, "idempotency_key": "launch-1"}))
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(
        (status, again["execution_id"].as_str()),
        (200, Some(execution.as_str()))
    );
    // Room for the dead runner's lease to run out.
    let waiting = eventually_within("the approval to be requested", 45, || {
        let view = get(runner.url.clone());
        async move {
            let view = view.await;
            (view["status"] == "waiting_approval").then_some(view)
        }
    })
    .await;
    let review = waiting["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "review")
        .unwrap()
        .clone();
    assert!(
        review["input"]["answer"].as_str().unwrap().contains("Oslo"),
        "{review}"
    );

    // A viewer may not decide; an admin approves.
    let service = key.issue("acme", "bot", &["service"], Ttl::hours(1), Utc::now());
    let refused = http
        .post(format!(
            "{}/agent/executions/{execution}/approvals/review",
            runner.url
        ))
        .bearer_auth(&service)
        .json(&json!({"decision": "approved"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let (status, decided) = json(
        http.post(format!(
            "{}/agent/executions/{execution}/approvals/review",
            runner.url
        ))
        .bearer_auth(&admin)
        .json(&json!({"decision": "approved"}))
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{decided}");
    let done = eventually("the execution to succeed", || {
        let view = get(runner.url.clone());
        async move {
            let view = view.await;
            (view["status"] == "succeeded").then_some(view)
        }
    })
    .await;

    // Every side effect happened exactly once, the kill and restart notwithstanding.
    assert_eq!(fixture.count("/draft"), 1, "the draft was saved once");
    assert_eq!(fixture.count("/publish"), 1, "the note was published once");
    let keys = fixture.keys("/publish");
    assert_eq!(
        keys,
        [format!("{execution}:publish")],
        "the publish call carries its idempotency key"
    );
    let texts = fixture.bodies("/publish");
    assert!(
        texts[0]["text"].as_str().unwrap().contains("Oslo"),
        "{texts:?}"
    );
    let announced = eventually("the signed notification", || async {
        let seen = notified.lock().unwrap().clone();
        (!seen.is_empty()).then_some(seen)
    })
    .await;
    assert_eq!(announced.len(), 1);
    assert!(
        verifies(NOTIFY_SECRET, &announced[0]),
        "the notify tool signs its webhook"
    );
    let out = &done["output"]["steps"];
    assert_eq!(out["review"]["output"]["decision"], "approved");
    assert_eq!(out["review"]["output"]["by"], "ada");
    assert!(
        !out["research"]["output"]["search"]["output"]["results"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(
        !out["research"]["output"]["ask"]["output"]["citations"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(out["publish"]["output"]["status"], 201);
    let keys: Vec<&str> = done["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    for key in [
        "research",
        "research/0/search",
        "research/1/ask",
        "save_draft",
        "pause",
        "review",
        "route",
        "publish",
        "announce",
    ] {
        assert!(
            keys.contains(&key),
            "{key} missing from the history {keys:?}"
        );
    }
    for step in done["steps"].as_array().unwrap() {
        assert!(
            step["started_at"].is_string() && step["finished_at"].is_string(),
            "{step}"
        );
    }

    // Lifecycle events reached the tenant's signed webhook.
    let events = eventually("the succeeded webhook", || async {
        let seen = lifecycle.lock().unwrap().clone();
        seen.iter()
            .any(|r| String::from_utf8_lossy(&r.body).contains("agent.execution.succeeded"))
            .then_some(seen)
    })
    .await;
    assert!(events.iter().all(|r| verifies(&hook_secret, r)));
    assert!(
        events
            .iter()
            .any(|r| String::from_utf8_lossy(&r.body).contains("agent.approval.requested"))
    );
    drop(runner);
}

pub(crate) async fn save(app: &TestApp, token: &str, name: &str, definition: Value) -> String {
    let (status, saved) = app
        .post_json(
            "/agent/workflows",
            token,
            &json!({"name": name, "definition": definition}),
        )
        .await;
    assert_eq!(status, 201, "{saved}");
    saved["id"].as_str().unwrap().to_owned()
}

pub(crate) async fn run(app: &TestApp, token: &str, workflow: &str, input: Value) -> String {
    let (status, started) = app
        .post_json(
            &format!("/agent/workflows/{workflow}/executions"),
            token,
            &json!({"input": input}),
        )
        .await;
    assert_eq!(status, 201, "{started}");
    started["execution_id"].as_str().unwrap().to_owned()
}

async fn settled(app: &TestApp, token: &str, execution: &str, status: &str) -> Value {
    let what = format!("execution {execution} to be {status}");
    view_once(app, token, execution, &what, |view| {
        view["status"] == status
    })
    .await
}

/// The execution's view once `done` holds for it (polled while the runner works).
pub(crate) async fn view_once(
    app: &TestApp,
    token: &str,
    execution: &str,
    what: &str,
    done: impl Fn(&Value) -> bool,
) -> Value {
    eventually(what, || async {
        let (_, view) = app
            .get_json(&format!("/agent/executions/{execution}"), token)
            .await;
        done(&view).then_some(view)
    })
    .await
}

fn agent_settings() -> plasma_platform::Settings {
    plasma_platform::Settings {
        agent: plasma_agent::AgentSettings {
            poll: Duration::from_millis(100),
            ..plasma_agent::AgentSettings::default()
        },
        tools: plasma_tools::ToolSettings {
            http: plasma_tools::HttpPolicy {
                allow_hosts: vec!["127.0.0.1".into()],
                ..plasma_tools::HttpPolicy::default()
            },
            ..plasma_tools::ToolSettings::default()
        },
        ..plasma_platform::Settings::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replay_with_edited_state_forks_a_linked_execution_whose_history_shows_the_fork() {
    let (fixture_url, fixture) = fixture().await;
    let app = TestApp::spawn_with(agent_settings()).await;
    let editor = app.token("acme", &["editor"]);
    let workflow = save(&app, &editor, "post", json!({
        "steps": [
            {"id": "check", "type": "tool", "tool": "content.check", "input": {"text": "$.input.text", "channel": "linkedin"}},
            {"id": "publish", "type": "tool", "tool": "http.request",
             "input": {"method": "POST", "url": "$.input.url", "body": {"text": "$.input.text", "score": "$.steps.check.output.score"}}}
        ]
    })).await;
    let parent = run(
        &app,
        &editor,
        &workflow,
        json!({"text": "Our tide tables are out.", "url": format!("{fixture_url}/publish")}),
    )
    .await;
    settled(&app, &editor, &parent, "succeeded").await;
    assert_eq!(fixture.count("/publish"), 1);

    let (status, fork) = app.post_json(&format!("/agent/executions/{parent}/replay"), &editor, &json!({"from_step": "publish", "state": {
                "input": {"text": "Edited: tide tables for March.", "url": format!("{fixture_url}/publish")},
                "steps": {"check": {"output": {"score": 99}}}
            }})).await;
    assert_eq!(status, 201, "{fork}");
    let child = fork["execution_id"].as_str().unwrap().to_owned();
    assert_ne!(child, parent);
    let view = settled(&app, &editor, &child, "succeeded").await;
    assert_eq!(
        view["parent"],
        json!({"execution": parent, "step": "publish"})
    );
    let steps = view["steps"].as_array().unwrap();
    let keys: Vec<&str> = steps.iter().map(|s| s["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["inherited/check", "(fork)", "publish"], "{view}");
    assert_eq!(steps[0]["status"], "inherited");
    assert_eq!(steps[1]["type"], "fork");
    assert_eq!(steps[1]["output"]["parent"], parent.as_str());
    // Only the forked step ran again, with the edited state; content.check did not.
    assert_eq!(fixture.count("/publish"), 2);
    assert_eq!(
        fixture.bodies("/publish")[1],
        json!({"text": "Edited: tide tables for March.", "score": 99})
    );
    // The parent is untouched.
    let (_, original) = app
        .get_json(&format!("/agent/executions/{parent}"), &editor)
        .await;
    assert!(original.get("parent").is_none());
    assert_eq!(original["steps"].as_array().unwrap().len(), 2);

    // A step that never ran, or isn't in the workflow, can't be a fork point.
    let bad = app
        .post(&format!("/agent/executions/{parent}/replay"))
        .bearer_auth(&editor)
        .json(&json!({"from_step": "nope", "state": {}}))
        .send()
        .await
        .unwrap();
    let (status, problem) = json(bad).await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (400, Some("from_step"))
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_resumes_from_the_failed_step_and_cancel_stops_a_waiting_run() {
    let (fixture_url, fixture) = fixture().await;
    *fixture.flaky_failures.lock().unwrap() = 1;
    let app = TestApp::spawn_with(agent_settings()).await;
    let admin = app.token("acme", &["admin"]);
    let workflow = save(&app, &admin, "flaky", json!({
        "steps": [
            {"id": "first", "type": "tool", "tool": "http.request", "input": {"method": "POST", "url": format!("{fixture_url}/draft"), "body": {}}},
            {"id": "second", "type": "tool", "tool": "http.request", "input": {"method": "POST", "url": format!("{fixture_url}/flaky"), "body": {}}}
        ]
    })).await;
    let execution = run(&app, &admin, &workflow, json!({})).await;
    let failed = settled(&app, &admin, &execution, "failed").await;
    assert_eq!(failed["error"]["error"], "Http.Status.503", "{failed}");
    let (status, _) = json(
        app.post(&format!("/agent/executions/{execution}/retry"))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    let done = settled(&app, &admin, &execution, "succeeded").await;
    assert_eq!(
        fixture.count("/draft"),
        1,
        "the step that had succeeded did not run again"
    );
    let second = done["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "second")
        .unwrap()
        .clone();
    assert_eq!(second["earlier_errors"][0]["error"], "Http.Status.503");
    let (status, _) = json(
        app.post(&format!("/agent/executions/{execution}/retry"))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 409, "only a failed execution can be retried");

    let waits = save(&app, &admin, "waits", json!({
        "steps": [{"id": "ask", "type": "approval", "prompt": "Go?"}, {"id": "after", "type": "tool", "tool": "http.request", "input": {"method": "POST", "url": format!("{fixture_url}/publish"), "body": {}}}]
    })).await;
    let paused = run(&app, &admin, &waits, json!({})).await;
    settled(&app, &admin, &paused, "waiting_approval").await;
    let (_, pending) = app.get_json("/agent/approvals", &admin).await;
    assert_eq!(pending["items"][0]["execution_id"], paused.as_str());
    let (status, cancelled) = json(
        app.post(&format!("/agent/executions/{paused}/cancel"))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, cancelled["status"].as_str()),
        (200, Some("cancelled"))
    );
    let (status, _) = app
        .post_json(
            &format!("/agent/executions/{paused}/approvals/ask"),
            &admin,
            &json!({"decision": "approved"}),
        )
        .await;
    assert_eq!(status, 409, "a cancelled run takes no decisions");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(fixture.count("/publish"), 0);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn definitions_are_validated_versioned_compiled_and_served_over_graphql() {
    let app = TestApp::spawn_with(agent_settings()).await;
    let editor = app.token("acme", &["editor"]);
    let viewer = app.token("acme", &["viewer"]);
    let bad = app
        .post("/agent/workflows")
        .bearer_auth(&editor)
        .json(&json!({"name": "bad", "definition": "steps:\n  - id: go\n    type: tool\n    tool: research.search\n    retry: {attempts: 99}\n"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.headers()["content-type"], "application/problem+json");
    let (status, problem) = json(bad).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (400, Some("invalid_definition"))
    );
    assert_eq!(problem["errors"][0]["step"], "go");
    assert_eq!(problem["errors"][0]["field"], "retry.attempts");

    let definition = json!({"steps": [
        {"id": "find", "type": "tool", "tool": "research.search", "input": {"query": "$.input.q"}},
        {"id": "wait", "type": "wait", "seconds": 1}
    ]});
    let id = save(&app, &editor, "digest", definition.clone()).await;
    let again = save(&app, &editor, "digest", definition).await;
    assert_eq!(id, again);
    let (_, workflow) = app
        .get_json(&format!("/agent/workflows/{id}"), &editor)
        .await;
    assert_eq!(workflow["version"], 2);
    let (status, asl) = app
        .get_json(&format!("/agent/workflows/{id}/asl"), &editor)
        .await;
    assert_eq!(status, 200);
    assert_eq!(asl["States"]["find"]["Type"], "Task");
    assert_eq!(asl["States"]["wait"]["Type"], "Wait");
    assert_eq!(asl["Comment"], "digest v2");

    let denied = app
        .post("/agent/workflows")
        .bearer_auth(&viewer)
        .json(&json!({"name": "x", "definition": {}}))
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), 403);
    let missing = app
        .get("/agent/executions/ex_nope")
        .bearer_auth(&editor)
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);

    let started = app
        .post("/graphql")
        .bearer_auth(&editor)
        .json(&json!({"query": format!("mutation {{ startAgentExecution(workflowId: \"{id}\", input: {{q: \"tides\"}}) }}")}))
        .send()
        .await
        .unwrap();
    let (_, body) = json(started).await;
    let execution = body["data"]["startAgentExecution"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned();
    settled(&app, &editor, &execution, "succeeded").await;
    let query = format!("{{ agentExecution(id: \"{execution}\") agentWorkflows }}");
    let (_, body) = app
        .post_json("/graphql", &editor, &json!({"query": query}))
        .await;
    assert_eq!(
        body["data"]["agentExecution"]["status"], "succeeded",
        "{body}"
    );
    assert_eq!(body["data"]["agentExecution"]["steps"][0]["key"], "find");
    assert_eq!(body["data"]["agentWorkflows"][0]["name"], "digest");
    let (_, denied) = app
        .post_json("/graphql", &viewer, &json!({"query": query}))
        .await;
    assert_eq!(
        denied["errors"][0]["extensions"]["code"], "forbidden",
        "{denied}"
    );
    app.stop().await;
}
