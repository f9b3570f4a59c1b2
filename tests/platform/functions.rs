//! Each Lambda function's real handler fed the sample event in `events/` (the events a
//! deployer uses with `sam local invoke`), on embedded adapters.

use aws_lambda_events::event::eventbridge::EventBridgeEvent;
use aws_lambda_events::event::sqs::SqsEvent;
use chrono::{TimeZone, Utc};
use lambda_runtime::{Context, LambdaEvent};
use plasma_core::{SystemClock, UuidV7Ids};
use plasma_gateway::audit::AuditLog;
use plasma_platform::Platform;
use std::sync::Arc;
use tower::ServiceExt;

/// The text of a sample event in `events/`.
pub(crate) fn sample(name: &str) -> String {
    let path = format!("{}/../events/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn platform(dir: &tempfile::TempDir) -> Platform {
    Platform::embedded(
        plasma_platform::EmbeddedRuntime {
            data_dir: dir.path().to_owned(),
            public_url: "http://127.0.0.1:3000".into(),
            clock: Arc::new(SystemClock),
            ids: Arc::new(UuidV7Ids),
        },
        plasma_platform::Settings::default(),
    )
    .unwrap()
}

async fn call(platform: &Platform, event: &str) -> (u16, serde_json::Value) {
    let request = lambda_http::request::from_str(event).expect("a valid API Gateway event");
    let response = api::app(platform).oneshot(request).await.unwrap();
    let status = response.status().as_u16();
    let bytes = axum::body::to_bytes(axum::body::Body::new(response.into_body()), usize::MAX)
        .await
        .unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    )
}

/// The authorized sample (an admin's claims) asking for the health details instead.
fn admin_health_event() -> String {
    sample("api-authorized.json").replace("admin/audit", "admin/health")
}

#[tokio::test]
async fn api_serves_the_health_sample() {
    let dir = tempfile::tempdir().unwrap();
    let (status, body) = call(&platform(&dir), &sample("api-health.json")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, serde_json::json!({"status": "ok"}));
    let (status, body) = call(&platform(&dir), &admin_health_event()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["backend"], "embedded");
}

#[tokio::test]
async fn api_takes_the_principal_from_the_jwt_authorizer() {
    let dir = tempfile::tempdir().unwrap();
    let p = platform(&dir);
    let (status, body) = call(&p, &sample("api-authorized.json")).await;
    assert_eq!(
        status, 200,
        "the authorizer's admin claims grant admin:*: {body}"
    );
    assert!(body["items"].is_array(), "{body}");

    // Without the authorizer context the same bearer token is not trusted.
    let mut event: serde_json::Value =
        serde_json::from_str(&sample("api-authorized.json")).unwrap();
    event["requestContext"]["authorizer"] = serde_json::Value::Null;
    let (status, body) = call(&p, &event.to_string()).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["code"], "unauthorized");
}

