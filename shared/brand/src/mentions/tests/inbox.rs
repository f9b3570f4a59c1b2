use super::support::{at, fixture, insert, mention, new_mention};
use crate::mentions::{
    AnalyticsRequest, Bucket, InboxFilter, MentionStore, SentimentLabel, StoredMention,
    suggest_exclusions,
};
use plasma_core::PortError;

const LABELS: [SentimentLabel; 3] = [
    SentimentLabel::Positive,
    SentimentLabel::Neutral,
    SentimentLabel::Negative,
];

/// 30 mentions, one per hour from 2026-03-01T00:00Z, alternating between two monitors and
/// cycling through labels and sources; every fifth is tagged "crisis".
async fn seed(store: &MentionStore, tenant: &str) -> Vec<StoredMention> {
    let mut stored = Vec::new();
    for i in 0..30 {
        let published = format!("2026-03-01T{:02}:00:00Z", i % 24);
        let published = if i < 24 {
            published
        } else {
            format!("2026-03-02T{:02}:00:00Z", i - 24)
        };
        let mut m = mention(
            &format!("https://ex.com/{i}"),
            &format!("post {i}"),
            &published,
        );
        m.source = if i % 2 == 0 {
            "rss".into()
        } else {
            "reddit".into()
        };
        let monitor = if i % 3 == 0 { "globex" } else { "acme" };
        let mut new = new_mention(monitor, m, LABELS[i % 3]);
        if i % 5 == 0 {
            new.tags = vec!["crisis".into()];
        }
        stored.push(insert(store, tenant, new).await);
    }
    stored
}

/// Which seeded mentions a filter should return.
type Keep = Box<dyn Fn(&StoredMention) -> bool>;

/// Follow the cursor to the end with `limit`-sized pages.
async fn list_all(store: &MentionStore, filter: &InboxFilter, limit: u32) -> Vec<StoredMention> {
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let page = store.inbox("t1", filter, limit, cursor).await.unwrap();
        assert!(page.mentions.len() <= limit as usize);
        out.extend(page.mentions);
        match page.next {
            Some(next) => cursor = Some(next),
            None => return out,
        }
    }
}

fn keys(mentions: &[StoredMention]) -> Vec<(String, String)> {
    mentions
        .iter()
        .map(|m| (m.monitor_id.clone(), m.key.clone()))
        .collect()
}

/// The seeded mentions `keep` admits, newest first.
fn expected(all: &[StoredMention], keep: impl Fn(&StoredMention) -> bool) -> Vec<(String, String)> {
    let mut wanted: Vec<StoredMention> = all.iter().filter(|m| keep(m)).cloned().collect();
    wanted.sort_by_key(|m| std::cmp::Reverse(m.mention.published_at));
    keys(&wanted)
}

#[tokio::test]
async fn pages_list_every_mention_exactly_once_newest_first() {
    let f = fixture();
    let all = seed(&f.store, "t1").await;
    for limit in [1, 4, 7, 30, 200] {
        let listed = list_all(&f.store, &InboxFilter::default(), limit).await;
        assert_eq!(keys(&listed), expected(&all, |_| true), "limit {limit}");
        let acme = InboxFilter {
            monitor_id: Some("acme".into()),
            ..InboxFilter::default()
        };
        let listed = list_all(&f.store, &acme, limit).await;
        assert_eq!(
            keys(&listed),
            expected(&all, |m| m.monitor_id == "acme"),
            "limit {limit}"
        );
    }
}

#[tokio::test]
async fn filters_narrow_the_list_and_still_paginate() {
    let f = fixture();
    let all = seed(&f.store, "t1").await;
    let base = InboxFilter::default;
    let cases: Vec<(InboxFilter, Keep)> = vec![
        (
            InboxFilter {
                label: Some(SentimentLabel::Negative),
                ..base()
            },
            Box::new(|m| m.sentiment.label == SentimentLabel::Negative),
        ),
        (
            InboxFilter {
                source: Some("reddit".into()),
                ..base()
            },
            Box::new(|m| m.mention.source == "reddit"),
        ),
        (
            InboxFilter {
                from: Some(at("2026-03-01T05:00:00Z")),
                to: Some(at("2026-03-01T09:00:00Z")),
                ..base()
            },
            Box::new(|m| {
                m.mention.published_at >= at("2026-03-01T05:00:00Z")
                    && m.mention.published_at < at("2026-03-01T09:00:00Z")
            }),
        ),
        (
            InboxFilter {
                tag: Some("Crisis".into()),
                ..base()
            },
            Box::new(|m| m.tags.contains(&"crisis".to_string())),
        ),
        (
            InboxFilter {
                monitor_id: Some("globex".into()),
                source: Some("rss".into()),
                ..base()
            },
            Box::new(|m| m.monitor_id == "globex" && m.mention.source == "rss"),
        ),
    ];
    for (filter, keep) in &cases {
        let want = expected(&all, keep);
        assert!(
            !want.is_empty() && want.len() < all.len(),
            "{filter:?} must be selective"
        );
        for limit in [2, 50] {
            assert_eq!(
                keys(&list_all(&f.store, filter, limit).await),
                want,
                "{filter:?}"
            );
        }
    }
    // The date range is 4 hours: 05, 06, 07, 08.
    assert_eq!(list_all(&f.store, &cases[2].0, 3).await.len(), 4);
}

