//! The report as one self-contained HTML page: inline CSS, inline SVG charts, no scripts
//! and no external requests, so it can be mailed, downloaded or opened offline. Every
//! user-derived string is escaped, links are http(s) only, and a restrictive
//! Content-Security-Policy backs that up should anything slip through. Void elements are
//! self-closed so the page is also well-formed XML, which the tests check.

use super::format::{bhi, bhi_change, change, count, day, escape, percent, safe_link};
use super::markdown::sentiment_name;
use super::model::{Report, TopMention};
use super::svg;
use crate::mentions::{Ranked, SentimentLabel};
use std::fmt::Write;

/// The page's Content-Security-Policy, in its `<meta>` and for whoever serves it as a header:
/// no scripts, no external requests, inline styles only.
pub const HTML_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const STYLE: &str = "\
body{margin:0;padding:16px;font:15px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;color:#24292f;background:#fff}\
main{max-width:860px;margin:0 auto}\
h1{font-size:1.5em;margin:0 0 4px}h2{font-size:1.15em;margin:28px 0 8px;border-bottom:1px solid #d0d7de}\
.meta{color:#57606a;margin:0 0 16px}.note{background:#fff8c5;padding:8px 12px;border-radius:6px}\
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px}\
.card{border:1px solid #d0d7de;border-radius:8px;padding:10px 12px}\
.card .label{color:#57606a;font-size:.85em}.card .value{font-size:1.6em;font-weight:600}\
.card .delta{font-size:.85em;color:#57606a}\
figure{margin:0 0 16px}figcaption{font-weight:600;margin-bottom:4px}\
svg{display:block;width:100%;max-width:640px;height:auto}\
.table{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.92em}\
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #d0d7de;vertical-align:top}\
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\
.positive{color:#1a7f37}.neutral{color:#57606a}.negative{color:#cf222e}\
.lists{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:16px}\
a{color:#0969da;overflow-wrap:anywhere}";

fn card(out: &mut String, label: &str, value: &str, delta: &str) {
    let _ = write!(
        out,
        r#"<div class="card"><div class="label">{}</div><div class="value">{}</div><div class="delta">{}</div></div>"#,
        escape(label),
        escape(value),
        escape(delta)
    );
}

fn figure(out: &mut String, caption: &str, svg: &str) {
    let _ = write!(
        out,
        "<figure><figcaption>{}</figcaption>{svg}</figure>",
        escape(caption)
    );
}

fn ranked(out: &mut String, heading: &str, rows: &[Ranked]) {
    let _ = write!(out, "<section><h3>{}</h3>", escape(heading));
    if rows.is_empty() {
        out.push_str("<p>None in this period.</p></section>");
        return;
    }
    out.push_str(
        r#"<table><thead><tr><th>Name</th><th class="num">Mentions</th></tr></thead><tbody>"#,
    );
    for r in rows {
        let _ = write!(
            out,
            r#"<tr><td>{}</td><td class="num">{}</td></tr>"#,
            escape(&r.name),
            count(r.count)
        );
    }
    out.push_str("</tbody></table></section>");
}

fn optional(n: Option<u64>) -> String {
    n.map_or_else(|| "–".into(), count)
}

fn mention_row(out: &mut String, rank: usize, m: &TopMention) {
    let text = match safe_link(&m.url) {
        // noopener/noreferrer: the report must not hand the linked site a handle on itself.
        Some(url) => format!(
            r#"<a href="{}" rel="noopener noreferrer nofollow">{}</a>"#,
            escape(&url),
            escape(&m.excerpt)
        ),
        None => escape(&m.excerpt),
    };
    let label = sentiment_name(m.sentiment);
    let _ = write!(
        out,
        r#"<tr><td class="num">{rank}</td><td>{text}</td><td>{}</td><td>{}</td><td class="num">{}</td><td class="{label}">{label}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
        m.author.as_deref().map_or_else(|| "–".into(), escape),
        escape(&m.source),
        m.published_at.format("%Y-%m-%d %H:%M"),
        optional(m.reach),
        optional(m.engagement),
    );
}

