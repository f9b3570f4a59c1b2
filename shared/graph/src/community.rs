//! Communities of the graph for global questions ("what are the main themes?"): Louvain
//! clusters with a summary built from their entities and strongest relations. A model can
//! rewrite that material into prose with [`summarize_community`].

use foldhash::{HashSet, HashSetExt};
use plasma_core::{Completion, Llm, Message};
use serde::Serialize;

use crate::GraphError;
use crate::contribution::truncate;
use crate::graph::{EntityId, Graph};
use crate::louvain::louvain;

const TITLE_ENTITIES: usize = 3;
const SUMMARY_ENTITIES: usize = 10;
const SUMMARY_RELATIONS: usize = 10;
const MAX_SUMMARY: usize = 1_200;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Community {
    /// Position in the ranking, from 0 for the highest ranked.
    pub id: usize,
    /// Most mentioned first.
    pub entities: Vec<EntityId>,
    /// Relations with both ends in the community.
    pub relation_count: usize,
    /// Summed weight of those relations.
    pub weight: f64,
    /// Evidence chunks of the inner relations, or of the entities when there are none.
    pub chunk_ids: Vec<String>,
    /// `weight + entities.len()`: bigger and more tightly related communities first.
    pub rank: f64,
    /// The names of its most mentioned entities.
    pub title: String,
    /// Its entities with their kinds and its strongest relations with their descriptions,
    /// at most 1,200 bytes: material for an answer or for a model's summary.
    pub summary: String,
}

impl Graph {
    /// Every community, isolated entities included as their own, highest rank first.
    pub fn communities(&self) -> Vec<Community> {
        let edges: Vec<(usize, usize, f64)> = self
            .endpoints
            .iter()
            .zip(&self.relations)
            .map(|(&(a, b), r)| (a, b, r.weight))
            .collect();
        let assignment = louvain(self.entities.len(), &edges);
        let count = assignment.iter().max().map_or(0, |&m| m + 1);
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); count];
        for (entity, &community) in assignment.iter().enumerate() {
            members[community].push(entity);
        }
        let mut inner: Vec<Vec<usize>> = vec![Vec::new(); count];
        for (r, &(a, b)) in self.endpoints.iter().enumerate() {
            if assignment[a] == assignment[b] {
                inner[assignment[a]].push(r);
            }
        }
        let mut communities: Vec<Community> = members
            .into_iter()
            .zip(inner)
            .map(|(entities, relations)| self.community(entities, relations))
            .collect();
        communities.sort_by(|a, b| b.rank.total_cmp(&a.rank).then(a.entities.cmp(&b.entities)));
        for (id, community) in communities.iter_mut().enumerate() {
            community.id = id;
        }
        communities
    }

    fn community(&self, mut entities: Vec<usize>, mut relations: Vec<usize>) -> Community {
        entities.sort_by(|&a, &b| {
            let (a, b) = (&self.entities[a], &self.entities[b]);
            b.mention_count.cmp(&a.mention_count).then(a.id.cmp(&b.id))
        });
        relations.sort_by(|&a, &b| {
            self.relations[b]
                .weight
                .total_cmp(&self.relations[a].weight)
                .then(a.cmp(&b))
        });
        let weight: f64 = relations.iter().map(|&r| self.relations[r].weight).sum();
        let mut seen = HashSet::new();
        let mut chunk_ids: Vec<String> = Vec::new();
        let sources: Vec<&Vec<String>> = if relations.is_empty() {
            entities
                .iter()
                .map(|&e| &self.entities[e].chunk_ids)
                .collect()
        } else {
            relations
                .iter()
                .map(|&r| &self.relations[r].chunk_ids)
                .collect()
        };
        for chunk in sources.into_iter().flatten() {
            if seen.insert(chunk.as_str()) {
                chunk_ids.push(chunk.clone());
            }
        }
        let title = entities
            .iter()
            .take(TITLE_ENTITIES)
            .map(|&e| self.entities[e].name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        Community {
            id: 0,
            rank: weight + entities.len() as f64,
            summary: self.summary(&entities, &relations),
            entities: entities
                .iter()
                .map(|&e| self.entities[e].id.clone())
                .collect(),
            relation_count: relations.len(),
            weight,
            chunk_ids,
            title,
        }
    }

    fn summary(&self, entities: &[usize], relations: &[usize]) -> String {
        let listed: Vec<String> = entities
            .iter()
            .take(SUMMARY_ENTITIES)
            .map(|&e| {
                let entity = &self.entities[e];
                format!("{} ({})", entity.name, entity.kind.as_str())
            })
            .collect();
        let mut summary = format!("Entities: {}.", listed.join(", "));
        let related: Vec<String> = relations
            .iter()
            .take(SUMMARY_RELATIONS)
            .map(|&r| {
                let relation = &self.relations[r];
                let (a, b) = self.endpoints[r];
                let how = relation
                    .descriptions
                    .first()
                    .map_or("related", String::as_str);
                format!(
                    "{} – {}: {how}",
                    self.entities[a].name, self.entities[b].name
                )
            })
            .collect();
        if !related.is_empty() {
            summary.push_str(&format!("\nRelations: {}.", related.join("; ")));
        }
        truncate(&summary, MAX_SUMMARY).to_string()
    }
}

/// A model's prose summary of a community, written from its `summary` material.
pub async fn summarize_community(
    llm: &dyn Llm,
    community: &Community,
) -> Result<String, GraphError> {
    let prompt = format!(
        "Below are the entities and relations of one community of a knowledge graph built \
         from a document collection. Write a summary of 3 to 5 sentences saying what this \
         community is about and how its main entities relate, using only this material.\n\n\
         Title: {}\n{}",
        community.title, community.summary
    );
    let output = llm
        .complete(Completion {
            system: None,
            messages: vec![Message::user(prompt)],
            max_tokens: 400,
            temperature: 0.0,
        })
        .await?;
    let text = output.text.trim();
    if text.is_empty() {
        return Err(GraphError::InvalidOutput("empty summary".to_string()));
    }
    Ok(text.to_string())
}
