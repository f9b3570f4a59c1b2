//! Retrieved facts, and the one sentence of each the built-in composer quotes.

use crate::text::{ensure_period, is_function_word, sentences, word_count};
use crate::voice::{Voice, find_term};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A retrieved fact to ground the draft; `n` is its citation number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Fact {
    pub n: usize,
    pub text: String,
    /// The source document's title.
    pub title: String,
    pub document_id: String,
    pub chunk_id: String,
}

/// A fact as the built-in composer quotes it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Quote {
    pub n: usize,
    /// One clean sentence of the fact, ending in punctuation, without its citation.
    pub sentence: String,
    /// The source's title when it reads as a name ("IBM Cost of a Data Breach 2024"), for
    /// attributions; none for file names and empty titles.
    pub source: Option<String>,
}

/// Words that make a sentence lean on the one before it, so it reads badly on its own.
const DANGLING_STARTS: &[&str] = &[
    "it",
    "this",
    "these",
    "those",
    "they",
    "he",
    "she",
    "that",
    "such",
    "however",
    "but",
    "and",
    "also",
    "so",
    "thus",
    "therefore",
    "moreover",
    "furthermore",
    "additionally",
];

const FILE_EXTENSIONS: &[&str] = &[
    ".pdf", ".docx", ".doc", ".md", ".txt", ".html", ".htm", ".pptx", ".xlsx", ".csv", ".rtf",
];

const MAX_SOURCE_CHARS: usize = 80;

/// The facts worth quoting, in the order given (retrieval rank): one sentence each, the one
/// that best matches `terms` and stands on its own. Facts whose every sentence holds a banned
/// term are left out, as are repeated numbers and repeated sentences.
pub(crate) fn quotes(facts: &[Fact], voice: &Voice, terms: &[String]) -> Vec<Quote> {
    let max_words = voice.max_sentence_words();
    let mut out: Vec<Quote> = Vec::new();
    for fact in facts {
        if out.iter().any(|q| q.n == fact.n) {
            continue;
        }
        let cleaned = clean(&fact.text);
        let best = sentences(&cleaned)
            .into_iter()
            .filter(|s| substantial(s) && voice.banned_in(s).is_none())
            .enumerate()
            .fold(None::<(i32, &str)>, |best, (i, s)| {
                let score = score(s, terms, max_words) - i as i32;
                match best {
                    Some((b, _)) if b >= score => best,
                    _ => Some((score, s)),
                }
            });
        let Some((_, sentence)) = best else {
            tracing::debug!(n = fact.n, "no quotable sentence in the fact");
            continue;
        };
        let sentence = trim_sentence(sentence, max_words);
        if out
            .iter()
            .any(|q| q.sentence.eq_ignore_ascii_case(&sentence))
        {
            continue;
        }
        out.push(Quote {
            n: fact.n,
            sentence,
            source: source_name(&fact.title).filter(|t| voice.banned_in(t).is_none()),
        });
    }
    out
}

/// Enough of a sentence to quote: four words, or twelve characters for scripts written
/// without spaces (Chinese, Japanese).
fn substantial(sentence: &str) -> bool {
    word_count(sentence) >= 4 || sentence.chars().filter(|c| c.is_alphanumeric()).count() >= 12
}

fn score(sentence: &str, terms: &[String], max_words: usize) -> i32 {
    let mut score = 0;
    score += 3 * terms
        .iter()
        .filter(|t| find_term(sentence, t).is_some())
        .count() as i32;
    if sentence.chars().any(|c| c.is_ascii_digit()) {
        score += 2;
    }
    let first = sentence
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    if DANGLING_STARTS.contains(&first.as_str()) {
        score -= 4;
    }
    let words = word_count(sentence);
    if words > max_words {
        score -= 3;
    }
    if words < 7 {
        score -= 2;
    }
    if sentence.ends_with('?') || !sentence.ends_with(['.', '!', '…']) {
        score -= 2;
    }
    score
}

/// The fact's text without the clutter of its source: Markdown markers, list bullets, the
/// source's own reference numbers, runs of whitespace.
fn clean(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let mut kept = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        if is_heading(line, lines.get(i + 1).copied()) {
            continue;
        }
        kept.push(
            line.trim_start_matches(['>', '*', '-', '•', '+'])
                .trim_start()
                .to_string(),
        );
    }
    let unmarked = kept.join(" ").replace("**", "").replace("__", "");
    let without_refs = strip_reference_markers(&unmarked);
    without_refs
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A Markdown heading, or a short unpunctuated line followed by a capitalised one: a title
/// that would otherwise run into the next sentence. (A wrapped line continues in lowercase.)
fn is_heading(line: &str, next: Option<&str>) -> bool {
    line.starts_with('#')
        || (word_count(line) <= 6
            && !line.ends_with(['.', '!', '?', ':', ';', ','])
            && next.is_some_and(|n| n.starts_with(char::is_uppercase)))
}

/// Removes "[12]" and "[3, 4]": the source document's own references mean nothing here.
fn strip_reference_markers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let close = after.find(']');
        let is_marker = close.is_some_and(|c| {
            c > 0
                && after[..c]
                    .chars()
                    .all(|ch| ch.is_ascii_digit() || ch == ',' || ch == ' ' || ch == '-')
        });
        match close {
            Some(c) if is_marker => {
                out.push_str(rest[..open].trim_end());
                rest = &after[c + 1..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A long sentence cut at a clause boundary (";", " — ", ": ") when the first clause says
/// enough on its own, else at `max_words` with an ellipsis; a little over the limit is kept
/// whole rather than cut.
fn trim_sentence(sentence: &str, max_words: usize) -> String {
    let words = word_count(sentence);
    if words <= max_words {
        return ensure_period(sentence);
    }
    for boundary in ["; ", " — ", " – ", ": "] {
        if let Some(at) = sentence.find(boundary) {
            let clause = &sentence[..at];
            if (8..=max_words).contains(&word_count(clause)) {
                return ensure_period(clause);
            }
        }
    }
    if words <= max_words + 8 {
        return ensure_period(sentence);
    }
    let mut kept: Vec<&str> = sentence.split_whitespace().take(max_words).collect();
    while kept.len() > 1 && kept.last().is_some_and(|w| is_function_word(w)) {
        kept.pop();
    }
    let cut = kept
        .join(" ")
        .trim_end_matches([',', ';', ':', '.', '—', '-'])
        .to_string();
    format!("{cut}…")
}

/// The title as a name to attribute to, or none when it is a file name or unusable.
fn source_name(title: &str) -> Option<String> {
    let title = title.trim();
    let lower = title.to_lowercase();
    let stem = FILE_EXTENSIONS
        .iter()
        .find_map(|ext| {
            lower
                .ends_with(ext)
                .then(|| &title[..title.len() - ext.len()])
        })
        .unwrap_or(title)
        .trim();
    let file_like = !stem.contains(' ') && stem.contains(['_', '-', '.']);
    let usable = !stem.is_empty()
        && !file_like
        && stem.chars().count() <= MAX_SOURCE_CHARS
        && stem.chars().any(char::is_alphabetic);
    usable.then(|| stem.to_string())
}
