use super::support::{MONITOR, TENANT, fixture, volume};
use crate::alerts::{Channel, Channels, DeliveryStatus, NewRule, RuleKind, SpikeThresholds};
use crate::mentions::SentimentLabel::Neutral;
use chrono::Duration;
use plasma_core::PortError;
use std::sync::atomic::Ordering;

fn keyword() -> RuleKind {
    RuleKind::Keyword {
        terms: vec!["launch".into()],
    }
}

#[tokio::test]
async fn slack_receives_a_text_payload_as_json() {
    let f = fixture().await;
    f.rule(keyword(), 5).await;
    let m = f
        .seed(
            TENANT,
            Duration::minutes(1),
            Neutral,
            "The launch went well",
            None,
        )
        .await;
    let raised = f.alerts.evaluate(TENANT, MONITOR, &[m]).await.unwrap();
    assert_eq!(raised.len(), 1);
    let requests = f.slack.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 1);
    let (headers, body) = &requests[0];
    assert_eq!(headers["content-type"], "application/json");
    let object = body.as_object().unwrap();
    assert_eq!(object.len(), 1, "Slack gets only text: {body}");
    let text = object["text"].as_str().unwrap();
    assert!(
        text.starts_with(
            "*Brand alert* (keyword) watch: matches \"launch\": rss https://news.example.com/"
        ),
        "{text}"
    );
}

#[tokio::test]
async fn a_failing_slack_is_retried_and_recorded() {
    let f = fixture().await;
    f.rule(keyword(), 5).await;
    f.slack.status.store(503, Ordering::Relaxed);
    let m = f
        .seed(TENANT, Duration::minutes(1), Neutral, "launch day", None)
        .await;
    let raised = f.alerts.evaluate(TENANT, MONITOR, &[m]).await.unwrap();
    assert_eq!(f.slack.bodies().len(), 3);
    let stored = f
        .alerts
        .alert(TENANT, &raised[0].id)
        .await
        .unwrap()
        .unwrap();
    let slack = &stored.deliveries[0];
    assert_eq!(
        (slack.channel, slack.status, slack.attempts),
        (Channel::Slack, DeliveryStatus::Failed, 3)
    );
    assert!(slack.error.as_deref().unwrap().contains("503"));

    // A client error other than 429 is not retried.
    f.slack.status.store(404, Ordering::Relaxed);
    f.clock.advance(Duration::minutes(6));
    let m = f
        .seed(TENANT, Duration::minutes(1), Neutral, "launch again", None)
        .await;
    let raised = f.alerts.evaluate(TENANT, MONITOR, &[m]).await.unwrap();
    assert_eq!(raised[0].deliveries[0].attempts, 1);
    assert_eq!(f.slack.bodies().len(), 4);
}

#[tokio::test]
async fn webhooks_without_an_endpoint_are_recorded_as_failed() {
    let f = fixture().await;
    let new = NewRule {
        name: "hooks".into(),
        kind: keyword(),
        cooldown_minutes: 5,
        channels: Channels {
            slack_webhook_url: None,
            signed_webhooks: true,
        },
    };
    f.alerts.create_rule(TENANT, MONITOR, new).await.unwrap();
    let m = f
        .seed(TENANT, Duration::minutes(1), Neutral, "launch", None)
        .await;
    let raised = f.alerts.evaluate(TENANT, MONITOR, &[m]).await.unwrap();
    let hooks = &raised[0].deliveries[0];
    assert_eq!(
        (hooks.channel, hooks.status),
        (Channel::Webhooks, DeliveryStatus::Failed)
    );
}

#[tokio::test]
async fn acknowledge_is_idempotent() {
    let f = fixture().await;
    f.rule(keyword(), 5).await;
    let m = f
        .seed(TENANT, Duration::minutes(1), Neutral, "launch", None)
        .await;
    let alert = f
        .alerts
        .evaluate(TENANT, MONITOR, &[m])
        .await
        .unwrap()
        .remove(0);
    assert_eq!(alert.acknowledged_at, None);
    f.clock.advance(Duration::minutes(2));
    let acked = f
        .alerts
        .acknowledge(TENANT, &alert.id, "ann")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(acked.acknowledged_at, Some(f.now()));
    assert_eq!(acked.acknowledged_by.as_deref(), Some("ann"));
    assert_eq!(acked.version, alert.version + 1);
    f.clock.advance(Duration::minutes(2));
    let again = f
        .alerts
        .acknowledge(TENANT, &alert.id, "bob")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again, acked);
    assert!(
        f.alerts
            .acknowledge(TENANT, "nope", "ann")
            .await
            .unwrap()
            .is_none()
    );
    assert!(matches!(
        f.alerts.acknowledge(TENANT, &alert.id, " ").await,
        Err(PortError::Invalid(_))
    ));
    // Concurrent acknowledgements of a fresh alert: all succeed, one is kept.
    f.clock.advance(Duration::minutes(6));
    let m = f
        .seed(TENANT, Duration::minutes(1), Neutral, "launch 2", None)
        .await;
    let fresh = f
        .alerts
        .evaluate(TENANT, MONITOR, &[m])
        .await
        .unwrap()
        .remove(0);
    let tasks: Vec<_> = ["a", "b", "c"]
        .into_iter()
        .map(|who| {
            let alerts = f.alerts.clone();
            let id = fresh.id.clone();
            tokio::spawn(async move { alerts.acknowledge(TENANT, &id, who).await })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap().unwrap().unwrap());
    }
    assert!(results.windows(2).all(|w| w[0] == w[1]));
    assert_eq!(results[0].version, fresh.version + 1);
}

