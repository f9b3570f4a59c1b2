use crate::Mention;
use crate::alerts::{Alerts, AlertsConfig, Channels, NewRule, Rule, RuleKind, SpikeThresholds};
use crate::mentions::{
    Insert, MentionStore, NewMention, SentimentLabel, SentimentScore, StoredMention,
};
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use chrono::{DateTime, Duration, Utc};
use plasma_core::{ManualClock, QueueSpec, SequentialIds};
use plasma_embedded::{EmbeddedScheduler, SqliteItemStore, SqliteQueue};
use plasma_gateway::webhooks::{NewEndpoint, Policy, Webhooks, WebhooksDeps};
use plasma_http::outbound::Egress;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU16, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use tempfile::TempDir;

pub const TENANT: &str = "acme";
pub const MONITOR: &str = "brand";

pub fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .expect("test timestamp")
        .with_timezone(&Utc)
}

/// Noon; the baseline and bursts are seeded relative to it.
pub fn start() -> DateTime<Utc> {
    at("2026-04-08T12:00:00Z")
}

pub struct Fixture {
    pub alerts: Alerts,
    pub mentions: MentionStore,
    pub webhooks: Webhooks,
    pub clock: Arc<ManualClock>,
    pub slack: Receiver,
    seq: AtomicU32,
    _dir: TempDir,
}

pub async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(ManualClock::new(start()));
    let ids = Arc::new(SequentialIds::new("a"));
    let items = Arc::new(
        SqliteItemStore::open(&dir.path().join("items.db"), clock.clone()).expect("items"),
    );
    let spec = QueueSpec {
        name: "webhooks".into(),
        visibility_timeout: std::time::Duration::from_secs(30),
        max_receives: 0,
        dead_letter: None,
    };
    let queue = Arc::new(
        SqliteQueue::open(
            &dir.path().join("queue.db"),
            vec![spec],
            clock.clone(),
            ids.clone(),
        )
        .expect("queue"),
    );
    let scheduler = Arc::new(
        EmbeddedScheduler::open(&dir.path().join("sched.db"), queue.clone(), clock.clone())
            .expect("scheduler"),
    );
    let egress = Egress {
        allow_private: true,
    };
    let cipher = Arc::new(
        plasma_embedded::LocalCipher::open(&dir.path().join("cipher.key")).expect("cipher"),
    );
    let webhooks = Webhooks::new(WebhooksDeps {
        items: items.clone(),
        cipher,
        queue,
        scheduler,
        clock: clock.clone(),
        ids: ids.clone(),
        jobs_queue: "webhooks".into(),
        policy: Policy {
            egress,
            ..Policy::default()
        },
    });
    let mentions = MentionStore::new(items, clock.clone());
    let config = AlertsConfig {
        egress,
        slack_timeout: std::time::Duration::from_secs(5),
        slack_attempts: 3,
        slack_backoff: std::time::Duration::from_millis(10),
    };
    let alerts = Alerts::new(
        mentions.clone(),
        webhooks.clone(),
        clock.clone(),
        ids,
        config,
    );
    Fixture {
        alerts,
        mentions,
        webhooks,
        clock,
        slack: Receiver::start().await,
        seq: AtomicU32::new(0),
        _dir: dir,
    }
}

impl Fixture {
    pub fn now(&self) -> DateTime<Utc> {
        plasma_core::Clock::now(self.clock.as_ref())
    }

