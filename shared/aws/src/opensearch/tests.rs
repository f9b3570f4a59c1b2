//! The adapter against a local stand-in for an OpenSearch endpoint, which records each signed
//! request and answers with the response shapes in the OpenSearch API reference.

use super::*;
use aws_sdk_bedrockruntime::config::{Credentials, Region, SharedCredentialsProvider};
use axum::Router;
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use chrono::{TimeZone, Utc};
use plasma_core::{Fusion, SearchFilters};
use serde_json::json;
use std::sync::Arc;

/// One request as the stand-in saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    query: String,
    headers: HeaderMap,
    body: String,
}

impl Seen {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }
}

/// The stand-in's answer to a request: status and JSON body.
type Reply = fn(&Seen) -> (u16, Value);

type Log = Arc<std::sync::Mutex<Vec<Seen>>>;

async fn stand_in(reply: Reply) -> (String, Log) {
    let log = Log::default();
    let app = Router::new()
        .fallback(move |State(log): State<Log>, request: Request| async move {
            let (parts, body) = request.into_parts();
            let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
            let seen = Seen {
                method: parts.method.to_string(),
                path: parts.uri.path().to_string(),
                query: parts.uri.query().unwrap_or_default().to_string(),
                headers: parts.headers,
                body: String::from_utf8(body.to_vec()).unwrap(),
            };
            let (status, body) = reply(&seen);
            log.lock().unwrap().push(seen);
            let status = axum::http::StatusCode::from_u16(status).unwrap();
            (
                status,
                [("content-type", "application/json")],
                body.to_string(),
            )
                .into_response()
        })
        .with_state(log.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, log)
}

fn sdk() -> SdkConfig {
    SdkConfig::builder()
        .region(Region::new("us-east-1"))
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "AKIDTEST", "secret", None, None, "test",
        )))
        .build()
}

async fn serverless(reply: Reply) -> (OpenSearchIndex, Log) {
    let (url, log) = stand_in(reply).await;
    let index = OpenSearchIndex::new(&sdk(), OpenSearchConfig::serverless(url, "chunks")).unwrap();
    (index, log)
}

async fn domain(reply: Reply) -> (OpenSearchIndex, Log) {
    let (url, log) = stand_in(reply).await;
    let index = OpenSearchIndex::new(&sdk(), OpenSearchConfig::domain(url, "chunks")).unwrap();
    (index, log)
}

fn titan() -> EmbeddingModel {
    EmbeddingModel {
        model: "amazon.titan-embed-text-v2:0".into(),
        dimension: 256,
    }
}

fn missing_index() -> (u16, Value) {
    (
        404,
        json!({
            "error": {
                "root_cause": [{"type": "index_not_found_exception", "reason": "no such index [chunks]"}],
                "type": "index_not_found_exception",
                "reason": "no such index [chunks]",
                "index": "chunks"
            },
            "status": 404
        }),
    )
}

fn assert_signed(seen: &Seen, service: &str) {
    let authorization = seen.headers["authorization"].to_str().unwrap();
    assert!(
        authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDTEST/")
            && authorization.contains(&format!("/us-east-1/{service}/aws4_request"))
            && authorization.contains("x-amz-content-sha256"),
        "{authorization}"
    );
    let digest = seen.headers["x-amz-content-sha256"].to_str().unwrap();
    assert!(
        digest.len() == 64 && digest.bytes().all(|b| b.is_ascii_hexdigit()),
        "{digest}"
    );
}

fn chunk(tenant: &str, id: &str) -> IndexedChunk {
    IndexedChunk {
        tenant: tenant.into(),
        document_id: "doc-1".into(),
        chunk_id: id.into(),
        title: "Rust ownership".into(),
        text: format!("Text of {id}"),
        heading: Some("Borrowing".into()),
        page: Some(3),
        tags: vec!["rust".into()],
        date: Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap(),
        vector: vec![0.6, 0.8],
    }
}

