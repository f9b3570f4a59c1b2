//! Drafts written by the LLM port: one completion per channel, run concurrently; the answer
//! is JSON, checked against the schema and the channel's limits, with one repair turn for a
//! malformed answer; citations to unknown facts are dropped, and banned terms are never kept.

mod answer;
mod cleanup;

use crate::PROMPT_VERSION;
use crate::brief::{Brief, validate};
use crate::channel::Channel;
use crate::draft::Draft;
use crate::error::ComposeError;
use crate::fact::Fact;
use crate::prompt;
use crate::voice::Voice;
use futures::future::join_all;
use plasma_core::{Completion, Llm, Message, Role};

/// Sampling temperature for drafts: varied wording, within the voice.
const DRAFT_TEMPERATURE: f32 = 0.7;
/// The repair turn only fixes the shape, so it should not wander.
const REPAIR_TEMPERATURE: f32 = 0.2;

/// One draft per channel of `brief`, written by `llm`. `provider` names the model's
/// provider (`bedrock`, `openai`) for the drafts' `provider` field. Facts that hold a banned
/// term are not shown to the model. A failed model call, or an answer still malformed after
/// one repair, fails the whole request with [`ComposeError::Model`].
pub async fn compose_llm(
    llm: &dyn Llm,
    provider: &str,
    brief: &Brief,
    voice: &Voice,
    facts: &[Fact],
) -> Result<Vec<Draft>, ComposeError> {
    validate(brief)?;
    let mut usable: Vec<Fact> = Vec::with_capacity(facts.len());
    for fact in facts {
        if usable.iter().any(|f| f.n == fact.n) {
            continue;
        }
        if let Some(term) = voice.banned_in(&fact.text) {
            tracing::debug!(
                n = fact.n,
                term,
                "fact holds a banned term; not shown to the model"
            );
            continue;
        }
        usable.push(fact.clone());
    }
    let job = Job {
        llm,
        label: format!("{provider}:{}", llm.model()),
        system: prompt::system(voice),
        brief,
        voice,
        facts: usable,
    };
    let channels = brief.channels.iter().filter_map(|c| Channel::parse(c));
    let drafts = join_all(channels.map(|channel| job.draft(channel))).await;
    drafts.into_iter().collect()
}

/// What every channel's request shares.
struct Job<'a> {
    llm: &'a dyn Llm,
    /// `<provider>:<model>`.
    label: String,
    system: String,
    brief: &'a Brief,
    voice: &'a Voice,
    facts: Vec<Fact>,
}

impl Job<'_> {
    async fn draft(&self, channel: Channel) -> Result<Draft, ComposeError> {
        let (llm, system, facts) = (self.llm, self.system.as_str(), self.facts.as_slice());
        let ask = Message::user(prompt::user(self.brief, channel, self.voice, facts));
        let first = complete(llm, system, vec![ask.clone()], channel, DRAFT_TEMPERATURE).await?;
        let parsed = match answer::parse(&first, channel) {
            Ok(parsed) => parsed,
            Err(problem) => {
                tracing::warn!(
                    channel = channel.as_str(),
                    problem,
                    "malformed draft from the model; asking it to repair"
                );
                let conversation = vec![
                    ask,
                    Message {
                        role: Role::Assistant,
                        text: first,
                    },
                    Message::user(prompt::repair(&problem)),
                ];
                let second =
                    complete(llm, system, conversation, channel, REPAIR_TEMPERATURE).await?;
                answer::parse(&second, channel).map_err(|problem| {
                    ComposeError::Model(format!(
                        "{}: the answer was malformed twice; last: {problem}",
                        channel.as_str()
                    ))
                })?
            }
        };
        let cleaned = cleanup::clean(parsed, channel, self.voice, facts)?;
        Ok(Draft {
            channel: channel.as_str().to_string(),
            title: cleaned.title,
            body: cleaned.body,
            thread: cleaned.thread,
            provider: self.label.clone(),
            prompt_version: PROMPT_VERSION.to_string(),
            sources: cleaned.sources,
        })
    }
}

async fn complete(
    llm: &dyn Llm,
    system: &str,
    messages: Vec<Message>,
    channel: Channel,
    temperature: f32,
) -> Result<String, ComposeError> {
    llm.complete(Completion {
        system: Some(system.to_string()),
        messages,
        max_tokens: channel.max_tokens(),
        temperature,
    })
    .await
    .map(|output| output.text)
    .map_err(|e| ComposeError::Model(format!("{}: {e}", channel.as_str())))
}
