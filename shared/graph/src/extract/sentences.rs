//! Sentence boundaries over a token stream; relations are only drawn inside a sentence.

use std::ops::Range;

use super::lexicon;
use super::tokens::{Token, TokenKind, is_capitalised};

/// Token ranges of the sentences of `text`. A full stop after a title ("Dr."), an
/// initial ("J.") or a legal form followed by a lowercase word ("Acme Inc. said") does not
/// end a sentence.
pub fn sentences(text: &str, tokens: &[Token], out: &mut Vec<Range<usize>>) {
    out.clear();
    let mut start = 0;
    for (i, token) in tokens.iter().enumerate() {
        let ends = match token.kind {
            TokenKind::Punct('!' | '?' | ';' | '\n') => true,
            TokenKind::Punct('.') => i == 0 || ends_after(text, &tokens[i - 1], tokens.get(i + 1)),
            _ => false,
        };
        if ends {
            if i > start {
                out.push(start..i);
            }
            start = i + 1;
        }
    }
    if tokens.len() > start {
        out.push(start..tokens.len());
    }
}

/// Whether a full stop after `word` ends the sentence, given the token after it.
fn ends_after(text: &str, word: &Token, next: Option<&Token>) -> bool {
    let word = word.text(text);
    let mut chars = word.chars();
    let initial = chars.next().is_some_and(char::is_uppercase) && chars.next().is_none();
    if initial || lexicon::ABBREVIATIONS.contains(&word) {
        return false;
    }
    if lexicon::FINAL_ABBREVIATIONS.contains(&word) {
        return next.is_none_or(|n| n.is_word() && is_capitalised(n.text(text)));
    }
    true
}
