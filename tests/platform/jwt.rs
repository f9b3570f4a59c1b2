//! Bearer tokens from configured identity providers: the attack suite, key rotation, several
//! issuers, Cognito/Auth0/Clerk-shaped tokens, and one token giving one principal both on the
//! local runner and behind API Gateway's JWT authorizer. Tokens are signed with the test-only
//! keys in tests/fixtures/jwt and their JWKS is served by a local server that counts fetches.

use crate::common::{TestApp, json};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chrono::{Duration, Utc};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use plasma_core::{Clock, ManualClock, UuidV7Ids};
use plasma_gateway::{GatewayConfig, Principal, Role};
use plasma_platform::Settings;
use plasma_platform::{EmbeddedRuntime, Platform};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tower::ServiceExt;

const AUDIENCE: &str = "plasma-api";

pub(crate) fn fixture(name: &str) -> String {
    let path = format!("{}/fixtures/jwt/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// jsonwebtoken is built without its PEM parser, so the fixtures' PEM goes in as DER.
fn der(pem: &str) -> Vec<u8> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    STANDARD.decode(body).expect("fixture PEM")
}

/// A token signed with fixture key `key` (`rsa-1`, `rsa-2`, `ec-1`), naming `kid` in its header.
fn sign_as(key: &str, kid: &str, alg: Algorithm, claims: &Value) -> String {
    let pem = fixture(&format!("{key}.pem"));
    let encoding = if key.starts_with("ec-") {
        EncodingKey::from_ec_der(&der(&pem))
    } else {
        EncodingKey::from_rsa_der(&der(&pem))
    };
    let mut header = Header::new(alg);
    header.kid = Some(kid.into());
    jsonwebtoken::encode(&header, claims, &encoding).expect("signing")
}

/// A token signed properly with fixture key `kid`.
pub(crate) fn sign(kid: &str, claims: &Value) -> String {
    let alg = if kid.starts_with("ec-") {
        Algorithm::ES256
    } else {
        Algorithm::RS256
    };
    sign_as(kid, kid, alg, claims)
}

fn b64(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

fn claims(issuer: &str, now: i64) -> Value {
    json!({
        "iss": issuer, "aud": AUDIENCE, "sub": "user-1", "tenant": "acme",
        "roles": ["admin"], "iat": now, "nbf": now, "exp": now + 3600,
    })
}

/// A JWKS endpoint serving the fixture keys named in `kids`, counting requests.
#[derive(Clone)]
struct Jwks {
    issuer: String,
    kids: Arc<Mutex<Vec<&'static str>>>,
    fetches: Arc<AtomicUsize>,
}

impl Jwks {
    async fn serve(kids: &[&'static str]) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let jwks = Jwks {
            issuer: format!("http://{}", listener.local_addr().unwrap()),
            kids: Arc::new(Mutex::new(kids.to_vec())),
            fetches: Arc::default(),
        };
        let app = axum::Router::new()
            .route("/.well-known/jwks.json", axum::routing::get(document))
            .with_state(jwks.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        jwks
    }

    fn rotate_to(&self, kids: &[&'static str]) {
        *self.kids.lock().unwrap() = kids.to_vec();
    }

    fn fetches(&self) -> usize {
        self.fetches.load(Ordering::SeqCst)
    }

    /// The JSON `PLASMA_JWT_ISSUERS` would hold for this issuer.
    fn issuer_json(&self, audience: &str) -> Value {
        json!({"issuer": self.issuer, "audiences": [audience]})
    }
}

async fn document(State(jwks): State<Jwks>) -> axum::Json<Value> {
    jwks.fetches.fetch_add(1, Ordering::SeqCst);
    let served = jwks.kids.lock().unwrap().clone();
    let all: Value = serde_json::from_str(&fixture("jwks.json")).unwrap();
    let keys: Vec<Value> = all["keys"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| served.iter().any(|kid| k["kid"] == *kid))
        .cloned()
        .collect();
    axum::Json(json!({ "keys": keys }))
}

/// The gateway configuration the given environment variables produce.
fn config(vars: &[(&str, String)]) -> GatewayConfig {
    GatewayConfig::from_lookup(|k| {
        vars.iter()
            .find(|(name, _)| *name == k)
            .map(|(_, v)| v.clone())
    })
    .expect("valid gateway configuration")
}

fn issuers(list: &[Value]) -> (&'static str, String) {
    ("PLASMA_JWT_ISSUERS", Value::from(list.to_vec()).to_string())
}

/// An embedded platform on a manual clock, as `plasma serve` builds it.
fn platform(dir: &tempfile::TempDir, clock: Arc<ManualClock>, gw: GatewayConfig) -> Platform {
    Platform::embedded(
        EmbeddedRuntime {
            data_dir: dir.path().to_owned(),
            public_url: "http://127.0.0.1:3000".into(),
            clock,
            ids: Arc::new(UuidV7Ids),
        },
        Settings {
            gateway: gw,
            ..Settings::default()
        },
    )
    .expect("settings apply")
}

/// What the runner's guard does with `Authorization: Bearer <token>`.
async fn local(platform: &Platform, token: &str) -> Result<Principal, (u16, &'static str)> {
    let mut headers = HeaderMap::new();
    let value = HeaderValue::from_str(&format!("Bearer {token}")).unwrap();
    headers.insert(header::AUTHORIZATION, value);
    platform
        .gateway
        .auth
        .authenticate(&headers, None)
        .await
        .map_err(|p| (p.status, p.code))
}

/// The API Gateway v2 event the HTTP API's JWT authorizer passes on for `token`: its claims
/// flattened to strings, arrays rendered `[a b]`.
fn authorized_event(token: &str, claims: &Value) -> String {
    let flat: serde_json::Map<String, Value> = claims
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            let text = match v {
                Value::String(s) => s.clone(),
                Value::Array(items) => {
                    let items: Vec<String> = items
                        .iter()
                        .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                        .collect();
                    format!("[{}]", items.join(" "))
                }
                other => other.to_string(),
            };
            (k.clone(), Value::String(text))
        })
        .collect();
    let path = format!(
        "{}/../events/api-authorized.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut event: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    event["headers"]["authorization"] = format!("Bearer {token}").into();
    event["requestContext"]["authorizer"]["jwt"]["claims"] = Value::Object(flat);
    event.to_string()
}

/// What the api function's handler does with that event, up to the principal.
async fn deployed(platform: &Platform, event: &str) -> Principal {
    let request = lambda_http::request::from_str(event).expect("a valid API Gateway event");
    let claims = api::authorizer_claims(&request).expect("authorizer claims");
    platform
        .gateway
        .auth
        .authenticate(request.headers(), Some(&claims))
        .await
        .expect("the authorizer's claims map to a principal")
}

fn principal(tenant: &str, subject: &str, roles: Vec<Role>, scopes: &[&str]) -> Principal {
    Principal {
        tenant: tenant.into(),
        subject: subject.into(),
        roles,
        scopes: scopes.iter().map(|s| s.parse().unwrap()).collect(),
    }
}

#[tokio::test]
async fn attacks_on_issuer_tokens_are_refused_with_401() {
    let jwks = Jwks::serve(&["rsa-1", "ec-1"]).await;
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(Utc::now()));
    let p = platform(
        &dir,
        clock.clone(),
        config(&[issuers(&[jwks.issuer_json(AUDIENCE)])]),
    );
    let now = clock.now().timestamp();
    let good = claims(&jwks.issuer, now);
    let with = |change: &dyn Fn(&mut serde_json::Map<String, Value>)| {
        let mut c = good.clone();
        change(c.as_object_mut().unwrap());
        c
    };

    let expected = principal("acme", "user-1", vec![Role::Admin], &[]);
    assert_eq!(local(&p, &sign("rsa-1", &good)).await, Ok(expected.clone()));
    assert_eq!(local(&p, &sign("ec-1", &good)).await, Ok(expected));

    let valid = sign("rsa-1", &good);
    let (head, rest) = valid.split_once('.').unwrap();
    let signature = rest.split_once('.').unwrap().1;
    let tampered = format!(
        "{head}.{}.{signature}",
        b64(&with(&|c| {
            c.insert("tenant".into(), "globex".into());
        }))
    );
    let confusion = jsonwebtoken::encode(
        &Header {
            kid: Some("rsa-1".into()),
            ..Header::new(Algorithm::HS256)
        },
        &good,
        &EncodingKey::from_secret(fixture("rsa-1.pub.pem").as_bytes()),
    )
    .unwrap();
    // A key carried in the token's own header must never be used to verify it.
    let header_key = {
        let all: Value = serde_json::from_str(&fixture("jwks.json")).unwrap();
        let mut h = Header::new(Algorithm::RS256);
        h.kid = Some("attacker".into());
        h.jwk = Some(serde_json::from_value(all["keys"][1].clone()).unwrap()); // rsa-2's
        let key = EncodingKey::from_rsa_der(&der(&fixture("rsa-2.pem")));
        jsonwebtoken::encode(&h, &good, &key).unwrap()
    };
    let mut cases: Vec<(&str, String)> = vec![
        (
            "alg none",
            format!("{}.{}.", b64(&json!({"alg": "none"})), b64(&good)),
        ),
        (
            "alg none naming a real kid",
            format!(
                "{}.{}.",
                b64(&json!({"alg": "none", "kid": "rsa-1"})),
                b64(&good)
            ),
        ),
        ("HS256 keyed with the RSA public key", confusion.clone()),
        ("tampered payload", tampered),
        (
            "signed by another key under a known kid",
            sign_as("rsa-2", "rsa-1", Algorithm::RS256, &good),
        ),
        ("unknown kid", sign("rsa-2", &good)),
        ("key supplied in the header", header_key),
        (
            "ES256 under an RSA kid",
            sign_as("ec-1", "rsa-1", Algorithm::ES256, &good),
        ),
        (
            "RS256 under an EC kid",
            sign_as("rsa-1", "ec-1", Algorithm::RS256, &good),
        ),
        ("RS384", sign_as("rsa-1", "rsa-1", Algorithm::RS384, &good)),
        (
            "untrusted issuer",
            sign(
                "rsa-1",
                &with(&|c| {
                    c.insert("iss".into(), "https://evil.example".into());
                }),
            ),
        ),
        (
            "other audience",
            sign(
                "rsa-1",
                &with(&|c| {
                    c.insert("aud".into(), "another-app".into());
                }),
            ),
        ),
        (
            "expired",
            sign(
                "rsa-1",
                &with(&|c| {
                    c.insert("exp".into(), (now - 31).into());
                }),
            ),
        ),
        (
            "not yet valid",
            sign(
                "rsa-1",
                &with(&|c| {
                    c.insert("nbf".into(), (now + 120).into());
                }),
            ),
        ),
        (
            "exp not a number",
            sign(
                "rsa-1",
                &with(&|c| {
                    c.insert("exp".into(), "tomorrow".into());
                }),
            ),
        ),
        ("not a JWT", "not.a.jwt".into()),
        ("empty", String::new()),
    ];
    for missing in ["exp", "iss", "aud", "sub", "tenant"] {
        let token = sign(
            "rsa-1",
            &with(&|c| {
                c.remove(missing);
            }),
        );
        cases.push((missing, token));
    }
    for (name, token) in cases {
        assert_eq!(
            local(&p, &token).await,
            Err((401, "unauthorized")),
            "{name} must be refused"
        );
    }
    assert_eq!(
        jwks.fetches(),
        1,
        "unknown kids within the minute do not refetch"
    );

    // Deployed there is no development key, so no HS256 token is accepted at all.
    let mut ports = p.ports.clone();
    ports.dev_key = None;
    let without_dev_key = Platform::compose(
        ports,
        Settings {
            gateway: config(&[issuers(&[jwks.issuer_json(AUDIENCE)])]),
            ..Settings::default()
        },
    )
    .unwrap();
    assert_eq!(
        local(&without_dev_key, &confusion).await,
        Err((401, "unauthorized"))
    );
}

#[tokio::test]
async fn rotated_keys_are_fetched_once_and_bursts_of_unknown_kids_refetch_once_a_minute() {
    let jwks = Jwks::serve(&["rsa-1"]).await;
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(Utc::now()));
    let p = platform(
        &dir,
        clock.clone(),
        config(&[issuers(&[jwks.issuer_json(AUDIENCE)])]),
    );
    let good = claims(&jwks.issuer, clock.now().timestamp());
    assert!(local(&p, &sign("rsa-1", &good)).await.is_ok());
    assert!(local(&p, &sign("rsa-1", &good)).await.is_ok());
    assert_eq!(jwks.fetches(), 1, "keys are cached");

    // The provider rotates: the new kid is fetched once, then served from the cache.
    jwks.rotate_to(&["rsa-1", "rsa-2"]);
    clock.advance(Duration::seconds(61));
    assert!(local(&p, &sign("rsa-2", &good)).await.is_ok());
    assert!(local(&p, &sign("rsa-2", &good)).await.is_ok());
    assert_eq!(jwks.fetches(), 2);

    // A burst of made-up kids, concurrently: one fetch, then none until a minute has passed.
    clock.advance(Duration::seconds(61));
    let mut burst = tokio::task::JoinSet::new();
    for i in 0..20 {
        let (p, token) = (
            p.clone(),
            sign_as("rsa-2", &format!("ghost-{i}"), Algorithm::RS256, &good),
        );
        burst.spawn(async move { local(&p, &token).await });
    }
    while let Some(result) = burst.join_next().await {
        assert_eq!(result.unwrap(), Err((401, "unauthorized")));
    }
    assert_eq!(jwks.fetches(), 3);
    clock.advance(Duration::seconds(30));
    let ghost = sign_as("rsa-2", "ghost", Algorithm::RS256, &good);
    assert!(local(&p, &ghost).await.is_err());
    assert_eq!(jwks.fetches(), 3);

    // The old key is withdrawn: after the next refetch its tokens no longer verify.
    jwks.rotate_to(&["rsa-2"]);
    clock.advance(Duration::seconds(31));
    assert!(local(&p, &ghost).await.is_err());
    assert_eq!(jwks.fetches(), 4);
    assert_eq!(
        local(&p, &sign("rsa-1", &good)).await,
        Err((401, "unauthorized"))
    );
    assert!(local(&p, &sign("rsa-2", &good)).await.is_ok());
}

#[tokio::test]
async fn each_issuer_has_its_own_keys_and_audiences() {
    let (a, b) = (Jwks::serve(&["rsa-1"]).await, Jwks::serve(&["ec-1"]).await);
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(Utc::now()));
    let gw = config(&[issuers(&[a.issuer_json("app-a"), b.issuer_json("app-b")])]);
    let p = platform(&dir, clock.clone(), gw);
    let now = clock.now().timestamp();
    let token = |issuer: &Jwks, aud: &str, kid: &str| {
        let mut c = claims(&issuer.issuer, now);
        c["aud"] = aud.into();
        sign(kid, &c)
    };
    assert!(local(&p, &token(&a, "app-a", "rsa-1")).await.is_ok());
    assert!(local(&p, &token(&b, "app-b", "ec-1")).await.is_ok());
    for (name, forged) in [
        ("A's key for B", token(&b, "app-b", "rsa-1")),
        ("B's audience at A", token(&a, "app-b", "rsa-1")),
        ("A's audience at B", token(&b, "app-a", "ec-1")),
    ] {
        assert_eq!(
            local(&p, &forged).await,
            Err((401, "unauthorized")),
            "{name}"
        );
    }
    assert_eq!((a.fetches(), b.fetches()), (1, 1));
}

