//! Splits extracted sections into token-budgeted, sentence-aligned, overlapping chunks for
//! embedding and keyword indexing.

use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;

use crate::{
    Extracted,
    tokens::{CHARS_PER_WORD_TOKEN, estimate_tokens, segment_tokens, segments},
};

/// Budgets in [`estimate_tokens`] units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChunkOptions {
    /// Most tokens in one chunk, overlap included (at least 1 is used).
    pub max_tokens: usize,
    /// Up to this many tokens of whole trailing sentences (or parts of an overlong one) of
    /// a chunk are repeated at the start of the next one in the same section, so a passage cut at a boundary is still
    /// retrievable with its context.
    pub overlap_tokens: usize,
}

impl Default for ChunkOptions {
    fn default() -> Self {
        Self {
            max_tokens: 300,
            overlap_tokens: 60,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chunk {
    /// `{document_id}-{ordinal:04}`: the same input always yields the same ids, so
    /// re-ingesting a document overwrites its chunks instead of adding new ones.
    pub id: String,
    /// 0-based position in the document.
    pub ordinal: u32,
    pub text: String,
    /// The section's heading path.
    pub heading: Option<String>,
    /// The section's PDF page.
    pub page: Option<u32>,
    /// [`estimate_tokens`] of `text`; at most `max_tokens` (re-estimating the joined text
    /// can only merge word runs split between pieces, never add tokens).
    pub tokens: usize,
}

/// Chunks every section on its own, so a chunk never spans two headings or pages and carries
/// exactly their metadata. Sentences (Unicode sentence boundaries) are kept whole; one
/// longer than the budget is split between words, and a word longer than the budget
/// between characters.
pub fn chunk(document_id: &str, extracted: &Extracted, options: &ChunkOptions) -> Vec<Chunk> {
    let max_tokens = options.max_tokens.max(1);
    let mut chunks = Vec::new();
    for section in &extracted.sections {
        let text = section.text.as_str();
        let mut push = |text: &str| {
            let ordinal = chunks.len() as u32;
            chunks.push(Chunk {
                id: format!("{document_id}-{ordinal:04}"),
                ordinal,
                text: text.to_owned(),
                heading: section.heading.clone(),
                page: section.page,
                tokens: estimate_tokens(text),
            });
        };
        let tokens = estimate_tokens(text);
        if tokens == 0 {
            continue;
        }
        // Most sections of short documents fit whole; sentence segmentation is the
        // expensive part of chunking, so only longer ones pay for it.
        if tokens <= max_tokens {
            push(text.trim());
            continue;
        }
        let pieces = pieces(text, max_tokens);
        for window in windows(&pieces, max_tokens, options.overlap_tokens) {
            let (first, last) = (&pieces[window.start], &pieces[window.end - 1]);
            push(text[first.start..last.end].trim());
        }
    }
    chunks
}

/// A byte range of section text that is never split: a sentence, or a budget-sized part of
/// an overlong one.
struct Piece {
    start: usize,
    end: usize,
    tokens: usize,
}

fn pieces(text: &str, max_tokens: usize) -> Vec<Piece> {
    let mut pieces = Vec::new();
    for (start, sentence) in text.split_sentence_bound_indices() {
        let tokens = estimate_tokens(sentence);
        if tokens == 0 {
            continue;
        }
        if tokens <= max_tokens {
            pieces.push(Piece {
                start,
                end: start + sentence.len(),
                tokens,
            });
        } else {
            split_sentence(sentence, start, max_tokens, &mut pieces);
        }
    }
    pieces
}

fn split_sentence(sentence: &str, offset: usize, max_tokens: usize, out: &mut Vec<Piece>) {
    let mut current: Option<Piece> = None;
    for (at, word) in segments(sentence) {
        let (start, tokens) = (offset + at, segment_tokens(word));
        if tokens > max_tokens {
            out.extend(current.take());
            split_word(word, start, max_tokens, out);
            continue;
        }
        match current.as_mut() {
            Some(piece) if piece.tokens + tokens <= max_tokens => {
                piece.end = start + word.len();
                piece.tokens += tokens;
            }
            _ => {
                out.extend(current.take().filter(|p| p.tokens > 0));
                current = Some(Piece {
                    start,
                    end: start + word.len(),
                    tokens,
                });
            }
        }
    }
    out.extend(current.filter(|p| p.tokens > 0));
}

fn split_word(word: &str, offset: usize, max_tokens: usize, out: &mut Vec<Piece>) {
    let chars_per_piece = max_tokens * CHARS_PER_WORD_TOKEN;
    let mut boundaries: Vec<usize> = word
        .char_indices()
        .map(|(i, _)| i)
        .step_by(chars_per_piece)
        .collect();
    boundaries.push(word.len());
    for pair in boundaries.windows(2) {
        let part = &word[pair[0]..pair[1]];
        out.push(Piece {
            start: offset + pair[0],
            end: offset + pair[1],
            tokens: segment_tokens(part),
        });
    }
}

/// Greedy packing into index ranges over `pieces`: each range holds as many pieces as fit,
/// after the trailing pieces of the previous range that fit in the overlap.
fn windows(
    pieces: &[Piece],
    max_tokens: usize,
    overlap_tokens: usize,
) -> Vec<std::ops::Range<usize>> {
    let mut windows = Vec::new();
    let (mut start, mut tokens) = (0, 0);
    for (i, piece) in pieces.iter().enumerate() {
        if tokens + piece.tokens > max_tokens {
            windows.push(start..i);
            let (mut next, mut carried) = (i, 0);
            while next > start && carried + pieces[next - 1].tokens <= overlap_tokens {
                next -= 1;
                carried += pieces[next].tokens;
            }
            while carried + piece.tokens > max_tokens {
                carried -= pieces[next].tokens;
                next += 1;
            }
            (start, tokens) = (next, carried);
        }
        tokens += piece.tokens;
    }
    if start < pieces.len() {
        windows.push(start..pieces.len());
    }
    windows
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;
    use crate::{Format, Section, extract};

    fn section(heading: Option<&str>, page: Option<u32>, text: &str) -> Section {
        Section {
            heading: heading.map(Into::into),
            page,
            text: text.into(),
        }
    }

    fn doc(sections: Vec<Section>) -> Extracted {
        Extracted {
            title: None,
            sections,
        }
    }

    /// Twelve sentences of 4–9 tokens each, numbered so order and overlap are visible.
    fn sentences() -> String {
        (1..=12)
            .map(|i| format!("Sentence {i} says{} something.", " really".repeat(i % 4)))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn chunks_respect_the_budget_and_keep_sentences_whole() {
        let options = ChunkOptions {
            max_tokens: 20,
            overlap_tokens: 0,
        };
        let chunks = chunk(
            "doc",
            &doc(vec![section(None, None, &sentences())]),
            &options,
        );
        assert!(chunks.len() > 3);
        for c in &chunks {
            assert!(c.tokens <= 20, "{c:?}");
            assert_eq!(c.tokens, estimate_tokens(&c.text));
            assert!(
                c.text.starts_with("Sentence") && c.text.ends_with("something."),
                "{c:?}"
            );
        }
        let rejoined = chunks
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(
            rejoined,
            sentences(),
            "without overlap the chunks tile the text"
        );
    }

    #[test]
    fn overlap_repeats_trailing_sentences_within_the_budget() {
        let options = ChunkOptions {
            max_tokens: 25,
            overlap_tokens: 10,
        };
        let chunks = chunk(
            "doc",
            &doc(vec![section(None, None, &sentences())]),
            &options,
        );
        assert!(chunks.len() > 2);
        for pair in chunks.windows(2) {
            let (previous, next) = (&pair[0], &pair[1]);
            assert!(next.tokens <= 25);
            let carried = format!(
                "{}something.",
                next.text.split_once("something.").unwrap().0
            );
            assert!(
                previous.text.ends_with(&carried),
                "{next:?} should open with the last sentence of {previous:?}"
            );
            assert!(estimate_tokens(&carried) <= 10);
        }
    }

    #[test]
    fn sections_are_never_crossed_and_keep_their_metadata() {
        let extracted = doc(vec![
            section(Some("Intro"), None, "Short one."),
            section(None, Some(3), "   "),
            section(Some("Body > Detail"), Some(4), &sentences()),
        ]);
        let chunks = chunk("d1", &extracted, &ChunkOptions::default());
        assert_eq!(chunks.len(), 2);
        assert_eq!(
            (
                chunks[0].text.as_str(),
                chunks[0].heading.as_deref(),
                chunks[0].page
            ),
            ("Short one.", Some("Intro"), None)
        );
        assert_eq!(chunks[1].heading.as_deref(), Some("Body > Detail"));
        assert_eq!(chunks[1].page, Some(4));
        assert_eq!(chunks[1].text, sentences());
        let ids: Vec<_> = chunks.iter().map(|c| (c.id.as_str(), c.ordinal)).collect();
        assert_eq!(ids, [("d1-0000", 0), ("d1-0001", 1)]);
    }

    #[test]
    fn ids_are_stable_for_the_same_input() {
        let extracted = doc(vec![section(None, None, &sentences().repeat(5))]);
        let options = ChunkOptions {
            max_tokens: 30,
            overlap_tokens: 10,
        };
        let first = chunk("doc-7", &extracted, &options);
        assert_eq!(first, chunk("doc-7", &extracted, &options));
        assert_eq!(first[11].id, "doc-7-0011");
    }

    #[test]
    fn overlong_sentences_split_between_words_and_overlong_words_between_characters() {
        let run_on = format!("{} end.", "word ".repeat(50));
        let long_word = "x".repeat(100);
        let extracted = doc(vec![section(None, None, &format!("{run_on} {long_word}"))]);
        let options = ChunkOptions {
            max_tokens: 10,
            overlap_tokens: 0,
        };
        let chunks = chunk("d", &extracted, &options);
        assert!(chunks.iter().all(|c| c.tokens <= 10), "{chunks:#?}");
        assert!(chunks.iter().all(|c| !c.text.contains("wo rd")));
        assert_eq!(
            chunks[0].text,
            "word word word word word word word word word word"
        );
        let tail: String = chunks
            .iter()
            .filter(|c| c.text.starts_with('x'))
            .map(|c| c.text.as_str())
            .collect();
        assert_eq!(tail, long_word);
        let degenerate = ChunkOptions {
            max_tokens: 0,
            overlap_tokens: 5,
        };
        assert!(
            chunk("d", &extracted, &degenerate)
                .iter()
                .all(|c| c.tokens == 1)
        );
    }

    #[test]
    fn bulk_ingestion_of_short_documents_is_fast() {
        // Notes and mentions: a heading or first line and a paragraph of about 100 tokens,
        // half Markdown and half plain text.
        let documents: Vec<(Format, String)> = (0..1_400)
            .map(|i| match i % 2 {
                0 => (Format::Markdown, format!("# Note {i}\n\n{}", sentences())),
                _ => (Format::Text, format!("Note {i}\n{}", sentences())),
            })
            .collect();
        let started = Instant::now();
        let mut total = 0;
        for (i, (format, document)) in documents.iter().enumerate() {
            let extracted = extract(*format, document.as_bytes()).unwrap();
            total += chunk(&i.to_string(), &extracted, &ChunkOptions::default()).len();
        }
        let elapsed = started.elapsed();
        assert_eq!(total, 1_400, "one chunk each");
        // Only an optimised build is held to the budget; debug builds are several times slower.
        if !cfg!(debug_assertions) {
            assert!(elapsed < Duration::from_millis(100), "{elapsed:?}");
        }
        println!("1,400 documents extracted and chunked in {elapsed:?}");
    }
}
