//! Issue 13, item 7 (low severity), each as the request an attacker or a careless path would
//! make: a new key's secret in a URL, what anonymous `/health` tells, webhook secrets in the
//! table, audit writes on demand for anyone, and a document writing into a report's Markdown.

use crate::common::{TestApp, csrf_token, eventually, json, no_redirects};
use crate::webhooks::{receiver, verifies};
use axum::http::StatusCode;
use plasma_core::Query;
use plasma_core::item::query_all;
use plasma_gateway::audit::UNAUTHENTICATED_SAMPLE;
use pulldown_cmark::{Event, Parser, Tag};
use reqwest::header;
use serde_json::{Value, json};

#[tokio::test]
async fn a_key_made_on_the_dashboard_never_travels_in_a_url() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", &["admin"]);
    let cookie = format!("plasma_session={token}");
    let http = no_redirects();
    let page = http
        .get(format!("{}/app/admin", app.url))
        .header(header::COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    let csrf = csrf_token(&html);

    let made = http
        .post(format!("{}/app/admin", app.url))
        .header(header::COOKIE, &cookie)
        .form(&[
            ("_csrf", csrf.as_str()),
            ("name", "ci bot"),
            ("role", "service"),
        ])
        .send()
        .await
        .unwrap();
    let status = made.status();
    let location = made.headers().get(header::LOCATION).cloned();
    let cache = made.headers().get(header::CACHE_CONTROL).cloned();
    let body = made.text().await.unwrap();
    assert_eq!(status, 200, "the answer itself shows the key: {location:?}");
    assert!(location.is_none(), "{location:?}");
    assert_eq!(cache.unwrap(), "no-store");
    let secret = body
        .split("id=\"new-key\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("the new key on the page");
    assert!(secret.starts_with("pk_"), "{secret}");
    // It is the real key, and nothing of it is in a link of the page.
    let r = app
        .get("/me")
        .header("x-api-key", secret)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(!body.contains(&format!("notice={secret}")));
    assert!(!body.contains("href=\"/app/admin?"), "{body}");
    app.stop().await;
}

#[tokio::test]
async fn anonymous_health_says_only_whether_the_platform_is_up() {
    let app = TestApp::spawn().await;
    let (status, body) = json(app.get("/health").send().await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"status": "ok"}),
        "no versions, adapters or queues"
    );

    // Details are for admins: resource names, queue depths and dead letters.
    let admin = app.token("acme", &["admin"]);
    let details = eventually("housekeeping in the details", || async {
        let r = app.get("/admin/health").bearer_auth(&admin);
        let (status, body) = json(r.send().await.unwrap()).await;
        assert_eq!(status, 200, "{body}");
        (!body["housekeeping"].is_null()).then_some(body)
    })
    .await;
    assert_eq!(details["adapters"]["items"]["status"], "ok", "{details}");
    assert_eq!(details["housekeeping"]["dead_letters"], 0, "{details}");
    assert!(
        details["adapters"]["items"]["detail"].is_string(),
        "{details}"
    );

    let viewer = app.token("acme", &["viewer"]);
    let r = app.get("/admin/health").bearer_auth(&viewer);
    let (status, body) = json(r.send().await.unwrap()).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("forbidden")),
        "{body}"
    );
    let r = app
        .post("/graphql")
        .bearer_auth(&viewer)
        .json(&json!({"query": "{ health { status adapters } }"}));
    let (_, body) = json(r.send().await.unwrap()).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "forbidden",
        "{body}"
    );
    assert_eq!(
        body["errors"][0]["path"],
        json!(["health", "adapters"]),
        "{body}"
    );
    app.stop().await;
}

#[tokio::test]
async fn webhook_signing_secrets_are_stored_sealed() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", &["admin"]);
    let (url, seen) = receiver(StatusCode::NO_CONTENT).await;
    let r = app
        .post("/webhooks")
        .bearer_auth(&admin)
        .json(&json!({"url": url}));
    let (status, created) = json(r.send().await.unwrap()).await;
    assert_eq!(status, 201, "{created}");
    let secret = created["secret"].as_str().unwrap();
    let key_part = secret.trim_start_matches("whsec_");

    // Whoever reads the table (a backup, a support query) finds no secret to sign with.
    let items = &app.server.platform().ports.items;
    let stored = query_all(
        items.as_ref(),
        Query::partition("T#acme").prefix("WEBHOOK#"),
    )
    .await
    .unwrap();
    assert_eq!(stored.len(), 1);
    let text = serde_json::to_string(&stored[0].attrs).unwrap();
    assert!(!text.contains(key_part), "the secret in clear: {text}");

    // Deliveries are still signed with it.
    let id = created["endpoint"]["id"].as_str().unwrap();
    let r = app
        .post(&format!("/webhooks/{id}/test"))
        .bearer_auth(&admin);
    assert_eq!(r.send().await.unwrap().status(), 202);
    let received = eventually("the signed test event", || async {
        seen.lock().unwrap().first().cloned()
    })
    .await;
    assert!(verifies(secret, &received), "{received:?}");
    app.stop().await;
}

