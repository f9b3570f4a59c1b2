//! `compose_llm` against a fake model that answers per channel and records every request.

use super::fixtures::*;
use crate::prompt::SCHEMA;
use crate::{ComposeError, PROMPT_VERSION, compose_llm, x_weighted_len};
use async_trait::async_trait;
use plasma_core::{Completion, CompletionOutput, Llm, PortError, PortResult, Role};
use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;

/// Answers each channel's requests from its own queue, in order, and keeps the requests.
struct FakeLlm {
    answers: Mutex<BTreeMap<String, VecDeque<String>>>,
    requests: Mutex<Vec<Completion>>,
    fail: bool,
}

impl FakeLlm {
    fn new(answers: &[(&str, &[&str])]) -> Self {
        Self {
            answers: Mutex::new(
                answers
                    .iter()
                    .map(|(channel, list)| {
                        (
                            channel.to_string(),
                            list.iter().map(|a| a.to_string()).collect(),
                        )
                    })
                    .collect(),
            ),
            requests: Mutex::new(Vec::new()),
            fail: false,
        }
    }

    fn requests(&self) -> Vec<Completion> {
        self.requests.lock().unwrap().clone()
    }
}

/// The channel a request is for, read from the first user turn.
fn channel_of(request: &Completion) -> String {
    let first = &request.messages[0].text;
    let rest = first
        .strip_prefix("Write the ")
        .expect("the prompt names the channel");
    rest.split_whitespace().next().unwrap().to_string()
}

#[async_trait]
impl Llm for FakeLlm {
    async fn complete(&self, request: Completion) -> PortResult<CompletionOutput> {
        let channel = channel_of(&request);
        self.requests.lock().unwrap().push(request);
        if self.fail {
            return Err(PortError::Backend("throttled".to_string()));
        }
        let text = self
            .answers
            .lock()
            .unwrap()
            .get_mut(&channel)
            .and_then(VecDeque::pop_front)
            .unwrap_or_else(|| panic!("no answer left for {channel}"));
        Ok(CompletionOutput {
            text,
            input_tokens: 100,
            output_tokens: 50,
            stop_reason: "end_turn".to_string(),
        })
    }

    fn model(&self) -> &str {
        "fake-model"
    }
}

const BLOG: &str = r#"{"title": "Zero Trust for Regional Banks", "body": "Credential stuffing rose 38% in 2023 [1]. Mature programmes cut breach costs [2].\n\n[Download the playbook](https://example.com/zero-trust-playbook)\n\nPast results do not guarantee future outcomes.", "thread": []}"#;

#[tokio::test]
async fn the_prompt_carries_voice_brief_format_facts_and_schema() {
    let llm = FakeLlm::new(&[("blog", &[BLOG])]);
    let mut f = facts();
    f.push(fact(
        5,
        "This synergy story is off-limits.",
        "Banned Source",
    ));
    compose_llm(&llm, "bedrock", &brief(&["blog"]), &voice(), &f)
        .await
        .expect("drafts");
    let requests = llm.requests();
    assert_eq!(requests.len(), 1);
    let system = requests[0].system.clone().unwrap();
    let user = &requests[0].messages[0].text;
    let prompt = format!("{system}\n{user}");
    for expected in [
        "Northwind Security",
        "Tone: confident, clear",
        "Do: Lead with evidence",
        "Don't: Overpromise",
        "\"game-changer\", \"synergy\"",
        "\"Past results do not guarantee future outcomes.\"",
        "US grade 9",
        "Identity is the new perimeter. Start there.",
        "Do not invent facts",
        SCHEMA,
        "Topic: Zero-trust security for regional banks",
        "Audience: IT leaders at regional banks",
        "Call to action: Download the playbook",
        "https://example.com/zero-trust-playbook",
        "Keywords (work them in naturally): zero trust, bank security, identity",
        "about 600-1000 words",
        "2-4 sections with `##` headings",
        "[1] (FS-ISAC Threat Report 2024) Threat overview. Regional banks saw a 38% rise",
        "[4] (ffiec_guidance_2023.pdf) Banks that segmented",
        "cite as [n]",
    ] {
        assert!(
            prompt.contains(expected),
            "missing {expected:?} in\n{prompt}"
        );
    }
    assert!(
        !prompt.contains("synergy story"),
        "a fact with a banned term is not shown"
    );
    assert_eq!(requests[0].messages.len(), 1);
    assert_eq!(requests[0].max_tokens, 3_000);
}

