//! Highlights: where a query's words occur in a hit's text, as character ranges, so every
//! client can mark them its own way. Matching is by shared stem-like prefix, so "wings"
//! highlights "wing" and "winged" alike.

use serde::Serialize;
use utoipa::ToSchema;

/// `[start, end)` in characters of the hit's `text`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Highlight {
    pub start: usize,
    pub end: usize,
}

const STOP: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "has",
    "have", "how", "in", "is", "it", "its", "of", "on", "or", "that", "the", "their", "there",
    "these", "this", "to", "was", "were", "what", "when", "where", "which", "who", "why", "will",
    "with",
];

/// The lower-cased content words of a query or question, without stop words.
pub fn terms(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in words(text).map(|(_, _, w)| w.to_lowercase()) {
        if word.chars().count() >= 2 && !STOP.contains(&word.as_str()) && !out.contains(&word) {
            out.push(word);
        }
    }
    out
}

/// A word's comparable core: long words lose up to three trailing letters, so inflections
/// meet.
pub fn stem(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let keep = match chars.len() {
        0..=4 => chars.len(),
        5..=6 => chars.len() - 1,
        7..=8 => chars.len() - 2,
        n => n - 3,
    };
    chars[..keep].iter().collect()
}

/// Word boundaries: (start char, end char, word).
fn words(text: &str) -> impl Iterator<Item = (usize, usize, &str)> {
    let mut out = Vec::new();
    let mut start: Option<(usize, usize)> = None; // (char index, byte index)
    let mut chars = 0;
    for (byte, c) in text.char_indices() {
        if c.is_alphanumeric() {
            if start.is_none() {
                start = Some((chars, byte));
            }
        } else if let Some((sc, sb)) = start.take() {
            out.push((sc, chars, &text[sb..byte]));
        }
        chars += 1;
    }
    if let Some((sc, sb)) = start {
        out.push((sc, chars, &text[sb..]));
    }
    out.into_iter()
}

pub fn highlights(query: &str, text: &str) -> Vec<Highlight> {
    let stems: Vec<String> = terms(query).iter().map(|t| stem(t)).collect();
    if stems.is_empty() {
        return Vec::new();
    }
    words(text)
        .filter(|(_, _, w)| {
            let w = w.to_lowercase();
            stems
                .iter()
                .any(|s| w.starts_with(s.as_str()) && w.len() <= s.len() + 4)
        })
        .map(|(start, end, _)| Highlight { start, end })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_inflected_query_words_by_character() {
        let text = "Élan: the wing and winged flows over wings.";
        let h = highlights("wings flow", text);
        let marked: Vec<String> = h
            .iter()
            .map(|h| text.chars().skip(h.start).take(h.end - h.start).collect())
            .collect();
        assert_eq!(marked, ["wing", "winged", "flows", "wings"]);
        assert!(highlights("the of", text).is_empty());
    }
}
