//! The built-in extractor: names from capitalisation and cue words, concepts from repeated or
//! domain-headed lowercase phrases, relations from co-occurrence in a sentence described by
//! the words between the two entities. No model; thousands of chunks per second.

use std::ops::Range;

use async_trait::async_trait;
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use super::lexicon::{
    CONCEPT_BREAKERS, CONNECTORS, DOMAIN_HEADS, DOMAIN_SUFFIXES, EVENT_SUFFIXES, INVESTMENT_WORDS,
    LOCATION_CUES, LOCATION_SUFFIXES, LOCATION_WORDS, LY_NOUNS, ORG_HEADS, ORG_NOUNS, ORG_SUFFIXES,
    PERSON_TITLES, PERSON_VERBS, PLACE_NOUNS, PRODUCT_CUES, STOP_WORDS, SUBJECT_VERBS,
    VERB_MARKERS,
};
use super::sentences::sentences;
use super::tokens::{Token, TokenKind, is_acronym, is_capitalised, is_lowercase_word, tokenize};
use super::{ChunkText, EntityKind, ExtractedEntity, ExtractedRelation, Extraction, Extractor};
use crate::GraphError;
use crate::resolve::entity_key;

/// Longest name, in words, the extractor will read as one entity.
const MAX_NAME_WORDS: usize = 6;
/// Entities further apart than this in a sentence's list of entities are not related.
const RELATION_WINDOW: usize = 3;
/// Connecting text longer than this many tokens says little about the relation.
const MAX_CONNECTING_TOKENS: usize = 8;
/// Concepts kept per chunk, most repeated first.
const MAX_CONCEPTS: usize = 8;
const MAX_DESCRIPTION_WORDS: usize = 15;

#[derive(Debug, Clone, Copy, Default)]
pub struct BuiltinExtractor;

impl BuiltinExtractor {
    pub fn new() -> Self {
        Self
    }

    /// The extraction of one text, synchronously.
    pub fn extract_text(&self, text: &str) -> Extraction {
        let mut chunk = Chunk::new(text);
        chunk.find_names();
        chunk.find_concepts();
        chunk.into_extraction()
    }
}

#[async_trait]
impl Extractor for BuiltinExtractor {
    async fn extract(&self, chunk: &ChunkText) -> Result<Extraction, GraphError> {
        Ok(self.extract_text(&chunk.text))
    }

    fn name(&self) -> &str {
        "builtin"
    }
}

/// How sure a kind guess is; a stronger cue replaces a weaker one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Cue {
    None,
    Preposition,
    Verb,
    Person,
    Suffix,
}

struct Slot {
    entity: ExtractedEntity,
    cue: Cue,
}

/// A sentence and a token range in it.
type Place = (usize, Range<usize>);

/// A candidate concept: where it occurs, and whether it ever ends a run of content words.
#[derive(Default)]
struct Phrase {
    places: Vec<Place>,
    ends_run: bool,
}

/// One place an entity is named: token range `name`, and `after`, the first token past the
/// name and any parenthetical alias.
struct Occurrence {
    sentence: usize,
    name: Range<usize>,
    after: usize,
    slot: usize,
}

struct Chunk<'t> {
    text: &'t str,
    tokens: Vec<Token>,
    lowers: Vec<String>,
    sentences: Vec<Range<usize>>,
    slots: Vec<Slot>,
    slot_by_key: HashMap<String, usize>,
    occurrences: Vec<Occurrence>,
}

impl<'t> Chunk<'t> {
    fn new(text: &'t str) -> Self {
        let mut tokens = Vec::new();
        tokenize(text, &mut tokens);
        let lowers = tokens.iter().map(|t| t.text(text).to_lowercase()).collect();
        let mut spans = Vec::new();
        sentences(text, &tokens, &mut spans);
        Self {
            text,
            tokens,
            lowers,
            sentences: spans,
            slots: Vec::new(),
            slot_by_key: HashMap::new(),
            occurrences: Vec::new(),
        }
    }

