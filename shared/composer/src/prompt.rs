//! The LLM prompt, versioned by [`crate::PROMPT_VERSION`]: the voice and the rules in the
//! system prompt, the brief, the channel's format and the numbered facts in the user turn,
//! and the JSON the answer must take.

use crate::brief::Brief;
use crate::channel::Channel;
use crate::fact::Fact;
use crate::voice::Voice;
use std::fmt::Write;

/// The answer's shape, as the model is shown it.
pub(crate) const SCHEMA: &str =
    r#"{"title": string or null, "body": string, "thread": [string, ...]}"#;

/// The non-blank entries of a voice list, trimmed.
fn list(items: &[String]) -> Vec<&str> {
    items
        .iter()
        .map(|i| i.trim())
        .filter(|i| !i.is_empty())
        .collect()
}

/// Longest example post quoted as a style reference; longer ones are cut.
const MAX_EXAMPLE_CHARS: usize = 1_200;
/// Style references shown at most.
const MAX_EXAMPLES: usize = 3;

pub(crate) fn system(voice: &Voice) -> String {
    let brand = if voice.name.trim().is_empty() {
        "the brand".to_string()
    } else {
        voice.name.trim().to_string()
    };
    let mut out = format!(
        "You are a senior content writer for {brand}. You write drafts in the brand's voice that \
read like posts a person wrote: specific, concrete, varied in rhythm, without filler or clichés.\n\n\
Brand voice:\n"
    );
    let line = |out: &mut String, label: &str, items: &[String], sep: &str| {
        let items = list(items);
        if !items.is_empty() {
            let _ = writeln!(out, "- {label}: {}", items.join(sep));
        }
    };
    line(&mut out, "Tone", &voice.tone, ", ");
    line(&mut out, "Do", &voice.do_list, "; ");
    line(&mut out, "Don't", &voice.dont_list, "; ");
    let banned = list(&voice.banned_terms);
    if !banned.is_empty() {
        let quoted: Vec<String> = banned.iter().map(|t| format!("\"{t}\"")).collect();
        let _ = writeln!(
            out,
            "- Never use these terms, in any capitalisation or form: {}",
            quoted.join(", ")
        );
    }
    let required = list(&voice.required_terms);
    if !required.is_empty() {
        let quoted: Vec<String> = required.iter().map(|t| format!("\"{t}\"")).collect();
        let _ = writeln!(
            out,
            "- Include each of these exactly as written, character for character: {}",
            quoted.join(", ")
        );
    }
    if let Some(grade) = voice.reading_grade {
        let _ = writeln!(
            out,
            "- Reading level: US grade {grade:.0} or below: short sentences, plain words."
        );
    }
    let examples: Vec<&str> = list(&voice.examples)
        .into_iter()
        .take(MAX_EXAMPLES)
        .collect();
    if !examples.is_empty() {
        out.push_str(
            "\nStyle references (match their voice and rhythm; do not reuse their facts):\n",
        );
        for (i, example) in examples.iter().enumerate() {
            let example: String = example.chars().take(MAX_EXAMPLE_CHARS).collect();
            let _ = writeln!(out, "<example {}>\n{example}\n</example>", i + 1);
        }
    }
    let _ = write!(
        out,
        "\nRules:\n\
- Take every claim, figure, name and date from the numbered facts only, and cite the fact right \
after the claim as [n] (for example [2], or [1][3]). Do not invent facts, statistics, quotes, \
customers or sources, and do not cite numbers that are not listed.\n\
- When no facts are given, write without statistics and without citations.\n\
- Keep sentences under 25 words.\n\
- Follow the channel's format and limits exactly.\n\n\
Answer with one JSON object and nothing else (no code fence, no commentary), of exactly this \
shape:\n{SCHEMA}\n"
    );
    out
}

pub(crate) fn user(brief: &Brief, channel: Channel, voice: &Voice, facts: &[Fact]) -> String {
    let length = brief.length_or_default();
    let (min, max) = voice
        .word_range(channel)
        .unwrap_or_else(|| channel.default_words(length));
    let mut out = format!(
        "Write the {} draft for this brief.\n\nBrief:\n",
        channel.as_str()
    );
    let _ = writeln!(out, "- Topic: {}", brief.topic.trim());
    let optional = [
        ("Audience", &brief.audience),
        ("Goal", &brief.goal),
        ("Call to action", &brief.call_to_action),
        ("Link (use it exactly)", &brief.link),
    ];
    for (label, value) in optional {
        if let Some(value) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            let _ = writeln!(out, "- {label}: {value}");
        }
    }
    if !brief.keywords.is_empty() {
        let _ = writeln!(
            out,
            "- Keywords (work them in naturally): {}",
            brief.keywords.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "- Length: {}, about {min}-{max} words",
        length.as_str()
    );
    let _ = write!(
        out,
        "\nFormat ({}): {}\n\n",
        channel.as_str(),
        channel.format()
    );
    if facts.is_empty() {
        out.push_str(
            "Facts: none. Write from the brief alone, with no statistics and no citations.\n",
        );
    } else {
        out.push_str("Facts (cite as [n]; use nothing else as evidence):\n");
        for fact in facts {
            let _ = writeln!(
                out,
                "[{}] ({}) {}",
                fact.n,
                fact.title.trim(),
                fact.text.split_whitespace().collect::<Vec<_>>().join(" ")
            );
        }
    }
    out
}

/// The follow-up turn after a malformed answer: what was wrong, and the shape again.
pub(crate) fn repair(problem: &str) -> String {
    format!(
        "Your answer could not be used: {problem}. Answer again with only the corrected JSON \
object, of exactly this shape, keeping to the format and limits:\n{SCHEMA}"
    )
}
