//! Retry and catch, matched on error names the way Step Functions matches them.

use plasma_workflow::{ANY_ERROR, Catch, Retry};
use rand::Rng;
use std::time::Duration;

/// Raised for a definition that can't run as written (a missing path); like Step Functions'
/// `States.Runtime`, `States.ALL` does not catch it.
pub const RUNTIME: &str = "States.Runtime";

fn matches(on: Option<&Vec<String>>, error: &str) -> bool {
    match on {
        None => error != RUNTIME,
        Some(names) => names
            .iter()
            .any(|n| n == error || (n == ANY_ERROR && error != RUNTIME)),
    }
}

/// The wait before retry number `retry` (1 for the first retry), or `None` when the policy
/// does not retry this error or has no attempts left.
pub fn retry_delay(policy: Option<&Retry>, error: &str, retry: u32) -> Option<Duration> {
    let policy = policy?;
    if retry > policy.attempts || !matches(policy.on.as_ref(), error) {
        return None;
    }
    let base = f64::from(
        policy
            .backoff_seconds
            .unwrap_or(Retry::DEFAULT_BACKOFF_SECONDS),
    );
    let multiplier = policy.multiplier.unwrap_or(Retry::DEFAULT_MULTIPLIER);
    let mut seconds = base * multiplier.powi(retry as i32 - 1);
    if let Some(max) = policy.max_backoff_seconds {
        seconds = seconds.min(f64::from(max));
    }
    if policy.jitter {
        // Step Functions' FULL jitter: anywhere between nothing and the computed delay.
        seconds = rand::rng().random_range(0.0..=seconds.max(0.0));
    }
    Some(Duration::from_secs_f64(seconds.max(0.0)))
}

pub fn catch_for<'a>(catch: Option<&'a Catch>, error: &str) -> Option<&'a Catch> {
    catch.filter(|c| matches(c.on.as_ref(), error))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(on: Option<Vec<&str>>) -> Retry {
        Retry {
            attempts: 2,
            backoff_seconds: Some(1),
            multiplier: Some(3.0),
            max_backoff_seconds: Some(2),
            jitter: false,
            on: on.map(|v| v.into_iter().map(String::from).collect()),
        }
    }

    #[test]
    fn backoff_grows_and_is_capped_then_attempts_run_out() {
        let p = policy(None);
        assert_eq!(retry_delay(Some(&p), "X", 1), Some(Duration::from_secs(1)));
        assert_eq!(retry_delay(Some(&p), "X", 2), Some(Duration::from_secs(2)));
        assert_eq!(retry_delay(Some(&p), "X", 3), None);
    }

    #[test]
    fn only_named_errors_are_retried_and_runtime_errors_never_by_default() {
        let p = policy(Some(vec!["Http.Status.503"]));
        assert!(retry_delay(Some(&p), "Http.Status.503", 1).is_some());
        assert!(retry_delay(Some(&p), "Http.Status.400", 1).is_none());
        assert!(retry_delay(Some(&policy(None)), RUNTIME, 1).is_none());
        let catch = Catch {
            on: Some(vec![ANY_ERROR.into()]),
            next: "fallback".into(),
        };
        assert!(catch_for(Some(&catch), "Anything").is_some());
        assert!(catch_for(Some(&catch), RUNTIME).is_none());
    }

    #[test]
    fn jitter_stays_within_the_delay() {
        let mut p = policy(None);
        p.jitter = true;
        for _ in 0..50 {
            assert!(retry_delay(Some(&p), "X", 2).unwrap() <= Duration::from_secs(2));
        }
    }
}