#[tokio::test]
async fn tagging_and_review_use_optimistic_concurrency() {
    let f = fixture();
    let all = seed(&f.store, "t1").await;
    let m = &all[1];
    let (monitor, key) = (m.monitor_id.as_str(), m.key.as_str());

    let tagged = f
        .store
        .tag("t1", monitor, key, 1, " Follow-Up ")
        .await
        .unwrap();
    assert_eq!(
        (tagged.tags.clone(), tagged.version),
        (vec!["follow-up".to_string()], 2)
    );
    let stale = f
        .store
        .mark_reviewed("t1", monitor, key, 1, true)
        .await
        .unwrap_err();
    assert!(matches!(stale, PortError::Conflict(_)), "{stale:?}");

    let reviewed = f
        .store
        .mark_reviewed("t1", monitor, key, 2, true)
        .await
        .unwrap();
    let irrelevant = f
        .store
        .mark_irrelevant("t1", monitor, key, 3, true)
        .await
        .unwrap();
    let untagged = f
        .store
        .untag("t1", monitor, key, 4, "follow-up")
        .await
        .unwrap();
    assert!(reviewed.reviewed && irrelevant.irrelevant && untagged.reviewed);
    assert_eq!((untagged.tags.len(), untagged.version), (0, 5));
    assert_eq!(
        f.store.get("t1", monitor, key).await.unwrap().unwrap(),
        untagged
    );

    let reviewed_only = InboxFilter {
        reviewed: Some(true),
        ..InboxFilter::default()
    };
    assert_eq!(
        keys(&list_all(&f.store, &reviewed_only, 10).await),
        keys(std::slice::from_ref(&untagged))
    );
    let relevant = InboxFilter {
        irrelevant: Some(false),
        ..InboxFilter::default()
    };
    assert_eq!(list_all(&f.store, &relevant, 10).await.len(), all.len() - 1);

    let missing = f
        .store
        .tag("t1", monitor, "2020-01-01T00:00:00.000Z#nope", 1, "x")
        .await;
    assert!(matches!(missing, Err(PortError::Invalid(_))));
    let empty_tag = f.store.tag("t1", monitor, key, 5, "   ").await;
    assert!(matches!(empty_tag, Err(PortError::Invalid(_))));
}

#[tokio::test]
async fn exclusions_come_from_words_typical_of_irrelevant_mentions() {
    let f = fixture();
    let texts = [
        ("Acme phone battery lasts all day", false),
        ("The Acme phone camera is great", false),
        ("Acme phone review: fast and light", false),
        ("Acme support fixed my phone", false),
        ("Wile E. Coyote orders an Acme anvil in the cartoon", true),
        (
            "Classic cartoon: Acme rocket skates and the Road Runner",
            true,
        ),
        ("Road Runner outruns the Acme anvil again", true),
    ];
    for (i, (text, irrelevant)) in texts.iter().enumerate() {
        let m = mention(&format!("https://ex.com/{i}"), text, "2026-03-01T10:00:00Z");
        let stored = insert(
            &f.store,
            "t1",
            new_mention("acme", m, SentimentLabel::Neutral),
        )
        .await;
        if *irrelevant {
            f.store
                .mark_irrelevant("t1", "acme", &stored.key, 1, true)
                .await
                .unwrap();
        }
    }
    let suggestions = f.store.suggest_exclusions("t1", "acme", 10).await.unwrap();
    let terms: Vec<&str> = suggestions.iter().map(|s| s.term.as_str()).collect();
    // Each in 2 of 3 irrelevant and 0 of 4 relevant mentions; ties broken alphabetically.
    assert_eq!(terms, ["anvil", "cartoon", "road", "runner"]);
    // ln((2 + .5) / (1 + .5)) - ln((0 + .5) / (4 + .5)) = ln(5/3) + ln(9)
    let expected = (5.0f64 / 3.0).ln() + 9.0f64.ln();
    assert!((suggestions[0].score - expected).abs() < 1e-12);
    assert_eq!((suggestions[0].irrelevant, suggestions[0].relevant), (2, 0));
    assert_eq!(
        f.store
            .suggest_exclusions("t1", "acme", 2)
            .await
            .unwrap()
            .len(),
        2
    );
    // Nothing marked irrelevant: nothing to suggest.
    assert!(suggest_exclusions(&[], 5).is_empty());
}

#[tokio::test]
async fn another_tenant_sees_none_of_it() {
    let f = fixture();
    let all = seed(&f.store, "t1").await;
    seed(&f.store, "t2").await;
    let t1_listed = list_all(&f.store, &InboxFilter::default(), 50).await;
    assert_eq!(t1_listed.len(), all.len());
    assert!(t1_listed.iter().all(|m| m.tenant == "t1"));

    let page = f
        .store
        .inbox("t3", &InboxFilter::default(), 50, None)
        .await
        .unwrap();
    assert!(page.mentions.is_empty() && page.next.is_none());
    assert_eq!(
        f.store
            .get("t3", &all[0].monitor_id, &all[0].key)
            .await
            .unwrap(),
        None
    );
    let stolen = f
        .store
        .tag("t3", &all[0].monitor_id, &all[0].key, 1, "x")
        .await;
    assert!(stolen.is_err());
    let request = AnalyticsRequest {
        monitor_id: "acme".into(),
        from: at("2026-03-01T00:00:00Z"),
        to: at("2026-03-03T00:00:00Z"),
        time_zone: "UTC".into(),
        bucket: Bucket::Day,
        top: 5,
    };
    assert_eq!(f.store.analytics("t3", &request).await.unwrap().total, 0);
    assert_eq!(f.store.analytics("t1", &request).await.unwrap().total, 20);
    let sov = f
        .store
        .share_of_voice("t3", &["acme".into()], request.from, request.to)
        .await;
    assert_eq!(sov.unwrap().total, 0);
}
