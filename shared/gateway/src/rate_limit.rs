//! Rate limiting: a token bucket per tenant and one per principal, kept in the ItemStore so
//! that every Lambda instance (and every runner sharing a data directory) draws from the same
//! buckets.
//!
//! A request reads both buckets, refills them by the time elapsed on the injected clock and,
//! when both hold a token, takes one from each in a single transaction conditioned on the
//! versions it read. So a request refused by one bucket consumes nothing from the other, and
//! two instances racing for the last token cannot both win: the loser re-reads and tries
//! again. Refusals write nothing, so an exhausted bucket costs one read per request.
//!
//! Failure policy: a lost race is retried ([`MAX_CONFLICTS`]); every conflict means another
//! request was admitted, so the retries end within that bound or a bucket's worth of
//! admissions. Store errors are retried briefly ([`MAX_FAILURES`]) and then fail closed with
//! 503: the handlers behind the guard need the same store, and failing open would switch off
//! abuse protection exactly when the backend is struggling.

mod bucket;
mod config;

pub use bucket::{Bucket, Quota, Rate};
pub use config::{Plan, RATE_LIMITS_VAR, RateLimits};

use crate::principal::Principal;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use plasma_core::keys::{RATE, RATE_PRINCIPAL, RATE_TENANT};
use plasma_core::{Clock, Condition, Item, ItemStore, Key, PortError, PortResult, TxOp};
use plasma_http::Problem;
use plasma_http::middleware::{RATELIMIT_LIMIT, RATELIMIT_REMAINING, RATELIMIT_RESET};
use serde::Deserialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Duration;

/// Lost races retried before the request is refused as contended.
pub const MAX_CONFLICTS: u32 = 32;
/// Store errors retried before the request fails with 503.
pub const MAX_FAILURES: u32 = 3;

#[derive(Clone)]
pub struct RateLimiter {
    items: Arc<dyn ItemStore>,
    clock: Arc<dyn Clock>,
    limits: RateLimits,
}

/// One bucket of a request: where it is stored and how fast it refills.
struct Slot {
    key: Key,
    rate: Rate,
}

/// A bucket as stored, with the version its conditional write compares.
#[derive(Deserialize)]
struct Stored {
    version: i64,
    #[serde(flatten)]
    bucket: Bucket,
}

enum Attempt {
    Admitted(Quota),
    Denied {
        quota: Quota,
        retry_after: u64,
    },
    /// Another request wrote one of the buckets between our read and our write.
    Contended(Quota),
}

impl RateLimiter {
    pub fn new(items: Arc<dyn ItemStore>, clock: Arc<dyn Clock>, limits: RateLimits) -> Self {
        Self {
            items,
            clock,
            limits,
        }
    }

    /// Take a token from the principal's tenant bucket and its own, or from neither. `Ok`
    /// carries the quota to report; `Err` is the 429 or 503 to answer instead.
    pub async fn admit(&self, who: &Principal) -> Result<Quota, Problem> {
        self.charge(who, 1).await
    }

    /// Take `tokens` from both buckets at once, or nothing: for a request that does the work
    /// of several (a GraphQL operation with several fields). A cost no full bucket holds is
    /// refused with 400, since waiting would never help.
    pub async fn charge(&self, who: &Principal, tokens: u32) -> Result<Quota, Problem> {
        let plan = self.limits.plan_for(&who.tenant);
        let partition = RATE.key([&who.tenant])?;
        let slots = [
            Slot {
                key: Key::new(&partition, RATE_TENANT.literal()),
                rate: Rate::per_minute(plan.tenant_per_minute),
            },
            Slot {
                key: Key::new(partition, principal_sort_key(&who.subject)?),
                rate: Rate::per_minute(plan.principal_per_minute),
            },
        ];
        if let Some(slot) = slots.iter().find(|slot| tokens > slot.rate.capacity()) {
            return Err(Problem::invalid(format!(
                "this request costs {tokens} requests, more than the {} per minute allowed; \
                 split it",
                slot.rate.capacity()
            ))
            .with("cost", tokens));
        }
        let (mut conflicts, mut failures) = (0, 0);
        loop {
            match self.attempt(&slots, tokens).await {
                Ok(Attempt::Admitted(quota)) => return Ok(quota),
                Ok(Attempt::Denied { quota, retry_after }) => {
                    tracing::info!(tenant = %who.tenant, subject = %who.subject, "rate limited");
                    return Err(too_many(quota, retry_after));
                }
                Ok(Attempt::Contended(quota)) if conflicts >= MAX_CONFLICTS => {
                    tracing::warn!(tenant = %who.tenant, "rate limit buckets too contended");
                    return Err(too_many(quota, 1));
                }
                Ok(Attempt::Contended(_)) => {
                    conflicts += 1;
                    // Jitter spreads racers apart so they stop colliding in lockstep.
                    let cap = 1u64 << conflicts.min(5);
                    tokio::time::sleep(Duration::from_millis(rand::random_range(0..=cap))).await;
                }
                Err(e) if failures >= MAX_FAILURES => {
                    tracing::error!(error = %e, tenant = %who.tenant, "rate limiting unavailable");
                    return Err(
                        Problem::unavailable("rate limiting is unavailable; retry later")
                            .header(header::RETRY_AFTER, HeaderValue::from_static("1")),
                    );
                }
                Err(e) => {
                    failures += 1;
                    tracing::warn!(error = %e, attempt = failures, "rate limit store error; retrying");
                    tokio::time::sleep(Duration::from_millis(25 << failures)).await;
                }
            }
        }
    }

