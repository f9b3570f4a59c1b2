use crate::Mention;
use crate::mentions::{
    Insert, MentionStore, NewMention, SentimentLabel, SentimentScore, StoredMention,
};
use chrono::{DateTime, Utc};
use plasma_core::ManualClock;
use plasma_embedded::SqliteItemStore;
use std::collections::BTreeMap;
use std::sync::Arc;
use tempfile::TempDir;

pub struct Fixture {
    pub store: MentionStore,
    // Keeps the database file alive for the test's duration.
    _dir: TempDir,
}

pub fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(ManualClock::new(at("2026-04-01T00:00:00Z")));
    let items = SqliteItemStore::open(&dir.path().join("items.db"), clock.clone()).expect("open");
    Fixture {
        store: MentionStore::new(Arc::new(items), clock),
        _dir: dir,
    }
}

pub fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .expect("test timestamp")
        .with_timezone(&Utc)
}

pub fn mention(url: &str, text: &str, published: &str) -> Mention {
    Mention {
        id: url.to_string(),
        url: url.to_string(),
        source: "rss".into(),
        author: None,
        published_at: at(published),
        text: text.to_string(),
        language: Some("en".into()),
        reach: None,
        engagement: None,
    }
}

pub fn new_mention(monitor: &str, mention: Mention, label: SentimentLabel) -> NewMention {
    let compound = match label {
        SentimentLabel::Positive => 0.6,
        SentimentLabel::Neutral => 0.0,
        SentimentLabel::Negative => -0.6,
    };
    NewMention {
        mention,
        monitor_id: monitor.to_string(),
        matched: true,
        sentiment: SentimentScore { compound, label },
        targeted: BTreeMap::new(),
        tags: Vec::new(),
    }
}

pub async fn insert(store: &MentionStore, tenant: &str, new: NewMention) -> StoredMention {
    match store.insert(tenant, new).await.expect("insert") {
        Insert::New(stored) => *stored,
        Insert::Duplicate => panic!("unexpected duplicate"),
    }
}
