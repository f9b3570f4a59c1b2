//! The built-in sentiment analyser: VADER's lexicon and rules (Hutto & Gilbert, ICWSM 2014),
//! with additions for social-media text: HTML entities, case-sensitive and glued emoticons,
//! elongated words and laughter, a little slang, handles as names, negation scoped to its
//! sentence, plain questions weighed less, "can't wait". Plus sentiment towards one named
//! target. No model download: the lexicon is compiled in and indexed once.

mod lexicon;
pub mod metrics;
mod normalize;
mod rules;
mod score;
mod targeted;
mod tokenize;

use std::cell::RefCell;

pub use score::{Label, Score};

use tokenize::Tokens;

/// Reusable buffers: analysing many texts with one `Analyzer` does not allocate per text.
#[derive(Default)]
pub struct Analyzer {
    tokens: Tokens,
    valences: Vec<f64>,
}

impl Analyzer {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn analyse(&mut self, text: &str) -> Score {
        self.tokens.tokenize(text);
        rules::valences(&self.tokens, &mut self.valences);
        rules::contrast(&self.tokens, &mut self.valences);
        let (bangs, qmarks) = self.tokens.items.iter().fold((0, 0), |(b, q), t| {
            (b + u32::from(t.bangs), q + u32::from(t.qmarks))
        });
        Score::from_valences(&self.valences, bangs, qmarks)
    }

    /// Sentiment of the clauses that mention any of `targets` (case-insensitive words or
    /// phrases; a leading `@` or `#` in the text is ignored); `None` if none is mentioned.
    pub fn score_for(&mut self, text: &str, targets: &[&str]) -> Option<Score> {
        self.tokens.tokenize(text);
        rules::valences(&self.tokens, &mut self.valences);
        targeted::score(&self.tokens, &self.valences, targets)
    }
}

thread_local! {
    static ANALYZER: RefCell<Analyzer> = RefCell::new(Analyzer::new());
}

/// Sentiment of `text`, using a per-thread [`Analyzer`].
pub fn analyse(text: &str) -> Score {
    ANALYZER.with_borrow_mut(|a| a.analyse(text))
}

/// Sentiment towards `targets` in `text` (see [`Analyzer::score_for`]).
pub fn score_for(text: &str, targets: &[&str]) -> Option<Score> {
    ANALYZER.with_borrow_mut(|a| a.score_for(text, targets))
}