    async fn attempt(&self, [tenant, principal]: &[Slot; 2], tokens: u32) -> PortResult<Attempt> {
        let found = self
            .items
            .batch_get(&[tenant.key.clone(), principal.key.clone()])
            .await?;
        let now_ms = self.clock.now().timestamp_millis();
        let tenant = Checked::new(tenant, &found, now_ms, tokens)?;
        let principal = Checked::new(principal, &found, now_ms, tokens)?;
        let (first, second) = match (tenant.take(), principal.take()) {
            (Some(first), Some(second)) => (first, second),
            (None, Some(_)) => return Ok(tenant.refusal()),
            (Some(_), None) => return Ok(principal.refusal()),
            (None, None) => return Ok(longer(tenant.refusal(), principal.refusal())),
        };
        let quota = first.1.tighter(second.1);
        match self.items.transact_write(vec![first.0, second.0]).await {
            Ok(()) => Ok(Attempt::Admitted(quota)),
            Err(PortError::TransactionCanceled { .. } | PortError::Conflict(_)) => {
                Ok(Attempt::Contended(quota))
            }
            Err(e) => Err(e),
        }
    }
}

/// One bucket as this request sees it: refilled to now, with the version it was read at.
struct Checked<'a> {
    slot: &'a Slot,
    bucket: Bucket,
    version: Option<i64>,
    /// What this request takes.
    tokens: u32,
}

impl<'a> Checked<'a> {
    /// A malformed stored bucket is a backend error: only this module writes them, and its
    /// expiry clears it within a window and a minute.
    fn new(slot: &'a Slot, found: &[Item], now_ms: i64, tokens: u32) -> PortResult<Self> {
        let stored = match found.iter().find(|item| item.key == slot.key) {
            Some(item) => Some(item.parse::<Stored>()?),
            None => None,
        };
        Ok(Self {
            slot,
            bucket: slot.rate.refill(stored.as_ref().map(|s| s.bucket), now_ms),
            version: stored.map(|s| s.version),
            tokens,
        })
    }

    fn refusal(&self) -> Attempt {
        Attempt::Denied {
            quota: self.slot.rate.quota(self.bucket),
            retry_after: self
                .slot
                .rate
                .retry_after_secs_for(self.bucket, self.tokens),
        }
    }

    /// The write that takes the request's tokens, if the bucket still holds this version (or
    /// is still absent), and the quota it leaves; `None` when the bucket holds too few.
    fn take(&self) -> Option<(TxOp, Quota)> {
        let taken = self.slot.rate.take_many(self.bucket, self.tokens)?;
        let (condition, next) = match self.version {
            Some(v) => (Condition::Equals("version".into(), Value::from(v)), v + 1),
            None => (Condition::NotExists, 1),
        };
        let attrs = Map::from_iter([
            ("version".to_string(), Value::from(next)),
            ("milli_tokens".to_string(), Value::from(taken.milli_tokens)),
            (
                "refilled_at_ms".to_string(),
                Value::from(taken.refilled_at_ms),
            ),
        ]);
        let item =
            Item::new(self.slot.key.clone(), attrs).with_expiry(self.slot.rate.expires_at(taken));
        Some((TxOp::Put(item, condition), self.slot.rate.quota(taken)))
    }
}

/// Of two refusals, report the one that lasts longer: retrying sooner would be refused again.
fn longer(a: Attempt, b: Attempt) -> Attempt {
    match (&a, &b) {
        (Attempt::Denied { retry_after: x, .. }, Attempt::Denied { retry_after: y, .. })
            if y > x =>
        {
            b
        }
        _ => a,
    }
}

/// Subjects come from tokens; a long one is hashed to stay well inside key size limits.
fn principal_sort_key(subject: &str) -> PortResult<String> {
    if subject.len() <= 200 {
        RATE_PRINCIPAL.key([subject])
    } else {
        let digest = hex::encode(Sha256::digest(subject.as_bytes()));
        RATE_PRINCIPAL.key([&format!("sha256:{digest}")])
    }
}

impl Quota {
    /// The IETF draft `RateLimit-*` headers for this quota.
    pub fn headers(&self) -> [(HeaderName, HeaderValue); 3] {
        [
            (RATELIMIT_LIMIT, u64::from(self.limit)),
            (RATELIMIT_REMAINING, u64::from(self.remaining)),
            (RATELIMIT_RESET, self.reset_secs),
        ]
        .map(|(name, value)| (HeaderName::from_static(name), HeaderValue::from(value)))
    }

    /// Adds the headers a response doesn't carry yet: a handler that charged more than the
    /// guard's token (GraphQL) reports the quota its own charge left.
    pub fn apply(&self, headers: &mut HeaderMap) {
        for (name, value) in self.headers() {
            headers.entry(name).or_insert(value);
        }
    }
}

fn too_many(quota: Quota, retry_after: u64) -> Problem {
    let problem = Problem::new(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        "Too many requests",
    )
    .detail(format!(
        "too many requests for this tenant or caller; retry in {retry_after} s"
    ))
    .with("retry_after", retry_after)
    .header(header::RETRY_AFTER, HeaderValue::from(retry_after));
    quota
        .headers()
        .into_iter()
        .fold(problem, |problem, (name, value)| {
            problem.header(name, value)
        })
}
