//! What every channel's draft is built from: the brief and the voice read once, scrubbed of
//! banned terms and styled for the tone, plus the facts worth quoting.

use super::goal::{self, Intent};
use super::phrases::{self, Phrases};
use crate::brief::{Brief, Length};
use crate::channel::Channel;
use crate::fact::{Fact, Quote, quotes};
use crate::text::{
    capitalize_first, ensure_period, expand_contractions, hashtag, is_function_word,
    limit_exclamations, mid_sentence, number_word, proper_words, stable_hash, with_citation,
    word_count,
};
use crate::voice::{Style, Voice};

/// Topics longer than this read badly inside a sentence; a keyword stands in for them.
const MAX_SUBJECT_WORDS: usize = 10;

/// Openings that make the topic a question or a clause rather than a noun phrase.
const CLAUSE_STARTS: &[&str] = &[
    "how", "why", "what", "when", "where", "which", "who", "should", "can", "could", "is", "are",
    "do", "does", "will", "would",
];

pub(super) struct Plan<'a> {
    pub voice: &'a Voice,
    pub style: Style,
    pub phrases: &'static Phrases,
    pub length: Length,
    seed: u64,
    /// The topic as written, scrubbed: the base of titles and headlines.
    pub topic: String,
    /// Whether the topic is a question or clause ("How to cut cloud costs").
    pub topic_is_clause: bool,
    topic_is_question: bool,
    /// What the draft is about, as a noun phrase that reads mid-sentence.
    pub subject: String,
    /// The subject's head noun phrase, for second mentions.
    pub short: String,
    pub audience: String,
    /// The reader's goal as a verb phrase ("cut cloud costs"); none for internal goals.
    pub goal: Option<String>,
    intent: Intent,
    pub keywords: Vec<String>,
    pub cta: Option<String>,
    pub link: Option<String>,
    pub quotes: Vec<Quote>,
    pub required: Vec<String>,
    /// The voice's name, or a "COMPANY" placeholder like the press release's dateline.
    pub name: String,
    /// Capitalised words the facts and keywords use mid-sentence: names to keep capitalised.
    proper: Vec<String>,
}

