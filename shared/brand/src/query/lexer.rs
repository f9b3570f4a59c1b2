//! Splits a query string into operators, parentheses, words and quoted phrases.

use super::error::ParseError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// A bare word as written (case, `*`, inner punctuation intact); the parser turns it into
    /// word patterns.
    Word(String),
    /// The text between the quotes.
    Phrase(String),
    LParen,
    RParen,
    And,
    Or,
    Not,
    /// `-` glued to the start of the next token: shorthand for `NOT`.
    Minus,
    Near(u32),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: TokenKind,
    /// Character offset of the token's first character (the quote, for phrases).
    pub position: usize,
}

impl TokenKind {
    /// How the token is named in error messages.
    pub fn describe(&self) -> String {
        match self {
            TokenKind::Word(word) => format!("'{word}'"),
            TokenKind::Phrase(text) => format!("\"{text}\""),
            TokenKind::LParen => "'('".into(),
            TokenKind::RParen => "')'".into(),
            TokenKind::And => "AND".into(),
            TokenKind::Or => "OR".into(),
            TokenKind::Not => "NOT".into(),
            TokenKind::Minus => "'-'".into(),
            TokenKind::Near(distance) => format!("NEAR/{distance}"),
        }
    }
}

fn ends_word(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '"')
}

pub(crate) fn lex(query: &str) -> Result<Vec<Token>, ParseError> {
    let chars: Vec<char> = query.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let start = i;
        let kind = match c {
            _ if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '(' => {
                i += 1;
                TokenKind::LParen
            }
            ')' => {
                i += 1;
                TokenKind::RParen
            }
            '"' => {
                let Some(length) = chars[i + 1..].iter().position(|&c| c == '"') else {
                    return Err(ParseError::new(start, "unclosed quote"));
                };
                i += length + 2;
                TokenKind::Phrase(chars[start + 1..start + 1 + length].iter().collect())
            }
            // Only a leading `-` is an exclusion; inside a word (`coca-cola`) it is text.
            '-' => {
                if chars.get(i + 1).is_none_or(|c| c.is_whitespace()) {
                    return Err(ParseError::new(
                        start,
                        "'-' must be directly followed by the term it excludes",
                    ));
                }
                i += 1;
                TokenKind::Minus
            }
            _ => {
                let length = chars[i..].iter().position(|&c| ends_word(c));
                i = length.map_or(chars.len(), |length| i + length);
                word_kind(chars[start..i].iter().collect(), start)?
            }
        };
        tokens.push(Token {
            kind,
            position: start,
        });
    }
    Ok(tokens)
}

/// Operators are recognised only in upper case, so `and`, `or`, `not` and `near` stay words.
fn word_kind(word: String, position: usize) -> Result<TokenKind, ParseError> {
    Ok(match word.as_str() {
        "AND" => TokenKind::And,
        "OR" => TokenKind::Or,
        "NOT" => TokenKind::Not,
        "NEAR" => {
            return Err(ParseError::new(
                position,
                "NEAR needs a distance in words, e.g. NEAR/3",
            ));
        }
        _ => match word.strip_prefix("NEAR/") {
            Some(digits) => TokenKind::Near(near_distance(digits, position)?),
            None => TokenKind::Word(word),
        },
    })
}

fn near_distance(digits: &str, position: usize) -> Result<u32, ParseError> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ParseError::new(
            position,
            format!(
                "NEAR distance must be a whole number of words, e.g. NEAR/3, not 'NEAR/{digits}'"
            ),
        ));
    }
    match digits.parse::<u32>() {
        Ok(0) => Err(ParseError::new(
            position,
            "NEAR distance must be at least 1",
        )),
        Ok(distance) => Ok(distance),
        Err(_) => Err(ParseError::new(position, "NEAR distance is too large")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(query: &str) -> Vec<(TokenKind, usize)> {
        lex(query)
            .unwrap()
            .into_iter()
            .map(|t| (t.kind, t.position))
            .collect()
    }

    fn word(w: &str) -> TokenKind {
        TokenKind::Word(w.into())
    }

    #[test]
    fn lexes_operators_words_phrases_and_positions_in_characters() {
        assert_eq!(
            kinds(r#"(Café AND "a b")OR -x NEAR/12 y*"#),
            [
                (TokenKind::LParen, 0),
                (word("Café"), 1),
                (TokenKind::And, 6),
                (TokenKind::Phrase("a b".into()), 10),
                (TokenKind::RParen, 15),
                (TokenKind::Or, 16),
                (TokenKind::Minus, 19),
                (word("x"), 20),
                (TokenKind::Near(12), 22),
                (word("y*"), 30),
            ]
        );
    }

    #[test]
    fn lowercase_keywords_and_inner_hyphens_are_words() {
        assert_eq!(
            kinds("and or not near/3 coca-cola"),
            [
                (word("and"), 0),
                (word("or"), 4),
                (word("not"), 7),
                (word("near/3"), 11),
                (word("coca-cola"), 18),
            ]
        );
    }

    #[test]
    fn minus_applies_to_groups_and_phrases() {
        assert_eq!(
            kinds(r#"-(a) -"b""#),
            [
                (TokenKind::Minus, 0),
                (TokenKind::LParen, 1),
                (word("a"), 2),
                (TokenKind::RParen, 3),
                (TokenKind::Minus, 5),
                (TokenKind::Phrase("b".into()), 6),
            ]
        );
    }
}
