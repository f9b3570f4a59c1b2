use crate::Mention;
use crate::mentions::{Insert, MentionStore, NewMention, SentimentLabel, SentimentScore};
use crate::reports::{Competitor, Report, ReportRequest, Reports};
use chrono::{DateTime, Utc};
use plasma_core::{ManualClock, SequentialIds};
use plasma_embedded::{FileBlobStore, SqliteItemStore};
use std::collections::BTreeMap;
use std::sync::Arc;
use tempfile::TempDir;

use SentimentLabel::{Negative, Neutral, Positive};

pub struct Fixture {
    pub mentions: MentionStore,
    pub reports: Reports,
    pub blobs: Arc<FileBlobStore>,
    pub clock: Arc<ManualClock>,
    // Keeps the database and blob files alive for the test's duration.
    _dir: TempDir,
}

pub fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .expect("test timestamp")
        .with_timezone(&Utc)
}

pub fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(ManualClock::new(at("2026-03-23T06:00:00Z")));
    let items = Arc::new(
        SqliteItemStore::open(&dir.path().join("items.db"), clock.clone()).expect("items"),
    );
    let blobs = Arc::new(
        FileBlobStore::open(
            &dir.path().join("blobs"),
            clock.clone(),
            "http://localhost".into(),
        )
        .expect("blobs"),
    );
    let mentions = MentionStore::new(items.clone(), clock.clone());
    let reports = Reports::new(
        mentions.clone(),
        items,
        blobs.clone(),
        clock.clone(),
        Arc::new(SequentialIds::new("r")),
    );
    Fixture {
        mentions,
        reports,
        blobs,
        clock,
        _dir: dir,
    }
}

/// One seeded mention.
pub struct Seed {
    pub monitor: &'static str,
    pub published: &'static str,
    pub label: SentimentLabel,
    pub source: &'static str,
    pub author: Option<&'static str>,
    pub url: &'static str,
    pub text: &'static str,
    pub reach: Option<u64>,
    pub engagement: Option<u64>,
}

const fn seed(
    published: &'static str,
    label: SentimentLabel,
    source: &'static str,
    author: Option<&'static str>,
    reach: Option<u64>,
    engagement: Option<u64>,
    text: &'static str,
) -> Seed {
    Seed {
        monitor: "acme",
        published,
        label,
        source,
        author,
        url: "",
        text,
        reach,
        engagement,
    }
}

/// The report week is Monday 16 to Sunday 22 March 2026 in Berlin (CET, UTC+1), that is
/// 2026-03-15T23:00Z to 2026-03-22T23:00Z; the previous week is the seven days before.
pub const WEEK: (&str, &str) = ("2026-03-15T23:00:00Z", "2026-03-22T23:00:00Z");

/// Acme's mentions, in publication order. Comments give the Berlin day.
pub fn acme() -> Vec<Seed> {
    vec![
        // Previous week: 2 positive, 2 negative, reach 400, engagement 40.
        seed(
            "2026-03-09T10:00:00Z",
            Positive,
            "rss",
            Some("Ann"),
            Some(100),
            Some(10),
            "Acme skates are great",
        ),
        seed(
            "2026-03-10T10:00:00Z",
            Negative,
            "rss",
            Some("Bob"),
            Some(100),
            Some(10),
            "Acme skates squeak",
        ),
        seed(
            "2026-03-12T10:00:00Z",
            Positive,
            "reddit",
            None,
            Some(100),
            Some(10),
            "Love my acme skates",
        ),
        // Sunday 15th 23:00 local: still the previous week.
        seed(
            "2026-03-15T22:00:00Z",
            Negative,
            "rss",
            None,
            Some(100),
            Some(10),
            "Acme skates late again",
        ),
        // Monday 16th 00:30 local: the first minute of the report week that has a mention.
        seed(
            "2026-03-15T23:30:00Z",
            Neutral,
            "rss",
            None,
            None,
            None,
            "Acme skates news roundup",
        ),
        seed(
            "2026-03-16T09:00:00Z",
            Positive,
            "rss",
            Some("Ann"),
            Some(1_000),
            Some(10),
            "Acme launches rocket skates",
        ),
        Seed {
            url: "javascript:alert(1)",
            ..seed(
                "2026-03-16T12:00:00Z",
                Negative,
                "reddit",
                Some("<b>Bob</b>"),
                Some(5_000),
                Some(50),
                "<script>alert(1)</script> acme skates broke",
            )
        },
        // Tuesday 17th.
        seed(
            "2026-03-17T10:00:00Z",
            Positive,
            "rss",
            Some("Ann"),
            Some(200),
            Some(300),
            "Acme rocket skates review",
        ),
        // Wednesday 18th.
        seed(
            "2026-03-18T08:00:00Z",
            Neutral,
            "hackernews",
            None,
            None,
            Some(40),
            "Show HN: acme skates teardown",
        ),
        seed(
            "2026-03-18T15:00:00Z",
            Positive,
            "reddit",
            Some("Cy"),
            Some(5_000),
            Some(80),
            "Acme skates | best | buy",
        ),
        // Friday 20th.
        seed(
            "2026-03-20T11:00:00Z",
            Negative,
            "rss",
            Some("Bob"),
            Some(10),
            Some(1),
            "Acme skates recall rumour",
        ),
        // Sunday 22nd 23:30 local: the last day.
        seed(
            "2026-03-22T22:30:00Z",
            Positive,
            "rss",
            Some("Dee"),
            Some(50),
            Some(5),
            "Acme skates weekend",
        ),
        // Monday 23rd 00:00 local: the end is exclusive.
        seed(
            "2026-03-22T23:00:00Z",
            Positive,
            "rss",
            Some("Eve"),
            Some(9_999),
            Some(9_999),
            "Acme next week",
        ),
    ]
}

