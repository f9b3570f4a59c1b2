use super::support::{MONITOR, TENANT, fixture};
use crate::alerts::{AlertKind, RuleKind};
use crate::mentions::SentimentLabel::Neutral;
use chrono::Duration;

#[tokio::test]
async fn keyword_alerts_once_per_mention() {
    let f = fixture().await;
    let terms = vec!["out of stock".to_string(), "Recall".to_string()];
    f.rule(RuleKind::Keyword { terms }, 1).await;
    let hit = f
        .seed(
            TENANT,
            Duration::minutes(1),
            Neutral,
            "Product RECALL announced",
            None,
        )
        .await;
    let miss = f
        .seed(
            TENANT,
            Duration::minutes(1),
            Neutral,
            "stock ran out of steam",
            None,
        )
        .await;
    let raised = f
        .alerts
        .evaluate(TENANT, MONITOR, &[hit.clone(), miss.clone()])
        .await
        .unwrap();
    assert_eq!(raised.len(), 1);
    assert_eq!(raised[0].kind, AlertKind::Keyword);
    assert_eq!(raised[0].mention_ids, vec![hit.key.clone()]);
    assert!(raised[0].summary.contains("matches \"Recall\""));

    // After the cooldown the same mention (a re-scan, a redelivered batch) stays quiet.
    f.clock.advance(Duration::minutes(5));
    let again = f
        .alerts
        .evaluate(TENANT, MONITOR, std::slice::from_ref(&hit))
        .await
        .unwrap();
    assert!(again.is_empty());
    let other = f
        .seed(
            TENANT,
            Duration::minutes(1),
            Neutral,
            "Out-of-stock everywhere",
            None,
        )
        .await;
    let raised = f
        .alerts
        .evaluate(TENANT, MONITOR, &[hit, other.clone()])
        .await
        .unwrap();
    assert_eq!(raised.len(), 1);
    assert_eq!(raised[0].mention_ids, vec![other.key]);
    assert_eq!(f.slack.bodies().len(), 2);
}

#[tokio::test]
async fn high_reach_alerts_once_per_mention_and_respects_the_cooldown() {
    let f = fixture().await;
    f.rule(RuleKind::HighReach { min_reach: 5_000 }, 30).await;
    let small = f
        .seed(TENANT, Duration::minutes(2), Neutral, "a post", Some(100))
        .await;
    let big = f
        .seed(
            TENANT,
            Duration::minutes(2),
            Neutral,
            "a post",
            Some(50_000),
        )
        .await;
    let raised = f
        .alerts
        .evaluate(TENANT, MONITOR, &[small, big.clone()])
        .await
        .unwrap();
    assert_eq!(raised.len(), 1);
    assert_eq!(raised[0].mention_ids, vec![big.key.clone()]);
    assert!(raised[0].summary.contains("reach 50000"));

    // Concurrent evaluations of one batch: one alert.
    let bigger = f
        .seed(TENANT, Duration::minutes(1), Neutral, "viral", Some(90_000))
        .await;
    f.clock.advance(Duration::minutes(31));
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let alerts = f.alerts.clone();
            let batch = vec![big.clone(), bigger.clone()];
            tokio::spawn(async move { alerts.evaluate(TENANT, MONITOR, &batch).await })
        })
        .collect();
    let mut raised = Vec::new();
    for task in tasks {
        raised.extend(task.await.unwrap().unwrap());
    }
    assert_eq!(raised.len(), 1);
    assert_eq!(raised[0].mention_ids, vec![bigger.key]);

    // Within the cooldown a new big mention raises nothing.
    let third = f
        .seed(TENANT, Duration::minutes(1), Neutral, "again", Some(70_000))
        .await;
    assert!(
        f.alerts
            .evaluate(TENANT, MONITOR, &[third])
            .await
            .unwrap()
            .is_empty()
    );
}
