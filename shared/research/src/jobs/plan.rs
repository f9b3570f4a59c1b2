//! Sub-questions for a research job: the LLM's, when one is configured (a JSON array, checked),
//! otherwise a heuristic — the question itself, its conjoined parts, and a question about
//! each entity of the knowledge graph it names.

use crate::Research;
use plasma_core::{Completion, Message, PortResult};

pub async fn plan(research: &Research, tenant: &str, question: &str) -> PortResult<Vec<String>> {
    let max = research.settings.max_subquestions.max(1);
    if let Some(llm) = &research.models.llm {
        let output = llm
            .complete(Completion {
                system: Some(format!("Break the research question into at most {max} self-contained search questions. Reply with a JSON array of strings only.")),
                messages: vec![Message::user(question.to_string())],
                max_tokens: 400,
                temperature: 0.0,
            })
            .await?;
        if let Some(questions) = parse_list(&output.text) {
            return Ok(finish(question, questions, max));
        }
        tracing::warn!("the model's plan was not a JSON array of strings; planning heuristically");
    }
    let graph = research.graphs.graph(tenant).await?;
    let mut questions: Vec<String> = split_parts(question);
    for id in graph.entities_in(question) {
        if let Some(entity) = graph.entity(&id) {
            questions.push(format!("What is {}?", entity.name));
        }
    }
    Ok(finish(question, questions, max))
}

/// The question first, then distinct others, at most `max`.
fn finish(question: &str, others: Vec<String>, max: usize) -> Vec<String> {
    let mut out = vec![question.trim().to_string()];
    for q in others {
        let q = q.trim().to_string();
        if !q.is_empty() && !out.iter().any(|o| o.eq_ignore_ascii_case(&q)) {
            out.push(q);
        }
    }
    out.truncate(max);
    out
}

fn parse_list(text: &str) -> Option<Vec<String>> {
    let start = text.find('[')?;
    let end = text.rfind(']')?;
    serde_json::from_str::<Vec<String>>(text.get(start..=end)?).ok()
}

/// "How do X and Y compare, and what limits Z?" → its clauses, each as its own question.
fn split_parts(question: &str) -> Vec<String> {
    let q = question.trim().trim_end_matches('?');
    let parts: Vec<&str> = q
        .split([',', ';'])
        .flat_map(|p| p.split(" and "))
        .map(str::trim)
        .filter(|p| p.split_whitespace().count() >= 3)
        .collect();
    if parts.len() < 2 {
        return Vec::new();
    }
    parts.into_iter().map(|p| format!("{p}?")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heuristic_parts_and_model_lists() {
        assert_eq!(
            split_parts(
                "What limits wing flutter, and how is boundary layer transition predicted?"
            ),
            [
                "What limits wing flutter?",
                "how is boundary layer transition predicted?"
            ]
        );
        assert_eq!(
            parse_list("Sure:\n```json\n[\"a\", \"b\"]\n```"),
            Some(vec!["a".into(), "b".into()])
        );
        assert_eq!(
            finish("Q?", vec!["q?".into(), "R?".into()], 5),
            ["Q?", "R?"]
        );
    }
}