#[tokio::test]
async fn history_is_newest_first_and_paged() {
    let f = fixture().await;
    f.rule(keyword(), 1).await;
    let mut raised = Vec::new();
    for i in 0..5 {
        let m = f
            .seed(
                TENANT,
                Duration::seconds(10),
                Neutral,
                &format!("launch {i}"),
                None,
            )
            .await;
        raised.extend(f.alerts.evaluate(TENANT, MONITOR, &[m]).await.unwrap());
        f.clock.advance(Duration::minutes(2));
    }
    assert_eq!(raised.len(), 5);
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = f
            .alerts
            .history(TENANT, Some(MONITOR), 2, cursor)
            .await
            .unwrap();
        assert!(page.alerts.len() <= 2);
        seen.extend(page.alerts.into_iter().map(|a| a.id));
        cursor = page.next;
        if cursor.is_none() {
            break;
        }
    }
    let newest_first: Vec<_> = raised.iter().rev().map(|a| a.id.clone()).collect();
    assert_eq!(seen, newest_first);
    let all = f.alerts.history(TENANT, None, 100, None).await.unwrap();
    assert_eq!(all.alerts.len(), 5);
    assert!(
        f.alerts
            .history(TENANT, Some("other"), 10, None)
            .await
            .unwrap()
            .alerts
            .is_empty()
    );
}

#[tokio::test]
async fn tenants_are_isolated() {
    let f = fixture().await;
    f.rule(keyword(), 5).await;
    let theirs = f
        .seed("globex", Duration::minutes(1), Neutral, "launch", None)
        .await;
    // A mention of another tenant is ignored, and that tenant has no rules anyway.
    assert!(
        f.alerts
            .evaluate(TENANT, MONITOR, std::slice::from_ref(&theirs))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        f.alerts
            .evaluate("globex", MONITOR, &[theirs])
            .await
            .unwrap()
            .is_empty()
    );
    assert!(f.alerts.rules("globex", MONITOR).await.unwrap().is_empty());

    let ours = f
        .seed(TENANT, Duration::minutes(1), Neutral, "launch", None)
        .await;
    let alert = f
        .alerts
        .evaluate(TENANT, MONITOR, &[ours])
        .await
        .unwrap()
        .remove(0);
    assert!(
        f.alerts
            .history("globex", None, 10, None)
            .await
            .unwrap()
            .alerts
            .is_empty()
    );
    assert!(f.alerts.alert("globex", &alert.id).await.unwrap().is_none());
    assert!(
        f.alerts
            .acknowledge("globex", &alert.id, "eve")
            .await
            .unwrap()
            .is_none()
    );
    let rule = &f.alerts.rules(TENANT, MONITOR).await.unwrap()[0];
    assert!(
        !f.alerts
            .delete_rule("globex", MONITOR, &rule.id)
            .await
            .unwrap()
    );
    assert!(matches!(
        f.alerts.history("a#b", None, 10, None).await,
        Err(PortError::Invalid(_))
    ));
}

#[tokio::test]
async fn rules_are_validated_listed_and_deleted() {
    let f = fixture().await;
    let bad = |kind: RuleKind, slack: Option<&str>| NewRule {
        name: "x".into(),
        kind,
        cooldown_minutes: 10,
        channels: Channels {
            slack_webhook_url: slack.map(str::to_string),
            signed_webhooks: false,
        },
    };
    let no_threshold = RuleKind::VolumeSpike {
        spike: SpikeThresholds {
            window_minutes: 60,
            min_count: 5,
            z_score: None,
            growth_pct: None,
        },
    };
    let long_window = RuleKind::VolumeSpike {
        spike: SpikeThresholds {
            window_minutes: 2 * 24 * 60,
            min_count: 5,
            z_score: Some(3.0),
            growth_pct: None,
        },
    };
    for new in [
        bad(no_threshold, None),
        bad(long_window, None),
        bad(
            RuleKind::Keyword {
                terms: vec![" - ".into()],
            },
            None,
        ),
        bad(RuleKind::HighReach { min_reach: 0 }, None),
        bad(keyword(), Some("file:///etc/passwd")),
        NewRule {
            cooldown_minutes: 0,
            ..bad(keyword(), None)
        },
    ] {
        assert!(matches!(
            f.alerts.create_rule(TENANT, MONITOR, new).await,
            Err(PortError::Invalid(_))
        ));
    }
    // The JSON form the routes will accept.
    let json = serde_json::json!({
        "name": "Spike",
        "kind": {"type": "volume_spike", "spike": {"min_count": 10, "z_score": 3.0}},
        "channels": {"slack_webhook_url": f.slack.url()}
    });
    let new: NewRule = serde_json::from_value(json).unwrap();
    assert_eq!(new.cooldown_minutes, 60);
    let rule = f.alerts.create_rule(TENANT, MONITOR, new).await.unwrap();
    let other = f.rule(volume(3), 5).await;
    let ids: Vec<_> = f
        .alerts
        .rules(TENANT, MONITOR)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(ids, vec![rule.id.clone(), other.id.clone()]);
    assert!(
        f.alerts
            .delete_rule(TENANT, MONITOR, &rule.id)
            .await
            .unwrap()
    );
    assert!(
        !f.alerts
            .delete_rule(TENANT, MONITOR, &rule.id)
            .await
            .unwrap()
    );
    assert_eq!(f.alerts.rules(TENANT, MONITOR).await.unwrap(), vec![other]);
}
