use super::SentimentProvider;
use async_trait::async_trait;
use plasma_core::{Completion, CompletionOutput, Llm, PortError, PortResult};
use std::sync::{Arc, Mutex};

/// Answers every request with `answer(texts in the request)` and records the requests.
struct FakeLlm {
    answer: fn(usize) -> PortResult<String>,
    requests: Mutex<Vec<Completion>>,
}

#[async_trait]
impl Llm for FakeLlm {
    async fn complete(&self, request: Completion) -> PortResult<CompletionOutput> {
        let prompt = &request.messages[0].text;
        let texts: Vec<String> =
            serde_json::from_str(prompt.trim_start_matches("Texts: ")).expect("texts as JSON");
        self.requests.lock().unwrap().push(request);
        Ok(CompletionOutput {
            text: (self.answer)(texts.len())?,
            input_tokens: 1,
            output_tokens: 1,
            stop_reason: "end_turn".into(),
        })
    }

    fn model(&self) -> &str {
        "fake"
    }
}

fn provider(answer: fn(usize) -> PortResult<String>) -> (SentimentProvider, Arc<FakeLlm>) {
    let fake = Arc::new(FakeLlm {
        answer,
        requests: Mutex::new(Vec::new()),
    });
    (SentimentProvider::Llm(fake.clone()), fake)
}

fn texts(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("I love it, number {i}!")).collect()
}

/// Every text scored 0.5, which the built-in analyser would never give these texts.
fn halves(n: usize) -> PortResult<String> {
    Ok(serde_json::to_string(&vec![serde_json::json!({"compound": 0.5}); n]).unwrap())
}

async fn built_in(texts: &[String]) -> Vec<f64> {
    SentimentProvider::BuiltIn.compounds(texts).await
}

#[tokio::test]
async fn a_well_formed_answer_gives_the_models_scores_in_batches_of_50() {
    let (provider, fake) = provider(halves);
    let scores = provider.compounds(&texts(120)).await;
    assert_eq!(scores, vec![0.5; 120]);
    let requests = fake.requests.lock().unwrap();
    assert_eq!(requests.len(), 3, "50 + 50 + 20");
    assert_eq!(requests[0].temperature, 0.0);
    assert!(
        requests[0]
            .system
            .as_deref()
            .unwrap()
            .contains("JSON array")
    );
}

#[tokio::test]
async fn an_unusable_answer_falls_back_to_the_built_in_analyser() {
    let answers: [fn(usize) -> PortResult<String>; 6] = [
        |_| Ok("Sure! Here are the scores: ...".into()),
        |n| halves(n + 1),
        |n| halves(n - 1),
        |n| Ok(serde_json::to_string(&vec![serde_json::json!({"compound": "high"}); n]).unwrap()),
        |n| Ok(serde_json::to_string(&vec![serde_json::json!({"compound": 1.5}); n]).unwrap()),
        |_| Err(PortError::Backend("throttled".into())),
    ];
    let input = texts(3);
    let expected = built_in(&input).await;
    assert!(expected.iter().all(|c| *c > 0.5), "{expected:?}");
    for answer in answers {
        let (provider, _) = provider(answer);
        assert_eq!(provider.compounds(&input).await, expected);
    }
}

#[tokio::test]
async fn a_bad_batch_falls_back_alone() {
    // The second batch (10 texts) gets a short answer; the first keeps the model's scores.
    let (provider, _) = provider(|n| if n == 50 { halves(n) } else { halves(n - 1) });
    let input = texts(60);
    let scores = provider.compounds(&input).await;
    assert_eq!(scores[..50], vec![0.5; 50][..]);
    assert_eq!(scores[50..], built_in(&input[50..]).await[..]);
}