    /// Store a mention published `ago` before now.
    pub async fn seed(
        &self,
        tenant: &str,
        ago: Duration,
        label: SentimentLabel,
        text: &str,
        reach: Option<u64>,
    ) -> StoredMention {
        let n = self.seq.fetch_add(1, Ordering::Relaxed);
        let url = format!("https://news.example.com/{n}");
        let mention = Mention {
            id: url.clone(),
            url,
            source: "rss".into(),
            author: None,
            published_at: self.now() - ago,
            text: format!("{text} #{n}"),
            language: Some("en".into()),
            reach,
            engagement: None,
        };
        let compound = match label {
            SentimentLabel::Positive => 0.6,
            SentimentLabel::Neutral => 0.0,
            SentimentLabel::Negative => -0.6,
        };
        let new = NewMention {
            mention,
            monitor_id: MONITOR.into(),
            matched: true,
            sentiment: SentimentScore { compound, label },
            targeted: BTreeMap::new(),
            tags: Vec::new(),
        };
        match self.mentions.insert(tenant, new).await.expect("insert") {
            Insert::New(stored) => *stored,
            Insert::Duplicate => panic!("unexpected duplicate"),
        }
    }

    /// `per_day` mentions (`negative` of them negative) in the hour before now on each of the
    /// previous seven days.
    pub async fn seed_baseline(&self, per_day: u32, negative: u32) {
        for day in 1..=7 {
            for i in 0..per_day {
                let label = if i < negative {
                    SentimentLabel::Negative
                } else {
                    SentimentLabel::Neutral
                };
                let ago = Duration::days(day)
                    + Duration::minutes(5 + i64::from(i) * 50 / i64::from(per_day));
                self.seed(TENANT, ago, label, "steady chatter", None).await;
            }
        }
    }

    /// `count` mentions within the last hour.
    pub async fn seed_burst(&self, count: u32, label: SentimentLabel) -> Vec<StoredMention> {
        let mut out = Vec::new();
        for i in 0..count {
            let ago = Duration::minutes(1 + i64::from(i) * 55 / i64::from(count));
            out.push(
                self.seed(TENANT, ago, label, "everyone is talking", None)
                    .await,
            );
        }
        out
    }

    pub async fn rule(&self, kind: RuleKind, cooldown_minutes: u32) -> Rule {
        self.alerts
            .create_rule(
                TENANT,
                MONITOR,
                NewRule {
                    name: "watch".into(),
                    kind,
                    cooldown_minutes,
                    channels: Channels {
                        slack_webhook_url: Some(self.slack.url()),
                        signed_webhooks: false,
                    },
                },
            )
            .await
            .expect("create rule")
    }

    pub async fn endpoint(&self, tenant: &str) -> String {
        let new = NewEndpoint {
            url: "http://127.0.0.1:9/hook".into(),
            description: String::new(),
            events: vec!["brand.alert".into()],
        };
        self.webhooks
            .create_endpoint(tenant, new)
            .await
            .expect("endpoint")
            .0
            .id
    }
}

pub fn volume(min_count: u32) -> RuleKind {
    RuleKind::VolumeSpike {
        spike: SpikeThresholds {
            window_minutes: 60,
            min_count,
            z_score: Some(3.0),
            growth_pct: Some(200.0),
        },
    }
}

/// A local stand-in for a Slack incoming webhook: records every request, answers `status`.
#[derive(Clone)]
pub struct Receiver {
    pub requests: Arc<Mutex<Vec<(HeaderMap, Value)>>>,
    pub status: Arc<AtomicU16>,
    addr: std::net::SocketAddr,
}

impl Receiver {
    async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let receiver = Receiver {
            requests: Arc::default(),
            status: Arc::new(AtomicU16::new(200)),
            addr: listener.local_addr().expect("addr"),
        };
        let app = Router::new()
            .route("/services/hook", post(receive))
            .with_state(receiver.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        receiver
    }

    pub fn url(&self) -> String {
        format!("http://{}/services/hook", self.addr)
    }

    pub fn bodies(&self) -> Vec<Value> {
        let requests = self.requests.lock().expect("lock");
        requests.iter().map(|(_, body)| body.clone()).collect()
    }
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: String) -> StatusCode {
    let body = serde_json::from_str(&body).unwrap_or(Value::String(body));
    r.requests.lock().expect("lock").push((headers, body));
    StatusCode::from_u16(r.status.load(Ordering::Relaxed)).unwrap_or(StatusCode::OK)
}
