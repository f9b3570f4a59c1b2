//! The HTTP contract every route shares: health, problem details for every error, and the
//! gateway's authentication, permissions, API keys and audit trail, driven over real HTTP.

use crate::common::{TestApp, eventually, json};
use serde_json::{Value, json};

#[tokio::test]
async fn health_reports_embedded_backend_and_every_adapter() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", &["admin"]);
    let r = app.get("/admin/health").bearer_auth(&admin);
    let (status, body) = json(r.send().await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["backend"], "embedded");
    assert_eq!(body["status"], "ok");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    for adapter in ["items", "blobs", "queue", "events", "scheduler"] {
        assert_eq!(
            body["adapters"][adapter]["status"], "ok",
            "{adapter}: {body}"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn housekeeping_runs_on_start_and_shows_in_health() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", &["admin"]);
    let report = eventually("housekeeping report", || async {
        let r = app.get("/admin/health").bearer_auth(&admin);
        let (_, body) = json(r.send().await.unwrap()).await;
        (!body["housekeeping"].is_null()).then_some(body["housekeeping"].clone())
    })
    .await;
    assert_eq!(report["dead_letters"], 0);
    assert!(report["queues"]["jobs"].is_object(), "{report}");
    app.stop().await;
}

fn assert_problem(status: u16, body: &Value, want_status: u16, want_code: &str) {
    assert_eq!(status, want_status, "{body}");
    assert_eq!(body["status"], want_status, "{body}");
    assert_eq!(body["code"], want_code, "{body}");
    assert!(
        body["title"].is_string() && body["type"].is_string(),
        "{body}"
    );
}

#[tokio::test]
async fn every_error_is_a_problem_document() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", &["admin"]);

    let r = app.get("/no/such/route").send().await.unwrap();
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let (s, b) = json(r).await;
    assert_problem(s, &b, 404, "not_found");

    let r = app
        .http
        .put(format!("{}/health", app.url))
        .send()
        .await
        .unwrap();
    assert!(r.headers().contains_key("allow"));
    let (s, b) = json(r).await;
    assert_problem(s, &b, 405, "method_not_allowed");

    let huge = "x".repeat(2 * 1024 * 1024);
    let r = app
        .post("/admin/api-keys")
        .bearer_auth(&admin)
        .header("content-type", "application/json")
        .body(huge);
    let (s, b) = json(r.send().await.unwrap()).await;
    assert_problem(s, &b, 413, "payload_too_large");

    let r = app
        .post("/admin/api-keys")
        .bearer_auth(&admin)
        .header("content-type", "application/json")
        .body("{\"name\": ");
    let (s, b) = json(r.send().await.unwrap()).await;
    assert_problem(s, &b, 400, "malformed_json");
    assert_eq!(b["line"], 1);

    let r = app
        .post("/admin/api-keys")
        .bearer_auth(&admin)
        .json(&json!({"name": "k", "role": "wizard"}));
    let (s, b) = json(r.send().await.unwrap()).await;
    assert_problem(s, &b, 400, "invalid_field");
    assert_eq!(b["field"], "role");

    let r = app
        .post("/admin/api-keys")
        .bearer_auth(&admin)
        .json(&json!({"role": "service"}));
    let (s, b) = json(r.send().await.unwrap()).await;
    assert_problem(s, &b, 400, "invalid_field");
    assert_eq!(b["field"], "name");

    let r = app
        .post("/admin/api-keys")
        .bearer_auth(&admin)
        .header("content-type", "text/plain")
        .body("{}");
    let (s, b) = json(r.send().await.unwrap()).await;
    assert_problem(s, &b, 415, "unsupported_media_type");

    let r = app.get("/admin/audit?from=yesterday").bearer_auth(&admin);
    let (s, b) = json(r.send().await.unwrap()).await;
    assert_problem(s, &b, 400, "invalid_request");
    app.stop().await;
}

#[tokio::test]
async fn responses_carry_security_headers_and_the_request_id() {
    let app = TestApp::spawn().await;
    let r = app
        .get("/health")
        .header("x-request-id", "trace-me-42")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-request-id"], "trace-me-42");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert_eq!(r.headers()["x-frame-options"], "DENY");
    let r = app.get("/health").send().await.unwrap();
    assert!(
        !r.headers()["x-request-id"].is_empty(),
        "a request id is generated when none is sent"
    );
    app.stop().await;
}