/// The machine API has no authorizer at the edge: API keys are checked by the function.
#[tokio::test]
async fn api_accepts_api_keys_without_an_authorizer() {
    let dir = tempfile::tempdir().unwrap();
    let p = platform(&dir);
    let new: plasma_gateway::api_keys::NewKey =
        serde_json::from_value(serde_json::json!({"name": "ci", "role": "analyst"})).unwrap();
    let (_, secret) = p.gateway.keys.create("acme", "admin", new).await.unwrap();
    let mut event: serde_json::Value =
        serde_json::from_str(&sample("api-authorized.json")).unwrap();
    event["requestContext"]["authorizer"] = serde_json::Value::Null;
    event["headers"]
        .as_object_mut()
        .unwrap()
        .remove("authorization");
    event["headers"]["x-api-key"] = secret.into();
    let (status, body) = call(&p, &event.to_string()).await;
    assert_eq!(
        status, 403,
        "an analyst key authenticates but may not read the audit log: {body}"
    );
    assert_eq!(body["code"], "forbidden");
    event["headers"]["x-api-key"] = "pk_not-a-key".into();
    let (status, _) = call(&p, &event.to_string()).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn worker_stores_the_sample_batch_once_even_when_redelivered() {
    let dir = tempfile::tempdir().unwrap();
    let p = platform(&dir);
    let event: SqsEvent = serde_json::from_str(&sample("worker.json")).unwrap();
    let records = event.records.len();
    assert!(records >= 2, "the sample holds a batch");
    for _ in 0..2 {
        let response = worker::handler(&p, LambdaEvent::new(event.clone(), Context::default()))
            .await
            .unwrap();
        assert!(response.batch_item_failures.is_empty(), "{response:?}");
    }
    let from = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let to = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
    let (entries, _) = AuditLog::new(p.ports.items.clone())
        .query("acme", from, to, None, 100, None)
        .await
        .unwrap();
    assert_eq!(
        entries.len(),
        records,
        "one entry per event, not per delivery"
    );
}

#[tokio::test]
async fn worker_reports_only_the_failing_message() {
    let dir = tempfile::tempdir().unwrap();
    let p = platform(&dir);
    let mut event: SqsEvent = serde_json::from_str(&sample("worker.json")).unwrap();
    event.records[0].body = Some("{\"not\": \"an envelope\"}".into());
    let bad_id = event.records[0].message_id.clone().unwrap();
    let response = worker::handler(&p, LambdaEvent::new(event, Context::default()))
        .await
        .unwrap();
    let failed: Vec<_> = response
        .batch_item_failures
        .iter()
        .map(|f| f.item_identifier.clone())
        .collect();
    assert_eq!(failed, vec![bad_id]);
}

#[tokio::test]
async fn housekeeping_runs_on_the_scheduled_event_sample() {
    let dir = tempfile::tempdir().unwrap();
    let p = platform(&dir);
    let event: EventBridgeEvent = serde_json::from_str(&sample("housekeeping.json")).unwrap();
    let report = plasma_platform::schedules::handle(
        &p,
        &plasma_platform::schedules::HOUSEKEEPING,
        LambdaEvent::new(event.clone(), Context::default()),
    )
    .await
    .unwrap();
    assert_eq!(report["dead_letters"], 0);
    assert_eq!(
        report["queues"].as_object().unwrap().len(),
        plasma_platform::topology::queues().len()
    );
    let stored = plasma_platform::housekeeping::last_report(&p)
        .await
        .unwrap();
    assert_eq!(
        stored.map(|r| serde_json::to_value(r).unwrap()),
        Some(report)
    );

    let mut wrong = event;
    wrong.detail_type = "Object Created".into();
    assert!(
        plasma_platform::schedules::handle(
            &p,
            &plasma_platform::schedules::HOUSEKEEPING,
            LambdaEvent::new(wrong, Context::default())
        )
        .await
        .is_err()
    );
}

#[tokio::test]
async fn brand_scan_queues_every_monitor_on_the_scheduled_event_sample() {
    let dir = tempfile::tempdir().unwrap();
    let p = platform(&dir);
    let new: plasma_brand::monitors::NewMonitor = serde_json::from_value(serde_json::json!({
        "name": "Acme",
        "names": ["Acme"],
        "sources": [{"kind": "rss", "url": "http://127.0.0.1:9/feed.xml"}, {"kind": "hackernews"}],
    }))
    .unwrap();
    for tenant in ["t1", "t2"] {
        let monitor = plasma_brand::monitors::validate(
            new.clone(),
            p.brand.egress,
            &p.brand.settings,
            p.ports.ids.new_id(),
            Utc::now(),
        )
        .unwrap();
        p.brand.monitors().create(tenant, &monitor).await.unwrap();
    }
    let event: EventBridgeEvent = serde_json::from_str(&sample("brand-scan.json")).unwrap();
    let report = plasma_platform::schedules::handle(
        &p,
        &plasma_platform::schedules::BRAND_SCAN,
        LambdaEvent::new(event.clone(), Context::default()),
    )
    .await
    .unwrap();
    assert_eq!(
        (report["scanned"].as_u64(), report["failed"].as_u64()),
        (Some(2), Some(0))
    );
    let jobs = p
        .ports
        .queue
        .receive(
            plasma_platform::topology::JOBS,
            10,
            std::time::Duration::from_secs(30),
            std::time::Duration::ZERO,
        )
        .await
        .unwrap();
    assert_eq!(jobs.len(), 4, "one job per monitor source");
    for job in &jobs {
        let envelope: plasma_core::EventEnvelope = serde_json::from_str(&job.body).unwrap();
        assert_eq!(envelope.source, plasma_brand::scan::SOURCE);
        assert_eq!(envelope.detail_type, plasma_brand::scan::SCAN_REQUESTED);
    }

    let mut wrong = event;
    wrong.detail_type = "Object Created".into();
    assert!(
        plasma_platform::schedules::handle(
            &p,
            &plasma_platform::schedules::BRAND_SCAN,
            LambdaEvent::new(wrong, Context::default())
        )
        .await
        .is_err()
    );
}

#[tokio::test]
async fn brand_reports_archives_last_weeks_report_once_on_the_scheduled_event_sample() {
    use chrono::Datelike;
    use plasma_brand::mentions::{NewMention, SentimentLabel, SentimentScore};
    let dir = tempfile::tempdir().unwrap();
    let p = platform(&dir);
    let new: plasma_brand::monitors::NewMonitor = serde_json::from_value(serde_json::json!({
        "name": "Acme",
        "names": ["Acme"],
        "sources": [{"kind": "hackernews"}],
    }))
    .unwrap();
    let monitor = plasma_brand::monitors::validate(
        new,
        p.brand.egress,
        &p.brand.settings,
        p.ports.ids.new_id(),
        Utc::now(),
    )
    .unwrap();
    p.brand.monitors().create("t1", &monitor).await.unwrap();
    // Three mentions last week and one this week, which the report must leave out.
    let today = Utc::now().date_naive();
    let to = (today - chrono::Days::new(today.weekday().num_days_from_monday().into()))
        .and_time(chrono::NaiveTime::MIN)
        .and_utc();
    let from = to - chrono::Duration::days(7);
    let published = [
        from,
        from + chrono::Duration::days(3),
        to - chrono::Duration::seconds(1),
        to,
    ];
    for (i, published_at) in published.into_iter().enumerate() {
        let mention = plasma_brand::Mention {
            id: format!("m{i}"),
            url: format!("https://news.example/{i}"),
            source: "hackernews".into(),
            author: None,
            published_at,
            text: format!("Acme story {i}"),
            language: None,
            reach: None,
            engagement: None,
        };
        let new = NewMention {
            mention,
            monitor_id: monitor.id.clone(),
            matched: true,
            sentiment: SentimentScore {
                compound: 0.0,
                label: SentimentLabel::Neutral,
            },
            targeted: Default::default(),
            tags: Vec::new(),
        };
        p.brand.mentions().insert("t1", new).await.unwrap();
    }

    let event: EventBridgeEvent = serde_json::from_str(&sample("brand-reports.json")).unwrap();
    let run = || {
        plasma_platform::schedules::handle(
            &p,
            &plasma_platform::schedules::BRAND_REPORTS,
            LambdaEvent::new(event.clone(), Context::default()),
        )
    };
    let first = run().await.unwrap();
    assert_eq!(
        (
            first["created"].as_u64(),
            first["skipped"].as_u64(),
            first["failed"].as_u64()
        ),
        (Some(1), Some(0), Some(0))
    );
    let reports = p.brand.reports.list("t1", &monitor.id).await.unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!((reports[0].from, reports[0].to), (from, to));
    assert_eq!(reports[0].headline.current.mentions, 3);

    // A re-run (or a late fire) in the same week archives nothing more.
    let second = run().await.unwrap();
    assert_eq!(
        (
            second["created"].as_u64(),
            second["skipped"].as_u64(),
            second["failed"].as_u64()
        ),
        (Some(0), Some(1), Some(0))
    );
    assert_eq!(
        p.brand.reports.list("t1", &monitor.id).await.unwrap().len(),
        1
    );

    let mut wrong = event.clone();
    wrong.detail_type = "Object Created".into();
    assert!(
        plasma_platform::schedules::handle(
            &p,
            &plasma_platform::schedules::BRAND_REPORTS,
            LambdaEvent::new(wrong, Context::default())
        )
        .await
        .is_err()
    );
}

/// The sample S3 notification (wrapped in its SQS record) for a file dropped under
/// `incoming/acme/`: the file becomes one document, however often the event is delivered.
#[tokio::test]
async fn research_ingest_turns_the_sample_s3_event_into_one_document() {
    let dir = tempfile::tempdir().unwrap();
    let p = platform(&dir);
    let event: SqsEvent = serde_json::from_str(&sample("research-ingest.json")).unwrap();
    let key = "incoming/acme/0193b6f2-7c1d-7e4a-9f00-5d2a1c3b4e5f/Wing flutter notes.md";
    p.ports
        .blobs
        .put(
            key,
            bytes::Bytes::from_static(
                b"# Wing flutter\n\nFlutter of the tailplane began at 240 knots.",
            ),
            plasma_core::PutOptions::default(),
        )
        .await
        .unwrap();
    for _ in 0..2 {
        let response =
            research_ingest::handler(&p, LambdaEvent::new(event.clone(), Context::default()))
                .await
                .unwrap();
        assert!(response.batch_item_failures.is_empty(), "{response:?}");
    }
    let docs = p.research.documents.all("acme").await.unwrap();
    assert_eq!(docs.len(), 1, "{docs:?}");
    assert_eq!(docs[0].title, "Wing flutter notes");
    assert_eq!(docs[0].status, plasma_research::documents::Status::Indexed);
    assert_eq!(docs[0].source.as_deref(), Some(&*format!("s3:{key}")));
}

/// An approved item for the content-publish samples, bound for the stand-in Mastodon.
fn publishable(
    id: &str,
    status: plasma_content::workflow::Status,
) -> plasma_content::items::ContentItem {
    let now = Utc::now();
    serde_json::from_value(serde_json::json!({
        "id": id, "title": "Falcon flies again", "channel": "mastodon",
        "body": "The Falcon engine flew its tenth flight today.", "status": status,
        "version": 1, "rev": 0, "schedule_seq": 0, "created_by": "erin",
        "created_at": now, "updated_at": now
    }))
    .unwrap()
}

/// The sample publish message (what EventBridge Scheduler puts on the publish queue when a
/// post is due) publishes the item it names once, however often it is delivered.
#[tokio::test]
async fn web_serves_the_sign_in_page_sample_and_keeps_pages_behind_a_session() {
    let dir = tempfile::tempdir().unwrap();
    let platform = platform(&dir);
    let app = web::app(&platform, api::app(&platform), None, true);
    let request =
        lambda_http::request::from_str(&sample("web.json")).expect("a valid API Gateway event");
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'self'")
    );
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    let html = String::from_utf8(body.to_vec()).unwrap();
    assert!(html.contains("Sign in to Plasma Engine"), "{html}");
    // Without a session cookie every page sends the browser to sign in.
    let mut event: serde_json::Value = serde_json::from_str(&sample("web.json")).unwrap();
    event["rawPath"] = "/app/research".into();
    event["requestContext"]["http"]["path"] = "/app/research".into();
    let request = lambda_http::request::from_str(&event.to_string()).unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        "/app/signin?next=%2Fapp%2Fresearch"
    );
}

