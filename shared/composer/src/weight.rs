//! X's weighted character count (twitter-text v3): most Latin, Greek, Cyrillic and common
//! punctuation weigh 1, everything else (CJK, emoji, ...) weighs 2, and every link weighs 23
//! because X wraps it in a t.co link of that length. Counted locally so thread posts are split
//! before X rejects them.

/// The most weighted characters an X post may hold.
pub const X_LIMIT: usize = 280;

/// The weight X gives every link, whatever its length.
pub(crate) const URL_WEIGHT: usize = 23;

/// `text`'s length as X counts it.
pub fn x_weighted_len(text: &str) -> usize {
    let mut total = 0;
    let mut token_start = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(start) = token_start.take() {
                total += token_weight(&text[start..i]);
            }
            total += char_weight(c);
        } else if token_start.is_none() {
            token_start = Some(i);
        }
    }
    if let Some(start) = token_start {
        total += token_weight(&text[start..]);
    }
    total
}

/// A string's length as Mastodon counts it (every link 23), but never less than its plain
/// character count, so a body that fits also fits a reader that counts plainly.
pub(crate) fn mastodon_len(text: &str) -> usize {
    let links: usize = text
        .split_whitespace()
        .filter(|t| t.starts_with("http://") || t.starts_with("https://"))
        .map(|t| URL_WEIGHT.saturating_sub(t.chars().count()))
        .sum();
    text.chars().count() + links
}

fn char_weight(c: char) -> usize {
    let cp = c as u32;
    let light = cp <= 4_351
        || (8_192..=8_205).contains(&cp)
        || (8_208..=8_223).contains(&cp)
        || (8_242..=8_247).contains(&cp);
    if light { 1 } else { 2 }
}

fn plain_weight(text: &str) -> usize {
    text.chars().map(char_weight).sum()
}

/// One whitespace-free token. A link counts 23 plus the punctuation around it; something that
/// only looks like a bare domain (`example.com`) counts at least 23, because X may link it.
fn token_weight(token: &str) -> usize {
    let core = token
        .trim_start_matches(['(', '<', '"', '\'', '['])
        .trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '>', '"', '\'', ']']);
    if core.is_empty() {
        return plain_weight(token);
    }
    let around = plain_weight(token) - plain_weight(core);
    let lower = core.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        around + URL_WEIGHT
    } else if looks_like_domain(core) {
        around + plain_weight(core).max(URL_WEIGHT)
    } else {
        plain_weight(token)
    }
}

fn looks_like_domain(core: &str) -> bool {
    let host = core.split(['/', '?', '#']).next().unwrap_or(core);
    let Some((name, tld)) = host.rsplit_once('.') else {
        return false;
    };
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        && tld.len() >= 2
        && tld.chars().all(|c| c.is_ascii_alphabetic())
}

/// `main` followed by `suffix`, with words cut from the end of `main` (marked by "…") until
/// `fits` accepts the whole. The suffix (a citation, the link) is always kept.
pub(crate) fn fit(main: &str, suffix: &str, fits: impl Fn(&str) -> bool) -> String {
    let whole = format!("{main}{suffix}");
    if fits(&whole) {
        return whole;
    }
    let words: Vec<&str> = main.split_whitespace().collect();
    for keep in (1..words.len()).rev() {
        let cut = words[..keep]
            .join(" ")
            .trim_end_matches([',', ';', ':', '.', '—', '-', ' '])
            .to_string();
        let candidate = format!("{cut}…{suffix}");
        if fits(&candidate) {
            return candidate;
        }
    }
    // Not even one word fits: keep what does, character by character.
    let mut cut = String::new();
    for c in main.chars() {
        let candidate = format!("{cut}{c}…{suffix}");
        if !fits(&candidate) {
            break;
        }
        cut.push(c);
    }
    format!("{cut}…{suffix}")
}
