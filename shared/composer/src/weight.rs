//! Lengths as the platforms count them. They are the compliance check's own measures, so a
//! post the composer fits to a limit is one the check passes.

use plasma_compliance::Measure;

pub use plasma_compliance::x_weighted_length as x_weighted_len;

/// The most weighted characters an X post may hold.
pub const X_LIMIT: usize = 280;

/// A string's length as Mastodon counts it (every link 23), but never less than its plain
/// character count, so a body that fits also fits a server that counts plainly.
pub(crate) fn mastodon_len(text: &str) -> usize {
    Measure::CharactersShortUrls
        .length(text)
        .max(text.chars().count())
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