#[tokio::test]
async fn drafts_record_provider_prompt_version_and_cited_sources() {
    let llm = FakeLlm::new(&[("blog", &[BLOG])]);
    let drafts = compose_llm(&llm, "bedrock", &brief(&["blog"]), &voice(), &facts())
        .await
        .unwrap();
    let draft = &drafts[0];
    assert_eq!(draft.channel, "blog");
    assert_eq!(draft.provider, "bedrock:fake-model");
    assert_eq!(draft.prompt_version, PROMPT_VERSION);
    assert_eq!(
        draft.title.as_deref(),
        Some("Zero Trust for Regional Banks")
    );
    let numbers: Vec<usize> = draft.sources.iter().map(|s| s.n).collect();
    assert_eq!(numbers, [1, 2]);
}

#[tokio::test]
async fn a_malformed_answer_gets_one_repair_turn() {
    let broken = "Sure! Here is your post:\n{\"title\": null, \"body\": 42}";
    let fixed = r#"```json
{"title": null, "body": "Credential stuffing rose 38% [1].\n\nPast results do not guarantee future outcomes.\n\n#ZeroTrust #BankSecurity #Identity", "thread": []}
```"#;
    let llm = FakeLlm::new(&[("linkedin", &[broken, fixed])]);
    let drafts = compose_llm(&llm, "openai", &brief(&["linkedin"]), &voice(), &facts())
        .await
        .expect("repaired");
    assert!(
        drafts[0]
            .body
            .starts_with("Credential stuffing rose 38% [1].")
    );
    let requests = llm.requests();
    assert_eq!(requests.len(), 2);
    let repair = &requests[1].messages;
    let roles: Vec<Role> = repair.iter().map(|m| m.role).collect();
    assert_eq!(roles, [Role::User, Role::Assistant, Role::User]);
    assert_eq!(repair[1].text, broken, "the model sees its own answer");
    assert!(repair[2].text.contains("at `body`"), "{}", repair[2].text);
    assert!(repair[2].text.contains(SCHEMA));
}

#[tokio::test]
async fn an_overlong_post_is_sent_back_for_repair() {
    let long = format!(
        r#"{{"title": null, "body": "", "thread": ["1/2 {}", "2/2 Download: https://example.com/zero-trust-playbook"]}}"#,
        "word ".repeat(70)
    );
    let fine = r#"{"title": null, "body": "", "thread": ["1/2 Credential stuffing rose 38% [1].", "2/2 Download: https://example.com/zero-trust-playbook Past results do not guarantee future outcomes."]}"#;
    let llm = FakeLlm::new(&[("x", &[&long, fine])]);
    let drafts = compose_llm(&llm, "bedrock", &brief(&["x"]), &voice(), &facts())
        .await
        .unwrap();
    let requests = llm.requests();
    assert!(
        requests[1].messages[2].text.contains("at `thread[0]`"),
        "{}",
        requests[1].messages[2].text
    );
    assert_eq!(drafts[0].thread.len(), 2);
    assert_eq!(drafts[0].body, drafts[0].thread.join("\n\n"));
}

#[tokio::test]
async fn an_answer_malformed_twice_is_a_model_error() {
    let llm = FakeLlm::new(&[(
        "newsletter",
        &[
            "no json here",
            r#"{"title": "T", "body": "", "thread": []}"#,
        ],
    )]);
    let error = compose_llm(&llm, "bedrock", &brief(&["newsletter"]), &voice(), &facts())
        .await
        .unwrap_err();
    match error {
        ComposeError::Model(message) => {
            assert!(message.contains("newsletter"), "{message}");
            assert!(message.contains("at `body`"), "{message}");
        }
        other => panic!("expected a model error, got {other:?}"),
    }
    assert_eq!(llm.requests().len(), 2, "exactly one repair");
}

#[tokio::test]
async fn citations_to_unknown_facts_are_removed() {
    let answer = r#"{"title": "Banks [9]", "body": "Attacks rose 38% [1]. Costs fell [7]. Both hold [2, 12].\n\nPast results do not guarantee future outcomes.", "thread": []}"#;
    let x = r#"{"title": null, "body": "", "thread": ["1/2 Attacks rose [1][6].", "2/2 More: https://example.com/zero-trust-playbook\n\nPast results do not guarantee future outcomes."]}"#;
    let llm = FakeLlm::new(&[("newsletter", &[answer]), ("x", &[x])]);
    let drafts = compose_llm(
        &llm,
        "bedrock",
        &brief(&["newsletter", "x"]),
        &voice(),
        &facts(),
    )
    .await
    .unwrap();
    assert_eq!(drafts[0].title.as_deref(), Some("Banks"));
    assert!(
        drafts[0]
            .body
            .starts_with("Attacks rose 38% [1]. Costs fell. Both hold [2]."),
        "{}",
        drafts[0].body
    );
    let numbers: Vec<usize> = drafts[0].sources.iter().map(|s| s.n).collect();
    assert_eq!(numbers, [1, 2]);
    assert_eq!(drafts[1].thread[0], "1/2 Attacks rose [1].");
    assert_eq!(drafts[1].sources.len(), 1);
}

#[tokio::test]
async fn banned_terms_are_dropped_and_missing_required_terms_added() {
    let answer = r#"{"title": "The Synergy Guide", "body": "Zero trust is a real game-changer. Attacks rose 38% [1].\nThis synergy helps. \n\nKeep going [2].", "thread": []}"#;
    let x = r#"{"title": null, "body": "", "thread": ["1/3 Synergy matters.", "2/3 Attacks rose 38% [1].", "3/3 More: https://example.com/zero-trust-playbook"]}"#;
    let llm = FakeLlm::new(&[("blog", &[answer]), ("x", &[x])]);
    let v = voice();
    let drafts = compose_llm(&llm, "bedrock", &brief(&["blog", "x"]), &v, &facts())
        .await
        .unwrap();
    let blog = &drafts[0];
    assert_eq!(blog.title.as_deref(), Some("The Guide"));
    assert_eq!(
        blog.body,
        "Attacks rose 38% [1].\n\nKeep going [2].\n\nPast results do not guarantee future outcomes."
    );
    let thread = &drafts[1].thread;
    assert_eq!(thread.len(), 2, "the emptied post is dropped: {thread:?}");
    assert_eq!(thread[0], "1/2 Attacks rose 38% [1].");
    assert!(thread[1].starts_with("2/2 More: https://example.com/zero-trust-playbook"));
    assert!(thread[1].ends_with("Past results do not guarantee future outcomes."));
    assert!(thread.iter().all(|p| x_weighted_len(p) <= 280));
}

#[tokio::test]
async fn channels_are_drafted_concurrently_in_brief_order() {
    // A stray thread on a channel that has none is not kept.
    let post = r#"{"title": null, "body": "A post [3].", "thread": ["stray"]}"#;
    let llm = FakeLlm::new(&[
        ("mastodon", &[post]),
        ("linkedin", &[post]),
        ("press_release", &[BLOG]),
    ]);
    let drafts = compose_llm(
        &llm,
        "bedrock",
        &brief(&["mastodon", "linkedin", "press_release"]),
        &voice(),
        &facts(),
    )
    .await
    .unwrap();
    let channels: Vec<&str> = drafts.iter().map(|d| d.channel.as_str()).collect();
    assert_eq!(channels, ["mastodon", "linkedin", "press_release"]);
    assert_eq!(llm.requests().len(), 3);
    assert!(
        drafts[0]
            .body
            .ends_with("Past results do not guarantee future outcomes.")
    );
}

#[tokio::test]
async fn an_invalid_brief_never_reaches_the_model() {
    let llm = FakeLlm::new(&[]);
    let error = compose_llm(&llm, "bedrock", &brief(&["fax"]), &voice(), &facts())
        .await
        .unwrap_err();
    assert!(
        matches!(error, ComposeError::Invalid { ref field, .. } if field == "channels[0]"),
        "{error:?}"
    );
    assert!(llm.requests().is_empty());
}

#[tokio::test]
async fn a_failed_model_call_is_a_model_error() {
    let mut llm = FakeLlm::new(&[]);
    llm.fail = true;
    let error = compose_llm(&llm, "bedrock", &brief(&["blog"]), &voice(), &facts())
        .await
        .unwrap_err();
    assert!(
        matches!(error, ComposeError::Model(ref m) if m.contains("throttled")),
        "{error:?}"
    );
}
