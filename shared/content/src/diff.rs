//! Differences between two versions of an item's text: a unified line diff for people and
//! tools, and word-level changes for highlighting.

use serde::Serialize;
use similar::{ChangeTag, TextDiff};
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Change {
    /// `equal`, `insert` or `delete`.
    pub op: &'static str,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct VersionDiff {
    pub from: u32,
    pub to: u32,
    /// `diff -u` style, with `v{from}` and `v{to}` as the file names.
    pub unified: String,
    /// Word-level changes, adjacent runs of the same kind merged.
    pub changes: Vec<Change>,
    pub inserted_words: usize,
    pub deleted_words: usize,
}

pub fn diff(from: u32, old: &str, to: u32, new: &str) -> VersionDiff {
    let lines = TextDiff::from_lines(old, new);
    let unified = lines
        .unified_diff()
        .context_radius(3)
        .header(&format!("v{from}"), &format!("v{to}"))
        .to_string();
    let words = TextDiff::from_words(old, new);
    let mut changes: Vec<Change> = Vec::new();
    let (mut inserted_words, mut deleted_words) = (0, 0);
    for change in words.iter_all_changes() {
        let op = match change.tag() {
            ChangeTag::Equal => "equal",
            ChangeTag::Insert => "insert",
            ChangeTag::Delete => "delete",
        };
        let text = change.value();
        if !text.trim().is_empty() {
            match change.tag() {
                ChangeTag::Insert => inserted_words += 1,
                ChangeTag::Delete => deleted_words += 1,
                ChangeTag::Equal => {}
            }
        }
        match changes.last_mut() {
            Some(last) if last.op == op => last.text.push_str(text),
            _ => changes.push(Change {
                op,
                text: text.to_string(),
            }),
        }
    }
    VersionDiff {
        from,
        to,
        unified,
        changes,
        inserted_words,
        deleted_words,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_word_shows_as_a_deletion_and_an_insertion() {
        let d = diff(
            1,
            "Our new app is fast.\nTry it.\n",
            2,
            "Our new app is quick.\nTry it.\n",
        );
        assert!(
            d.unified.contains("--- v1") && d.unified.contains("+++ v2"),
            "{}",
            d.unified
        );
        assert!(
            d.unified.contains("-Our new app is fast.")
                && d.unified.contains("+Our new app is quick.")
        );
        assert_eq!((d.inserted_words, d.deleted_words), (1, 1));
        let ops: Vec<(&str, &str)> = d.changes.iter().map(|c| (c.op, c.text.trim())).collect();
        assert!(
            ops.contains(&("delete", "fast.")) && ops.contains(&("insert", "quick.")),
            "{ops:?}"
        );
    }

    #[test]
    fn identical_texts_have_no_changes() {
        let d = diff(1, "same", 2, "same");
        assert_eq!(d.unified, "");
        assert_eq!(d.changes.len(), 1);
        assert_eq!((d.inserted_words, d.deleted_words), (0, 0));
    }
}
