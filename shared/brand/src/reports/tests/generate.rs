use super::support::{WEEK, at, fixture, request, seed_all, weekly_report};
use crate::mentions::{Ranked, SentimentCounts, SentimentLabel};
use crate::reports::{Competitor, Figures};
use plasma_core::PortError;

fn ranked(rows: &[Ranked]) -> Vec<(&str, u64)> {
    rows.iter().map(|r| (r.name.as_str(), r.count)).collect()
}

#[tokio::test]
async fn headline_numbers_match_the_stored_mentions() {
    let f = fixture();
    seed_all(&f, "t1").await;
    let r = weekly_report(&f, "t1").await;
    let h = r.headline;
    // Report week: the 8 acme seeds from Monday 00:30 to Sunday 23:30 local; the dismissed,
    // the unmatched and the one at the exclusive end do not count.
    assert_eq!(
        h.current,
        Figures {
            mentions: 8,
            brand_health_index: Some(4.0 / 6.0),
            sentiment: SentimentCounts {
                positive: 4,
                neutral: 2,
                negative: 2
            },
            reach: 1_000 + 5_000 + 200 + 5_000 + 10 + 50,
            engagement: 10 + 50 + 300 + 40 + 80 + 1 + 5,
        }
    );
    assert_eq!(
        h.previous,
        Figures {
            mentions: 4,
            brand_health_index: Some(0.5),
            sentiment: SentimentCounts {
                positive: 2,
                neutral: 0,
                negative: 2
            },
            reach: 400,
            engagement: 40,
        }
    );
    assert_eq!(h.mentions_change, Some(100.0));
    let bhi_change = h.brand_health_change.expect("both periods have an index");
    assert!((bhi_change - (4.0 / 6.0 - 0.5)).abs() < 1e-12);
    assert_eq!(h.sentiment_percent(SentimentLabel::Positive), 50.0);
    assert_eq!(h.sentiment_percent(SentimentLabel::Negative), 25.0);
    assert!(!r.truncated);
    assert_eq!((r.from, r.to), (at(WEEK.0), at(WEEK.1)));
    assert_eq!(r.period(), "2026-03-16 to 2026-03-22");
}

#[tokio::test]
async fn days_share_of_voice_and_top_lists() {
    let f = fixture();
    seed_all(&f, "t1").await;
    let r = weekly_report(&f, "t1").await;
    let days: Vec<(String, u64, u64, u64, u64)> = r
        .days
        .iter()
        .map(|d| {
            let s = d.sentiment;
            (
                d.date.to_string(),
                d.mentions,
                s.positive,
                s.neutral,
                s.negative,
            )
        })
        .collect();
    assert_eq!(
        days,
        [
            ("2026-03-16", 3, 1, 1, 1),
            ("2026-03-17", 1, 1, 0, 0),
            ("2026-03-18", 2, 1, 1, 0),
            ("2026-03-19", 0, 0, 0, 0),
            ("2026-03-20", 1, 0, 0, 1),
            ("2026-03-21", 0, 0, 0, 0),
            ("2026-03-22", 1, 1, 0, 0),
        ]
        .map(|(d, n, p, u, m)| (d.to_string(), n, p, u, m))
    );
    let voice: Vec<(&str, &str, u64, f64)> = r
        .share_of_voice
        .iter()
        .map(|v| {
            (
                v.monitor_id.as_str(),
                v.name.as_str(),
                v.mentions,
                v.percent,
            )
        })
        .collect();
    assert_eq!(
        voice,
        [
            ("acme", "Acme <Skates> & Co", 8, 40.0),
            ("globex", "Globex", 12, 60.0)
        ]
    );
    // By reach, then engagement: the two 5,000-reach mentions are ordered by engagement and
    // the two without reach come last.
    let top: Vec<(&str, Option<u64>, Option<u64>)> = r
        .top_mentions
        .iter()
        .map(|m| (m.excerpt.as_str(), m.reach, m.engagement))
        .collect();
    assert_eq!(
        top,
        [
            ("Acme skates | best | buy", Some(5_000), Some(80)),
            (
                "<script>alert(1)</script> acme skates broke",
                Some(5_000),
                Some(50)
            ),
            ("Acme launches rocket skates", Some(1_000), Some(10)),
            ("Acme rocket skates review", Some(200), Some(300)),
            ("Acme skates weekend", Some(50), Some(5)),
            ("Acme skates recall rumour", Some(10), Some(1)),
            ("Show HN: acme skates teardown", None, Some(40)),
            ("Acme skates news roundup", None, None),
        ]
    );
    assert_eq!(
        r.top_mentions[0].published_at.to_rfc3339(),
        "2026-03-18T16:00:00+01:00"
    );
    assert_eq!(
        ranked(&r.top_sources),
        [("rss", 5), ("reddit", 2), ("hackernews", 1)]
    );
    assert_eq!(
        ranked(&r.top_authors),
        [
            ("Ann", 2),
            ("<b>Bob</b>", 1),
            ("Bob", 1),
            ("Cy", 1),
            ("Dee", 1)
        ]
    );
    assert_eq!(ranked(&r.top_terms)[..2], [("acme", 8), ("skates", 8)]);
}

#[tokio::test]
async fn the_same_input_gives_the_same_report() {
    let (a, b) = (fixture(), fixture());
    seed_all(&a, "t1").await;
    seed_all(&b, "t1").await;
    let (ra, rb) = (weekly_report(&a, "t1").await, weekly_report(&b, "t1").await);
    assert_eq!(ra, rb);
    assert_eq!(ra.id, "20260323T060000.000Z-r000001");
    assert_eq!(
        crate::reports::render_html(&ra),
        crate::reports::render_html(&rb)
    );
}

#[tokio::test]
async fn an_empty_period_reports_zeros() {
    let f = fixture();
    let r = weekly_report(&f, "t1").await;
    assert_eq!(r.headline.current, Figures::default());
    assert_eq!(r.headline.mentions_change, None);
    assert_eq!(r.headline.brand_health_change, None);
    assert_eq!(r.days.len(), 7);
    assert!(r.share_of_voice.iter().all(|v| v.percent == 0.0));
    assert!(r.top_mentions.is_empty());
}

#[tokio::test]
async fn bad_requests_are_refused_before_reading() {
    let f = fixture();
    let mut long = request();
    long.from = at("2025-01-01T00:00:00Z");
    let mut self_competitor = request();
    self_competitor.competitors.push(Competitor {
        monitor_id: "acme".into(),
        name: "Acme again".into(),
    });
    let mut zone = request();
    zone.time_zone = "Mars/Olympus".into();
    let mut backwards = request();
    backwards.to = backwards.from;
    for bad in [long, self_competitor, zone, backwards] {
        let err = f.reports.generate("t1", &bad).await.unwrap_err();
        assert!(matches!(err, PortError::Invalid(_)), "{err:?}");
    }
}
