//! The merged graph of a set of contributions: entities resolved across documents by key,
//! alias and acronym, relations summed over documents.

use foldhash::{HashMap, HashMapExt};
use serde::Serialize;

use crate::contribution::{Contribution, truncate};
use crate::extract::EntityKind;
use crate::extract::tokens::is_acronym;
use crate::resolve::{UnionFind, entity_key, initials};

/// An entity's stable id: the resolution key of its best-known name ("acme", "beta lab").
pub type EntityId = String;

const MAX_ALIASES: usize = 20;
const MAX_DESCRIPTION: usize = 500;
const MAX_RELATION_DESCRIPTIONS: usize = 5;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entity {
    pub id: EntityId,
    /// The surface form mentioned most often.
    pub name: String,
    pub kind: EntityKind,
    /// Every other name it goes by, sorted.
    pub aliases: Vec<String>,
    pub description: String,
    /// Chunks naming it, over all documents.
    pub mention_count: u32,
    pub document_ids: Vec<String>,
    pub chunk_ids: Vec<String>,
}

/// An undirected relation; `source` and `target` keep the direction of its first mention.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Relation {
    pub source: EntityId,
    pub target: EntityId,
    pub descriptions: Vec<String>,
    /// Summed over documents.
    pub weight: f64,
    pub document_ids: Vec<String>,
    /// Chunks in which the relation was seen: its evidence.
    pub chunk_ids: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Graph {
    pub(crate) entities: Vec<Entity>,
    pub(crate) relations: Vec<Relation>,
    /// Every resolution key (names and aliases) to its entity's index.
    pub(crate) by_key: HashMap<String, usize>,
    /// Each entity's (neighbour, relation) pairs, heaviest relation first.
    pub(crate) adjacency: Vec<Vec<(usize, usize)>>,
    /// Each relation's (source, target) entity indexes.
    pub(crate) endpoints: Vec<(usize, usize)>,
    /// Words in the longest key, for matching names in questions.
    pub(crate) max_key_words: usize,
}

/// Interned resolution keys with what resolution needs to know about them.
#[derive(Default)]
struct Keys {
    index: HashMap<String, usize>,
    keys: Vec<String>,
    /// Mentions per key, to pick the id of a merged entity.
    counts: Vec<u32>,
    /// Keys written as an acronym somewhere ("IBM").
    acronyms: Vec<usize>,
    /// Initials of multi-word names to their keys: "ibm" → "international business machine".
    initials: HashMap<String, Vec<usize>>,
}

impl Keys {
    fn intern(&mut self, surface: &str, count: u32) -> Option<usize> {
        let key = entity_key(surface);
        if key.is_empty() {
            return None;
        }
        let id = match self.index.get(&key) {
            Some(&id) => id,
            None => {
                let id = self.keys.len();
                self.index.insert(key.clone(), id);
                self.keys.push(key);
                self.counts.push(0);
                if is_acronym(surface.trim()) {
                    self.acronyms.push(id);
                } else if surface.split_whitespace().nth(1).is_some()
                    && let Some(letters) = initials(surface)
                {
                    self.initials.entry(letters).or_default().push(id);
                }
                id
            }
        };
        self.counts[id] += count;
        Some(id)
    }
}

/// What a merged entity collects before it becomes an [`Entity`].
#[derive(Default)]
struct Draft {
    surfaces: Vec<(String, u32)>,
    kinds: Vec<(EntityKind, u32)>,
    aliases: Vec<String>,
    description: String,
    mention_count: u32,
    documents: Vec<u32>,
    chunks: Vec<(u32, u32)>,
}