fn request(mode: SearchMode) -> SearchRequest {
    SearchRequest {
        tenant: "acme".into(),
        text: "ownership rules".into(),
        vector: Some(vec![0.6, 0.8]),
        mode,
        top_k: 5,
        filters: SearchFilters {
            document_ids: vec!["doc-1".into()],
            tags: vec!["rust".into()],
            from: Some(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()),
            to: Some(Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap()),
        },
        fusion: Fusion::default(),
    }
}

/// A `_search` response with chunks `c1` (score 2.5) and `c2` (score 0.5).
fn two_hits() -> Value {
    json!({
        "took": 4, "timed_out": false,
        "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
        "hits": {
            "total": {"value": 2, "relation": "eq"},
            "max_score": 2.5,
            "hits": [
                {"_index": "chunks", "_id": "acme:c1", "_score": 2.5, "_source": {
                    "tenant": "acme", "document_id": "doc-1", "chunk_id": "c1",
                    "title": "Rust ownership", "text": "Each value has one owner.",
                    "heading": "Ownership", "page": 2, "tags": ["rust"], "date": "2026-11-01T12:00:00.000Z"}},
                {"_index": "chunks", "_id": "acme:c2", "_score": 0.5, "_source": {
                    "tenant": "acme", "document_id": "doc-1", "chunk_id": "c2",
                    "title": "Rust ownership", "text": "References borrow.",
                    "heading": null, "page": null, "tags": ["rust"], "date": "2026-11-01T12:00:00.000Z"}}
            ]
        }
    })
}

/// The request's filters as the adapter must send them, tenant first.
fn expected_filters() -> Value {
    json!([
        {"term": {"tenant": "acme"}},
        {"terms": {"document_id": ["doc-1"]}},
        {"terms": {"tags": ["rust"]}},
        {"range": {"date": {"gte": "2026-01-01T00:00:00.000Z", "lt": "2027-01-01T00:00:00.000Z"}}}
    ])
}

#[tokio::test]
async fn ensure_model_creates_the_knn_index_with_the_model_in_its_mapping() {
    let (index, log) = serverless(|seen| match seen.method.as_str() {
        "GET" => missing_index(),
        _ => (
            200,
            json!({"acknowledged": true, "shards_acknowledged": true, "index": "chunks"}),
        ),
    })
    .await;
    assert_eq!(index.model().await.unwrap(), None);
    index.ensure_model(&titan()).await.unwrap();
    assert_eq!(index.model().await.unwrap(), Some(titan()));
    let other = EmbeddingModel {
        model: "hashed".into(),
        dimension: 256,
    };
    assert!(matches!(
        index.ensure_model(&other).await,
        Err(PortError::Conflict(_))
    ));

    let log = log.lock().unwrap();
    // The recorded model is remembered: one mapping read, one create, nothing after.
    assert_eq!(log.len(), 3, "{log:?}");
    assert_eq!(
        (log[1].method.as_str(), log[1].path.as_str()),
        ("GET", "/chunks/_mapping")
    );
    let create = &log[2];
    assert_eq!(
        (create.method.as_str(), create.path.as_str()),
        ("PUT", "/chunks")
    );
    assert_signed(create, "aoss");
    let body = create.json();
    assert_eq!(body["settings"]["index"]["knn"], true);
    let mappings = &body["mappings"];
    assert_eq!(
        mappings["_meta"],
        json!({"model": "amazon.titan-embed-text-v2:0", "dimension": 256})
    );
    assert_eq!(
        mappings["properties"]["vector"],
        json!({"type": "knn_vector", "dimension": 256,
               "method": {"name": "hnsw", "engine": "faiss", "space_type": "innerproduct"}})
    );
    for (field, kind) in [
        ("tenant", "keyword"),
        ("document_id", "keyword"),
        ("chunk_id", "keyword"),
        ("tags", "keyword"),
        ("heading", "text"),
        ("page", "integer"),
        ("date", "date"),
    ] {
        assert_eq!(mappings["properties"][field]["type"], kind, "{field}");
    }
    for field in ["title", "text"] {
        assert_eq!(
            mappings["properties"][field],
            json!({"type": "text", "analyzer": "english"})
        );
    }
}

