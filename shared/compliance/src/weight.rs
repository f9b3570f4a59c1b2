//! Post lengths as the platforms count them: twitter-text v3 weights for X, characters
//! with short links for Mastodon, plain characters elsewhere.

use std::ops::Range;

use crate::channels::Measure;

/// Every URL counts as a t.co link of this length, whatever its own length.
const URL_WEIGHT: usize = 23;
/// Weight of a code point outside twitter-text's light ranges, and of an emoji sequence.
const HEAVY: usize = 2;

/// The weighted length of `text` on X, per twitter-text v3: code points in
/// 0–4351, 8192–8205, 8208–8223 and 8242–8247 weigh 1, others (CJK, emoji) 2, an emoji
/// sequence (ZWJ, skin tone, flag, keycap) 2 in all, and each URL 23. Text is not
/// NFC-normalised first, so a decomposed accent counts as its own code point.
pub fn x_weighted_length(text: &str) -> usize {
    Measure::XWeighted.length(text)
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Url,
    Emoji,
    Char(char),
}

/// The smallest unit a platform counts: a URL, an emoji sequence or one code point.
pub(crate) struct Atom {
    pub(crate) range: Range<usize>,
    pub(crate) kind: Kind,
}

/// The atoms of `text`, given the URLs in it.
pub(crate) fn atoms<'a>(
    text: &'a str,
    urls: &'a [Range<usize>],
) -> impl Iterator<Item = Atom> + 'a {
    let mut pos = 0;
    let mut urls = urls.iter().peekable();
    std::iter::from_fn(move || {
        let rest = &text[pos..];
        let first = rest.chars().next()?;
        while urls.next_if(|u| u.start < pos).is_some() {}
        let (len, kind) = match urls.next_if(|u| u.start == pos) {
            Some(url) => (url.len(), Kind::Url),
            None => match emoji_len(rest) {
                Some(len) => (len, Kind::Emoji),
                None => (first.len_utf8(), Kind::Char(first)),
            },
        };
        let atom = Atom {
            range: pos..pos + len,
            kind,
        };
        pos += len;
        Some(atom)
    })
}

pub(crate) fn weight(measure: Measure, text: &str, atom: &Atom) -> usize {
    match (measure, atom.kind) {
        (Measure::Characters, _) => text[atom.range.clone()].chars().count(),
        (_, Kind::Url) => URL_WEIGHT,
        (Measure::XWeighted, Kind::Emoji) => HEAVY,
        (Measure::XWeighted, Kind::Char(c)) => x_char_weight(c),
        (Measure::CharactersShortUrls, _) => 1,
    }
}

pub(crate) fn length(measure: Measure, text: &str, urls: &[Range<usize>]) -> usize {
    match measure {
        Measure::Characters => text.chars().count(),
        _ => atoms(text, urls).map(|a| weight(measure, text, &a)).sum(),
    }
}

/// Where the text first goes over `max`, if it does.
pub(crate) fn overflow(
    measure: Measure,
    text: &str,
    urls: &[Range<usize>],
    max: usize,
) -> Option<usize> {
    let mut total = 0;
    atoms(text, urls).find_map(|atom| {
        total += weight(measure, text, &atom);
        (total > max).then_some(atom.range.start)
    })
}

fn x_char_weight(c: char) -> usize {
    match u32::from(c) {
        0..=4351 | 8192..=8205 | 8208..=8223 | 8242..=8247 => 1,
        _ => HEAVY,
    }
}

/// Byte length of the emoji sequence `s` starts with, if any.
fn emoji_len(s: &str) -> Option<usize> {
    let first = s.chars().next()?;
    let after_first = &s[first.len_utf8()..];
    if regional_indicator(first) {
        let pair = after_first
            .chars()
            .next()
            .filter(|&c| regional_indicator(c));
        return Some(first.len_utf8() + pair.map_or(0, char::len_utf8));
    }
    if matches!(first, '0'..='9' | '#' | '*') {
        let rest = after_first.strip_prefix('\u{FE0F}').unwrap_or(after_first);
        return rest.strip_prefix('\u{20E3}').map(|r| s.len() - r.len());
    }
    // © and ® are text symbols unless asked to render as emoji.
    let presented = matches!(first, '\u{A9}' | '\u{AE}') && after_first.starts_with('\u{FE0F}');
    if !presented && !pictographic(first) {
        return None;
    }
    let mut end = first.len_utf8();
    loop {
        let rest = &s[end..];
        let Some(c) = rest.chars().next() else { break };
        if modifier(c) {
            end += c.len_utf8();
        } else if c == '\u{200D}'
            && let Some(joined) = rest['\u{200D}'.len_utf8()..].chars().next()
            && pictographic(joined)
        {
            end += c.len_utf8() + joined.len_utf8();
        } else {
            break;
        }
    }
    Some(end)
}

fn regional_indicator(c: char) -> bool {
    matches!(c, '\u{1F1E6}'..='\u{1F1FF}')
}

/// Variation selectors, skin tones, tag characters (subdivision flags), the keycap mark.
fn modifier(c: char) -> bool {
    matches!(
        c,
        '\u{FE0E}' | '\u{FE0F}' | '\u{1F3FB}'..='\u{1F3FF}' | '\u{E0020}'..='\u{E007F}' | '\u{20E3}'
    )
}

/// An approximation of Unicode's Extended_Pictographic: the blocks emoji come from.
fn pictographic(c: char) -> bool {
    matches!(
        u32::from(c),
        0x203C
            | 0x2049
            | 0x2122
            | 0x2139
            | 0x2194..=0x21AA
            | 0x231A..=0x23FF
            | 0x24C2
            | 0x25AA..=0x25FE
            | 0x2600..=0x27BF
            | 0x2934..=0x2935
            | 0x2B05..=0x2B55
            | 0x3030
            | 0x303D
            | 0x3297
            | 0x3299
            | 0x1F000..=0x1FAFF
    )
}
