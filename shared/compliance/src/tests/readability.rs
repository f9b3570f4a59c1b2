use super::{found, run, run_with, spanned};
use crate::codes::{LONG_SENTENCE, READING_GRADE};
use crate::readability::measure;
use crate::syllables::count;
use crate::text::Doc;
use crate::{Channel, Severity, VoiceRules};

fn grade(text: &str) -> f64 {
    measure(&Doc::new(text)).grade
}

fn assert_near(actual: f64, expected: f64, tolerance: f64) {
    assert!(
        (actual - expected).abs() <= tolerance,
        "{actual} is not within {tolerance} of {expected}"
    );
}

#[test]
fn syllables_follow_the_dictionary_for_common_patterns() {
    let cases = [
        ("cat", 1),
        ("the", 1),
        ("table", 2),
        ("make", 1),
        ("makes", 1),
        ("boxes", 2),
        ("changes", 2),
        ("jumped", 1),
        ("wanted", 2),
        ("played", 1),
        ("being", 2),
        ("seeing", 2),
        ("Australian", 4),
        ("reptilian", 4),
        ("creature", 2),
        ("sentence", 2),
        ("passage", 2),
        ("someone", 2),
        ("sometimes", 2),
        ("lovely", 2),
        ("statement", 2),
        ("completely", 3),
        ("media", 3),
        ("fuel", 2),
        ("happier", 3),
        ("quiet", 2),
        ("people", 2),
        ("type", 1),
        ("style", 1),
        ("hundred", 2),
        ("readability", 5),
        ("queue", 1),
        ("isn't", 2),
        ("don't", 1),
        ("well-known", 2),
        ("2024", 1),
        ("—", 0),
    ];
    for (word, expected) in cases {
        assert_eq!(count(word), expected, "{word}");
    }
}

#[test]
fn flesch_kincaid_grade_matches_textbook_values() {
    // 6 words, 6 syllables, 1 sentence: 0.39 × 6 + 11.8 × 1 − 15.59.
    assert_near(grade("The cat sat on the mat."), -1.45, 0.01);
    // 13 words, 26 syllables: 0.39 × 13 + 11.8 × 2 − 15.59.
    let platypus =
        "The Australian platypus is seemingly a hybrid of a mammal and reptilian creature.";
    assert_near(grade(platypus), 13.08, 0.5);
    // 16 words, 23 syllables: 0.39 × 16 + 11.8 × 23 / 16 − 15.59.
    let passage =
        "This sentence, taken as a reading passage unto itself, is being used to prove a point.";
    assert_near(grade(passage), 7.61, 0.5);
    // 9 words in 2 sentences, 9 syllables: 0.39 × 4.5 + 11.8 − 15.59.
    assert_near(grade("The cat sat on the mat. The dog ran."), -2.04, 0.01);
}

#[test]
fn reading_ease_is_reported_in_the_stats() {
    let report = run("The cat sat on the mat.", Channel::Blog);
    // 206.835 − 1.015 × 6 − 84.6 × 1.
    assert_near(report.stats.flesch_reading_ease, 116.15, 0.01);
    assert_near(report.stats.flesch_kincaid_grade, -1.45, 0.01);
    assert_eq!(report.stats.words, 6);
    assert_eq!(report.stats.sentences, 1);
}

#[test]
fn urls_and_citation_markers_are_not_words_for_readability() {
    let plain = grade("The cat sat on the mat.");
    assert_near(
        grade("The cat sat on the mat https://example.com/a/long/path."),
        plain,
        0.01,
    );
    assert_near(grade("The cat sat on the mat[1]."), plain, 0.01);
}

#[test]
fn a_text_without_words_has_zero_scores() {
    let report = run("— … !!", Channel::Blog);
    assert_eq!(report.stats.flesch_kincaid_grade, 0.0);
    assert_eq!(report.stats.words, 0);
    assert_eq!(report.stats.sentences, 0);
}

#[test]
fn a_grade_above_the_target_warns_and_names_the_longest_sentence() {
    let text = "We ship. The Australian platypus is seemingly a hybrid of a mammal and reptilian creature.";
    let rules = VoiceRules {
        reading_grade: Some(6.0),
        ..VoiceRules::default()
    };
    let report = run_with(text, Channel::Blog, &rules);
    let hits = found(&report, READING_GRADE);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].severity, Severity::Warning);
    assert!(
        hits[0].message.contains("above the target of 6"),
        "{}",
        hits[0].message
    );
    assert!(spanned(text, hits[0]).starts_with("The Australian platypus"));
    assert!(hits[0].suggestion.as_deref().unwrap().contains("13 words"));
}

#[test]
fn a_grade_at_or_below_the_target_passes() {
    let rules = VoiceRules {
        reading_grade: Some(8.0),
        ..VoiceRules::default()
    };
    let report = run_with("The cat sat on the mat.", Channel::Blog, &rules);
    assert!(found(&report, READING_GRADE).is_empty());
    // Without a target there is nothing to compare against.
    let report = run(
        "The Australian platypus is seemingly a hybrid.",
        Channel::Blog,
    );
    assert!(found(&report, READING_GRADE).is_empty());
}

#[test]
fn sentences_over_30_words_warn_by_default() {
    let long = format!("Start {}end.", "word ".repeat(29));
    let text = format!("Short one. {long} Another short one.");
    let report = run(&text, Channel::Blog);
    let hits = found(&report, LONG_SENTENCE);
    assert_eq!(hits.len(), 1);
    assert_eq!(spanned(&text, hits[0]), long);
    assert!(hits[0].message.contains("31 words"));
    let exactly_30 = format!("Start {}end.", "word ".repeat(28));
    assert!(found(&run(&exactly_30, Channel::Blog), LONG_SENTENCE).is_empty());
}

#[test]
fn the_profile_sets_the_sentence_maximum() {
    let rules = VoiceRules {
        max_sentence_words: Some(5),
        ..VoiceRules::default()
    };
    let text = "One two three four five. One two three four five six.";
    let report = run_with(text, Channel::Blog, &rules);
    let hits = found(&report, LONG_SENTENCE);
    assert_eq!(hits.len(), 1);
    assert_eq!(spanned(text, hits[0]), "One two three four five six.");
}