#[tokio::test]
async fn another_model_already_recorded_is_a_conflict() {
    let (index, _) = serverless(|_| {
        (
            200,
            json!({"chunks": {"mappings": {
                "_meta": {"model": "text-embedding-3-small", "dimension": 1536},
                "properties": {"vector": {"type": "knn_vector", "dimension": 1536}}
            }}}),
        )
    })
    .await;
    match index.ensure_model(&titan()).await {
        Err(PortError::Conflict(message)) => {
            assert!(message.contains("text-embedding-3-small"), "{message}")
        }
        other => panic!("expected Conflict, got {other:?}"),
    }
    assert_eq!(
        index.model().await.unwrap(),
        Some(EmbeddingModel {
            model: "text-embedding-3-small".into(),
            dimension: 1536
        })
    );
}

#[tokio::test]
async fn upsert_sends_newline_terminated_ndjson_with_tenant_scoped_ids() {
    let (index, log) = serverless(|_| {
        (
            200,
            json!({"took": 12, "errors": false, "items": [
                {"index": {"_index": "chunks", "_id": "acme:c1", "result": "created", "status": 201}},
                {"index": {"_index": "chunks", "_id": "acme:c2", "result": "updated", "status": 200}}
            ]}),
        )
    })
    .await;
    index
        .upsert(vec![chunk("acme", "c1"), chunk("acme", "c2")])
        .await
        .unwrap();

    let log = log.lock().unwrap();
    let bulk = &log[0];
    assert_eq!(
        (bulk.method.as_str(), bulk.path.as_str()),
        ("POST", "/chunks/_bulk")
    );
    assert_eq!(bulk.query, "", "Serverless takes no refresh parameter");
    assert_eq!(bulk.headers["content-type"], "application/x-ndjson");
    assert_signed(bulk, "aoss");
    assert!(bulk.body.ends_with('\n'));
    let lines: Vec<Value> = bulk
        .body
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0], json!({"index": {"_id": "acme:c1"}}));
    assert_eq!(lines[2], json!({"index": {"_id": "acme:c2"}}));
    assert_eq!(
        lines[1],
        json!({
            "tenant": "acme", "document_id": "doc-1", "chunk_id": "c1",
            "title": "Rust ownership", "text": "Text of c1", "heading": "Borrowing", "page": 3,
            "tags": ["rust"], "date": "2026-11-01T12:00:00.000Z", "vector": [0.6, 0.8]
        })
    );
}

#[tokio::test]
async fn domains_sign_as_es_and_wait_for_the_refresh() {
    let (index, log) = domain(|_| (200, json!({"took": 3, "errors": false, "items": []}))).await;
    index.upsert(vec![chunk("acme", "c1")]).await.unwrap();
    let log = log.lock().unwrap();
    assert_eq!(log[0].query, "refresh=wait_for");
    assert_signed(&log[0], "es");
}

