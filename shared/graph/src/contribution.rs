//! One document's share of the graph: its entities and relations aggregated over its chunks.
//! Stored per document and merged at query time, so deleting a document deletes its share.

use foldhash::{HashMap, HashMapExt};
use serde::{Deserialize, Serialize};

use crate::extract::{EntityKind, Extraction};
use crate::resolve::entity_key;

/// Entities kept per document, most mentioned first: bounds a contribution's size.
const MAX_ENTITIES: usize = 100;
/// Relations kept per document, heaviest first.
const MAX_RELATIONS: usize = 200;
const MAX_ENTITY_DESCRIPTION: usize = 300;
const MAX_RELATION_DESCRIPTIONS: usize = 2;
const MAX_RELATION_DESCRIPTION: usize = 120;

/// Serialized with short field names and chunk ids by index: a 50-chunk document takes a
/// few kilobytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    pub document_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// The document's chunks; mentions point into this list by index.
    #[serde(rename = "chunks")]
    pub chunk_ids: Vec<String>,
    pub entities: Vec<EntityMention>,
    pub relations: Vec<RelationMention>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityMention {
    /// The most frequent surface form in the document.
    #[serde(rename = "n")]
    pub name: String,
    #[serde(rename = "k")]
    pub kind: EntityKind,
    #[serde(rename = "a", default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(rename = "d", default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Chunks naming the entity.
    #[serde(rename = "c")]
    pub count: u32,
    /// Indexes into [`Contribution::chunk_ids`], ascending.
    #[serde(rename = "ch")]
    pub chunks: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelationMention {
    /// Index into [`Contribution::entities`].
    #[serde(rename = "s")]
    pub source: u32,
    /// Index into [`Contribution::entities`].
    #[serde(rename = "t")]
    pub target: u32,
    #[serde(rename = "d", default, skip_serializing_if = "Vec::is_empty")]
    pub descriptions: Vec<String>,
    #[serde(rename = "w")]
    pub weight: f64,
    #[serde(rename = "ch")]
    pub chunks: Vec<u32>,
}

struct EntityDraft {
    surfaces: Vec<(String, u32)>,
    kinds: Vec<(EntityKind, u32)>,
    mention: EntityMention,
}

impl Contribution {
    /// Aggregates the extractions of a document's chunks, given in document order.
    /// Relations whose ends are not among the extracted entities (by name or alias) are
    /// dropped.
    pub fn from_extractions(
        document_id: impl Into<String>,
        title: impl Into<String>,
        extractions: &[(String, Extraction)],
    ) -> Self {
        let mut drafts: Vec<EntityDraft> = Vec::new();
        let mut by_key: HashMap<String, usize> = HashMap::new();
        for (chunk, (_, extraction)) in extractions.iter().enumerate() {
            let chunk = chunk as u32;
            for entity in &extraction.entities {
                let key = entity_key(&entity.name);
                if key.is_empty() {
                    continue;
                }
                let index = *by_key.entry(key).or_insert_with(|| {
                    drafts.push(EntityDraft {
                        surfaces: Vec::new(),
                        kinds: Vec::new(),
                        mention: EntityMention {
                            name: String::new(),
                            kind: EntityKind::Other,
                            aliases: Vec::new(),
                            description: String::new(),
                            count: 0,
                            chunks: Vec::new(),
                        },
                    });
                    drafts.len() - 1
                });
                let draft = &mut drafts[index];
                bump(&mut draft.surfaces, entity.name.trim().to_string());
                bump(&mut draft.kinds, entity.kind);
                let mention = &mut draft.mention;
                if mention.chunks.last() != Some(&chunk) {
                    mention.chunks.push(chunk);
                    mention.count += 1;
                }
                for alias in &entity.aliases {
                    if !mention.aliases.contains(alias) {
                        mention.aliases.push(alias.clone());
                    }
                }
                append_description(&mut mention.description, &entity.description);
            }
        }
        for (index, draft) in drafts.iter().enumerate() {
            for alias in &draft.mention.aliases {
                by_key.entry(entity_key(alias)).or_insert(index);
            }
        }

        let mut relations: Vec<RelationMention> = Vec::new();
        let mut relation_by_pair: HashMap<(usize, usize), usize> = HashMap::new();
        for (chunk, (_, extraction)) in extractions.iter().enumerate() {
            let chunk = chunk as u32;
            for relation in &extraction.relations {
                let ends = (
                    by_key.get(&entity_key(&relation.source)),
                    by_key.get(&entity_key(&relation.target)),
                );
                let (Some(&source), Some(&target)) = ends else {
                    continue;
                };
                if source == target {
                    continue;
                }
                let index = *relation_by_pair
                    .entry((source.min(target), source.max(target)))
                    .or_insert_with(|| {
                        relations.push(RelationMention {
                            source: source as u32,
                            target: target as u32,
                            descriptions: Vec::new(),
                            weight: 0.0,
                            chunks: Vec::new(),
                        });
                        relations.len() - 1
                    });
                let mention = &mut relations[index];
                mention.weight += relation.weight;
                if mention.chunks.last() != Some(&chunk) {
                    mention.chunks.push(chunk);
                }
                let description = truncate(relation.description.trim(), MAX_RELATION_DESCRIPTION);
                if !description.is_empty()
                    && mention.descriptions.len() < MAX_RELATION_DESCRIPTIONS
                    && !mention.descriptions.iter().any(|d| d == description)
                {
                    mention.descriptions.push(description.to_string());
                }
            }
        }

        // Most mentioned entities first; the stable sort keeps document order among equals.
        let mut order: Vec<usize> = (0..drafts.len()).collect();
        order.sort_by_key(|&d| std::cmp::Reverse(drafts[d].mention.count));
        order.truncate(MAX_ENTITIES);
        let mut position: Vec<Option<u32>> = vec![None; drafts.len()];
        for (new, &old) in order.iter().enumerate() {
            position[old] = Some(new as u32);
        }
        let mut drafts: Vec<Option<EntityDraft>> = drafts.into_iter().map(Some).collect();
        let entities: Vec<EntityMention> = order
            .iter()
            .filter_map(|&d| drafts[d].take())
            .map(EntityDraft::into_mention)
            .collect();
        relations.retain_mut(|r| {
            match (position[r.source as usize], position[r.target as usize]) {
                (Some(source), Some(target)) => {
                    r.source = source;
                    r.target = target;
                    true
                }
                _ => false,
            }
        });
        // Heaviest first, and among equals those that say how the entities relate.
        relations.sort_by(|a, b| {
            b.weight
                .total_cmp(&a.weight)
                .then(a.descriptions.is_empty().cmp(&b.descriptions.is_empty()))
        });
        relations.truncate(MAX_RELATIONS);
        Self {
            document_id: document_id.into(),
            title: title.into(),
            chunk_ids: extractions.iter().map(|(id, _)| id.clone()).collect(),
            entities,
            relations,
        }
    }
}

impl EntityDraft {
    fn into_mention(self) -> EntityMention {
        let mut mention = self.mention;
        mention.name = most_frequent(&self.surfaces).clone();
        mention.kind = self
            .kinds
            .iter()
            .filter(|(kind, _)| *kind != EntityKind::Other)
            .max_by_key(|(_, n)| *n)
            .map_or(EntityKind::Other, |(kind, _)| *kind);
        mention.aliases.retain(|a| *a != mention.name);
        mention
    }
}

fn bump<T: PartialEq>(counts: &mut Vec<(T, u32)>, value: T) {
    match counts.iter_mut().find(|(v, _)| *v == value) {
        Some((_, n)) => *n += 1,
        None => counts.push((value, 1)),
    }
}

/// The value counted most often; the first seen among equals.
fn most_frequent<T>(counts: &[(T, u32)]) -> &T {
    let mut best = &counts[0];
    for candidate in &counts[1..] {
        if candidate.1 > best.1 {
            best = candidate;
        }
    }
    &best.0
}

fn append_description(description: &mut String, addition: &str) {
    let addition = addition.trim();
    if addition.is_empty() || description.contains(addition) {
        return;
    }
    let room = MAX_ENTITY_DESCRIPTION.saturating_sub(description.len() + 1);
    if room < 20 {
        return;
    }
    if !description.is_empty() {
        description.push(' ');
    }
    description.push_str(truncate(addition, room));
}

/// At most `max` bytes of `text`, cut at a character boundary.
pub(crate) fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}
