//! CORS from configuration: preflights answered on every route without credentials for an
//! allowed origin, nothing at all for any other origin, and no CORS unless configured.

use chrono::{Duration, Utc};
use plasma::serve::{Options, Server};
use plasma_gateway::DevKey;
use plasma_http::Cors;
use plasma_platform::Settings;
use reqwest::{Client, Method, Response};
use tempfile::TempDir;

const ALLOWED: &str = "https://app.example.com";

struct App {
    server: Server,
    http: Client,
    dir: TempDir,
}

impl App {
    async fn spawn(cors: Cors) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let options = Options {
            settings: Settings {
                cors,
                ..Settings::default()
            },
            ..Options::default()
        };
        let server = Server::start_with(dir.path(), "127.0.0.1:0".parse().unwrap(), options)
            .await
            .expect("runner starts");
        Self {
            server,
            http: {
                plasma_tests::install_crypto_provider();
                Client::new()
            },
            dir,
        }
    }

    fn token(&self) -> String {
        let key = DevKey::load_or_create(self.dir.path()).expect("dev key");
        key.issue("acme", "u", &["admin"], Duration::hours(1), Utc::now())
    }

    async fn preflight(&self, method: &Method, path: &str, origin: &str) -> Response {
        self.http
            .request(Method::OPTIONS, format!("{}{path}", self.server.url()))
            .header("origin", origin)
            .header("access-control-request-method", method.as_str())
            .header(
                "access-control-request-headers",
                "authorization,content-type",
            )
            .send()
            .await
            .expect("preflight")
    }
}

fn header<'a>(response: &'a Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

fn cors_headers(response: &Response) -> Vec<String> {
    response
        .headers()
        .keys()
        .map(|k| k.as_str().to_string())
        .filter(|k| k.starts_with("access-control-"))
        .collect()
}

#[tokio::test]
async fn an_allowed_origin_may_preflight_every_route_without_credentials() {
    let app = App::spawn(Cors::parse(&format!("{ALLOWED}, http://localhost:5173")).unwrap()).await;
    let (_, specs) = plasma_platform::api::api(app.server.platform());
    assert!(specs.len() > 1);
    for spec in &specs {
        let path = spec.path.replace("{id}", "some-id");
        let r = app.preflight(&spec.method, &path, ALLOWED).await;
        assert!(
            r.status().is_success(),
            "{} {path}: {}",
            spec.method,
            r.status()
        );
        assert_eq!(header(&r, "access-control-allow-origin"), ALLOWED, "{path}");
        let methods = header(&r, "access-control-allow-methods").to_ascii_uppercase();
        assert!(methods.contains(spec.method.as_str()), "{path}: {methods}");
        let headers = header(&r, "access-control-allow-headers");
        assert!(headers.contains("authorization"), "{path}: {headers}");
        assert!(!header(&r, "x-request-id").is_empty(), "{path}");
    }
    app.server.stop().await.unwrap();
}

#[tokio::test]
async fn a_refused_origin_gets_no_cors_headers() {
    let app = App::spawn(Cors::parse(ALLOWED).unwrap()).await;
    for origin in ["https://evil.example.com", "http://app.example.com"] {
        let r = app
            .preflight(&Method::POST, "/admin/api-keys", origin)
            .await;
        assert_eq!(cors_headers(&r), Vec::<String>::new(), "{origin}");
        let r = app
            .http
            .get(format!("{}/health", app.server.url()))
            .header("origin", origin)
            .send()
            .await
            .unwrap();
        assert_eq!(cors_headers(&r), Vec::<String>::new(), "{origin}");
    }
    app.server.stop().await.unwrap();
}

#[tokio::test]
async fn responses_expose_rate_limit_headers_and_keep_security_headers() {
    let app = App::spawn(Cors::AnyOrigin).await;
    let r = app
        .http
        .get(format!("{}/admin/api-keys", app.server.url()))
        .bearer_auth(app.token())
        .header("origin", ALLOWED)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "access-control-allow-origin"), "*");
    let exposed = header(&r, "access-control-expose-headers");
    for name in [
        "ratelimit-limit",
        "ratelimit-remaining",
        "ratelimit-reset",
        "retry-after",
        "x-request-id",
    ] {
        assert!(exposed.contains(name), "{name} not in {exposed}");
        assert!(
            r.headers().contains_key(name) || name == "retry-after",
            "{name}"
        );
    }
    assert_eq!(header(&r, "x-content-type-options"), "nosniff");
    assert_eq!(header(&r, "x-frame-options"), "DENY");
    app.server.stop().await.unwrap();
}

#[tokio::test]
async fn without_configuration_there_is_no_cors() {
    let app = App::spawn(Cors::Disabled).await;
    let r = app.preflight(&Method::GET, "/health", ALLOWED).await;
    assert_eq!(cors_headers(&r), Vec::<String>::new());
    assert_eq!(r.status(), 405, "OPTIONS is not a route of its own");
    app.server.stop().await.unwrap();
}
