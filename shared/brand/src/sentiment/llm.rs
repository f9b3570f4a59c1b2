//! Sentiment from an LLM: one request per batch of at most [`BATCH`] texts, asking for a JSON
//! array of `{"compound": x}` with x in [-1, 1], one per text in order.
//!
//! The answer is checked against that schema as a whole. A failed call, text that is not such
//! an array, a wrong number of entries, or any missing, non-numeric or out-of-range score
//! makes the whole batch fall back to the built-in analyser, with a warning: scores in one
//! batch then come from one analyser, and a partly garbled answer (entries shifted by one) is
//! never trusted entry by entry.

use futures::{StreamExt, stream};
use plasma_core::{Completion, Llm, Message};
use serde::Deserialize;

/// Texts per request: keeps prompts and answers of typical (short) mentions well inside small
/// models' context and output limits. A batch of very long texts that a model refuses falls
/// back like any failed call.
const BATCH: usize = 50;
/// Batches in flight at once: a full request (1000 texts, 20 batches) then takes about five
/// model calls' time, inside API Gateway's 30 seconds, without a burst that invites throttling.
const CONCURRENCY: usize = 4;
/// About 10 tokens per `{"compound": -0.25},` entry, with room to spare.
const TOKENS_PER_TEXT: u32 = 16;

const SYSTEM: &str = "You score the sentiment of texts. Reply with only a JSON array, no prose: \
one object {\"compound\": number} per input text, in input order, where the number is between \
-1 (most negative) and 1 (most positive) and 0 is neutral.";

#[derive(Deserialize)]
struct Entry {
    compound: f64,
}

pub(super) async fn compounds(model: &dyn Llm, texts: &[String]) -> Vec<f64> {
    // Futures of a named async fn rather than a closure's: the stream then stays `Send`.
    let batches: Vec<_> = texts
        .chunks(BATCH)
        .map(|batch| score_or_fall_back(model, batch))
        .collect();
    // `buffered` keeps batch order.
    let scores: Vec<Vec<f64>> = stream::iter(batches).buffered(CONCURRENCY).collect().await;
    scores.concat()
}

async fn score_or_fall_back(model: &dyn Llm, batch: &[String]) -> Vec<f64> {
    match score_batch(model, batch).await {
        Ok(scores) => scores,
        Err(reason) => {
            tracing::warn!(model = model.model(), texts = batch.len(), %reason,
                "LLM sentiment unusable; scored the batch with the built-in analyser");
            super::built_in(batch)
        }
    }
}

async fn score_batch(model: &dyn Llm, batch: &[String]) -> Result<Vec<f64>, String> {
    // The texts travel as a JSON array, so quotes or newlines inside one cannot blur the
    // boundary between texts.
    let texts = serde_json::to_string(batch).map_err(|e| e.to_string())?;
    let request = Completion {
        system: Some(SYSTEM.into()),
        messages: vec![Message::user(format!("Texts: {texts}"))],
        max_tokens: TOKENS_PER_TEXT * batch.len() as u32 + 64,
        temperature: 0.0,
    };
    let output = model.complete(request).await.map_err(|e| e.to_string())?;
    parse(&output.text, batch.len())
}

fn parse(answer: &str, expected: usize) -> Result<Vec<f64>, String> {
    let entries: Vec<Entry> =
        serde_json::from_str(answer.trim()).map_err(|e| format!("not the JSON asked for: {e}"))?;
    if entries.len() != expected {
        return Err(format!("{} scores for {expected} texts", entries.len()));
    }
    entries
        .into_iter()
        .map(|e| match e.compound {
            c if (-1.0..=1.0).contains(&c) => Ok(c),
            c => Err(format!("score {c} outside [-1, 1]")),
        })
        .collect()
}
