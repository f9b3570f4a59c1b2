//! X threads: a hook post (with at most two hashtags), one post per fact, and a last post
//! with the call to action and the link; the required terms go in the last post, or posts of
//! their own when they do not fit. Every post is numbered "k/n" and kept within 280
//! weighted characters by cutting its text, never its citation or link.

use super::Composed;
use super::plan::Plan;
use crate::channel::Channel;
use crate::fact::Quote;
use crate::text::ensure_period;
use crate::weight::{X_LIMIT, fit, x_weighted_len};

/// Hashtags in a whole thread.
const MAX_HASHTAGS: usize = 2;

/// Room for the widest "k/n " prefix (threads stay under 100 posts).
const NUMBERING_ROOM: usize = 6;

/// One post before numbering: text that may be cut, and an ending that may not.
struct Part {
    main: String,
    keep: String,
}

pub(super) fn compose(plan: &Plan) -> Composed {
    let quotes = plan.quotes_for(Channel::X);
    let p = plan.phrases;
    let mut parts: Vec<Part> = if quotes.is_empty() {
        plan.advice(3)
            .into_iter()
            .map(|a| Part {
                main: a,
                keep: String::new(),
            })
            .collect()
    } else {
        quotes.iter().map(cited).collect()
    };
    // The closing post: the call to action may be cut, the link and required terms not.
    let (mut main, mut keep) = match (plan.cta_text(), &plan.link) {
        (Some(text), Some(link)) => (format!("{text}:"), format!(" {link}")),
        (Some(text), None) => (ensure_period(&text), String::new()),
        (None, _) => (
            plan.pick_or(p.takeaway, 42, 0, "More on {subject} soon."),
            String::new(),
        ),
    };
    // The tone's lead-in only where it fits whole: the call to action matters more.
    if let Some(lead) = plan.cta_lead().filter(|_| plan.cta_text().is_some()) {
        let with_lead = format!("{lead} {main}");
        if x_weighted_len(&format!("{with_lead}{keep}")) + NUMBERING_ROOM <= X_LIMIT {
            main = with_lead;
        }
    }
    let mut extra = Vec::new();
    for term in plan.missing_required(&format!("{main}{keep}")) {
        let with_term = format!("{keep}\n\n{term}");
        if x_weighted_len(&format!("{main}{with_term}")) + NUMBERING_ROOM <= X_LIMIT {
            keep = with_term;
        } else {
            extra.push(term.to_string());
        }
    }
    parts.push(Part { main, keep });
    parts.extend(extra.into_iter().map(|term| Part {
        main: term,
        keep: String::new(),
    }));

    let total = parts.len() + 1;
    let tags = plan.hashtags(0, MAX_HASHTAGS);
    let hook = plan.pick_or(p.thread_hook, 50, total, "A short thread on {subject}.");
    let hook = Part {
        main: hook,
        keep: if tags.is_empty() {
            String::new()
        } else {
            format!(" {}", tags.join(" "))
        },
    };
    let thread: Vec<String> = std::iter::once(hook)
        .chain(parts)
        .enumerate()
        .map(|(i, part)| {
            let number = format!("{}/{total} ", i + 1);
            let fitted = fit(&part.main, &part.keep, |text| {
                x_weighted_len(&format!("{number}{text}")) <= X_LIMIT
            });
            format!("{number}{}", fitted.trim_start())
        })
        .collect();
    Composed {
        title: None,
        body: String::new(),
        thread,
    }
}

/// A fact's post: the sentence may be cut, its citation stays.
fn cited(quote: &Quote) -> Part {
    match quote.sentence.strip_suffix('.') {
        Some(stem) if !stem.ends_with('.') => Part {
            main: stem.to_string(),
            keep: format!(" [{}].", quote.n),
        },
        _ => Part {
            main: quote.sentence.clone(),
            keep: format!(" [{}]", quote.n),
        },
    }
}
