//! Entity resolution: the normalised key two surface forms share when they name the same
//! entity, acronym initials, and the union-find that merges keys linked by aliases.

use crate::extract::lexicon::LEGAL_SUFFIXES;

/// The resolution key of a name: lowercase, punctuation and whitespace collapsed,
/// possessives, a leading "the" and a trailing legal form ("Inc", "GmbH") dropped, and the
/// last word of a phrase or of a lowercase name made singular. "The Acme Corp.'s" and "acme" share the key `acme`.
pub fn entity_key(name: &str) -> String {
    let mut cleaned = String::with_capacity(name.len());
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '’' => {
                // A possessive "'s" ends a word; any other apostrophe joins it ("O'Brien").
                let next_is_s = chars.peek().is_some_and(|&n| n == 's' || n == 'S');
                if next_is_s {
                    let mut after = chars.clone();
                    after.next();
                    if after.peek().is_none_or(|n| !n.is_alphanumeric()) {
                        chars.next();
                    }
                }
            }
            '&' => cleaned.push_str(" and "),
            c if c.is_alphanumeric() => cleaned.extend(c.to_lowercase()),
            _ => cleaned.push(' '),
        }
    }
    let mut words: Vec<&str> = cleaned.split_whitespace().collect();
    if words.len() > 1 && words[0] == "the" {
        words.remove(0);
    }
    if words.len() > 1 && words.last().is_some_and(|w| LEGAL_SUFFIXES.contains(w)) {
        words.pop();
    }
    let Some(last) = words.pop() else {
        return String::new();
    };
    // Plurals are only undone in phrases and lowercase words: "Beta Labs" is "Beta Lab",
    // but "James" and "Ines" are names.
    let lowercase_word = name
        .trim_end()
        .rsplit(char::is_whitespace)
        .next()
        .is_some_and(|w| !w.chars().any(char::is_uppercase));
    let singular = if words.is_empty() && !lowercase_word {
        last.to_string()
    } else {
        singular(last)
    };
    let mut key = words.join(" ");
    if !key.is_empty() {
        key.push(' ');
    }
    key.push_str(&singular);
    key
}

fn singular(word: &str) -> String {
    if word.len() > 4 && word.ends_with("ies") {
        format!("{}y", &word[..word.len() - 3])
    } else if word.len() > 3
        && word.ends_with('s')
        && !["ss", "us", "is", "as"]
            .iter()
            .any(|end| word.ends_with(end))
    {
        word[..word.len() - 1].to_string()
    } else {
        word.to_string()
    }
}

/// The initials of a multi-word name as an acronym would spell them, lowercase, skipping
/// connecting words and legal forms: "Massachusetts Institute of Technology" → `mit`.
pub fn initials(name: &str) -> Option<String> {
    let letters: String = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .filter(|w| {
            let lower = w.to_lowercase();
            !matches!(
                lower.as_str(),
                "of" | "for" | "and" | "the" | "de" | "in" | "on"
            ) && !LEGAL_SUFFIXES.contains(&lower.as_str())
        })
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_lowercase)
        .collect();
    (letters.chars().count() >= 2).then_some(letters)
}

/// Disjoint sets over indices; the smaller index becomes the root so that the result does
/// not depend on the order unions are made in.
pub struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    pub fn new(len: usize) -> Self {
        Self {
            parent: (0..len).collect(),
        }
    }

    pub fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    pub fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (root, child) = (ra.min(rb), ra.max(rb));
            self.parent[child] = root;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case_punctuation_articles_possessives_plurals_and_legal_forms() {
        assert_eq!(entity_key("Acme Corp."), "acme");
        assert_eq!(entity_key("ACME corp"), "acme");
        assert_eq!(entity_key("The Acme Corporation's"), "acme");
        assert_eq!(entity_key("  acme\tinc "), "acme");
        assert_eq!(entity_key("Beta Labs"), "beta lab");
        assert_eq!(entity_key("beta-lab"), "beta lab");
        assert_eq!(entity_key("AT&T"), "at and t");
        assert_eq!(entity_key("O'Brien"), "obrien");
        assert_eq!(entity_key("Graph Neural Networks"), "graph neural network");
        assert_eq!(entity_key("technologies"), "technology");
        assert_eq!(entity_key("Technologies"), "technologies");
        assert_eq!(entity_key("James"), "james");
        assert_eq!(entity_key("New Texas"), "new texas");
        assert_eq!(entity_key("The"), "the");
        assert_eq!(entity_key("..."), "");
    }

    #[test]
    fn initials_skip_connectors_and_legal_forms() {
        assert_eq!(
            initials("International Business Machines").as_deref(),
            Some("ibm")
        );
        assert_eq!(
            initials("Massachusetts Institute of Technology").as_deref(),
            Some("mit")
        );
        assert_eq!(initials("Acme Corp"), None);
    }

    #[test]
    fn union_find_roots_at_smallest_index() {
        let mut sets = UnionFind::new(4);
        sets.union(3, 2);
        sets.union(2, 1);
        assert_eq!(sets.find(3), 1);
        assert_eq!(sets.find(0), 0);
    }
}
