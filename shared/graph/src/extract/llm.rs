//! Extraction by a language model asked for strict JSON, checked before it is trusted.

use std::sync::Arc;

use async_trait::async_trait;
use foldhash::{HashSet, HashSetExt};
use plasma_core::{Completion, Llm, Message};
use serde::Deserialize;

use super::{ChunkText, EntityKind, ExtractedEntity, ExtractedRelation, Extraction, Extractor};
use crate::GraphError;
use crate::resolve::entity_key;

const SYSTEM: &str = "You extract a knowledge graph from text. Answer with one JSON object \
and nothing else.";

const INSTRUCTIONS: &str = r#"Extract the named entities and key concepts of the text below, and the relations between them that the text states.

Answer with exactly this JSON shape:
{"entities":[{"name":"...","kind":"person|organization|location|product|concept|event|other","description":"one sentence from the text's point of view","aliases":["other names used in the text"]}],
 "relations":[{"source":"entity name","target":"entity name","description":"how they are related, in a few words","weight":1}]}

Rules: every relation's source and target must be names listed in "entities"; weight is the strength of the relation from 1 (mentioned together) to 10 (central to the text); use [] when there is nothing to extract.

Text:
"#;

/// Heaviest weight a model may give a relation; larger values are clamped to it.
const MAX_WEIGHT: f64 = 10.0;

pub struct LlmExtractor {
    llm: Arc<dyn Llm>,
    name: String,
    max_tokens: u32,
}

impl LlmExtractor {
    pub fn new(llm: Arc<dyn Llm>) -> Self {
        let name = format!("llm:{}", llm.model());
        Self {
            llm,
            name,
            max_tokens: 2_000,
        }
    }

    /// Room for the answer; chunks dense with entities need more than the default 2,000.
    pub fn with_max_tokens(mut self, max_tokens: u32) -> Self {
        self.max_tokens = max_tokens;
        self
    }
}

#[async_trait]
impl Extractor for LlmExtractor {
    async fn extract(&self, chunk: &ChunkText) -> Result<Extraction, GraphError> {
        let output = self
            .llm
            .complete(Completion {
                system: Some(SYSTEM.to_string()),
                messages: vec![Message::user(format!("{INSTRUCTIONS}{}", chunk.text))],
                max_tokens: self.max_tokens,
                temperature: 0.0,
            })
            .await?;
        parse(&output.text)
    }

    fn name(&self) -> &str {
        &self.name
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Answer {
    entities: Vec<AnswerEntity>,
    #[serde(default)]
    relations: Vec<AnswerRelation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswerEntity {
    name: String,
    #[serde(default, alias = "type")]
    kind: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswerRelation {
    source: String,
    target: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    weight: Option<f64>,
}

/// Reads a model's answer: the JSON object, possibly inside a code fence or after a line of
/// preamble. Relations naming entities the answer did not list are dropped.
pub(crate) fn parse(answer: &str) -> Result<Extraction, GraphError> {
    let json = json_object(answer).ok_or_else(|| {
        GraphError::InvalidOutput(format!(
            "no JSON object in the answer: {:?}",
            answer.chars().take(80).collect::<String>()
        ))
    })?;
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let parsed: Answer = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|e| GraphError::InvalidOutput(format!("at `{}`: {}", e.path(), e.inner())))?;
    let mut entities = Vec::with_capacity(parsed.entities.len());
    let mut known = HashSet::new();
    for (i, entity) in parsed.entities.into_iter().enumerate() {
        let name = entity.name.trim().to_string();
        if entity_key(&name).is_empty() {
            return Err(GraphError::InvalidOutput(format!(
                "at `entities[{i}].name`: empty name"
            )));
        }
        known.insert(entity_key(&name));
        let aliases: Vec<String> = entity
            .aliases
            .into_iter()
            .map(|a| a.trim().to_string())
            .filter(|a| !entity_key(a).is_empty() && *a != name)
            .collect();
        known.extend(aliases.iter().map(|a| entity_key(a)));
        entities.push(ExtractedEntity {
            name,
            kind: EntityKind::parse_lenient(&entity.kind),
            description: entity.description.trim().to_string(),
            aliases,
        });
    }
    let mut relations = Vec::with_capacity(parsed.relations.len());
    for relation in parsed.relations {
        let endpoints_listed = known.contains(&entity_key(&relation.source))
            && known.contains(&entity_key(&relation.target));
        if !endpoints_listed {
            tracing::debug!(
                source = relation.source,
                target = relation.target,
                "dropping a relation between entities the model did not list"
            );
            continue;
        }
        let weight = relation
            .weight
            .filter(|w| w.is_finite())
            .unwrap_or(1.0)
            .clamp(1.0, MAX_WEIGHT);
        relations.push(ExtractedRelation {
            source: relation.source.trim().to_string(),
            target: relation.target.trim().to_string(),
            description: relation.description.trim().to_string(),
            weight,
        });
    }
    Ok(Extraction {
        entities,
        relations,
    })
}

/// The outermost `{...}` of the answer, which skips code fences and any preamble.
fn json_object(answer: &str) -> Option<&str> {
    let start = answer.find('{')?;
    let end = answer.rfind('}')?;
    (end > start).then(|| &answer[start..=end])
}