    fn word(&self, i: usize) -> &'t str {
        self.tokens[i].text(self.text)
    }

    fn is_word(&self, i: usize) -> bool {
        self.tokens.get(i).is_some_and(Token::is_word)
    }

    /// A word that can be part of a name: capitalised and not a function word, title or
    /// month, unless written as an acronym ("US", "WHO").
    fn is_name_word(&self, i: usize) -> bool {
        self.is_word(i)
            && is_capitalised(self.word(i))
            && (is_acronym(self.word(i)) || !self.is_stop(i))
            && !self.is_title(i)
    }

    fn is_stop(&self, i: usize) -> bool {
        STOP_WORDS.contains(self.lowers[i].as_str())
    }

    fn is_title(&self, i: usize) -> bool {
        PERSON_TITLES.contains(self.lowers[i].as_str())
    }

    fn sentence_initial(&self, i: usize, sentence: &Range<usize>) -> bool {
        i == sentence.start
            || (i == sentence.start + 1
                && matches!(self.tokens[sentence.start].kind, TokenKind::Punct(_)))
    }

    fn find_names(&mut self) {
        // Capitalised words seen inside sentences: a sentence's first word is only a name on
        // its own when it is also capitalised elsewhere ("Researchers found" is not a name).
        let mut mid_sentence: HashSet<&str> = HashSet::new();
        for span in &self.sentences {
            for i in span.start + 1..span.end {
                if self.is_name_word(i) && !self.sentence_initial(i, span) {
                    mid_sentence.insert(self.word(i));
                }
            }
        }
        for s in 0..self.sentences.len() {
            let span = self.sentences[s].clone();
            let mut i = span.start;
            while i < span.end {
                if !self.is_name_word(i) {
                    i += 1;
                    continue;
                }
                let end = self.name_end(i, span.end);
                // An ordinary word opening a sentence is not part of the name after it:
                // "Shares of Gamma Holdings" names Gamma Holdings, "Bank of America" stays.
                // An ordinary word opening a sentence is no name, nor part of the name after
                // it: "Researchers said", "Shares of Gamma Holdings"; "Bank of America" is.
                let word = self.word(i);
                let proven = !self.sentence_initial(i, &span)
                    || is_acronym(word)
                    || mid_sentence.contains(word)
                    || (end == i + 1 && self.subject_of_verb(i));
                let opens_name = end > i + 1
                    && (self.is_name_word(i + 1) || ORG_HEADS.contains(self.lowers[i].as_str()));
                if !proven && !opens_name {
                    i += 1;
                    continue;
                }
                let (alias, past_alias) = self.parenthetical_alias(end, span.end);
                let (description, after) = self.appositive(past_alias, span.end);
                let (kind, cue) = match appositive_kind(&description) {
                    Some(kind) => (kind, Cue::Suffix),
                    None => self.guess_kind(i, end),
                };
                let slot = self.slot(self.surface(i..end), kind, cue);
                let entity = &mut self.slots[slot].entity;
                if let Some(alias) = alias
                    && !entity.aliases.contains(&alias)
                {
                    entity.aliases.push(alias);
                }
                if entity.description.is_empty() {
                    entity.description = description;
                }
                self.occurrences.push(Occurrence {
                    sentence: s,
                    name: i..end,
                    after,
                    slot,
                });
                // Names inside an appositive are read too: "OpenAI, the startup behind
                // ChatGPT".
                i = past_alias;
            }
        }
    }

    /// "Apple unveiled", "Siemens said", "Google and Amazon": a singular word right before
    /// a reporting or business verb, or before another name in a list.
    fn subject_of_verb(&self, i: usize) -> bool {
        let listed = |j: usize| {
            j + 1 < self.tokens.len()
                && (self.tokens[j].is_punct(',')
                    || self.tokens[j].is_punct('&')
                    || (self.is_word(j) && self.lowers[j] == "and"))
                && self.is_name_word(j + 1)
        };
        let verb = |j: usize| {
            j < self.tokens.len()
                && self.is_word(j)
                && SUBJECT_VERBS.contains(self.lowers[j].as_str())
        };
        (verb(i + 1) || listed(i + 1))
            && !looks_plural(&self.lowers[i])
            && !CONCEPT_BREAKERS.contains(self.lowers[i].as_str())
    }

    /// The end of the name starting at `start`: capitalised words, joined by connectors
    /// ("of", "de", "&", "of the") only when a capitalised word follows.
    fn name_end(&self, start: usize, limit: usize) -> usize {
        let mut end = start + 1;
        let mut words = 1;
        while end < limit && words < MAX_NAME_WORDS {
            if self.is_name_word(end) {
                end += 1;
                words += 1;
                continue;
            }
            let connector = |i: usize| {
                i < limit
                    && (self.tokens[i].is_punct('&')
                        || (self.is_word(i) && CONNECTORS.contains(self.lowers[i].as_str())))
            };
            if connector(end) {
                let mut next = end + 1;
                if next < limit && self.is_word(next) && self.lowers[next] == "the" {
                    next += 1;
                }
                if next < limit && self.is_name_word(next) {
                    end = next + 1;
                    words += 2;
                    continue;
                }
            }
            break;
        }
        end
    }

    /// "International Business Machines (IBM)": a short capitalised name in brackets right
    /// after a name is its alias. Returns the alias and the first token past the brackets.
    fn parenthetical_alias(&self, end: usize, limit: usize) -> (Option<String>, usize) {
        if end >= limit || !self.tokens[end].is_punct('(') {
            return (None, end);
        }
        let first = end + 1;
        let mut close = first;
        while close < limit && close - first <= 4 && self.is_name_word(close) {
            close += 1;
        }
        if close > first && close < limit && self.tokens[close].is_punct(')') {
            (Some(self.surface(first..close)), close + 1)
        } else {
            (None, end)
        }
    }

    /// "Acme Corp, a maker of widgets, ..." → "a maker of widgets". Returns the description
    /// and the first token past it (`after` when there is none).
    fn appositive(&self, after: usize, limit: usize) -> (String, usize) {
        if after + 1 >= limit
            || !self.tokens[after].is_punct(',')
            || !matches!(self.lowers[after + 1].as_str(), "a" | "an" | "the")
        {
            return (String::new(), after);
        }
        let start = after + 1;
        let mut end = start;
        while end < limit && !self.tokens[end].is_punct(',') && !self.tokens[end].is_punct('(') {
            end += 1;
        }
        if end - start > MAX_DESCRIPTION_WORDS {
            return (String::new(), after);
        }
        let description = self.text[self.tokens[start].start..self.tokens[end - 1].end].to_string();
        (description, end)
    }

    /// The name as written, without a possessive ending.
    /// The name as written, without a possessive ending or a lowercase compound ending
    /// ("San Francisco-based" names San Francisco).
    fn surface(&self, range: Range<usize>) -> String {
        let raw = &self.text[self.tokens[range.start].start..self.tokens[range.end - 1].end];
        let raw = raw
            .strip_suffix("'s")
            .or_else(|| raw.strip_suffix("’s"))
            .unwrap_or(raw);
        match raw.rsplit_once('-') {
            Some((name, ending)) if is_lowercase_word(ending) => name.to_string(),
            _ => raw.to_string(),
        }
    }

    fn guess_kind(&self, start: usize, end: usize) -> (EntityKind, Cue) {
        let first = self.lowers[start].as_str();
        let last = self.lowers[end - 1].as_str();
        let last = last
            .strip_suffix("'s")
            .or_else(|| last.strip_suffix("’s"))
            .unwrap_or(last);
        if ORG_SUFFIXES.contains(last) || ORG_HEADS.contains(first) {
            return (EntityKind::Organization, Cue::Suffix);
        }
        if EVENT_SUFFIXES.contains(last) {
            return (EntityKind::Event, Cue::Suffix);
        }
        let words = start..end;
        if LOCATION_SUFFIXES.contains(last)
            || words
                .clone()
                .any(|w| LOCATION_WORDS.contains(self.lowers[w].as_str()))
        {
            return (EntityKind::Location, Cue::Suffix);
        }
        // The word before, skipping the full stop of an abbreviated title ("Dr. Smith").
        let before_index = match start.checked_sub(1) {
            Some(b) if self.tokens[b].is_punct('.') => b.checked_sub(1),
            other => other,
        }
        .filter(|&b| self.is_word(b));
        let before = before_index.map(|b| self.lowers[b].as_str());
        // "invest in OpenAI", "a stake in Tesla": "in" before a company, not a place.
        let invested = before_index
            .and_then(|b| b.checked_sub(1))
            .is_some_and(|b| self.is_word(b) && INVESTMENT_WORDS.contains(self.lowers[b].as_str()));
        let next =
            (end < self.tokens.len() && self.is_word(end)).then(|| self.lowers[end].as_str());
        let who = end + 1 < self.tokens.len()
            && self.tokens[end].is_punct(',')
            && self.lowers[end + 1] == "who";
        // "said" follows companies as often as people; only a full name makes it a person.
        let full_name = words.len() >= 2;
        if before.is_some_and(|w| PERSON_TITLES.contains(w))
            || (full_name && next.is_some_and(|w| PERSON_VERBS.contains(w)))
            || who
        {
            return (EntityKind::Person, Cue::Person);
        }
        if before.is_some_and(|w| PRODUCT_CUES.contains(w)) {
            return (EntityKind::Product, Cue::Verb);
        }
        if before.is_some_and(|w| LOCATION_CUES.contains(w)) && end - start <= 3 && !invested {
            return (EntityKind::Location, Cue::Preposition);
        }
        (EntityKind::Other, Cue::None)
    }

    /// The slot of the entity named `name`, created on first sight; a stronger kind cue
    /// seen later wins.
    fn slot(&mut self, name: String, kind: EntityKind, cue: Cue) -> usize {
        let key = entity_key(&name);
        if let Some(&slot) = self.slot_by_key.get(&key) {
            let existing = &mut self.slots[slot];
            if cue > existing.cue {
                existing.cue = cue;
                existing.entity.kind = kind;
            }
            return slot;
        }
        let slot = self.slots.len();
        self.slots.push(Slot {
            entity: ExtractedEntity {
                name,
                kind,
                description: String::new(),
                aliases: Vec::new(),
            },
            cue,
        });
        self.slot_by_key.insert(key, slot);
        slot
    }

    /// A word that can be part of a lowercase concept phrase.
    fn is_concept_word(&self, i: usize, covered: &[bool]) -> bool {
        if covered[i] || !self.is_word(i) {
            return false;
        }
        let lower = self.lowers[i].as_str();
        let plain = lower.len() >= 3 && lower.chars().all(|c| c.is_alphabetic() || c == '-');
        let function = STOP_WORDS.contains(lower) || CONCEPT_BREAKERS.contains(lower);
        let adverb = lower.ends_with("ly") && !LY_NOUNS.contains(lower);
        let inflected = adverb || (lower.ends_with("ed") && lower.len() > 4);
        plain && !function && !inflected
    }

    /// Whether the word after token `i` is likely a verb: after "to", a modal, or a name
    /// ("Smith told investors", "would accelerate research").
    fn verb_follows(&self, i: usize) -> bool {
        self.is_word(i)
            && ((is_capitalised(self.word(i)) && !self.is_stop(i))
                || VERB_MARKERS.contains(&self.lowers[i].as_str()))
    }

    /// Tokens that cannot be part of a concept: names, and capitalised words other than a
    /// sentence's first ("Graph neural networks" starts a concept).
    fn concept_cover(&self) -> Vec<bool> {
        let mut covered = vec![false; self.tokens.len()];
        for occurrence in &self.occurrences {
            covered[occurrence.name.clone()].fill(true);
        }
        for span in &self.sentences {
            covered[span.start] |= is_acronym(self.word(span.start));
            for (i, covered) in covered[span.clone()].iter_mut().enumerate().skip(1) {
                let i = span.start + i;
                *covered |= self.is_word(i) && !is_lowercase_word(self.word(i));
            }
        }
        covered
    }

    /// Every 2–3 word phrase of concept words, with where it occurs, in order of first sight.
    fn concept_phrases(&self, covered: &[bool]) -> (Vec<String>, HashMap<String, Phrase>) {
        let mut phrases: HashMap<String, Phrase> = HashMap::new();
        let mut order: Vec<String> = Vec::new();
        for (s, span) in self.sentences.iter().enumerate() {
            let mut i = span.start;
            while i < span.end {
                if !self.is_concept_word(i, covered) {
                    i += 1;
                    continue;
                }
                let mut run_end = i + 1;
                while run_end < span.end && self.is_concept_word(run_end, covered) {
                    run_end += 1;
                }
                for start in i..run_end {
                    // After a plural, "to" or a name, a word is mostly a verb: "analysts
                    // expect revenue", "to grow faster".
                    if (start > i && looks_plural(&self.lowers[start - 1]))
                        || (start == i && start > span.start && self.verb_follows(start - 1))
                    {
                        continue;
                    }
                    for n in 2..=3 {
                        // A plural inside a phrase is mostly a subject before its verb
                        // ("networks aggregate information"), so plurals only end phrases.
                        let inner = &self.lowers[start..(start + n - 1).min(run_end)];
                        if start + n > run_end || inner.iter().any(|w| looks_plural(w)) {
                            break;
                        }
                        let phrase = self.lowers[start..start + n].join(" ");
                        let phrase = phrases.entry(phrase).or_insert_with_key(|p| {
                            order.push(p.clone());
                            Phrase::default()
                        });
                        phrase.places.push((s, start..start + n));
                        phrase.ends_run |= start + n == run_end;
                    }
                }
                i = run_end;
            }
        }
        (order, phrases)
    }

    /// Concepts: 2–3 word phrases of lowercase content words that repeat in the chunk or
    /// end in a domain head noun ("graph neural networks", "protein folding").
    fn find_concepts(&mut self) {
        let mut covered = self.concept_cover();
        let (order, phrases) = self.concept_phrases(&covered);
        let count = |phrase: &str| phrases[phrase].places.len();
        // A domain head only counts at the end of a noun phrase: "rare cell populations"
        // does not make "rare cell" a concept.
        let salient = |phrase: &str| {
            let head = phrase.rsplit(' ').next().unwrap_or(phrase);
            let domain_head =
                DOMAIN_HEADS.contains(head) || DOMAIN_SUFFIXES.iter().any(|s| head.ends_with(s));
            count(phrase) >= 2 || (domain_head && phrases[phrase].ends_run)
        };
        let candidates: Vec<&String> = order.iter().filter(|p| salient(p)).collect();
        // Drop a phrase inside a longer candidate that occurs at least as often.
        let contained = |short: &str, long: &str| {
            long.len() > short.len()
                && (long.starts_with(&format!("{short} ")) || long.ends_with(&format!(" {short}")))
        };
        let mut kept: Vec<&String> = candidates
            .iter()
            .filter(|p| {
                !candidates
                    .iter()
                    .any(|q| contained(p, q) && count(q) >= count(p))
            })
            .copied()
            .collect();
        kept.sort_by_key(|p| (std::cmp::Reverse(count(p)), std::cmp::Reverse(p.len())));
        kept.truncate(MAX_CONCEPTS);
        for phrase in kept {
            let phrase_places = &phrases[phrase].places;
            let (_, first) = &phrase_places[0];
            let name = self.text[self.tokens[first.start].start..self.tokens[first.end - 1].end]
                .to_lowercase();
            let slot = self.slot(name, EntityKind::Concept, Cue::Suffix);
            for (sentence, range) in phrase_places {
                if covered[range.clone()].iter().any(|&c| c) {
                    continue;
                }
                covered[range.clone()].fill(true);
                self.occurrences.push(Occurrence {
                    sentence: *sentence,
                    name: range.clone(),
                    after: range.end,
                    slot,
                });
            }
        }
    }

    /// The words between two entities, when they are few and say more than "and".
    fn connecting_text(&self, from: usize, mut to: usize) -> String {
        // A title belongs to the name after it: "hired Dr. Jane Smith" connects by "hired".
        while to > from && (self.tokens[to - 1].is_punct('.') || self.is_title(to - 1)) {
            to -= 1;
        }
        if to <= from || to - from > MAX_CONNECTING_TOKENS {
            return String::new();
        }
        let only_conjunctions = (from..to).all(|i| {
            !self.is_word(i)
                || matches!(
                    self.lowers[i].as_str(),
                    "and" | "or" | "with" | "the" | "a" | "an" | "as" | "well" | "plus" | "along"
                )
        });
        if only_conjunctions {
            return String::new();
        }
        let words: Vec<usize> = (from..to).filter(|&i| self.is_word(i)).collect();
        match (words.first(), words.last()) {
            (Some(&a), Some(&b)) => self.text[self.tokens[a].start..self.tokens[b].end].to_string(),
            _ => String::new(),
        }
    }

    fn into_extraction(mut self) -> Extraction {
        self.occurrences.sort_by_key(|o| (o.sentence, o.name.start));
        let mut relations: Vec<ExtractedRelation> = Vec::new();
        let mut by_pair: HashMap<(usize, usize), usize> = HashMap::new();
        let mut sentence_start = 0;
        while sentence_start < self.occurrences.len() {
            let sentence = self.occurrences[sentence_start].sentence;
            let mut sentence_end = sentence_start;
            while sentence_end < self.occurrences.len()
                && self.occurrences[sentence_end].sentence == sentence
            {
                sentence_end += 1;
            }
            let in_sentence = &self.occurrences[sentence_start..sentence_end];
            for (a, left) in in_sentence.iter().enumerate() {
                for (distance, right) in in_sentence[a + 1..].iter().enumerate() {
                    if distance >= RELATION_WINDOW {
                        break;
                    }
                    if left.slot == right.slot {
                        continue;
                    }
                    let description = if distance == 0 {
                        self.connecting_text(left.after, right.name.start)
                    } else {
                        String::new()
                    };
                    let pair = (left.slot.min(right.slot), left.slot.max(right.slot));
                    match by_pair.get(&pair) {
                        Some(&r) => {
                            let relation = &mut relations[r];
                            relation.weight += 1.0;
                            if relation.description.is_empty() {
                                relation.description = description;
                            }
                        }
                        None => {
                            by_pair.insert(pair, relations.len());
                            relations.push(ExtractedRelation {
                                source: self.slots[left.slot].entity.name.clone(),
                                target: self.slots[right.slot].entity.name.clone(),
                                description,
                                weight: 1.0,
                            });
                        }
                    }
                }
            }
            sentence_start = sentence_end;
        }
        Extraction {
            entities: self.slots.into_iter().map(|s| s.entity).collect(),
            relations,
        }
    }
}

