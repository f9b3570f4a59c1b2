//! VADER's rules (Hutto & Gilbert 2014) over a token stream: valence of each sentiment
//! word after intensifiers, negation, capitals, "least", idioms; then the "but" contrast.

use crate::lexicon::{BOOST_DOWN, IDIOMS};
use crate::tokenize::{Break, Token, Tokens};

/// Capitals in a mixed-case text add this much to a word's valence.
const CAPS_BOOST: f64 = 0.733;
/// Elongation ("goooood") is weaker emphasis than capitals.
const ELONGATION_BOOST: f64 = 0.3;
/// A negated word flips and loses a quarter of its strength.
const NEGATION_SCALAR: f64 = -0.74;
/// The longest phrase in `IDIOMS`.
const MAX_IDIOM_WORDS: usize = 3;
/// Sentiment words in a plain question count half.
const QUESTION_SCALAR: f64 = 0.5;
/// Intensifiers two and three words back count a little less.
const DISTANCE_DAMPING: [f64; 3] = [1.0, 0.95, 0.9];

/// One valence per token (0 for words without sentiment), written into `out`.
pub(crate) fn valences(tokens: &Tokens, out: &mut Vec<f64>) {
    out.clear();
    let mixed_caps = tokens.mixed_caps();
    out.extend((0..tokens.items.len()).map(|i| valence(tokens, i, mixed_caps)));
    questions(tokens, out);
}

/// A plain question ("can anyone recommend a good editor?") asks rather than asserts, so
/// its words count half. Repeated marks ("really??") are emphasis instead, handled later.
fn questions(tokens: &Tokens, valences: &mut [f64]) {
    let mut asks = false;
    for i in (0..valences.len()).rev() {
        let token = &tokens.items[i];
        if token.break_after == Break::Sentence || i + 1 == valences.len() {
            asks = token.qmarks == 1 && token.bangs == 0;
        }
        if asks {
            valences[i] *= QUESTION_SCALAR;
        }
    }
}

/// "but" (or "however") shifts the weight to the clause after it: earlier words count
/// half, later ones 1.5×. "not only … but (also)" is additive, not a contrast.
pub(crate) fn contrast(tokens: &Tokens, sentiments: &mut [f64]) {
    let Some(but) = (0..tokens.items.len()).find(|&i| {
        matches!(tokens.text_at(i), "but" | "however")
            && tokens.text_at(i + 1) != "also"
            && !(i > 0 && tokens.text_at(i - 1) == "only")
    }) else {
        return;
    };
    for (i, s) in sentiments.iter_mut().enumerate() {
        if i < but {
            *s *= 0.5;
        } else if i > but {
            *s *= 1.5;
        }
    }
}

fn valence(tokens: &Tokens, i: usize, mixed_caps: bool) -> f64 {
    let token = &tokens.items[i];
    let word = tokens.text(token);
    let next = tokens.items.get(i + 1);
    if let Some(v) = idiom_valence(tokens, i) {
        return v;
    }
    if !token.entry.in_lexicon || (word == "kind" && tokens.text_at(i + 1) == "of") {
        return 0.0;
    }
    // An intensifier that is also a sentiment word ("incredible") only intensifies when a
    // sentiment word follows; on its own it carries its own valence.
    if token.entry.booster != 0.0 && next.is_some_and(|n| n.entry.in_lexicon) {
        return 0.0;
    }
    // "no problem": "no" as a determiner of a sentiment word negates it instead.
    if word == "no" && next.is_some_and(|n| n.entry.in_lexicon) {
        return 0.0;
    }
    let mut v = token.entry.valence;
    if no_before(tokens, i) {
        v *= NEGATION_SCALAR;
    }
    if token.caps && mixed_caps {
        v += CAPS_BOOST.copysign(v);
    }
    if token.elongated {
        v += ELONGATION_BOOST.copysign(v);
    }
    for (k, damping) in DISTANCE_DAMPING.iter().enumerate() {
        let Some(j) = i.checked_sub(k + 1) else { break };
        let before = &tokens.items[j];
        if before.break_after == Break::Sentence {
            break;
        }
        // A sentiment word ends the scope of earlier modifiers ("don't care, don't care").
        if before.entry.in_lexicon {
            break;
        }
        v += intensity(tokens, j, v, mixed_caps) * damping;
        v = negation(tokens, v, k, i);
    }
    least(tokens, v, i)
}

