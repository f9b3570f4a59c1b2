//! Small text helpers for composing drafts: casing, contractions, sentences, hashtags.

use unicode_segmentation::UnicodeSegmentation;

/// Words kept lowercase inside a title.
const SMALL_WORDS: &[&str] = &[
    "a", "an", "the", "and", "but", "or", "nor", "for", "on", "at", "to", "from", "by", "of", "in",
    "with", "as", "vs", "via", "per", "into", "over",
];

/// Common words a heading or a phrase should not end on.
const FUNCTION_WORDS: &[&str] = &[
    "a",
    "an",
    "the",
    "and",
    "but",
    "or",
    "nor",
    "for",
    "on",
    "at",
    "to",
    "from",
    "by",
    "of",
    "in",
    "with",
    "as",
    "vs",
    "via",
    "per",
    "into",
    "over",
    "than",
    "that",
    "which",
    "who",
    "when",
    "while",
    "because",
    "during",
    "since",
    "after",
    "before",
    "its",
    "their",
    "our",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "has",
    "have",
    "had",
    "this",
    "these",
    "those",
    "it",
    "they",
    "we",
    "you",
    "your",
    "according",
    "across",
    "among",
    "between",
    "about",
    "more",
    "most",
];

pub(crate) fn is_function_word(word: &str) -> bool {
    let w = word.to_lowercase();
    FUNCTION_WORDS.contains(&w.trim_matches(|c: char| !c.is_alphanumeric()))
}

/// Title case for headlines: significant words capitalised (each part of a hyphenated word
/// too), small words lowercase except first, last and after a colon, and words already mixed
/// case (`iPhone`, `AI`, `SaaS`) left alone.
pub(crate) fn title_case(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let last = words.len().saturating_sub(1);
    let mut out = Vec::with_capacity(words.len());
    let mut after_colon = true;
    for (i, word) in words.iter().enumerate() {
        let mixed = word.chars().skip(1).any(char::is_uppercase);
        let bare = word
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        let cased = if mixed {
            (*word).to_string()
        } else if !after_colon && i != last && SMALL_WORDS.contains(&bare.as_str()) {
            word.to_lowercase()
        } else {
            word.split('-')
                .map(capitalize_first)
                .collect::<Vec<_>>()
                .join("-")
        };
        after_colon = word.ends_with(':') || word.ends_with('—');
        out.push(cased);
    }
    out.join(" ")
}

pub(crate) fn capitalize_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A phrase as it reads inside a sentence: "Marketing managers in retail" becomes
/// "marketing managers in retail", while "IT leaders", "Google Cloud users" and a first word
/// `is_proper` recognises keep their capitals.
pub(crate) fn mid_sentence(phrase: &str, is_proper: &dyn Fn(&str) -> bool) -> String {
    let mut words = phrase.split_whitespace();
    let Some(first) = words.next() else {
        return String::new();
    };
    let mut chars = first.chars();
    let sentence_cased = chars.next().is_some_and(char::is_uppercase)
        && chars.all(|c| !c.is_uppercase())
        && words
            .next()
            .is_none_or(|second| !second.starts_with(char::is_uppercase))
        && !is_proper(first.trim_matches(|c: char| !c.is_alphanumeric()));
    if sentence_cased {
        let mut chars = phrase.chars();
        chars
            .next()
            .map(|c| c.to_lowercase().chain(chars).collect())
            .unwrap_or_default()
    } else {
        phrase.to_string()
    }
}

/// Capitalised words that `texts` use mid-sentence, so are names rather than sentence starts.
pub(crate) fn proper_words<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for text in texts {
        let mut prev: Option<&str> = None;
        for word in text.split_whitespace() {
            let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
            let mid = prev.is_some_and(|p| !p.ends_with(['.', '!', '?', ':']));
            if mid && bare.starts_with(char::is_uppercase) && !out.iter().any(|w| w == bare) {
                out.push(bare.to_string());
            }
            prev = Some(word);
        }
    }
    out
}

/// The text's sentences (UAX #29), trimmed, without fragments that hold no word.
pub(crate) fn sentences(text: &str) -> Vec<&str> {
    text.split_sentence_bounds()
        .map(str::trim)
        .filter(|s| s.chars().any(char::is_alphanumeric))
        .collect()
}

