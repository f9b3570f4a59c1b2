//! Social-media spellings mapped back to lexicon words: HTML entities, laughter,
//! letters repeated for emphasis.

/// Laughter of any length ("hahahaha", "ahahah", "hehehe") reads as its lexicon form.
pub(crate) fn laughter(word: &str) -> Option<&'static str> {
    if word.len() < 4 || !word.contains('h') {
        return None;
    }
    if word.bytes().all(|b| b == b'h' || b == b'a') && word.contains("ha") {
        Some("hahaha")
    } else if word.bytes().all(|b| b == b'h' || b == b'e') && word.contains("he") {
        Some("hehe")
    } else {
        None
    }
}

/// Three or more of the same letter in a row never occur in English spelling.
pub(crate) fn has_run(word: &str) -> bool {
    word.as_bytes()
        .windows(3)
        .any(|w| w[0] == w[1] && w[1] == w[2] && w[0].is_ascii_alphabetic())
}

/// Keeps at most `keep` of each run of a repeated letter.
pub(crate) fn fold_runs(word: &str, keep: usize, out: &mut String) {
    out.clear();
    let (mut prev, mut run) = ('\0', 0);
    for c in word.chars() {
        run = if c == prev { run + 1 } else { 1 };
        prev = c;
        if run <= keep || !c.is_alphabetic() {
            out.push(c);
        }
    }
}

/// Tweets arrive HTML-escaped ("&amp;", "&lt;3"); decode the entities that matter.
pub(crate) fn decode_entities(text: &str, out: &mut String) {
    out.clear();
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let entity = [
            ("&amp;", '&'),
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&quot;", '"'),
            ("&#39;", '\''),
            ("&apos;", '\''),
        ]
        .into_iter()
        .find(|(name, _)| rest.starts_with(name));
        match entity {
            Some((name, c)) => {
                out.push(c);
                rest = &rest[name.len()..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}