#[tokio::test]
async fn failed_bulk_items_surface_as_errors() {
    let (index, _) = serverless(|_| {
        (
            200,
            json!({"took": 5, "errors": true, "items": [
                {"index": {"_index": "chunks", "_id": "acme:c1", "result": "created", "status": 201}},
                {"index": {"_index": "chunks", "_id": "acme:c2", "status": 400, "error": {
                    "type": "mapper_parsing_exception",
                    "reason": "failed to parse field [vector] of type [knn_vector]"}}}
            ]}),
        )
    })
    .await;
    match index
        .upsert(vec![chunk("acme", "c1"), chunk("acme", "c2")])
        .await
    {
        Err(PortError::Invalid(message)) => {
            assert!(
                message.contains("acme:c2") && message.contains("failed to parse field [vector]"),
                "{message}"
            )
        }
        other => panic!("expected Invalid, got {other:?}"),
    }

    let (index, _) = serverless(|_| {
        (
            200,
            json!({"took": 5, "errors": true, "items": [
                {"index": {"_index": "chunks", "_id": "acme:c1", "status": 429, "error": {
                    "type": "es_rejected_execution_exception", "reason": "rejected execution"}}}
            ]}),
        )
    })
    .await;
    assert!(matches!(
        index.upsert(vec![chunk("acme", "c1")]).await,
        Err(PortError::Backend(_))
    ));
}

#[tokio::test]
async fn keyword_is_a_filtered_multi_match_and_maps_hits_back() {
    let (index, log) = serverless(|_| (200, two_hits())).await;
    let hits = index.keyword(&request(SearchMode::Bm25)).await.unwrap();
    assert_eq!(
        hits[0],
        SearchHit {
            document_id: "doc-1".into(),
            chunk_id: "c1".into(),
            title: "Rust ownership".into(),
            text: "Each value has one owner.".into(),
            heading: Some("Ownership".into()),
            page: Some(2),
            score: 2.5,
        }
    );
    assert_eq!((hits[1].heading.clone(), hits[1].page), (None, None));

    let log = log.lock().unwrap();
    let search = &log[0];
    assert_eq!(
        (search.method.as_str(), search.path.as_str()),
        ("POST", "/chunks/_search")
    );
    assert_signed(search, "aoss");
    assert_eq!(
        search.json(),
        json!({
            "size": 5,
            "_source": {"excludes": ["vector"]},
            "query": {"bool": {
                "must": [{"multi_match": {"query": "ownership rules", "fields": ["title^2", "text"]}}],
                "filter": expected_filters()
            }}
        })
    );
}

#[tokio::test]
async fn nearest_filters_inside_the_knn_query_and_reports_cosine() {
    let (index, log) = serverless(|_| (200, two_hits())).await;
    let hits = index.nearest(&request(SearchMode::Vector)).await.unwrap();
    // innerproduct scores: 1 + p for p >= 0, 1 / (1 - p) below.
    assert!((hits[0].score - 1.5).abs() < 1e-6);
    assert!((hits[1].score + 1.0).abs() < 1e-6);

    let sent = log.lock().unwrap()[0].json();
    assert_eq!(
        sent,
        json!({
            "size": 5,
            "_source": {"excludes": ["vector"]},
            "query": {"knn": {"vector": {
                "vector": [0.6, 0.8],
                "k": 5,
                "filter": {"bool": {"filter": expected_filters()}}
            }}}
        })
    );

    let mut no_vector = request(SearchMode::Vector);
    no_vector.vector = None;
    assert!(matches!(
        index.nearest(&no_vector).await,
        Err(PortError::Invalid(_))
    ));
}

#[tokio::test]
async fn hybrid_reads_both_lists_deep_and_fuses_them() {
    let (index, log) = serverless(|seen| {
        if seen.body.contains("\"knn\"") {
            let mut reply = two_hits();
            reply["hits"]["hits"].as_array_mut().unwrap().reverse();
            (200, reply)
        } else {
            (200, two_hits())
        }
    })
    .await;
    let mut request = request(SearchMode::Hybrid);
    request.top_k = 1;
    let hits = index.search(&request).await.unwrap();
    assert_eq!(hits.len(), 1);
    // Both chunks rank first and second once each; the keyword list breaks the tie.
    assert_eq!(hits[0].chunk_id, "c1");
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 2);
    assert!(log.iter().all(|seen| seen.json()["size"] == 50));
}