/// Globex, the competitor: 12 mentions in the report week, 3 the week before.
pub fn globex() -> Vec<Seed> {
    const WEEK_DAYS: [&str; 12] = [
        "2026-03-16T08:00:00Z",
        "2026-03-16T09:00:00Z",
        "2026-03-16T10:00:00Z",
        "2026-03-17T08:00:00Z",
        "2026-03-17T09:00:00Z",
        "2026-03-18T08:00:00Z",
        "2026-03-19T08:00:00Z",
        "2026-03-19T09:00:00Z",
        "2026-03-20T08:00:00Z",
        "2026-03-21T08:00:00Z",
        "2026-03-22T08:00:00Z",
        "2026-03-22T09:00:00Z",
    ];
    const BEFORE: [&str; 3] = [
        "2026-03-10T08:00:00Z",
        "2026-03-11T08:00:00Z",
        "2026-03-12T08:00:00Z",
    ];
    WEEK_DAYS
        .into_iter()
        .chain(BEFORE)
        .map(|published| Seed {
            monitor: "globex",
            ..seed(
                published,
                Neutral,
                "rss",
                None,
                Some(1),
                Some(1),
                "Globex skates",
            )
        })
        .collect()
}

pub async fn insert(store: &MentionStore, tenant: &str, s: &Seed) -> String {
    let url = if s.url.is_empty() {
        format!("https://news.example/{}/{}", s.monitor, s.published)
    } else {
        s.url.to_string()
    };
    let compound = match s.label {
        Positive => 0.6,
        Neutral => 0.0,
        Negative => -0.6,
    };
    let new = NewMention {
        mention: Mention {
            id: url.clone(),
            url,
            source: s.source.into(),
            author: s.author.map(Into::into),
            published_at: at(s.published),
            text: s.text.into(),
            language: Some("en".into()),
            reach: s.reach,
            engagement: s.engagement,
        },
        monitor_id: s.monitor.into(),
        matched: true,
        sentiment: SentimentScore {
            compound,
            label: s.label,
        },
        targeted: BTreeMap::new(),
        tags: Vec::new(),
    };
    match store.insert(tenant, new).await.expect("insert") {
        Insert::New(stored) => stored.key,
        Insert::Duplicate => panic!("unexpected duplicate"),
    }
}

/// Seed both monitors, plus two acme mentions in the week that must not count: one the
/// query did not match and one a reviewer marked irrelevant.
pub async fn seed_all(f: &Fixture, tenant: &str) {
    for s in acme().iter().chain(&globex()) {
        insert(&f.mentions, tenant, s).await;
    }
    let dismissed = seed(
        "2026-03-19T10:00:00Z",
        Positive,
        "rss",
        Some("Zed"),
        Some(1_000_000),
        Some(1),
        "Acme spam",
    );
    let key = insert(&f.mentions, tenant, &dismissed).await;
    f.mentions
        .mark_irrelevant(tenant, "acme", &key, 1, true)
        .await
        .expect("mark irrelevant");
    let unmatched = f
        .mentions
        .insert(
            tenant,
            NewMention {
                matched: false,
                sentiment: SentimentScore {
                    compound: 0.6,
                    label: Positive,
                },
                mention: Mention {
                    id: "unmatched".into(),
                    url: "https://news.example/unmatched".into(),
                    source: "rss".into(),
                    author: Some("Zed".into()),
                    published_at: at("2026-03-19T11:00:00Z"),
                    text: "Unrelated skates".into(),
                    language: None,
                    reach: Some(1_000_000),
                    engagement: Some(1),
                },
                monitor_id: "acme".into(),
                targeted: BTreeMap::new(),
                tags: Vec::new(),
            },
        )
        .await
        .expect("insert unmatched");
    assert!(unmatched.is_new());
}

pub fn request() -> ReportRequest {
    ReportRequest {
        monitor_id: "acme".into(),
        monitor_name: "Acme <Skates> & Co".into(),
        competitors: vec![Competitor {
            monitor_id: "globex".into(),
            name: "Globex".into(),
        }],
        from: at(WEEK.0),
        to: at(WEEK.1),
        time_zone: "Europe/Berlin".into(),
    }
}

pub async fn weekly_report(f: &Fixture, tenant: &str) -> Report {
    f.reports
        .generate(tenant, &request())
        .await
        .expect("generate")
}
