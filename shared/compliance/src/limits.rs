//! Channel limits: post length, hashtags and the profile's preferred length.

use crate::codes::{OVER_LIMIT, THREAD_SPLIT, TOO_LONG, TOO_MANY_HASHTAGS, TOO_SHORT};
use crate::text::Doc;
use crate::{Channel, Finding, Measure, Severity, Span, VoiceRules, split_thread, weight};

/// Findings for `channel`; returns the suggested thread when an X post is over the limit.
pub(crate) fn findings(
    doc: &Doc,
    channel: Channel,
    rules: Option<&VoiceRules>,
    hashtags: &[Span],
    out: &mut Vec<Finding>,
) -> Option<Vec<String>> {
    let limit = channel.limit();
    let thread = limit.and_then(|limit| {
        let at = weight::overflow(limit.measure, doc.text, &doc.urls, limit.max_length)?;
        let length = weight::length(limit.measure, doc.text, &doc.urls);
        let max = limit.max_length;
        let over = length - max;
        let name = channel.name();
        let span = Span::new(at, doc.text.len());
        if limit.measure != Measure::XWeighted {
            out.push(
                Finding::new(
                    OVER_LIMIT,
                    Severity::Error,
                    format!("{name} allows {max} characters; this post has {length}."),
                )
                .at(span)
                .suggest(format!(
                    "Cut {over} characters (from the highlighted point on)."
                )),
            );
            return None;
        }
        let thread = split_thread(doc.text, max);
        let parts = thread.len();
        out.push(
            Finding::new(
                OVER_LIMIT,
                Severity::Error,
                format!("{name} allows {max} weighted characters; this post has {length}."),
            )
            .at(span)
            .suggest(format!(
                "Cut {over} weighted characters, or post it as a thread of {parts} parts."
            )),
        );
        out.push(
            Finding::new(
                THREAD_SPLIT,
                Severity::Info,
                format!("As a thread this is {parts} posts of at most {max} weighted characters."),
            )
            .suggest("Publish the numbered parts in the report's thread in order.".to_owned()),
        );
        Some(thread)
    });
    other_findings(doc, channel, rules, hashtags, out);
    thread
}

/// The channel's length limit applied to each post of a thread (`doc` is the parts joined by
/// [`crate::THREAD_SEPARATOR`]).
pub(crate) fn part_findings(doc: &Doc, channel: Channel, parts: &[String], out: &mut Vec<Finding>) {
    let Some(limit) = channel.limit() else {
        return;
    };
    let max = limit.max_length;
    let mut offset = 0;
    for (i, part) in parts.iter().enumerate() {
        let length = limit.measure.length(part);
        if length > max {
            let end = (offset + part.len()).min(doc.text.len());
            out.push(
                Finding::new(
                    OVER_LIMIT,
                    Severity::Error,
                    format!(
                        "Post {} of the thread has {length} of {max} {}characters.",
                        i + 1,
                        if limit.measure == Measure::XWeighted {
                            "weighted "
                        } else {
                            ""
                        }
                    ),
                )
                .at(Span::new(offset.min(end), end))
                .suggest(format!(
                    "Cut {} characters or split the post.",
                    length - max
                )),
            );
        }
        offset += part.len() + crate::THREAD_SEPARATOR.len();
    }
}

/// Hashtag counts and the profile's preferred length.
pub(crate) fn other_findings(
    doc: &Doc,
    channel: Channel,
    rules: Option<&VoiceRules>,
    hashtags: &[Span],
    out: &mut Vec<Finding>,
) {
    let limit = channel.limit();
    let max_hashtags = rules
        .and_then(|r| r.max_hashtags)
        .or(limit.and_then(|l| l.max_hashtags));
    if let Some(max) = max_hashtags
        && let Some(first_extra) = hashtags.get(max as usize)
    {
        let extra = hashtags.len() - max as usize;
        out.push(
            Finding::new(
                TOO_MANY_HASHTAGS,
                Severity::Warning,
                format!(
                    "{} hashtags; {} posts should have at most {max}.",
                    hashtags.len(),
                    channel.name()
                ),
            )
            .at(*first_extra)
            .suggest(format!(
                "Remove {extra} hashtag{}.",
                if extra == 1 { "" } else { "s" }
            )),
        );
    }

    if let Some(range) = rules.and_then(|r| r.preferred_length.get(&channel)) {
        let words = doc.words.len();
        let (min, max) = (range.min as usize, range.max as usize);
        let preferred = format!(
            "the preferred length for {} is {min}–{max} words",
            channel.name()
        );
        if words < min {
            out.push(
                Finding::new(
                    TOO_SHORT,
                    Severity::Warning,
                    format!("{words} words; {preferred}."),
                )
                .suggest(format!("Add about {} words.", min - words)),
            );
        } else if words > max {
            out.push(
                Finding::new(
                    TOO_LONG,
                    Severity::Warning,
                    format!("{words} words; {preferred}."),
                )
                .suggest(format!("Cut about {} words.", words - max)),
            );
        }
    }
}
