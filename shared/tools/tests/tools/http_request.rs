use crate::support::{OPEN, STRICT, assert_fails, call, recorder, serve};
use axum::Router;
use axum::routing::get;
use plasma_tools::{HttpPolicy, HttpRequest, Tool};
use serde_json::json;
use std::time::{Duration, Instant};

fn tool(allow: &[&str], egress: plasma_http::outbound::Egress) -> HttpRequest {
    HttpRequest::new(HttpPolicy {
        allow_hosts: allow.iter().map(|s| s.to_string()).collect(),
        egress,
        timeout: Duration::from_secs(10),
        max_body_bytes: 256 * 1024,
    })
}

#[tokio::test]
async fn get_sends_the_query_and_parses_json() {
    let (base, seen) = recorder(200, json!({ "items": [1, 2], "next": null })).await;
    let out = tool(&["127.0.0.1"], OPEN)
        .call(call(json!({
            "url": format!("{base}/v1/items?fixed=1"),
            "query": { "page": 2, "q": "a b", "all": true },
            "headers": { "X-Trace": "t-1" },
        })))
        .await
        .unwrap();
    assert_eq!(out["status"], 200);
    assert_eq!(out["body"], json!({ "items": [1, 2], "next": null }));
    assert_eq!(out["truncated"], false);
    assert_eq!(out["headers"]["content-type"], "application/json");

    let requests = seen.all();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, "GET");
    assert_eq!(requests[0].uri, "/v1/items?fixed=1&all=true&page=2&q=a+b");
    assert_eq!(requests[0].header("x-trace"), Some("t-1"));
    assert_eq!(requests[0].header("idempotency-key"), None);
}

#[tokio::test]
async fn post_sends_json_with_the_steps_idempotency_key() {
    let (base, seen) = recorder(201, json!({ "id": "it-9" })).await;
    let http = tool(&["127.0.0.1"], OPEN);
    let input =
        json!({ "method": "post", "url": format!("{base}/v1/items"), "body": { "name": "x" } });
    let first = http.call(call(input.clone())).await.unwrap();
    assert_eq!(first["status"], 201);
    assert_eq!(first["body"]["id"], "it-9");
    // A retry of the same step must carry the same key.
    let mut retry = call(input);
    retry.attempt = 2;
    http.call(retry).await.unwrap();

    let requests = seen.all();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.method, "POST");
        assert_eq!(request.header("idempotency-key"), Some("exec-1:step-a"));
        assert_eq!(request.header("content-type"), Some("application/json"));
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&request.body).unwrap(),
            json!({ "name": "x" })
        );
    }
}

#[tokio::test]
async fn a_string_body_goes_as_text_and_text_answers_stay_text() {
    let app = Router::new().route(
        "/plain",
        axum::routing::put(|body: String| async move {
            (
                [
                    ("content-type", "text/plain"),
                    ("set-cookie", "session=secret"),
                ],
                format!("got {body}"),
            )
        }),
    );
    let base = serve(app).await;
    let out = tool(&["127.0.0.1"], OPEN)
        .call(call(
            json!({ "method": "PUT", "url": format!("{base}/plain"), "body": "hello" }),
        ))
        .await
        .unwrap();
    assert_eq!(out["body"], "got hello");
    assert_eq!(out["headers"]["content-type"], "text/plain");
    assert!(out["headers"].get("set-cookie").is_none(), "{out}");
}

#[tokio::test]
async fn large_bodies_are_cut_at_the_cap() {
    let app = Router::new().route("/big", get(|| async { "0123456789".repeat(100) }));
    let base = serve(app).await;
    let http = HttpRequest::new(HttpPolicy {
        allow_hosts: vec!["127.0.0.1".into()],
        egress: OPEN,
        timeout: Duration::from_secs(10),
        max_body_bytes: 25,
    });
    let out = http
        .call(call(json!({ "url": format!("{base}/big") })))
        .await
        .unwrap();
    assert_eq!(out["body"], "0123456789012345678901234");
    assert_eq!(out["truncated"], true);
}

