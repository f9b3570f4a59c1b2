//! Recursive-descent parser from query tokens to an [`Expr`].
//!
//! Grammar, loosest binding first:
//!
//! ```text
//! or      := and ("OR" and)*
//! and     := unary (["AND"] unary)*          adjacent operands are ANDed
//! unary   := ("NOT" | "-") unary | near
//! near    := primary ["NEAR/n" primary]
//! primary := word | "phrase" | "(" or ")"
//! ```
//!
//! NEAR binds tighter than NOT, AND and OR because it relates two positions in the text: its
//! operands must be terms or parenthesised OR-lists of terms, so `NOT a NEAR/3 b` reads as
//! `NOT (a NEAR/3 b)` and `x a NEAR/3 b` as `x AND (a NEAR/3 b)`.

use super::ast::{Expr, Term, WordPattern};
use super::error::ParseError;
use super::lexer::{Token, TokenKind, lex};
use super::tokenize::{bare, is_word_char, tokenize};

/// Deeper nesting than any real monitor needs; the cap keeps recursion (here, in matching and
/// in printing) far from the stack limit whatever the input.
const MAX_DEPTH: usize = 100;

/// Parses one query expression (an include query, or one exclusion).
///
/// Besides syntax, it rejects expressions with no term outside a NOT: such a query would match
/// nearly every mention, and leaves nothing to search sources for.
pub fn parse(query: &str) -> Result<Expr, ParseError> {
    let tokens = lex(query)?;
    let Some(first) = tokens.first() else {
        return Err(ParseError::new(0, "empty query"));
    };
    let first_position = first.position;
    let mut parser = Parser {
        tokens,
        next: 0,
        depth: 0,
    };
    let expr = parser.parse_or()?;
    if let Some(token) = parser.peek() {
        let message = match token.kind {
            TokenKind::RParen => "unmatched ')'".to_string(),
            _ => format!("unexpected {}", token.kind.describe()),
        };
        return Err(ParseError::new(token.position, message));
    }
    if expr.positive_terms().is_empty() {
        return Err(ParseError::new(
            first_position,
            "query needs at least one term that is not negated",
        ));
    }
    Ok(expr)
}

