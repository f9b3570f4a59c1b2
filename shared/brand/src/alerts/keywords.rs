//! Keyword matching for keyword rules: whole words, case-insensitive, phrases as consecutive
//! words. Unlike the analytics tokens, stop words are kept: "out of stock" is a phrase people
//! alert on.

/// Lowercased words (runs of letters and digits).
pub(super) fn phrase_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The first of `terms` that occurs in `text`, if any.
pub(super) fn first_match<'t>(text: &str, terms: &'t [String]) -> Option<&'t str> {
    let words = phrase_words(text);
    terms.iter().map(String::as_str).find(|term| {
        let phrase = phrase_words(term);
        !phrase.is_empty() && words.windows(phrase.len()).any(|w| w == phrase.as_slice())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_match_whole_words_in_order() {
        let terms = vec!["Out of stock".to_string(), "recall".to_string()];
        assert_eq!(
            first_match("Sadly OUT of stock again", &terms),
            Some("Out of stock")
        );
        assert_eq!(
            first_match("a product-recall notice", &terms),
            Some("recall")
        );
        assert_eq!(first_match("stock ran out of", &terms), None);
        assert_eq!(first_match("recalled it", &terms), None);
    }
}
