use super::{found, run, spanned};
use crate::codes::PASSIVE_VOICE;
use crate::{Channel, Severity};

fn passive_phrases(text: &str) -> Vec<&str> {
    let report = run(text, Channel::Blog);
    found(&report, PASSIVE_VOICE)
        .into_iter()
        .filter(|f| f.severity == Severity::Info)
        .map(|f| spanned(text, f))
        .collect()
}

#[test]
fn passive_constructions_are_found_with_their_span() {
    let cases = [
        ("The report was written by the team.", "was written"),
        ("Mistakes were made.", "were made"),
        ("The bridge is being built.", "is being built"),
        (
            "The results have been carefully reviewed.",
            "been carefully reviewed",
        ),
        ("It wasn't approved.", "wasn't approved"),
        ("They’re often overlooked.", "They’re often overlooked"),
        ("The plan is not yet finished.", "is not yet finished"),
    ];
    for (text, phrase) in cases {
        assert_eq!(passive_phrases(text), [phrase], "{text}");
    }
}

#[test]
fn active_sentences_and_adjectives_after_be_are_not_passive() {
    for text in [
        "The team wrote the report.",
        "I am interested in this.",
        "We are excited to share the news.",
        "She is tired.",
        "The need is real.",
        "It is indeed true.",
        "The ship is red.",
        "The office is based in Leeds.",
    ] {
        assert!(passive_phrases(text).is_empty(), "{text}");
    }
}

#[test]
fn one_finding_per_passive_sentence_and_a_count_in_the_stats() {
    let text = "The code was reviewed and was merged. The team shipped it.";
    let report = run(text, Channel::Blog);
    assert_eq!(passive_phrases(text), ["was reviewed"]);
    assert_eq!(report.stats.passive_sentences, 1);
    let finding = found(&report, PASSIVE_VOICE)[0];
    assert!(finding.suggestion.is_some());
}

#[test]
fn a_passive_share_over_a_quarter_warns() {
    let text = "The code was reviewed. The tests were run. The team shipped it. We celebrated.";
    let report = run(text, Channel::Blog);
    let warnings: Vec<_> = found(&report, PASSIVE_VOICE)
        .into_iter()
        .filter(|f| f.severity == Severity::Warning)
        .collect();
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].message.starts_with("2 of 4 sentences (50%)"));
    assert_eq!(warnings[0].span, None);
}

#[test]
fn a_passive_share_of_a_quarter_or_less_does_not_warn() {
    let text = "The code was reviewed. The tests were run. We shipped it. We celebrated. \
                We rested. We planned. We wrote. We slept.";
    let report = run(text, Channel::Blog);
    assert_eq!(report.stats.passive_sentences, 2);
    assert!(
        found(&report, PASSIVE_VOICE)
            .iter()
            .all(|f| f.severity == Severity::Info)
    );
}
