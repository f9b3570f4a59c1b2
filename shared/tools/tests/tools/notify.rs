use crate::support::{OPEN, assert_fails, call, recorder};
use plasma_tools::{HostAllowlist, Notify, NotifySettings, Tool};
use serde_json::{Value, json};
use standardwebhooks::Webhook;
use std::time::Duration;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn settings(
    slack: Option<String>,
    webhook: Option<String>,
    secret: Option<&str>,
) -> NotifySettings {
    NotifySettings {
        slack_webhook_url: slack,
        webhook_url: webhook,
        webhook_secret: secret.map(str::to_owned),
        egress: OPEN,
        timeout: Duration::from_secs(5),
    }
}

fn none_allowed() -> HostAllowlist {
    HostAllowlist::new(Vec::<String>::new())
}

#[tokio::test]
async fn slack_gets_text_and_blocks() {
    let (base, seen) = recorder(200, json!("ok")).await;
    let notify = Notify::new(
        settings(Some(format!("{base}/services/T/B/x")), None, None),
        none_allowed(),
    );
    let blocks = json!([{ "type": "section", "text": { "type": "mrkdwn", "text": "*done*" } }]);
    let out = notify
        .call(call(
            json!({ "channel": "slack", "text": "Run done", "blocks": blocks }),
        ))
        .await
        .unwrap();
    assert_eq!(out, json!({ "channel": "slack", "status": 200 }));
    let requests = seen.all();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, "POST");
    assert_eq!(requests[0].uri, "/services/T/B/x");
    assert_eq!(requests[0].header("content-type"), Some("application/json"));
    let body: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(body, json!({ "text": "Run done", "blocks": blocks }));

    notify
        .call(call(json!({ "channel": "slack", "text": "plain" })))
        .await
        .unwrap();
    let body: Value = serde_json::from_slice(&seen.all()[1].body).unwrap();
    assert_eq!(body, json!({ "text": "plain" }));
}

#[tokio::test]
async fn a_slack_error_is_an_http_status_failure() {
    let (base, _) = recorder(403, json!("invalid_token")).await;
    let notify = Notify::new(settings(Some(base), None, None), none_allowed());
    let failure = assert_fails(
        notify
            .call(call(json!({ "channel": "slack", "text": "x" })))
            .await,
        "Http.Status.403",
    );
    assert!(failure.cause.contains("invalid_token"), "{failure}");
}

#[tokio::test]
async fn webhooks_are_signed_per_standard_webhooks() {
    let (base, seen) = recorder(204, json!(null)).await;
    let notify = Notify::new(
        settings(None, Some(format!("{base}/hook")), Some(SECRET)),
        none_allowed(),
    );
    let input =
        json!({ "channel": "webhook", "event": "report.ready", "payload": { "report": "r-1" } });
    let out = notify.call(call(input.clone())).await.unwrap();
    assert_eq!(out["channel"], "webhook");
    assert_eq!(out["status"], 204);
    let mut retry = call(input);
    retry.attempt = 2;
    let again = notify.call(retry).await.unwrap();
    assert_eq!(again["id"], out["id"], "a retry must reuse the webhook id");

    let requests = seen.all();
    assert_eq!(requests.len(), 2);
    let request = &requests[0];
    assert_eq!(request.uri, "/hook");
    assert_eq!(request.header("webhook-id"), out["id"].as_str());
    Webhook::new(SECRET)
        .unwrap()
        .verify(&request.body, &request.headers)
        .expect("the signature verifies with the configured secret");
    let other = "whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCEh";
    assert!(
        Webhook::new(other)
            .unwrap()
            .verify(&request.body, &request.headers)
            .is_err()
    );
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(body["type"], "report.ready");
    assert_eq!(body["data"], json!({ "report": "r-1" }));
    assert!(body["timestamp"].as_str().unwrap().ends_with('Z'), "{body}");
}

#[tokio::test]
async fn a_given_url_must_be_on_the_allowlist() {
    let (base, seen) = recorder(200, json!({})).await;
    let input = json!({ "channel": "webhook", "url": format!("{base}/given"), "payload": 1 });
    let refused = Notify::new(settings(None, None, Some(SECRET)), none_allowed());
    assert_fails(refused.call(call(input.clone())).await, "Http.Forbidden");
    assert!(seen.all().is_empty());

    let allowed = Notify::new(
        settings(None, None, Some(SECRET)),
        HostAllowlist::new(["127.0.0.1"]),
    );
    let out = allowed.call(call(input)).await.unwrap();
    assert_eq!(out["status"], 200);
    let requests = seen.all();
    assert_eq!(requests[0].uri, "/given");
    let body: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(body["type"], "workflow.notification");
    Webhook::new(SECRET)
        .unwrap()
        .verify(&requests[0].body, &requests[0].headers)
        .unwrap();
}

#[tokio::test]
async fn missing_configuration_is_named() {
    let empty = Notify::new(settings(None, None, None), HostAllowlist::new(["*"]));
    let failure = assert_fails(
        empty
            .call(call(json!({ "channel": "slack", "text": "x" })))
            .await,
        "Notify.NotConfigured",
    );
    assert!(
        failure.cause.contains("PLASMA_SLACK_WEBHOOK_URL"),
        "{failure}"
    );
    let failure = assert_fails(
        empty
            .call(call(
                json!({ "channel": "webhook", "url": "https://example.com/h", "payload": {} }),
            ))
            .await,
        "Notify.NotConfigured",
    );
    assert!(
        failure.cause.contains("PLASMA_NOTIFY_WEBHOOK_SECRET"),
        "{failure}"
    );
    let secret_only = Notify::new(
        settings(None, None, Some(SECRET)),
        HostAllowlist::new(["*"]),
    );
    let failure = assert_fails(
        secret_only
            .call(call(json!({ "channel": "webhook", "payload": {} })))
            .await,
        "Notify.NotConfigured",
    );
    assert!(
        failure.cause.contains("PLASMA_NOTIFY_WEBHOOK_URL"),
        "{failure}"
    );
}

#[tokio::test]
async fn malformed_input_is_invalid() {
    let notify = Notify::new(
        settings(Some("http://127.0.0.1:9/".into()), None, Some(SECRET)),
        none_allowed(),
    );
    for input in [
        json!({ "text": "no channel" }),
        json!({ "channel": "email", "text": "x" }),
        json!({ "channel": "slack" }),
        json!({ "channel": "slack", "text": "x", "blocks": { "not": "an array" } }),
        json!({ "channel": "webhook", "payload": {}, "extra": 1 }),
        json!("just a string"),
    ] {
        assert_fails(notify.call(call(input.clone())).await, "Tool.InvalidInput");
    }
}
