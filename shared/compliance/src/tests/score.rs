use super::{run, run_with};
use crate::codes::{BANNED_TERM, PASSIVE_VOICE};
use crate::{Channel, CheckInput, Checker, Finding, Severity, Span, VoiceRules, check, score};

fn finding(code: &str, severity: Severity, span: Option<Span>) -> Finding {
    Finding {
        code: code.to_owned(),
        severity,
        message: String::new(),
        span,
        suggestion: None,
    }
}

#[test]
fn a_clean_text_scores_100_and_passes() {
    let report = run(
        "We ship the update on Tuesday. It makes search simpler.",
        Channel::Blog,
    );
    assert_eq!(report.findings, []);
    assert_eq!(report.score, 100);
    assert!(report.passed);
}

#[test]
fn a_text_with_an_error_scores_lower_than_a_clean_one() {
    let rules = VoiceRules {
        banned_terms: vec!["cheap".to_owned()],
        ..VoiceRules::default()
    };
    let clean = run_with("We ship the update on Tuesday.", Channel::Blog, &rules);
    let flagged = run_with(
        "We ship the cheap update on Tuesday.",
        Channel::Blog,
        &rules,
    );
    assert!(clean.passed && !flagged.passed);
    assert_eq!(flagged.score, 80);
    assert!(flagged.score < clean.score);
}

#[test]
fn findings_deduct_by_severity() {
    let one = |severity| score(&[finding("a", severity, None)]);
    assert_eq!(one(Severity::Error), 80);
    assert_eq!(one(Severity::Warning), 93);
    assert_eq!(one(Severity::Info), 98);
    assert_eq!(score(&[]), 100);
}

#[test]
fn one_repeated_issue_cannot_zero_the_score() {
    let banned = vec![finding(BANNED_TERM, Severity::Error, None); 10];
    assert_eq!(score(&banned), 60);
    let passive = vec![finding(PASSIVE_VOICE, Severity::Info, None); 30];
    assert_eq!(score(&passive), 96);
    let mut mixed = passive.clone();
    mixed.push(finding(PASSIVE_VOICE, Severity::Warning, None));
    assert_eq!(score(&mixed), 86);
}

#[test]
fn many_different_issues_bottom_out_at_zero() {
    let findings: Vec<Finding> = (0..10)
        .map(|i| finding(&format!("code_{i}"), Severity::Error, None))
        .collect();
    assert_eq!(score(&findings), 0);
}

#[test]
fn findings_are_ordered_by_span_with_unspanned_last() {
    let rules = VoiceRules {
        banned_terms: vec!["cheap".to_owned()],
        required_terms: vec!["Capital at risk".to_owned()],
        ..VoiceRules::default()
    };
    let text = "The report was written by us. Our cheap fund is the best.";
    let report = run_with(text, Channel::Blog, &rules);
    let starts: Vec<Option<usize>> = report
        .findings
        .iter()
        .map(|f| f.span.map(|s| s.start))
        .collect();
    let mut sorted = starts.clone();
    sorted.sort_by_key(|s| (s.is_none(), *s));
    assert_eq!(starts, sorted);
    assert_eq!(report.findings.last().unwrap().span, None);
    assert!(report.findings.len() >= 4);
}

#[test]
fn checks_are_deterministic_and_the_checker_matches_check() {
    let text = "Our tool is the fastest!! It was built by us. #a #b #c";
    let input = CheckInput::new(text, Channel::X);
    let checker = Checker::new();
    assert_eq!(check(&input), check(&input));
    assert_eq!(checker.check(&input), check(&input));
}

#[test]
fn the_report_serialises_with_stable_names() {
    let rules = VoiceRules {
        banned_terms: vec!["cheap".to_owned()],
        ..VoiceRules::default()
    };
    let report = run_with("A cheap plan.", Channel::Blog, &rules);
    let json = serde_json::to_value(&report).unwrap();
    let first = &json["findings"][0];
    assert_eq!(first["code"], "banned_term");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["span"], serde_json::json!({"start": 2, "end": 7}));
    assert!(json.get("thread").is_none());
    assert!(json["stats"].get("thread_parts").is_none());
    assert_eq!(json["passed"], false);
    let unspanned = serde_json::to_value(finding(BANNED_TERM, Severity::Warning, None)).unwrap();
    assert!(unspanned.get("span").is_none() && unspanned.get("suggestion").is_none());
}

#[test]
fn voice_rules_deserialise_from_partial_json() {
    let rules: VoiceRules = serde_json::from_str(
        r#"{"tone": ["formal"], "preferred_length": {"x": {"min": 5, "max": 40}}, "reading_grade": 8}"#,
    )
    .unwrap();
    assert_eq!(rules.tone, ["formal"]);
    assert_eq!(rules.reading_grade, Some(8.0));
    assert_eq!(rules.preferred_length[&Channel::X].max, 40);
    assert!(rules.banned_terms.is_empty());
}
