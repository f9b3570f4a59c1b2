//! The research report: one section per sub-question, citations renumbered across the whole
//! report, and a sources list at the end.

use super::{Job, SubAnswer};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

pub(super) fn render(job: &Job, answers: &[SubAnswer], now: DateTime<Utc>) -> String {
    let mut out = format!("# {}\n\n", one_line(&job.question));
    out.push_str(&format!(
        "_Research report generated {} by {} from {} sub-questions._\n\n",
        now.format("%Y-%m-%d %H:%M UTC"),
        job.provider,
        answers.len()
    ));
    let mut sources: Vec<&super::StoredCitation> = Vec::new();
    let mut numbers: HashMap<&str, usize> = HashMap::new();
    for (i, a) in answers.iter().enumerate() {
        out.push_str(&format!("## {}. {}\n\n", i + 1, one_line(&a.question)));
        let mut text = a.answer.clone();
        // Local numbers first to placeholders, so "[1]"→"[3]" cannot be rewritten again.
        for (local, c) in a.citations.iter().enumerate() {
            let n = *numbers.entry(c.chunk_id.as_str()).or_insert_with(|| {
                sources.push(c);
                sources.len()
            });
            text = text.replace(&format!("[{}]", local + 1), &format!("[\u{0}{n}]"));
        }
        out.push_str(&text.replace('\u{0}', ""));
        out.push_str("\n\n");
    }
    out.push_str("## Sources\n\n");
    if sources.is_empty() {
        out.push_str("No document answered these questions.\n");
    }
    for (i, c) in sources.iter().enumerate() {
        let page = c.page.map(|p| format!(", page {p}")).unwrap_or_default();
        out.push_str(&format!(
            "{}. {} (document `{}`, chunk `{}`{page})\n",
            i + 1,
            one_line(&c.title),
            c.document_id,
            c.chunk_id
        ));
    }
    out
}

/// Markdown headings and list items end at a newline.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
