//! Passive voice: a form of "to be", perhaps an adverb, then a past participle.

use crate::codes::PASSIVE_VOICE;
use crate::text::Doc;
use crate::{Finding, Severity, Span};

const BE: &[&str] = &[
    "am", "are", "aren't", "be", "been", "being", "is", "isn't", "was", "wasn't", "were", "weren't",
];

/// Words that may stand between "to be" and the participle besides "-ly" adverbs.
const BETWEEN: &[&str] = &[
    "all", "already", "also", "being", "first", "just", "never", "not", "now", "often", "still",
    "then", "yet",
];

const IRREGULAR_PARTICIPLES: &[&str] = &[
    "beaten",
    "begun",
    "bent",
    "bitten",
    "born",
    "bought",
    "bound",
    "bred",
    "broken",
    "brought",
    "built",
    "caught",
    "chosen",
    "done",
    "drawn",
    "driven",
    "eaten",
    "fed",
    "felt",
    "forgiven",
    "forgotten",
    "found",
    "frozen",
    "given",
    "gotten",
    "grown",
    "held",
    "hidden",
    "hung",
    "hurt",
    "kept",
    "known",
    "laid",
    "led",
    "left",
    "lent",
    "lost",
    "made",
    "meant",
    "overseen",
    "paid",
    "put",
    "rebuilt",
    "rewritten",
    "ridden",
    "run",
    "said",
    "seen",
    "sent",
    "set",
    "shaken",
    "shot",
    "shown",
    "shut",
    "sold",
    "spent",
    "spoken",
    "spread",
    "stolen",
    "struck",
    "stuck",
    "sung",
    "sunk",
    "swept",
    "taken",
    "taught",
    "thought",
    "thrown",
    "told",
    "torn",
    "undertaken",
    "understood",
    "upheld",
    "withdrawn",
    "won",
    "worn",
    "written",
];

/// "-ed" words that after "to be" describe a state rather than an action done to it.
const ADJECTIVES: &[&str] = &[
    "advanced",
    "aged",
    "amazed",
    "annoyed",
    "based",
    "beloved",
    "blessed",
    "bored",
    "committed",
    "complicated",
    "concerned",
    "confused",
    "convinced",
    "crooked",
    "dedicated",
    "delighted",
    "detailed",
    "determined",
    "disappointed",
    "embarrassed",
    "excited",
    "exhausted",
    "experienced",
    "frustrated",
    "hundred",
    "interested",
    "involved",
    "limited",
    "married",
    "naked",
    "overwhelmed",
    "pleased",
    "prepared",
    "qualified",
    "related",
    "relaxed",
    "rugged",
    "sacred",
    "satisfied",
    "scared",
    "shed",
    "skilled",
    "sophisticated",
    "supposed",
    "surprised",
    "talented",
    "thrilled",
    "tired",
    "wicked",
    "worried",
];

/// Span of the first passive construction in each sentence that has one.
pub(crate) fn find(doc: &Doc) -> Vec<Span> {
    doc.sentences
        .iter()
        .filter_map(|sentence| {
            let words = doc.sentence_words(sentence);
            let lower = doc.sentence_lower(sentence);
            (0..lower.len()).find_map(|i| {
                if !be(&lower[i]) {
                    return None;
                }
                let mut j = i + 1;
                while j < lower.len() && j <= i + 2 && between(&lower[j]) {
                    j += 1;
                }
                lower
                    .get(j)
                    .filter(|w| participle(w))
                    .map(|_| Span::new(words[i].start, words[j].end))
            })
        })
        .collect()
}

pub(crate) fn findings(doc: &Doc, passive: &[Span], out: &mut Vec<Finding>) {
    for span in passive {
        out.push(
            Finding::new(
                PASSIVE_VOICE,
                Severity::Info,
                format!("Passive voice: \"{}\".", &doc.text[span.start..span.end]),
            )
            .at(*span)
            .suggest("Name who does the action and make them the subject.".to_owned()),
        );
    }
    let sentences = doc.sentences.len();
    // Two at least, so a single passive sentence is not also reported as a habit.
    if passive.len() >= 2 && passive.len() * 4 > sentences {
        out.push(
            Finding::new(
                PASSIVE_VOICE,
                Severity::Warning,
                format!(
                    "{} of {sentences} sentences ({}%) are in the passive voice.",
                    passive.len(),
                    passive.len() * 100 / sentences
                ),
            )
            .suggest("Keep the passive voice to a quarter of sentences or fewer.".to_owned()),
        );
    }
}

fn be(word: &str) -> bool {
    BE.contains(&word) || word.ends_with("'re") || word.ends_with("'m")
}

fn between(word: &str) -> bool {
    BETWEEN.contains(&word) || (word.len() > 4 && word.ends_with("ly"))
}

fn participle(word: &str) -> bool {
    IRREGULAR_PARTICIPLES.contains(&word)
        || (word.len() >= 4
            && word.ends_with("ed")
            && !word.ends_with("eed")
            && word.chars().all(char::is_alphabetic)
            && !ADJECTIVES.contains(&word))
}