#[tokio::test]
async fn searching_before_anything_is_indexed_finds_nothing() {
    let (index, _) = serverless(|_| missing_index()).await;
    assert!(
        index
            .search(&request(SearchMode::Hybrid))
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn serverless_deletes_a_document_by_listing_then_bulk_deleting_its_chunks() {
    let (index, log) = serverless(|seen| {
        if seen.path.ends_with("_search") {
            (
                200,
                json!({"hits": {"hits": [
                    {"_index": "chunks", "_id": "acme:c1", "_score": null, "sort": ["c1"]},
                    {"_index": "chunks", "_id": "acme:c2", "_score": null, "sort": ["c2"]}
                ]}}),
            )
        } else {
            (200, json!({"took": 2, "errors": false, "items": []}))
        }
    })
    .await;
    index.delete_document("acme", "doc-1").await.unwrap();

    let log = log.lock().unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(
        log[0].json(),
        json!({
            "size": 1000,
            "_source": false,
            "query": {"bool": {"filter": [
                {"term": {"tenant": "acme"}}, {"term": {"document_id": "doc-1"}}
            ]}},
            "sort": [{"chunk_id": "asc"}]
        })
    );
    assert_eq!(log[1].path, "/chunks/_bulk");
    assert_eq!(
        log[1].body,
        "{\"delete\":{\"_id\":\"acme:c1\"}}\n{\"delete\":{\"_id\":\"acme:c2\"}}\n"
    );
}

#[tokio::test]
async fn domains_delete_a_document_by_query() {
    let (index, log) = domain(|_| {
        (
            200,
            json!({"took": 9, "timed_out": false, "total": 2, "deleted": 2, "batches": 1,
                   "version_conflicts": 0, "noops": 0, "failures": []}),
        )
    })
    .await;
    index.delete_document("acme", "doc-1").await.unwrap();
    let log = log.lock().unwrap();
    assert_eq!(log[0].path, "/chunks/_delete_by_query");
    assert_eq!(log[0].query, "conflicts=proceed&refresh=true");
    assert_eq!(
        log[0].json(),
        json!({"query": {"bool": {"filter": [
            {"term": {"tenant": "acme"}}, {"term": {"document_id": "doc-1"}}
        ]}}})
    );
}

#[tokio::test]
async fn http_errors_map_by_status() {
    let (index, _) = serverless(|_| {
        (
            403,
            json!({"status": 403, "request-id": "abc", "error": {"reason": "403 Forbidden", "type": "Forbidden"}}),
        )
    })
    .await;
    match index.upsert(vec![chunk("acme", "c1")]).await {
        Err(PortError::Backend(message)) => assert!(message.contains("403 Forbidden"), "{message}"),
        other => panic!("expected Backend, got {other:?}"),
    }
}

#[tokio::test]
async fn large_upserts_are_split_into_bulk_requests_of_100() {
    let (index, log) =
        serverless(|_| (200, json!({"took": 3, "errors": false, "items": []}))).await;
    let chunks = (0..250).map(|n| chunk("acme", &format!("c{n}"))).collect();
    index.upsert(chunks).await.unwrap();
    let lines: Vec<usize> = log
        .lock()
        .unwrap()
        .iter()
        .map(|seen| seen.body.lines().count())
        .collect();
    assert_eq!(lines, [200, 200, 100]);
}

#[test]
fn vectors_travel_in_their_shortest_form_and_parse_back_exactly() {
    let vector = [
        0.1f32,
        -0.7,
        1e-7,
        0.333_333_34,
        f32::MAX,
        f32::MIN_POSITIVE,
    ];
    let mut c = chunk("acme", "c1");
    c.vector = vector.to_vec();
    let body = requests::bulk_index(&[c]);
    assert!(body.contains("[0.1,-0.7,"), "{body}");
    let source: Value = serde_json::from_str(body.lines().nth(1).unwrap()).unwrap();
    let back: Vec<f32> = serde_json::from_value(source["vector"].clone()).unwrap();
    assert_eq!(back, vector);
}
