//! Sentiment towards one named target in a text that names several.

use plasma_sentiment::{Label, score_for};

fn label(text: &str, target: &str) -> Option<Label> {
    score_for(text, &[target]).map(|s| s.label())
}

#[test]
fn contrast_separates_targets() {
    let text = "Acme is great but Globex is awful";
    assert_eq!(label(text, "Acme"), Some(Label::Positive));
    assert_eq!(label(text, "Globex"), Some(Label::Negative));
}

#[test]
fn sentences_and_commas_separate_targets() {
    let text = "Loved the new Acme phone! Globex delivery was useless.";
    assert_eq!(label(text, "acme"), Some(Label::Positive));
    assert_eq!(label(text, "globex"), Some(Label::Negative));
    let text = "Acme is brilliant, Globex sucks";
    assert_eq!(label(text, "Acme"), Some(Label::Positive));
    assert_eq!(label(text, "Globex"), Some(Label::Negative));
}

#[test]
fn window_widens_when_the_clause_has_no_sentiment() {
    // The comma cuts "Acme" off on its own; the sentence still says how it went.
    assert_eq!(
        label("Acme, the new bank, is terrible", "Acme"),
        Some(Label::Negative)
    );
}

#[test]
fn mentions_match_case_handles_and_phrases() {
    assert_eq!(label("Loving @Acme today", "acme"), Some(Label::Positive));
    assert_eq!(label("#acme is the worst", "Acme"), Some(Label::Negative));
    assert_eq!(
        label("Acme's support is excellent", "Acme"),
        Some(Label::Positive)
    );
    let text = "Acme Bank is wonderful but Acme Insurance is a scam";
    assert_eq!(label(text, "acme bank"), Some(Label::Positive));
    assert_eq!(label(text, "Acme Insurance"), Some(Label::Negative));
}

#[test]
fn any_of_several_terms_counts() {
    let s = score_for("Globex is brilliant", &["Acme", "Globex"]).unwrap();
    assert_eq!(s.label(), Label::Positive);
}

#[test]
fn absent_target_is_none() {
    assert_eq!(score_for("Acme is great", &["Globex"]), None);
    assert_eq!(score_for("Acme is great", &[]), None);
    assert_eq!(score_for("Acme is great", &["", "  "]), None);
    assert_eq!(score_for("", &["Acme"]), None);
    // Whole words only.
    assert_eq!(score_for("Acmeville is great", &["Acme"]), None);
}

#[test]
fn neutral_mention() {
    assert_eq!(
        label("I walked past the Acme store", "Acme"),
        Some(Label::Neutral)
    );
}
