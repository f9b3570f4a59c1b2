use super::support::{at, fixture, insert, mention, new_mention};
use crate::mentions::{AnalyticsRequest, Bucket, MentionStore, Ranked, SentimentLabel};
use chrono::{DateTime, Utc};
use plasma_core::PortError;

use SentimentLabel::{Negative, Neutral, Positive};

struct Seed<'a> {
    monitor: &'a str,
    published: &'a str,
    label: SentimentLabel,
    source: &'a str,
    author: Option<&'a str>,
    text: &'a str,
    reach: Option<u64>,
    engagement: Option<u64>,
}

fn seed<'a>(monitor: &'a str, published: &'a str, label: SentimentLabel) -> Seed<'a> {
    Seed {
        monitor,
        published,
        label,
        source: "rss",
        author: None,
        text: "",
        reach: None,
        engagement: None,
    }
}

/// Insert and return the stored key; the URL is unique per published time and text.
async fn put(store: &MentionStore, tenant: &str, s: Seed<'_>) -> String {
    let url = format!(
        "https://ex.com/{}/{}/{}",
        s.monitor,
        s.published,
        s.text.len()
    );
    let mut m = mention(&url, s.text, s.published);
    m.source = s.source.into();
    m.author = s.author.map(Into::into);
    m.reach = s.reach;
    m.engagement = s.engagement;
    insert(store, tenant, new_mention(s.monitor, m, s.label))
        .await
        .key
}

fn request(from: &str, to: &str, zone: &str, bucket: Bucket) -> AnalyticsRequest {
    AnalyticsRequest {
        monitor_id: "acme".into(),
        from: at(from),
        to: at(to),
        time_zone: zone.into(),
        bucket,
        top: 3,
    }
}

fn starts(series: &[crate::mentions::BucketStats]) -> Vec<String> {
    series.iter().map(|b| b.start.to_rfc3339()).collect()
}

#[tokio::test]
async fn day_buckets_are_local_calendar_days_across_spring_forward() {
    let f = fixture();
    // Berlin local times: 23:59 on the 28th (CET), 00:00 on the 29th (CET),
    // 23:59 on the 29th (CEST), 00:00 on the 30th (CEST).
    for (published, label) in [
        ("2026-03-28T22:59:00Z", Positive),
        ("2026-03-28T23:00:00Z", Negative),
        ("2026-03-29T21:59:00Z", Negative),
        ("2026-03-29T22:00:00Z", Neutral),
    ] {
        put(&f.store, "t1", seed("acme", published, label)).await;
    }
    // Local 2026-03-28 00:00 CET to 2026-03-31 00:00 CEST.
    let req = request(
        "2026-03-27T23:00:00Z",
        "2026-03-30T22:00:00Z",
        "Europe/Berlin",
        Bucket::Day,
    );
    let a = f.store.analytics("t1", &req).await.unwrap();
    assert_eq!(
        starts(&a.series),
        [
            "2026-03-28T00:00:00+01:00",
            "2026-03-29T00:00:00+01:00",
            "2026-03-30T00:00:00+02:00"
        ]
    );
    // The 29th is 23 hours long.
    let length = a.series[2].start.signed_duration_since(a.series[1].start);
    assert_eq!(length.num_hours(), 23);
    let counts: Vec<u64> = a.series.iter().map(|b| b.count).collect();
    assert_eq!(counts, [1, 2, 1]);
    let s = a.series[1].sentiment;
    assert_eq!((s.positive, s.neutral, s.negative), (0, 0, 2));
    assert_eq!(a.series[0].sentiment.positive, 1);
    assert_eq!(a.series[2].sentiment.neutral, 1);
}

#[tokio::test]
async fn hour_buckets_follow_local_hours_through_both_transitions() {
    let f = fixture();
    // 03:30 CEST, just after the skipped hour.
    put(
        &f.store,
        "t1",
        seed("acme", "2026-03-29T01:30:00Z", Positive),
    )
    .await;
    // 02:30 CEST and 02:30 CET: the repeated hour in autumn, two distinct buckets.
    put(
        &f.store,
        "t1",
        seed("acme", "2026-10-25T00:30:00Z", Positive),
    )
    .await;
    put(
        &f.store,
        "t1",
        seed("acme", "2026-10-25T01:30:00Z", Negative),
    )
    .await;

    let spring = request(
        "2026-03-28T23:00:00Z",
        "2026-03-29T22:00:00Z",
        "Europe/Berlin",
        Bucket::Hour,
    );
    let a = f.store.analytics("t1", &spring).await.unwrap();
    assert_eq!(a.series.len(), 23);
    assert_eq!(
        starts(&a.series[1..4]),
        [
            "2026-03-29T01:00:00+01:00",
            "2026-03-29T03:00:00+02:00",
            "2026-03-29T04:00:00+02:00"
        ]
    );
    let hits: Vec<usize> = (0..a.series.len())
        .filter(|&i| a.series[i].count > 0)
        .collect();
    assert_eq!(hits, [2]);

    let autumn = request(
        "2026-10-24T22:00:00Z",
        "2026-10-25T23:00:00Z",
        "Europe/Berlin",
        Bucket::Hour,
    );
    let a = f.store.analytics("t1", &autumn).await.unwrap();
    assert_eq!(a.series.len(), 25);
    assert_eq!(
        starts(&a.series[2..4]),
        ["2026-10-25T02:00:00+02:00", "2026-10-25T02:00:00+01:00"]
    );
    assert_eq!((a.series[2].count, a.series[2].sentiment.positive), (1, 1));
    assert_eq!((a.series[3].count, a.series[3].sentiment.negative), (1, 1));

    let day = request(
        "2026-10-24T22:00:00Z",
        "2026-10-25T23:00:00Z",
        "Europe/Berlin",
        Bucket::Day,
    );
    let a = f.store.analytics("t1", &day).await.unwrap();
    assert_eq!(starts(&a.series), ["2026-10-25T00:00:00+02:00"]);
    assert_eq!(a.series[0].count, 2);
}

