//! The word lists: VADER's lexicon and emoji descriptions (MIT, see `data/LICENSE-vader`)
//! plus the small closed classes the rules need (boosters, negations, idioms, slang).

use std::collections::HashMap;
use std::sync::LazyLock;

use foldhash::fast::FixedState;

type Map<K, V> = HashMap<K, V, FixedState>;

/// Empirical constants from Hutto & Gilbert (2014).
pub(crate) const BOOST_UP: f64 = 0.293;
pub(crate) const BOOST_DOWN: f64 = -0.293;

static VADER_LEXICON: &str = include_str!("../data/vader_lexicon.txt");
static VADER_EMOJI: &str = include_str!("../data/emoji_utf8_lexicon.txt");

/// Intensity modifiers: they change the valence of the sentiment word that follows.
const BOOSTERS: &[(&str, f64)] = &[
    ("absolutely", BOOST_UP),
    ("amazingly", BOOST_UP),
    ("awfully", BOOST_UP),
    ("completely", BOOST_UP),
    ("considerable", BOOST_UP),
    ("considerably", BOOST_UP),
    ("decidedly", BOOST_UP),
    ("deeply", BOOST_UP),
    ("effing", BOOST_UP),
    ("enormous", BOOST_UP),
    ("enormously", BOOST_UP),
    ("entirely", BOOST_UP),
    ("especially", BOOST_UP),
    ("exceptional", BOOST_UP),
    ("exceptionally", BOOST_UP),
    ("extreme", BOOST_UP),
    ("extremely", BOOST_UP),
    ("fabulously", BOOST_UP),
    ("flipping", BOOST_UP),
    ("flippin", BOOST_UP),
    ("frackin", BOOST_UP),
    ("fracking", BOOST_UP),
    ("fricking", BOOST_UP),
    ("frickin", BOOST_UP),
    ("frigging", BOOST_UP),
    ("friggin", BOOST_UP),
    ("fully", BOOST_UP),
    ("fuckin", BOOST_UP),
    ("fucking", BOOST_UP),
    ("fuggin", BOOST_UP),
    ("fugging", BOOST_UP),
    ("greatly", BOOST_UP),
    ("hella", BOOST_UP),
    ("highly", BOOST_UP),
    ("hugely", BOOST_UP),
    ("incredible", BOOST_UP),
    ("incredibly", BOOST_UP),
    ("intensely", BOOST_UP),
    ("major", BOOST_UP),
    ("majorly", BOOST_UP),
    ("more", BOOST_UP),
    ("most", BOOST_UP),
    ("particularly", BOOST_UP),
    ("purely", BOOST_UP),
    ("quite", BOOST_UP),
    ("really", BOOST_UP),
    ("remarkably", BOOST_UP),
    ("so", BOOST_UP),
    ("substantially", BOOST_UP),
    ("thoroughly", BOOST_UP),
    ("total", BOOST_UP),
    ("totally", BOOST_UP),
    ("tremendous", BOOST_UP),
    ("tremendously", BOOST_UP),
    ("uber", BOOST_UP),
    ("unbelievably", BOOST_UP),
    ("unusually", BOOST_UP),
    ("utter", BOOST_UP),
    ("utterly", BOOST_UP),
    ("very", BOOST_UP),
    // Internet intensifiers that work like "really".
    ("soo", BOOST_UP),
    ("rly", BOOST_UP),
    ("rlly", BOOST_UP),
    ("super", BOOST_UP),
    ("almost", BOOST_DOWN),
    ("barely", BOOST_DOWN),
    ("hardly", BOOST_DOWN),
    ("kinda", BOOST_DOWN),
    ("kindof", BOOST_DOWN),
    ("kind-of", BOOST_DOWN),
    ("less", BOOST_DOWN),
    ("little", BOOST_DOWN),
    ("marginal", BOOST_DOWN),
    ("marginally", BOOST_DOWN),
    ("occasional", BOOST_DOWN),
    ("occasionally", BOOST_DOWN),
    ("partly", BOOST_DOWN),
    ("scarce", BOOST_DOWN),
    ("scarcely", BOOST_DOWN),
    ("slight", BOOST_DOWN),
    ("slightly", BOOST_DOWN),
    ("somewhat", BOOST_DOWN),
    ("sorta", BOOST_DOWN),
    ("sortof", BOOST_DOWN),
    ("sort-of", BOOST_DOWN),
    // A compromiser before an adjective ("pretty good"); "pretty" alone is beautiful.
    ("pretty", BOOST_DOWN),
];

/// Words that negate a sentiment word up to three tokens later (any "n't" form also does).
const NEGATIONS: &[&str] = &[
    "aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt", "dont", "hadnt",
    "hasnt", "havent", "isnt", "mightnt", "mustnt", "neither", "neednt", "never", "none", "nope",
    "nor", "not", "nothing", "nowhere", "oughtnt", "shant", "shouldnt", "uhuh", "uh-uh", "wasnt",
    "werent", "without", "wont", "wouldnt", "rarely", "seldom", "despite", "nobody",
];

