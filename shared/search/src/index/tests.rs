use super::*;
use crate::BuiltinEmbedder;
use chrono::{DateTime, TimeZone, Utc};
use plasma_core::{Fusion, SearchFilters, SearchMode};
use tempfile::TempDir;

fn day(d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, d, 12, 0, 0).unwrap()
}

fn chunk(tenant: &str, document: &str, id: &str, text: &str) -> IndexedChunk {
    IndexedChunk {
        tenant: tenant.into(),
        document_id: document.into(),
        chunk_id: id.into(),
        title: format!("title of {document}"),
        text: text.into(),
        heading: Some("Results".into()),
        page: Some(3),
        tags: vec![],
        date: day(1),
        vector: BuiltinEmbedder::new().embed_text(text),
    }
}

fn request(tenant: &str, text: &str, mode: SearchMode) -> SearchRequest {
    SearchRequest {
        tenant: tenant.into(),
        text: text.into(),
        vector: Some(BuiltinEmbedder::new().embed_text(text)),
        mode,
        top_k: 10,
        filters: SearchFilters::default(),
        fusion: Fusion::default(),
    }
}

async fn open(dir: &TempDir) -> EmbeddedIndex {
    let index = EmbeddedIndex::open(dir.path()).unwrap();
    index
        .ensure_model(&plasma_core::Embedder::model(&BuiltinEmbedder::new()))
        .await
        .unwrap();
    index
}

const MODES: [SearchMode; 3] = [SearchMode::Bm25, SearchMode::Vector, SearchMode::Hybrid];

/// Chunk ids found for `text` in every mode; each mode must agree.
async fn found(index: &EmbeddedIndex, r: &SearchRequest) -> Vec<String> {
    let mut per_mode = Vec::new();
    for mode in MODES {
        let r = SearchRequest { mode, ..r.clone() };
        let mut ids: Vec<String> = index
            .search(&r)
            .await
            .unwrap()
            .into_iter()
            .map(|h| h.chunk_id)
            .collect();
        ids.sort();
        per_mode.push(ids);
    }
    assert!(
        per_mode.windows(2).all(|w| w[0] == w[1]),
        "modes disagree: {per_mode:?}"
    );
    per_mode.swap_remove(0)
}

