//! The web dashboard: the end-to-end scenario in headless Chromium against a runner, and the
//! OIDC authorization-code sign-in with PKCE against a stand-in identity provider.

use crate::common::{TestApp, csrf_token, no_redirects};
use crate::jwt::{fixture, sign};
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration as Ttl, Utc};
use plasma_gateway::{GatewayConfig, IssuerConfig};
use plasma_tests::playwright;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const PAGES: [&str; 17] = [
    "signin",
    "home",
    "research",
    "document",
    "graph",
    "brand-monitor",
    "brand",
    "content-item",
    "calendar",
    "content",
    "agents-errors",
    "execution-waiting",
    "agents",
    "execution",
    "admin",
    "viewer-item",
    "tenant-b",
];

/// A news feed with two items about the launch.
async fn feed() -> String {
    let now = Utc::now();
    let item = |n: u32, title: &str| {
        format!(
            "<item><title>{title}</title><link>https://news.example/aurora-{n}</link><description>{title}</description><pubDate>{}</pubDate></item>",
            (now - Ttl::hours(n as i64)).to_rfc2822()
        )
    };
    let xml = format!(
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>{}{}</channel></rss>"#,
        item(1, "Aurora sensor wins praise at the Oslo launch"),
        item(2, "Critics find the Aurora sensor overpriced"),
    );
    let app = Router::new().route(
        "/feed.xml",
        get(move || {
            let xml = xml.clone();
            async move { ([(header::CONTENT_TYPE, "application/rss+xml")], xml) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/feed.xml", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_works_end_to_end_in_a_real_browser() {
    let app = TestApp::spawn_with(plasma_platform::Settings {
        agent: plasma_agent::AgentSettings {
            poll: Duration::from_millis(100),
            ..plasma_agent::AgentSettings::default()
        },
        ..plasma_platform::Settings::default()
    })
    .await;
    let feed = feed().await;
    let dir = tempfile::tempdir().unwrap();
    let upload = dir.path().join("aurora-launch.md");
    std::fs::write(
        &upload,
        "# Aurora launch plan\n\nThe Aurora sensor launches in Oslo on 12 March with a public demo at the harbour. \
         Aurora is built by Nordlys Labs, whose team in Bergen designed its optics.\n",
    )
    .unwrap();
    let shots = playwright::workspace()
        .join("target")
        .join("e2e-screenshots");
    let _ = std::fs::remove_dir_all(&shots);
    let run = playwright::run(
        &playwright::e2e_script("dashboard.mjs"),
        &[
            ("BASE_URL", app.url.clone()),
            ("SCREENSHOT_DIR", shots.to_string_lossy().into_owned()),
            ("FEED_URL", feed),
            ("UPLOAD_FILE", upload.to_string_lossy().into_owned()),
        ],
    )
    .await;
    let found = run.assert_ok();
    assert!(
        found["execution"]
            .as_str()
            .unwrap()
            .starts_with("/app/agents/executions/ex_"),
        "{found}"
    );
    for page in PAGES {
        for width in ["desktop", "360"] {
            let png = shots.join(format!("{page}-{width}.png"));
            let bytes = std::fs::read(&png).unwrap_or_else(|e| panic!("{}: {e}", png.display()));
            assert!(
                bytes.starts_with(b"\x89PNG"),
                "{} is not a PNG",
                png.display()
            );
        }
    }
    app.stop().await;
}

/// What the stand-in provider remembers between the authorize and token requests.
#[derive(Clone, Default)]
struct Provider {
    issuer: Arc<Mutex<String>>,
    /// code → (challenge, redirect_uri)
    codes: Arc<Mutex<HashMap<String, (String, String)>>>,
    exchanges: Arc<Mutex<u32>>,
}

async fn discovery(State(p): State<Provider>) -> axum::Json<Value> {
    let issuer = p.issuer.lock().unwrap().clone();
    axum::Json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/authorize"),
        "token_endpoint": format!("{issuer}/token"),
        "jwks_uri": format!("{issuer}/.well-known/jwks.json"),
    }))
}

async fn jwks() -> ([(header::HeaderName, &'static str); 1], String) {
    (
        [(header::CONTENT_TYPE, "application/json")],
        fixture("jwks.json"),
    )
}

/// Checks the PKCE verifier against the challenge the authorize step saw, as RFC 7636 says.
async fn token(
    State(p): State<Provider>,
    axum::Form(form): axum::Form<HashMap<String, String>>,
) -> Result<axum::Json<Value>, (axum::http::StatusCode, String)> {
    let refuse = |why: &str| Err((axum::http::StatusCode::BAD_REQUEST, why.to_owned()));
    *p.exchanges.lock().unwrap() += 1;
    let Some((challenge, redirect)) = p
        .codes
        .lock()
        .unwrap()
        .remove(form.get("code").map_or("", String::as_str))
    else {
        return refuse("invalid_grant");
    };
    let verifier = form.get("code_verifier").cloned().unwrap_or_default();
    if URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) != challenge {
        return refuse("the code verifier does not match the challenge");
    }
    if form.get("grant_type").map(String::as_str) != Some("authorization_code")
        || form.get("redirect_uri") != Some(&redirect)
        || form.get("client_id").map(String::as_str) != Some("dashboard")
    {
        return refuse("invalid_request");
    }
    let issuer = p.issuer.lock().unwrap().clone();
    let now = Utc::now().timestamp();
    let id_token = sign(
        "rsa-1",
        &json!({
            "iss": issuer, "aud": "dashboard", "sub": "oidc-user-7", "tenant": "initech",
            "roles": ["editor"], "iat": now, "exp": now + 3600,
        }),
    );
    Ok(axum::Json(
        json!({"id_token": id_token, "access_token": "opaque", "token_type": "Bearer", "expires_in": 3600}),
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oidc_sign_in_uses_the_code_flow_with_pkce_and_a_session_cookie() {
    let provider = Provider::default();
    let idp = Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/.well-known/jwks.json", get(jwks))
        .route("/token", post(token))
        .with_state(provider.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let issuer = format!("http://{}", listener.local_addr().unwrap());
    *provider.issuer.lock().unwrap() = issuer.clone();
    tokio::spawn(async move { axum::serve(listener, idp).await });

    let dir = tempfile::tempdir().unwrap();
    let listener_addr = "127.0.0.1:0".parse().unwrap();
    let settings = plasma_platform::Settings {
        gateway: GatewayConfig {
            issuers: vec![IssuerConfig::new(&issuer, &["dashboard"])],
            ..GatewayConfig::default()
        },
        ..plasma_platform::Settings::default()
    };
    // The callback URL is only known once the server listens: the provider checks the
    // redirect URI it was given against the one exchanged, whatever it is.
    let options = plasma::serve::Options {
        settings,
        oidc: Some(plasma_web::OidcSettings {
            issuer: issuer.clone(),
            client_id: "dashboard".into(),
            client_secret: None,
            redirect_url: "http://127.0.0.1/app/auth/callback".into(),
            scopes: "openid profile email".into(),
            egress: plasma_http::outbound::Egress {
                allow_private: true,
            },
        }),
        ..plasma::serve::Options::default()
    };
    let server = plasma::serve::Server::start_with(dir.path(), listener_addr, options)
        .await
        .unwrap();
    let http = no_redirects();
    let url = server.url();

    // The sign-in page offers the provider; following it goes there with a S256 challenge.
    let page = http
        .get(format!("{url}/app/signin"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("/app/auth/login"), "{page}");
    let login = http
        .get(format!("{url}/app/auth/login?next=/app/content"))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 303);
    let flow_cookie = login.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    assert!(
        login.headers()[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("HttpOnly")
    );
    let authorize = url::Url::parse(login.headers()[header::LOCATION].to_str().unwrap()).unwrap();
    assert_eq!(
        authorize.as_str().split('?').next().unwrap(),
        format!("{issuer}/authorize")
    );
    let q: HashMap<String, String> = authorize.query_pairs().into_owned().collect();
    assert_eq!(q["response_type"], "code");
    assert_eq!(q["client_id"], "dashboard");
    assert_eq!(q["code_challenge_method"], "S256");
    assert_eq!(q["code_challenge"].len(), 43, "a SHA-256 in base64url");

    // The person signs in at the provider, which sends the browser back with a code.
    provider.codes.lock().unwrap().insert(
        "code-1".into(),
        (q["code_challenge"].clone(), q["redirect_uri"].clone()),
    );
    let forged = http
        .get(format!(
            "{url}/app/auth/callback?code=code-1&state=not-the-state"
        ))
        .header(header::COOKIE, &flow_cookie)
        .send()
        .await
        .unwrap();
    assert!(
        forged.headers()[header::LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/app/signin?error=")
    );
    assert_eq!(
        *provider.exchanges.lock().unwrap(),
        0,
        "a wrong state never reaches the provider"
    );
    let back = http
        .get(format!(
            "{url}/app/auth/callback?code=code-1&state={}",
            q["state"]
        ))
        .header(header::COOKIE, &flow_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(back.status(), 303);
    assert_eq!(back.headers()[header::LOCATION], "/app/content");
    let session = back
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("plasma_session="))
        .expect("a session cookie");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax"),
        "{session}"
    );
    let cookie = session.split(';').next().unwrap().to_owned();

    // The session is the provider's person, to the API as much as to the pages.
    let page = http
        .get(format!("{url}/app/content"))
        .header(header::COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("oidc-user-7") && html.contains("initech"),
        "{html}"
    );
    assert!(
        html.contains("New drafts from a brief"),
        "an editor may draft"
    );
    assert!(
        !html.contains("href=\"/app/admin\""),
        "an editor has no admin section"
    );

    // A form without the session's CSRF token is refused; with it, it goes through.
    let refused = http
        .post(format!("{url}/app/content/profiles"))
        .header(header::COOKIE, &cookie)
        .form(&[("name", "Forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let csrf = csrf_token(&html);
    let made = http
        .post(format!("{url}/app/content/profiles"))
        .header(header::COOKIE, &cookie)
        .form(&[("_csrf", csrf.as_str()), ("name", "Initech voice")])
        .send()
        .await
        .unwrap();
    assert_eq!(made.status(), 303);
    assert!(
        made.headers()[header::LOCATION]
            .to_str()
            .unwrap()
            .contains("notice=")
    );

    // The code is single use.
    let replayed = http
        .get(format!(
            "{url}/app/auth/callback?code=code-1&state={}",
            q["state"]
        ))
        .header(header::COOKIE, &flow_cookie)
        .send()
        .await
        .unwrap();
    assert!(
        replayed.headers()[header::LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/app/signin?error=")
    );
    server.stop().await.unwrap();
}
