//! What a well-formed answer still goes through: citations to facts that were not given are
//! removed, sentences with banned terms are dropped (headings and titles lose the term), the
//! required terms are added where the model left them out, and the sources are read from the
//! citations that remain. Every change to the model's words is logged as a warning.

use super::answer::Answer;
use crate::banned::remove_banned;
use crate::channel::Channel;
use crate::cite;
use crate::error::ComposeError;
use crate::fact::Fact;
use crate::voice::Voice;
use crate::weight::{X_LIMIT, fit, x_weighted_len};

pub(super) struct Cleaned {
    pub title: Option<String>,
    pub body: String,
    pub thread: Vec<String>,
    pub sources: Vec<Fact>,
}

pub(super) fn clean(
    answer: Answer,
    channel: Channel,
    voice: &Voice,
    facts: &[Fact],
) -> Result<Cleaned, ComposeError> {
    let name = channel.as_str();
    let known: Vec<usize> = facts.iter().map(|f| f.n).collect();
    let uncite = |text: &str| {
        let (text, removed) = cite::strip_unknown(text, &known);
        if !removed.is_empty() {
            tracing::warn!(
                channel = name,
                ?removed,
                "removed citations to facts that were not given"
            );
        }
        text
    };
    let guard = |text: &str| {
        let (text, removals) = remove_banned(text, voice);
        for removal in removals {
            tracing::warn!(
                channel = name,
                term = removal.term,
                action = removal.action,
                "banned term in the model's draft"
            );
        }
        text
    };
    let title = answer
        .title
        .map(|t| uncite(&t))
        .map(|t| match voice.banned_in(&t) {
            Some(term) => {
                tracing::warn!(
                    channel = name,
                    term,
                    action = "removed the term from the title",
                    "banned term in the model's draft"
                );
                voice.scrub(&t)
            }
            None => t,
        });
    let title = title.filter(|t| !t.is_empty());

    let numbered =
        !answer.thread.is_empty() && answer.thread.iter().all(|p| number_prefix(p).is_some());
    // Only X drafts have a thread; posts another channel's answer carries are not kept.
    let posts = if channel == Channel::X {
        answer.thread.as_slice()
    } else {
        &[]
    };
    let mut thread: Vec<String> = posts
        .iter()
        .map(|part| guard(&uncite(part)))
        .filter(|part| part.chars().any(char::is_alphanumeric))
        .collect();
    let mut body = if channel == Channel::X {
        String::new()
    } else {
        guard(&uncite(&answer.body))
    };
    let missing: Vec<&str> = voice
        .required_terms
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .filter(|t| {
            if channel == Channel::X {
                !thread.iter().any(|p| p.contains(t))
            } else {
                !body.contains(t)
            }
        })
        .collect();
    for term in missing {
        tracing::warn!(
            channel = name,
            term,
            "the model left out a required term; appended it"
        );
        if channel == Channel::X {
            match thread.last_mut() {
                Some(last) if x_weighted_len(&format!("{last}\n\n{term}")) <= X_LIMIT - 6 => {
                    last.push_str(&format!("\n\n{term}"));
                }
                _ => thread.push(term.to_string()),
            }
        } else {
            body = if body.is_empty() {
                term.to_string()
            } else {
                format!("{body}\n\n{term}")
            };
        }
    }
    if channel == Channel::X {
        if numbered {
            thread = renumber(&thread);
        }
        body = thread.join("\n\n");
    }
    if !body.chars().any(char::is_alphanumeric) {
        return Err(ComposeError::Model(format!(
            "{name}: nothing usable was left after removing banned terms"
        )));
    }
    let sources = cite::sources(
        title.iter().map(String::as_str).chain([body.as_str()]),
        facts,
    );
    Ok(Cleaned {
        title,
        body,
        thread,
        sources,
    })
}

/// The length of a post's "k/n " prefix, if it has one.
fn number_prefix(part: &str) -> Option<usize> {
    let (first, _) = part.split_once(char::is_whitespace)?;
    let (k, n) = first.split_once('/')?;
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    (digits(k) && digits(n)).then_some(first.len())
}

/// Numbers the posts "1/n" to "n/n" again after posts were dropped or added; a post the
/// longer prefix pushes over the limit is cut to fit.
fn renumber(parts: &[String]) -> Vec<String> {
    let total = parts.len();
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            let text = match number_prefix(part) {
                Some(len) => part[len..].trim_start(),
                None => part.as_str(),
            };
            let number = format!("{}/{total} ", i + 1);
            let fitted = fit(text, "", |t| {
                x_weighted_len(&format!("{number}{t}")) <= X_LIMIT
            });
            format!("{number}{fitted}")
        })
        .collect()
}
