//! Tone and sentiment against the profile's descriptors.

use crate::codes::{SENTIMENT_MISMATCH, TONE_MISMATCH};
use crate::text::Doc;
use crate::weight::{self, Kind};
use crate::{Finding, Severity, Span, VoiceRules};

/// Tones that expect positive wording.
const POSITIVE: &[&str] = &[
    "cheerful",
    "encouraging",
    "energetic",
    "enthusiastic",
    "excited",
    "friendly",
    "fun",
    "inspirational",
    "inspiring",
    "joyful",
    "optimistic",
    "passionate",
    "playful",
    "positive",
    "upbeat",
    "uplifting",
    "warm",
    "welcoming",
];

/// Tones that expect measured, unemotional wording.
const CALM: &[&str] = &[
    "academic",
    "authoritative",
    "calm",
    "corporate",
    "factual",
    "formal",
    "informative",
    "legal",
    "measured",
    "neutral",
    "objective",
    "official",
    "professional",
    "serious",
    "sober",
    "technical",
];

/// Tones that may acknowledge a problem but must not read as negative.
const CARING: &[&str] = &[
    "caring",
    "compassionate",
    "empathetic",
    "gentle",
    "kind",
    "reassuring",
    "respectful",
    "supportive",
    "understanding",
];

/// Tones that rule out contractions, exclamation marks, slang and emoji.
const FORMAL: &[&str] = &[
    "academic",
    "corporate",
    "formal",
    "legal",
    "official",
    "professional",
];

/// Tones that hedging undercuts.
const CONFIDENT: &[&str] = &[
    "assertive",
    "authoritative",
    "bold",
    "confident",
    "decisive",
    "direct",
];

/// Informal words with a formal replacement ("" when the word should simply go).
const SLANG: &[(&str, &str)] = &[
    ("awesome", "excellent"),
    ("btw", "incidentally"),
    ("dude", ""),
    ("epic", "remarkable"),
    ("fyi", "for your information"),
    ("gonna", "going to"),
    ("gotta", "have to"),
    ("guys", "everyone"),
    ("hey", "hello"),
    ("imho", "in our view"),
    ("imo", "in our view"),
    ("kinda", "somewhat"),
    ("legit", "genuine"),
    ("lmao", ""),
    ("lol", ""),
    ("nope", "no"),
    ("omg", ""),
    ("sorta", "somewhat"),
    ("stuff", "material"),
    ("tbh", "frankly"),
    ("wanna", "want to"),
    ("y'all", "you all"),
    ("yeah", "yes"),
    ("yep", "yes"),
];

const HEDGES: &[&[&str]] = &[
    &["hopefully"],
    &["i", "guess"],
    &["i", "think"],
    &["maybe"],
    &["perhaps"],
    &["possibly"],
    &["probably"],
    &["we", "guess"],
    &["we", "think"],
];

/// Contractions that are not a stem plus a regular ending.
const WHOLE_CONTRACTIONS: &[(&str, &str)] = &[
    ("ain't", "is not"),
    ("can't", "cannot"),
    ("let's", "let us"),
    ("shan't", "shall not"),
    ("won't", "will not"),
];

const ENDINGS: &[(&str, &str)] = &[
    ("n't", " not"),
    ("'re", " are"),
    ("'ve", " have"),
    ("'ll", " will"),
    ("'m", " am"),
    ("'d", " would"),
];

/// Where "'s" stands for "is" rather than a possessive.
const IS_CONTRACTED: &[&str] = &[
    "he", "here", "how", "it", "she", "that", "there", "what", "when", "where", "who", "why",
];

/// VADER's boundary between neutral and polar.
const POLAR: f64 = 0.05;
/// Beyond this the wording is emotional rather than measured.
const STRONG: f64 = 0.6;

pub(crate) fn findings(doc: &Doc, rules: &VoiceRules, sentiment: f64, out: &mut Vec<Finding>) {
    if doc.words.is_empty() {
        return;
    }
    let tones: Vec<String> = rules.tone.iter().map(|t| t.trim().to_lowercase()).collect();
    sentiment_findings(&tones, sentiment, out);
    let calm = named(&tones, CALM);
    let exclamations = exclamations(doc);
    if !named(&tones, FORMAL).is_empty() {
        formal_findings(doc, &exclamations, out);
    } else if !calm.is_empty() && exclamations.len() > 1 {
        out.push(
            Finding::new(
                TONE_MISMATCH,
                Severity::Warning,
                format!(
                    "{} exclamation marks; the profile's tone is {}.",
                    exclamations.len(),
                    calm.join(", ")
                ),
            )
            .at(exclamations[0])
            .suggest("Keep to one exclamation mark at most.".to_owned()),
        );
    }
    if !named(&tones, CONFIDENT).is_empty() {
        hedges(doc, out);
    }
}

/// The profile's descriptors that are in `list`.
fn named<'t>(tones: &'t [String], list: &[&str]) -> Vec<&'t str> {
    tones
        .iter()
        .map(String::as_str)
        .filter(|t| list.contains(t))
        .collect()
}

