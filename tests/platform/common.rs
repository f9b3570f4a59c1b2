//! A real runner on a random loopback port over a fresh data directory, and a client for it.

use chrono::{Duration, Utc};
use plasma::serve::Server;
use plasma_gateway::DevKey;
use plasma_platform::Settings;
use reqwest::header::HeaderMap;
use reqwest::{Client, RequestBuilder, Response};
use serde_json::Value;
use std::future::Future;
use tempfile::TempDir;

pub struct TestApp {
    pub server: Server,
    pub url: String,
    pub http: Client,
    key: DevKey,
    _dir: TempDir,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(Settings::default()).await
    }

    /// A runner with deployment `settings` (identity providers, limits, webhook policy).
    pub async fn spawn_with(settings: Settings) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let server = Server::start_with(dir.path(), "127.0.0.1:0".parse().unwrap(), settings)
            .await
            .expect("runner starts");
        let key = DevKey::load_or_create(dir.path()).expect("dev key");
        Self {
            url: server.url(),
            server,
            http: {
                plasma_tests::install_crypto_provider();
                Client::new()
            },
            key,
            _dir: dir,
        }
    }

    /// A development token for `tenant` with `roles`, valid for an hour.
    pub fn token(&self, tenant: &str, roles: &[&str]) -> String {
        self.key.issue(
            tenant,
            &format!("user-{tenant}"),
            roles,
            Duration::hours(1),
            Utc::now(),
        )
    }

    /// A token for a named person, where who acts matters (approving one's own work).
    pub fn token_as(&self, tenant: &str, subject: &str, roles: &[&str]) -> String {
        self.key
            .issue(tenant, subject, roles, Duration::hours(1), Utc::now())
    }

    pub fn put(&self, path: &str) -> RequestBuilder {
        self.http.put(format!("{}{path}", self.url))
    }

    pub fn patch(&self, path: &str) -> RequestBuilder {
        self.http.patch(format!("{}{path}", self.url))
    }

    pub fn get(&self, path: &str) -> RequestBuilder {
        self.http.get(format!("{}{path}", self.url))
    }

    pub fn post(&self, path: &str) -> RequestBuilder {
        self.http.post(format!("{}{path}", self.url))
    }

    pub fn delete(&self, path: &str) -> RequestBuilder {
        self.http.delete(format!("{}{path}", self.url))
    }

    /// `GET path` as `token`: the status and JSON answer.
    pub async fn get_json(&self, path: &str, token: &str) -> (u16, Value) {
        send(self.get(path).bearer_auth(token)).await
    }

    /// `POST path` as `token` with a JSON `body`: the status and JSON answer.
    pub async fn post_json(&self, path: &str, token: &str, body: &Value) -> (u16, Value) {
        send(self.post(path).bearer_auth(token).json(body)).await
    }

    /// `PUT path` as `token` with a JSON `body`: the status and JSON answer.
    pub async fn put_json(&self, path: &str, token: &str, body: &Value) -> (u16, Value) {
        send(self.put(path).bearer_auth(token).json(body)).await
    }

    pub async fn stop(self) {
        self.server.stop().await.expect("runner stops cleanly");
    }
}

/// Send `request`: the status and JSON answer.
async fn send(request: RequestBuilder) -> (u16, Value) {
    json(request.send().await.expect("request")).await
}

/// The response's status and JSON body (Null for an empty body).
pub async fn json(response: Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    (status, body)
}

/// Poll `check` until it yields `Some`, for work the runner does in the background.
pub async fn eventually<T, F: Future<Output = Option<T>>>(
    what: &str,
    check: impl FnMut() -> F,
) -> T {
    eventually_within(what, 15, check).await
}

/// [`eventually`] with a deadline of `seconds` (work that waits for a lease to run out).
pub async fn eventually_within<T, F: Future<Output = Option<T>>>(
    what: &str,
    seconds: u64,
    mut check: impl FnMut() -> F,
) -> T {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(seconds);
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// A client that shows redirects instead of following them (sign-in flows, form posts).
pub fn no_redirects() -> Client {
    plasma_tests::install_crypto_provider();
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// The CSRF token a dashboard form carries.
pub fn csrf_token(html: &str) -> String {
    html.split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the form's CSRF token")
        .to_owned()
}

/// A response header's value as text, empty when absent.
pub fn header(headers: &HeaderMap, name: &str) -> String {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}
