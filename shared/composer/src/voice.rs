//! The voice a draft is written in, and how the built-in composer reads it: banned terms
//! matched case-insensitively on word boundaries, tone descriptors mapped to a phrasing style,
//! and per-channel length preferences.

use crate::channel::{Channel, Family};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// The voice the draft is written in (the content crate maps its versioned profile into this).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Voice {
    /// The brand or profile name; press releases use it in the lead and the "About" paragraph.
    pub name: String,
    /// Tone descriptors such as "formal", "friendly", "confident".
    pub tone: Vec<String>,
    pub do_list: Vec<String>,
    pub dont_list: Vec<String>,
    /// Never written, matched case-insensitively on word boundaries.
    pub banned_terms: Vec<String>,
    /// Written verbatim in every draft (disclaimers, legal lines).
    pub required_terms: Vec<String>,
    /// Target reading grade (Flesch-Kincaid); lower keeps quoted sentences shorter.
    pub reading_grade: Option<f64>,
    /// Channel name to preferred (min, max) words.
    pub preferred_words: BTreeMap<String, (u32, u32)>,
    /// Posts in the voice, as style references.
    pub examples: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tone {
    Neutral,
    /// No contractions, no exclamation marks, third person.
    Formal,
    /// Second person, contractions, one exclamation mark.
    Friendly,
    /// Short declarative sentences, no hedging.
    Confident,
}

/// How the built-in composer phrases a draft for this voice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Style {
    pub tone: Tone,
    /// Exclamation marks a draft may keep.
    pub exclamations: usize,
    pub contractions: bool,
    pub hashtags: bool,
    pub emoji: bool,
}

const FORMAL: &[&str] = &[
    "formal",
    "professional",
    "corporate",
    "academic",
    "serious",
    "institutional",
    "reserved",
    "measured",
    "polished",
];
const FRIENDLY: &[&str] = &[
    "friendly",
    "playful",
    "casual",
    "warm",
    "conversational",
    "approachable",
    "enthusiastic",
    "fun",
    "upbeat",
    "witty",
    "cheerful",
    "relaxed",
];
const CONFIDENT: &[&str] = &[
    "confident",
    "authoritative",
    "bold",
    "assertive",
    "direct",
    "expert",
    "decisive",
];

impl Voice {
    /// The first banned term `text` contains, if any.
    pub(crate) fn banned_in(&self, text: &str) -> Option<&str> {
        self.banned_terms
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .find(|t| find_term(text, t).is_some())
    }

    /// `text` with every banned term cut out and the spacing mended, for phrases that cannot
    /// simply be left out (the topic, the audience).
    pub(crate) fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        for term in self.banned_terms.iter().map(|t| t.trim()) {
            if term.is_empty() {
                continue;
            }
            while let Some((start, end)) = find_term(&out, term) {
                out.replace_range(start..end, "");
            }
        }
        if out == text {
            return out;
        }
        let words: Vec<&str> = out.split_whitespace().collect();
        words
            .join(" ")
            .replace(" ,", ",")
            .replace(" .", ".")
            .replace(" :", ":")
            .trim_matches(|c: char| c == ',' || c == ':' || c == '-' || c.is_whitespace())
            .to_string()
    }

    pub(crate) fn style(&self) -> Style {
        let tone = self
            .tone
            .iter()
            .find_map(|descriptor| classify(descriptor))
            .unwrap_or(Tone::Neutral);
        let dont = |word: &str| {
            self.dont_list
                .iter()
                .any(|d| d.to_lowercase().contains(word))
        };
        Style {
            tone,
            exclamations: if tone == Tone::Friendly && !dont("exclamation") {
                1
            } else {
                0
            },
            contractions: tone != Tone::Formal && !dont("contraction"),
            hashtags: !dont("hashtag"),
            emoji: tone == Tone::Friendly && !dont("emoji"),
        }
    }

    /// The preferred word range for `channel`: its own entry, else its family's lead channel
    /// (`blog` for Medium and WordPress, `linkedin` for Mastodon and webhooks).
    pub(crate) fn word_range(&self, channel: Channel) -> Option<(u32, u32)> {
        let lookup = |name: &str| {
            self.preferred_words
                .iter()
                .find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
                .map(|(_, v)| *v)
        };
        lookup(channel.as_str()).or_else(|| match channel.family() {
            Family::Article => lookup(Channel::Blog.as_str()),
            Family::Post if channel != Channel::Mastodon => lookup(Channel::Linkedin.as_str()),
            _ => None,
        })
    }

    /// The longest sentence (in words) worth quoting at the voice's reading grade.
    pub(crate) fn max_sentence_words(&self) -> usize {
        match self.reading_grade {
            Some(g) if g <= 6.0 => 18,
            Some(g) if g <= 9.0 => 24,
            _ => 30,
        }
    }
}

fn classify(descriptor: &str) -> Option<Tone> {
    let d = descriptor.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| find_term(&d, w).is_some());
    if has(FORMAL) {
        Some(Tone::Formal)
    } else if has(FRIENDLY) {
        Some(Tone::Friendly)
    } else if has(CONFIDENT) {
        Some(Tone::Confident)
    } else {
        None
    }
}

/// The byte range of the first occurrence of `term` in `text`: case-insensitive, on word
/// boundaries (where the term starts or ends with a letter or digit), any run of whitespace
/// matching a space in the term.
pub(crate) fn find_term(text: &str, term: &str) -> Option<(usize, usize)> {
    let term: Vec<char> = term.chars().collect();
    let first = *term.first()?;
    let last = *term.last()?;
    let mut prev: Option<char> = None;
    for (start, c) in text.char_indices() {
        let boundary_ok = !first.is_alphanumeric() || !prev.is_some_and(char::is_alphanumeric);
        prev = Some(c);
        if !boundary_ok {
            continue;
        }
        if let Some(end) = match_at(text, start, &term)
            && (!last.is_alphanumeric()
                || !text[end..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric))
        {
            return Some((start, end));
        }
    }
    None
}

fn match_at(text: &str, start: usize, term: &[char]) -> Option<usize> {
    let mut rest = text[start..].char_indices().peekable();
    let mut end = start;
    for &t in term {
        let (i, c) = rest.next()?;
        if t.is_whitespace() {
            if !c.is_whitespace() {
                return None;
            }
            while rest.peek().is_some_and(|(_, c)| c.is_whitespace()) {
                rest.next();
            }
        } else if !c.to_lowercase().eq(t.to_lowercase()) {
            return None;
        }
        end = start + i + c.len_utf8();
        if t.is_whitespace() {
            end = start + rest.peek().map_or(text.len() - start, |(i, _)| *i);
        }
    }
    Some(end)
}
