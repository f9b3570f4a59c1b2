//! Flesch–Kincaid grade and Flesch reading ease, and the checks on them and on sentence
//! length.

use std::cmp::Reverse;

use crate::codes::{LONG_SENTENCE, READING_GRADE};
use crate::syllables;
use crate::text::Doc;
use crate::{Finding, Severity, Span, VoiceRules};

/// Applies when the profile sets no maximum: the usual plain-English ceiling.
const DEFAULT_MAX_SENTENCE_WORDS: u32 = 30;

pub(crate) struct Readability {
    pub(crate) grade: f64,
    pub(crate) ease: f64,
}

/// Both scores over the words that are not URLs; zero for a text without such words.
pub(crate) fn measure(doc: &Doc) -> Readability {
    let (mut words, mut sentences, mut syllable_count) = (0usize, 0usize, 0usize);
    for sentence in &doc.sentences {
        let counted: Vec<_> = doc
            .sentence_words(sentence)
            .iter()
            .filter(|w| !w.url)
            .collect();
        if !counted.is_empty() {
            sentences += 1;
            words += counted.len();
            syllable_count += counted
                .iter()
                .map(|w| syllables::count(doc.word(w)))
                .sum::<usize>();
        }
    }
    if words == 0 {
        return Readability {
            grade: 0.0,
            ease: 0.0,
        };
    }
    let words_per_sentence = words as f64 / sentences as f64;
    let syllables_per_word = syllable_count as f64 / words as f64;
    Readability {
        grade: 0.39 * words_per_sentence + 11.8 * syllables_per_word - 15.59,
        ease: 206.835 - 1.015 * words_per_sentence - 84.6 * syllables_per_word,
    }
}

pub(crate) fn findings(
    doc: &Doc,
    readability: &Readability,
    rules: Option<&VoiceRules>,
    out: &mut Vec<Finding>,
) {
    let max_words = rules
        .and_then(|r| r.max_sentence_words)
        .unwrap_or(DEFAULT_MAX_SENTENCE_WORDS) as usize;
    for sentence in &doc.sentences {
        let words = sentence.words.len();
        if words > max_words {
            out.push(
                Finding::new(
                    LONG_SENTENCE,
                    Severity::Warning,
                    format!("Sentence has {words} words; the maximum is {max_words}."),
                )
                .at(Span::new(sentence.start, sentence.end))
                .suggest("Split it into shorter sentences.".to_owned()),
            );
        }
    }
    let Some(target) = rules.and_then(|r| r.reading_grade) else {
        return;
    };
    let longest = doc.sentences.iter().min_by_key(|s| Reverse(s.words.len()));
    if let Some(longest) = longest
        && readability.grade > target
    {
        out.push(
            Finding::new(
                READING_GRADE,
                Severity::Warning,
                format!(
                    "Reading grade {:.1} is above the target of {target}.",
                    readability.grade
                ),
            )
            .at(Span::new(longest.start, longest.end))
            .suggest(format!(
                "Use shorter sentences and simpler words; the longest sentence (highlighted) has {} words.",
                longest.words.len()
            )),
        );
    }
}
