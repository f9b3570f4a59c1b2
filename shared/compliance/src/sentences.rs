//! Sentence boundaries: `.`, `!`, `?` or `…` before whitespace, except after abbreviations,
//! initials and decimals; also blank lines, headings and list items.

use std::ops::Range;

/// Abbreviations that never end a sentence (titles, "e.g.", "vs.").
const ABBREVIATIONS: &[&str] = &[
    "al", "approx", "capt", "cf", "col", "dept", "dr", "e.g", "eg", "gen", "gov", "hon", "i.e",
    "ie", "jr", "lt", "messrs", "mr", "mrs", "ms", "mt", "prof", "rep", "rev", "sen", "sgt", "sr",
    "st", "viz", "vs",
];

/// Abbreviations that stand before a number ("No. 5", "Fig. 2", "Jan. 3").
const NUMBERED: &[&str] = &[
    "apr", "art", "aug", "ch", "dec", "ext", "feb", "fig", "jan", "jul", "jun", "mar", "no", "nov",
    "oct", "p", "pp", "sec", "sep", "sept", "tel", "vol",
];

/// Byte ranges of the sentences in `text`, trimmed; stretches without a letter or digit
/// (rules, lone punctuation) are not sentences.
pub(crate) fn split(text: &str) -> Vec<Range<usize>> {
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        match c {
            '.' | '!' | '?' | '…' => {
                let end = terminal_end(text, i);
                let at_gap = text[end..].chars().next().is_none_or(char::is_whitespace);
                if at_gap && !continues(text, start, i, end) {
                    push(text, start..end, &mut sentences);
                    start = end;
                }
                i = end;
                continue;
            }
            '\n' if line_ends_sentence(text, i) => {
                push(text, start..i, &mut sentences);
                start = i + 1;
            }
            _ => {}
        }
        i += c.len_utf8();
    }
    push(text, start..text.len(), &mut sentences);
    sentences
}

fn push(text: &str, range: Range<usize>, sentences: &mut Vec<Range<usize>>) {
    let slice = &text[range.clone()];
    let trimmed = slice.trim();
    if trimmed.chars().any(char::is_alphanumeric) {
        let start = range.start + (slice.len() - slice.trim_start().len());
        sentences.push(start..start + trimmed.len());
    }
}

/// End of a run of terminal punctuation and the closing quotes and brackets after it.
fn terminal_end(text: &str, from: usize) -> usize {
    from + text[from..]
        .chars()
        .take_while(|c| {
            matches!(
                c,
                '.' | '!' | '?' | '…' | '"' | '\'' | '”' | '’' | ')' | ']' | '»'
            )
        })
        .map(char::len_utf8)
        .sum::<usize>()
}

/// Whether the punctuation at `dot..end` sits inside a sentence after all.
fn continues(text: &str, sentence_start: usize, dot: usize, end: usize) -> bool {
    let run = &text[dot..end];
    if !run.chars().all(|c| matches!(c, '.' | '…')) {
        return false;
    }
    let next = text[end..].trim_start();
    // A full stop before a lower-case word is an abbreviation or an ellipsis.
    if next.chars().next().is_some_and(char::is_lowercase) {
        return true;
    }
    if run != "." {
        return false;
    }
    let token_start = text[sentence_start..dot]
        .rfind(char::is_whitespace)
        .map_or(sentence_start, |p| sentence_start + p + 1);
    let token = text[token_start..dot].trim_start_matches(|c: char| !c.is_alphanumeric());
    let lower = token.to_lowercase();
    let before_number = next.chars().next().is_some_and(|c| c.is_ascii_digit());
    ABBREVIATIONS.contains(&lower.as_str())
        || (before_number && NUMBERED.contains(&lower.as_str()))
        || initialism(token)
        || (token_start == sentence_start && token.bytes().all(|b| b.is_ascii_digit()))
}

/// "J." or "U.S." (the last dot is not in `token`).
fn initialism(token: &str) -> bool {
    let single_letter = |part: &str| {
        let mut chars = part.chars();
        chars.next().is_some_and(char::is_alphabetic) && chars.next().is_none()
    };
    if token.contains('.') {
        token.split('.').all(single_letter)
    } else {
        single_letter(token) && token.chars().all(char::is_uppercase)
    }
}

/// A newline ends a sentence before a blank line or a list item, and after a heading or a
/// list item; other newlines are soft wraps.
fn line_ends_sentence(text: &str, newline: usize) -> bool {
    let line_start = text[..newline].rfind('\n').map_or(0, |p| p + 1);
    let line = text[line_start..newline].trim_start();
    let next = text[newline + 1..].trim_start_matches([' ', '\t', '\r']);
    next.is_empty()
        || next.starts_with('\n')
        || list_item(next)
        || list_item(line)
        || line.starts_with("# ")
        || line.starts_with("##")
}

fn list_item(line: &str) -> bool {
    if ["- ", "* ", "+ ", "• "].iter().any(|m| line.starts_with(m)) {
        return true;
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "))
}