#[tokio::test]
async fn credentials_are_required_and_permissions_enforced() {
    let app = TestApp::spawn().await;
    let (s, b) = json(app.get("/admin/api-keys").send().await.unwrap()).await;
    assert_problem(s, &b, 401, "unauthorized");

    let mut forged = app.token("acme", &["viewer"]);
    forged.push('x');
    let (s, b) = json(
        app.get("/admin/api-keys")
            .bearer_auth(&forged)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_problem(s, &b, 401, "unauthorized");

    let viewer = app.token("acme", &["viewer"]);
    let (s, b) = json(
        app.get("/admin/api-keys")
            .bearer_auth(&viewer)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_problem(s, &b, 403, "forbidden");
    assert_eq!(b["permission"], "admin:*");

    let admin = app.token("acme", &["admin"]);
    let (s, b) = json(
        app.get("/admin/api-keys")
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    app.stop().await;
}

#[tokio::test]
async fn api_keys_are_shown_once_authenticate_and_can_be_revoked() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", &["admin"]);
    let r = app
        .post("/admin/api-keys")
        .bearer_auth(&admin)
        .json(&json!({"name": "ingest bot", "role": "service"}));
    let (s, created) = json(r.send().await.unwrap()).await;
    assert_eq!(s, 201, "{created}");
    let secret = created["secret"].as_str().unwrap().to_string();
    let id = created["key"]["id"].as_str().unwrap().to_string();
    assert!(secret.starts_with("pk_"));

    let (_, listed) = json(
        app.get("/admin/api-keys")
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    assert!(
        !listed.to_string().contains(&secret),
        "the secret is never shown again"
    );

    // A service key authenticates (both header forms) but holds no admin permission.
    let (s, b) = json(
        app.get("/admin/audit")
            .header("x-api-key", &secret)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_problem(s, &b, 403, "forbidden");
    let (s, _) = json(
        app.get("/admin/audit")
            .bearer_auth(&secret)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, 403);
    let (_, listed) = json(
        app.get("/admin/api-keys")
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(
        listed["items"][0]["last_used_at"].is_string(),
        "use is recorded: {listed}"
    );

    let r = app
        .delete(&format!("/admin/api-keys/{id}"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let (s, b) = json(
        app.get("/admin/audit")
            .header("x-api-key", &secret)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_problem(s, &b, 401, "unauthorized");
    let (s, b) = json(
        app.get("/admin/audit")
            .header("x-api-key", "pk_guessed")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_problem(s, &b, 401, "unauthorized");
    app.stop().await;
}

#[tokio::test]
async fn tenants_cannot_see_or_touch_each_others_records() {
    let app = TestApp::spawn().await;
    let a = app.token("tenant-a", &["admin"]);
    let b = app.token("tenant-b", &["admin"]);
    let r = app
        .post("/admin/api-keys")
        .bearer_auth(&a)
        .json(&json!({"name": "a's key"}));
    let (_, created) = json(r.send().await.unwrap()).await;
    let id = created["key"]["id"].as_str().unwrap();

    let (_, listed) = json(
        app.get("/admin/api-keys")
            .bearer_auth(&b)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(listed["items"], json!([]));
    let (s, body) = json(
        app.delete(&format!("/admin/api-keys/{id}"))
            .bearer_auth(&b)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_problem(s, &body, 404, "not_found");
    let (_, listed) = json(
        app.get("/admin/api-keys")
            .bearer_auth(&a)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(
        listed["items"][0]["revoked_at"].is_null(),
        "B's attempt changed nothing"
    );
    let (_, audit) = json(
        app.get("/admin/audit")
            .bearer_auth(&b)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(!audit.to_string().contains("tenant-a"), "{audit}");
    app.stop().await;
}

#[tokio::test]
async fn mutations_and_denials_reach_the_audit_log_through_the_worker() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", &["admin"]);
    let viewer = app.token("acme", &["viewer"]);
    let r = app
        .post("/admin/api-keys")
        .bearer_auth(&admin)
        .header("x-request-id", "req-create")
        .json(&json!({"name": "k"}));
    assert_eq!(r.send().await.unwrap().status(), 201);
    let r = app
        .post("/admin/api-keys")
        .bearer_auth(&viewer)
        .json(&json!({"name": "k2"}));
    assert_eq!(r.send().await.unwrap().status(), 403);

    let entries = eventually("two audit entries", || async {
        let (_, body) = json(
            app.get("/admin/audit")
                .bearer_auth(&admin)
                .send()
                .await
                .unwrap(),
        )
        .await;
        let items = body["items"].as_array().cloned().unwrap_or_default();
        (items.len() >= 2).then_some(items)
    })
    .await;
    let created = entries
        .iter()
        .find(|e| e["request_id"] == "req-create")
        .expect("creation audited");
    assert_eq!(created["action"], "POST /admin/api-keys");
    assert_eq!(created["outcome"], "success");
    assert_eq!(created["actor"], "user-acme");
    let denied = entries
        .iter()
        .find(|e| e["outcome"].as_str().unwrap().starts_with("denied"))
        .expect("denial audited");
    assert_eq!(denied["resource"], "/admin/api-keys");

    // Reads are not audited, and the actor filter narrows to one subject.
    let (_, mine) = json(
        app.get("/admin/audit?actor=user-acme")
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 2, "{mine}");
    let (_, none) = json(
        app.get("/admin/audit?actor=someone-else")
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(none["items"], json!([]));
    app.stop().await;
}

#[tokio::test]
async fn failed_authentication_is_audited_in_the_platform_log() {
    let app = TestApp::spawn().await;
    let mut forged = app.token("acme", &["admin"]);
    forged.push('x');
    let r = app
        .get("/admin/api-keys")
        .bearer_auth(&forged)
        .header("x-request-id", "req-forged");
    assert_eq!(r.send().await.unwrap().status(), 401);
    // A token for the reserved platform tenant is refused outright.
    let sneaky = app.token("_platform", &["admin"]);
    assert_eq!(
        app.get("/admin/audit")
            .bearer_auth(&sneaky)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );

    let log = plasma_gateway::audit::AuditLog::new(app.server.platform().ports.items.clone());
    let (from, to) = (
        chrono::Utc::now() - chrono::Duration::hours(1),
        chrono::Utc::now() + chrono::Duration::hours(1),
    );
    let entry = eventually("the platform audit entry", || async {
        let (items, _) = log
            .query(
                plasma_gateway::audit::PLATFORM_TENANT,
                from,
                to,
                None,
                50,
                None,
            )
            .await
            .unwrap();
        items.into_iter().find(|e| e.request_id == "req-forged")
    })
    .await;
    assert_eq!(entry.actor, "anonymous");
    assert_eq!(entry.action, "GET /admin/api-keys");
    assert!(entry.outcome.starts_with("unauthenticated"), "{entry:?}");
    app.stop().await;
}
