//! Research quality and speed on the Cranfield collection, end to end through `plasma serve`
//! on embedded adapters: every document uploaded through the HTTP API, ingested by the
//! runner's ingest queue (extract, chunk, embed, index, graph), then the dev queries scored
//! per search mode (nDCG@10, MRR@10, Recall@100; see `../shared/data/README.md`), with
//! ingest throughput, query latency and peak memory.
//!
//! `cargo run --release -p plasma --bin research-bench [-- DATA_DIR]`
//! (DATA_DIR defaults to `../shared/data/cranfield`.)

use chrono::{Duration, Utc};
use futures::StreamExt;
use plasma::serve::Server;
use plasma_core::{SearchFilters, SearchMode};
use plasma_gateway::DevKey;
use plasma_search::eval::{Collection, Latency, score_timed};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

const UPLOADERS: usize = 8;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let data = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/data/cranfield"));
    let collection = Collection::load(&data)?;
    let dir = tempfile::tempdir()?;
    // The bench uploads as fast as the runner ingests: a plan well above the defaults.
    let settings = plasma_platform::Settings {
        rate_limits: plasma_gateway::rate_limit::RateLimits::parse(
            r#"{"default_plan": "bench", "plans": {"bench": {"tenant_per_minute": 1000000, "principal_per_minute": 1000000}}}"#,
        )?,
        ..Default::default()
    };
    let server = Server::start_with(dir.path(), "127.0.0.1:0".parse()?, settings).await?;
    let token = DevKey::load_or_create(dir.path())?.issue(
        "bench",
        "bench",
        &["admin"],
        Duration::hours(1),
        Utc::now(),
    );
    plasma_http::outbound::install_crypto_provider();
    let http = reqwest::Client::new();
    let url = server.url();

    // Ingest: every document through POST /research/documents, until all are indexed.
    let started = Instant::now();
    // One Cranfield record has neither title nor text: the API rightly refuses it.
    let uploadable = collection
        .documents
        .iter()
        .filter(|d| !(d.title.trim().is_empty() && d.text.trim().is_empty()));
    let accepted: Vec<(String, String)> = futures::stream::iter(uploadable)
        .map(|d| {
            let (http, url, token) = (http.clone(), url.clone(), token.clone());
            async move {
                // The title is the document's title field (indexed and embedded with every
                // chunk); the content is the abstract. A record without one is its title.
                let content = if d.text.trim().is_empty() {
                    &d.title
                } else {
                    &d.text
                };
                let body =
                    json!({"title": d.title, "content": content, "metadata": {"cranfield": d.id}});
                let response: Value = http
                    .post(format!("{url}/research/documents"))
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await?
                    .json()
                    .await?;
                let id = response["id"]
                    .as_str()
                    .ok_or_else(|| anyhow::anyhow!("upload refused: {response}"))?
                    .to_string();
                anyhow::Ok((id, d.id.clone()))
            }
        })
        .buffer_unordered(UPLOADERS)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<anyhow::Result<_>>()?;
    let uploaded = started.elapsed();
    let research = server.platform().research.clone();
    let (chunks, entities) = loop {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        // The queue first: listing every document on each poll would load the store the
        // runner is writing to and slow down what is being measured.
        let depth = research
            .queue
            .depth(plasma_platform::topology::INGEST)
            .await?;
        if depth.visible + depth.in_flight > 0 {
            continue;
        }
        let docs = research.documents.all("bench").await?;
        let settled = docs
            .iter()
            .filter(|d| {
                matches!(
                    d.status,
                    plasma_research::documents::Status::Indexed
                        | plasma_research::documents::Status::Failed
                )
            })
            .count();
        if settled == docs.len() && !docs.is_empty() {
            // Cranfield has records without text; they fail with a reason, as they should.
            for d in docs
                .iter()
                .filter(|d| d.status == plasma_research::documents::Status::Failed)
            {
                println!(
                    "not indexed: {:?}: {}",
                    d.title,
                    d.reason.as_deref().unwrap_or("?")
                );
            }
            break (
                docs.iter().map(|d| d.chunks as usize).sum::<usize>(),
                docs.iter().map(|d| d.entities as usize).sum::<usize>(),
            );
        }
    };
    let ingest = started.elapsed();
    let mut to_cranfield: HashMap<String, Vec<String>> = HashMap::new();
    for (doc, cranfield) in accepted {
        to_cranfield.entry(doc).or_default().push(cranfield);
    }
    let graph = research.graphs.graph("bench").await?;
    println!(
        "Cranfield: {} documents, {} dev queries",
        collection.documents.len(),
        collection.queries.len()
    );
    println!(
        "ingest (HTTP upload → queue → extract, chunk, embed, index, graph): {:.2} s ({:.2} s uploading), {:.0} documents/s, {:.0} chunks/s; {} chunks, {} entity mentions, graph of {} entities and {} relations",
        ingest.as_secs_f64(),
        uploaded.as_secs_f64(),
        collection.documents.len() as f64 / ingest.as_secs_f64(),
        chunks as f64 / ingest.as_secs_f64(),
        chunks,
        entities,
        graph.entities().len(),
        graph.relations().len(),
    );

    println!(
        "\n| mode | nDCG@10 | MRR@10 | Recall@100 | p50 ms | p95 ms | HTTP p50 ms | HTTP p95 ms |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for (name, mode) in [
        ("bm25", SearchMode::Bm25),
        ("vector", SearchMode::Vector),
        ("hybrid", SearchMode::Hybrid),
    ] {
        // In process: the research service's own retrieval (embedding the query included).
        let mut rankings = Vec::new();
        for q in &collection.queries {
            rankings.push(
                plasma_research::search::retrieve(
                    &research,
                    "bench",
                    &q.text,
                    mode,
                    100,
                    SearchFilters::default(),
                    None,
                )
                .await?,
            );
        }
        let mut it = rankings.into_iter();
        let (metrics, _) = score_timed(&collection, |_| {
            ranked(it.next().unwrap_or_default(), &to_cranfield)
        });
        let mut samples = Vec::new();
        for q in &collection.queries {
            let t = Instant::now();
            plasma_research::search::retrieve(
                &research,
                "bench",
                &q.text,
                mode,
                10,
                SearchFilters::default(),
                None,
            )
            .await?;
            samples.push(t.elapsed());
        }
        let local = Latency::of(samples);
        let mut samples = Vec::new();
        for q in &collection.queries {
            let t = Instant::now();
            let response = http
                .post(format!("{url}/research/search"))
                .bearer_auth(&token)
                .json(&json!({"query": q.text, "mode": name, "top_k": 10}))
                .send()
                .await?;
            anyhow::ensure!(
                response.status().is_success(),
                "search failed: {}",
                response.text().await?
            );
            response.bytes().await?;
            samples.push(t.elapsed());
        }
        let remote = Latency::of(samples);
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        println!(
            "| {name} | {:.3} | {:.3} | {:.3} | {:.2} | {:.2} | {:.2} | {:.2} |",
            metrics.ndcg10,
            metrics.mrr10,
            metrics.recall100,
            ms(local.p50),
            ms(local.p95),
            ms(remote.p50),
            ms(remote.p95)
        );
    }
    for mode in ["naive", "local"] {
        let mut samples = Vec::new();
        for q in collection.queries.iter().take(30) {
            let t = Instant::now();
            let response = http
                .post(format!("{url}/research/ask"))
                .bearer_auth(&token)
                .json(&json!({"question": q.text, "mode": mode}))
                .send()
                .await?;
            anyhow::ensure!(
                response.status().is_success(),
                "ask failed: {}",
                response.text().await?
            );
            response.bytes().await?;
            samples.push(t.elapsed());
        }
        let l = Latency::of(samples);
        println!(
            "ask {mode}: p50 {:.1} ms, p95 {:.1} ms (30 questions over HTTP)",
            l.p50.as_secs_f64() * 1000.0,
            l.p95.as_secs_f64() * 1000.0
        );
    }
    println!("peak memory (VmHWM): {}", peak_memory());
    server.stop().await?;
    Ok(())
}

/// Cranfield ids in rank order, each document once (a document's best chunk counts).
fn ranked(
    hits: Vec<plasma_core::SearchHit>,
    to_cranfield: &HashMap<String, Vec<String>>,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for hit in hits {
        for id in to_cranfield.get(&hit.document_id).into_iter().flatten() {
            if !out.contains(id) {
                out.push(id.clone());
            }
        }
    }
    out
}

fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}
