//! Blog, Medium and WordPress: a keyword-bearing title, an intro for the audience and goal,
//! 2-4 `##` sections built from the facts, a conclusion, the call to action, then the
//! required terms. Markdown; the title travels separately, not as an `#` line.

use super::plan::Plan;
use super::{Composed, phrases};
use crate::brief::Length;
use crate::channel::Channel;
use crate::fact::Quote;
use crate::text::{capitalize_first, is_function_word, title_case};
use crate::voice::{Tone, find_term};

/// Most words in a section heading taken from a fact.
const MAX_HEADING_WORDS: usize = 10;

/// Words that start a trailing clause or prepositional phrase, where a heading taken from a
/// sentence can stop ("... cut breach costs | by an average of ..."). Articles and "of" are
/// not among them: they sit inside the noun phrase.
const HEADING_BREAKS: &[&str] = &[
    "by",
    "in",
    "for",
    "with",
    "from",
    "at",
    "on",
    "during",
    "because",
    "when",
    "while",
    "which",
    "that",
    "and",
    "but",
    "than",
    "compared",
    "according",
    "after",
    "before",
    "since",
    "across",
    "among",
    "between",
    "over",
    "to",
    "as",
    "who",
    "where",
    "if",
    "though",
    "although",
];

pub(super) fn compose(plan: &Plan, channel: Channel) -> Composed {
    let quotes = plan.quotes_for(channel);
    let p = plan.phrases;
    let mut blocks = vec![intro(plan, !quotes.is_empty())];
    let sections = match plan.length {
        Length::Short => 2,
        Length::Medium => 3,
        Length::Long => 4,
    };
    for (i, group) in groups(quotes, sections).into_iter().enumerate() {
        let mut paragraph: Vec<String> = group
            .iter()
            .enumerate()
            .map(|(j, q)| plan.cite(q, j == 0))
            .collect();
        if let Some(bridge) = plan.pick(p.bridge, 20 + i as u64, 0, true) {
            paragraph.push(bridge);
        }
        blocks.push(format!(
            "## {}\n\n{}",
            heading(&group[0]),
            paragraph.join(" ")
        ));
    }
    let written = quotes.len().min(sections);
    let wanted = if quotes.is_empty() {
        plan.keywords.len().clamp(2, sections)
    } else {
        2
    };
    for i in written..wanted {
        blocks.push(outline_section(plan, i));
    }
    let mut conclusion = vec![plan.pick_or(p.conclusion, 30, 0, "{Subject} is worth the effort.")];
    if let Some(goal) = plan.pick(p.conclusion_goal, 31, 0, true) {
        conclusion.push(goal);
    }
    let conclusion_heading = plan.pick_or(p.conclusion_heading, 32, 0, "Conclusion");
    blocks.push(format!(
        "## {conclusion_heading}\n\n{}",
        conclusion.join(" ")
    ));
    if let Some(cta) = plan.cta_markdown() {
        blocks.push(cta);
    }
    let body = blocks.join("\n\n");
    let required = plan.missing_required(&body);
    let body = if required.is_empty() {
        body
    } else {
        format!("{body}\n\n{}", required.join("\n\n"))
    };
    Composed {
        title: Some(title(plan)),
        body,
        thread: Vec::new(),
    }
}

/// The article's title: the topic in title case, with the lead keyword added when the topic
/// does not already carry a keyword.
pub(super) fn title(plan: &Plan) -> String {
    let topic = title_case(&plan.topic_as_title());
    let carries_keyword = plan
        .keywords
        .iter()
        .any(|k| find_term(&plan.topic, k).is_some());
    match plan.keywords.first() {
        Some(keyword) if !carries_keyword => {
            let keyword = title_case(keyword);
            let tail = match plan.style.tone {
                Tone::Neutral => format!("A Guide to {keyword}"),
                Tone::Formal => format!("Key Considerations for {keyword}"),
                Tone::Friendly => format!("Your Guide to {keyword}"),
                Tone::Confident => format!("Getting {keyword} Right"),
            };
            format!("{}: {tail}", topic.trim_end_matches('?'))
        }
        _ => topic,
    }
}

fn intro(plan: &Plan, has_facts: bool) -> String {
    let p = plan.phrases;
    let first = plan.pick_or(
        p.intro,
        1,
        0,
        "For {audience}, {subject} is worth a closer look.",
    );
    let second_table = if plan.goal.is_some() {
        p.intro_goal
    } else {
        p.intro_plain
    };
    match plan.pick(second_table, 2, 0, has_facts) {
        Some(second) => format!("{first} {second}"),
        None => first,
    }
}

/// Quotes split into at most `sections` runs of near-equal size, earlier runs taking the
/// extra quote; rank order is kept, so the strongest facts lead.
fn groups(quotes: &[Quote], sections: usize) -> Vec<&[Quote]> {
    let count = sections.min(quotes.len());
    let mut out = Vec::with_capacity(count);
    let mut start = 0;
    for i in 0..count {
        let size = quotes.len() / count + usize::from(i < quotes.len() % count);
        out.push(&quotes[start..start + size]);
        start += size;
    }
    out
}

/// A section heading from the fact that opens it: the sentence up to its first clause break,
/// or to a preposition or conjunction after its fifth word, at most ten words, in sentence
/// case: "Organisations with mature zero-trust programmes cut breach costs".
fn heading(quote: &Quote) -> String {
    let mut kept: Vec<&str> = Vec::new();
    for (i, word) in quote.sentence.split_whitespace().enumerate() {
        let bare = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '%' && c != '$');
        let breaks = HEADING_BREAKS.contains(&bare.to_lowercase().as_str());
        if i >= MAX_HEADING_WORDS || (i >= 5 && breaks) || word == "—" {
            break;
        }
        kept.push(word);
        if i >= 2 && word.ends_with([',', ';', ':', ')', '.', '…']) {
            break;
        }
    }
    while kept.len() > 2 && kept.last().is_some_and(|w| is_function_word(w)) {
        kept.pop();
    }
    let heading = kept
        .join(" ")
        .trim_end_matches([',', ';', ':', '.', '…', '(', ')', '"'])
        .to_string();
    capitalize_first(&heading)
}

/// A section for a draft without enough facts, built from a keyword (or the subject).
fn outline_section(plan: &Plan, i: usize) -> String {
    let keyword = if plan.keywords.is_empty() {
        None
    } else {
        Some(plan.keywords[i % plan.keywords.len()].as_str())
    };
    let (heading, text) = phrases::SECTIONS[i % phrases::SECTIONS.len()];
    format!(
        "## {}\n\n{}",
        plan.fill(heading, 0, keyword),
        plan.fill(text, 0, keyword)
    )
}