struct Parser {
    tokens: Vec<Token>,
    next: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.next)
    }

    fn advance(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.next).cloned();
        self.next += 1;
        token
    }

    fn consume(&mut self, kind: &TokenKind) -> Option<Token> {
        if self.peek().is_some_and(|t| t.kind == *kind) {
            self.advance()
        } else {
            None
        }
    }

    fn starts_operand(&self) -> bool {
        self.peek().is_some_and(|t| {
            matches!(
                t.kind,
                TokenKind::Word(_)
                    | TokenKind::Phrase(_)
                    | TokenKind::LParen
                    | TokenKind::Not
                    | TokenKind::Minus
            )
        })
    }

    /// After an operator, checks an operand follows; the error points at whatever stands there
    /// instead, or at the operator itself when the query just ends.
    fn expect_operand(&self, operator: &Token) -> Result<(), ParseError> {
        if self.starts_operand() {
            return Ok(());
        }
        let name = operator.kind.describe();
        Err(match self.peek() {
            Some(found) => ParseError::new(
                found.position,
                format!(
                    "expected a term after {name}, found {}",
                    found.kind.describe()
                ),
            ),
            None => ParseError::new(operator.position, format!("{name} needs a term after it")),
        })
    }

    fn enter(&mut self, position: usize) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ParseError::new(position, "query is nested too deeply"));
        }
        Ok(())
    }

    fn parse_or(&mut self) -> Result<Expr, ParseError> {
        let mut operands = vec![self.parse_and()?];
        while let Some(or) = self.consume(&TokenKind::Or) {
            self.expect_operand(&or)?;
            operands.push(self.parse_and()?);
        }
        Ok(join(Join::Or, operands))
    }

    fn parse_and(&mut self) -> Result<Expr, ParseError> {
        let mut operands = vec![self.parse_unary()?];
        loop {
            if let Some(and) = self.consume(&TokenKind::And) {
                self.expect_operand(&and)?;
            } else if !self.starts_operand() {
                break;
            }
            operands.push(self.parse_unary()?);
        }
        Ok(join(Join::And, operands))
    }

    fn parse_unary(&mut self) -> Result<Expr, ParseError> {
        let Some(token) = self.peek().cloned() else {
            // Unreachable: callers check an operand follows, and `parse` rejects an empty query
            // up front. Still an error rather than a panic.
            return Err(ParseError::new(0, "expected a term"));
        };
        if !matches!(token.kind, TokenKind::Not | TokenKind::Minus) {
            return self.parse_near();
        }
        self.advance();
        self.expect_operand(&token)?;
        self.enter(token.position)?;
        let inner = self.parse_unary()?;
        self.depth -= 1;
        Ok(Expr::Not(Box::new(inner)))
    }

    fn parse_near(&mut self) -> Result<Expr, ParseError> {
        let left_position = self.peek().map_or(0, |t| t.position);
        let left = self.parse_primary()?;
        let Some(near) = self.peek().cloned() else {
            return Ok(left);
        };
        let TokenKind::Near(distance) = near.kind else {
            return Ok(left);
        };
        self.advance();
        let right_position = match self.peek() {
            Some(token)
                if matches!(
                    token.kind,
                    TokenKind::Word(_) | TokenKind::Phrase(_) | TokenKind::LParen
                ) =>
            {
                token.position
            }
            Some(token) => {
                return Err(ParseError::new(
                    token.position,
                    format!(
                        "expected a term after {}, found {}",
                        near.kind.describe(),
                        token.kind.describe()
                    ),
                ));
            }
            None => {
                return Err(ParseError::new(
                    near.position,
                    format!("{} needs a term after it", near.kind.describe()),
                ));
            }
        };
        let right = self.parse_primary()?;
        if let Some(chained) = self.peek().filter(|t| matches!(t.kind, TokenKind::Near(_))) {
            return Err(ParseError::new(
                chained.position,
                "NEAR cannot be chained; combine NEAR pairs with AND",
            ));
        }
        Ok(Expr::Near {
            left: near_operand(left, left_position)?,
            right: near_operand(right, right_position)?,
            distance,
        })
    }

    fn parse_primary(&mut self) -> Result<Expr, ParseError> {
        let Some(token) = self.advance() else {
            // Unreachable for the same reason as in parse_unary.
            return Err(ParseError::new(0, "expected a term"));
        };
        match token.kind {
            TokenKind::Word(word) => Ok(Expr::Term(Term {
                words: word_patterns(&word, token.position)?,
            })),
            TokenKind::Phrase(text) => phrase(&text, token.position).map(Expr::Term),
            TokenKind::LParen => {
                match self.peek().map(|t| &t.kind) {
                    Some(TokenKind::RParen) => {
                        return Err(ParseError::new(token.position, "empty parentheses"));
                    }
                    None => return Err(ParseError::new(token.position, "unclosed '('")),
                    Some(_) => {}
                }
                self.enter(token.position)?;
                let inner = self.parse_or()?;
                self.depth -= 1;
                if self.consume(&TokenKind::RParen).is_none() {
                    return Err(ParseError::new(token.position, "unclosed '('"));
                }
                Ok(inner)
            }
            TokenKind::RParen => Err(ParseError::new(token.position, "unmatched ')'")),
            TokenKind::And | TokenKind::Or | TokenKind::Near(_) => Err(ParseError::new(
                token.position,
                format!("{} needs a term before it", token.kind.describe()),
            )),
            // parse_unary and parse_near deal with these before calling here; answering anyway
            // keeps the match exhaustive without a panic.
            TokenKind::Not | TokenKind::Minus => Err(ParseError::new(
                token.position,
                format!("unexpected {}", token.kind.describe()),
            )),
        }
    }
}

