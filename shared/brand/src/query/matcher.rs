//! Evaluates a parsed [`Expr`] against a tokenized [`Document`].
//!
//! Terms are looked up by a linear scan of the tokens: mentions are short, and a scan beats
//! building an index per mention. NEAR collects both sides' occurrences and checks distances
//! with binary searches, so long articles full of common words stay cheap.

use super::ast::{Expr, Term, WordPattern};
use super::tokenize::{Document, bare};

impl WordPattern {
    /// Unmarked words also match inside hashtags and handles (`acme` matches `#acme`), because
    /// that is what someone monitoring a brand wants; `#acme` matches only the hashtag.
    pub fn matches_token(&self, token: &str) -> bool {
        let candidate = if self.text.starts_with(['#', '@']) {
            token
        } else {
            bare(token)
        };
        if self.prefix {
            candidate.starts_with(&self.text)
        } else {
            candidate == self.text
        }
    }
}

impl Term {
    fn matches_at(&self, tokens: &[String], start: usize) -> bool {
        self.words.iter().enumerate().all(|(offset, word)| {
            tokens
                .get(start + offset)
                .is_some_and(|token| word.matches_token(token))
        })
    }

    /// Start positions (token indexes) of every occurrence, ascending.
    fn starts<'a>(&'a self, tokens: &'a [String]) -> impl Iterator<Item = usize> + 'a {
        (0..tokens.len()).filter(move |&start| self.matches_at(tokens, start))
    }
}

/// A matched term as a half-open token range.
#[derive(Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
}

fn spans(terms: &[Term], tokens: &[String]) -> Vec<Span> {
    terms
        .iter()
        .flat_map(|term| {
            term.starts(tokens).map(|start| Span {
                start,
                end: start + term.words.len(),
            })
        })
        .collect()
}

/// Whether some left span and some non-overlapping right span have at most `distance` tokens
/// between them, in either order.
fn near(left: &[Term], right: &[Term], distance: u32, tokens: &[String]) -> bool {
    let left = spans(left, tokens);
    if left.is_empty() {
        return false;
    }
    let mut by_start = spans(right, tokens);
    by_start.sort_unstable_by_key(|span| span.start);
    let mut by_end = by_start.clone();
    by_end.sort_unstable_by_key(|span| span.end);
    let distance = usize::try_from(distance).unwrap_or(usize::MAX);
    left.iter().any(|l| {
        // The right span starting soonest after `l` ends...
        let after = by_start.partition_point(|r| r.start < l.end);
        let follows = by_start
            .get(after)
            .is_some_and(|r| r.start - l.end <= distance);
        // ...or the one ending latest before `l` starts.
        let before = by_end.partition_point(|r| r.end <= l.start);
        let precedes = before
            .checked_sub(1)
            .and_then(|i| by_end.get(i))
            .is_some_and(|r| l.start - r.end <= distance);
        follows || precedes
    })
}

impl Expr {
    pub fn matches(&self, document: &Document) -> bool {
        let tokens = document.tokens();
        match self {
            Expr::Term(term) => term.starts(tokens).next().is_some(),
            Expr::Near {
                left,
                right,
                distance,
            } => near(left, right, *distance, tokens),
            Expr::Not(inner) => !inner.matches(document),
            Expr::And(operands) => operands.iter().all(|operand| operand.matches(document)),
            Expr::Or(operands) => operands.iter().any(|operand| operand.matches(document)),
        }
    }
}
