//! LinkedIn, Mastodon and webhook posts: plain text with a hook line, a lead into a short
//! bullet list of facts (or practical points when there are none), a takeaway, the call to
//! action, the required terms and the hashtags. Posts over the channel's limit lose bullets,
//! then the lead and takeaway, then the end of the hook; never the CTA or required terms.

use super::Composed;
use super::plan::Plan;
use crate::channel::Channel;
use crate::fact::Quote;
use crate::text::word_count;
use crate::weight::{fit, mastodon_len};

/// A statistic longer than this does not make a hook.
const MAX_HOOK_WORDS: usize = 30;

pub(super) fn compose(plan: &Plan, channel: Channel) -> Composed {
    let quotes = plan.quotes_for(channel);
    let mastodon = channel == Channel::Mastodon;
    let (stat, rest): (Option<&Quote>, &[Quote]) = match quotes.split_first() {
        Some((first, rest))
            if first.sentence.chars().any(|c| c.is_ascii_digit())
                && word_count(&first.sentence) <= MAX_HOOK_WORDS =>
        {
            (Some(first), rest)
        }
        _ => (None, quotes),
    };
    let bullets: Vec<String> = if quotes.is_empty() {
        plan.advice(if mastodon { 2 } else { 3 })
    } else {
        rest.iter().map(|q| plan.cite(q, false)).collect()
    };
    let (min_tags, max_tags) = if mastodon { (2, 3) } else { (3, 5) };
    let mut tail: Vec<String> = plan.cta_plain().into_iter().collect();
    let tags = plan.hashtags(min_tags, max_tags);
    let before_tail = tail.join("\n\n");
    tail.extend(
        plan.missing_required(&before_tail)
            .iter()
            .map(|t| t.to_string()),
    );
    if !tags.is_empty() {
        tail.push(tags.join(" "));
    }
    let tail = tail.join("\n\n");

    let fits = |text: &str| match channel.char_limit() {
        Some(limit) if mastodon => mastodon_len(text) <= limit,
        Some(limit) => text.chars().count() <= limit,
        None => true,
    };
    let p = plan.phrases;
    let has_facts = !quotes.is_empty();
    let build = |shown: usize, framed: bool, closed: bool| {
        let hook = match stat {
            Some(q) => plan.cite(q, false),
            None => plan.pick_or(p.hook, 40, shown, "A quick look at {subject}."),
        };
        let mut blocks = vec![hook];
        if shown > 0 {
            let lead = framed
                .then(|| {
                    let table = if stat.is_some() {
                        p.stat_lead
                    } else {
                        p.list_lead
                    };
                    plan.pick(table, 41, shown, has_facts)
                })
                .flatten();
            let list: Vec<String> = bullets[..shown].iter().map(|b| format!("• {b}")).collect();
            blocks.push(match lead {
                Some(lead) => format!("{lead}\n{}", list.join("\n")),
                None => list.join("\n"),
            });
        }
        if closed && let Some(takeaway) = plan.pick(p.takeaway, 42, shown, has_facts) {
            blocks.push(takeaway);
        }
        blocks
    };
    let join = |blocks: &[String]| {
        let body = blocks.join("\n\n");
        if tail.is_empty() {
            body
        } else {
            format!("{body}\n\n{tail}")
        }
    };
    for shown in (0..=bullets.len()).rev() {
        for (framed, closed) in [(true, true), (true, false), (false, false)] {
            let body = join(&build(shown, framed, closed));
            if fits(&body) {
                return post(body);
            }
        }
    }
    let hook = build(0, false, false).remove(0);
    let suffix = if tail.is_empty() {
        String::new()
    } else {
        format!("\n\n{tail}")
    };
    post(fit(&hook, &suffix, fits))
}

fn post(body: String) -> Composed {
    Composed {
        title: None,
        body,
        thread: Vec::new(),
    }
}
