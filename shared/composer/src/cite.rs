//! Citation markers: `[1]`, `[1, 3]`, `[2-4]`. Drafts cite facts by number; the markers are
//! read back to list a draft's sources and to drop numbers a model made up.

use crate::fact::Fact;
use std::ops::Range;

struct Marker {
    range: Range<usize>,
    numbers: Vec<usize>,
}

/// Larger ranges than this in one marker ("[1-999]") are not citations.
const MAX_RANGE: usize = 50;

fn markers(text: &str) -> Vec<Marker> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find('[').map(|i| from + i) {
        let Some(close) = text[open..].find(']').map(|i| open + i) else {
            break;
        };
        match parse_numbers(&text[open + 1..close]) {
            Some(numbers) => {
                out.push(Marker {
                    range: open..close + 1,
                    numbers,
                });
                from = close + 1;
            }
            None => from = open + 1,
        }
    }
    out
}

fn parse_numbers(inner: &str) -> Option<Vec<usize>> {
    let mut numbers = Vec::new();
    for part in inner.split(',') {
        let part = part.trim();
        match part.split_once(['-', '–']) {
            Some((a, b)) => {
                let (a, b) = (
                    a.trim().parse::<usize>().ok()?,
                    b.trim().parse::<usize>().ok()?,
                );
                if a > b || b - a > MAX_RANGE {
                    return None;
                }
                numbers.extend(a..=b);
            }
            None => numbers.push(part.parse().ok()?),
        }
    }
    Some(numbers)
}

/// The numbers `text` cites, in order of first citation.
pub(crate) fn cited(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    for n in markers(text).into_iter().flat_map(|m| m.numbers) {
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

/// `text` with every cited number that is not in `known` removed; a marker left empty goes
/// with the space before it. Also returns the numbers removed.
pub(crate) fn strip_unknown(text: &str, known: &[usize]) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut removed = Vec::new();
    let mut last = 0;
    for marker in markers(text) {
        let (keep, drop): (Vec<usize>, Vec<usize>) =
            marker.numbers.iter().partition(|n| known.contains(n));
        if drop.is_empty() {
            continue;
        }
        removed.extend(drop);
        let before = &text[last..marker.range.start];
        if keep.is_empty() {
            out.push_str(before.trim_end_matches(' '));
        } else {
            out.push_str(before);
            let kept: Vec<String> = keep.iter().map(usize::to_string).collect();
            out.push_str(&format!("[{}]", kept.join(", ")));
        }
        last = marker.range.end;
    }
    out.push_str(&text[last..]);
    (out, removed)
}

/// The facts `texts` cite, in citation-number order.
pub(crate) fn sources<'a>(texts: impl IntoIterator<Item = &'a str>, facts: &[Fact]) -> Vec<Fact> {
    let mut numbers: Vec<usize> = texts.into_iter().flat_map(cited).collect();
    numbers.sort_unstable();
    numbers.dedup();
    numbers
        .into_iter()
        .filter_map(|n| facts.iter().find(|f| f.n == n).cloned())
        .collect()
}
