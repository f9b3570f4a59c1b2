//! Splits text into the lowercase word tokens queries are matched against.
//!
//! The same tokenizer runs over mention text and over the words of a query, so whatever it
//! does to one it does to the other and the two always agree:
//!
//! - Lowercasing is Unicode-aware (`Café` → `café`); there is no stemming and no accent folding.
//! - A word is a run of letters, digits, `_` and combining marks. Everything else — whitespace,
//!   punctuation, symbols, emoji — separates words.
//! - Apostrophes and hyphens separate words too: `Acme's` → `acme s`, `Coca-Cola` →
//!   `coca cola`. A query word such as `coca-cola` therefore becomes the phrase `coca cola`, and
//!   the plain term `acme` matches "Acme's" and "Acme-branded". Keeping them inside words would
//!   make `acme` miss the possessive, which brand monitors care about far more than telling
//!   `co-op` from `co op`.
//! - URLs and e-mail addresses fall apart at their punctuation, so `https://acme.com/x` yields
//!   `https acme com x` and can be matched by `acme` or by the phrase `"acme com"`.
//! - `#` or `@` directly before a word, at the start of a word (not inside `info@acme.com`),
//!   stays on the token: `#acme`, `@acmehq`.
//!
//! Scripts written without spaces (Chinese, Japanese, Thai) are not segmented: a run of such
//! characters is one token.

/// A mention's text, tokenized once so several queries can be matched against it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Document {
    tokens: Vec<String>,
}

impl Document {
    pub fn new(text: &str) -> Self {
        Self {
            tokens: tokenize(text),
        }
    }

    pub fn tokens(&self) -> &[String] {
        &self.tokens
    }
}

/// Lowercase word tokens of `text`, in order; see the module docs for the rules.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut previous: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if is_word_char(c) {
            current.extend(c.to_lowercase());
        } else {
            if !current.is_empty() {
                tokens.push(std::mem::take(&mut current));
            }
            let starts_word = !previous.is_some_and(is_word_char);
            if (c == '#' || c == '@')
                && starts_word
                && chars.peek().is_some_and(|&n| is_word_char(n))
            {
                current.push(c);
            }
        }
        previous = Some(c);
    }
    if !current.is_empty() {
        tokens.push(current);
    }
    tokens
}

pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || is_combining_mark(c)
}

/// `std` has no general-category lookup; these blocks cover the combining marks that show up in
/// decomposed Latin, Greek and Cyrillic text ("Cafe\u{301}"), so they don't split a word.
fn is_combining_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

/// The token without its `#`/`@` marker, which is what plain (unmarked) words match.
pub(crate) fn bare(token: &str) -> &str {
    token.strip_prefix(['#', '@']).unwrap_or(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<String> {
        tokenize(text)
    }

    #[test]
    fn lowercases_and_splits_on_whitespace_and_punctuation() {
        assert_eq!(
            toks("Hello, World! It's ACME."),
            ["hello", "world", "it", "s", "acme"]
        );
        assert_eq!(toks("  \t\n "), Vec::<String>::new());
    }

    #[test]
    fn unicode_words_stay_whole() {
        assert_eq!(toks("CAFÉ Ünïcödé straße"), ["café", "ünïcödé", "straße"]);
        assert_eq!(toks("Cafe\u{301} x"), ["cafe\u{301}", "x"]);
        assert_eq!(toks("Привет, МИР"), ["привет", "мир"]);
    }

    #[test]
    fn keeps_hashtag_and_handle_markers_at_word_start_only() {
        assert_eq!(toks("#Acme @AcmeHQ"), ["#acme", "@acmehq"]);
        assert_eq!(toks("mail info@acme.com"), ["mail", "info", "acme", "com"]);
        assert_eq!(toks("## #"), Vec::<String>::new());
        assert_eq!(toks("(#acme_launch)"), ["#acme_launch"]);
        assert_eq!(bare("#acme"), "acme");
        assert_eq!(bare("@acme"), "acme");
        assert_eq!(bare("acme"), "acme");
    }

    #[test]
    fn urls_apostrophes_and_hyphens_split() {
        assert_eq!(
            toks("https://www.Acme.com/launch?id=1"),
            ["https", "www", "acme", "com", "launch", "id", "1"]
        );
        assert_eq!(toks("Coca-Cola’s"), ["coca", "cola", "s"]);
    }

    #[test]
    fn document_exposes_tokens() {
        assert_eq!(Document::new("A b").tokens(), ["a", "b"]);
    }
}
