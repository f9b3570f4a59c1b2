//! The last guard against banned terms in a finished draft: sentences that hold one are
//! dropped; headings, which cannot be dropped without breaking the draft, lose the term.
//! Lines that hold a required term are kept as they are, because the voice mandates them.

use crate::voice::Voice;
use unicode_segmentation::UnicodeSegmentation;

/// What was done about one banned term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Removal {
    pub term: String,
    pub action: &'static str,
}

/// `text` without banned terms, and what was removed to get there.
pub(crate) fn remove_banned(text: &str, voice: &Voice) -> (String, Vec<Removal>) {
    if voice.banned_in(text).is_none() {
        return (text.to_string(), Vec::new());
    }
    let mut removals = Vec::new();
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (content, newline) = match line.strip_suffix('\n') {
            Some(content) => (content, "\n"),
            None => (line, ""),
        };
        let Some(term) = voice.banned_in(content) else {
            out.push_str(line);
            continue;
        };
        if voice
            .required_terms
            .iter()
            .any(|r| !r.trim().is_empty() && content.contains(r.trim()))
        {
            out.push_str(line);
            continue;
        }
        if content.trim_start().starts_with('#') {
            removals.push(Removal {
                term: term.to_string(),
                action: "removed the term from a heading",
            });
            out.push_str(&voice.scrub(content));
            out.push_str(newline);
            continue;
        }
        let (marker, rest) = split_marker(content);
        let kept: String = rest
            .split_sentence_bounds()
            .filter(|sentence| match voice.banned_in(sentence) {
                Some(term) => {
                    removals.push(Removal {
                        term: term.to_string(),
                        action: "dropped the sentence",
                    });
                    false
                }
                None => true,
            })
            .collect();
        if kept.chars().any(char::is_alphanumeric) {
            out.push_str(marker);
            out.push_str(kept.trim_end());
            out.push_str(newline);
        }
    }
    (collapse_blank_lines(&out), removals)
}

/// A line's list marker or thread number ("• ", "- ", "3/7 "), kept when its first sentence
/// is dropped.
fn split_marker(line: &str) -> (&str, &str) {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    let marker_len = ["• ", "- ", "* ", "> ", "→ "]
        .iter()
        .find(|m| trimmed.starts_with(*m))
        .map(|m| m.len())
        .or_else(|| {
            let (first, _) = trimmed.split_once(' ')?;
            let (a, b) = first.split_once('/')?;
            let numbered = !a.is_empty()
                && !b.is_empty()
                && a.chars().chain(b.chars()).all(|c| c.is_ascii_digit());
            numbered.then_some(first.len() + 1)
        })
        .unwrap_or(0);
    line.split_at(indent + marker_len)
}

fn collapse_blank_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut newlines = 0;
    for c in text.chars() {
        if c == '\n' {
            newlines += 1;
            if newlines > 2 {
                continue;
            }
        } else {
            newlines = 0;
        }
        out.push(c);
    }
    out.trim().to_string()
}