#[tokio::test]
async fn half_hour_zones_bucket_on_local_hours() {
    let f = fixture();
    // 10:59 and 11:00 in Kolkata (UTC+05:30).
    put(
        &f.store,
        "t1",
        seed("acme", "2026-03-01T05:29:00Z", Neutral),
    )
    .await;
    put(
        &f.store,
        "t1",
        seed("acme", "2026-03-01T05:30:00Z", Neutral),
    )
    .await;
    let req = request(
        "2026-03-01T04:30:00Z",
        "2026-03-01T06:30:00Z",
        "Asia/Kolkata",
        Bucket::Hour,
    );
    let a = f.store.analytics("t1", &req).await.unwrap();
    assert_eq!(
        starts(&a.series),
        ["2026-03-01T10:00:00+05:30", "2026-03-01T11:00:00+05:30"]
    );
    assert_eq!(a.series.iter().map(|b| b.count).collect::<Vec<_>>(), [1, 1]);
}

#[tokio::test]
async fn totals_rankings_health_reach_and_engagement() {
    let f = fixture();
    let mut rows = vec![
        Seed {
            source: "reddit",
            author: Some("ann"),
            text: "Acme rocket launch delayed",
            reach: Some(100),
            engagement: Some(5),
            ..seed("acme", "2026-03-02T10:00:00Z", Negative)
        },
        Seed {
            source: "reddit",
            author: Some("bob"),
            text: "Loving the Acme rocket",
            reach: Some(50),
            ..seed("acme", "2026-03-02T11:00:00Z", Positive)
        },
        Seed {
            source: "rss",
            author: Some("ann"),
            text: "Rocket rocket rocket launch",
            engagement: Some(7),
            ..seed("acme", "2026-03-03T09:00:00Z", Positive)
        },
        Seed {
            source: "x",
            text: "The launch of the year",
            reach: Some(1),
            engagement: Some(1),
            ..seed("acme", "2026-03-03T12:00:00Z", Positive)
        },
        Seed {
            source: "x",
            author: Some("cy"),
            text: "meh",
            ..seed("acme", "2026-03-04T08:00:00Z", Neutral)
        },
    ];
    // Out of range (`to` is exclusive), another monitor, unmatched and irrelevant: all ignored.
    rows.push(Seed {
        reach: Some(1000),
        ..seed("acme", "2026-03-05T00:00:00Z", Positive)
    });
    rows.push(Seed {
        reach: Some(1000),
        ..seed("globex", "2026-03-02T10:00:00Z", Positive)
    });
    for row in rows {
        put(&f.store, "t1", row).await;
    }
    let mut unmatched = new_mention(
        "acme",
        mention("https://ex.com/u", "rocket", "2026-03-02T10:00:00Z"),
        Positive,
    );
    unmatched.matched = false;
    insert(&f.store, "t1", unmatched).await;
    let noise = put(
        &f.store,
        "t1",
        Seed {
            text: "rocket noise",
            reach: Some(1000),
            ..seed("acme", "2026-03-02T12:00:00Z", Negative)
        },
    )
    .await;
    f.store
        .mark_irrelevant("t1", "acme", &noise, 1, true)
        .await
        .unwrap();

    let a = f
        .store
        .analytics(
            "t1",
            &request(
                "2026-03-02T00:00:00Z",
                "2026-03-05T00:00:00Z",
                "UTC",
                Bucket::Day,
            ),
        )
        .await
        .unwrap();
    assert_eq!(a.total, 5);
    assert_eq!(
        a.series.iter().map(|b| b.count).collect::<Vec<_>>(),
        [2, 2, 1]
    );
    assert_eq!(
        (
            a.sentiment.positive,
            a.sentiment.neutral,
            a.sentiment.negative
        ),
        (3, 1, 1)
    );
    assert_eq!(a.brand_health_index, Some(0.75));
    assert_eq!((a.reach, a.engagement), (151, 13));
    let ranked = |pairs: &[(&str, u64)]| -> Vec<Ranked> {
        pairs
            .iter()
            .map(|(n, c)| Ranked {
                name: n.to_string(),
                count: *c,
            })
            .collect()
    };
    assert_eq!(
        a.top_sources,
        ranked(&[("reddit", 2), ("x", 2), ("rss", 1)])
    );
    assert_eq!(a.top_authors, ranked(&[("ann", 2), ("bob", 1), ("cy", 1)]));
    // Counted once per mention: "rocket" appears in 3 mentions, "launch" in 3, "acme" in 2.
    assert_eq!(
        a.top_terms,
        ranked(&[("launch", 3), ("rocket", 3), ("acme", 2)])
    );
    assert!(!a.truncated);
}

