//! The check: every rule over one draft, scored.

use std::sync::{LazyLock, Mutex};

use plasma_sentiment::Analyzer;

use crate::readability;
use crate::text::Doc;
use crate::{
    Channel, Measure, Report, Severity, Stats, VoiceRules, claims, hashtags, limits, passive,
    score, terms, tone, weight,
};

/// What to check.
#[derive(Debug, Clone, Copy)]
pub struct CheckInput<'a> {
    pub text: &'a str,
    pub channel: Channel,
    /// Without a profile, only the rules that need none run (sentence length, passive
    /// voice, claims, channel limits and default hashtag maximums).
    pub rules: Option<&'a VoiceRules>,
    /// Sources the draft cites (its "[n]" markers resolve to 1..=citations); 0 if unknown.
    pub citations: usize,
    /// The posts of a thread, when `text` is one: `text` is then the parts joined by
    /// [`THREAD_SEPARATOR`], the voice rules apply to the whole, and the channel's length
    /// limit to each part.
    pub thread: Option<&'a [String]>,
}

/// What joins a thread's parts into the text that is checked.
pub const THREAD_SEPARATOR: &str = "\n\n";

impl<'a> CheckInput<'a> {
    pub fn new(text: &'a str, channel: Channel) -> Self {
        Self {
            text,
            channel,
            rules: None,
            citations: 0,
            thread: None,
        }
    }

    pub fn with_rules(self, rules: &'a VoiceRules) -> Self {
        Self {
            rules: Some(rules),
            ..self
        }
    }

    pub fn with_citations(self, citations: usize) -> Self {
        Self { citations, ..self }
    }

    /// Checks `joined` (the parts joined by [`THREAD_SEPARATOR`]) as a thread of `parts`.
    pub fn with_thread(self, parts: &'a [String]) -> Self {
        Self {
            thread: Some(parts),
            ..self
        }
    }
}

/// Runs checks; holds the sentiment analyser's buffers so checks reuse them.
pub struct Checker {
    analyzer: Mutex<Analyzer>,
}

impl Default for Checker {
    fn default() -> Self {
        Self::new()
    }
}

impl Checker {
    pub fn new() -> Self {
        Self {
            analyzer: Mutex::new(Analyzer::new()),
        }
    }

    pub fn check(&self, input: &CheckInput) -> Report {
        let text = input.text;
        let rules = input.rules;
        let doc = Doc::new(text);
        let mut findings = Vec::new();

        if let Some(rules) = rules {
            terms::findings(text, rules, &mut findings);
        }
        let readability = readability::measure(&doc);
        readability::findings(&doc, &readability, rules, &mut findings);
        let passive = passive::find(&doc);
        passive::findings(&doc, &passive, &mut findings);
        let sentiment = self.sentiment(text);
        if let Some(rules) = rules {
            tone::findings(&doc, rules, sentiment, &mut findings);
        }
        claims::findings(&doc, input.citations, &mut findings);
        let hashtags = hashtags::find(&doc);
        let thread = match input.thread {
            Some(parts) => {
                limits::part_findings(&doc, input.channel, parts, &mut findings);
                limits::other_findings(&doc, input.channel, rules, &hashtags, &mut findings);
                None
            }
            None => limits::findings(&doc, input.channel, rules, &hashtags, &mut findings),
        };

        score::sort(&mut findings);
        let stats = Stats {
            words: doc.words.len(),
            sentences: doc.sentences.len(),
            characters: text.chars().count(),
            weighted_length: weight::length(Measure::XWeighted, text, &doc.urls),
            flesch_kincaid_grade: round(readability.grade, 2),
            flesch_reading_ease: round(readability.ease, 2),
            hashtags: hashtags.len(),
            sentiment: round(sentiment, 4),
            passive_sentences: passive.len(),
            thread_parts: input
                .thread
                .map(<[String]>::len)
                .or(thread.as_ref().map(Vec::len)),
        };
        Report {
            score: score::score(&findings),
            passed: !findings.iter().any(|f| f.severity == Severity::Error),
            findings,
            stats,
            thread,
        }
    }

    fn sentiment(&self, text: &str) -> f64 {
        // The analyser holds only scratch buffers: a check that finds it busy (or
        // poisoned) uses a fresh one rather than waiting.
        match self.analyzer.try_lock() {
            Ok(mut analyzer) => analyzer.analyse(text).compound,
            Err(_) => Analyzer::new().analyse(text).compound,
        }
    }
}

/// Checks with a process-wide [`Checker`].
pub fn check(input: &CheckInput) -> Report {
    static CHECKER: LazyLock<Checker> = LazyLock::new(Checker::new);
    CHECKER.check(input)
}

fn round(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (value * scale).round() / scale
}