#[tokio::test]
async fn non_2xx_fails_with_the_status_in_the_name() {
    let (base, _) = recorder(503, json!({ "error": "overloaded, try later" })).await;
    let failure = assert_fails(
        tool(&["127.0.0.1"], OPEN)
            .call(call(json!({ "url": format!("{base}/x") })))
            .await,
        "Http.Status.503",
    );
    assert!(failure.cause.contains("overloaded, try later"), "{failure}");

    let (base, _) = recorder(404, json!({})).await;
    assert_fails(
        tool(&["127.0.0.1"], OPEN)
            .call(call(
                json!({ "method": "DELETE", "url": format!("{base}/x") }),
            ))
            .await,
        "Http.Status.404",
    );
}

#[tokio::test]
async fn hosts_off_the_allowlist_are_refused_without_a_request() {
    let (base, seen) = recorder(200, json!({})).await;
    let url = format!("{base}/x");
    let failure = assert_fails(
        tool(&[], OPEN).call(call(json!({ "url": url }))).await,
        "Http.Forbidden",
    );
    assert!(
        failure.cause.contains("PLASMA_AGENT_HTTP_ALLOW"),
        "{failure}"
    );
    assert_fails(
        tool(&["api.example.com", "*.127.0.0.1"], OPEN)
            .call(call(json!({ "url": url })))
            .await,
        "Http.Forbidden",
    );
    assert!(seen.all().is_empty());
}

#[tokio::test]
async fn private_addresses_are_refused_without_private_egress() {
    let (base, seen) = recorder(200, json!({})).await;
    let http = tool(&["*"], STRICT);
    for url in [
        format!("{base}/x"),
        "http://169.254.169.254/latest/meta-data/".to_owned(),
        "http://localhost:9/".to_owned(),
        "http://[::1]:9/".to_owned(),
    ] {
        assert_fails(
            http.call(call(json!({ "url": url }))).await,
            "Http.Forbidden",
        );
    }
    assert!(seen.all().is_empty());
}

/// A name (not an IP literal, not `localhost`) that resolves privately passes the URL check
/// and is refused by the client's resolver; the machine's own hostname usually is one.
#[tokio::test]
async fn names_resolving_to_private_addresses_are_refused() {
    let host = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    let host = host.trim();
    let private = !host.is_empty()
        && host != "localhost"
        && tokio::net::lookup_host((host, 80))
            .await
            .is_ok_and(|addrs| {
                let addrs: Vec<_> = addrs.collect();
                !addrs.is_empty()
                    && addrs
                        .iter()
                        .all(|a| !plasma_http::outbound::is_public(a.ip()))
            });
    if !private {
        eprintln!("note: the hostname {host:?} does not resolve privately; skipping");
        return;
    }
    let (base, seen) = recorder(200, json!({})).await;
    let failure = assert_fails(
        tool(&["*"], STRICT)
            .call(call(json!({ "url": base.replace("127.0.0.1", host) })))
            .await,
        "Http.Forbidden",
    );
    assert!(failure.cause.contains(host), "{failure}");
    assert!(seen.all().is_empty());
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let app = Router::new().route(
        "/slow",
        get(|| async {
            tokio::time::sleep(Duration::from_secs(10)).await;
            "late"
        }),
    );
    let base = serve(app).await;
    let started = Instant::now();
    assert_fails(
        tool(&["127.0.0.1"], OPEN)
            .call(call(
                json!({ "url": format!("{base}/slow"), "timeout_seconds": 0.3 }),
            ))
            .await,
        "States.Timeout",
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_refused_connection_is_a_network_failure() {
    // Bind and drop: nothing listens on the port afterwards.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    assert_fails(
        tool(&["127.0.0.1"], OPEN)
            .call(call(json!({ "url": format!("http://127.0.0.1:{port}/") })))
            .await,
        "Http.Network",
    );
}

#[tokio::test]
async fn malformed_input_is_invalid() {
    let http = tool(&["*"], OPEN);
    for input in [
        json!({}),
        json!({ "url": "ftp://example.com/" }),
        json!({ "url": "https://example.com/", "method": "GE T" }),
        json!({ "url": "https://example.com/", "headers": { "host": "internal" } }),
        json!({ "url": "https://example.com/", "query": { "a": [1] } }),
        json!({ "url": "https://example.com/", "timeout_seconds": -1 }),
        json!({ "url": "https://example.com/", "uri": "typo" }),
    ] {
        assert_fails(http.call(call(input.clone())).await, "Tool.InvalidInput");
    }
}
