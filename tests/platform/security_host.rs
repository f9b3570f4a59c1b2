//! Issue 13, item 6: the local runner answers only its own names, so a web page that rebinds
//! its DNS name to 127.0.0.1 reaches nothing; and the development sign-in is off wherever
//! other machines may reach the runner, unless the operator allows it.

use crate::common::{TestApp, json, no_redirects};
use axum::http::header;
use plasma::serve::{Options, Server};
use reqwest::{Client, RequestBuilder};
use serde_json::json;

const ATTACKER: &str = "attacker.example";

/// The development sign-in form as a browser posts it (the double-submit CSRF pair
/// included), for an admin of tenant `acme`.
fn dev_signin(http: &Client, url: &str) -> RequestBuilder {
    http.post(format!("{url}/app/signin"))
        .header(header::COOKIE, "plasma_csrf=0123456789abcdef")
        .form(&[
            ("_csrf", "0123456789abcdef"),
            ("tenant", "acme"),
            ("subject", "mallory"),
            ("role", "admin"),
            ("next", "/app"),
        ])
}

fn signed_in(response: &reqwest::Response) -> bool {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|c| {
            c.to_str()
                .unwrap_or_default()
                .starts_with("plasma_session=ey")
        })
}

#[tokio::test]
async fn a_rebound_name_is_refused_on_every_route() {
    let app = TestApp::spawn().await;
    let http = no_redirects();
    let token = app.token("acme", &["admin"]);
    let port = app.server.addr().port();
    let url = &app.url;
    for host in [ATTACKER.to_owned(), format!("{ATTACKER}:{port}")] {
        let requests = [
            ("GET /health", http.get(format!("{url}/health"))),
            (
                "GET /brand/monitors",
                http.get(format!("{url}/brand/monitors"))
                    .bearer_auth(&token),
            ),
            (
                "POST /brand/monitors",
                http.post(format!("{url}/brand/monitors"))
                    .bearer_auth(&token)
                    .json(&json!({"name": "Rebound", "query": "x"})),
            ),
            ("GET /app/signin", http.get(format!("{url}/app/signin"))),
            ("POST /app/signin", dev_signin(&http, url)),
            (
                "POST /mcp",
                http.post(format!("{url}/mcp"))
                    .bearer_auth(&token)
                    .header(header::ACCEPT, "application/json, text/event-stream")
                    .json(&json!({"jsonrpc": "2.0", "id": 1, "method": "ping"})),
            ),
            ("PUT /_blobs", http.put(format!("{url}/_blobs/incoming/x"))),
        ];
        for (what, request) in requests {
            let response = request.header(header::HOST, &host).send().await.unwrap();
            assert!(!signed_in(&response), "{what} as {host} signed in");
            let (status, problem) = json(response).await;
            assert_eq!(status, 421, "{what} as {host}: {problem}");
            assert_eq!(problem["code"], "host_not_allowed", "{what}: {problem}");
        }
    }
    let (_, monitors) = app.get_json("/brand/monitors", &token).await;
    assert_eq!(
        monitors["items"],
        json!([]),
        "the rebound write did nothing"
    );

    // The runner's own names still work, on any port.
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
        "localhost".to_owned(),
    ] {
        let response = http
            .get(format!("{url}/health"))
            .header(header::HOST, &host)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{host}");
        let response = http
            .get(format!("{url}/brand/monitors"))
            .bearer_auth(&token)
            .header(header::HOST, &host)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{host}");
    }
    let response = dev_signin(&http, url)
        .header(header::HOST, format!("localhost:{port}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert!(signed_in(&response), "the local development sign-in works");
    app.stop().await;
}

#[tokio::test]
async fn the_development_sign_in_is_off_where_others_can_reach_the_runner() {
    let http = no_redirects();
    // A runner behind a reverse proxy: it listens on loopback, but answers to a public name.
    for allow_dev_signin in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let server = Server::start_with(
            dir.path(),
            "127.0.0.1:0".parse().unwrap(),
            Options {
                allowed_hosts: vec!["plasma.example.com".into()],
                allow_dev_signin,
                ..Options::default()
            },
        )
        .await
        .unwrap();
        let url = server.url();
        let page = http
            .get(format!("{url}/app/signin"))
            .header(header::HOST, "plasma.example.com")
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200, "the public name is this runner's");
        let offered = page.text().await.unwrap().contains("Development sign-in");
        assert_eq!(offered, allow_dev_signin);
        for host in ["plasma.example.com", "127.0.0.1"] {
            let response = dev_signin(&http, &url)
                .header(header::HOST, host)
                .send()
                .await
                .unwrap();
            assert_eq!(
                signed_in(&response),
                allow_dev_signin,
                "as {host}: {}",
                response.status()
            );
            let expected = if allow_dev_signin { 303 } else { 404 };
            assert_eq!(response.status(), expected, "as {host}");
        }
        assert_eq!(server.dev_signin(), allow_dev_signin);
        server.stop().await.unwrap();
    }
}