impl<'a> Plan<'a> {
    pub fn new(brief: &Brief, voice: &'a Voice, facts: &[Fact]) -> Self {
        let style = voice.style();
        let clean = |text: &str| {
            let scrubbed = voice.scrub(text.trim());
            let styled = if style.contractions {
                scrubbed
            } else {
                expand_contractions(&scrubbed)
            };
            limit_exclamations(&styled, 0)
                .trim_end_matches(['.', '!', '?', ';', ':', ','])
                .trim()
                .to_string()
        };
        let topic = clean(&brief.topic);
        let mut keywords: Vec<String> = Vec::new();
        for keyword in brief.keywords.iter().map(|k| clean(k)) {
            if !keyword.is_empty() && !keywords.iter().any(|k| k.eq_ignore_ascii_case(&keyword)) {
                keywords.push(keyword);
            }
        }
        // A capital in a keyword is the brief's own spelling, so it counts as mid-sentence.
        let keyword_texts: Vec<String> = brief.keywords.iter().map(|k| format!("- {k}")).collect();
        let proper = proper_words(
            facts
                .iter()
                .map(|f| f.text.as_str())
                .chain(keyword_texts.iter().map(String::as_str)),
        );
        let is_proper = |w: &str| proper.iter().any(|p| p == w);
        let first_word = topic
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_lowercase();
        let topic_is_clause =
            CLAUSE_STARTS.contains(&first_word.as_str()) || brief.topic.trim().ends_with('?');
        let subject = if topic_is_clause || word_count(&topic) > MAX_SUBJECT_WORDS {
            keywords
                .first()
                .map(|k| mid_sentence(k, &is_proper))
                .unwrap_or_else(|| "this topic".to_string())
        } else if topic.is_empty() {
            "this topic".to_string()
        } else {
            mid_sentence(&topic, &is_proper)
        };
        let audience = brief
            .audience
            .as_deref()
            .map(clean)
            .filter(|a| !a.is_empty())
            .map(|a| mid_sentence(&a, &is_proper))
            // Generic enough for every template that names the audience.
            .unwrap_or_else(|| "practitioners".to_string());
        let raw_goal = brief.goal.as_deref().map(clean).unwrap_or_default();
        let goal = goal::reader_goal(&raw_goal);
        let intent = goal::intent(&raw_goal);
        let mut terms: Vec<String> = keywords.iter().map(|k| k.to_lowercase()).collect();
        terms.extend(
            topic
                .split_whitespace()
                .map(|w| {
                    w.trim_matches(|c: char| !c.is_alphanumeric())
                        .to_lowercase()
                })
                .filter(|w| w.chars().count() >= 4 && !is_function_word(w)),
        );
        let quotes = quotes(facts, voice, &terms)
            .into_iter()
            .map(|mut q| {
                if !style.contractions {
                    q.sentence = expand_contractions(&q.sentence);
                }
                q.sentence = limit_exclamations(&q.sentence, 0);
                q
            })
            .collect();
        let link = brief
            .link
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty() && voice.banned_in(l).is_none())
            .map(str::to_string);
        Self {
            voice,
            style,
            phrases: phrases::for_tone(style.tone),
            length: brief.length_or_default(),
            seed: stable_hash(&topic.to_lowercase()),
            topic_is_clause,
            topic_is_question: brief.topic.trim().ends_with('?') && !topic.is_empty(),
            short: short_subject(&subject),
            subject,
            audience,
            goal,
            intent,
            keywords,
            cta: brief
                .call_to_action
                .as_deref()
                .map(clean)
                .filter(|c| !c.is_empty()),
            link,
            quotes,
            required: voice
                .required_terms
                .iter()
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect(),
            // Names keep their punctuation ("Acme Inc."), so they are only scrubbed.
            name: match voice.scrub(voice.name.trim()) {
                name if name.is_empty() => "COMPANY".to_string(),
                name => name,
            },
            topic,
            proper,
        }
    }

    /// The topic for a title: a question keeps its question mark.
    pub fn topic_as_title(&self) -> String {
        if self.topic_is_question {
            format!("{}?", self.topic)
        } else {
            self.topic.clone()
        }
    }

    /// A phrase from the brief as it reads mid-sentence, names kept capitalised.
    pub fn mid(&self, phrase: &str) -> String {
        mid_sentence(phrase, &|w| self.proper.iter().any(|p| p == w))
    }

    /// The facts a channel's draft uses, bounded by the brief's length and the voice's
    /// preferred words for the channel.
    pub fn quotes_for(&self, channel: Channel) -> &[Quote] {
        let max_words = self.voice.word_range(channel).map(|(_, max)| max);
        let budget = channel.fact_budget(self.length, max_words);
        &self.quotes[..budget.min(self.quotes.len())]
    }

    /// One phrase from `table`, filled in. The choice is stable for a topic and varies with
    /// `salt`, so two sections do not open alike. Phrases whose slots cannot be filled, or
    /// that would carry a banned term, are passed over; none when nothing is left.
    pub fn pick(&self, table: &[&str], salt: u64, count: usize, has_facts: bool) -> Option<String> {
        let filled: Vec<String> = table
            .iter()
            .filter_map(|t| {
                let (needs_facts, t) = match t.strip_prefix('@') {
                    Some(rest) => (true, rest),
                    None => (false, *t),
                };
                let usable = (has_facts || !needs_facts)
                    && (self.goal.is_some() || !t.contains("{goal}"))
                    && (count >= 2 || !t.to_lowercase().contains("{count}"));
                usable.then(|| self.fill(t, count, None))
            })
            .filter(|p| self.voice.banned_in(p).is_none())
            .collect();
        if filled.is_empty() {
            return None;
        }
        let at = self.seed.wrapping_add(salt.wrapping_mul(0x9e37_79b9)) % filled.len() as u64;
        filled.into_iter().nth(at as usize)
    }

    /// `template` with its slots filled and the voice's style applied.
    pub fn fill(&self, template: &str, count: usize, keyword: Option<&str>) -> String {
        let down = if self.style.emoji { " 👇" } else { "." };
        let keyword = keyword.map_or_else(|| self.short.clone(), |k| self.mid(k));
        let goal = self.goal.as_deref().unwrap_or_default();
        let count_word = number_word(count).to_lowercase();
        let mut out = template.to_string();
        for (slot, value) in [
            ("subject", self.subject.as_str()),
            ("short", self.short.as_str()),
            ("audience", self.audience.as_str()),
            ("goal", goal),
            ("count", count_word.as_str()),
            ("name", self.name.as_str()),
            ("kw", keyword.as_str()),
        ] {
            out = out
                .replace(
                    &format!("{{{}}}", capitalize_first(slot)),
                    &capitalize_first(value),
                )
                .replace(&format!("{{{slot}}}"), value);
        }
        out = out.replace("{down}", down);
        if !self.style.contractions {
            out = expand_contractions(&out);
        }
        capitalize_first(&limit_exclamations(&out, self.style.exclamations))
    }

    /// Picks from `table` like [`Plan::pick`], falling back to `fallback` filled in.
    pub fn pick_or(&self, table: &[&str], salt: u64, count: usize, fallback: &str) -> String {
        self.pick(table, salt, count, !self.quotes.is_empty())
            .unwrap_or_else(|| self.fill(fallback, count, None))
    }

    /// Practical points for drafts without facts: one per keyword (or the subject).
    pub fn advice(&self, max: usize) -> Vec<String> {
        let subjects: Vec<&str> = if self.keywords.is_empty() {
            vec![self.short.as_str()]
        } else {
            self.keywords.iter().map(String::as_str).collect()
        };
        let mut out = Vec::new();
        for i in 0..max.min(phrases::ADVICE.len()) {
            let keyword = subjects[i % subjects.len()];
            let template = phrases::ADVICE[(self.seed as usize + i) % phrases::ADVICE.len()];
            let line = self.fill(template, 0, Some(keyword));
            if self.voice.banned_in(&line).is_none() {
                out.push(line);
            }
        }
        out
    }

    /// The call to action, or a default that fits the goal when only a link was given.
    pub fn cta_text(&self) -> Option<String> {
        match (&self.cta, &self.link) {
            (Some(cta), _) => Some(cta.clone()),
            (None, Some(_)) => Some(self.intent.default_cta().to_string()),
            (None, None) => None,
        }
    }

    /// The tone's lead-in to the call to action, if it has one.
    pub fn cta_lead(&self) -> Option<String> {
        self.pick(self.phrases.cta_lead, 11, 0, true)
            .filter(|l| !l.is_empty())
    }

    /// The call to action as plain text: "Download the playbook: https://...".
    pub fn cta_plain(&self) -> Option<String> {
        let text = self.cta_text()?;
        let line = match &self.link {
            Some(link) => format!("{text}: {link}"),
            None => ensure_period(&text),
        };
        Some(match self.cta_lead() {
            Some(lead) => format!("{lead} {line}"),
            None => line,
        })
    }

    /// The call to action as Markdown: "[Download the playbook](https://...)".
    pub fn cta_markdown(&self) -> Option<String> {
        let text = self.cta_text()?;
        let line = match &self.link {
            Some(link) => format!("[{text}]({link})"),
            None => format!("**{}**", ensure_period(&text)),
        };
        Some(match self.cta_lead() {
            Some(lead) => format!("{lead} {line}"),
            None => line,
        })
    }

    /// Up to `max` hashtags from the keywords, then the topic's longer words to reach `min`;
    /// none where the voice avoids hashtags.
    pub fn hashtags(&self, min: usize, max: usize) -> Vec<String> {
        if !self.style.hashtags {
            return Vec::new();
        }
        let mut tags: Vec<String> = Vec::new();
        let add = |tags: &mut Vec<String>, candidate: &str| {
            if let Some(tag) = hashtag(candidate)
                && !tags.iter().any(|t| t.eq_ignore_ascii_case(&tag))
                && tags.len() < max
            {
                tags.push(tag);
            }
        };
        for keyword in &self.keywords {
            add(&mut tags, keyword);
        }
        if tags.len() < min {
            let mut words: Vec<&str> = self
                .topic
                .split_whitespace()
                .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
                .filter(|w| w.chars().count() >= 4 && !is_function_word(w))
                .collect();
            // Longer words first: they are the more specific tags.
            words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
            for word in words {
                if tags.len() >= min {
                    break;
                }
                add(&mut tags, word);
            }
        }
        tags
    }

    /// The required terms the body does not hold yet, each verbatim.
    pub fn missing_required(&self, body: &str) -> Vec<&str> {
        self.required
            .iter()
            .map(String::as_str)
            .filter(|t| !body.contains(t))
            .collect()
    }

    /// A quote with its citation, attributed to its source when `attribute` and the source
    /// reads as a name: "..., according to IBM Cost of a Data Breach 2024 [2]."
    pub fn cite(&self, quote: &Quote, attribute: bool) -> String {
        match &quote.source {
            Some(source)
                if attribute
                    && quote.sentence.ends_with('.')
                    && !quote.sentence.to_lowercase().contains("according to") =>
            {
                let stem = quote.sentence.trim_end_matches('.');
                format!("{stem}, according to {source} [{}].", quote.n)
            }
            _ => with_citation(&quote.sentence, quote.n),
        }
    }
}

/// Prepositions that end a noun phrase's head: "zero-trust security | for regional banks".
/// "of" is not one: "the future of work" is one phrase.
const HEAD_BREAKS: &[&str] = &[
    "for", "in", "at", "on", "with", "to", "across", "among", "within", "from", "by", "during",
    "vs", "versus", "amid",
];

fn short_subject(subject: &str) -> String {
    let words: Vec<&str> = subject.split_whitespace().collect();
    let cut = words
        .iter()
        .skip(1)
        .position(|w| HEAD_BREAKS.contains(&w.to_lowercase().as_str()))
        .map_or(words.len(), |i| i + 1);
    let head = &words[..cut];
    let bare_article =
        head.len() == 1 && ["a", "an", "the"].contains(&head[0].to_lowercase().as_str());
    if bare_article {
        subject.to_string()
    } else {
        head.join(" ")
    }
}