/// The kind an appositive gives its name: "OpenAI, the startup behind ChatGPT".
fn appositive_kind(description: &str) -> Option<EntityKind> {
    let words = || description.split_whitespace().map(str::to_lowercase);
    if words().any(|w| ORG_NOUNS.contains(w.as_str())) {
        Some(EntityKind::Organization)
    } else if words().any(|w| PLACE_NOUNS.contains(w.as_str())) {
        Some(EntityKind::Location)
    } else {
        None
    }
}

fn looks_plural(word: &str) -> bool {
    word.ends_with('s')
        && !["ss", "us", "is", "ics"]
            .iter()
            .any(|end| word.ends_with(end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extract(text: &str) -> Extraction {
        BuiltinExtractor::new().extract_text(text)
    }

    fn entity<'e>(extraction: &'e Extraction, name: &str) -> &'e ExtractedEntity {
        extraction
            .entities
            .iter()
            .find(|e| e.name == name)
            .unwrap_or_else(|| panic!("no entity {name} in {:?}", extraction.entities))
    }

    fn relation<'e>(extraction: &'e Extraction, a: &str, b: &str) -> &'e ExtractedRelation {
        extraction
            .relations
            .iter()
            .find(|r| (r.source == a && r.target == b) || (r.source == b && r.target == a))
            .unwrap_or_else(|| panic!("no relation {a}–{b} in {:?}", extraction.relations))
    }

    #[test]
    fn business_text_yields_companies_place_and_described_relations() {
        let x =
            extract("Acme Corp acquired Beta Labs in 2020. Beta Labs is headquartered in Oslo.");
        let mut names: Vec<&str> = x.entities.iter().map(|e| e.name.as_str()).collect();
        names.sort_unstable();
        assert_eq!(names, ["Acme Corp", "Beta Labs", "Oslo"]);
        assert_eq!(entity(&x, "Acme Corp").kind, EntityKind::Organization);
        assert_eq!(entity(&x, "Beta Labs").kind, EntityKind::Organization);
        assert_eq!(entity(&x, "Oslo").kind, EntityKind::Location);
        assert_eq!(
            relation(&x, "Acme Corp", "Beta Labs").description,
            "acquired"
        );
        let located = relation(&x, "Beta Labs", "Oslo");
        assert_eq!(located.description, "is headquartered in");
        assert_eq!(located.source, "Beta Labs");
        assert_eq!(x.relations.len(), 2);
    }

    #[test]
    fn names_with_connectors_titles_aliases_and_appositives() {
        let x = extract(
            "International Business Machines (IBM) hired Dr. Jane Smith from the University of \
             Oslo. Acme Corp, a maker of industrial robots, sued Bank of America.",
        );
        let ibm = entity(&x, "International Business Machines");
        assert_eq!(ibm.aliases, ["IBM"]);
        assert!(
            x.entities.iter().all(|e| e.name != "IBM"),
            "{:?}",
            x.entities
        );
        assert_eq!(entity(&x, "Jane Smith").kind, EntityKind::Person);
        assert_eq!(
            entity(&x, "University of Oslo").kind,
            EntityKind::Organization
        );
        assert_eq!(
            entity(&x, "Acme Corp").description,
            "a maker of industrial robots"
        );
        assert_eq!(relation(&x, "Acme Corp", "Bank of America").weight, 1.0);
        assert_eq!(
            relation(&x, "International Business Machines", "Jane Smith").description,
            "hired"
        );
    }

    #[test]
    fn sentence_openers_are_not_names_unless_seen_inside_sentences() {
        let x = extract(
            "Researchers met in Paris. Yesterday Paris hosted Acme Corp. However, nothing.",
        );
        let mut names: Vec<&str> = x.entities.iter().map(|e| e.name.as_str()).collect();
        names.sort_unstable();
        assert_eq!(names, ["Acme Corp", "Paris"]);
    }

    #[test]
    fn lowercase_abstracts_yield_repeated_and_domain_concepts() {
        let x = extract(
            "we study graph neural networks for molecule property prediction. graph neural \
             networks aggregate messages over bonds, and the proposed model improves accuracy \
             substantially.",
        );
        let names: Vec<&str> = x.entities.iter().map(|e| e.name.as_str()).collect();
        assert!(names.contains(&"graph neural networks"), "{names:?}");
        assert!(
            names.contains(&"property prediction")
                || names.contains(&"molecule property prediction"),
            "{names:?}"
        );
        assert!(!names.contains(&"neural networks"), "{names:?}");
        assert!(
            !names
                .iter()
                .any(|n| n.contains("improves") || n.contains("proposed")),
            "{names:?}"
        );
        assert!(x.entities.iter().all(|e| e.kind == EntityKind::Concept));
        assert!(!x.relations.is_empty());
    }

    #[test]
    fn kinds_from_verbs_and_suffixes_and_subjects_from_reporting_verbs() {
        let x = extract(
            "Apple unveiled Vision Pro at the Worldwide Developers Conference. Researchers said \
             supply chain optimization mattered.",
        );
        let mut names: Vec<&str> = x.entities.iter().map(|e| e.name.as_str()).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "Apple",
                "Vision Pro",
                "Worldwide Developers Conference",
                "supply chain optimization"
            ]
        );
        assert_eq!(entity(&x, "Vision Pro").kind, EntityKind::Product);
        assert_eq!(
            entity(&x, "Worldwide Developers Conference").kind,
            EntityKind::Event
        );
        assert_eq!(relation(&x, "Apple", "Vision Pro").description, "unveiled");
    }

    #[test]
    fn news_appositives_lists_and_investments() {
        let x = extract(
            "Microsoft said it would invest $10 billion in OpenAI, the San Francisco-based \
             startup behind ChatGPT. Google and Amazon are racing to catch up.",
        );
        let mut names: Vec<&str> = x.entities.iter().map(|e| e.name.as_str()).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "Amazon",
                "ChatGPT",
                "Google",
                "Microsoft",
                "OpenAI",
                "San Francisco"
            ]
        );
        assert_eq!(entity(&x, "OpenAI").kind, EntityKind::Organization);
        assert_eq!(
            entity(&x, "Microsoft").kind,
            EntityKind::Other,
            "\"said\" alone is no person"
        );
        assert_eq!(relation(&x, "Google", "Amazon").description, "");
    }

    #[test]
    fn domain_heads_only_end_noun_phrases() {
        let x = extract("the embeddings also reveal rare cell populations in tumour samples.");
        assert!(x.entities.is_empty(), "{:?}", x.entities);
    }

    #[test]
    fn repeated_co_occurrence_adds_weight() {
        let x = extract("Acme Corp sued Beta Labs. Later Acme Corp settled with Beta Labs.");
        let r = relation(&x, "Acme Corp", "Beta Labs");
        assert_eq!(r.weight, 2.0);
        assert_eq!(r.description, "sued");
    }
}
