//! Boolean monitor queries: what a monitor looks for in a mention.
//!
//! # Syntax
//!
//! | Written                  | Meaning                                                         |
//! |--------------------------|-----------------------------------------------------------------|
//! | `acme`                   | the word, any case; also inside `#acme` / `@acme`               |
//! | `"acme corp"`            | the words consecutively                                         |
//! | `launch*`                | any word starting with `launch` (≥ 2 letters before `*`)        |
//! | `#acme`, `@acmehq`       | exactly that hashtag / handle                                   |
//! | `a b`, `a AND b`         | both                                                            |
//! | `a OR b`                 | either                                                          |
//! | `NOT a`, `-a`            | not `a` (`x -a` is `x AND NOT a`)                               |
//! | `a NEAR/3 b`             | `a` and `b` with at most 3 words between them, either order     |
//! | `(a OR b) NEAR/3 "c d"`  | NEAR sides may be terms or parenthesised OR-lists of terms      |
//! | `( … )`                  | grouping                                                        |
//!
//! Operators are recognised only in upper case (`and`, `or`, `not` are plain words). Binding,
//! tightest first: NEAR, NOT / `-`, AND (explicit or implicit), OR. NEAR cannot be chained.
//! Words are matched after the tokenization described in [`tokenize`]: a written word with
//! inner punctuation (`coca-cola`, `acme.com`) becomes a phrase of its parts.
//! Every expression must contain at least one term outside a NOT.
//!
//! A [`Query`] is an include expression plus exclusion expressions; a mention matching any
//! exclusion is rejected. Syntax errors are [`ParseError`]s carrying the character offset of
//! the offending token, for an HTTP 400.

mod ast;
mod error;
mod lexer;
mod matcher;
mod parser;
pub mod tokenize;

#[cfg(test)]
mod tests;

use std::fmt;
use std::str::FromStr;

use serde::Serialize;
use thiserror::Error;

pub use ast::{Expr, Term, WordPattern};
pub use error::ParseError;
pub use parser::parse;
pub use tokenize::Document;

/// A monitor's compiled query: parse once, then [`matches`](Query::matches) many mentions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    include: Expr,
    exclusions: Vec<Expr>,
}

/// Which of a monitor's query strings failed to parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QueryPart {
    Include,
    /// Index into the exclusions as given.
    Exclusion(usize),
}

/// A [`ParseError`] together with the query string it occurred in.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize)]
#[error("{part}: {error}")]
pub struct QueryError {
    pub part: QueryPart,
    #[source]
    pub error: ParseError,
}

impl fmt::Display for QueryPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryPart::Include => f.write_str("query"),
            QueryPart::Exclusion(index) => write!(f, "exclusion {}", index + 1),
        }
    }
}

impl Query {
    pub fn new(include: Expr, exclusions: Vec<Expr>) -> Self {
        Self {
            include,
            exclusions,
        }
    }

    /// An include query without exclusions.
    pub fn parse(include: &str) -> Result<Self, ParseError> {
        Ok(Self::new(parse(include)?, Vec::new()))
    }

    pub fn parse_with_exclusions<S: AsRef<str>>(
        include: &str,
        exclusions: &[S],
    ) -> Result<Self, QueryError> {
        let include = parse(include).map_err(|error| QueryError {
            part: QueryPart::Include,
            error,
        })?;
        let exclusions = exclusions
            .iter()
            .enumerate()
            .map(|(index, exclusion)| {
                parse(exclusion.as_ref()).map_err(|error| QueryError {
                    part: QueryPart::Exclusion(index),
                    error,
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Self::new(include, exclusions))
    }

    pub fn include(&self) -> &Expr {
        &self.include
    }

    pub fn exclusions(&self) -> &[Expr] {
        &self.exclusions
    }

    pub fn matches(&self, text: &str) -> bool {
        self.matches_document(&Document::new(text))
    }

    /// For matching one mention against several monitors without re-tokenizing it.
    pub fn matches_document(&self, document: &Document) -> bool {
        self.include.matches(document) && !self.exclusions.iter().any(|e| e.matches(document))
    }

    /// The include query's positive terms (not under a NOT), deduplicated, in query order: what
    /// to highlight in a mention, and what to ask sources for. Exclusion terms never appear.
    pub fn terms(&self) -> Vec<&Term> {
        let mut terms: Vec<&Term> = Vec::new();
        for term in self.include.positive_terms() {
            if !terms.contains(&term) {
                terms.push(term);
            }
        }
        terms
    }

    /// The positive terms OR-ed together, for sources whose search APIs only understand simple
    /// queries: `acme OR "acme corp" OR #acme OR launch`.
    ///
    /// It errs towards recall: it ignores AND, NOT and NEAR, and drops `*` (many APIs would
    /// search for it literally), keeping the stem. Whatever a source returns must still be
    /// checked with [`matches`](Query::matches).
    pub fn to_search_string(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        for term in self.terms() {
            let words: Vec<&str> = term.words.iter().map(|w| w.text.as_str()).collect();
            let part = match words.as_slice() {
                [word] => (*word).to_string(),
                _ => format!("\"{}\"", words.join(" ")),
            };
            if !parts.contains(&part) {
                parts.push(part);
            }
        }
        parts.join(" OR ")
    }
}

impl FromStr for Query {
    type Err = ParseError;

    fn from_str(include: &str) -> Result<Self, Self::Err> {
        Self::parse(include)
    }
}
