//! Rate limiting: the bucket arithmetic against a hand-moved clock, the limiter's
//! all-or-nothing take and failure policy on a real store, and the acceptance test: two
//! runners sharing one data directory admit exactly the limit under concurrent load.

use crate::common::{header, json};
use async_trait::async_trait;
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use plasma::serve::{Options, Server};
use plasma_core::{
    Clock, Condition, Item, ItemStore, Key, ManualClock, Page, PortError, PortResult, Query, TxOp,
    Update, UuidV7Ids,
};
use plasma_gateway::rate_limit::{Quota, Rate, RateLimiter, RateLimits};
use plasma_gateway::{DevKey, Principal};
use plasma_platform::Platform;
use plasma_platform::Settings;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use tempfile::TempDir;

/// 25 per minute per tenant, generous per principal: the tenant bucket is the one that binds.
const TENANT_25: &str = r#"{"default_plan": "test",
    "plans": {"test": {"tenant_per_minute": 25, "principal_per_minute": 100}}}"#;

fn limits(json: &str) -> RateLimits {
    RateLimits::parse(json).expect("valid limits")
}

fn who(tenant: &str, subject: &str) -> Principal {
    Principal {
        tenant: tenant.into(),
        subject: subject.into(),
        roles: Vec::new(),
        scopes: Vec::new(),
    }
}

#[test]
fn a_bucket_refills_in_proportion_to_the_clock() {
    let clock = ManualClock::new(Utc::now());
    let now = || clock.now().timestamp_millis();
    let rate = Rate::per_minute(NonZeroU32::new(6).unwrap());
    let mut bucket = rate.refill(None, now());
    for _ in 0..6 {
        bucket = rate.take(bucket).expect("a token left");
    }
    assert_eq!(rate.take(bucket), None);
    assert_eq!(rate.retry_after_secs(bucket), 10, "one token per 10 s");
    let empty = Quota {
        limit: 6,
        remaining: 0,
        reset_secs: 60,
    };
    assert_eq!(rate.quota(bucket), empty);

    clock.advance(Duration::seconds(25));
    bucket = rate.refill(Some(bucket), now());
    let quota = rate.quota(bucket);
    assert_eq!(
        (quota.remaining, quota.reset_secs),
        (2, 35),
        "2.5 tokens back"
    );

    let behind = rate.refill(Some(bucket), now() - 30_000);
    assert_eq!(
        behind, bucket,
        "a clock behind the last writer adds nothing"
    );

    clock.advance(Duration::minutes(10));
    bucket = rate.refill(Some(bucket), now());
    assert_eq!(
        rate.quota(bucket).remaining,
        6,
        "never more than one window's worth"
    );
    let taken = rate.take(bucket).unwrap();
    assert_eq!(
        rate.expires_at(taken),
        (now() + 10_000 + 999) / 1000 + 60,
        "kept until full again, plus slack"
    );
}

/// A limiter on a real embedded store, with a clock the test moves.
struct Fixture {
    _dir: TempDir,
    clock: Arc<ManualClock>,
    items: Arc<dyn ItemStore>,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let clock = Arc::new(ManualClock::new(Utc::now()));
        let platform = Platform::embedded(
            plasma_platform::EmbeddedRuntime {
                data_dir: dir.path().to_owned(),
                public_url: "http://127.0.0.1:1".into(),
                clock: clock.clone(),
                ids: Arc::new(UuidV7Ids),
            },
            plasma_platform::Settings::default(),
        )
        .expect("embedded platform");
        Self {
            _dir: dir,
            clock,
            items: platform.ports.items,
        }
    }

    fn limiter(&self, json: &str) -> RateLimiter {
        RateLimiter::new(self.items.clone(), self.clock.clone(), limits(json))
    }
}

/// The quota of an admitted request, or the refusal as the client sees it.
async fn admit(limiter: &RateLimiter, who: &Principal) -> Result<Quota, Response> {
    limiter
        .admit(who)
        .await
        .map_err(IntoResponse::into_response)
}