impl Graph {
    /// Merges contributions. The same contributions in the same order give the same graph;
    /// entity ids and the order of entities do not depend on the order of contributions.
    pub fn build(contributions: &[Contribution]) -> Graph {
        let mut keys = Keys::default();
        let mut links: Vec<(usize, usize)> = Vec::new();
        // The key of every mention, contribution by contribution.
        let mut mention_keys: Vec<Vec<Option<usize>>> = Vec::with_capacity(contributions.len());
        for contribution in contributions {
            let mut of_mention = Vec::with_capacity(contribution.entities.len());
            for mention in &contribution.entities {
                let key = keys.intern(&mention.name, mention.count);
                if let Some(key) = key {
                    for alias in &mention.aliases {
                        if let Some(alias) = keys.intern(alias, 0) {
                            links.push((key, alias));
                        }
                    }
                }
                of_mention.push(key);
            }
            mention_keys.push(of_mention);
        }
        let mut sets = UnionFind::new(keys.keys.len());
        for (a, b) in links {
            sets.union(a, b);
        }
        // An acronym joins the one multi-word name whose initials it spells; when several
        // names share those initials it stays apart rather than guess.
        for &acronym in &keys.acronyms {
            let Some(candidates) = keys.initials.get(&keys.keys[acronym]) else {
                continue;
            };
            let own = sets.find(acronym);
            let mut roots: Vec<usize> = candidates.iter().map(|&c| sets.find(c)).collect();
            roots.sort_unstable();
            roots.dedup();
            roots.retain(|&r| r != own);
            if let [root] = roots[..] {
                sets.union(acronym, root);
            }
        }

        // Each set's id is its most mentioned key (then the longest, then the first in
        // alphabetical order); entities are ordered by id so input order does not matter.
        let roots: Vec<usize> = (0..keys.keys.len()).map(|k| sets.find(k)).collect();
        let mut best: HashMap<usize, usize> = HashMap::new();
        for (k, &root) in roots.iter().enumerate() {
            let better = |current: usize| {
                let rank = |k: usize| (keys.counts[k], keys.keys[k].len());
                rank(k) > rank(current)
                    || (rank(k) == rank(current) && keys.keys[k] < keys.keys[current])
            };
            match best.get(&root) {
                Some(&current) if !better(current) => {}
                _ => {
                    best.insert(root, k);
                }
            }
        }
        let mut ids: Vec<(String, usize)> = best
            .iter()
            .map(|(&root, &k)| (keys.keys[k].clone(), root))
            .collect();
        ids.sort_unstable();
        let mut entity_of_root: HashMap<usize, usize> = HashMap::with_capacity(ids.len());
        for (index, (_, root)) in ids.iter().enumerate() {
            entity_of_root.insert(*root, index);
        }
        let entity_of_key: Vec<usize> = roots.iter().map(|r| entity_of_root[r]).collect();

        let mut drafts: Vec<Draft> = (0..ids.len()).map(|_| Draft::default()).collect();
        for (d, contribution) in contributions.iter().enumerate() {
            let d = d as u32;
            for (mention, key) in contribution.entities.iter().zip(&mention_keys[d as usize]) {
                let Some(key) = *key else {
                    continue;
                };
                let draft = &mut drafts[entity_of_key[key]];
                bump(&mut draft.surfaces, &mention.name, mention.count);
                bump(&mut draft.kinds, &mention.kind, mention.count);
                draft.aliases.extend(mention.aliases.iter().cloned());
                append(&mut draft.description, &mention.description);
                draft.mention_count += mention.count;
                if draft.documents.last() != Some(&d) {
                    draft.documents.push(d);
                }
                draft.chunks.extend(mention.chunks.iter().map(|&c| (d, c)));
            }
        }
        let entities: Vec<Entity> = drafts
            .into_iter()
            .zip(ids)
            .map(|(draft, (id, _))| draft.into_entity(id, contributions))
            .collect();

        let mut relations: Vec<Relation> = Vec::new();
        let mut endpoints: Vec<(usize, usize)> = Vec::new();
        let mut relation_chunks: Vec<Vec<(u32, u32)>> = Vec::new();
        let mut by_pair: HashMap<(usize, usize), usize> = HashMap::new();
        for (d, contribution) in contributions.iter().enumerate() {
            let of_mention = &mention_keys[d];
            let entity_of = |m: u32| {
                of_mention
                    .get(m as usize)
                    .copied()
                    .flatten()
                    .map(|k| entity_of_key[k])
            };
            let d = d as u32;
            for mention in &contribution.relations {
                let (Some(source), Some(target)) =
                    (entity_of(mention.source), entity_of(mention.target))
                else {
                    continue;
                };
                if source == target {
                    continue;
                }
                let r = *by_pair
                    .entry((source.min(target), source.max(target)))
                    .or_insert_with(|| {
                        relations.push(Relation {
                            source: entities[source].id.clone(),
                            target: entities[target].id.clone(),
                            descriptions: Vec::new(),
                            weight: 0.0,
                            document_ids: Vec::new(),
                            chunk_ids: Vec::new(),
                        });
                        endpoints.push((source, target));
                        relation_chunks.push(Vec::new());
                        relations.len() - 1
                    });
                let relation = &mut relations[r];
                relation.weight += mention.weight;
                if relation.document_ids.last() != Some(&contribution.document_id) {
                    relation.document_ids.push(contribution.document_id.clone());
                }
                for description in &mention.descriptions {
                    if relation.descriptions.len() < MAX_RELATION_DESCRIPTIONS
                        && !relation.descriptions.contains(description)
                    {
                        relation.descriptions.push(description.clone());
                    }
                }
                relation_chunks[r].extend(mention.chunks.iter().map(|&c| (d, c)));
            }
        }
        for (relation, chunks) in relations.iter_mut().zip(relation_chunks) {
            relation.chunk_ids = chunk_ids(chunks, contributions);
        }

        let mut adjacency: Vec<Vec<(usize, usize)>> = vec![Vec::new(); entities.len()];
        for (r, &(source, target)) in endpoints.iter().enumerate() {
            adjacency[source].push((target, r));
            adjacency[target].push((source, r));
        }
        for neighbours in &mut adjacency {
            neighbours.sort_by(|a, b| {
                relations[b.1]
                    .weight
                    .total_cmp(&relations[a.1].weight)
                    .then(a.0.cmp(&b.0))
            });
        }
        let max_key_words = keys
            .keys
            .iter()
            .map(|k| k.split(' ').count())
            .max()
            .unwrap_or(0);
        let by_key = keys
            .index
            .into_iter()
            .map(|(key, k)| (key, entity_of_key[k]))
            .collect();
        Graph {
            entities,
            relations,
            by_key,
            adjacency,
            endpoints,
            max_key_words,
        }
    }

    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    pub fn relations(&self) -> &[Relation] {
        &self.relations
    }

    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.by_key.get(id).map(|&i| &self.entities[i])
    }

    /// The entity a name or alias refers to, resolved as names are at build time.
    pub fn resolve(&self, name: &str) -> Option<&Entity> {
        self.entity(&entity_key(name))
    }

    pub(crate) fn index_of(&self, id: &str) -> Option<usize> {
        self.by_key.get(id).copied()
    }
}