/// Step Functions as far as the status-change path needs it: every execution has succeeded.
struct Finished;

#[async_trait::async_trait]
impl plasma_core::StateMachines for Finished {
    async fn deploy(&self, name: &str, _: &serde_json::Value) -> plasma_core::PortResult<String> {
        Ok(format!(
            "arn:aws:states:eu-west-1:123456789012:stateMachine:{name}"
        ))
    }
    async fn start(
        &self,
        machine: &str,
        name: &str,
        _: &serde_json::Value,
    ) -> plasma_core::PortResult<String> {
        Ok(format!(
            "{}:{name}",
            machine.replace(":stateMachine:", ":execution:")
        ))
    }
    async fn describe(&self, _: &str) -> plasma_core::PortResult<plasma_core::RemoteExecution> {
        Ok(plasma_core::RemoteExecution {
            status: "SUCCEEDED".into(),
            output: Some(serde_json::json!({"input": {"topic": "tides"}, "steps": {}})),
            error: None,
            cause: None,
        })
    }
    async fn send_success(&self, _: &str, _: &serde_json::Value) -> plasma_core::PortResult<()> {
        Ok(())
    }
    async fn send_failure(&self, _: &str, _: &str, _: &str) -> plasma_core::PortResult<()> {
        Ok(())
    }
    async fn stop(&self, _: &str, _: &str) -> plasma_core::PortResult<()> {
        Ok(())
    }
    async fn redrive(&self, _: &str) -> plasma_core::PortResult<()> {
        Ok(())
    }
}

