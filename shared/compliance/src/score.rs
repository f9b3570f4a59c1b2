//! The 0–100 score and the order findings are reported in.

use std::collections::BTreeMap;

use crate::{Finding, Severity};

const ERROR_WEIGHT: u32 = 20;
const WARNING_WEIGHT: u32 = 7;
const INFO_WEIGHT: u32 = 2;
/// A code deducts at most this many times its most severe finding's weight, so one
/// repeated issue cannot zero the score on its own.
const CODE_CAP: u32 = 2;

/// 100 less each finding's weight by severity (error 20, warning 7, info 2), with each
/// code's total capped at twice its most severe finding's weight; never below 0.
pub fn score(findings: &[Finding]) -> u8 {
    let mut per_code: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
    for finding in findings {
        let weight = weight(finding.severity);
        let (total, heaviest) = per_code.entry(&finding.code).or_default();
        *total += weight;
        *heaviest = (*heaviest).max(weight);
    }
    let deducted: u32 = per_code
        .values()
        .map(|&(total, heaviest)| total.min(CODE_CAP * heaviest))
        .sum();
    u8::try_from(100u32.saturating_sub(deducted)).unwrap_or(0)
}

fn weight(severity: Severity) -> u32 {
    match severity {
        Severity::Error => ERROR_WEIGHT,
        Severity::Warning => WARNING_WEIGHT,
        Severity::Info => INFO_WEIGHT,
    }
}

/// By span start (then end), findings without a span last; ties by severity, code and
/// message, so the order never depends on the order the rules ran in.
pub(crate) fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
}

fn order_key(f: &Finding) -> (bool, usize, usize, u32, &str, &str) {
    let (start, end) = f.span.map_or((0, 0), |s| (s.start, s.end));
    (
        f.span.is_none(),
        start,
        end,
        u32::MAX - weight(f.severity),
        &f.code,
        &f.message,
    )
}
