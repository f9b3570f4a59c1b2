//! A newsletter section: a `##` heading (the article title), a one-sentence lead, bullets of
//! cited facts (or practical points), the reader's goal when there is one, a "Read more"
//! link, and the required terms. Markdown.

use super::Composed;
use super::article::title;
use super::plan::Plan;
use crate::channel::Channel;
use crate::text::ensure_period;

pub(super) fn compose(plan: &Plan) -> Composed {
    let quotes = plan.quotes_for(Channel::Newsletter);
    let p = plan.phrases;
    let heading = title(plan);
    let lead = plan.pick_or(p.newsletter_lead, 60, 0, "A short briefing on {subject}.");
    let bullets: Vec<String> = if quotes.is_empty() {
        plan.advice(3)
    } else {
        quotes.iter().map(|q| plan.cite(q, false)).collect()
    };
    let mut blocks = vec![format!("## {heading}"), lead];
    if !bullets.is_empty() {
        blocks.push(
            bullets
                .iter()
                .map(|b| format!("- {b}"))
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
    if let Some(goal) = plan.pick(p.conclusion_goal, 61, 0, true) {
        blocks.push(goal);
    }
    let read_more = match (&plan.cta, &plan.link) {
        (Some(cta), Some(link)) => Some(format!("{}: [Read more]({link})", cta)),
        (None, Some(link)) => Some(format!("[Read more]({link})")),
        (Some(cta), None) => Some(ensure_period(cta)),
        (None, None) => None,
    };
    blocks.extend(read_more);
    let body = blocks.join("\n\n");
    let required = plan.missing_required(&body);
    let body = if required.is_empty() {
        body
    } else {
        format!("{body}\n\n{}", required.join("\n\n"))
    };
    Composed {
        title: Some(heading),
        body,
        thread: Vec::new(),
    }
}
