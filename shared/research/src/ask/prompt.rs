//! Answers written by the configured LLM: the numbered context in the prompt, an
//! instruction to cite by number, and the markers it used turned into citations.

use super::context::ContextChunk;
use super::{Citation, cite};
use plasma_core::{Completion, Llm, Message, PortResult};

const SYSTEM: &str = "You answer questions using only the numbered context passages. \
Cite every claim with the passage numbers in square brackets, like [1] or [2][3]. \
If the passages do not contain the answer, say that the documents do not answer the question. \
Be concise.";

pub async fn answer(
    llm: &dyn Llm,
    question: &str,
    context: &[ContextChunk],
) -> PortResult<(String, Vec<Citation>)> {
    let output = llm.complete(request(question, context)).await?;
    Ok(cite(output.text.trim(), context))
}

pub fn request(question: &str, context: &[ContextChunk]) -> Completion {
    let mut passages = String::new();
    for (i, c) in context.iter().enumerate() {
        passages.push_str(&format!("[{}] {} — {}\n\n", i + 1, c.title, c.text));
    }
    Completion {
        system: Some(SYSTEM.to_string()),
        messages: vec![Message::user(format!(
            "Context:\n\n{passages}Question: {question}"
        ))],
        max_tokens: 800,
        temperature: 0.0,
    }
}