pub(crate) fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// Ends `text` with a full stop unless it already ends a sentence.
pub(crate) fn ensure_period(text: &str) -> String {
    let text = text.trim_end_matches([',', ';', ':', ' ', '—', '-']);
    if text.ends_with(['.', '!', '?', '…']) {
        text.to_string()
    } else {
        format!("{text}.")
    }
}

/// A sentence with its citation placed before the final full stop: "... in 2023 [1]."
pub(crate) fn with_citation(sentence: &str, n: usize) -> String {
    let sentence = ensure_period(sentence);
    match sentence.strip_suffix('.') {
        Some(stem) if !stem.ends_with('.') => format!("{stem} [{n}]."),
        _ => format!("{sentence} [{n}]"),
    }
}

/// A keyword as a hashtag: "zero trust" becomes "#ZeroTrust"; none when nothing is left.
pub(crate) fn hashtag(keyword: &str) -> Option<String> {
    let tag: String = keyword
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            if w.chars().skip(1).any(char::is_uppercase) {
                w.to_string()
            } else {
                capitalize_first(w)
            }
        })
        .collect();
    (tag.chars().any(char::is_alphabetic)).then(|| format!("#{tag}"))
}

/// "Three" for 3, up to ten; digits beyond.
pub(crate) fn number_word(n: usize) -> String {
    const WORDS: [&str; 11] = [
        "Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
    ];
    WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| (*w).to_string())
}

/// A stable 64-bit FNV-1a hash: phrase choices must not change between runs or releases.
pub(crate) fn stable_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Contractions written out, for voices that avoid them: "don't" becomes "do not", "it's"
/// becomes "it is". Possessives ("the bank's") are left alone.
pub(crate) fn expand_contractions(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphabetic() || ((c == '\'' || c == '’') && !word.is_empty()) {
            word.push(c);
        } else {
            out.push_str(&expand_word(&word));
            word.clear();
            out.push(c);
        }
    }
    out.push_str(&expand_word(&word));
    out
}

fn expand_word(word: &str) -> String {
    if !word.contains(['\'', '’']) {
        return word.to_string();
    }
    let lower = word.to_lowercase().replace('’', "'");
    let expanded = match lower.as_str() {
        "can't" => Some("cannot".to_string()),
        "won't" => Some("will not".to_string()),
        "shan't" => Some("shall not".to_string()),
        "ain't" => Some("is not".to_string()),
        "let's" => Some("let us".to_string()),
        "y'all" => Some("you all".to_string()),
        "i'm" => Some("I am".to_string()),
        "it's" | "that's" | "there's" | "here's" | "what's" | "who's" | "where's" | "he's"
        | "she's" | "how's" => Some(format!("{} is", &lower[..lower.len() - 2])),
        _ => expand_suffix(&lower),
    };
    match expanded {
        Some(e) if word.starts_with(char::is_uppercase) => capitalize_first(&e),
        Some(e) => e,
        None => word.to_string(),
    }
}

fn expand_suffix(lower: &str) -> Option<String> {
    const PRONOUNS: &[&str] = &[
        "i", "you", "we", "they", "he", "she", "it", "that", "there", "who", "what",
    ];
    if let Some(stem) = lower.strip_suffix("n't") {
        return Some(format!("{stem} not"));
    }
    let (stem, full) = [
        ("'re", "are"),
        ("'ve", "have"),
        ("'ll", "will"),
        ("'d", "would"),
    ]
    .iter()
    .find_map(|(suffix, full)| lower.strip_suffix(suffix).map(|stem| (stem, *full)))?;
    let stem_ok = PRONOUNS.contains(&stem)
        || (full == "have" && ["could", "should", "would", "might", "must"].contains(&stem));
    stem_ok.then(|| {
        let stem = if stem == "i" { "I" } else { stem };
        format!("{stem} {full}")
    })
}

/// Keeps the first `allowed` exclamation marks and turns the rest into full stops. Marks
/// inside links and Markdown images (`![`) are not punctuation and stay.
pub(crate) fn limit_exclamations(text: &str, allowed: usize) -> String {
    let mut out = String::with_capacity(text.len());
    let mut kept = 0;
    for token in text.split_inclusive(char::is_whitespace) {
        if token.starts_with("http://") || token.starts_with("https://") {
            out.push_str(token);
            continue;
        }
        let mut chars = token.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '!' || chars.peek() == Some(&'[') {
                out.push(c);
            } else if kept < allowed {
                kept += 1;
                out.push(c);
            } else if !out.ends_with(['.', '?', '!']) {
                out.push('.');
            }
        }
    }
    out
}