#[tokio::test]
async fn an_empty_index_finds_nothing() {
    let dir = TempDir::new().unwrap();
    let index = EmbeddedIndex::open(dir.path()).unwrap();
    assert_eq!(index.model().await.unwrap(), None);
    for mode in MODES {
        let hits = index.search(&request("t", "wing", mode)).await.unwrap();
        assert!(hits.is_empty());
    }
    drop(index);
    let index = open(&dir).await;
    assert!(
        found(&index, &request("t", "wing", SearchMode::Bm25))
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn hits_carry_the_stored_chunk() {
    let dir = TempDir::new().unwrap();
    let index = open(&dir).await;
    index
        .upsert(vec![chunk("t", "d1", "c1", "supersonic wing flutter")])
        .await
        .unwrap();
    for mode in MODES {
        let hits = index
            .search(&request("t", "wing flutter", mode))
            .await
            .unwrap();
        assert_eq!(hits.len(), 1, "{mode:?}");
        let hit = &hits[0];
        assert_eq!(
            (hit.document_id.as_str(), hit.chunk_id.as_str()),
            ("d1", "c1")
        );
        assert_eq!(hit.title, "title of d1");
        assert_eq!(hit.text, "supersonic wing flutter");
        assert_eq!(hit.heading.as_deref(), Some("Results"));
        assert_eq!(hit.page, Some(3));
        assert!(hit.score > 0.0);
    }
}

#[tokio::test]
async fn tenants_never_see_each_other() {
    let dir = TempDir::new().unwrap();
    let index = open(&dir).await;
    index
        .upsert(vec![
            chunk("a", "d1", "c1", "boundary layer transition"),
            chunk("b", "d1", "c1", "boundary layer separation"),
            chunk("b", "d2", "c2", "boundary layer suction"),
        ])
        .await
        .unwrap();
    let r = request("a", "boundary layer", SearchMode::Bm25);
    assert_eq!(found(&index, &r).await, ["c1"]);
    let a = index.search(&r).await.unwrap();
    assert_eq!(a[0].text, "boundary layer transition");
    let r = request("b", "boundary layer", SearchMode::Bm25);
    assert_eq!(found(&index, &r).await, ["c1", "c2"]);
    // Deleting b's document leaves a's chunk with the same ids alone.
    index.delete_document("b", "d1").await.unwrap();
    assert_eq!(
        found(&index, &request("a", "boundary layer", SearchMode::Bm25)).await,
        ["c1"]
    );
    assert!(
        found(&index, &request("c", "boundary layer", SearchMode::Bm25))
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn each_filter_narrows_every_mode() {
    let dir = TempDir::new().unwrap();
    let index = open(&dir).await;
    let mut chunks = Vec::new();
    for (i, (tags, date)) in [
        (vec!["wind"], day(1)),
        (vec!["wind", "tunnel"], day(2)),
        (vec!["heat"], day(3)),
        (vec![], day(4)),
    ]
    .into_iter()
    .enumerate()
    {
        let mut c = chunk(
            "t",
            &format!("d{i}"),
            &format!("c{i}"),
            "pressure on the cone",
        );
        c.tags = tags.into_iter().map(String::from).collect();
        c.date = date;
        chunks.push(c);
    }
    index.upsert(chunks).await.unwrap();
    let with = |filters: SearchFilters| SearchRequest {
        filters,
        ..request("t", "cone pressure", SearchMode::Bm25)
    };
    assert_eq!(
        found(&index, &with(SearchFilters::default())).await.len(),
        4
    );
    let ids = SearchFilters {
        document_ids: vec!["d1".into(), "d3".into(), "missing".into()],
        ..Default::default()
    };
    assert_eq!(found(&index, &with(ids)).await, ["c1", "c3"]);
    let tags = SearchFilters {
        tags: vec!["tunnel".into(), "heat".into()],
        ..Default::default()
    };
    assert_eq!(found(&index, &with(tags)).await, ["c1", "c2"]);
    let from = SearchFilters {
        from: Some(day(2)),
        ..Default::default()
    };
    assert_eq!(found(&index, &with(from)).await, ["c1", "c2", "c3"]);
    let to = SearchFilters {
        to: Some(day(2)),
        ..Default::default()
    };
    assert_eq!(found(&index, &with(to)).await, ["c0"]);
    let all = SearchFilters {
        document_ids: vec!["d0".into(), "d1".into(), "d2".into()],
        tags: vec!["wind".into()],
        from: Some(day(2)),
        to: Some(day(3)),
    };
    assert_eq!(found(&index, &with(all)).await, ["c1"]);
}

#[tokio::test]
async fn upsert_replaces_a_chunk() {
    let dir = TempDir::new().unwrap();
    let index = open(&dir).await;
    index
        .upsert(vec![chunk("t", "d1", "c1", "laminar flow")])
        .await
        .unwrap();
    index
        .upsert(vec![chunk("t", "d1", "c1", "turbulent jet")])
        .await
        .unwrap();
    let old = index
        .search(&request("t", "laminar", SearchMode::Bm25))
        .await
        .unwrap();
    assert!(old.is_empty());
    // Vector search returns the only chunk for any query: it must hold the new text.
    let hits = index
        .search(&request("t", "laminar", SearchMode::Vector))
        .await
        .unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].text, "turbulent jet");
    assert_eq!(
        found(&index, &request("t", "turbulent jet", SearchMode::Bm25)).await,
        ["c1"]
    );
    // Within one batch the last version wins.
    index
        .upsert(vec![
            chunk("t", "d1", "c1", "first"),
            chunk("t", "d1", "c1", "shock tube"),
        ])
        .await
        .unwrap();
    assert_eq!(
        found(&index, &request("t", "shock tube", SearchMode::Bm25)).await,
        ["c1"]
    );
    let hits = index
        .search(&request("t", "shock tube", SearchMode::Bm25))
        .await
        .unwrap();
    assert_eq!(hits[0].text, "shock tube");
}

#[tokio::test]
async fn delete_removes_every_chunk_of_a_document() {
    let dir = TempDir::new().unwrap();
    let index = open(&dir).await;
    index
        .upsert(vec![
            chunk("t", "d1", "c1", "nozzle flow"),
            chunk("t", "d1", "c2", "nozzle throat"),
            chunk("t", "d2", "c3", "nozzle exit"),
        ])
        .await
        .unwrap();
    index.delete_document("t", "d1").await.unwrap();
    assert_eq!(
        found(&index, &request("t", "nozzle", SearchMode::Bm25)).await,
        ["c3"]
    );
    index.delete_document("t", "missing").await.unwrap();
}

#[tokio::test]
async fn the_model_is_recorded_once_and_enforced() {
    let dir = TempDir::new().unwrap();
    let index = open(&dir).await;
    let builtin = plasma_core::Embedder::model(&BuiltinEmbedder::new());
    index.ensure_model(&builtin).await.unwrap();
    assert_eq!(index.model().await.unwrap(), Some(builtin.clone()));
    let other = EmbeddingModel {
        model: "titan-v2".into(),
        dimension: 1024,
    };
    let Err(PortError::Conflict(message)) = index.ensure_model(&other).await else {
        panic!("a second model must conflict");
    };
    assert!(message.contains("titan-v2") && message.contains(&builtin.model));
    let resized = EmbeddingModel {
        dimension: 256,
        ..builtin.clone()
    };
    assert!(matches!(
        index.ensure_model(&resized).await,
        Err(PortError::Conflict(_))
    ));
    let mut short = chunk("t", "d", "c", "wing");
    short.vector.truncate(10);
    assert!(matches!(
        index.upsert(vec![short]).await,
        Err(PortError::Invalid(_))
    ));
    let mut r = request("t", "wing", SearchMode::Vector);
    r.vector = Some(vec![0.5; 3]);
    assert!(matches!(index.search(&r).await, Err(PortError::Invalid(_))));
    r.vector = None;
    assert!(matches!(index.search(&r).await, Err(PortError::Invalid(_))));
    // Reopened, the index still knows its model.
    drop(index);
    let index = EmbeddedIndex::open(dir.path()).unwrap();
    assert_eq!(index.model().await.unwrap(), Some(builtin));
    assert!(matches!(
        index.ensure_model(&other).await,
        Err(PortError::Conflict(_))
    ));
}

#[tokio::test]
async fn upserts_before_a_model_are_refused() {
    let dir = TempDir::new().unwrap();
    let index = EmbeddedIndex::open(dir.path()).unwrap();
    assert!(matches!(
        index.upsert(vec![chunk("t", "d", "c", "wing")]).await,
        Err(PortError::Invalid(_))
    ));
}

#[tokio::test]
async fn a_reopened_index_gives_the_same_results() {
    let dir = TempDir::new().unwrap();
    let texts = [
        "heat transfer to a blunt body",
        "hypersonic heat flux measurements",
        "buckling of thin cylindrical shells",
        "panel flutter at supersonic speeds",
    ];
    let before = {
        let index = open(&dir).await;
        let chunks = texts
            .iter()
            .enumerate()
            .map(|(i, t)| chunk("t", &format!("d{i}"), &format!("c{i}"), t))
            .collect();
        index.upsert(chunks).await.unwrap();
        index.delete_document("t", "d3").await.unwrap();
        let mut all = Vec::new();
        for mode in MODES {
            all.push(
                index
                    .search(&request("t", "heat flux", mode))
                    .await
                    .unwrap(),
            );
        }
        all
    };
    let index = EmbeddedIndex::open(dir.path()).unwrap();
    for (mode, hits) in MODES.into_iter().zip(before) {
        assert!(hits.len() >= 2, "{mode:?}");
        assert!(hits.iter().all(|h| h.chunk_id != "c3"), "{mode:?}");
        let after = index
            .search(&request("t", "heat flux", mode))
            .await
            .unwrap();
        assert_eq!(after, hits, "{mode:?}");
    }
}

#[tokio::test]
async fn concurrent_upserts_all_land() {
    let dir = TempDir::new().unwrap();
    let index = open(&dir).await;
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let index = index.clone();
            tokio::spawn(async move {
                let c = chunk("t", &format!("d{i}"), &format!("c{i}"), "airfoil lift");
                index.upsert(vec![c]).await
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(
        found(&index, &request("t", "airfoil", SearchMode::Bm25))
            .await
            .len(),
        8
    );
}
