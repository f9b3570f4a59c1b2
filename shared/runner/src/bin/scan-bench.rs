//! Scan throughput: one monitor with 50 RSS sources of 100 items each, scanned through the
//! embedded pipeline the way `plasma serve` runs it (HTTP API → jobs queue → worker →
//! connectors → query match → sentiment → deduplicating store). Prints the time from the
//! scan request until every source has reported, and the mentions stored.
//!
//! `cargo run --release -p plasma --bin scan-bench [-- SOURCES ITEMS]`
//!
//! Each source is served from its own loopback address (127.0.0.2, 127.0.0.3, ...), as 50 real
//! sources would be 50 hosts, so the connectors' per-host politeness keeps its default.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use chrono::{Duration, Utc};
use plasma::serve::Server;
use plasma_gateway::DevKey;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Instant;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sources = args.first().copied().unwrap_or(50);
    let items = args.get(1).copied().unwrap_or(100);

    let dir = std::env::temp_dir().join(format!("plasma-scan-bench-{}", std::process::id()));
    let server = Server::start(&dir, "127.0.0.1:0".parse()?).await?;
    let token = DevKey::load_or_create(&dir)?.issue(
        "bench",
        "bench",
        &["admin"],
        Duration::hours(1),
        Utc::now(),
    );
    plasma_http::outbound::install_crypto_provider();
    let http = reqwest::Client::new();

    let mut urls = Vec::new();
    for n in 0..sources {
        let host = format!("127.0.0.{}", n + 2);
        let listener = tokio::net::TcpListener::bind(format!("{host}:0")).await?;
        let port = listener.local_addr()?.port();
        let app = Router::new()
            .route("/feed/{n}", get(feed))
            .with_state(Arc::new(items));
        tokio::spawn(async move { axum::serve(listener, app).await });
        urls.push(format!("http://{host}:{port}/feed/{n}"));
    }
    let sources_json: Vec<Value> = urls
        .iter()
        .map(|u| json!({"kind": "rss", "url": u}))
        .collect();
    let body = json!({"name": "Acme", "names": ["Acme"], "sources": sources_json});
    let created: Value = http
        .post(format!("{}/brand/monitors", server.url()))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await?
        .json()
        .await?;
    let id = created["id"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("monitor not created: {created}"))?
        .to_string();

    let started = Instant::now();
    let scan: Value = http
        .post(format!("{}/brand/monitors/{id}/scan", server.url()))
        .bearer_auth(&token)
        .send()
        .await?
        .json()
        .await?;
    let scan_id = scan["scan_id"].as_str().unwrap_or_default().to_string();
    let run = loop {
        let runs: Value = http
            .get(format!("{}/brand/monitors/{id}/scans", server.url()))
            .bearer_auth(&token)
            .send()
            .await?
            .json()
            .await?;
        let run = runs["items"]
            .as_array()
            .and_then(|r| r.iter().find(|r| r["scan_id"] == scan_id.as_str()).cloned());
        if let Some(run) =
            run.filter(|r| r["outcomes"].as_array().is_some_and(|o| o.len() == sources))
        {
            break run;
        }
        anyhow::ensure!(
            started.elapsed().as_secs() < 120,
            "the scan did not finish within 120 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    let elapsed = started.elapsed();
    let outcomes = run["outcomes"].as_array().cloned().unwrap_or_default();
    let failed = outcomes.iter().filter(|o| o["status"] != "ok").count();
    let stored: u64 = outcomes.iter().filter_map(|o| o["new"].as_u64()).sum();

    println!("plasma scan benchmark (embedded pipeline, one process)");
    println!("sources: {sources} x {items} items, {failed} failed");
    println!("mentions stored: {stored}");
    println!(
        "scan time: {:.2} s ({:.0} items/s)",
        elapsed.as_secs_f64(),
        (sources * items) as f64 / elapsed.as_secs_f64()
    );
    server.stop().await?;
    let _ = std::fs::remove_dir_all(&dir);
    anyhow::ensure!(failed == 0, "{failed} sources failed");
    Ok(())
}

/// An RSS feed of `items` recent entries that all name the brand.
async fn feed(State(items): State<Arc<usize>>, Path(n): Path<usize>) -> impl IntoResponse {
    let now = Utc::now();
    let mut xml =
        String::from(r#"<?xml version="1.0"?><rss version="2.0"><channel><title>bench</title>"#);
    for i in 0..*items {
        let date = (now - Duration::minutes(i as i64)).to_rfc2822();
        let mood = [
            "love the new Acme phone, amazing!",
            "Acme support was terrible today.",
            "Acme opens a store downtown.",
        ][i % 3];
        xml.push_str(&format!(
            "<item><title>Feed {n} item {i}</title><link>https://news{n}.example/a/{i}</link><description>{mood} Story {n}-{i}.</description><pubDate>{date}</pubDate></item>"
        ));
    }
    xml.push_str("</channel></rss>");
    ([(header::CONTENT_TYPE, "application/rss+xml")], xml)
}
