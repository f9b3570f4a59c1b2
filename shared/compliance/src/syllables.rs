//! English syllable counts for readability: vowel groups, corrected for silent and split
//! vowels, common suffixes and a few words the rules get wrong.

/// Dictionary counts for words the rules miss.
const EXCEPTIONS: &[(&str, usize)] = &[
    ("apostrophe", 4),
    ("area", 3),
    ("audience", 3),
    ("business", 2),
    ("cafe", 2),
    ("catastrophe", 4),
    ("client", 2),
    ("create", 2),
    ("created", 3),
    ("creating", 3),
    ("creation", 3),
    ("creative", 3),
    ("experience", 4),
    ("hereby", 2),
    ("idea", 3),
    ("maybe", 2),
    ("naive", 2),
    ("people", 2),
    ("poem", 2),
    ("poet", 2),
    ("react", 2),
    ("recipe", 3),
    ("science", 2),
    ("scientific", 4),
    ("scientist", 3),
    ("simile", 3),
];

/// First halves of compounds whose silent "e" the vowel-group count would otherwise voice
/// ("someone", "timeline").
const COMPOUND_HEADS: &[&str] = &[
    "base", "care", "fire", "here", "home", "life", "make", "more", "name", "note", "safe", "side",
    "some", "state", "take", "there", "time", "where", "whole", "wide",
];

/// Suffixes after which a preceding "e" stays silent ("lovely", "statement", "careless").
const SILENT_E_SUFFIXES: &[&str] = &["ful", "less", "ly", "ment", "ments", "ness"];

/// Syllables in one word; a number counts as one, a token without letters or digits as none.
pub(crate) fn count(word: &str) -> usize {
    if word.contains('-') {
        return word.split('-').map(count).sum();
    }
    let lower = word.to_lowercase().replace('’', "'");
    if let Some(stem) = lower.strip_suffix("n't") {
        // "isn't", "didn't" add a syllable; "don't", "can't" do not.
        return match stem.chars().last() {
            Some(c) if !is_vowel_letter(c) => count(stem) + 1,
            _ => letters(&format!("{stem}nt")),
        };
    }
    let stem = lower.split('\'').next().unwrap_or_default();
    match letters(stem) {
        0 if stem.chars().any(|c| c.is_ascii_digit()) => 1,
        n => n,
    }
}

fn letters(word: &str) -> usize {
    let w: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    if w.is_empty() {
        return 0;
    }
    syllables(&w)
}

fn syllables(w: &[char]) -> usize {
    let n = w.len();
    if n <= 3 {
        return 1;
    }
    let s: String = w.iter().collect();
    if let Some(&(_, count)) = EXCEPTIONS.iter().find(|(word, _)| *word == s) {
        return count;
    }
    if let Some(head) = COMPOUND_HEADS
        .iter()
        .find(|h| s.starts_with(*h) && n - h.len() >= 3)
    {
        let split = head.chars().count();
        return syllables(&w[..split]) + syllables(&w[split..]);
    }
    if n > 4 && s.ends_with("es") && sibilant_end(&w[..n - 2]) {
        return syllables(&w[..n - 2]) + 1;
    }
    if n > 4 && s.ends_with('s') && !s.ends_with("ss") && !s.ends_with("us") && !s.ends_with("is") {
        return syllables(&w[..n - 1]);
    }
    if s.ends_with("ed") && !matches!(w[n - 3], 't' | 'd') {
        return syllables(&w[..n - 1]);
    }
    vowel_groups(w)
}

fn vowel_groups(w: &[char]) -> usize {
    let n = w.len();
    let vowel: Vec<bool> = (0..n).map(|i| is_vowel_at(w, i)).collect();
    let mut count = 0;
    for i in 0..n {
        if vowel[i] && (i == 0 || !vowel[i - 1]) {
            count += 1;
        }
        if i > 0 && vowel[i] && vowel[i - 1] && splits(w, i - 1) {
            count += 1;
        }
    }
    let consonant = |i: usize| !vowel[i];
    // Silent final "e", except the syllabic "-ble", "-tre" endings.
    if w[n - 1] == 'e' && consonant(n - 2) && count > 1 {
        let syllabic = matches!(w[n - 2], 'l' | 'r') && consonant(n - 3);
        if !syllabic {
            count -= 1;
        }
    }
    let s: String = w.iter().collect();
    let silent_before_suffix = SILENT_E_SUFFIXES.iter().any(|suffix| {
        n.checked_sub(suffix.len() + 1).is_some_and(|e| {
            s.ends_with(suffix) && w[e] == 'e' && e >= 2 && consonant(e - 1) && vowel[e - 2]
        })
    });
    if silent_before_suffix && count > 1 {
        count -= 1;
    }
    // "being", "doing": the vowel before "-ing" is its own syllable.
    if n > 4 && s.ends_with("ing") && vowel[n - 4] {
        count += 1;
    }
    count.max(1)
}

/// Whether the vowels at `i` and `i + 1` are pronounced apart ("me-di-a", "flu-ent").
fn splits(w: &[char], i: usize) -> bool {
    let before = i.checked_sub(1).map(|b| w[b]);
    let after = w.get(i + 2).copied();
    let soft_before = matches!(before, Some('c' | 't' | 's' | 'g' | 'x'));
    match (w[i], w[i + 1]) {
        ('i', 'a' | 'o') => !soft_before,
        ('i', 'u') => true,
        ('e', 'o') => after != Some('u'),
        ('u', 'a') => before != Some('g'),
        ('u', 'e') => before != Some('g') && after.is_some_and(|c| !is_vowel_letter(c)),
        ('i', 'e') => {
            let tail: String = w[i + 2..].iter().collect();
            after == Some('t') || (w.len() > 5 && (tail == "r" || tail == "st"))
        }
        _ => false,
    }
}

/// "y" is a vowel except at the start of a word or before another vowel (a final "e"
/// aside: "eye", "type"); "u" after "q" is not.
fn is_vowel_at(w: &[char], i: usize) -> bool {
    match w[i] {
        'y' => {
            let next = w.get(i + 1).copied();
            let final_e = next == Some('e') && i + 2 == w.len();
            i > 0 && (final_e || !next.is_some_and(is_vowel_letter))
        }
        'u' if i > 0 && w[i - 1] == 'q' => false,
        c => is_vowel_letter(c),
    }
}

fn is_vowel_letter(c: char) -> bool {
    matches!(
        c,
        'a' | 'e'
            | 'i'
            | 'o'
            | 'u'
            | 'y'
            | 'à'
            | 'á'
            | 'â'
            | 'ä'
            | 'æ'
            | 'è'
            | 'é'
            | 'ê'
            | 'ë'
            | 'ì'
            | 'í'
            | 'î'
            | 'ï'
            | 'ò'
            | 'ó'
            | 'ô'
            | 'ö'
            | 'œ'
            | 'ù'
            | 'ú'
            | 'û'
            | 'ü'
    )
}

/// Endings after which "-es" is voiced ("boxes", "pages", "churches").
fn sibilant_end(stem: &[char]) -> bool {
    match stem {
        [.., 'c' | 's', 'h'] => true,
        [.., last] => matches!(last, 'c' | 'g' | 's' | 'x' | 'z'),
        [] => false,
    }
}
