//! Agent workflows under attack (issue 13, items 2 and 4): a replay cannot run a step after an
//! approval on data nobody approved, a retry cannot borrow the starter's permissions, and
//! workflow tools sign and authenticate with the tenant's own secrets, never the operator's.

use crate::agent::{run, save, view_once};
use crate::common::{TestApp, eventually, json};
use crate::webhooks::{Received, receiver, verifies};
use axum::Router;
use axum::http::StatusCode;
use axum::routing::post;
use serde_json::{Value, json};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const OPERATOR_SECRET: &str = "whsec_b3BlcmF0b3Itd2lkZS1zaWduaW5nLXNlY3JldA==";

/// A runner whose operator configured a notify target with its signing secret and an MCP
/// server with its bearer token, lending them to tenants only with `operator_defaults`.
fn settings(operator_defaults: bool, notify_url: &str, mcp_url: &str) -> plasma_platform::Settings {
    let servers =
        json!({"ops": {"url": mcp_url, "bearer": "operator-bearer", "timeout_seconds": 5}});
    let vars = [
        ("PLASMA_AGENT_HTTP_ALLOW", "127.0.0.1".to_owned()),
        ("PLASMA_AGENT_ALLOW_PRIVATE", "true".to_owned()),
        ("PLASMA_NOTIFY_WEBHOOK_URL", notify_url.to_owned()),
        ("PLASMA_NOTIFY_WEBHOOK_SECRET", OPERATOR_SECRET.to_owned()),
        ("PLASMA_MCP_SERVERS", servers.to_string()),
        (
            "PLASMA_TOOLS_OPERATOR_DEFAULTS",
            operator_defaults.to_string(),
        ),
    ];
    let tools = plasma_tools::ToolSettings::from_vars(|name| {
        vars.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    })
    .expect("tool settings");
    plasma_platform::Settings {
        agent: plasma_agent::AgentSettings {
            poll: Duration::from_millis(100),
            ..plasma_agent::AgentSettings::default()
        },
        tools,
        ..plasma_platform::Settings::default()
    }
}

/// The execution once it stops running: ended, or waiting for a person.
async fn settled(app: &TestApp, token: &str, execution: &str) -> Value {
    let what = format!("execution {execution} to settle");
    view_once(app, token, execution, &what, |view| {
        view["status"] != "running"
    })
    .await
}

