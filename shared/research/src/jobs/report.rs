//! The research report: one section per sub-question, citations renumbered across the whole
//! report, and a sources list at the end.
//!
//! Everything but the report's own structure came from a person or a document (questions,
//! answers quoting documents, entity names in sub-questions, document titles), so it is
//! escaped: a document cannot add links, images or HTML to a report someone will render.

use super::{Job, SubAnswer};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

pub(super) fn render(job: &Job, answers: &[SubAnswer], now: DateTime<Utc>) -> String {
    let mut out = format!("# {}\n\n", text(&one_line(&job.question)));
    out.push_str(&format!(
        "_Research report generated {} by {} from {} sub-questions._\n\n",
        now.format("%Y-%m-%d %H:%M UTC"),
        text(&job.provider),
        answers.len()
    ));
    let mut sources: Vec<&super::StoredCitation> = Vec::new();
    let mut numbers: HashMap<&str, usize> = HashMap::new();
    for (i, a) in answers.iter().enumerate() {
        out.push_str(&format!(
            "## {}. {}\n\n",
            i + 1,
            text(&one_line(&a.question))
        ));
        // Escaped first, so the answer's own citation markers are the escaped `\[n\]`.
        let mut answer = text(&a.answer);
        // Local numbers first to placeholders, so "[1]"→"[3]" cannot be rewritten again.
        for (local, c) in a.citations.iter().enumerate() {
            let n = *numbers.entry(c.chunk_id.as_str()).or_insert_with(|| {
                sources.push(c);
                sources.len()
            });
            answer = answer.replace(&format!("\\[{}\\]", local + 1), &format!("[\u{0}{n}]"));
        }
        out.push_str(&answer.replace('\u{0}', ""));
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
            text(&one_line(&c.title)),
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

/// `raw` as literal Markdown text: every ASCII punctuation character that can start a link,
/// image, emphasis, code, HTML, an entity, a table or a heading is backslash-escaped
/// (CommonMark: any ASCII punctuation may be), so it renders as written.
fn text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if matches!(
            c,
            '\\' | '`'
                | '*'
                | '_'
                | '['
                | ']'
                | '('
                | ')'
                | '<'
                | '>'
                | '#'
                | '!'
                | '|'
                | '~'
                | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
