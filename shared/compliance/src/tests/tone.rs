use super::{found, run, run_with, spanned};
use crate::codes::{SENTIMENT_MISMATCH, TONE_MISMATCH};
use crate::{Channel, Report, Severity, VoiceRules};

fn toned(text: &str, tone: &[&str]) -> Report {
    let rules = VoiceRules {
        tone: tone.iter().map(|t| (*t).to_owned()).collect(),
        ..VoiceRules::default()
    };
    run_with(text, Channel::Blog, &rules)
}

#[test]
fn a_formal_tone_flags_contractions_slang_exclamations_and_emoji() {
    let text = "We can't wait! It's gonna be awesome 🎉 Don't miss it.";
    let report = toned(text, &["Formal"]);
    let hits: Vec<(&str, &str)> = found(&report, TONE_MISMATCH)
        .iter()
        .map(|f| (spanned(text, f), f.suggestion.as_deref().unwrap()))
        .collect();
    assert_eq!(
        hits,
        [
            ("can't", "Write \"cannot\"."),
            ("!", "End the sentence with a full stop."),
            ("It's", "Write \"It is\"."),
            ("gonna", "Write \"going to\" instead of \"gonna\"."),
            ("awesome", "Write \"excellent\" instead of \"awesome\"."),
            ("🎉", "Remove the emoji."),
            ("Don't", "Write \"Do not\"."),
        ]
    );
    assert!(
        found(&report, TONE_MISMATCH)
            .iter()
            .all(|f| f.severity == Severity::Warning)
    );
}

#[test]
fn possessives_are_not_contractions() {
    let text = "The company's results and John's report are ready.";
    assert!(found(&toned(text, &["professional"]), TONE_MISMATCH).is_empty());
}

#[test]
fn a_casual_tone_allows_what_a_formal_one_flags() {
    let text = "We can't wait! It's gonna be awesome 🎉";
    assert!(found(&toned(text, &["playful"]), TONE_MISMATCH).is_empty());
    assert!(found(&run(text, Channel::Blog), TONE_MISMATCH).is_empty());
}

#[test]
fn a_serious_tone_allows_one_exclamation_mark_but_not_several() {
    let one = "Registration is open today!";
    assert!(found(&toned(one, &["serious"]), TONE_MISMATCH).is_empty());
    let text = "Registration is open! Seats are limited! Apply now!!";
    let report = toned(text, &["serious"]);
    let hits = found(&report, TONE_MISMATCH);
    assert_eq!(hits.len(), 1);
    assert!(hits[0].message.starts_with("3 exclamation marks"));
    assert_eq!(hits[0].span.map(|s| s.start), text.find('!'));
}

#[test]
fn strongly_negative_text_mismatches_a_positive_tone() {
    let text = "This is a terrible, awful and disappointing failure. We hate it.";
    let report = toned(text, &["friendly", "optimistic"]);
    assert!(
        report.stats.sentiment <= -0.05,
        "{}",
        report.stats.sentiment
    );
    let hits = found(&report, SENTIMENT_MISMATCH);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].severity, Severity::Warning);
    assert!(hits[0].message.contains("negative"));
    assert!(hits[0].message.contains("friendly, optimistic"));
}

#[test]
fn neutral_text_for_a_positive_tone_is_only_a_note() {
    let report = toned("The update ships on Tuesday.", &["friendly"]);
    let hits = found(&report, SENTIMENT_MISMATCH);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].severity, Severity::Info);
}

#[test]
fn positive_text_suits_a_positive_tone() {
    let report = toned(
        "We love helping you succeed, and we are glad you are here.",
        &["warm"],
    );
    assert!(report.stats.sentiment >= 0.05);
    assert!(found(&report, SENTIMENT_MISMATCH).is_empty());
}

#[test]
fn strongly_emotional_text_mismatches_a_serious_tone() {
    let text = "This is amazing, wonderful, fantastic and brilliant. We love it so much.";
    let report = toned(text, &["serious"]);
    assert!(report.stats.sentiment > 0.6, "{}", report.stats.sentiment);
    let hits = found(&report, SENTIMENT_MISMATCH);
    assert_eq!(hits.len(), 1);
    assert!(hits[0].message.contains("strongly positive"));
    let calm = toned(
        "The quarterly results are available in the report.",
        &["serious"],
    );
    assert!(found(&calm, SENTIMENT_MISMATCH).is_empty());
}

#[test]
fn negative_text_mismatches_an_empathetic_tone() {
    let text = "Your complaint is wrong and the problem is your fault.";
    let report = toned(text, &["empathetic"]);
    assert!(
        report.stats.sentiment <= -0.05,
        "{}",
        report.stats.sentiment
    );
    assert_eq!(found(&report, SENTIMENT_MISMATCH).len(), 1);
}

#[test]
fn hedging_undercuts_a_confident_tone() {
    let text = "Maybe this will help. We think it works.";
    let report = toned(text, &["confident"]);
    let hits: Vec<&str> = found(&report, TONE_MISMATCH)
        .iter()
        .map(|f| spanned(text, f))
        .collect();
    assert_eq!(hits, ["Maybe", "We think"]);
    assert!(
        found(&report, TONE_MISMATCH)
            .iter()
            .all(|f| f.severity == Severity::Info)
    );
    assert!(found(&toned(text, &["friendly"]), TONE_MISMATCH).is_empty());
}

#[test]
fn unknown_descriptors_and_no_profile_add_no_tone_findings() {
    let text = "This is a terrible failure!! Can't stop it!";
    for report in [toned(text, &["quirky"]), run(text, Channel::Blog)] {
        assert!(found(&report, TONE_MISMATCH).is_empty());
        assert!(found(&report, SENTIMENT_MISMATCH).is_empty());
    }
}
