use super::{filler, found, run};
use crate::codes::THREAD_SPLIT;
use crate::{Channel, split_thread, x_weighted_length};

/// The part without its " k/n" suffix, checking the numbering on the way.
fn body(part: &str, k: usize, n: usize) -> &str {
    let suffix = format!(" {k}/{n}");
    part.strip_suffix(&suffix)
        .unwrap_or_else(|| panic!("{part:?} ends with {suffix:?}"))
}

fn words_of(parts: &[String]) -> Vec<&str> {
    let n = parts.len();
    parts
        .iter()
        .enumerate()
        .flat_map(|(k, p)| body(p, k + 1, n).split_whitespace())
        .collect()
}

fn sentences(count: usize) -> String {
    (1..=count)
        .map(|i| format!("Sentence number {i} tells one short part of the longer story."))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn parts_fit_are_numbered_and_keep_every_word() {
    let url = format!("https://example.com/{}", "a".repeat(120));
    let text = format!(
        "{} Read more at {url} today. {}",
        sentences(6),
        sentences(4)
    );
    assert!(x_weighted_length(&text) > 280);
    let parts = split_thread(&text, 280);
    assert!(parts.len() > 1);
    for part in &parts {
        assert!(x_weighted_length(part) <= 280, "{part:?}");
    }
    assert_eq!(
        words_of(&parts),
        text.split_whitespace().collect::<Vec<_>>()
    );
    assert_eq!(parts.iter().filter(|p| p.contains(&url)).count(), 1);
}

#[test]
fn parts_break_between_sentences_when_they_can() {
    let text = sentences(12);
    let parts = split_thread(&text, 280);
    let n = parts.len();
    for (k, part) in parts.iter().enumerate() {
        assert!(body(part, k + 1, n).ends_with("story."), "{part:?}");
    }
}

#[test]
fn a_sentence_longer_than_a_post_breaks_between_words() {
    let text = filler(700);
    let parts = split_thread(&text, 280);
    assert_eq!(parts.len(), 3);
    for part in &parts {
        assert!(x_weighted_length(part) <= 280);
        assert!(!part.contains("wo "), "{part:?}");
    }
    assert_eq!(
        words_of(&parts),
        text.split_whitespace().collect::<Vec<_>>()
    );
}

#[test]
fn a_word_longer_than_a_post_breaks_between_characters_not_inside_emoji() {
    let text = "日本語👍🏽".repeat(60);
    let parts = split_thread(&text, 280);
    let n = parts.len();
    let mut joined = String::new();
    for (k, part) in parts.iter().enumerate() {
        assert!(x_weighted_length(part) <= 280, "{part:?}");
        joined.push_str(body(part, k + 1, n));
    }
    assert_eq!(joined, text);
    assert!(parts.iter().all(|p| !p.starts_with('\u{1F3FD}')));
}

#[test]
fn numbering_widens_for_ten_parts_or_more() {
    let text = sentences(60);
    let parts = split_thread(&text, 280);
    assert!(parts.len() >= 10, "{}", parts.len());
    let n = parts.len();
    for (k, part) in parts.iter().enumerate() {
        assert!(x_weighted_length(part) <= 280);
        body(part, k + 1, n);
    }
}

#[test]
fn text_that_fits_stays_whole_and_blank_text_has_no_parts() {
    assert_eq!(split_thread("  Short post.  ", 280), ["Short post."]);
    assert!(split_thread(" \n ", 280).is_empty());
}

#[test]
fn an_over_limit_x_post_reports_its_thread() {
    let text = sentences(8);
    let report = run(&text, Channel::X);
    let thread = report.thread.clone().expect("thread");
    assert_eq!(thread, split_thread(&text, 280));
    assert_eq!(report.stats.thread_parts, Some(thread.len()));
    assert_eq!(found(&report, THREAD_SPLIT).len(), 1);
}

/// A thread is checked as its posts: each within the limit passes, and one post over it is
/// named with its span, while the voice rules still read the whole thread.
#[test]
fn a_thread_is_held_to_the_limit_post_by_post() {
    use crate::codes::{MISSING_REQUIRED_TERM, OVER_LIMIT};
    use crate::{CheckInput, THREAD_SEPARATOR, VoiceRules, check};
    let fits = vec![filler(270), filler(275), "Terms apply.".to_string()];
    let joined = fits.join(THREAD_SEPARATOR);
    assert!(x_weighted_length(&joined) > 280);
    let report = check(&CheckInput::new(&joined, Channel::X).with_thread(&fits));
    assert!(found(&report, OVER_LIMIT).is_empty(), "{report:?}");
    assert_eq!(report.stats.thread_parts, Some(3));
    assert!(report.thread.is_none(), "no split is offered for a thread");

    let rules = VoiceRules {
        required_terms: vec!["Terms apply.".into(), "Capital at risk".into()],
        ..VoiceRules::default()
    };
    let over = vec![filler(100), filler(290)];
    let joined = over.join(THREAD_SEPARATOR);
    let report = check(
        &CheckInput::new(&joined, Channel::X)
            .with_thread(&over)
            .with_rules(&rules),
    );
    let findings = found(&report, OVER_LIMIT);
    assert_eq!(findings.len(), 1, "{report:?}");
    assert!(findings[0].message.contains("Post 2"), "{:?}", findings[0]);
    let span = findings[0].span.unwrap();
    assert_eq!(&joined[span.start..span.end], over[1]);
    let missing = found(&report, MISSING_REQUIRED_TERM);
    assert_eq!(
        missing.len(),
        2,
        "the whole thread lacks both terms: {report:?}"
    );
    assert!(!report.passed);
}
