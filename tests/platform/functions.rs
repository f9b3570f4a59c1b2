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

fn sample(name: &str) -> String {
    let path = format!("{}/../events/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn platform(dir: &tempfile::TempDir) -> Platform {
    Platform::embedded(
        dir.path(),
        "http://127.0.0.1:3000",
        Arc::new(SystemClock),
        Arc::new(UuidV7Ids),
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

#[tokio::test]
async fn api_serves_the_health_sample() {
    let dir = tempfile::tempdir().unwrap();
    let (status, body) = call(&platform(&dir), &sample("api-health.json")).await;
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
    let (_, secret) = p.gateway().keys.create("acme", "admin", new).await.unwrap();
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
    let (entries, _) = AuditLog::new(p.items.clone())
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
    let report = housekeeping::handler(&p, LambdaEvent::new(event.clone(), Context::default()))
        .await
        .unwrap();
    assert_eq!(report.dead_letters, 0);
    assert_eq!(
        report.queues.len(),
        plasma_platform::topology::queues().len()
    );
    let stored = plasma_platform::housekeeping::last_report(&p)
        .await
        .unwrap();
    assert_eq!(stored, Some(report));

    let mut wrong = event;
    wrong.detail_type = "Object Created".into();
    assert!(
        housekeeping::handler(&p, LambdaEvent::new(wrong, Context::default()))
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
            p.ids.new_id(),
            Utc::now(),
        )
        .unwrap();
        p.brand.monitors().create(tenant, &monitor).await.unwrap();
    }
    let event: EventBridgeEvent = serde_json::from_str(&sample("brand-scan.json")).unwrap();
    let report = brand_scan::handler(&p, LambdaEvent::new(event.clone(), Context::default()))
        .await
        .unwrap();
    assert_eq!((report.scanned, report.failed), (2, 0));
    let jobs = p
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
        brand_scan::handler(&p, LambdaEvent::new(wrong, Context::default()))
            .await
            .is_err()
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
        let sdk = plasma_tests::moto::sdk_config().await;
        let stack = plasma_tests::aws::stack(&sdk, &topology::queues(), &topology::rules()).await;
        Platform::aws(&sdk, &stack)
    }

    #[tokio::test]
    async fn api_health_reports_every_aws_adapter() {
        let (status, body) = call(&platform().await, &sample("api-health.json")).await;
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
        let (entries, _) = AuditLog::new(p.items.clone())
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
        let (entries, _) = AuditLog::new(p.items.clone())
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

    #[tokio::test]
    async fn housekeeping_measures_the_sqs_queues() {
        let p = platform().await;
        let event: EventBridgeEvent = serde_json::from_str(&sample("housekeeping.json")).unwrap();
        let report = housekeeping::handler(&p, LambdaEvent::new(event, Context::default()))
            .await
            .unwrap();
        assert_eq!(report.queues.len(), 2);
        assert_eq!(report.dead_letters, 0);
    }
}