#[tokio::test]
async fn worker_follows_the_sample_step_functions_status_change_and_announces_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut platform = platform(&dir);
    platform.agent = platform.agent.clone().on_state_machines(Arc::new(Finished));
    let endpoint = platform
        .webhooks
        .create_endpoint(
            "acme",
            plasma_gateway::webhooks::NewEndpoint {
                url: "https://hooks.example/agent".into(),
                description: String::new(),
                events: vec!["agent.execution.succeeded".into()],
            },
        )
        .await
        .unwrap();
    let agent = &platform.agent;
    let body = plasma_agent::WorkflowBody {
        name: "digest".into(),
        definition: serde_json::json!({"steps": [{"id": "done", "type": "succeed"}]}),
    };
    let workflow = agent.save_workflow("acme", "ada", body).await.unwrap();
    let starter = plasma_agent::model::Starter {
        subject: "ada".into(),
        permissions: vec!["agent:run".into()],
    };
    let start = plasma_agent::StartBody {
        input: serde_json::json!({"topic": "tides"}),
        idempotency_key: None,
    };
    let (execution, _) = agent
        .start("acme", &starter, &workflow.id, start)
        .await
        .unwrap();
    let arn = execution
        .remote_arn
        .clone()
        .expect("started on Step Functions");

    let mut event: SqsEvent = serde_json::from_str(&sample("worker-agent-status.json")).unwrap();
    let mut status: serde_json::Value =
        serde_json::from_str(event.records[0].body.as_deref().unwrap()).unwrap();
    status["detail"]["executionArn"] = arn.clone().into();
    status["detail"]["name"] = execution.id.clone().into();
    let mut other = event.records[0].clone();
    event.records[0].body = Some(status.to_string());
    // A status change of some other state machine in the account is no concern of ours.
    other.message_id = Some("another".into());
    event.records.push(other);
    let response = worker::handler(&platform, LambdaEvent::new(event, Context::default()))
        .await
        .unwrap();
    assert!(response.batch_item_failures.is_empty(), "{response:?}");

    let stored = platform
        .agent
        .store
        .execution("acme", &execution.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status, plasma_agent::model::Status::Succeeded);
    assert_eq!(stored.output.unwrap()["input"]["topic"], "tides");
    let id = endpoint.0.id;
    let (deliveries, _) = platform
        .webhooks
        .deliveries("acme", &id, 10, None)
        .await
        .unwrap();
    assert_eq!(deliveries.len(), 1, "{deliveries:?}");
    assert_eq!(deliveries[0].event_type, "agent.execution.succeeded");
}

/// A started execution on the embedded store, and the sample event pointed at it.
async fn agent_step_sample(platform: &Platform, sample_name: &str) -> (String, serde_json::Value) {
    let agent = &platform.agent;
    let workflow = agent
        .save_workflow(
            "acme",
            "ada",
            plasma_agent::WorkflowBody {
                name: "research-and-draft".into(),
                definition: serde_json::json!({"steps": [{"id": "check", "type": "tool", "tool": "content.check"}, {"id": "review", "type": "approval", "prompt": "Publish?"}]}),
            },
        )
        .await
        .unwrap();
    let starter = plasma_agent::model::Starter {
        subject: "ada".into(),
        permissions: vec!["content:read".into(), "agent:run".into()],
    };
    let body = plasma_agent::StartBody {
        input: serde_json::json!({}),
        idempotency_key: None,
    };
    let (execution, _) = agent
        .start("acme", &starter, &workflow.id, body)
        .await
        .unwrap();
    let mut event: serde_json::Value = serde_json::from_str(&sample(sample_name)).unwrap();
    event["execution"] = format!(
        "arn:aws:states:us-east-1:123456789012:execution:plasma-{}:{}",
        workflow.id, execution.id
    )
    .into();
    (execution.id, event)
}