fn sentiment_findings(tones: &[String], sentiment: f64, out: &mut Vec<Finding>) {
    let positive = named(tones, POSITIVE);
    if !positive.is_empty() && sentiment < POLAR {
        let (severity, reading) = if sentiment <= -POLAR {
            (Severity::Warning, "negative")
        } else {
            (Severity::Info, "neutral")
        };
        out.push(
            Finding::new(
                SENTIMENT_MISMATCH,
                severity,
                format!(
                    "Sentiment reads {reading} ({sentiment:.2}); the profile's tone is {}.",
                    positive.join(", ")
                ),
            )
            .suggest("Lead with the benefit and use warmer, more positive wording.".to_owned()),
        );
    }
    let calm = named(tones, CALM);
    if !calm.is_empty() && sentiment.abs() > STRONG {
        let direction = if sentiment > 0.0 {
            "positive"
        } else {
            "negative"
        };
        out.push(
            Finding::new(
                SENTIMENT_MISMATCH,
                Severity::Warning,
                format!(
                    "Sentiment is strongly {direction} ({sentiment:.2}); the profile's tone is {}.",
                    calm.join(", ")
                ),
            )
            .suggest("Tone down emotive words and intensifiers.".to_owned()),
        );
    }
    let caring = named(tones, CARING);
    if !caring.is_empty() && sentiment <= -POLAR {
        out.push(
            Finding::new(
                SENTIMENT_MISMATCH,
                Severity::Warning,
                format!(
                    "Sentiment reads negative ({sentiment:.2}); the profile's tone is {}.",
                    caring.join(", ")
                ),
            )
            .suggest("Acknowledge the problem, then focus on support and next steps.".to_owned()),
        );
    }
}

fn formal_findings(doc: &Doc, exclamations: &[Span], out: &mut Vec<Finding>) {
    let mismatch = |span: Span, message: String, suggestion: String| {
        Finding::new(TONE_MISMATCH, Severity::Warning, message)
            .at(span)
            .suggest(suggestion)
    };
    for (word, lower) in doc.words.iter().zip(&doc.lower).filter(|(w, _)| !w.url) {
        let span = Span::new(word.start, word.end);
        let written = doc.word(word);
        if let Some(full) = expand(written, lower) {
            out.push(mismatch(
                span,
                format!("Contraction \"{written}\" in a formal tone."),
                format!("Write \"{full}\"."),
            ));
        } else if let Some((_, replacement)) = SLANG.iter().find(|(s, _)| s == lower) {
            let suggestion = match *replacement {
                "" => format!("Remove \"{written}\"."),
                r => format!("Write \"{r}\" instead of \"{written}\"."),
            };
            out.push(mismatch(
                span,
                format!("Informal word \"{written}\" in a formal tone."),
                suggestion,
            ));
        }
    }
    for &span in exclamations {
        out.push(mismatch(
            span,
            "Exclamation mark in a formal tone.".to_owned(),
            "End the sentence with a full stop.".to_owned(),
        ));
    }
    let emoji = weight::atoms(doc.text, &doc.urls).filter(|a| a.kind == Kind::Emoji);
    for atom in emoji {
        out.push(mismatch(
            Span::new(atom.range.start, atom.range.end),
            "Emoji in a formal tone.".to_owned(),
            "Remove the emoji.".to_owned(),
        ));
    }
}

fn hedges(doc: &Doc, out: &mut Vec<Finding>) {
    let mut i = 0;
    while i < doc.words.len() {
        let hedge = HEDGES.iter().find(|h| {
            h.iter()
                .enumerate()
                .all(|(k, part)| doc.lower.get(i + k).is_some_and(|w| w == part))
        });
        let Some(hedge) = hedge else {
            i += 1;
            continue;
        };
        let span = Span::new(doc.words[i].start, doc.words[i + hedge.len() - 1].end);
        let written = &doc.text[span.start..span.end];
        out.push(
            Finding::new(
                TONE_MISMATCH,
                Severity::Info,
                format!("Hedging \"{written}\" undercuts a confident tone."),
            )
            .at(span)
            .suggest(format!("State it plainly without \"{written}\".")),
        );
        i += hedge.len();
    }
}

/// Runs of "!" outside links.
fn exclamations(doc: &Doc) -> Vec<Span> {
    let mut runs: Vec<Span> = Vec::new();
    for (i, _) in doc.text.match_indices('!') {
        if doc.has_url(i, i + 1) {
            continue;
        }
        match runs.last_mut() {
            Some(run) if run.end == i => run.end = i + 1,
            _ => runs.push(Span::new(i, i + 1)),
        }
    }
    runs
}

/// The contraction written in full ("Don't" → "Do not"), or `None` if `written` is not one.
fn expand(written: &str, lower: &str) -> Option<String> {
    let capital = written.starts_with(char::is_uppercase);
    if let Some((_, full)) = WHOLE_CONTRACTIONS.iter().find(|(c, _)| *c == lower) {
        let mut chars = full.chars();
        let first = chars.next()?;
        return Some(match capital {
            true => first.to_uppercase().chain(chars).collect(),
            false => (*full).to_owned(),
        });
    }
    let straight = written.replace('’', "'");
    let (ending, full) = ENDINGS
        .iter()
        .copied()
        .find(|(ending, _)| lower.ends_with(ending))
        .or_else(|| {
            let stem = lower.strip_suffix("'s")?;
            IS_CONTRACTED.contains(&stem).then_some(("'s", " is"))
        })?;
    let stem = &straight[..straight.len() - ending.len()];
    (!stem.is_empty()).then(|| format!("{stem}{full}"))
}
