//! The report as Markdown: the numbers in tables, the charts left to the HTML version
//! (Markdown viewers commonly strip inline SVG and `data:` images, and the tables carry the
//! same data).

use super::format::{bhi, bhi_change, change, count, day, percent, safe_link};
use super::model::{Report, TopMention};
use crate::mentions::{Ranked, SentimentLabel};
use std::fmt::Write;

/// Text safe inside a Markdown table cell: HTML is neutralised (viewers render raw HTML),
/// the characters that start emphasis, links or cells are backslash-escaped, and line
/// breaks, which would end the row, become spaces.
fn text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A link for http(s) URLs; anything else is shown as escaped text and is not clickable.
fn link(label: &str, url: &str) -> String {
    match safe_link(url) {
        // Parentheses would end the destination early.
        Some(url) => format!(
            "[{}]({})",
            text(label),
            url.replace('(', "%28").replace(')', "%29")
        ),
        None => text(label),
    }
}

pub(crate) fn sentiment_name(label: SentimentLabel) -> &'static str {
    match label {
        SentimentLabel::Positive => "positive",
        SentimentLabel::Neutral => "neutral",
        SentimentLabel::Negative => "negative",
    }
}

fn optional(n: Option<u64>) -> String {
    n.map_or_else(|| "–".into(), count)
}

fn ranked(out: &mut String, heading: &str, column: &str, rows: &[Ranked]) {
    let _ = writeln!(out, "\n### {heading}\n");
    if rows.is_empty() {
        out.push_str("None in this period.\n");
        return;
    }
    let _ = writeln!(out, "| {column} | Mentions |\n|---|---:|");
    for r in rows {
        let _ = writeln!(out, "| {} | {} |", text(&r.name), count(r.count));
    }
}

fn mention_row(out: &mut String, rank: usize, m: &TopMention) {
    let _ = writeln!(
        out,
        "| {rank} | {} | {} | {} | {} | {} | {} | {} |",
        link(&m.excerpt, &m.url),
        m.author.as_deref().map_or_else(|| "–".into(), text),
        text(&m.source),
        m.published_at.format("%Y-%m-%d %H:%M"),
        sentiment_name(m.sentiment),
        optional(m.reach),
        optional(m.engagement),
    );
}

pub fn render_markdown(report: &Report) -> String {
    let h = &report.headline;
    let (now, before) = (&h.current, &h.previous);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Reputation report: {}\n\n{} ({}), compared with the previous period of the same length. Generated {}.\n",
        text(&report.monitor_name),
        report.period(),
        text(&report.time_zone),
        report.created_at.format("%Y-%m-%d %H:%M UTC"),
    );
    // Relative: the HTML is stored beside this file under the same report id.
    let _ = writeln!(
        out,
        "Charts: see the HTML version of this report, [{id}.html]({id}.html).",
        id = report.id
    );
    if report.truncated {
        out.push_str(
            "\n> This period had more mentions than a report reads; figures are lower bounds.\n",
        );
    }
    out.push_str("\n## Headline\n\n| Metric | This period | Previous period | Change |\n|---|---:|---:|---:|\n");
    let _ = writeln!(
        out,
        "| Mentions | {} | {} | {} |",
        count(now.mentions),
        count(before.mentions),
        change(h.mentions_change)
    );
    let _ = writeln!(
        out,
        "| Brand health index (0–100) | {} | {} | {} |",
        bhi(now.brand_health_index),
        bhi(before.brand_health_index),
        bhi_change(h.brand_health_change)
    );
    let _ = writeln!(
        out,
        "| Reach | {} | {} | |\n| Engagement | {} | {} | |",
        count(now.reach),
        count(before.reach),
        count(now.engagement),
        count(before.engagement)
    );
    out.push_str("\n## Sentiment\n\n| Sentiment | Mentions | Share |\n|---|---:|---:|\n");
    for (label, n) in [
        (SentimentLabel::Positive, now.sentiment.positive),
        (SentimentLabel::Neutral, now.sentiment.neutral),
        (SentimentLabel::Negative, now.sentiment.negative),
    ] {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            sentiment_name(label),
            count(n),
            percent(h.sentiment_percent(label))
        );
    }
    out.push_str("\n## Mentions per day\n\n| Day | Mentions | Positive | Neutral | Negative |\n|---|---:|---:|---:|---:|\n");
    for d in &report.days {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            day(d.date),
            count(d.mentions),
            count(d.sentiment.positive),
            count(d.sentiment.neutral),
            count(d.sentiment.negative)
        );
    }
    out.push_str("\n## Share of voice\n\n| Brand | Mentions | Share |\n|---|---:|---:|\n");
    for v in &report.share_of_voice {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            text(&v.name),
            count(v.mentions),
            percent(v.percent)
        );
    }
    out.push_str("\n## Top mentions\n\n");
    if report.top_mentions.is_empty() {
        out.push_str("None in this period.\n");
    } else {
        out.push_str("| # | Mention | Author | Source | Published | Sentiment | Reach | Engagement |\n|---:|---|---|---|---|---|---:|---:|\n");
        for (i, m) in report.top_mentions.iter().enumerate() {
            mention_row(&mut out, i + 1, m);
        }
    }
    out.push_str("\n## Top sources, authors and terms\n");
    ranked(&mut out, "Sources", "Source", &report.top_sources);
    ranked(&mut out, "Authors", "Author", &report.top_authors);
    ranked(&mut out, "Terms", "Term", &report.top_terms);
    out
}