#[tokio::test]
async fn agent_step_runs_the_sample_tool_step_and_records_its_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    let platform = platform(&dir);
    let (id, event) = agent_step_sample(&platform, "agent-step.json").await;
    let output = agent_step::handler(
        &platform,
        LambdaEvent::new(event.clone(), Context::default()),
    )
    .await
    .unwrap();
    assert!(output["score"].as_u64().is_some(), "{output}");
    assert!(output["findings"].is_array(), "{output}");
    let view = platform.agent.execution("acme", &id).await.unwrap();
    let step = view.steps.iter().find(|c| c.step == "check").unwrap();
    assert_eq!(step.status, plasma_agent::model::StepStatus::Succeeded);
    assert_eq!(step.output.as_ref(), Some(&output));

    // A tool's failure is the function error Step Functions' retry and catch match on.
    let mut bad = event;
    bad["input"] = serde_json::json!({"text": "hi"});
    let failure = agent_step::handler(&platform, LambdaEvent::new(bad, Context::default()))
        .await
        .unwrap_err();
    assert_eq!(
        failure.error_type, "Tool.InvalidInput",
        "{}",
        failure.error_message
    );
    let garbage = agent_step::handler(
        &platform,
        LambdaEvent::new(serde_json::json!({"kind": "dance"}), Context::default()),
    )
    .await
    .unwrap_err();
    assert_eq!(garbage.error_type, "States.Runtime");
}

#[tokio::test]
async fn agent_step_records_the_sample_approval_with_its_task_token() {
    let dir = tempfile::tempdir().unwrap();
    let platform = platform(&dir);
    let (id, event) = agent_step_sample(&platform, "agent-step-approval.json").await;
    agent_step::handler(&platform, LambdaEvent::new(event, Context::default()))
        .await
        .unwrap();
    let view = platform.agent.execution("acme", &id).await.unwrap();
    assert_eq!(
        view.execution.status,
        plasma_agent::model::Status::WaitingApproval
    );
    let waiting = view.steps.iter().find(|c| c.step == "review").unwrap();
    assert_eq!(waiting.status, plasma_agent::model::StepStatus::Waiting);
    assert_eq!(
        waiting.task_token.as_deref(),
        Some("AQCEAAAAKgAAAAMAAAAAAAAAAeMplO1sample")
    );
    assert_eq!(waiting.prompt.as_deref(), Some("Publish these drafts?"));
}

#[tokio::test]
async fn content_publish_posts_the_sample_schedules_item_once() {
    use crate::content_platforms::{Platforms, TOKEN};
    let (url, platforms) = Platforms::start().await;
    let dir = tempfile::tempdir().unwrap();
    let p = platform(&dir);
    let event: SqsEvent = serde_json::from_str(&sample("content-publish.json")).unwrap();
    let id = "0193b6f2-8d4e-7f10-9a00-4c1d2e3f5a6b";
    let mut item = publishable(id, plasma_content::workflow::Status::Scheduled);
    item.schedule_seq = 1;
    item.destination = Some("mastodon".into());
    item.publish.key = format!("{id}-mastodon");
    p.content.insert_item("acme", &item).await.unwrap();
    let creds: plasma_publishing::Credentials =
        serde_json::from_value(serde_json::json!({"token": TOKEN, "base_url": url})).unwrap();
    p.content
        .set_credentials("acme", "alex", "mastodon", &creds)
        .await
        .unwrap();
    for _ in 0..2 {
        let response =
            content_publish::handler(&p, LambdaEvent::new(event.clone(), Context::default()))
                .await
                .unwrap();
        assert!(response.batch_item_failures.is_empty(), "{response:?}");
    }
    let stored = p.content.item("acme", id).await.unwrap().unwrap();
    assert_eq!(
        stored.status,
        plasma_content::workflow::Status::Published,
        "{stored:?}"
    );
    assert_eq!(platforms.created("mastodon").len(), 1);
    assert_eq!(
        stored.publish.result.unwrap().id,
        platforms.created("mastodon")[0].id
    );
}

/// The same handlers on the AWS adapters: DynamoDB, SQS, S3, EventBridge and EventBridge
/// Scheduler on moto's server, resources made the way template.yaml declares them.
mod on_aws {
    use super::{call, sample};
    use aws_lambda_events::event::eventbridge::EventBridgeEvent;
    use aws_lambda_events::event::sqs::SqsEvent;
    use chrono::{TimeZone, Utc};
    use lambda_runtime::{Context, LambdaEvent};
    use plasma_gateway::audit::AuditLog;
    use plasma_platform::{Platform, topology};

    async fn platform() -> Platform {
        platform_with(plasma_platform::Settings::default()).await
    }

    async fn platform_with(settings: plasma_platform::Settings) -> Platform {
        let sdk = plasma_tests::moto::sdk_config().await;
        let stack = plasma_tests::aws::stack(&sdk, &topology::queues(), &topology::rules()).await;
        Platform::compose(plasma_tests::aws::platform_ports(&sdk, &stack), settings).unwrap()
    }

