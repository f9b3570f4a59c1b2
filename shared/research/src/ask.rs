//! Answers with citations. Three ways to gather context — `naive` (hybrid retrieval),
//! `local` (GraphRAG: the question's entities, their graph neighbourhood and its evidence
//! chunks, fused with retrieval), `global` (communities of the graph, map-reduce) — and two
//! ways to write the answer: the configured LLM, or the built-in extractive composer that
//! picks the context's best sentences and cites each.

mod compose;
mod context;
mod global;
mod prompt;
mod sentences;

use crate::Research;
use plasma_core::PortResult;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use compose::compose;
pub use context::{ContextChunk, gather};
pub use sentences::split_sentences;

/// The provider name answers carry when no model is configured.
pub const BUILTIN_PROVIDER: &str = "builtin-extractive";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "lowercase")]
pub enum AskMode {
    #[default]
    Naive,
    Local,
    Global,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Citation {
    /// The number the answer cites it by (`[n]`).
    pub n: usize,
    pub chunk_id: String,
    pub document_id: String,
    pub title: String,
    /// The cited chunk's text.
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Answer {
    pub answer: String,
    pub citations: Vec<Citation>,
    /// Who wrote the answer: `builtin-extractive`, or `<provider>:<model>`.
    pub provider: String,
    pub mode: AskMode,
    /// The context the answer was written from, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<Vec<ContextChunk>>,
}

/// Answers `question` from the tenant's documents.
pub async fn ask(
    research: &Research,
    tenant: &str,
    question: &str,
    mode: AskMode,
    include_context: bool,
) -> PortResult<Answer> {
    let (answer, citations, context) = match mode {
        AskMode::Global => global::answer(research, tenant, question).await?,
        _ => {
            let gathered = gather(research, tenant, question, mode).await?;
            let (answer, citations) =
                write(research, question, &gathered.chunks, &gathered.focus).await?;
            (answer, citations, gathered.chunks)
        }
    };
    Ok(Answer {
        answer,
        citations,
        provider: research.provider(),
        mode,
        context: include_context.then_some(context),
    })
}

/// Writes an answer from numbered context, with the model when one is configured.
pub(crate) async fn write(
    research: &Research,
    question: &str,
    context: &[ContextChunk],
    focus: &[String],
) -> PortResult<(String, Vec<Citation>)> {
    match &research.models.llm {
        Some(llm) => prompt::answer(llm.as_ref(), question, context).await,
        None => Ok(compose(question, context, focus)),
    }
}

/// The citations an answer's `[n]` markers name, renumbered in order of first use, with the
/// answer's markers rewritten to match.
pub(crate) fn cite(answer: &str, context: &[ContextChunk]) -> (String, Vec<Citation>) {
    let mut order: Vec<usize> = Vec::new();
    let mut out = String::with_capacity(answer.len());
    let mut rest = answer;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find(']');
        let number = close.and_then(|c| after[..c].trim().parse::<usize>().ok());
        match (close, number) {
            (Some(c), Some(n)) if n >= 1 && n <= context.len() => {
                let position = match order.iter().position(|&o| o == n) {
                    Some(p) => p,
                    None => {
                        order.push(n);
                        order.len() - 1
                    }
                };
                out.push_str(&format!("[{}]", position + 1));
                rest = &after[c + 1..];
            }
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    let citations = order
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            let c = &context[n - 1];
            Citation {
                n: i + 1,
                chunk_id: c.chunk_id.clone(),
                document_id: c.document_id.clone(),
                title: c.title.clone(),
                text: c.text.clone(),
                heading: c.heading.clone(),
                page: c.page,
            }
        })
        .collect();
    (out, citations)
}
