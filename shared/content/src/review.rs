//! The LLM-assisted review a compliance check adds when a model is configured: the model
//! reads the text against the voice profile and names passages with a problem. Its findings
//! are advisory (warnings): whether a text passes stays with the deterministic rules, which
//! give the same answer every time.

use plasma_compliance::{Channel, Finding, Severity, Span, VoiceRules};
use plasma_core::{Completion, Llm, Message};
use serde::Deserialize;

pub const REVIEW_PROMPT_VERSION: &str = "review-v1";
/// Most findings taken from one review.
const MAX_FINDINGS: usize = 10;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Review {
    findings: Vec<Issue>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Issue {
    /// One of [`KINDS`].
    kind: String,
    message: String,
    /// The exact passage, copied from the text.
    #[serde(default)]
    quote: Option<String>,
    #[serde(default)]
    suggestion: Option<String>,
}

/// What the model may report, each becoming the finding code `llm_<kind>`.
const KINDS: [&str; 6] = [
    "tone",
    "claim",
    "clarity",
    "brand",
    "compliance",
    "audience",
];

fn prompt(text: &str, channel: Channel, rules: Option<&VoiceRules>) -> Completion {
    let mut voice = String::new();
    if let Some(r) = rules {
        voice.push_str(&format!(
            "Tone: {}\nBanned terms: {}\nRequired terms: {}\n",
            r.tone.join(", "),
            r.banned_terms.join(", "),
            r.required_terms.join(", ")
        ));
        if let Some(grade) = r.reading_grade {
            voice.push_str(&format!("Reading grade at most: {grade}\n"));
        }
    }
    let system = format!(
        "You review marketing copy before it is published on {channel}. Report only real \
         problems: tone that does not fit the brand voice, claims that need a source, unclear \
         passages, statements off-brand or risky for compliance, wording wrong for the \
         audience. Answer with JSON only, no prose: {{\"findings\": [{{\"kind\": one of {kinds:?}, \
         \"message\": what is wrong, \"quote\": the exact passage copied from the text, \
         \"suggestion\": a rewrite}}]}}. An empty list is a fine answer.\n\nBrand voice:\n{voice}",
        channel = channel.name(),
        kinds = KINDS,
    );
    Completion {
        system: Some(system),
        messages: vec![Message::user(format!("Text to review:\n\n{text}"))],
        max_tokens: 1200,
        temperature: 0.0,
    }
}

/// The model's findings, or one informational finding saying the review did not happen.
pub async fn review(
    llm: &dyn Llm,
    text: &str,
    channel: Channel,
    rules: Option<&VoiceRules>,
) -> Vec<Finding> {
    let answer = match llm.complete(prompt(text, channel, rules)).await {
        Ok(out) => out.text,
        Err(e) => return vec![unavailable(format!("the model failed: {e}"))],
    };
    match parse(&answer) {
        Ok(review) => review
            .findings
            .into_iter()
            .filter(|i| KINDS.contains(&i.kind.as_str()))
            .take(MAX_FINDINGS)
            .map(|i| finding(text, i))
            .collect(),
        Err(e) => {
            tracing::warn!(error = %e, model = llm.model(), "an LLM review was not valid JSON");
            vec![unavailable(format!(
                "the model's answer was malformed: {e}"
            ))]
        }
    }
}

/// The JSON object in the answer (models sometimes wrap it in a code fence).
fn parse(answer: &str) -> Result<Review, String> {
    let start = answer.find('{').ok_or("no JSON object")?;
    let end = answer.rfind('}').ok_or("no JSON object")?;
    let json = answer.get(start..=end).ok_or("no JSON object")?;
    let de = &mut serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(de).map_err(|e| e.to_string())
}

fn finding(text: &str, issue: Issue) -> Finding {
    // A quote the text does not contain gets no span rather than a wrong one.
    let span = issue
        .quote
        .as_deref()
        .filter(|q| !q.trim().is_empty())
        .and_then(|q| {
            text.find(q).map(|start| Span {
                start,
                end: start + q.len(),
            })
        });
    Finding {
        code: format!("llm_{}", issue.kind),
        severity: Severity::Warning,
        message: issue.message,
        span,
        suggestion: issue.suggestion,
    }
}

fn unavailable(why: String) -> Finding {
    Finding {
        code: "llm_review_unavailable".into(),
        severity: Severity::Info,
        message: format!("The LLM review did not run: {why}. The rule-based checks did."),
        span: None,
        suggestion: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_trait::async_trait;
    use plasma_core::{CompletionOutput, PortResult};
    use std::sync::Mutex;

    struct Scripted {
        answer: &'static str,
        seen: Mutex<Vec<Completion>>,
    }

    #[async_trait]
    impl Llm for Scripted {
        async fn complete(&self, request: Completion) -> PortResult<CompletionOutput> {
            self.seen.lock().unwrap().push(request);
            Ok(CompletionOutput {
                text: self.answer.into(),
                input_tokens: 1,
                output_tokens: 1,
                stop_reason: "end_turn".into(),
            })
        }
        fn model(&self) -> &str {
            "scripted"
        }
    }

    fn llm(answer: &'static str) -> Scripted {
        Scripted {
            answer,
            seen: Mutex::new(Vec::new()),
        }
    }

    #[tokio::test]
    async fn quoted_passages_become_spanned_warnings() {
        let text = "Our rockets are the best in the world. Book a demo.";
        let model = llm(
            "```json\n{\"findings\": [{\"kind\": \"claim\", \"message\": \"Superlative without a source\", \"quote\": \"the best in the world\", \"suggestion\": \"Cite a ranking\"}, {\"kind\": \"tone\", \"message\": \"Not in the text\", \"quote\": \"nowhere\"}, {\"kind\": \"weather\", \"message\": \"Unknown kind\"}]}\n```",
        );
        let rules = VoiceRules {
            tone: vec!["formal".into()],
            banned_terms: vec!["cheap".into()],
            ..VoiceRules::default()
        };
        let found = review(&model, text, Channel::Linkedin, Some(&rules)).await;
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].code, "llm_claim");
        assert_eq!(found[0].severity, Severity::Warning);
        let span = found[0].span.unwrap();
        assert_eq!(&text[span.start..span.end], "the best in the world");
        assert_eq!(found[1].span, None, "a quote the text lacks gets no span");
        let request = &model.seen.lock().unwrap()[0];
        let system = request.system.as_deref().unwrap();
        assert!(
            system.contains("formal") && system.contains("cheap") && system.contains("LinkedIn"),
            "{system}"
        );
        assert!(request.messages[0].text.contains(text));
    }

    #[tokio::test]
    async fn a_malformed_answer_is_reported_not_trusted() {
        let found = review(&llm("I think it reads well!"), "Hello.", Channel::X, None).await;
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, "llm_review_unavailable");
        assert_eq!(found[0].severity, Severity::Info);
        let found = review(
            &llm("{\"findings\": [{\"kind\": \"tone\"}]}"),
            "Hello.",
            Channel::X,
            None,
        )
        .await;
        assert_eq!(
            found[0].code, "llm_review_unavailable",
            "a finding without a message: {found:?}"
        );
    }
}
