//! Sentiment towards one target when a text names several: score only the clauses that
//! mention it ("Acme is great but Globex is awful" → Acme positive, Globex negative).

use crate::score::Score;
use crate::tokenize::{Break, Tokens};

/// Words that start a new clause with its own sentiment.
const CLAUSE_WORDS: &[&str] = &[
    "but", "however", "whereas", "while", "although", "though", "unlike",
];

/// How far a mention's window reaches: the narrowest level that holds any sentiment wins.
#[derive(Clone, Copy)]
enum Scope {
    /// Cut at commas, clause words and sentence ends.
    Clause,
    /// Cut at clause words and sentence ends.
    Contrast,
    /// Cut at sentence ends only.
    Sentence,
}

pub(crate) fn score(tokens: &Tokens, valences: &[f64], targets: &[&str]) -> Option<Score> {
    let mentions = mentions(tokens, targets);
    if mentions.is_empty() {
        return None;
    }
    let mut selected = vec![false; valences.len()];
    for scope in [Scope::Clause, Scope::Contrast, Scope::Sentence] {
        selected.fill(false);
        for &(first, last) in &mentions {
            let (start, end) = span(tokens, first, last, scope);
            selected[start..end].fill(true);
        }
        if selected.iter().zip(valences).any(|(&s, &v)| s && v != 0.0) {
            break;
        }
    }
    let picked = || (0..valences.len()).filter(|&i| selected[i]);
    let chosen: Vec<f64> = picked().map(|i| valences[i]).collect();
    let bangs = picked().map(|i| u32::from(tokens.items[i].bangs)).sum();
    let qmarks = picked().map(|i| u32::from(tokens.items[i].qmarks)).sum();
    Some(Score::from_valences(&chosen, bangs, qmarks))
}

/// Token ranges (first, last inclusive) where a target's words appear in order.
fn mentions(tokens: &Tokens, targets: &[&str]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    for target in targets {
        let lower = target.to_lowercase();
        let words: Vec<&str> = lower
            .split_whitespace()
            .map(|w| w.trim_matches(|c: char| c.is_ascii_punctuation()))
            .filter(|w| !w.is_empty())
            .collect();
        let Some(n) = words.len().checked_sub(1) else {
            continue;
        };
        for start in 0..tokens.items.len().saturating_sub(n) {
            let hit = words.iter().enumerate().all(|(k, w)| {
                let t = tokens.text_at(start + k);
                // A possessive on the last word still names the target ("Acme's").
                t == *w || (k == n && t.strip_suffix("'s") == Some(w))
            });
            if hit {
                found.push((start, start + n));
            }
        }
    }
    found
}

/// The window around a mention at `first..=last`, excluding the clause words at its edges.
fn span(tokens: &Tokens, first: usize, last: usize, scope: Scope) -> (usize, usize) {
    let cuts = |i: usize| match scope {
        Scope::Clause => tokens.items[i].break_after >= Break::Comma,
        Scope::Contrast | Scope::Sentence => tokens.items[i].break_after == Break::Sentence,
    };
    let clause_word =
        |i: usize| !matches!(scope, Scope::Sentence) && CLAUSE_WORDS.contains(&tokens.text_at(i));
    let mut start = first;
    while start > 0 && !cuts(start - 1) && !clause_word(start - 1) {
        start -= 1;
    }
    let mut end = last + 1;
    while end < tokens.items.len() && !cuts(end - 1) && !clause_word(end) {
        end += 1;
    }
    (start, end)
}