#[tokio::test]
async fn a_refusal_by_one_bucket_takes_nothing_from_the_other() {
    let f = Fixture::new();
    let limiter = f.limiter(
        r#"{"default_plan": "t",
            "plans": {"t": {"tenant_per_minute": 5, "principal_per_minute": 2}}}"#,
    );
    let [alice, bob, carol, erin] = ["alice", "bob", "carol", "erin"].map(|s| who("acme", s));

    assert_eq!(admit(&limiter, &alice).await.unwrap().remaining, 1);
    assert_eq!(admit(&limiter, &alice).await.unwrap().remaining, 0);
    for _ in 0..3 {
        let refused = admit(&limiter, &alice).await.unwrap_err();
        assert_eq!(refused.status(), 429);
        assert_eq!(
            header(refused.headers(), "ratelimit-limit"),
            "2",
            "the principal's bucket"
        );
        assert_eq!(header(refused.headers(), "retry-after"), "30");
    }
    // Alice's refusals left the tenant's other 3 tokens alone: Bob takes 2, Erin the last.
    for (caller, left) in [(&bob, 1), (&bob, 0), (&erin, 0)] {
        assert_eq!(admit(&limiter, caller).await.unwrap().remaining, left);
    }
    for _ in 0..3 {
        let refused = admit(&limiter, &carol).await.unwrap_err();
        assert_eq!(
            header(refused.headers(), "ratelimit-limit"),
            "5",
            "the tenant's bucket"
        );
        assert_eq!(header(refused.headers(), "retry-after"), "12");
    }
    // Carol's refusals took nothing from her own bucket: one tenant token later, she is in.
    f.clock.advance(Duration::seconds(12));
    let quota = admit(&limiter, &carol).await.unwrap();
    assert_eq!(
        (quota.limit, quota.remaining),
        (5, 0),
        "the tighter bucket is reported"
    );
    let other = admit(&limiter, &who("globex", "dave")).await.unwrap();
    assert_eq!(other.remaining, 1, "another tenant has its own buckets");
}

#[tokio::test]
async fn idle_buckets_expire() {
    let f = Fixture::new();
    let limiter = f.limiter(TENANT_25);
    admit(&limiter, &who("acme", "alice")).await.unwrap();
    let stored = || async {
        f.items
            .query(Query::partition("T#acme#RATE"))
            .await
            .unwrap()
            .items
    };
    assert_eq!(stored().await.len(), 2, "a tenant and a principal bucket");
    f.clock.advance(Duration::minutes(3));
    assert!(stored().await.is_empty(), "expired once full again");
}

/// A real store whose next `failures` calls fail as a struggling backend would.
struct Flaky {
    inner: Arc<dyn ItemStore>,
    failures: AtomicU32,
}

impl Flaky {
    fn check(&self) -> PortResult<()> {
        match self
            .failures
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        {
            Ok(_) => Err(PortError::Backend("injected outage".into())),
            Err(_) => Ok(()),
        }
    }
}

#[async_trait]
impl ItemStore for Flaky {
    async fn get(&self, key: &Key) -> PortResult<Option<Item>> {
        self.check()?;
        self.inner.get(key).await
    }
    async fn put(&self, item: Item, condition: Condition) -> PortResult<()> {
        self.check()?;
        self.inner.put(item, condition).await
    }
    async fn update(&self, key: &Key, update: Update, condition: Condition) -> PortResult<Item> {
        self.check()?;
        self.inner.update(key, update, condition).await
    }
    async fn delete(&self, key: &Key, condition: Condition) -> PortResult<()> {
        self.check()?;
        self.inner.delete(key, condition).await
    }
    async fn query(&self, query: Query) -> PortResult<Page> {
        self.check()?;
        self.inner.query(query).await
    }
    async fn batch_get(&self, keys: &[Key]) -> PortResult<Vec<Item>> {
        self.check()?;
        self.inner.batch_get(keys).await
    }
    async fn batch_write(&self, puts: Vec<Item>, deletes: Vec<Key>) -> PortResult<()> {
        self.check()?;
        self.inner.batch_write(puts, deletes).await
    }
    async fn transact_write(&self, ops: Vec<TxOp>) -> PortResult<()> {
        self.check()?;
        self.inner.transact_write(ops).await
    }
    async fn health(&self) -> PortResult<String> {
        self.inner.health().await
    }
}

#[tokio::test]
async fn transient_store_errors_are_retried_and_an_outage_fails_closed() {
    let f = Fixture::new();
    let flaky = Arc::new(Flaky {
        inner: f.items.clone(),
        failures: AtomicU32::new(2),
    });
    let limiter = RateLimiter::new(flaky.clone(), f.clock.clone(), limits(TENANT_25));
    let alice = who("acme", "alice");
    let quota = admit(&limiter, &alice)
        .await
        .expect("two hiccups are absorbed");
    assert_eq!(quota.remaining, 24);

    flaky.failures.store(u32::MAX, Ordering::SeqCst);
    let refused = admit(&limiter, &alice).await.unwrap_err();
    assert_eq!(refused.status(), 503, "fails closed");
    assert_eq!(header(refused.headers(), "retry-after"), "1");
    let (_, body) = json_of(refused).await;
    assert_eq!(body["code"], "unavailable", "{body}");
}