pub fn render_html(report: &Report) -> String {
    let h = &report.headline;
    let (now, before) = (&h.current, &h.previous);
    let name = escape(&report.monitor_name);
    let period = report.period();
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/><meta http-equiv="Content-Security-Policy" content="{HTML_CSP}"/><title>Reputation report: {name}, {p}</title><style>{STYLE}</style></head><body><main><h1>Reputation report: {name}</h1><p class="meta">{p} ({tz}), compared with the previous period of the same length. Generated {created}.</p>"#,
        p = escape(&period),
        tz = escape(&report.time_zone),
        created = report.created_at.format("%Y-%m-%d %H:%M UTC"),
    );
    if report.truncated {
        out.push_str(r#"<p class="note">This period had more mentions than a report reads; figures are lower bounds.</p>"#);
    }
    out.push_str(r#"<h2>Headline</h2><div class="cards">"#);
    card(
        &mut out,
        "Mentions",
        &count(now.mentions),
        &format!(
            "{} vs {}",
            change(h.mentions_change),
            count(before.mentions)
        ),
    );
    card(
        &mut out,
        "Brand health index",
        &bhi(now.brand_health_index),
        &format!(
            "{} vs {}",
            bhi_change(h.brand_health_change),
            bhi(before.brand_health_index)
        ),
    );
    let s = now.sentiment;
    for (title, label, n) in [
        ("Positive", SentimentLabel::Positive, s.positive),
        ("Neutral", SentimentLabel::Neutral, s.neutral),
        ("Negative", SentimentLabel::Negative, s.negative),
    ] {
        card(
            &mut out,
            title,
            &percent(h.sentiment_percent(label)),
            &format!("{} mentions", count(n)),
        );
    }
    card(
        &mut out,
        "Reach",
        &count(now.reach),
        &format!("previous {}", count(before.reach)),
    );
    card(
        &mut out,
        "Engagement",
        &count(now.engagement),
        &format!("previous {}", count(before.engagement)),
    );
    out.push_str("</div><h2>Trends</h2>");
    figure(
        &mut out,
        "Mentions per day",
        &svg::volume(&report.days, &period),
    );
    figure(
        &mut out,
        "Sentiment per day",
        &svg::sentiment(&report.days, &period),
    );
    figure(
        &mut out,
        "Share of voice",
        &svg::share_of_voice(&report.share_of_voice),
    );
    // The same numbers as a table, for readers and tools that skip images.
    out.push_str(r#"<details><summary>Chart data</summary><div class="table"><table><thead><tr><th>Day</th><th class="num">Mentions</th><th class="num">Positive</th><th class="num">Neutral</th><th class="num">Negative</th></tr></thead><tbody>"#);
    for d in &report.days {
        let _ = write!(
            out,
            r#"<tr><td>{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
            escape(&day(d.date)),
            count(d.mentions),
            count(d.sentiment.positive),
            count(d.sentiment.neutral),
            count(d.sentiment.negative)
        );
    }
    out.push_str("</tbody></table></div></details><h2>Top mentions</h2>");
    if report.top_mentions.is_empty() {
        out.push_str("<p>None in this period.</p>");
    } else {
        out.push_str(r#"<div class="table"><table><thead><tr><th class="num">#</th><th>Mention</th><th>Author</th><th>Source</th><th class="num">Published</th><th>Sentiment</th><th class="num">Reach</th><th class="num">Engagement</th></tr></thead><tbody>"#);
        for (i, m) in report.top_mentions.iter().enumerate() {
            mention_row(&mut out, i + 1, m);
        }
        out.push_str("</tbody></table></div>");
    }
    out.push_str(r#"<h2>Top sources, authors and terms</h2><div class="lists">"#);
    ranked(&mut out, "Sources", &report.top_sources);
    ranked(&mut out, "Authors", &report.top_authors);
    ranked(&mut out, "Terms", &report.top_terms);
    out.push_str("</div></main></body></html>\n");
    out
}