    /// A file dropped into the real (moto) bucket: S3 notifies the real queue, and the
    /// research-ingest handler, given what SQS delivered, makes one document of it — also
    /// when the same notification arrives twice.
    #[tokio::test]
    async fn a_file_dropped_into_s3_is_ingested_once_through_sqs() {
        let sdk = plasma_tests::moto::sdk_config().await;
        let stack = plasma_tests::aws::stack(&sdk, &topology::queues(), &topology::rules()).await;
        let dir = tempfile::tempdir().unwrap();
        // OpenSearch has no emulator here; the research index is the embedded one.
        let index = plasma_search::EmbeddedIndex::open(dir.path()).unwrap();
        let mut ports = plasma_tests::aws::platform_ports(&sdk, &stack);
        ports.index = std::sync::Arc::new(index);
        let p = Platform::compose(ports, plasma_platform::Settings::default()).unwrap();
        let s3 = aws_sdk_s3::Client::new(&sdk);
        let sqs = aws_sdk_sqs::Client::new(&sdk);
        let queue_url = stack.queue_urls[topology::INGEST].clone();
        let queue_arn = sqs
            .get_queue_attributes()
            .queue_url(&queue_url)
            .attribute_names(aws_sdk_sqs::types::QueueAttributeName::QueueArn)
            .send()
            .await
            .unwrap()
            .attributes
            .unwrap()[&aws_sdk_sqs::types::QueueAttributeName::QueueArn]
            .clone();
        use aws_sdk_s3::types::{
            Event, FilterRule, FilterRuleName, NotificationConfiguration,
            NotificationConfigurationFilter, QueueConfiguration, S3KeyFilter,
        };
        let rule = FilterRule::builder()
            .name(FilterRuleName::Prefix)
            .value("incoming/")
            .build();
        s3.put_bucket_notification_configuration()
            .bucket(&stack.bucket)
            .notification_configuration(
                NotificationConfiguration::builder()
                    .queue_configurations(
                        QueueConfiguration::builder()
                            .queue_arn(queue_arn)
                            .events(Event::from("s3:ObjectCreated:*"))
                            .filter(
                                NotificationConfigurationFilter::builder()
                                    .key(S3KeyFilter::builder().filter_rules(rule).build())
                                    .build(),
                            )
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .send()
            .await
            .unwrap();
        let key = "incoming/acme/u1/Glide ratio.md";
        s3.put_object()
            .bucket(&stack.bucket)
            .key(key)
            .content_type("text/markdown")
            .body(aws_sdk_s3::primitives::ByteStream::from_static(
                b"# Glide ratio\n\nThe sailplane reached a glide ratio of sixty to one.",
            ))
            .send()
            .await
            .unwrap();
        // Whatever S3 put on the queue (a test event first, then the notification).
        let mut records = Vec::new();
        for _ in 0..5 {
            let received = sqs
                .receive_message()
                .queue_url(&queue_url)
                .max_number_of_messages(10)
                .wait_time_seconds(1)
                .message_system_attribute_names(aws_sdk_sqs::types::MessageSystemAttributeName::All)
                .send()
                .await
                .unwrap();
            for m in received.messages.unwrap_or_default() {
                let mut record = aws_lambda_events::event::sqs::SqsMessage::default();
                record.message_id = m.message_id;
                record.body = m.body;
                records.push(record);
            }
            if records.iter().any(|r| {
                r.body
                    .as_deref()
                    .is_some_and(|b| b.contains("ObjectCreated"))
            }) {
                break;
            }
        }
        assert!(
            records.iter().any(|r| r
                .body
                .as_deref()
                .is_some_and(|b| b.contains("ObjectCreated"))),
            "S3 sent no notification: {records:?}"
        );
        let mut event = SqsEvent::default();
        event.records = records;
        // Delivered twice, as SQS may.
        for _ in 0..2 {
            let response =
                research_ingest::handler(&p, LambdaEvent::new(event.clone(), Context::default()))
                    .await
                    .unwrap();
            assert!(response.batch_item_failures.is_empty(), "{response:?}");
        }
        let docs = p.research.documents.all("acme").await.unwrap();
        assert_eq!(docs.len(), 1, "{docs:?}");
        assert_eq!(
            docs[0].status,
            plasma_research::documents::Status::Indexed,
            "{docs:?}"
        );
        assert_eq!(
            docs[0].source.as_deref(),
            Some("s3:incoming/acme/u1/Glide ratio.md")
        );
        let hits = plasma_research::search::search(
            &p.research,
            "acme",
            "sailplane glide ratio",
            plasma_core::SearchMode::Hybrid,
            5,
            Default::default(),
            None,
        )
        .await
        .unwrap();
        assert_eq!(hits[0].document_id, docs[0].id);
        // The chunk records went to DynamoDB.
        assert_eq!(
            p.research
                .chunks
                .of_document("acme", &docs[0].id)
                .await
                .unwrap()
                .len(),
            1
        );
    }

    /// Scheduling an item creates an EventBridge Scheduler schedule on moto targeting the
    /// publish queue; what it would deliver, handed to the content-publish function, posts the
    /// item (credentials sealed with KMS) and records it in DynamoDB.
    #[tokio::test]
    async fn a_fired_publish_schedule_publishes_through_dynamodb_once() {
        use crate::content_platforms::{Platforms, TOKEN};
        use plasma_content::workflow::Status;
        let (url, platforms) = Platforms::start().await;
        let p = platform_with(plasma_platform::Settings {
            allow_private_egress: Some(true),
            ..Default::default()
        })
        .await;
        let id = "0193b6f2-aaaa-7f10-9a00-4c1d2e3f5a6b";
        p.content
            .insert_item("acme", &super::publishable(id, Status::Approved))
            .await
            .unwrap();
        let creds: plasma_publishing::Credentials =
            serde_json::from_value(serde_json::json!({"token": TOKEN, "base_url": url})).unwrap();
        p.content
            .set_credentials("acme", "alex", "mastodon", &creds)
            .await
            .unwrap();
        let item = p.content.item("acme", id).await.unwrap().unwrap();
        let at = Utc::now() + chrono::Duration::hours(1);
        let scheduled = p
            .content
            .schedule("acme", "alex", item, at, None, None)
            .await
            .unwrap();
        assert_eq!(scheduled.status, Status::Scheduled);
        let name = plasma_content::publish::schedule_name("acme", id);
        let schedule = p
            .ports
            .scheduler
            .get(&name)
            .await
            .unwrap()
            .expect("a schedule on moto");
        assert_eq!(schedule.queue, topology::PUBLISH);
        assert_eq!(schedule.at.timestamp(), at.timestamp());
        // What EventBridge Scheduler delivers to the queue when the time comes, twice.
        let mut record = aws_lambda_events::event::sqs::SqsMessage::default();
        record.message_id = Some("m-1".into());
        record.body = Some(schedule.body.clone());
        let mut event = SqsEvent::default();
        event.records = vec![record];
        for _ in 0..2 {
            let response =
                content_publish::handler(&p, LambdaEvent::new(event.clone(), Context::default()))
                    .await
                    .unwrap();
            assert!(response.batch_item_failures.is_empty(), "{response:?}");
        }
        let stored = p.content.item("acme", id).await.unwrap().unwrap();
        assert_eq!(stored.status, Status::Published, "{stored:?}");
        assert_eq!(platforms.created("mastodon").len(), 1);
        assert_eq!(platforms.problems(), Vec::<String>::new());
    }

    #[tokio::test]
    async fn api_health_reports_every_aws_adapter() {
        let (status, body) = call(&platform().await, &super::admin_health_event()).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["backend"], "aws");
        for adapter in ["items", "blobs", "queue", "events", "scheduler"] {
            assert_eq!(
                body["adapters"][adapter]["status"], "ok",
                "{adapter}: {body}"
            );
        }
    }

    #[tokio::test]
    async fn worker_writes_the_sample_batch_to_dynamodb_once() {
        let p = platform().await;
        let event: SqsEvent = serde_json::from_str(&sample("worker.json")).unwrap();
        for _ in 0..2 {
            let response = worker::handler(&p, LambdaEvent::new(event.clone(), Context::default()))
                .await
                .unwrap();
            assert!(response.batch_item_failures.is_empty(), "{response:?}");
        }
        let from = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let to = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
        let (entries, _) = AuditLog::new(p.ports.items.clone())
            .query("acme", from, to, None, 100, None)
            .await
            .unwrap();
        assert_eq!(entries.len(), event.records.len());
    }

    #[tokio::test]
    async fn audit_events_travel_through_eventbridge_and_sqs_to_the_worker() {
        let p = platform().await;
        let mut event: serde_json::Value =
            serde_json::from_str(&sample("api-authorized.json")).unwrap();
        event["requestContext"]["http"]["method"] = "POST".into();
        event["rawPath"] = "/admin/api-keys".into();
        event["requestContext"]["http"]["path"] = "/admin/api-keys".into();
        event["rawQueryString"] = "".into();
        event["headers"]["content-type"] = "application/json".into();
        event["body"] = r#"{"name": "from lambda"}"#.into();
        let (status, body) = call(&p, &event.to_string()).await;
        assert_eq!(status, 201, "{body}");

        // The rule delivered the envelope to the jobs queue; hand it to the worker as Lambda would.
        let received = p
            .ports
            .queue
            .receive(
                topology::JOBS,
                10,
                std::time::Duration::from_secs(30),
                std::time::Duration::from_secs(5),
            )
            .await
            .unwrap();
        assert_eq!(received.len(), 1, "one audit event on the queue");
        let mut sqs = SqsEvent::default();
        let mut record = aws_lambda_events::event::sqs::SqsMessage::default();
        record.message_id = Some(received[0].message_id.clone());
        record.body = Some(received[0].body.clone());
        sqs.records.push(record);
        let response = worker::handler(&p, LambdaEvent::new(sqs, Context::default()))
            .await
            .unwrap();
        assert!(response.batch_item_failures.is_empty());
        let (entries, _) = AuditLog::new(p.ports.items.clone())
            .query(
                "acme",
                Utc::now() - chrono::Duration::hours(1),
                Utc::now() + chrono::Duration::hours(1),
                None,
                10,
                None,
            )
            .await
            .unwrap();
        assert_eq!(entries.len(), 1, "{entries:?}");
        assert_eq!(entries[0].action, "POST /admin/api-keys");
        assert_eq!(entries[0].actor, "user-1");
    }

    /// Serves `/feed.xml`: a positive and a negative item about Acme and one about the
    /// weather, published within the last few hours. Returns the feed's URL.
    async fn acme_feed() -> String {
        let now = Utc::now();
        let at = |hours: i64| (now - chrono::Duration::hours(hours)).to_rfc2822();
        let feed = format!(
            r#"<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>
<item><title>Acme launches a wonderful phone</title><link>https://news.example/acme-phone</link>
<description>Reviewers love the great new Acme phone.</description><pubDate>{}</pubDate></item>
<item><title>Acme outage angers customers</title><link>https://news.example/acme-outage</link>
<description>A terrible, awful outage at Acme.</description><pubDate>{}</pubDate></item>
<item><title>Weather report</title><link>https://news.example/weather</link>
<description>Sunny all week.</description><pubDate>{}</pubDate></item>
</channel></rss>"#,
            at(1),
            at(2),
            at(3)
        );
        let app = axum::Router::new().route(
            "/feed.xml",
            axum::routing::get(
                move || async move { ([("content-type", "application/rss+xml")], feed) },
            ),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/feed.xml", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        url
    }

    /// The scheduled pass, the way AWS runs it: EventBridge fires brand-scan, which queues
    /// one job per source on SQS; the worker collects it into DynamoDB. A second pass
    /// re-reads the same feed and stores nothing new.
    #[tokio::test]
    async fn scheduled_brand_scan_travels_through_sqs_to_the_worker_and_dynamodb() {
        // The fixture feed is on loopback, which a deployed platform refuses unless told.
        let p = platform_with(plasma_platform::Settings {
            allow_private_egress: Some(true),
            brand: plasma_brand::scan::BrandSettings {
                politeness: std::time::Duration::ZERO,
                max_attempts: 1,
                ..Default::default()
            },
            ..Default::default()
        })
        .await;
        let new: plasma_brand::monitors::NewMonitor = serde_json::from_value(serde_json::json!({
            "name": "Acme",
            "names": ["Acme"],
            "sources": [{"kind": "rss", "url": acme_feed().await}],
        }))
        .unwrap();
        let monitor = plasma_brand::monitors::validate(
            new,
            p.brand.egress,
            &p.brand.settings,
            p.ports.ids.new_id(),
            Utc::now(),
        )
        .unwrap();
        p.brand.monitors().create("acme", &monitor).await.unwrap();
        let schedule: EventBridgeEvent = serde_json::from_str(&sample("brand-scan.json")).unwrap();

        let mut stored_after_first_pass = None;
        for pass in 1..=2 {
            let report = plasma_platform::schedules::handle(
                &p,
                &plasma_platform::schedules::BRAND_SCAN,
                LambdaEvent::new(schedule.clone(), Context::default()),
            )
            .await
            .unwrap();
            assert_eq!(
                (report["scanned"].as_u64(), report["failed"].as_u64()),
                (Some(1), Some(0)),
                "pass {pass}"
            );
            let jobs = p
                .ports
                .queue
                .receive(
                    topology::JOBS,
                    10,
                    std::time::Duration::from_secs(30),
                    std::time::Duration::from_secs(5),
                )
                .await
                .unwrap();
            assert_eq!(jobs.len(), 1, "pass {pass}: one job for the one source");
            let mut sqs = SqsEvent::default();
            for job in &jobs {
                let mut record = aws_lambda_events::event::sqs::SqsMessage::default();
                record.message_id = Some(job.message_id.clone());
                record.body = Some(job.body.clone());
                sqs.records.push(record);
            }
            let response = worker::handler(&p, LambdaEvent::new(sqs, Context::default()))
                .await
                .unwrap();
            assert!(
                response.batch_item_failures.is_empty(),
                "pass {pass}: {response:?}"
            );
            // Lambda deletes a batch that succeeded.
            for job in &jobs {
                p.ports
                    .queue
                    .delete(topology::JOBS, &job.receipt)
                    .await
                    .unwrap();
            }

            let filter = plasma_brand::mentions::InboxFilter {
                monitor_id: Some(monitor.id.clone()),
                ..Default::default()
            };
            let page = p
                .brand
                .mentions()
                .inbox("acme", &filter, 50, None)
                .await
                .unwrap();
            let matched: Vec<_> = page.mentions.iter().filter(|m| m.matched).collect();
            assert_eq!(
                matched.len(),
                2,
                "pass {pass}: the two Acme items, once each: {:?}",
                page.mentions
            );
            let label_of = |needle: &str| {
                matched
                    .iter()
                    .find(|m| m.mention.text.contains(needle))
                    .unwrap_or_else(|| panic!("pass {pass}: no mention with {needle}"))
                    .sentiment
                    .label
            };
            use plasma_brand::mentions::SentimentLabel;
            assert_eq!(label_of("wonderful"), SentimentLabel::Positive);
            assert_eq!(label_of("outage"), SentimentLabel::Negative);
            let stored = page.mentions.len();
            assert_eq!(
                *stored_after_first_pass.get_or_insert(stored),
                stored,
                "pass {pass}: a re-scan stores nothing new"
            );
        }
    }

    #[tokio::test]
    async fn housekeeping_measures_the_sqs_queues() {
        let p = platform().await;
        let event: EventBridgeEvent = serde_json::from_str(&sample("housekeeping.json")).unwrap();
        let report = plasma_platform::schedules::handle(
            &p,
            &plasma_platform::schedules::HOUSEKEEPING,
            LambdaEvent::new(event, Context::default()),
        )
        .await
        .unwrap();
        assert_eq!(
            report["queues"].as_object().unwrap().len(),
            topology::QUEUE_NAMES.len()
        );
        assert_eq!(report["dead_letters"], 0);
    }
}
