//! Sentence splitting for extractive answers, with Unicode's sentence rules.

use unicode_segmentation::UnicodeSegmentation;

pub fn split_sentences(text: &str) -> Vec<&str> {
    text.split_sentence_bounds()
        .map(str::trim)
        .filter(|s| s.chars().any(char::is_alphanumeric))
        .collect()
}
