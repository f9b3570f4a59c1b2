//! Words and the punctuation that matters for extraction, with byte offsets into the text.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    /// A punctuation mark, or `'\n'` for a blank line (a paragraph or heading break).
    Punct(char),
}

#[derive(Debug, Clone, Copy)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
}

impl Token {
    pub fn text<'t>(&self, source: &'t str) -> &'t str {
        &source[self.start..self.end]
    }

    pub fn is_word(&self) -> bool {
        self.kind == TokenKind::Word
    }

    pub fn is_punct(&self, c: char) -> bool {
        self.kind == TokenKind::Punct(c)
    }
}

/// Characters that may join two word characters inside one word: "Coca-Cola", "O'Brien",
/// "AT&T".
fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '\'' | '’' | '&')
}

pub fn tokenize(text: &str, out: &mut Vec<Token>) {
    out.clear();
    let mut chars = text.char_indices().peekable();
    let mut newlines = 0;
    while let Some((i, c)) = chars.next() {
        if c == '\n' {
            newlines += 1;
            if newlines == 2 {
                out.push(Token {
                    start: i,
                    end: i + 1,
                    kind: TokenKind::Punct('\n'),
                });
            }
            continue;
        }
        if c.is_whitespace() {
            continue;
        }
        newlines = 0;
        if c.is_alphanumeric() {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if d.is_alphanumeric() {
                    end = j + d.len_utf8();
                    chars.next();
                } else if is_joiner(d)
                    && text[j + d.len_utf8()..].starts_with(char::is_alphanumeric)
                {
                    chars.next();
                    end = j + d.len_utf8();
                } else {
                    break;
                }
            }
            out.push(Token {
                start: i,
                end,
                kind: TokenKind::Word,
            });
        } else {
            out.push(Token {
                start: i,
                end: i + c.len_utf8(),
                kind: TokenKind::Punct(c),
            });
        }
    }
}

pub fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// "IBM", "NASA", "GPT4": two or more capitals and no lowercase letter.
pub fn is_acronym(word: &str) -> bool {
    let upper = word.chars().filter(|c| c.is_uppercase()).count();
    upper >= 2 && word.chars().count() <= 8 && !word.chars().any(char::is_lowercase)
}

pub fn is_lowercase_word(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_inner_joiners_and_punctuation_is_separate() {
        let text = "AT&T's Coca-Cola (IBM).\n\nNext";
        let mut tokens = Vec::new();
        tokenize(text, &mut tokens);
        let shown: Vec<&str> = tokens.iter().map(|t| t.text(text)).collect();
        assert_eq!(
            shown,
            ["AT&T's", "Coca-Cola", "(", "IBM", ")", ".", "\n", "Next"]
        );
    }
}
