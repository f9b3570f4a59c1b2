//! Banned and required terms: case-insensitive whole-word or phrase matches that still
//! find a term wrapped in punctuation or quotes, and a phrase across a line break.

use crate::codes::{BANNED_TERM, MISSING_REQUIRED_TERM};
use crate::{Finding, Severity, Span, VoiceRules};

pub(crate) fn findings(text: &str, rules: &VoiceRules, out: &mut Vec<Finding>) {
    let banned = rules
        .banned_terms
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty());
    let required = rules
        .required_terms
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty());
    if banned.clone().chain(required.clone()).next().is_none() {
        return;
    }
    let folded = Folded::new(text);
    for term in banned {
        for span in folded.occurrences(term) {
            let written = &text[span.start..span.end];
            out.push(
                Finding::new(
                    BANNED_TERM,
                    Severity::Error,
                    format!("Banned term \"{term}\"."),
                )
                .at(span)
                .suggest(format!("Remove or rephrase \"{written}\".")),
            );
        }
    }
    for term in required {
        if folded.occurrences(term).next().is_none() {
            out.push(
                Finding::new(
                    MISSING_REQUIRED_TERM,
                    Severity::Error,
                    format!("Missing required term \"{term}\"."),
                )
                .suggest(format!("Add \"{term}\".")),
            );
        }
    }
}

/// The text as lower-cased chars with straightened quotes, each with its byte offset.
struct Folded {
    chars: Vec<char>,
    /// One more than `chars`: the text's length closes the last char.
    offsets: Vec<usize>,
}

impl Folded {
    fn new(text: &str) -> Self {
        let mut chars = Vec::with_capacity(text.len());
        let mut offsets = Vec::with_capacity(text.len() + 1);
        for (i, c) in text.char_indices() {
            chars.push(fold(c));
            offsets.push(i);
        }
        offsets.push(text.len());
        Self { chars, offsets }
    }

    /// Non-overlapping occurrences of `term`, left to right.
    fn occurrences<'s>(&'s self, term: &str) -> impl Iterator<Item = Span> + 's {
        // `None` stands for a run of whitespace of any length.
        let pattern: Vec<Option<char>> = term
            .split_whitespace()
            .enumerate()
            .flat_map(|(i, word)| {
                (i > 0)
                    .then_some(None)
                    .into_iter()
                    .chain(word.chars().map(|c| Some(fold(c))))
            })
            .collect();
        let bounded_start = matches!(pattern.first(), Some(Some(c)) if word_char(*c));
        let bounded_end = matches!(pattern.last(), Some(Some(c)) if word_char(*c));
        let mut i = 0;
        std::iter::from_fn(move || {
            while i < self.chars.len() {
                let start = i;
                let at_boundary = !bounded_start || start == 0 || !word_char(self.chars[start - 1]);
                let end = at_boundary
                    .then(|| self.match_at(start, &pattern))
                    .flatten();
                match end {
                    Some(end)
                        if !bounded_end || self.chars.get(end).is_none_or(|&c| !word_char(c)) =>
                    {
                        i = end;
                        return Some(Span::new(self.offsets[start], self.offsets[end]));
                    }
                    _ => i += 1,
                }
            }
            None
        })
    }

    fn match_at(&self, start: usize, pattern: &[Option<char>]) -> Option<usize> {
        let mut i = start;
        for expected in pattern {
            match expected {
                Some(c) => {
                    if self.chars.get(i) != Some(c) {
                        return None;
                    }
                    i += 1;
                }
                None => {
                    let run = self.chars[i..].iter().take_while(|&&c| c == ' ').count();
                    if run == 0 {
                        return None;
                    }
                    i += run;
                }
            }
        }
        (i > start).then_some(i)
    }
}

fn fold(c: char) -> char {
    match c {
        '’' | '‘' => '\'',
        '“' | '”' => '"',
        c if c.is_whitespace() => ' ',
        c => c.to_lowercase().next().unwrap_or(c),
    }
}

fn word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}
