//! Case-by-case tests of every finding, the measurements and the report.

mod channels;
mod claims;
mod passive;
mod readability;
mod score;
mod sentences;
mod terms;
mod thread;
mod tone;
mod weight;

use crate::{Channel, CheckInput, Finding, Report, VoiceRules, check};

fn run(text: &str, channel: Channel) -> Report {
    check(&CheckInput::new(text, channel))
}

fn run_with(text: &str, channel: Channel, rules: &VoiceRules) -> Report {
    check(&CheckInput::new(text, channel).with_rules(rules))
}

fn found<'r>(report: &'r Report, code: &str) -> Vec<&'r Finding> {
    report.findings.iter().filter(|f| f.code == code).collect()
}

/// The text a finding points at.
fn spanned<'t>(text: &'t str, finding: &Finding) -> &'t str {
    let span = finding.span.expect("finding has a span");
    &text[span.start..span.end]
}

/// `n` characters of short plain words ending in a full stop.
fn filler(n: usize) -> String {
    let mut text = "word ".repeat(n / 5 + 1);
    text.truncate(n);
    text.replace_range(n - 1..n, ".");
    text
}
