//! Spike statistics: the current window against the same window on each of the previous
//! seven days.

use crate::mentions::{SentimentLabel, StoredMention};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

pub(super) const BASELINE_DAYS: i64 = 7;

/// Mentions in one window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Slot {
    pub total: u32,
    pub negative: u32,
}

/// The current window (`current`) and the baseline windows that the read fully covers.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Windows {
    pub current: Slot,
    pub baseline: Vec<Slot>,
}

/// Count `mentions` into the window ending at `now` and the same window 1 to 7 days earlier.
/// `complete_since` is where the read stopped when it hit its cap: baseline windows starting
/// before it were only partly read and are left out rather than counted low.
pub(super) fn windows(
    mentions: &[StoredMention],
    now: DateTime<Utc>,
    window: Duration,
    complete_since: Option<DateTime<Utc>>,
) -> Windows {
    let day = Duration::days(1);
    let mut slots = [Slot::default(); BASELINE_DAYS as usize + 1];
    for m in mentions.iter().filter(|m| m.matched && !m.irrelevant) {
        let age = now - m.mention.published_at;
        if age <= Duration::zero() {
            continue; // published "in the future" (clock skew) or exactly now: not yet in a window
        }
        let days = (age - Duration::nanoseconds(1)).num_days();
        // Windows end at `now - d days`, exclusive of their start.
        if days <= BASELINE_DAYS && age - day * days as i32 <= window {
            let slot = &mut slots[days as usize];
            slot.total += 1;
            if m.sentiment.label == SentimentLabel::Negative {
                slot.negative += 1;
            }
        }
    }
    let baseline = (1..=BASELINE_DAYS)
        .filter(|d| complete_since.is_none_or(|since| now - day * *d as i32 - window >= since))
        .map(|d| slots[d as usize])
        .collect();
    Windows {
        current: slots[0],
        baseline,
    }
}

/// The numbers an alert reports and its thresholds are checked against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpikeDetails {
    pub window_minutes: u32,
    /// Mentions (or the negative share, 0 to 1) in the current window.
    pub current: f64,
    pub baseline_mean: f64,
    pub stddev: f64,
    pub z: f64,
    /// `None` when the baseline mean is zero (any growth is unbounded).
    pub growth_pct: Option<f64>,
    /// Baseline windows the statistics rest on (fewer than 7 only when the read was capped).
    pub baseline_windows: u32,
}

/// z-score and growth of `current` over `baseline`. The standard deviation is floored at
/// `floor` so a perfectly steady baseline (stddev 0) does not turn one extra mention into an
/// infinite z-score.
pub(super) fn spike(
    current: f64,
    baseline: &[f64],
    floor: f64,
    window_minutes: u32,
) -> SpikeDetails {
    let n = baseline.len().max(1) as f64;
    let mean = baseline.iter().sum::<f64>() / n;
    let variance = baseline.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    let stddev = variance.sqrt();
    SpikeDetails {
        window_minutes,
        current,
        baseline_mean: mean,
        stddev,
        z: (current - mean) / stddev.max(floor),
        growth_pct: (mean > 0.0).then(|| (current - mean) / mean * 100.0),
        baseline_windows: baseline.len() as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steady_baseline_uses_the_floor() {
        let s = spike(8.0, &[5.0; 7], 1.0, 60);
        assert_eq!(s.stddev, 0.0);
        assert_eq!(s.z, 3.0);
        assert_eq!(s.growth_pct, Some(60.0));
        let empty = spike(4.0, &[0.0; 7], 1.0, 60);
        assert_eq!(empty.growth_pct, None);
        assert_eq!(empty.z, 4.0);
    }
}
