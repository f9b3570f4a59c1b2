use super::support::{MONITOR, TENANT, fixture, volume};
use crate::alerts::{
    AlertKind, Channel, Channels, DeliveryStatus, NegativeMeasure, NewRule, RuleKind,
    SpikeThresholds,
};
use crate::mentions::SentimentLabel::{Negative, Neutral};
use chrono::Duration;

#[tokio::test]
async fn a_spike_raises_exactly_one_alert_within_the_cooldown() {
    let f = fixture().await;
    let endpoint = f.endpoint(TENANT).await;
    let rule = f
        .alerts
        .create_rule(
            TENANT,
            MONITOR,
            NewRule {
                name: "Volume".into(),
                kind: volume(10),
                cooldown_minutes: 120,
                channels: Channels {
                    slack_webhook_url: Some(f.slack.url()),
                    signed_webhooks: true,
                },
            },
        )
        .await
        .unwrap();
    f.seed_baseline(5, 0).await;
    assert!(
        f.alerts
            .evaluate(TENANT, MONITOR, &[])
            .await
            .unwrap()
            .is_empty()
    );

    // Evaluations racing on the same burst (several scans finishing at once) raise one alert.
    let burst = f.seed_burst(30, Neutral).await;
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let alerts = f.alerts.clone();
            let burst = burst.clone();
            tokio::spawn(async move { alerts.evaluate(TENANT, MONITOR, &burst).await })
        })
        .collect();
    let mut first = Vec::new();
    for task in tasks {
        first.extend(task.await.unwrap().unwrap());
    }
    assert_eq!(first.len(), 1);
    let alert = &first[0];
    assert_eq!(alert.kind, AlertKind::VolumeSpike);
    assert_eq!(alert.rule_id, rule.id);
    let d = alert.details.as_ref().unwrap();
    assert_eq!((d.current, d.baseline_mean, d.stddev), (30.0, 5.0, 0.0));
    assert_eq!(d.z, 25.0);
    assert_eq!(d.baseline_windows, 7);

    // Later evaluations within the cooldown stay quiet.
    for _ in 0..2 {
        assert!(
            f.alerts
                .evaluate(TENANT, MONITOR, &burst)
                .await
                .unwrap()
                .is_empty()
        );
    }
    f.clock.advance(Duration::minutes(60));
    assert!(
        f.alerts
            .evaluate(TENANT, MONITOR, &[])
            .await
            .unwrap()
            .is_empty()
    );

    // Delivered once to Slack and once to the signed webhooks, and recorded so.
    let bodies = f.slack.bodies();
    assert_eq!(bodies.len(), 1);
    assert!(bodies[0]["text"].as_str().unwrap().contains(&alert.summary));
    let stored = f.alerts.alert(TENANT, &alert.id).await.unwrap().unwrap();
    assert_eq!(stored.deliveries, alert.deliveries);
    assert_eq!(stored.deliveries[0].channel, Channel::Slack);
    assert_eq!(stored.deliveries[0].status, DeliveryStatus::Delivered);
    assert_eq!(stored.deliveries[1].channel, Channel::Webhooks);
    assert_eq!(stored.deliveries[1].status, DeliveryStatus::Queued);
    let (sent, _) = f
        .webhooks
        .deliveries(TENANT, &endpoint, 10, None)
        .await
        .unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].event_type, "brand.alert");
    assert_eq!(sent[0].payload["id"], alert.id.as_str());
    assert_eq!(sent[0].payload["kind"], "volume_spike");
    assert_eq!(sent[0].payload["details"]["z"], 25.0);
    assert_eq!(
        stored.deliveries[1].webhook_deliveries,
        vec![sent[0].id.clone()]
    );

    // Past the cooldown, a new burst in the new window alerts again.
    f.clock.advance(Duration::minutes(90));
    let burst = f.seed_burst(20, Neutral).await;
    let second = f.alerts.evaluate(TENANT, MONITOR, &burst).await.unwrap();
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].details.as_ref().unwrap().current, 20.0);
    assert_eq!(f.slack.bodies().len(), 2);
    let history = f.alerts.history(TENANT, None, 10, None).await.unwrap();
    assert_eq!(history.alerts.len(), 2);
}

#[tokio::test]
async fn no_alert_below_the_minimum_count() {
    let f = fixture().await;
    f.rule(volume(5), 60).await;
    f.seed_baseline(1, 0).await;
    // 1 → 4 is +300% and z 3, but fewer than 5 mentions.
    let burst = f.seed_burst(4, Neutral).await;
    assert!(
        f.alerts
            .evaluate(TENANT, MONITOR, &burst)
            .await
            .unwrap()
            .is_empty()
    );
    let more = f.seed_burst(1, Neutral).await;
    assert_eq!(
        f.alerts
            .evaluate(TENANT, MONITOR, &more)
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn ordinary_variation_does_not_alert() {
    let f = fixture().await;
    f.rule(volume(3), 60).await;
    f.seed_baseline(6, 0).await;
    let burst = f.seed_burst(8, Neutral).await; // z 2, +33%
    assert!(
        f.alerts
            .evaluate(TENANT, MONITOR, &burst)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(f.slack.bodies().is_empty());
}

fn negative(measure: NegativeMeasure, min_count: u32) -> RuleKind {
    RuleKind::NegativeSpike {
        spike: SpikeThresholds {
            window_minutes: 60,
            min_count,
            z_score: Some(3.0),
            growth_pct: None,
        },
        measure,
    }
}

#[tokio::test]
async fn negative_spike_counts_negative_mentions_only() {
    let f = fixture().await;
    let rule = f.rule(negative(NegativeMeasure::Count, 5), 60).await;
    f.seed_baseline(10, 1).await;
    // Plenty of neutral volume is no negative spike.
    let neutral = f.seed_burst(40, Neutral).await;
    assert!(
        f.alerts
            .evaluate(TENANT, MONITOR, &neutral)
            .await
            .unwrap()
            .is_empty()
    );
    let bad = f.seed_burst(8, Negative).await;
    let raised = f.alerts.evaluate(TENANT, MONITOR, &bad).await.unwrap();
    assert_eq!(raised.len(), 1);
    assert_eq!(raised[0].kind, AlertKind::NegativeSpike);
    assert_eq!(raised[0].rule_id, rule.id);
    let d = raised[0].details.as_ref().unwrap();
    assert_eq!((d.current, d.baseline_mean), (8.0, 1.0));
}

#[tokio::test]
async fn negative_share_spike() {
    let f = fixture().await;
    f.rule(negative(NegativeMeasure::Share, 3), 60).await;
    f.seed_baseline(10, 1).await; // 10% negative
    f.seed_burst(6, Neutral).await;
    let bad = f.seed_burst(4, Negative).await; // 40% negative
    let raised = f.alerts.evaluate(TENANT, MONITOR, &bad).await.unwrap();
    assert_eq!(raised.len(), 1);
    let d = raised[0].details.as_ref().unwrap();
    assert!((d.current - 0.4).abs() < 1e-9 && (d.baseline_mean - 0.1).abs() < 1e-9);
    assert!(
        raised[0].summary.contains("40% negative share"),
        "{}",
        raised[0].summary
    );
}
