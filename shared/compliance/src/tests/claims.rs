use super::{found, spanned};
use crate::codes::UNSUPPORTED_CLAIM;
use crate::{Channel, CheckInput, Finding, Report, Severity, check};

fn claims(text: &str, citations: usize) -> Report {
    check(&CheckInput::new(text, Channel::Blog).with_citations(citations))
}

fn claim_findings(report: &Report) -> Vec<&Finding> {
    found(report, UNSUPPORTED_CLAIM)
}

#[test]
fn a_superlative_without_a_citation_is_an_unsupported_claim() {
    let text = "We help teams. Our tool is the fastest on the market.";
    let report = claims(text, 2);
    let hits = claim_findings(&report);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].severity, Severity::Warning);
    assert_eq!(
        spanned(text, hits[0]),
        "Our tool is the fastest on the market."
    );
    assert!(hits[0].message.contains("\"fastest\""));
    assert!(
        hits[0]
            .suggestion
            .as_deref()
            .unwrap()
            .contains("Cite a source")
    );
}

#[test]
fn a_citation_marker_or_link_in_the_sentence_supports_the_claim() {
    for text in [
        "Our tool is the fastest on the market [1].",
        "Our tool is the fastest on the market[2].",
        "Our tool is the fastest on the market [1, 2].",
        "Our tool is the fastest on the market (https://example.com/benchmark).",
    ] {
        assert!(claim_findings(&claims(text, 2)).is_empty(), "{text}");
    }
}

#[test]
fn a_citation_in_another_sentence_does_not_count() {
    let text = "Our tool is the fastest on the market. Benchmarks are public [1].";
    assert_eq!(claim_findings(&claims(text, 1)).len(), 1);
}

#[test]
fn a_marker_beyond_the_draft_sources_does_not_resolve() {
    let text = "Our tool is the fastest on the market [3].";
    let report = claims(text, 2);
    let hits = claim_findings(&report);
    assert_eq!(hits.len(), 1);
    assert!(
        hits[0]
            .message
            .contains("cites [3], but the draft has 2 sources")
    );
    // With the number of sources unknown, any marker counts.
    assert!(claim_findings(&claims(text, 0)).is_empty());
}

#[test]
fn with_no_sources_the_message_says_so() {
    let report = claims("Studies show it works.", 0);
    let hits = claim_findings(&report);
    assert_eq!(hits.len(), 1);
    assert!(hits[0].message.contains("the draft cites no sources"));
}

#[test]
fn statistics_absolutes_and_rankings_are_claims() {
    let cases = [
        ("It cuts costs by 40% in a month.", "40%"),
        ("It makes reports 3x faster.", "3x"),
        ("Sync is 10 times faster now.", "10 times faster"),
        ("Rated #1 by users.", "#1"),
        ("We are number one in Europe.", "number one"),
        ("Results guaranteed.", "guaranteed"),
        ("Clinically tested formula.", "Clinically"),
        ("Research shows teams love it.", "Research shows"),
        ("An industry-leading platform.", "industry-leading"),
        ("Revenue doubled this year.", "doubled"),
        ("Our most trusted plan.", "most trusted"),
        ("Half of users, 50 percent, switched.", "50"),
    ];
    for (text, claim) in cases {
        let report = claims(text, 1);
        let hits = claim_findings(&report);
        assert_eq!(hits.len(), 1, "{text}");
        assert!(
            hits[0].message.contains(&format!("\"{claim}\"")),
            "{text}: {}",
            hits[0].message
        );
    }
}

#[test]
fn ordinary_numbers_and_idioms_are_not_claims() {
    for text in [
        "We grew a team of 12 people in 2024.",
        "Read our best practices for onboarding.",
        "The change is leading to delays.",
        "We do our work at best effort.",
        "Version 3 ships with 2 new reports.",
        "Use C#10 or later.",
    ] {
        assert!(claim_findings(&claims(text, 0)).is_empty(), "{text}");
    }
}