/// Common internet words VADER's 2014 lexicon lacks, rated on its −4..+4 scale.
const SLANG: &[(&str, f64)] = &[
    ("fml", -2.4),
    ("yum", 2.0),
    ("yuck", -2.0),
    ("ew", -1.6),
    ("eww", -1.8),
    ("hehe", 1.6),
    ("lolol", 2.0),
    ("lool", 1.8),
    ("rip", -1.5),
    ("bleh", -1.2),
    ("argh", -1.6),
    ("grr", -1.6),
    ("yikes", -1.2),
    ("awesomeness", 3.0),
    ("thanx", 1.5),
    ("thnx", 1.5),
    ("luv", 2.8),
];

/// Phrases whose meaning is not the sum of their words: (words, valence).
pub(crate) const IDIOMS: &[(&[&str], f64)] = &[
    (&["the", "shit"], 3.0),
    (&["the", "bomb"], 3.0),
    (&["bad", "ass"], 1.5),
    (&["badass"], 1.5),
    (&["bus", "stop"], 0.0),
    (&["yeah", "right"], -2.0),
    (&["kiss", "of", "death"], -1.5),
    (&["to", "die", "for"], 3.0),
    (&["beating", "heart"], 3.1),
    (&["broken", "heart"], -2.9),
    // Eagerness, not negation: VADER's best-known miss on social media.
    (&["can't", "wait"], 2.0),
    (&["cant", "wait"], 2.0),
];

/// What the tokenizer needs to know about one lower-case word.
#[derive(Clone, Copy, Default)]
pub(crate) struct Entry {
    pub(crate) valence: f64,
    pub(crate) in_lexicon: bool,
    pub(crate) booster: f64,
    pub(crate) negation: bool,
    /// Ends one of the `IDIOMS`; only then are the phrases compared.
    pub(crate) ends_idiom: bool,
}

pub(crate) struct Lexicon {
    words: Map<&'static str, Entry>,
    emoji: Map<char, f64>,
}

impl Lexicon {
    pub(crate) fn word(&self, word: &str) -> Option<Entry> {
        self.words.get(word).copied()
    }

    pub(crate) fn emoji(&self, c: char) -> Option<f64> {
        self.emoji.get(&c).copied()
    }
}

pub(crate) static LEXICON: LazyLock<Lexicon> = LazyLock::new(build);

fn build() -> Lexicon {
    let mut words: Map<&'static str, Entry> = Map::default();
    for line in VADER_LEXICON.lines() {
        let mut fields = line.split('\t');
        let (Some(word), Some(valence)) = (fields.next(), fields.next()) else {
            continue;
        };
        let Ok(valence) = valence.parse::<f64>() else {
            continue;
        };
        let entry = Entry {
            valence,
            in_lexicon: true,
            ..Entry::default()
        };
        // This copy of the lexicon was lower-cased, so case pairs (":D" laughs, "D:" despairs)
        // are duplicates; the original's ASCII order put the upper-case form first. Keep it
        // under its upper-case spelling for emoticons looked up as written.
        if let Some(first) = words.insert(word, entry) {
            let upper: &'static str = Box::leak(word.to_uppercase().into_boxed_str());
            words.insert(upper, first);
        }
    }
    for &(word, valence) in SLANG {
        words.entry(word).or_insert(Entry {
            valence,
            in_lexicon: true,
            ..Entry::default()
        });
    }
    for &(word, booster) in BOOSTERS {
        words.entry(word).or_default().booster = booster;
    }
    for &word in NEGATIONS {
        words.entry(word).or_default().negation = true;
    }
    for (phrase, _) in IDIOMS {
        if let Some(&last) = phrase.last() {
            words.entry(last).or_default().ends_idiom = true;
        }
    }
    let emoji = VADER_EMOJI
        .lines()
        .filter_map(|line| {
            let (symbol, description) = line.split_once('\t')?;
            let mut chars = symbol.chars().filter(|&c| c != '\u{fe0f}');
            let c = chars.next()?;
            if chars.next().is_some() {
                // Sequences (flags, ZWJ families) carry little sentiment; skip them.
                return None;
            }
            Some((c, description_valence(&words, description)))
        })
        .filter(|&(_, valence)| valence != 0.0)
        .collect();
    Lexicon { words, emoji }
}

/// VADER scores an emoji by the words of its description ("smiling face with heart-eyes").
fn description_valence(words: &Map<&'static str, Entry>, description: &str) -> f64 {
    description
        .split([' ', '-'])
        .filter_map(|w| words.get(w))
        .map(|e| e.valence)
        .sum()
}