#[tokio::test]
async fn health_index_is_none_without_polar_mentions() {
    let f = fixture();
    put(
        &f.store,
        "t1",
        seed("acme", "2026-03-02T10:00:00Z", Neutral),
    )
    .await;
    let a = f
        .store
        .analytics(
            "t1",
            &request(
                "2026-03-02T00:00:00Z",
                "2026-03-03T00:00:00Z",
                "UTC",
                Bucket::Day,
            ),
        )
        .await
        .unwrap();
    assert_eq!((a.total, a.brand_health_index), (1, None));
}

#[tokio::test]
async fn bad_requests_are_refused() {
    let f = fixture();
    let cases = [
        request(
            "2026-03-02T00:00:00Z",
            "2026-03-03T00:00:00Z",
            "Mars/Olympus",
            Bucket::Day,
        ),
        request(
            "2026-03-03T00:00:00Z",
            "2026-03-02T00:00:00Z",
            "UTC",
            Bucket::Day,
        ),
        request(
            "2020-01-01T00:00:00Z",
            "2026-01-01T00:00:00Z",
            "UTC",
            Bucket::Hour,
        ),
    ];
    for req in cases {
        let err = f.store.analytics("t1", &req).await.unwrap_err();
        assert!(matches!(err, PortError::Invalid(_)), "{req:?}: {err:?}");
    }
}

#[tokio::test]
async fn share_of_voice_counts_each_monitor_in_range() {
    let f = fixture();
    for (monitor, published) in [
        ("acme", "2026-03-02T10:00:00Z"),
        ("acme", "2026-03-02T11:00:00Z"),
        ("acme", "2026-03-03T11:00:00Z"),
        ("globex", "2026-03-02T12:00:00Z"),
        ("globex", "2026-03-09T12:00:00Z"),
        ("initech", "2026-02-01T12:00:00Z"),
    ] {
        put(&f.store, "t1", seed(monitor, published, Neutral)).await;
    }
    put(
        &f.store,
        "t2",
        seed("initech", "2026-03-02T12:00:00Z", Neutral),
    )
    .await;
    let monitors = ["acme".to_string(), "globex".into(), "initech".into()];
    let (from, to): (DateTime<Utc>, DateTime<Utc>) =
        (at("2026-03-01T00:00:00Z"), at("2026-03-08T00:00:00Z"));
    let sov = f
        .store
        .share_of_voice("t1", &monitors, from, to)
        .await
        .unwrap();
    assert_eq!(sov.total, 4);
    let shares: Vec<(&str, u64, f64)> = sov
        .shares
        .iter()
        .map(|s| (s.monitor_id.as_str(), s.count, s.percent))
        .collect();
    assert_eq!(
        shares,
        [("acme", 3, 75.0), ("globex", 1, 25.0), ("initech", 0, 0.0)]
    );

    let empty = f
        .store
        .share_of_voice("t1", &monitors[2..], from, to)
        .await
        .unwrap();
    assert_eq!((empty.total, empty.shares[0].percent), (0, 0.0));
    let twice = ["acme".to_string(), "acme".into()];
    let err = f
        .store
        .share_of_voice("t1", &twice, from, to)
        .await
        .unwrap_err();
    assert!(matches!(err, PortError::Invalid(_)));
}

#[tokio::test]
async fn reading_stops_at_the_cap_and_says_so() {
    let f = fixture();
    for hour in 10..13 {
        put(
            &f.store,
            "t1",
            seed("acme", &format!("2026-03-02T{hour}:00:00Z"), Neutral),
        )
        .await;
    }
    let (from, to) = (
        Some(at("2026-03-02T00:00:00Z")),
        Some(at("2026-03-03T00:00:00Z")),
    );
    let (newest, truncated) = f.store.read_range("t1", "acme", from, to, 2).await.unwrap();
    assert!(truncated);
    assert_eq!(
        newest
            .iter()
            .map(|m| m.mention.published_at)
            .collect::<Vec<_>>(),
        [at("2026-03-02T12:00:00Z"), at("2026-03-02T11:00:00Z")]
    );
    let (all, truncated) = f.store.read_range("t1", "acme", from, to, 3).await.unwrap();
    assert_eq!((all.len(), truncated), (3, false));
}
