//! Splitting a long post into a numbered X thread.

use std::ops::Range;

use crate::channels::Measure;
use crate::text::tokens;
use crate::{sentences, urls, weight};

/// Splits `text` into posts of at most `limit` weighted characters (see
/// [`crate::x_weighted_length`]), each ending in " k/n". Breaks fall between sentences
/// where they can, else between words, and inside a word only when it is longer than a
/// post; never inside a URL or an emoji sequence. Text that fits is returned whole and
/// unnumbered; blank text gives no parts. A `limit` too small for one URL plus the
/// numbering yields parts over the limit rather than breaking the URL.
pub fn split_thread(text: &str, limit: usize) -> Vec<String> {
    let start = text.len() - text.trim_start().len();
    let end = text.trim_end().len();
    if start >= end {
        return Vec::new();
    }
    let weights = Weights::new(text, &urls::find(text));
    if weights.between(start, end) <= limit {
        return vec![text[start..end].to_owned()];
    }
    let tokens: Vec<Range<usize>> = tokens(text).collect();
    let sentence_ends = sentence_ends(text, &tokens);
    // Reserve room for the widest " k/n"; widen it if the thread needs more digits.
    let mut digits = 1;
    loop {
        let budget = limit.saturating_sub(2 + 2 * digits);
        let parts = pack(&tokens, &sentence_ends, &weights, budget);
        let n = parts.len();
        if n.to_string().len() <= digits {
            return parts
                .into_iter()
                .enumerate()
                .map(|(k, part)| format!("{} {}/{n}", &text[part], k + 1))
                .collect();
        }
        digits += 1;
    }
}

/// For each token, the index of the last token of its sentence.
fn sentence_ends(text: &str, tokens: &[Range<usize>]) -> Vec<usize> {
    let sentences = sentences::split(text);
    let sentence_of = |token: &Range<usize>| sentences.partition_point(|s| s.start <= token.start);
    let mut ends = vec![0; tokens.len()];
    let mut last = tokens.len();
    for i in (0..tokens.len()).rev() {
        if i + 1 == tokens.len() || sentence_of(&tokens[i]) != sentence_of(&tokens[i + 1]) {
            last = i;
        }
        ends[i] = last;
    }
    ends
}

/// Greedy packing of whole sentences, then words, then atoms, into parts whose weight is
/// at most `budget`. Every part takes at least one atom, so packing always ends.
fn pack(
    tokens: &[Range<usize>],
    sentence_ends: &[usize],
    weights: &Weights,
    budget: usize,
) -> Vec<Range<usize>> {
    let fits = |start: usize, end: usize| weights.between(start, end) <= budget;
    let mut parts = Vec::new();
    let mut open: Option<Range<usize>> = None;
    let mut i = 0;
    while i < tokens.len() {
        let sentence_end = sentence_ends[i];
        let start = open.as_ref().map_or(tokens[i].start, |o| o.start);
        if fits(start, tokens[sentence_end].end) {
            open = Some(start..tokens[sentence_end].end);
            i = sentence_end + 1;
            continue;
        }
        if let Some(part) = open.take() {
            parts.push(part);
            continue;
        }
        let mut j = i;
        while j <= sentence_end && fits(tokens[i].start, tokens[j].end) {
            j += 1;
        }
        if j > i {
            parts.push(tokens[i].start..tokens[j - 1].end);
            i = j;
            continue;
        }
        let mut start = tokens[i].start;
        loop {
            let end = weights.longest_fit(start, tokens[i].end, budget);
            if end == tokens[i].end {
                open = Some(start..end);
                break;
            }
            parts.push(start..end);
            start = end;
        }
        i += 1;
    }
    parts.extend(open);
    parts
}

/// X weights of the text's atoms with running totals, so any stretch between atom
/// boundaries is weighed in O(log n).
struct Weights {
    starts: Vec<usize>,
    /// `totals[k]` is the weight of the atoms before atom `k`.
    totals: Vec<usize>,
}

impl Weights {
    fn new(text: &str, urls: &[Range<usize>]) -> Self {
        let mut starts = Vec::new();
        let mut totals = vec![0];
        for atom in weight::atoms(text, urls) {
            starts.push(atom.range.start);
            let total = totals[totals.len() - 1] + weight::weight(Measure::XWeighted, text, &atom);
            totals.push(total);
        }
        Self { starts, totals }
    }

    fn index(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s < offset)
    }

    fn between(&self, start: usize, end: usize) -> usize {
        self.totals[self.index(end)] - self.totals[self.index(start)]
    }

    /// The furthest atom boundary after `start`, up to `end`, within `budget`; at least
    /// one atom.
    fn longest_fit(&self, start: usize, end: usize, budget: usize) -> usize {
        let first = self.index(start);
        let last = self.index(end);
        let fitting = (first + 1..=last)
            .take_while(|&k| self.totals[k] - self.totals[first] <= budget)
            .last()
            .unwrap_or(first + 1);
        self.starts.get(fitting).copied().unwrap_or(end).min(end)
    }
}