/// Realistic token shapes, each under the claim mapping its deployment would configure,
/// and what they must map to, locally and through API Gateway's authorizer alike.
#[tokio::test]
async fn cognito_auth0_and_clerk_tokens_map_to_the_right_principal_on_both_paths() {
    let jwks = Jwks::serve(&["rsa-1", "ec-1"]).await;
    let keys = format!("{}/.well-known/jwks.json", jwks.issuer);
    let now = Utc::now().timestamp();
    let cognito_iss = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab12Cd34E";
    let cases = [
        (
            "Cognito access token",
            json!({"issuer": cognito_iss, "audiences": ["6f1n0v9q2c3t4k5s6l7m8r9p0a"], "jwks_url": keys}),
            vec![
                ("PLASMA_TENANT_CLAIM", "custom:tenant"),
                ("PLASMA_ROLES_CLAIM", "cognito:groups"),
            ],
            "rsa-1",
            json!({
                "sub": "3c5d8f2e-7b1a-4e6f-9a0b-1c2d3e4f5a6b", "iss": cognito_iss,
                "client_id": "6f1n0v9q2c3t4k5s6l7m8r9p0a", "token_use": "access",
                "cognito:groups": ["editor", "eu-west-1_Ab12Cd34E_Google"],
                "custom:tenant": "acme", "scope": "brand:read aws.cognito.signin.user.admin",
                "username": "jane", "auth_time": now, "iat": now, "exp": now + 3600,
            }),
            principal(
                "acme",
                "3c5d8f2e-7b1a-4e6f-9a0b-1c2d3e4f5a6b",
                vec![Role::Editor],
                &["brand:read"],
            ),
        ),
        (
            "Auth0 access token",
            json!({"issuer": "https://plasma.eu.auth0.com/", "audiences": ["https://api.plasma.dev"], "jwks_url": keys}),
            vec![
                ("PLASMA_TENANT_CLAIM", "https://plasma.dev/tenant"),
                ("PLASMA_ROLES_CLAIM", "https://plasma.dev/roles"),
            ],
            "rsa-1",
            json!({
                "iss": "https://plasma.eu.auth0.com/", "sub": "auth0|64f1c2",
                "aud": ["https://api.plasma.dev", "https://plasma.eu.auth0.com/userinfo"],
                "azp": "kQ9s", "scope": "openid profile content:read",
                "https://plasma.dev/tenant": "globex",
                "https://plasma.dev/roles": ["analyst", "viewer", "Owner"],
                "iat": now, "exp": now + 3600,
            }),
            principal(
                "globex",
                "auth0|64f1c2",
                vec![Role::Analyst, Role::Viewer],
                &["content:read"],
            ),
        ),
        (
            "Clerk session token (JWT template with aud)",
            json!({"issuer": "https://clerk.plasma.dev", "audiences": [AUDIENCE], "jwks_url": keys}),
            vec![
                ("PLASMA_TENANT_CLAIM", "org_id"),
                ("PLASMA_ROLES_CLAIM", "org_role"),
            ],
            "ec-1",
            json!({
                "iss": "https://clerk.plasma.dev", "sub": "user_2NNEqL2nrIRdJ194ndJqAHwEfxC",
                "aud": AUDIENCE, "azp": "https://app.plasma.dev", "sid": "sess_2abc",
                "org_id": "org_2Zp9", "org_role": "org:admin", "org_slug": "initech",
                "iat": now, "nbf": now - 10, "exp": now + 60,
            }),
            principal(
                "org_2Zp9",
                "user_2NNEqL2nrIRdJ194ndJqAHwEfxC",
                vec![Role::Admin],
                &[],
            ),
        ),
    ];
    for (name, issuer, mapping, kid, token_claims, expected) in cases {
        let mut vars: Vec<(&str, String)> =
            mapping.iter().map(|(k, v)| (*k, v.to_string())).collect();
        vars.push(issuers(&[issuer]));
        let dir = tempfile::tempdir().unwrap();
        let p = platform(&dir, Arc::new(ManualClock::new(Utc::now())), config(&vars));
        let token = sign(kid, &token_claims);
        assert_eq!(
            local(&p, &token).await,
            Ok(expected.clone()),
            "{name}, locally"
        );
        let event = authorized_event(&token, &token_claims);
        assert_eq!(deployed(&p, &event).await, expected, "{name}, deployed");
    }
}

