//! The LLM extractor and community summaries against a fake model.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use plasma_core::{Completion, CompletionOutput, Llm, PortError, PortResult};
use plasma_graph::{
    ChunkText, Contribution, EntityKind, Extractor, Graph, GraphError, LlmExtractor,
    summarize_community,
};

/// Answers every request with the same text and keeps the prompts it was sent.
struct FakeLlm {
    answer: Result<String, PortError>,
    prompts: Mutex<Vec<String>>,
}

impl FakeLlm {
    fn answering(answer: &str) -> Arc<Self> {
        Arc::new(Self {
            answer: Ok(answer.to_string()),
            prompts: Mutex::new(Vec::new()),
        })
    }
}

#[async_trait]
impl Llm for FakeLlm {
    async fn complete(&self, request: Completion) -> PortResult<CompletionOutput> {
        let prompt = request
            .messages
            .iter()
            .map(|m| m.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        self.prompts.lock().expect("not poisoned").push(prompt);
        self.answer.clone().map(|text| CompletionOutput {
            text,
            input_tokens: 10,
            output_tokens: 10,
            stop_reason: "end_turn".to_string(),
        })
    }

    fn model(&self) -> &str {
        "fake-model"
    }
}

fn chunk() -> ChunkText {
    ChunkText {
        chunk_id: "d1#0".to_string(),
        text: "Acme Corp acquired Beta Labs in 2020.".to_string(),
    }
}

const VALID: &str = r#"{"entities":[
  {"name":"Acme Corp","kind":"organisation","description":"A buyer.","aliases":["Acme"]},
  {"name":"Beta Labs","kind":"company"},
  {"name":"2020","kind":"date"}],
 "relations":[
  {"source":"Acme","target":"Beta Labs","description":"acquired","weight":42},
  {"source":"Beta Labs","target":"Gamma","description":"unlisted end","weight":3},
  {"source":"Acme Corp","target":"2020","description":"year of the deal"}]}"#;

#[tokio::test]
async fn valid_json_is_checked_and_normalised() {
    let llm = FakeLlm::answering(VALID);
    let extractor = LlmExtractor::new(llm.clone());
    assert_eq!(extractor.name(), "llm:fake-model");
    let extraction = extractor.extract(&chunk()).await.expect("valid answer");
    let kinds: Vec<(&str, EntityKind)> = extraction
        .entities
        .iter()
        .map(|e| (e.name.as_str(), e.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("Acme Corp", EntityKind::Organization),
            ("Beta Labs", EntityKind::Organization),
            ("2020", EntityKind::Other)
        ]
    );
    assert_eq!(extraction.entities[0].aliases, ["Acme"]);
    assert_eq!(
        extraction.relations.len(),
        2,
        "the relation to an unlisted entity is dropped"
    );
    assert_eq!(extraction.relations[0].weight, 10.0, "weights are clamped");
    assert_eq!(
        extraction.relations[1].weight, 1.0,
        "a missing weight counts as 1"
    );
    let prompts = llm.prompts.lock().expect("not poisoned");
    assert!(
        prompts[0].ends_with("Acme Corp acquired Beta Labs in 2020."),
        "{}",
        prompts[0]
    );

    // The relation named through an alias still lands on the right entities.
    let contribution =
        Contribution::from_extractions("d1", "", &[("d1#0".to_string(), extraction)]);
    let graph = Graph::build(&[contribution]);
    let acquired = graph
        .relations()
        .iter()
        .find(|r| r.descriptions == ["acquired"])
        .expect("acquired");
    assert_eq!(
        (acquired.source.as_str(), acquired.target.as_str()),
        ("acme", "beta lab")
    );
}

#[tokio::test]
async fn fenced_json_with_preamble_is_accepted() {
    let answer = format!("Here is the graph:\n```json\n{VALID}\n```\n");
    let extraction = LlmExtractor::new(FakeLlm::answering(&answer))
        .extract(&chunk())
        .await
        .expect("fenced answer");
    assert_eq!(extraction.entities.len(), 3);
}

#[tokio::test]
async fn invalid_answers_are_errors_that_say_what_was_wrong() {
    let cases = [
        ("I could not find any entities.", "no JSON object"),
        (
            r#"{"entities": [{"name": "Acme", "kind": "organization"}], "relations": [}"#,
            "relations",
        ),
        (
            r#"{"entities": [{"name": "Acme", "colour": "red"}]}"#,
            "entities[0]",
        ),
        (r#"{"entities": [{"name": "  "}]}"#, "entities[0].name"),
        (r#"{"relations": []}"#, "entities"),
        (
            r#"{"entities": [{"name": "Acme"}], "relations": [{"source": "Acme"}]}"#,
            "relations[0]",
        ),
    ];
    for (answer, mentions) in cases {
        let error = LlmExtractor::new(FakeLlm::answering(answer))
            .extract(&chunk())
            .await
            .expect_err(answer);
        let GraphError::InvalidOutput(message) = &error else {
            panic!("{answer}: {error:?}");
        };
        assert!(message.contains(mentions), "{answer}: {message}");
    }
}

#[tokio::test]
async fn model_failures_pass_through() {
    let llm = Arc::new(FakeLlm {
        answer: Err(PortError::Backend("throttled".to_string())),
        prompts: Mutex::new(Vec::new()),
    });
    let error = LlmExtractor::new(llm)
        .extract(&chunk())
        .await
        .expect_err("fails");
    assert_eq!(
        error,
        GraphError::Llm(PortError::Backend("throttled".to_string()))
    );
}

#[tokio::test]
async fn community_summaries_by_a_model_use_the_community_material() {
    let graph = Graph::build(&[Contribution::from_extractions(
        "d1",
        "",
        &[(
            "d1#0".to_string(),
            plasma_graph::BuiltinExtractor::new()
                .extract_text("Acme Corp acquired Beta Labs in 2020."),
        )],
    )]);
    let community = &graph.communities()[0];
    let llm = FakeLlm::answering("  Acme Corp bought Beta Labs.  ");
    let summary = summarize_community(llm.as_ref(), community)
        .await
        .expect("summary");
    assert_eq!(summary, "Acme Corp bought Beta Labs.");
    let prompts = llm.prompts.lock().expect("not poisoned");
    assert!(
        prompts[0].contains("Acme Corp – Beta Labs: acquired"),
        "{}",
        prompts[0]
    );
}
