//! `global` answers: questions about the collection as a whole ("what are the main themes")
//! are answered from the graph's communities. The communities most related to the question
//! each give a partial answer from their own evidence (map), and the partial answers are
//! combined into one, with citations numbered across all of them (reduce).

use super::compose::{NOT_FOUND, compose};
use super::context::{ContextChunk, number};
use super::{Citation, cite};
use crate::Research;
use crate::highlight::{stem, terms};
use plasma_core::{Completion, Message, PortError, PortResult, SearchHit};
use std::collections::HashMap;

/// Communities an answer draws on, and evidence chunks per community.
const COMMUNITIES: usize = 4;
const CHUNKS_PER_COMMUNITY: usize = 4;

pub async fn answer(
    research: &Research,
    tenant: &str,
    question: &str,
) -> PortResult<(String, Vec<Citation>, Vec<ContextChunk>)> {
    let graph = research.graphs.graph(tenant).await?;
    let communities = {
        let graph = graph.clone();
        tokio::task::spawn_blocking(move || graph.communities())
            .await
            .map_err(PortError::backend)?
    };
    let stems: Vec<String> = terms(question).iter().map(|t| stem(t)).collect();
    let mut ranked: Vec<(f32, usize)> = communities
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let text = format!("{} {} {}", c.title, c.summary, c.entities.join(" ")).to_lowercase();
            let matched = stems.iter().filter(|s| text.contains(s.as_str())).count() as f32;
            (matched * 10.0 + (c.rank as f32).ln_1p(), i)
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let chosen: Vec<usize> = ranked.iter().take(COMMUNITIES).map(|(_, i)| *i).collect();

    let wanted: Vec<String> = chosen
        .iter()
        .flat_map(|&i| {
            communities[i]
                .chunk_ids
                .iter()
                .take(CHUNKS_PER_COMMUNITY)
                .cloned()
        })
        .collect();
    let stored = research.chunks.get_many(tenant, &wanted).await?;
    let mut doc_ids: Vec<String> = stored.values().map(|c| c.document_id.clone()).collect();
    doc_ids.sort();
    doc_ids.dedup();
    let titles: HashMap<String, String> = research
        .documents
        .get_many(tenant, &doc_ids)
        .await?
        .into_iter()
        .map(|d| (d.id, d.title))
        .collect();

    // One numbered context across communities; each community knows its slice.
    let mut hits = Vec::new();
    let mut slices = Vec::new();
    for &i in &chosen {
        let start = hits.len();
        for id in communities[i].chunk_ids.iter().take(CHUNKS_PER_COMMUNITY) {
            let Some(c) = stored.get(id) else { continue };
            let Some(title) = titles.get(&c.document_id) else {
                continue;
            };
            hits.push((
                SearchHit {
                    document_id: c.document_id.clone(),
                    chunk_id: c.id.clone(),
                    title: title.clone(),
                    text: c.text.clone(),
                    heading: c.heading.clone(),
                    page: c.page,
                    score: communities[i].rank as f32,
                },
                "community".to_string(),
            ));
        }
        slices.push((i, start, hits.len()));
    }
    let context = number(hits);

    let mut partials = Vec::new();
    for &(i, start, end) in &slices {
        if start == end {
            continue;
        }
        let community = &communities[i];
        let partial = match &research.models.llm {
            Some(llm) => {
                let mut passages = format!(
                    "Community: {}\nSummary: {}\n\n",
                    community.title, community.summary
                );
                for c in &context[start..end] {
                    passages.push_str(&format!("[{}] {} — {}\n\n", c.n, c.title, c.text));
                }
                llm.complete(Completion {
                    system: Some("From the passages, state the points relevant to the question, citing passage numbers like [3]. Answer NONE if nothing is relevant.".into()),
                    messages: vec![Message::user(format!("{passages}Question: {question}"))],
                    max_tokens: 400,
                    temperature: 0.0,
                })
                .await?
                .text
            }
            None => {
                let (text, _) = compose(question, &context[start..end], &community.entities);
                if text == NOT_FOUND {
                    continue;
                }
                // The composer numbered within the slice; shift to the shared numbering.
                shift(&text, start)
            }
        };
        if partial.trim() != "NONE" && !partial.trim().is_empty() {
            partials.push(format!("**{}**: {}", community.title, partial.trim()));
        }
    }
    if partials.is_empty() {
        return Ok((NOT_FOUND.to_string(), Vec::new(), context));
    }
    let combined = match &research.models.llm {
        Some(llm) if partials.len() > 1 => {
            llm.complete(Completion {
                system: Some("Combine the partial answers into one answer to the question. Keep every citation marker like [3] exactly as given; do not invent new ones.".into()),
                messages: vec![Message::user(format!("Partial answers:\n\n{}\n\nQuestion: {question}", partials.join("\n\n")))],
                max_tokens: 800,
                temperature: 0.0,
            })
            .await?
            .text
        }
        _ => partials.join("\n\n"),
    };
    let (answer, citations) = cite(&combined, &context);
    Ok((answer, citations, context))
}

/// Adds `by` to every `[n]` marker.
fn shift(text: &str, by: usize) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..=open]);
        let after = &rest[open + 1..];
        match after
            .find(']')
            .and_then(|c| after[..c].parse::<usize>().ok().map(|n| (c, n)))
        {
            Some((c, n)) => {
                out.push_str(&(n + by).to_string());
                rest = &after[c..];
            }
            None => rest = after,
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn shifts_markers() {
        assert_eq!(super::shift("a [1]. b [2][3].", 4), "a [5]. b [6][7].");
    }
}