/// The push an intensifier at `j` gives a word of valence `v` (away from zero, or toward it).
fn intensity(tokens: &Tokens, j: usize, v: f64, mixed_caps: bool) -> f64 {
    let before: &Token = &tokens.items[j];
    let mut scalar = before.entry.booster;
    if scalar == 0.0 && tokens.text_at(j) == "of" && j > 0 {
        // "kind of" / "sort of" dampen like "somewhat".
        if matches!(tokens.text_at(j - 1), "kind" | "sort") {
            scalar = BOOST_DOWN;
        }
    }
    if scalar == 0.0 {
        return 0.0;
    }
    if v < 0.0 {
        scalar = -scalar;
    }
    if before.caps && mixed_caps {
        scalar += CAPS_BOOST.copysign(v);
    }
    scalar
}

/// Negation `k + 1` words back, except VADER's "never so/this" (stronger, not flipped).
/// VADER's "without doubt" exception is not needed: "doubt" is a sentiment word, which
/// ends the scope, and "without" turns it positive.
fn negation(tokens: &Tokens, v: f64, k: usize, i: usize) -> f64 {
    let at = |back: usize| tokens.text_at(i - back);
    let negated = |back: usize| tokens.items[i - back].entry.negation;
    match k {
        0 if negated(1) => v * NEGATION_SCALAR,
        1 if at(2) == "never" && matches!(at(1), "so" | "this") => v * 1.25,
        1 if negated(2) => v * NEGATION_SCALAR,
        2 if at(3) == "never"
            && (matches!(at(2), "so" | "this") || matches!(at(1), "so" | "this")) =>
        {
            v * 1.25
        }
        2 if negated(3) => v * NEGATION_SCALAR,
        _ => v,
    }
}

/// "no" right before ("no good"), before an intensifier ("no very good"), or three back
/// with "or"/"nor" between ("no fun or joy").
fn no_before(tokens: &Tokens, i: usize) -> bool {
    let at = |back: usize| {
        if i >= back {
            tokens.text_at(i - back)
        } else {
            ""
        }
    };
    let booster_before = i > 0 && tokens.items[i - 1].entry.booster != 0.0;
    at(1) == "no"
        || (at(2) == "no" && booster_before)
        || (at(3) == "no" && matches!(at(1), "or" | "nor"))
}

/// "least good" is negative; "at least" and "very least" are not negations.
fn least(tokens: &Tokens, v: f64, i: usize) -> f64 {
    if i == 0 || tokens.text_at(i - 1) != "least" {
        return v;
    }
    if i > 1 && matches!(tokens.text_at(i - 2), "at" | "very") {
        return v;
    }
    v * NEGATION_SCALAR
}

/// The fixed phrase ending at token `end`, as (first token, valence).
fn idiom(tokens: &Tokens, end: usize) -> Option<(usize, f64)> {
    if !tokens.items[end].entry.ends_idiom {
        return None;
    }
    IDIOMS.iter().find_map(|&(phrase, valence)| {
        let start = (end + 1).checked_sub(phrase.len())?;
        let matches = phrase
            .iter()
            .enumerate()
            .all(|(k, &w)| tokens.text_at(start + k) == w);
        matches.then_some((start, valence))
    })
}

/// A phrase's valence replaces its words' own and is counted once, on its last word.
fn idiom_valence(tokens: &Tokens, i: usize) -> Option<f64> {
    if let Some((_, valence)) = idiom(tokens, i) {
        return Some(valence);
    }
    let later = i + 1..tokens.items.len().min(i + MAX_IDIOM_WORDS);
    later
        .into_iter()
        .any(|end| idiom(tokens, end).is_some_and(|(start, _)| start <= i))
        .then_some(0.0)
}
