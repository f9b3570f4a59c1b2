//! A press release: headline, the "CITY — DATE —" dateline placeholder opening a lead that
//! says who (the voice's name), what (the topic) and why (the goal, or the sources drawn
//! on), the supporting facts with citations, the call to action, an "About" paragraph, the
//! required terms (disclaimers) and the "###" end mark. No quotes are invented.

use super::Composed;
use super::plan::Plan;
use crate::channel::Channel;
use crate::text::title_case;

/// Source names the lead lists before it stops.
const MAX_NAMED_SOURCES: usize = 3;

pub(super) fn compose(plan: &Plan) -> Composed {
    let quotes = plan.quotes_for(Channel::PressRelease);
    let p = plan.phrases;
    let verb = if plan.topic_is_clause {
        "Examines".to_string()
    } else {
        plan.pick_or(p.press_verb, 70, 0, "Shares Guidance on")
    };
    // "Examines How to Cut Cloud Costs": a question's mark does not survive the verb.
    let headline = title_case(&format!("{} {verb} {}", plan.name, plan.topic));

    let mut lead = vec![plan.pick_or(
        p.press_lead,
        71,
        0,
        "{name} today published guidance for {audience} on {subject}.",
    )];
    let sources: Vec<&str> = quotes.iter().filter_map(|q| q.source.as_deref()).collect();
    if let Some(why) = plan.pick(p.press_why, 72, 0, true) {
        lead.push(why);
    } else if !sources.is_empty() {
        lead.push(format!("It draws on {}.", name_list(&sources)));
    }
    if quotes.is_empty() && !plan.keywords.is_empty() {
        let keywords: Vec<String> = plan.keywords.iter().map(|k| plan.mid(k)).collect();
        let keywords: Vec<&str> = keywords.iter().map(String::as_str).collect();
        lead.push(format!("It covers {}.", name_list(&keywords)));
    }
    let mut blocks = vec![
        format!("# {headline}"),
        format!("CITY — DATE — {}", lead.join(" ")),
    ];
    if let Some((first, rest)) = quotes.split_first() {
        blocks.push(plan.cite(first, true));
        if !rest.is_empty() {
            let list: Vec<String> = rest
                .iter()
                .map(|q| format!("- {}", plan.cite(q, true)))
                .collect();
            blocks.push(format!("Other findings include:\n\n{}", list.join("\n")));
        }
    }
    if let Some(cta) = plan.cta_plain() {
        blocks.push(cta);
    }
    let mut about = plan.pick_or(p.about, 73, 0, "{name} works with {audience} on {subject}.");
    if let Some(link) = &plan.link {
        about = format!("{about} More information is available at {link}.");
    }
    blocks.push(format!("**About {}**\n\n{about}", plan.name));
    let body = blocks.join("\n\n");
    let mut blocks = vec![body];
    blocks.extend(
        plan.missing_required(&blocks[0])
            .into_iter()
            .map(str::to_string),
    );
    blocks.push("###".to_string());
    Composed {
        title: Some(headline),
        body: blocks.join("\n\n"),
        thread: Vec::new(),
    }
}

/// "A", "A and B", "A, B and C", then "and others" past the limit.
fn name_list(names: &[&str]) -> String {
    let mut unique: Vec<&str> = Vec::new();
    for name in names {
        if !unique.contains(name) {
            unique.push(name);
        }
    }
    let more = unique.len() > MAX_NAMED_SOURCES;
    unique.truncate(MAX_NAMED_SOURCES);
    match (unique.as_slice(), more) {
        ([one], false) => (*one).to_string(),
        (names, true) => format!("{} and others", names.join(", ")),
        ([init @ .., last], false) => format!("{} and {last}", init.join(", ")),
        ([], _) => String::new(),
    }
}
