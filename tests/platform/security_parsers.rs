//! Issue 13, item 8: what hostile documents and hostile addresses can do. A small PDF that
//! inflates to gigabytes; outbound URLs and identity-provider endpoints on internal
//! addresses, with private egress off as deployed.

use crate::common::{TestApp, eventually_within, json, no_redirects};
use crate::jwt::sign;
use axum::Router;
use axum::http::header;
use axum::routing::{get, post};
use plasma_documents::fixtures;
use plasma_gateway::{GatewayConfig, IssuerConfig};
use plasma_platform::Settings;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Settings with private egress off, as a deployed platform has it.
fn deployed_egress() -> Settings {
    Settings {
        allow_private_egress: Some(false),
        ..Settings::default()
    }
}

/// A loopback server answering every request with `body`, counting the requests.
async fn counting_server(body: Value) -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let app = Router::new().fallback(move || {
        counter.fetch_add(1, Ordering::SeqCst);
        let body = body.clone();
        async move { axum::Json(body) }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, hits)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_small_pdf_that_inflates_to_gigabytes_fails_ingestion_quickly_as_too_large() {
    let app = TestApp::spawn().await;
    let t = app.token("acme", &["editor"]);
    // 2,000 pages share one content stream of 16 MiB of operators: 32 GB to decode page by
    // page, from a file of under 256 KiB.
    let bomb = fixtures::pdf_bomb(2000, b"q Q\n", 4 << 20);
    assert!(bomb.len() < 256 << 10, "{} bytes", bomb.len());
    let part = reqwest::multipart::Part::bytes(bomb)
        .file_name("report.pdf")
        .mime_str("application/pdf")
        .unwrap();
    let started = Instant::now();
    let (status, accepted) = json(
        app.post("/research/documents")
            .bearer_auth(&t)
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 202, "{accepted}");
    let id = accepted["id"].as_str().unwrap().to_owned();
    // Each look has its own deadline: a runner busy decoding must fail the test, not hang it.
    let settled = eventually_within("the bomb to be refused", 60, || async {
        let response = app
            .get(&format!("/research/documents/{id}"))
            .bearer_auth(&t)
            .timeout(Duration::from_secs(5))
            .send()
            .await
            .ok()?;
        let (_, doc) = json(response).await;
        (doc["status"] != "queued" && doc["status"] != "processing").then_some(doc)
    });
    let doc = tokio::time::timeout(Duration::from_secs(70), settled)
        .await
        .expect("the bomb was not refused within 70 s");
    assert_eq!(doc["status"], "failed", "{doc}");
    assert_eq!(
        doc["reason"], "document too large: its streams decode to more than 64 MiB",
        "{doc}"
    );
    assert!(started.elapsed() < Duration::from_secs(60));
    app.stop().await;
}

/// One address from each special-purpose block, written as a URL host.
const INTERNAL_HOSTS: &[&str] = &[
    "[64:ff9b::7f00:1]",
    "[64:ff9b::a00:1]",
    "[64:ff9b::a9fe:a9fe]",
    "[2002:7f00:1::1]",
    "[2002:a9fe:a9fe::1]",
    "[::127.0.0.1]",
    "[::ffff:10.0.0.1]",
    "192.0.0.1",
    "100.64.0.1",
    "198.18.0.1",
    "240.0.0.1",
    "0.0.0.0",
    "169.254.169.254",
    "[fd00::1]",
    "[fe80::1]",
    "[ff02::1]",
    "224.0.0.1",
];

#[tokio::test]
async fn webhooks_on_special_purpose_addresses_are_refused() {
    let app = TestApp::spawn_with(deployed_egress()).await;
    let admin = app.token("acme", &["admin"]);
    for host in INTERNAL_HOSTS {
        let url = format!("http://{host}/hook");
        let (status, problem) = app
            .post_json(
                "/webhooks",
                &admin,
                &json!({"url": url, "events": ["research.document.indexed"]}),
            )
            .await;
        assert_eq!(status, 400, "{url} was accepted: {problem}");
    }
    // Public addresses in the same notations still work.
    for host in [
        "[64:ff9b::5db8:d70e]",
        "[2002:5db8:d70e::1]",
        "93.184.215.14",
    ] {
        let url = format!("http://{host}/hook");
        let (status, endpoint) = app
            .post_json(
                "/webhooks",
                &admin,
                &json!({"url": url, "events": ["research.document.indexed"]}),
            )
            .await;
        assert_eq!(status, 201, "{url}: {endpoint}");
    }
    app.stop().await;
}

#[tokio::test]
async fn an_issuer_whose_jwks_is_on_an_internal_address_is_never_fetched() {
    let keys: Value = serde_json::from_str(&crate::jwt::fixture("jwks.json")).unwrap();
    let (issuer, hits) = counting_server(keys).await;
    let mut issuer_config = IssuerConfig::new(&issuer, &["api"]);
    issuer_config.jwks_url = format!("{issuer}/.well-known/jwks.json");
    let app = TestApp::spawn_with(Settings {
        gateway: GatewayConfig {
            issuers: vec![issuer_config],
            ..GatewayConfig::default()
        },
        ..deployed_egress()
    })
    .await;
    let now = chrono::Utc::now().timestamp();
    let token = sign(
        "rsa-1",
        &json!({"iss": issuer, "aud": "api", "sub": "u1", "tenant": "acme",
                "roles": ["admin"], "iat": now, "exp": now + 3600}),
    );
    let (status, problem) = app.get_json("/research/documents", &token).await;
    assert_eq!(status, 401, "{problem}");
    assert_eq!(hits.load(Ordering::SeqCst), 0, "the JWKS was fetched");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_sign_in_never_calls_an_identity_provider_on_an_internal_address() {
    // The provider's discovery names a token endpoint on a loopback IP literal, which the
    // client's resolver never sees.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let issuer = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let discovery = json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/authorize"),
        "token_endpoint": format!("{issuer}/token"),
    });
    let (on_discovery, on_token) = (hits.clone(), hits.clone());
    let idp = Router::new()
        .route(
            "/.well-known/openid-configuration",
            get(move || {
                on_discovery.fetch_add(1, Ordering::SeqCst);
                async move { axum::Json(discovery) }
            }),
        )
        .route(
            "/token",
            post(move || {
                on_token.fetch_add(1, Ordering::SeqCst);
                async { axum::Json(json!({"id_token": "x"})) }
            }),
        );
    tokio::spawn(async move { axum::serve(listener, idp).await });

    let dir = tempfile::tempdir().unwrap();
    let options = plasma::serve::Options {
        settings: deployed_egress(),
        oidc: Some(plasma_web::OidcSettings {
            issuer: issuer.clone(),
            client_id: "dashboard".into(),
            client_secret: Some("client-secret".into()),
            redirect_url: "http://127.0.0.1/app/auth/callback".into(),
            scopes: "openid".into(),
            egress: plasma_http::outbound::Egress::default(),
        }),
        ..plasma::serve::Options::default()
    };
    let server =
        plasma::serve::Server::start_with(dir.path(), "127.0.0.1:0".parse().unwrap(), options)
            .await
            .unwrap();
    let http = no_redirects();
    let url = server.url();
    let login = http
        .get(format!("{url}/app/auth/login?next=/app"))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 303);
    let location = login.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    if let Some(cookie) = login.headers().get(header::SET_COOKIE) {
        // Had the flow started, the callback would post the code and secret onwards.
        let cookie = cookie
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let state = url::Url::parse(&location)
            .ok()
            .and_then(|u| {
                u.query_pairs()
                    .find(|(k, _)| k == "state")
                    .map(|(_, v)| v.into_owned())
            })
            .unwrap_or_default();
        http.get(format!("{url}/app/auth/callback?code=c&state={state}"))
            .header(header::COOKIE, cookie)
            .send()
            .await
            .unwrap();
    }
    assert!(location.starts_with("/app/signin?error="), "{location}");
    assert_eq!(hits.load(Ordering::SeqCst), 0, "the provider was called");
    server.stop().await.unwrap();
}
