//! Sentiment scoring for brand mentions and `POST /brand/sentiment`: the built-in analyser
//! (plasma-sentiment, VADER) or, where the platform has a model and the tenant chose it, an
//! LLM ([`llm`]). Each tenant's choice is stored with the tenant ([`choice`]).

mod choice;
mod llm;

pub use choice::{SentimentChoice, TenantSettings, TenantSettingsStore};

use plasma_core::Llm;
use plasma_sentiment::Analyzer;
use std::sync::Arc;

/// What scores a batch of texts.
#[derive(Clone)]
pub enum SentimentProvider {
    BuiltIn,
    Llm(Arc<dyn Llm>),
}

impl SentimentProvider {
    /// One compound score in [-1, 1] per text, in order. Never fails: a model that errs or
    /// answers out of schema costs that batch its LLM scores, not the request or the scan
    /// job (see [`llm`]).
    pub async fn compounds(&self, texts: &[String]) -> Vec<f64> {
        match self {
            SentimentProvider::BuiltIn => built_in(texts),
            SentimentProvider::Llm(model) => llm::compounds(model.as_ref(), texts).await,
        }
    }
}

fn built_in(texts: &[String]) -> Vec<f64> {
    let mut analyzer = Analyzer::new();
    texts.iter().map(|t| analyzer.analyse(t).compound).collect()
}

#[cfg(test)]
mod tests;