impl Draft {
    fn into_entity(mut self, id: EntityId, contributions: &[Contribution]) -> Entity {
        // Most frequent surface form; among equals the longest, then alphabetical.
        let name = self
            .surfaces
            .iter()
            .max_by(|a, b| {
                a.1.cmp(&b.1)
                    .then(a.0.len().cmp(&b.0.len()))
                    .then(b.0.cmp(&a.0))
            })
            .map(|(name, _)| name.clone())
            .unwrap_or_else(|| id.clone());
        let kind = self
            .kinds
            .iter()
            .filter(|(kind, _)| *kind != EntityKind::Other)
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            .map_or(EntityKind::Other, |(kind, _)| *kind);
        self.aliases
            .extend(self.surfaces.into_iter().map(|(surface, _)| surface));
        self.aliases.retain(|a| *a != name);
        self.aliases.sort_unstable();
        self.aliases.dedup();
        self.aliases.truncate(MAX_ALIASES);
        Entity {
            id,
            name,
            kind,
            aliases: self.aliases,
            description: self.description,
            mention_count: self.mention_count,
            document_ids: self
                .documents
                .iter()
                .map(|&d| contributions[d as usize].document_id.clone())
                .collect(),
            chunk_ids: chunk_ids(self.chunks, contributions),
        }
    }
}

/// Chunk ids from (contribution, chunk index) pairs, in document order, without repeats.
fn chunk_ids(mut chunks: Vec<(u32, u32)>, contributions: &[Contribution]) -> Vec<String> {
    chunks.sort_unstable();
    chunks.dedup();
    chunks
        .into_iter()
        .filter_map(|(d, c)| contributions[d as usize].chunk_ids.get(c as usize).cloned())
        .collect()
}

fn bump<T: PartialEq + Clone>(counts: &mut Vec<(T, u32)>, value: &T, by: u32) {
    match counts.iter_mut().find(|(v, _)| v == value) {
        Some((_, n)) => *n += by,
        None => counts.push((value.clone(), by)),
    }
}

fn append(description: &mut String, addition: &str) {
    if addition.is_empty() || description.len() >= MAX_DESCRIPTION || description.contains(addition)
    {
        return;
    }
    if !description.is_empty() {
        description.push(' ');
    }
    let room = MAX_DESCRIPTION - description.len();
    description.push_str(truncate(addition, room));
}
