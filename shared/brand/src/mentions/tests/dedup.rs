use super::support::{at, fixture, insert, mention, new_mention};
use crate::mentions::{InboxFilter, Insert, SentimentLabel, SentimentScore, content_hash};
use plasma_core::PortError;
use std::collections::BTreeMap;

const URL: &str = "https://news.example.com/acme-launch";

#[test]
fn content_hash_ignores_case_and_whitespace_only() {
    assert_eq!(
        content_hash("Acme  launches\n\tthe Rocket "),
        content_hash("acme launches the rocket")
    );
    assert_ne!(content_hash("acme launches"), content_hash("acme launched"));
}

#[tokio::test]
async fn same_url_and_text_from_two_sources_is_stored_once() {
    let f = fixture();
    let first = mention(URL, "Acme launches the Rocket", "2026-03-01T10:00:00Z");
    let mut again = mention(URL, "ACME launches\nthe   rocket", "2026-03-01T10:00:00Z");
    again.source = "newsapi".into();
    again.id = "newsapi-123".into();

    let stored = insert(
        &f.store,
        "t1",
        new_mention("brand", first, SentimentLabel::Positive),
    )
    .await;
    assert_eq!(stored.version, 1);
    assert_eq!(stored.collected_at, at("2026-04-01T00:00:00Z"));
    let second = f
        .store
        .insert("t1", new_mention("brand", again, SentimentLabel::Positive))
        .await
        .unwrap();
    assert_eq!(second, Insert::Duplicate);

    let page = f
        .store
        .inbox("t1", &InboxFilter::default(), 50, None)
        .await
        .unwrap();
    assert_eq!(page.mentions, vec![stored]);
}

#[tokio::test]
async fn a_redelivered_item_with_another_timestamp_is_still_a_duplicate() {
    let f = fixture();
    let m = mention(URL, "Acme launches", "2026-03-01T10:00:00Z");
    let mut later = m.clone();
    later.published_at = at("2026-03-01T11:00:00Z");
    insert(
        &f.store,
        "t1",
        new_mention("brand", m, SentimentLabel::Neutral),
    )
    .await;
    let again = f
        .store
        .insert("t1", new_mention("brand", later, SentimentLabel::Neutral))
        .await;
    assert_eq!(again.unwrap(), Insert::Duplicate);
}

#[tokio::test]
async fn same_url_with_different_text_is_a_second_mention() {
    let f = fixture();
    let a = mention(URL, "Acme launches the rocket", "2026-03-01T10:00:00Z");
    let b = mention(URL, "Acme delays the rocket", "2026-03-01T10:00:00Z");
    let a = insert(
        &f.store,
        "t1",
        new_mention("brand", a, SentimentLabel::Positive),
    )
    .await;
    let b = insert(
        &f.store,
        "t1",
        new_mention("brand", b, SentimentLabel::Negative),
    )
    .await;
    assert_ne!(a.key, b.key);
    let page = f
        .store
        .inbox("t1", &InboxFilter::default(), 50, None)
        .await
        .unwrap();
    assert_eq!(page.mentions.len(), 2);
}

#[tokio::test]
async fn each_monitor_keeps_its_own_copy() {
    let f = fixture();
    let m = mention(URL, "Acme versus Globex", "2026-03-01T10:00:00Z");
    insert(
        &f.store,
        "t1",
        new_mention("acme", m.clone(), SentimentLabel::Neutral),
    )
    .await;
    insert(
        &f.store,
        "t1",
        new_mention("globex", m, SentimentLabel::Neutral),
    )
    .await;
    let page = f
        .store
        .inbox("t1", &InboxFilter::default(), 50, None)
        .await
        .unwrap();
    let mut monitors: Vec<_> = page
        .mentions
        .iter()
        .map(|m| m.monitor_id.as_str())
        .collect();
    monitors.sort();
    assert_eq!(monitors, ["acme", "globex"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_collectors_store_exactly_one() {
    let f = fixture();
    let tasks: Vec<_> = (0..24)
        .map(|i| {
            let store = f.store.clone();
            let mut m = mention(URL, "Acme launches the rocket", "2026-03-01T10:00:00Z");
            m.source = format!("collector-{i}");
            tokio::spawn(async move {
                store
                    .insert("t1", new_mention("brand", m, SentimentLabel::Positive))
                    .await
            })
        })
        .collect();
    let mut created = 0;
    for task in tasks {
        if task.await.unwrap().unwrap().is_new() {
            created += 1;
        }
    }
    assert_eq!(created, 1);
    let page = f
        .store
        .inbox("t1", &InboxFilter::default(), 50, None)
        .await
        .unwrap();
    assert_eq!(page.mentions.len(), 1);
}

#[tokio::test]
async fn tags_and_targeted_sentiment_are_kept() {
    let f = fixture();
    let mut new = new_mention(
        "brand",
        mention(URL, "Acme beats Globex", "2026-03-01T10:00:00Z"),
        SentimentLabel::Positive,
    );
    new.tags = vec!["Launch ".into(), "launch".into(), "press".into()];
    new.targeted = BTreeMap::from([(
        "globex".to_string(),
        SentimentScore {
            compound: -0.4,
            label: SentimentLabel::Negative,
        },
    )]);
    let stored = insert(&f.store, "t1", new).await;
    assert_eq!(stored.tags, ["launch", "press"]);
    let read = f
        .store
        .get("t1", "brand", &stored.key)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read, stored);
    assert_eq!(read.targeted["globex"].label, SentimentLabel::Negative);
}

#[tokio::test]
async fn ids_that_could_cross_partitions_are_refused() {
    let f = fixture();
    let m = mention(URL, "x", "2026-03-01T10:00:00Z");
    for (tenant, monitor) in [
        ("t1#MON#x", "brand"),
        ("t1", "a#b"),
        ("", "brand"),
        ("t1", ""),
    ] {
        let err = f
            .store
            .insert(
                tenant,
                new_mention(monitor, m.clone(), SentimentLabel::Neutral),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, PortError::Invalid(_)),
            "{tenant:?}/{monitor:?}: {err:?}"
        );
    }
}
