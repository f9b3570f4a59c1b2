use super::{found, run_with, spanned};
use crate::codes::{BANNED_TERM, MISSING_REQUIRED_TERM};
use crate::{Channel, Severity, VoiceRules};

fn banned(terms: &[&str]) -> VoiceRules {
    VoiceRules {
        banned_terms: terms.iter().map(|t| (*t).to_owned()).collect(),
        ..VoiceRules::default()
    }
}

fn required(terms: &[&str]) -> VoiceRules {
    VoiceRules {
        required_terms: terms.iter().map(|t| (*t).to_owned()).collect(),
        ..VoiceRules::default()
    }
}

#[test]
fn a_banned_term_inside_punctuation_is_found_with_its_span() {
    let text = "Returns are (guaranteed!) for everyone.";
    let report = run_with(text, Channel::Blog, &banned(&["guaranteed"]));
    let hits = found(&report, BANNED_TERM);
    assert_eq!(hits.len(), 1);
    let span = hits[0].span.unwrap();
    assert_eq!((span.start, span.end), (13, 23));
    assert_eq!(spanned(text, hits[0]), "guaranteed");
    assert_eq!(hits[0].severity, Severity::Error);
    assert_eq!(
        hits[0].suggestion.as_deref(),
        Some("Remove or rephrase \"guaranteed\".")
    );
    assert!(!report.passed);
}

#[test]
fn a_banned_term_in_quotes_or_before_a_comma_is_found_in_any_case() {
    let text = "It's \"cheap\", CHEAP, and cheap… and “Cheap”.";
    let report = run_with(text, Channel::Blog, &banned(&["cheap"]));
    let hits: Vec<&str> = found(&report, BANNED_TERM)
        .iter()
        .map(|f| spanned(text, f))
        .collect();
    assert_eq!(hits, ["cheap", "CHEAP", "cheap", "Cheap"]);
}

#[test]
fn a_banned_term_is_not_found_inside_a_longer_word() {
    let text = "The cheapest plan and a cheapskate; also a cheap_thing and subcheap.";
    let report = run_with(text, Channel::Blog, &banned(&["cheap"]));
    assert!(found(&report, BANNED_TERM).is_empty());
    assert!(report.passed);
}

#[test]
fn a_hyphenated_compound_contains_the_term() {
    let text = "A cheap-looking design.";
    let report = run_with(text, Channel::Blog, &banned(&["cheap"]));
    assert_eq!(found(&report, BANNED_TERM).len(), 1);
}

#[test]
fn a_multiword_banned_term_matches_across_a_newline() {
    let text = "Start your free\ntrial and another Free   Trial today.";
    let report = run_with(text, Channel::Blog, &banned(&["free trial"]));
    let hits = found(&report, BANNED_TERM);
    assert_eq!(hits.len(), 2);
    assert_eq!(spanned(text, hits[0]), "free\ntrial");
    assert_eq!(spanned(text, hits[1]), "Free   Trial");
}

#[test]
fn a_multiword_term_needs_every_word() {
    let text = "A free plan, then a trial.";
    let report = run_with(text, Channel::Blog, &banned(&["free trial"]));
    assert!(found(&report, BANNED_TERM).is_empty());
}

#[test]
fn terms_with_punctuation_and_curly_apostrophes_match() {
    let text = "We’re #1 and we don’t stop; #10 is not.";
    let report = run_with(text, Channel::Blog, &banned(&["#1", "don't"]));
    let hits: Vec<&str> = found(&report, BANNED_TERM)
        .iter()
        .map(|f| spanned(text, f))
        .collect();
    assert_eq!(hits, ["#1", "don’t"]);
}

#[test]
fn blank_terms_are_ignored() {
    let report = run_with("Anything at all.", Channel::Blog, &banned(&["", "  "]));
    assert!(found(&report, BANNED_TERM).is_empty());
}

#[test]
fn a_missing_required_disclaimer_is_an_error_with_a_suggestion() {
    let rules = required(&["Capital at risk"]);
    let report = run_with("Invest in our new fund today.", Channel::Linkedin, &rules);
    let missing = found(&report, MISSING_REQUIRED_TERM);
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].severity, Severity::Error);
    assert_eq!(missing[0].span, None);
    assert_eq!(
        missing[0].suggestion.as_deref(),
        Some("Add \"Capital at risk\".")
    );
    assert!(!report.passed);
}

#[test]
fn a_present_required_term_matches_in_any_case_and_across_lines() {
    let rules = required(&["Capital at risk"]);
    for text in [
        "Invest today. CAPITAL AT RISK.",
        "Invest today.\n\n(Capital at\nrisk)",
    ] {
        let report = run_with(text, Channel::Linkedin, &rules);
        assert!(found(&report, MISSING_REQUIRED_TERM).is_empty(), "{text:?}");
    }
}
