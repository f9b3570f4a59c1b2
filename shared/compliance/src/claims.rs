//! Claims that need a source: superlatives, absolutes and statistics in a sentence that
//! cites nothing.

use crate::codes::UNSUPPORTED_CLAIM;
use crate::text::{self, Doc, Sentence};
use crate::{Finding, Severity, Span};

/// Words that make a sentence a claim on their own (also as part of a hyphenated word:
/// "best-in-class", "industry-leading").
const CLAIM_WORDS: &[&str] = &[
    "best",
    "biggest",
    "cheapest",
    "clinically",
    "doubled",
    "doubles",
    "fastest",
    "greatest",
    "guarantee",
    "guaranteed",
    "guarantees",
    "highest",
    "largest",
    "leading",
    "lowest",
    "proven",
    "quadrupled",
    "quadruples",
    "quickest",
    "safest",
    "scientifically",
    "smartest",
    "strongest",
    "tripled",
    "triples",
    "unbeatable",
    "unmatched",
    "unparalleled",
    "unrivaled",
    "unrivalled",
    "world-class",
];

const CLAIM_PHRASES: &[&[&str]] = &[
    &["doctors", "recommend"],
    &["experts", "agree"],
    &["most", "accurate"],
    &["most", "advanced"],
    &["most", "effective"],
    &["most", "innovative"],
    &["most", "popular"],
    &["most", "powerful"],
    &["most", "reliable"],
    &["most", "secure"],
    &["most", "trusted"],
    &["no", "1"],
    &["number", "one"],
    &["research", "has", "shown"],
    &["research", "proves"],
    &["research", "shows"],
    &["studies", "have", "shown"],
    &["studies", "prove"],
    &["studies", "show"],
    &["world's", "first"],
];

const COMPARATIVES: &[&str] = &[
    "better", "bigger", "cheaper", "faster", "greater", "higher", "larger", "less", "lower",
    "more", "quicker", "smarter", "stronger",
];

const NUMBER_WORDS: &[&str] = &[
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twenty", "hundred",
];

pub(crate) fn findings(doc: &Doc, citations: usize, out: &mut Vec<Finding>) {
    for sentence in &doc.sentences {
        let Some(claim) = claim(doc, sentence) else {
            continue;
        };
        let quoted = &doc.text[claim.start..claim.end];
        let markers = markers(&doc.text[sentence.start..sentence.end]);
        let linked = doc.has_url(sentence.start, sentence.end);
        let unresolved = markers
            .iter()
            .find(|&&n| citations > 0 && (n == 0 || n > citations));
        let (message, suggestion) = match unresolved {
            None if linked || !markers.is_empty() => continue,
            Some(n) => (
                format!(
                    "Claim \"{quoted}\" cites [{n}], but the draft has {citations} source{}.",
                    if citations == 1 { "" } else { "s" }
                ),
                "Point the marker at one of the draft's sources.".to_owned(),
            ),
            None if citations == 0 => (
                format!("Claim \"{quoted}\" has no citation, and the draft cites no sources."),
                "Add a source to the draft and cite it here ([1] or a link), or soften the claim."
                    .to_owned(),
            ),
            None => (
                format!("Claim \"{quoted}\" has no citation."),
                "Cite a source in this sentence ([1] or a link), or soften the claim.".to_owned(),
            ),
        };
        out.push(
            Finding::new(UNSUPPORTED_CLAIM, Severity::Warning, message)
                .at(Span::new(sentence.start, sentence.end))
                .suggest(suggestion),
        );
    }
}

/// The first claim in the sentence, as the span of the words that make it.
fn claim(doc: &Doc, sentence: &Sentence) -> Option<Span> {
    let words = doc.sentence_words(sentence);
    let lower = doc.sentence_lower(sentence);
    let at = |i: usize| lower.get(i).map_or("", String::as_str);
    let span = |from: usize, to: usize| Span::new(words[from].start, words[to].end);
    let in_words = (0..lower.len()).find_map(|i| {
        let word = at(i);
        let previous = i.checked_sub(1).map_or("", at);
        let next = at(i + 1);
        if let Some(phrase) = CLAIM_PHRASES
            .iter()
            .find(|p| p.iter().enumerate().all(|(k, part)| at(i + k) == *part))
        {
            return Some(span(i, i + phrase.len() - 1));
        }
        let claim_word =
            CLAIM_WORDS.contains(&word) || word.split('-').any(|part| CLAIM_WORDS.contains(&part));
        let idiom = match word {
            "best" => {
                previous == "at" || ["practice", "practices", "regards", "wishes"].contains(&next)
            }
            "leading" => ["to", "up"].contains(&next),
            _ => false,
        };
        if claim_word && !idiom {
            return Some(span(i, i));
        }
        let numeric = word.starts_with(|c: char| c.is_ascii_digit());
        let percent = numeric
            && (doc.text[words[i].end..].starts_with('%')
                || ["percent", "pct"].contains(&next)
                || (next == "per" && at(i + 2) == "cent"));
        if percent {
            let end = words[i].end + usize::from(doc.text[words[i].end..].starts_with('%'));
            return Some(Span::new(words[i].start, end));
        }
        let multiplier = numeric
            && (word.ends_with('x') || word.ends_with("-fold"))
            && word[..word.len() - 1].bytes().any(|b| b.is_ascii_digit());
        if multiplier {
            return Some(span(i, i));
        }
        let times = (numeric || NUMBER_WORDS.contains(&word))
            && next == "times"
            && COMPARATIVES.contains(&at(i + 2));
        if times {
            return Some(span(i, i + 2));
        }
        None
    });
    [in_words, number_one(doc, sentence)]
        .into_iter()
        .flatten()
        .min_by_key(|s| s.start)
}

/// "#1", which is not a word (it has no letters) nor a hashtag.
fn number_one(doc: &Doc, sentence: &Sentence) -> Option<Span> {
    let text = &doc.text[sentence.start..sentence.end];
    text.match_indices("#1").find_map(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + 2..].chars().next();
        let standalone = !before.is_some_and(char::is_alphanumeric)
            && !after.is_some_and(|c| c.is_ascii_digit());
        standalone.then(|| Span::new(sentence.start + i, sentence.start + i + 2))
    })
}

/// The source numbers cited in `text` with markers like "[1]", "[2, 3]" or "[1-2]".
fn markers(text: &str) -> Vec<usize> {
    text.match_indices('[')
        .filter_map(|(i, _)| {
            let after = &text[i + 1..];
            text::citation(after).then(|| after.split_once(']').map(|(inside, _)| inside))?
        })
        .flat_map(|inside| inside.split([',', '-']))
        .filter_map(|n| n.trim().parse().ok())
        .collect()
}