async fn approve(app: &TestApp, token: &str, execution: &str, step: &str) {
    let (status, body) = app
        .post_json(
            &format!("/agent/executions/{execution}/approvals/{step}"),
            token,
            &json!({"decision": "approved"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

async fn replay(app: &TestApp, token: &str, execution: &str, body: Value) -> (u16, Value) {
    app.post_json(
        &format!("/agent/executions/{execution}/replay"),
        token,
        &body,
    )
    .await
}

fn texts(seen: &Arc<Mutex<Vec<Received>>>) -> Vec<String> {
    seen.lock()
        .unwrap()
        .iter()
        .map(|r| {
            let body: Value = serde_json::from_slice(&r.body).unwrap_or_default();
            body["text"].as_str().unwrap_or_default().to_owned()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replay_whose_edits_change_what_an_approval_saw_asks_that_approval_again() {
    let (draft_url, drafts) = receiver(StatusCode::CREATED).await;
    let (publish_url, published) = receiver(StatusCode::CREATED).await;
    let app = TestApp::spawn_with(settings(false, &publish_url, &publish_url)).await;
    let admin = app.token_as("acme", "boss", &["admin"]);
    // Only agent:run among the agent permissions: may run and replay, may not approve.
    let editor = app.token_as("acme", "mallory", &["editor"]);
    let workflow = save(&app, &admin, "release", json!({"steps": [
        {"id": "check", "type": "tool", "tool": "content.check", "input": {"text": "$.input.text", "channel": "linkedin"}},
        {"id": "review", "type": "approval", "prompt": "Publish this?", "input": {"text": "$.input.text"}},
        {"id": "draft", "type": "tool", "tool": "http.request",
         "input": {"method": "POST", "url": "$.input.draft_url", "body": {"text": "$.input.text"}}},
        {"id": "publish", "type": "tool", "tool": "http.request",
         "input": {"method": "POST", "url": "$.input.publish_url", "body": {"text": "$.input.text"}}}
    ]}))
    .await;
    let input = json!({"text": "Tide tables for March.", "draft_url": draft_url, "publish_url": publish_url});
    let parent = run(&app, &admin, &workflow, input.clone()).await;
    assert_eq!(
        settled(&app, &admin, &parent).await["status"],
        "waiting_approval"
    );
    approve(&app, &admin, &parent, "review").await;
    eventually("the approved run to publish", || async {
        (texts(&published).len() == 1).then_some(())
    })
    .await;
    assert_eq!(settled(&app, &admin, &parent).await["status"], "succeeded");

    // The attack: fork after the approval with a text nobody approved.
    let forged = json!({"text": "Wire the reserve to account 666.", "draft_url": draft_url, "publish_url": publish_url});
    let (status, fork) = replay(
        &app,
        &editor,
        &parent,
        json!({"from_step": "publish", "state": {"input": forged}}),
    )
    .await;
    assert_eq!(status, 201, "{fork}");
    let fork = fork["execution_id"].as_str().unwrap().to_owned();
    let view = settled(&app, &editor, &fork).await;
    assert_eq!(
        view["status"], "waiting_approval",
        "the fork must ask the approval again: {view}"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        texts(&published).len(),
        1,
        "nothing unapproved was published"
    );
    let asked = view["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "review" && s["status"] == "waiting")
        .cloned()
        .unwrap_or_else(|| panic!("no waiting review in {view}"));
    assert_eq!(asked["input"]["text"], "Wire the reserve to account 666.");
    // Once approved, the steps between the approval and the fork point replay (the draft is
    // not sent again) and the fork point runs on the approved text.
    approve(&app, &admin, &fork, "review").await;
    assert_eq!(settled(&app, &admin, &fork).await["status"], "succeeded");
    assert_eq!(texts(&drafts).len(), 1);
    assert_eq!(texts(&published)[1], "Wire the reserve to account 666.");

    // An edited output of a step the approval saw, or a forged decision, is asked again too.
    for state in [
        json!({"steps": {"check": {"output": {"passed": true, "findings": []}}}}),
        json!({"steps": {"review": {"output": {"decision": "answered", "value": "wire it", "by": "boss"}}}}),
    ] {
        let (status, fork) = replay(
            &app,
            &editor,
            &parent,
            json!({"from_step": "publish", "state": state}),
        )
        .await;
        assert_eq!(status, 201, "{fork}");
        let view = settled(&app, &editor, fork["execution_id"].as_str().unwrap()).await;
        assert_eq!(view["status"], "waiting_approval", "{state}: {view}");
    }

    // An unchanged replay inherits the approval and runs on at once.
    let (status, fork) = replay(&app, &editor, &parent, json!({"from_step": "publish"})).await;
    assert_eq!(status, 201, "{fork}");
    let view = settled(&app, &editor, fork["execution_id"].as_str().unwrap()).await;
    assert_eq!(view["status"], "succeeded", "{view}");
    assert!(
        view["steps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["key"] == "inherited/review")
    );
    assert_eq!(texts(&published).len(), 3);

    // Carrying the approval over an edit: an approver may, anyone else is refused.
    let carry =
        json!({"from_step": "publish", "state": {"input": forged}, "carry_approvals": true});
    let (status, problem) = replay(&app, &editor, &parent, carry.clone()).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (403, Some("forbidden")),
        "{problem}"
    );
    let (status, fork) = replay(&app, &admin, &parent, carry).await;
    assert_eq!(status, 201, "{fork}");
    let view = settled(&app, &admin, fork["execution_id"].as_str().unwrap()).await;
    assert_eq!(view["status"], "succeeded", "{view}");
    assert_eq!(texts(&published).len(), 4);

    // GraphQL serves the same rule.
    let mutation = |carry: bool| {
        json!({"query": format!(
            "mutation {{ replayAgentExecution(id: \"{parent}\", fromStep: \"publish\", state: {{input: {{text: \"Pay 666\", draft_url: \"{draft_url}\", publish_url: \"{publish_url}\"}}}}, carryApprovals: {carry}) }}"
        )})
    };
    let (_, body) = app.post_json("/graphql", &editor, &mutation(false)).await;
    let fork = body["data"]["replayAgentExecution"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned();
    assert_eq!(
        settled(&app, &editor, &fork).await["status"],
        "waiting_approval"
    );
    let (_, denied) = app.post_json("/graphql", &editor, &mutation(true)).await;
    assert_eq!(
        denied["errors"][0]["extensions"]["code"], "forbidden",
        "{denied}"
    );
    assert_eq!(texts(&published).len(), 4);
    app.stop().await;
}

/// Answers 503 to the first request, 201 after.
async fn flaky() -> String {
    let calls = Arc::new(AtomicU32::new(0));
    let app = Router::new().route(
        "/flaky",
        post(move || {
            let calls = calls.clone();
            async move {
                match calls.fetch_add(1, Ordering::SeqCst) {
                    0 => StatusCode::SERVICE_UNAVAILABLE,
                    _ => StatusCode::CREATED,
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/flaky", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_runs_tools_with_no_more_permissions_than_the_person_retrying() {
    let flaky_url = flaky().await;
    let app = TestApp::spawn_with(settings(false, &flaky_url, &flaky_url)).await;
    let admin = app.token_as("acme", "boss", &["admin"]);
    // agent:run, but not content:publish, which content.schedule needs.
    let editor = app.token_as("acme", "mallory", &["editor"]);
    let workflow = save(
        &app,
        &admin,
        "schedule",
        json!({"steps": [
            {"id": "ping", "type": "tool", "tool": "http.request",
             "input": {"method": "POST", "url": flaky_url, "body": {}}},
            {"id": "schedule", "type": "tool", "tool": "content.schedule",
             "input": {"item_id": "ci_unknown", "at": "2030-01-07T09:00:00Z"}}
        ]}),
    )
    .await;
    let execution = run(&app, &admin, &workflow, json!({})).await;
    let failed = settled(&app, &admin, &execution).await;
    assert_eq!(failed["error"]["error"], "Http.Status.503", "{failed}");

    let (status, _) = json(
        app.post(&format!("/agent/executions/{execution}/retry"))
            .bearer_auth(&editor)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    let done = view_once(
        &app,
        &editor,
        &execution,
        "the retried run to end",
        |view| view["status"] == "failed" && view["error"]["error"] != "Http.Status.503",
    )
    .await;
    // The tool was refused for want of content:publish, before looking for the item.
    assert_eq!(done["error"]["error"], "Tool.Forbidden", "{done}");
    assert!(
        done["error"]["cause"]
            .as_str()
            .unwrap()
            .contains("content:publish"),
        "{done}"
    );
    assert_eq!(done["retried_by"], "mallory");
    assert!(
        !done["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "content:publish"),
        "{done}"
    );
    app.stop().await;
}

async fn notify_flow(app: &TestApp, token: &str, url: Option<&str>) -> Value {
    let mut input = json!({"channel": "webhook", "event": "invoice.paid", "payload": {"amount": 1_000_000, "to": "666"}});
    if let Some(url) = url {
        input["url"] = json!(url);
    }
    let workflow = save(
        app,
        token,
        "announce",
        json!({"steps": [{"id": "tell", "type": "tool", "tool": "notify", "input": input}]}),
    )
    .await;
    let execution = run(app, token, &workflow, json!({})).await;
    settled(app, token, &execution).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tenants_workflow_cannot_have_the_operators_secret_sign_its_webhooks() {
    let (operator_url, operator_seen) = receiver(StatusCode::OK).await;
    let (attacker_url, attacker_seen) = receiver(StatusCode::OK).await;
    let app = TestApp::spawn_with(settings(false, &operator_url, &operator_url)).await;
    let mallory = app.token_as("evil", "mallory", &["admin"]);

    // The signing oracle: a payload of the attacker's choosing, sent to the attacker's own
    // receiver, must not come back signed with the operator's secret.
    let view = notify_flow(&app, &mallory, Some(&attacker_url)).await;
    assert_eq!(view["status"], "failed", "{view}");
    assert_eq!(view["error"]["error"], "Notify.NotConfigured", "{view}");
    let view = notify_flow(&app, &mallory, None).await;
    assert_eq!(view["error"]["error"], "Notify.NotConfigured", "{view}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let signed_by_operator = attacker_seen
        .lock()
        .unwrap()
        .iter()
        .chain(operator_seen.lock().unwrap().iter())
        .filter(|r| verifies(OPERATOR_SECRET, r))
        .count();
    assert_eq!(
        signed_by_operator, 0,
        "the operator's secret signed a tenant's payload"
    );

    // The tenant's own settings: an admin sets a target, the platform generates the secret
    // and shows it once; reads never show it.
    let (tenant_url, tenant_seen) = receiver(StatusCode::OK).await;
    let editor = app.token_as("evil", "eve", &["editor"]);
    let denied = app
        .put("/agent/settings/notify")
        .bearer_auth(&editor)
        .json(&json!({"webhook_url": tenant_url}))
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), 403);
    let (status, set) = app
        .put_json(
            "/agent/settings/notify",
            &mallory,
            &json!({"webhook_url": tenant_url}),
        )
        .await;
    assert_eq!(status, 200, "{set}");
    let secret = set["webhook_secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"));
    let (status, shown) = app.get_json("/agent/settings/notify", &mallory).await;
    assert_eq!(status, 200);
    assert!(!shown.to_string().contains(&secret[6..]), "{shown}");
    assert_eq!(shown["webhook_secret_set"], true);
    assert_eq!(shown["webhook_url"], tenant_url.as_str());
    // Setting the target again keeps the secret; an invalid URL names its field.
    let (status, again) = app
        .put_json(
            "/agent/settings/notify",
            &mallory,
            &json!({"webhook_url": tenant_url}),
        )
        .await;
    assert_eq!(status, 200, "{again}");
    assert!(again.get("webhook_secret").is_none(), "{again}");
    let (status, bad) = app
        .put_json(
            "/agent/settings/notify",
            &mallory,
            &json!({"webhook_url": "ftp://nowhere"}),
        )
        .await;
    assert_eq!((status, bad["field"].as_str()), (400, Some("webhook_url")));

    let view = notify_flow(&app, &mallory, None).await;
    assert_eq!(view["status"], "succeeded", "{view}");
    let delivered = tenant_seen.lock().unwrap().clone();
    assert_eq!(delivered.len(), 1);
    assert!(verifies(&secret, &delivered[0]));
    assert!(!verifies(OPERATOR_SECRET, &delivered[0]));
    let body: Value = serde_json::from_slice(&delivered[0].body).unwrap();
    assert_eq!(body["tenant"], "evil", "the signed body names the tenant");
    assert_eq!(body["data"]["amount"], 1_000_000);

    // Another tenant does not get these settings either.
    let other = app.token_as("acme", "ann", &["admin"]);
    let view = notify_flow(&app, &other, None).await;
    assert_eq!(view["error"]["error"], "Notify.NotConfigured", "{view}");
    assert_eq!(tenant_seen.lock().unwrap().len(), 1);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mcp_call_does_not_lend_the_operators_servers_to_a_tenant() {
    let (operator_url, operator_seen) = receiver(StatusCode::OK).await;
    let definition = json!({"steps": [
        {"id": "ask", "type": "tool", "tool": "mcp.call", "input": {"server": "ops", "list": true}}
    ]});
    let app = TestApp::spawn_with(settings(false, &operator_url, &operator_url)).await;
    let admin = app.token_as("evil", "mallory", &["admin"]);
    let workflow = save(&app, &admin, "borrow", definition.clone()).await;
    let execution = run(&app, &admin, &workflow, json!({})).await;
    let view = settled(&app, &admin, &execution).await;
    assert_eq!(view["error"]["error"], "Mcp.NotConfigured", "{view}");
    assert!(
        operator_seen.lock().unwrap().is_empty(),
        "the operator's server (and bearer) was used for a tenant"
    );

    // The tenant's own server is used, under the name it gave it; GET hides the bearer.
    let (own_url, own_seen) = receiver(StatusCode::OK).await;
    let (status, set) = app
        .put_json(
            "/agent/settings/mcp-servers/ops",
            &admin,
            &json!({"url": own_url, "bearer": "tenant-bearer-123", "timeout_seconds": 5}),
        )
        .await;
    assert_eq!(status, 200, "{set}");
    let (_, listed) = app.get_json("/agent/settings/mcp-servers", &admin).await;
    assert_eq!(listed["items"][0]["name"], "ops");
    assert_eq!(listed["items"][0]["bearer"], true);
    assert!(!listed.to_string().contains("tenant-bearer-123"));
    let execution = run(&app, &admin, &workflow, json!({})).await;
    settled(&app, &admin, &execution).await;
    assert!(
        !own_seen.lock().unwrap().is_empty(),
        "the tenant's server was called"
    );
    assert!(operator_seen.lock().unwrap().is_empty());
    app.stop().await;

    // An operator who opts in lends its servers to tenants without their own.
    let app = TestApp::spawn_with(settings(true, &operator_url, &operator_url)).await;
    let admin = app.token_as("evil", "mallory", &["admin"]);
    let workflow = save(&app, &admin, "borrow", definition).await;
    let execution = run(&app, &admin, &workflow, json!({})).await;
    let view = settled(&app, &admin, &execution).await;
    assert_ne!(view["error"]["error"], "Mcp.NotConfigured", "{view}");
    assert!(!operator_seen.lock().unwrap().is_empty());
    app.stop().await;
}