#[derive(Clone, Copy)]
enum Join {
    And,
    Or,
}

/// Builds an n-ary node, splicing in operands of the same kind so that `a AND (b AND c)` and
/// `a AND b AND c` parse alike (which also makes printing and re-parsing round-trip).
fn join(kind: Join, operands: Vec<Expr>) -> Expr {
    let mut flat = Vec::with_capacity(operands.len());
    for operand in operands {
        match (kind, operand) {
            (Join::And, Expr::And(inner)) | (Join::Or, Expr::Or(inner)) => flat.extend(inner),
            (_, operand) => flat.push(operand),
        }
    }
    match <[Expr; 1]>::try_from(flat) {
        Ok([only]) => only,
        Err(flat) => match kind {
            Join::And => Expr::And(flat),
            Join::Or => Expr::Or(flat),
        },
    }
}

fn near_operand(expr: Expr, position: usize) -> Result<Vec<Term>, ParseError> {
    let invalid = || {
        ParseError::new(
            position,
            "NEAR operands must be words, phrases, or parenthesised OR-lists of them",
        )
    };
    match expr {
        Expr::Term(term) => Ok(vec![term]),
        Expr::Or(operands) => operands
            .into_iter()
            .map(|operand| match operand {
                Expr::Term(term) => Ok(term),
                _ => Err(invalid()),
            })
            .collect(),
        _ => Err(invalid()),
    }
}

/// The words of a quoted phrase; each may carry its own trailing wildcard.
fn phrase(text: &str, quote_position: usize) -> Result<Term, ParseError> {
    let mut words = Vec::new();
    let mut chunk = String::new();
    let mut chunk_start = quote_position + 1;
    // A trailing space flushes the last word; positions are the characters after the quote.
    let chars = text.chars().chain(std::iter::once(' '));
    for (position, c) in (quote_position + 1..).zip(chars) {
        if c.is_whitespace() {
            if !chunk.is_empty() {
                words.extend(word_patterns(&chunk, chunk_start)?);
                chunk.clear();
            }
            chunk_start = position + 1;
        } else {
            chunk.push(c);
        }
    }
    if words.is_empty() {
        return Err(ParseError::new(quote_position, "empty phrase"));
    }
    Ok(Term { words })
}

/// Runs a written word through the text tokenizer, so the query sees words exactly as mentions
/// will (`Coca-Cola` → `coca cola`), and applies a trailing `*` to the last of them.
fn word_patterns(raw: &str, position: usize) -> Result<Vec<WordPattern>, ParseError> {
    let (stem, prefix) = match raw.strip_suffix('*') {
        Some(stem) => (stem, true),
        None => (raw, false),
    };
    if let Some(offset) = stem.chars().position(|c| c == '*') {
        return Err(ParseError::new(
            position + offset,
            "'*' is only allowed once, at the end of a word",
        ));
    }
    if prefix && stem.is_empty() {
        return Err(ParseError::new(
            position,
            "'*' on its own is not a term; write at least 2 letters before it",
        ));
    }
    if prefix && !stem.chars().last().is_some_and(is_word_char) {
        return Err(ParseError::new(
            position + stem.chars().count(),
            "'*' must directly follow a letter or digit",
        ));
    }
    let mut words: Vec<WordPattern> = tokenize(stem)
        .into_iter()
        .map(|text| WordPattern {
            text,
            prefix: false,
        })
        .collect();
    let Some(last) = words.last_mut() else {
        return Err(ParseError::new(
            position,
            format!("'{raw}' has no letters or digits to search for"),
        ));
    };
    if prefix {
        if bare(&last.text).chars().count() < 2 {
            return Err(ParseError::new(
                position,
                "'*' needs at least 2 letters before it",
            ));
        }
        last.prefix = true;
    }
    Ok(words)
}
