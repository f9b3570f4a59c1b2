//! The built-in composer: no model, so the answer is the context's own sentences that best
//! cover the question, each cited. Sentences score by the question's words they contain
//! (rarer words in the context weigh more) and by the graph entities in focus; near
//! duplicates are skipped so the answer does not repeat itself.

use super::context::ContextChunk;
use super::{Citation, cite, split_sentences};
use crate::highlight::{stem, terms};
use std::collections::HashSet;

const MAX_SENTENCES: usize = 4;
const MAX_WORDS: usize = 140;
pub const NOT_FOUND: &str = "The documents do not answer this question.";

struct Candidate<'a> {
    chunk: usize,
    position: usize,
    text: &'a str,
    words: HashSet<String>,
    score: f32,
}

pub fn compose(
    question: &str,
    context: &[ContextChunk],
    focus: &[String],
) -> (String, Vec<Citation>) {
    let stems: Vec<String> = terms(question).iter().map(|t| stem(t)).collect();
    let mut candidates: Vec<Candidate> = Vec::new();
    for (chunk, c) in context.iter().enumerate() {
        for (position, text) in split_sentences(&c.text).into_iter().enumerate() {
            let words: HashSet<String> = terms(text).iter().map(|w| stem(w)).collect();
            candidates.push(Candidate {
                chunk,
                position,
                text,
                words,
                score: 0.0,
            });
        }
    }
    if candidates.is_empty() || stems.is_empty() {
        return (NOT_FOUND.to_string(), Vec::new());
    }
    let n = candidates.len() as f32;
    let idf = |s: &String| {
        let df = candidates.iter().filter(|c| c.words.contains(s)).count() as f32;
        (1.0 + n / (1.0 + df)).ln()
    };
    let weights: Vec<(String, f32)> = stems.iter().map(|s| (s.clone(), idf(s))).collect();
    let focus: Vec<String> = focus.iter().map(|f| f.to_lowercase()).collect();
    for c in &mut candidates {
        let matched: f32 = weights
            .iter()
            .filter(|(s, _)| {
                c.words
                    .iter()
                    .any(|w| w.starts_with(s.as_str()) || s.starts_with(w.as_str()) && w.len() >= 4)
            })
            .map(|(_, w)| w)
            .sum();
        if matched == 0.0 {
            continue;
        }
        let lower = c.text.to_lowercase();
        let entities = focus.iter().filter(|f| lower.contains(f.as_str())).count() as f32;
        // Earlier context ranks higher; it is a tie-breaker, not a signal of its own.
        let prior = 1.0 / (c.chunk as f32 + 2.0);
        c.score = matched + 0.6 * entities + 0.3 * prior;
    }
    let mut ranked: Vec<usize> = (0..candidates.len())
        .filter(|&i| candidates[i].score > 0.0)
        .collect();
    ranked.sort_by(|&a, &b| candidates[b].score.total_cmp(&candidates[a].score));
    let best = ranked.first().map_or(0.0, |&i| candidates[i].score);
    let mut chosen: Vec<usize> = Vec::new();
    let mut words = 0;
    for i in ranked {
        let c = &candidates[i];
        // Weak sentences dilute a good answer; keep those within reach of the best.
        if c.score < best * 0.35 || chosen.len() == MAX_SENTENCES || words >= MAX_WORDS {
            break;
        }
        let repeats = chosen
            .iter()
            .any(|&j| overlap(&c.words, &candidates[j].words) > 0.7);
        if !repeats {
            words += c.text.split_whitespace().count();
            chosen.push(i);
        }
    }
    if chosen.is_empty() {
        return (NOT_FOUND.to_string(), Vec::new());
    }
    // Read in context order, so a chunk's sentences keep their own sequence.
    chosen.sort_by_key(|&i| (candidates[i].chunk, candidates[i].position));
    let answer = chosen
        .iter()
        .map(|&i| with_marker(candidates[i].text, candidates[i].chunk + 1))
        .collect::<Vec<_>>()
        .join(" ");
    cite(&answer, context)
}

fn overlap(a: &HashSet<String>, b: &HashSet<String>) -> f32 {
    let inter = a.intersection(b).count() as f32;
    let smaller = a.len().min(b.len()).max(1) as f32;
    inter / smaller
}

/// `Sentence [n].` — the marker inside the closing punctuation.
fn with_marker(sentence: &str, n: usize) -> String {
    let trimmed = sentence.trim_end();
    match trimmed.char_indices().last() {
        Some((i, c)) if matches!(c, '.' | '!' | '?') => {
            format!("{} [{n}]{c}", trimmed[..i].trim_end())
        }
        _ => format!("{trimmed} [{n}]."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(id: &str, text: &str) -> ContextChunk {
        ContextChunk {
            n: 0,
            chunk_id: id.into(),
            document_id: id.into(),
            title: id.into(),
            text: text.into(),
            heading: None,
            page: None,
            score: 1.0,
            via: "retrieval".into(),
        }
    }

    #[test]
    fn cites_the_sentences_that_answer() {
        let context = [
            chunk(
                "a",
                "Acme Corp acquired Beta Labs in 2020. The weather was fine.",
            ),
            chunk("b", "Beta Labs is headquartered in Oslo. It makes sensors."),
        ];
        let focus = ["Beta Labs".to_string(), "Acme Corp".to_string()];
        let (answer, citations) = compose(
            "Where is the company Acme Corp acquired headquartered?",
            &context,
            &focus,
        );
        assert_eq!(
            answer,
            "Acme Corp acquired Beta Labs in 2020 [1]. Beta Labs is headquartered in Oslo [2]."
        );
        assert_eq!(citations.len(), 2);
        assert_eq!(citations[1].chunk_id, "b");
    }

    #[test]
    fn says_so_when_nothing_matches() {
        let (answer, citations) = compose(
            "quantum chromodynamics",
            &[chunk("a", "Cats sleep a lot.")],
            &[],
        );
        assert_eq!(answer, NOT_FOUND);
        assert!(citations.is_empty());
    }
}
