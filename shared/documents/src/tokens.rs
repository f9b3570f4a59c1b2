/// Characters a subword tokenizer typically keeps in one token of a word.
pub(crate) const CHARS_PER_WORD_TOKEN: usize = 6;

/// Approximates the number of subword (BPE-style) tokens in `text` without a vocabulary:
/// a run of letters and digits counts one token per started six characters (common words
/// are one token, long or rare ones several); each CJK character, punctuation mark, symbol
/// or emoji counts one; whitespace counts nothing. Chunk budgets are in these units. It is a
/// character scan rather than Unicode word segmentation because ingestion counts every
/// sentence of every document.
pub fn estimate_tokens(text: &str) -> usize {
    segments(text)
        .map(|(_, segment)| segment_tokens(segment))
        .sum()
}

/// The units [`estimate_tokens`] counts, with their byte offsets: word runs, single other
/// characters and whitespace runs. Splitting text between segments never changes the sum.
pub(crate) fn segments(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    std::iter::from_fn(move || {
        let rest = &text[offset..];
        let first = rest.chars().next()?;
        let len = if is_word_char(first) {
            rest.find(|c| !is_word_char(c)).unwrap_or(rest.len())
        } else if first.is_whitespace() {
            rest.find(|c: char| !c.is_whitespace())
                .unwrap_or(rest.len())
        } else {
            first.len_utf8()
        };
        let segment = (offset, &rest[..len]);
        offset += len;
        Some(segment)
    })
}

/// Tokens of one segment from [`segments`].
pub(crate) fn segment_tokens(segment: &str) -> usize {
    match segment.chars().next() {
        Some(c) if is_word_char(c) => segment.chars().count().div_ceil(CHARS_PER_WORD_TOKEN),
        Some(c) if c.is_whitespace() => 0,
        Some(_) => 1,
        None => 0,
    }
}

/// Letters and digits that build multi-character words. CJK ideographs, kana and Hangul
/// (everything alphanumeric from U+2E80 up) are left out: tokenizers spend about a token
/// on each.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && c < '\u{2E80}'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_words_by_length_and_other_characters_singly() {
        assert_eq!(estimate_tokens(""), 0);
        assert_eq!(estimate_tokens("   \n\t"), 0);
        assert_eq!(estimate_tokens("The cat sat."), 4);
        assert_eq!(estimate_tokens("internationalisation"), 4, "20 chars");
        assert_eq!(estimate_tokens("Hello, world!"), 4);
        assert_eq!(estimate_tokens("Café 東京都"), 4);
        assert_eq!(estimate_tokens("3.14159 🦀"), 4);
    }

    #[test]
    fn segments_tile_the_text() {
        let text = "Naïve  café—東京, 42x!";
        let got: Vec<_> = segments(text).map(|(_, s)| s).collect();
        assert_eq!(
            got,
            ["Naïve", "  ", "café", "—", "東", "京", ",", " ", "42x", "!"]
        );
        let offsets: Vec<_> = segments(text).map(|(at, _)| at).collect();
        assert_eq!(offsets[2], "Naïve  ".len());
    }
}
