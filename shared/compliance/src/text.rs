//! The checked text, tokenised once: URLs, words and sentences.

use std::ops::Range;

use crate::{sentences, urls};

#[derive(Clone, Copy)]
pub(crate) struct Word {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) url: bool,
}

pub(crate) struct Sentence {
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// Indices into [`Doc::words`].
    pub(crate) words: Range<usize>,
}

pub(crate) struct Doc<'a> {
    pub(crate) text: &'a str,
    pub(crate) urls: Vec<Range<usize>>,
    pub(crate) words: Vec<Word>,
    /// Each word lower-cased, with typographic apostrophes made straight.
    pub(crate) lower: Vec<String>,
    pub(crate) sentences: Vec<Sentence>,
}

impl<'a> Doc<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let urls = urls::find(text);
        let words = words(text, &urls);
        let lower = words
            .iter()
            .map(|w| text[w.start..w.end].to_lowercase().replace('’', "'"))
            .collect();
        let mut next_word = 0;
        let sentences = sentences::split(text)
            .into_iter()
            .map(|range| {
                let first = next_word;
                while next_word < words.len() && words[next_word].start < range.end {
                    next_word += 1;
                }
                Sentence {
                    start: range.start,
                    end: range.end,
                    words: first..next_word,
                }
            })
            .collect();
        Self {
            text,
            urls,
            words,
            lower,
            sentences,
        }
    }

    pub(crate) fn word(&self, word: &Word) -> &'a str {
        &self.text[word.start..word.end]
    }

    pub(crate) fn sentence_words(&self, sentence: &Sentence) -> &[Word] {
        &self.words[sentence.words.clone()]
    }

    pub(crate) fn sentence_lower(&self, sentence: &Sentence) -> &[String] {
        &self.lower[sentence.words.clone()]
    }

    pub(crate) fn has_url(&self, start: usize, end: usize) -> bool {
        self.urls.iter().any(|u| u.start < end && start < u.end)
    }
}

/// Whitespace-separated tokens, as byte ranges.
pub(crate) fn tokens(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut pos = 0;
    std::iter::from_fn(move || {
        let rest = &text[pos..];
        let start = pos + rest.find(|c: char| !c.is_whitespace())?;
        let end = text[start..]
            .find(char::is_whitespace)
            .map_or(text.len(), |p| start + p);
        pos = end;
        Some(start..end)
    })
}

/// Tokens split further at dashes, trimmed of surrounding punctuation, without citation
/// markers ("[1]"); pieces without a letter or digit are not words.
fn words(text: &str, urls: &[Range<usize>]) -> Vec<Word> {
    let mut words = Vec::new();
    for token in tokens(text) {
        if let Some(url) = urls
            .iter()
            .find(|u| u.start < token.end && token.start < u.end)
        {
            words.push(Word {
                start: url.start.max(token.start),
                end: url.end.min(token.end),
                url: true,
            });
            continue;
        }
        let mut start = token.start;
        let mut after_bracket = false;
        for piece in text[token.clone()].split(['—', '–', '[']) {
            if !(after_bracket && citation(piece)) {
                let lead = piece.len()
                    - piece
                        .trim_start_matches(|c: char| !c.is_alphanumeric())
                        .len();
                let trimmed = piece.trim_matches(|c: char| !c.is_alphanumeric());
                if !trimmed.is_empty() {
                    words.push(Word {
                        start: start + lead,
                        end: start + lead + trimmed.len(),
                        url: false,
                    });
                }
            }
            let separator = text[start + piece.len()..token.end].chars().next();
            after_bracket = separator == Some('[');
            start += piece.len() + separator.map_or(0, char::len_utf8);
        }
    }
    words
}

/// The inside of a citation marker after its "[": "1]", "1, 2]", "1-3]."
pub(crate) fn citation(after_bracket: &str) -> bool {
    after_bracket.split_once(']').is_some_and(|(inside, _)| {
        inside.bytes().any(|b| b.is_ascii_digit())
            && inside
                .bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b',' | b'-' | b' '))
    })
}
