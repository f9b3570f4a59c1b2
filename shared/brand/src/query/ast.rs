//! The parsed form of a query, and how it prints back as query syntax.
//!
//! Printing is canonical rather than verbatim: words come out lowercased, multi-word terms
//! quoted, `-x` as `NOT x`, implicit ANDs spelled out and only the parentheses precedence needs.
//! Parsing the printed form gives back an equal [`Expr`].

use std::fmt;

/// One word of a term: matched exactly, or as a prefix when written with a trailing `*`.
///
/// `text` is lowercase and keeps a leading `#`/`@` when the query wrote one; such words only
/// match hashtags/handles, while unmarked words also match the word inside a hashtag or handle.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WordPattern {
    pub text: String,
    pub prefix: bool,
}

/// A word, or a phrase of consecutive words — the unit that is looked up in a mention.
///
/// Quoting a single word (`"acme"`) is the same as writing it bare, and a bare word that the
/// tokenizer splits (`coca-cola`, `acme.com`) is the same as quoting its parts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Term {
    pub words: Vec<WordPattern>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    Term(Term),
    /// Some alternative on each side occurring at most `distance` words apart, either order.
    /// The sides are OR-lists of terms because NEAR is about positions, which only terms have.
    Near {
        left: Vec<Term>,
        right: Vec<Term>,
        distance: u32,
    },
    Not(Box<Expr>),
    /// Always two or more operands, none of them itself an `And` (the parser flattens).
    And(Vec<Expr>),
    /// Always two or more operands, none of them itself an `Or` (the parser flattens).
    Or(Vec<Expr>),
}

impl Expr {
    /// The terms a matching mention may contain: those under an even number of NOTs.
    pub fn positive_terms(&self) -> Vec<&Term> {
        let mut terms = Vec::new();
        self.collect_terms(false, &mut terms);
        terms
    }

    fn collect_terms<'a>(&'a self, negated: bool, out: &mut Vec<&'a Term>) {
        match self {
            Expr::Term(term) if !negated => out.push(term),
            Expr::Term(_) => {}
            Expr::Near { left, right, .. } if !negated => out.extend(left.iter().chain(right)),
            Expr::Near { .. } => {}
            Expr::Not(inner) => inner.collect_terms(!negated, out),
            Expr::And(operands) | Expr::Or(operands) => {
                for operand in operands {
                    operand.collect_terms(negated, out);
                }
            }
        }
    }

    /// Binding strength when printing: higher binds tighter.
    fn precedence(&self) -> u8 {
        match self {
            Expr::Or(_) => 0,
            Expr::And(_) => 1,
            Expr::Not(_) => 2,
            Expr::Near { .. } | Expr::Term(_) => 3,
        }
    }

    fn fmt_operand(&self, f: &mut fmt::Formatter<'_>, min_precedence: u8) -> fmt::Result {
        if self.precedence() < min_precedence {
            write!(f, "({self})")
        } else {
            write!(f, "{self}")
        }
    }
}

impl fmt::Display for WordPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)?;
        if self.prefix {
            f.write_str("*")?;
        }
        Ok(())
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let quoted = self.words.len() > 1;
        if quoted {
            f.write_str("\"")?;
        }
        for (i, word) in self.words.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{word}")?;
        }
        if quoted {
            f.write_str("\"")?;
        }
        Ok(())
    }
}

fn fmt_alternatives(terms: &[Term], f: &mut fmt::Formatter<'_>) -> fmt::Result {
    if let [term] = terms {
        return write!(f, "{term}");
    }
    f.write_str("(")?;
    for (i, term) in terms.iter().enumerate() {
        if i > 0 {
            f.write_str(" OR ")?;
        }
        write!(f, "{term}")?;
    }
    f.write_str(")")
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Term(term) => write!(f, "{term}"),
            Expr::Near {
                left,
                right,
                distance,
            } => {
                fmt_alternatives(left, f)?;
                write!(f, " NEAR/{distance} ")?;
                fmt_alternatives(right, f)
            }
            Expr::Not(inner) => {
                f.write_str("NOT ")?;
                inner.fmt_operand(f, 2)
            }
            Expr::And(operands) | Expr::Or(operands) => {
                let (separator, min) = match self {
                    Expr::And(_) => (" AND ", 2),
                    _ => (" OR ", 1),
                };
                for (i, operand) in operands.iter().enumerate() {
                    if i > 0 {
                        f.write_str(separator)?;
                    }
                    operand.fmt_operand(f, min)?;
                }
                Ok(())
            }
        }
    }
}