#[tokio::test]
async fn anonymous_requests_are_counted_and_only_a_sample_is_audited() {
    let app = TestApp::spawn().await;
    let requests = 200;
    for _ in 0..requests {
        let r = app.get("/admin/api-keys").send().await.unwrap();
        assert_eq!(r.status(), 401);
    }
    let items = app.server.platform().ports.items.clone();
    let audited = || async {
        query_all(items.as_ref(), Query::partition("T#_platform#AUDIT"))
            .await
            .unwrap()
            .len()
    };
    eventually("the sample to be audited", || async {
        (audited().await >= UNAUTHENTICATED_SAMPLE as usize).then_some(())
    })
    .await;
    // Time for the worker to write anything else the requests published.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    // The requests may straddle a minute: two minutes' samples at most.
    let written = audited().await;
    assert!(
        written <= 2 * UNAUTHENTICATED_SAMPLE as usize,
        "{written} audit entries for {requests} anonymous requests"
    );
    let counters = query_all(
        items.as_ref(),
        Query::partition("T#_platform#AUDIT#UNAUTHENTICATED"),
    )
    .await
    .unwrap();
    let counted: u64 = counters
        .iter()
        .filter_map(|c| c.get("count").and_then(Value::as_u64))
        .sum();
    assert_eq!(counted, requests, "every request is counted");
    app.stop().await;
}

#[tokio::test]
async fn a_hostile_document_cannot_write_markdown_into_a_research_report() {
    let app = TestApp::spawn().await;
    let t = app.token("acme", &["editor"]);
    let hostile = json!({
        "content_type": "text/plain",
        "title": "Flutter [click](javascript:alert(1)) <img src=x onerror=alert(2)>",
        "content": "Flutter onset is delayed by stiffer wings. <script>alert(3)</script> \
                    Flutter margins grow](http://evil.example) with mass balance, see ![x](http://evil.example/x.png).",
    });
    let r = app
        .post("/research/documents")
        .bearer_auth(&t)
        .json(&hostile);
    let (status, doc) = json(r.send().await.unwrap()).await;
    assert_eq!(status, 202, "{doc}");
    let id = doc["id"].as_str().unwrap().to_owned();
    eventually("the document to be indexed", || async {
        let r = app
            .get(&format!("/research/documents/{id}"))
            .bearer_auth(&t);
        let (_, doc) = json(r.send().await.unwrap()).await;
        (doc["status"] == "indexed").then_some(())
    })
    .await;
    let r = app
        .post("/research/jobs")
        .bearer_auth(&t)
        .json(&json!({"question": "What delays flutter onset?"}));
    let (status, job) = json(r.send().await.unwrap()).await;
    assert_eq!(status, 202, "{job}");
    let job = job["id"].as_str().unwrap().to_owned();
    let markdown = eventually("the report", || async {
        let r = app
            .get(&format!("/research/jobs/{job}/report"))
            .bearer_auth(&t);
        let r = r.send().await.unwrap();
        if r.status() == 200 {
            Some(r.text().await.unwrap())
        } else {
            None
        }
    })
    .await;

    // The document's text and title are in the report, as text.
    assert!(
        markdown.contains(r"\[click\]\(javascript:alert\(1\)\)"),
        "{markdown}"
    );
    assert!(
        markdown.contains(r"\<script\>alert\(3\)\</script\>"),
        "{markdown}"
    );
    assert!(
        markdown.contains(r"grow\]\(http://evil.example\)"),
        "{markdown}"
    );
    // A renderer finds no link, image or HTML in it but the report's own structure.
    for event in Parser::new(&markdown) {
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                panic!("a link to {dest_url} in:\n{markdown}")
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                panic!("HTML {html:?} in:\n{markdown}")
            }
            _ => {}
        }
    }
    app.stop().await;
}
