//! Token-bucket arithmetic, free of I/O so it can be tested against a hand-moved clock.
//!
//! Tokens are counted in thousandths so that refilling by elapsed milliseconds stays in
//! integers: no float rounding can make two instances disagree about a stored bucket.

use serde::Deserialize;
use std::num::NonZeroU32;

/// Thousandths of a token per token.
const MILLI: i64 = 1000;

/// `capacity` tokens per `window_ms`; a bucket holds at most one window's worth, so a client
/// idle for a window may burst that much at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    capacity: NonZeroU32,
    window_ms: i64,
}

/// A bucket as stored: its level when last written and when that was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Bucket {
    pub milli_tokens: i64,
    pub refilled_at_ms: i64,
}

/// What the `RateLimit-*` headers report about one bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until the bucket is full again.
    pub reset_secs: u64,
}

impl Quota {
    /// The bucket a client should pace itself by: the one with fewer tokens left (and, between
    /// equals, the one that takes longer to refill).
    pub fn tighter(self, other: Quota) -> Quota {
        if (other.remaining, std::cmp::Reverse(other.reset_secs))
            < (self.remaining, std::cmp::Reverse(self.reset_secs))
        {
            other
        } else {
            self
        }
    }
}

impl Rate {
    pub fn per_minute(capacity: NonZeroU32) -> Self {
        Self {
            capacity,
            window_ms: 60_000,
        }
    }

    /// A full bucket in thousandths. With a `u32` capacity and a one-minute window, every
    /// product below (at most full × window) stays far inside `i64`.
    fn full(self) -> i64 {
        i64::from(self.capacity.get()) * MILLI
    }

    /// The bucket as it stands at `now_ms`. A missing (never used or expired) bucket is full.
    /// A clock behind the one that last wrote (another instance's) adds nothing rather than
    /// letting time run backwards.
    pub fn refill(self, stored: Option<Bucket>, now_ms: i64) -> Bucket {
        let Some(bucket) = stored else {
            return Bucket {
                milli_tokens: self.full(),
                refilled_at_ms: now_ms,
            };
        };
        let elapsed = (now_ms - bucket.refilled_at_ms).clamp(0, self.window_ms);
        let gained = elapsed * self.full() / self.window_ms;
        Bucket {
            milli_tokens: (bucket.milli_tokens + gained).clamp(0, self.full()),
            refilled_at_ms: bucket.refilled_at_ms.max(now_ms),
        }
    }

    /// The bucket with one token taken, or `None` when less than one is left.
    pub fn take(self, bucket: Bucket) -> Option<Bucket> {
        self.take_many(bucket, 1)
    }

    /// The bucket with `tokens` taken, or `None` when fewer are left.
    pub fn take_many(self, bucket: Bucket, tokens: u32) -> Option<Bucket> {
        let cost = i64::from(tokens) * MILLI;
        (bucket.milli_tokens >= cost).then_some(Bucket {
            milli_tokens: bucket.milli_tokens - cost,
            ..bucket
        })
    }

    /// A full bucket's tokens: a request costing more can never be admitted.
    pub fn capacity(self) -> u32 {
        self.capacity.get()
    }

    /// Milliseconds until the bucket holds `target` thousandths (0 if it already does).
    fn ms_until(self, bucket: Bucket, target: i64) -> i64 {
        let missing = (target - bucket.milli_tokens).max(0);
        ceil_div(missing * self.window_ms, self.full())
    }

    pub fn quota(self, bucket: Bucket) -> Quota {
        Quota {
            limit: self.capacity.get(),
            remaining: u32::try_from(bucket.milli_tokens.max(0) / MILLI).unwrap_or(u32::MAX),
            reset_secs: secs(self.ms_until(bucket, self.full())),
        }
    }

    /// Whole seconds until one token is back; at least 1 so clients never retry at once.
    pub fn retry_after_secs(self, bucket: Bucket) -> u64 {
        self.retry_after_secs_for(bucket, 1)
    }

    /// Whole seconds until `tokens` are back (at least 1).
    pub fn retry_after_secs_for(self, bucket: Bucket, tokens: u32) -> u64 {
        secs(self.ms_until(bucket, i64::from(tokens) * MILLI)).max(1)
    }

    /// When the stored bucket may vanish (epoch seconds): once it has refilled, a missing
    /// bucket means the same thing. A minute's slack covers clocks that disagree.
    pub fn expires_at(self, bucket: Bucket) -> i64 {
        let full_at_ms = bucket.refilled_at_ms + self.ms_until(bucket, self.full());
        ceil_div(full_at_ms, 1000) + 60
    }
}

/// Ceiling division for a non-negative numerator and a positive divisor.
fn ceil_div(n: i64, d: i64) -> i64 {
    (n + d - 1) / d
}

fn secs(ms: i64) -> u64 {
    u64::try_from(ceil_div(ms, 1000)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(per_minute: u32) -> Rate {
        Rate::per_minute(NonZeroU32::new(per_minute).unwrap())
    }

    #[test]
    fn a_new_bucket_is_full_and_drains_one_token_per_take() {
        let r = rate(3);
        let mut b = r.refill(None, 0);
        for left in [2, 1, 0] {
            b = r.take(b).unwrap();
            assert_eq!(r.quota(b).remaining, left);
        }
        assert_eq!(r.take(b), None);
        assert_eq!(r.retry_after_secs(b), 20);
        assert_eq!(r.quota(b).reset_secs, 60);
    }

    #[test]
    fn refill_is_proportional_capped_and_never_backwards() {
        let r = rate(60);
        let empty = Bucket {
            milli_tokens: 0,
            refilled_at_ms: 10_000,
        };
        assert_eq!(r.refill(Some(empty), 10_500).milli_tokens, 500);
        assert_eq!(r.refill(Some(empty), 1_000_000).milli_tokens, 60_000);
        let behind = r.refill(Some(empty), 5_000);
        assert_eq!(
            behind, empty,
            "an earlier clock neither adds tokens nor rewinds"
        );
    }
}
