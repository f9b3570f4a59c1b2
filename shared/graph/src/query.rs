//! Look-ups over a built graph: entities by name, entities named in a question,
//! neighbourhoods and paths.

use std::collections::VecDeque;

use foldhash::{HashMap, HashMapExt};

use crate::extract::lexicon::STOP_WORDS;
use crate::extract::tokens::{Token, TokenKind, is_acronym, tokenize};
use crate::graph::{Entity, EntityId, Graph, Relation};
use crate::resolve::entity_key;

/// Part of the graph: entities and the relations among them, ready to export.
#[derive(Debug, Clone, PartialEq)]
pub struct Subgraph<'g> {
    pub entities: Vec<&'g Entity>,
    pub relations: Vec<&'g Relation>,
}

/// A path between two entities: `relations[i]` joins `entities[i]` and `entities[i + 1]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Path<'g> {
    pub entities: Vec<&'g Entity>,
    pub relations: Vec<&'g Relation>,
}

impl Graph {
    /// Entities whose name or an alias matches `query`: the whole name first, then names
    /// starting with it, names containing all its words, names containing it; more mentioned
    /// entities first among equals.
    pub fn search_entities(&self, query: &str, limit: usize) -> Vec<&Entity> {
        let query = entity_key(query);
        if query.is_empty() {
            return Vec::new();
        }
        let words: Vec<&str> = query.split(' ').collect();
        let mut scores: HashMap<usize, u8> = HashMap::new();
        for (key, &entity) in &self.by_key {
            let score = if *key == query {
                4
            } else if key.starts_with(&query) {
                3
            } else if words.iter().all(|w| key.split(' ').any(|k| k == *w)) {
                2
            } else if key.contains(&query) {
                1
            } else {
                continue;
            };
            let best = scores.entry(entity).or_insert(0);
            *best = (*best).max(score);
        }
        let mut found: Vec<(u8, &Entity)> = scores
            .into_iter()
            .map(|(entity, score)| (score, &self.entities[entity]))
            .collect();
        found.sort_by(|(sa, a), (sb, b)| {
            sb.cmp(sa)
                .then(b.mention_count.cmp(&a.mention_count))
                .then(a.id.cmp(&b.id))
        });
        found.into_iter().take(limit).map(|(_, e)| e).collect()
    }

    /// Entities named in `text` (a question), by name or alias, whole words only and
    /// ignoring case; the longest names first, then in order of appearance. Names of three
    /// letters or fewer need a capital ("US", not "us").
    pub fn entities_in(&self, text: &str) -> Vec<EntityId> {
        let mut tokens = Vec::new();
        tokenize(text, &mut tokens);
        // Words, each with whether a phrase may continue from the previous word.
        let mut words: Vec<(Token, bool)> = Vec::new();
        let mut joined = false;
        for token in tokens {
            match token.kind {
                TokenKind::Word => {
                    words.push((token, joined));
                    joined = true;
                }
                TokenKind::Punct('&' | '-' | '\'' | '’') => {}
                TokenKind::Punct(_) => joined = false,
            }
        }
        let mut found: Vec<(usize, usize, usize)> = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let longest = (1..=self.max_key_words.min(words.len() - i))
                .rev()
                .filter(|&n| words[i + 1..i + n].iter().all(|(_, joined)| *joined))
                .find_map(|n| {
                    let surface = &text[words[i].0.start..words[i + n - 1].0.end];
                    self.name_match(surface).map(|entity| (n, entity))
                });
            match longest {
                Some((n, entity)) => {
                    found.push((n, i, entity));
                    i += n;
                }
                None => i += 1,
            }
        }
        found.sort_by_key(|&(n, position, _)| (std::cmp::Reverse(n), position));
        let mut ids: Vec<EntityId> = Vec::with_capacity(found.len());
        for (_, _, entity) in found {
            let id = &self.entities[entity].id;
            if !ids.contains(id) {
                ids.push(id.clone());
            }
        }
        ids
    }

    fn name_match(&self, surface: &str) -> Option<usize> {
        let key = entity_key(surface);
        let stop = STOP_WORDS.contains(key.as_str()) && !is_acronym(surface);
        if stop || (key.len() <= 3 && !surface.chars().any(char::is_uppercase)) {
            return None;
        }
        self.by_key.get(&key).copied()
    }

    /// The entities within `depth` relations (1 to 3) of `id`, at most `limit` of them
    /// counting `id`, and the relations among them. Each level takes its strongest
    /// relations first. `None` when `id` is not in the graph.
    pub fn neighbourhood(&self, id: &str, depth: usize, limit: usize) -> Option<Subgraph<'_>> {
        let start = self.index_of(id)?;
        let limit = limit.max(1);
        let mut included = vec![false; self.entities.len()];
        included[start] = true;
        let mut order = vec![start];
        let mut frontier = vec![start];
        for _ in 0..depth.clamp(1, 3) {
            let mut candidates: Vec<(f64, usize)> = frontier
                .iter()
                .flat_map(|&n| self.adjacency[n].iter())
                .filter(|&&(m, _)| !included[m])
                .map(|&(m, r)| (self.relations[r].weight, m))
                .collect();
            candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
            frontier.clear();
            for (_, m) in candidates {
                if order.len() >= limit {
                    break;
                }
                if !included[m] {
                    included[m] = true;
                    order.push(m);
                    frontier.push(m);
                }
            }
            if frontier.is_empty() {
                break;
            }
        }
        Some(self.induced(&order, &included))
    }

    /// The entities of `order` and every relation between two of them, heaviest first.
    fn induced(&self, order: &[usize], included: &[bool]) -> Subgraph<'_> {
        let mut relations: Vec<usize> = order
            .iter()
            .flat_map(|&n| self.adjacency[n].iter().map(move |&(m, r)| (n, m, r)))
            .filter(|&(n, m, _)| included[m] && n < m)
            .map(|(_, _, r)| r)
            .collect();
        relations.sort_by(|&a, &b| {
            self.relations[b]
                .weight
                .total_cmp(&self.relations[a].weight)
                .then(a.cmp(&b))
        });
        Subgraph {
            entities: order.iter().map(|&n| &self.entities[n]).collect(),
            relations: relations.iter().map(|&r| &self.relations[r]).collect(),
        }
    }

    /// A path with the fewest relations from `from` to `to`, preferring stronger relations
    /// among equally short paths.
    pub fn shortest_path(&self, from: &str, to: &str) -> Option<Path<'_>> {
        let (start, goal) = (self.index_of(from)?, self.index_of(to)?);
        let mut previous: Vec<Option<(usize, usize)>> = vec![None; self.entities.len()];
        let mut seen = vec![false; self.entities.len()];
        seen[start] = true;
        let mut queue = VecDeque::from([start]);
        while let Some(n) = queue.pop_front() {
            if n == goal {
                break;
            }
            for &(m, r) in &self.adjacency[n] {
                if !seen[m] {
                    seen[m] = true;
                    previous[m] = Some((n, r));
                    queue.push_back(m);
                }
            }
        }
        if !seen[goal] {
            return None;
        }
        let mut entities = vec![&self.entities[goal]];
        let mut relations = Vec::new();
        let mut at = goal;
        while let Some((before, r)) = previous[at] {
            relations.push(&self.relations[r]);
            entities.push(&self.entities[before]);
            at = before;
        }
        entities.reverse();
        relations.reverse();
        Some(Path {
            entities,
            relations,
        })
    }

    /// The whole graph, for export.
    pub fn all(&self) -> Subgraph<'_> {
        Subgraph {
            entities: self.entities.iter().collect(),
            relations: self.relations.iter().collect(),
        }
    }
}