/// One token, two runtimes: verified locally as `plasma serve` does, and handed over by API
/// Gateway's JWT authorizer to the api function. Same principal, and the api router (which
/// the runner mounts as is) lets it through to an admin route on both paths.
#[tokio::test]
async fn one_token_gives_one_principal_on_the_runner_and_on_lambda() {
    let jwks = Jwks::serve(&["rsa-1"]).await;
    let dir = tempfile::tempdir().unwrap();
    let p = platform(
        &dir,
        Arc::new(ManualClock::new(Utc::now())),
        config(&[issuers(&[jwks.issuer_json(AUDIENCE)])]),
    );
    let mut token_claims = claims(&jwks.issuer, Utc::now().timestamp());
    token_claims["roles"] = json!(["admin", "analyst", "superuser"]);
    token_claims["scope"] = "openid admin:* brand:read".into();
    let token = sign("rsa-1", &token_claims);
    let event = authorized_event(&token, &token_claims);

    let on_runner = local(&p, &token).await.expect("verified locally");
    let on_lambda = deployed(&p, &event).await;
    assert_eq!(on_runner, on_lambda);
    assert_eq!(
        on_runner,
        principal(
            "acme",
            "user-1",
            vec![Role::Admin, Role::Analyst],
            &["admin:*", "brand:read"]
        )
    );

    let lambda = lambda_http::request::from_str(&event).unwrap();
    let response = api::app(&p).oneshot(lambda).await.unwrap();
    assert_eq!(response.status(), 200, "the api function lets it through");
    let runner = axum::http::Request::get("/admin/audit")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let response = api::app(&p).oneshot(runner).await.unwrap();
    assert_eq!(response.status(), 200, "the bearer path lets it through");
}

#[tokio::test]
async fn the_runner_accepts_a_configured_issuers_token_and_refuses_a_forgery() {
    let jwks = Jwks::serve(&["rsa-1"]).await;
    let app = TestApp::spawn_with(Settings {
        gateway: config(&[issuers(&[jwks.issuer_json(AUDIENCE)])]),
        ..Settings::default()
    })
    .await;
    let good = claims(&jwks.issuer, Utc::now().timestamp());

    let (status, body) = json(
        app.get("/admin/audit")
            .bearer_auth(sign("rsa-1", &good))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["items"].is_array(), "{body}");

    let forged = sign_as("rsa-2", "rsa-1", Algorithm::RS256, &good);
    let (status, body) = json(
        app.get("/admin/audit")
            .bearer_auth(forged)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["code"], "unauthorized");

    // Development tokens keep working next to the configured issuer.
    let dev = app.token("acme", &["admin"]);
    let (status, body) = json(
        app.get("/admin/audit")
            .bearer_auth(dev)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    app.stop().await;
}