async fn json_of(response: Response) -> (u16, serde_json::Value) {
    let status = response.status().as_u16();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    (status, serde_json::from_slice(&bytes).expect("json body"))
}

/// One response of the load test, as the client saw it.
#[derive(Debug)]
struct Seen {
    status: u16,
    code: serde_json::Value,
    limit: String,
    remaining: String,
    reset: String,
    retry_after: String,
}

async fn seen(response: reqwest::Response) -> Seen {
    let h = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let (limit, remaining, reset, retry_after) = (
        h("ratelimit-limit"),
        h("ratelimit-remaining"),
        h("ratelimit-reset"),
        h("retry-after"),
    );
    let (status, body) = json(response).await;
    Seen {
        status,
        code: body["code"].clone(),
        limit,
        remaining,
        reset,
        retry_after,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_runners_sharing_a_store_admit_exactly_the_limit() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Frozen time: no token comes back mid-test, so "exactly 25" is exact.
    let clock = Arc::new(ManualClock::new(Utc::now()));
    let options = || Options {
        settings: Settings {
            rate_limits: limits(TENANT_25),
            ..Settings::default()
        },
        clock: clock.clone(),
        ..Options::default()
    };
    let any_port = "127.0.0.1:0".parse().unwrap();
    let first = Server::start_with(dir.path(), any_port, options())
        .await
        .unwrap();
    let second = Server::start_with(dir.path(), any_port, options())
        .await
        .unwrap();
    let key = DevKey::load_or_create(dir.path()).expect("dev key");
    let token = |tenant: &str, subject: &str| {
        key.issue(tenant, subject, &["admin"], Duration::hours(1), Utc::now())
    };
    let urls = [first.url(), second.url()];
    plasma_tests::install_crypto_provider();
    let http = reqwest::Client::new();

    let tasks: Vec<_> = (0..50)
        .map(|task| {
            let (http, urls) = (http.clone(), urls.clone());
            let token = token("acme", &format!("user-{}", task % 5));
            tokio::spawn(async move {
                let mut out = Vec::new();
                for i in 0..4 {
                    let url = format!("{}/admin/api-keys", urls[(task + i) % 2]);
                    let response = http.get(url).bearer_auth(&token).send().await.unwrap();
                    out.push(seen(response).await);
                }
                out
            })
        })
        .collect();
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.expect("client task"));
    }

    let (admitted, refused): (Vec<_>, Vec<_>) = all.iter().partition(|s| s.status == 200);
    assert_eq!(admitted.len(), 25, "exactly the limit is admitted");
    assert_eq!(refused.len(), 175);
    let mut remaining: Vec<u32> = admitted
        .iter()
        .map(|s| s.remaining.parse().expect("RateLimit-Remaining"))
        .collect();
    remaining.sort_unstable();
    assert_eq!(
        remaining,
        (0..25).collect::<Vec<_>>(),
        "each admission saw one token fewer"
    );
    for s in &all {
        assert_eq!(s.limit, "25", "{s:?}");
        assert!(s.reset.parse::<u64>().is_ok_and(|r| r <= 60), "{s:?}");
    }
    for s in &refused {
        assert_eq!(s.status, 429, "{s:?}");
        assert_eq!(s.code, "rate_limited", "{s:?}");
        assert_eq!(
            (s.remaining.as_str(), s.retry_after.as_str()),
            ("0", "3"),
            "{s:?}"
        );
    }

    let other = http
        .get(format!("{}/admin/api-keys", urls[1]))
        .bearer_auth(token("globex", "user-0"))
        .send()
        .await
        .unwrap();
    let other = seen(other).await;
    assert_eq!(
        (other.status, other.remaining.as_str()),
        (200, "24"),
        "{other:?}"
    );

    // One token's time later (60 s / 25), either runner admits exactly one more.
    clock.advance(Duration::seconds(3));
    let acme = token("acme", "user-0");
    let mut statuses = Vec::new();
    for url in &urls {
        let r = http.get(format!("{url}/admin/api-keys")).bearer_auth(&acme);
        statuses.push(r.send().await.unwrap().status().as_u16());
    }
    assert_eq!(statuses, [200, 429]);

    first.stop().await.expect("first runner stops");
    second.stop().await.expect("second runner stops");
}
