//! Citation markers and the sources they make.

use super::fixtures::*;
use crate::cite::{cited, sources, strip_unknown};
use crate::compose_builtin;

#[test]
fn markers_are_read_in_citation_order() {
    assert_eq!(
        cited("A [2]. B [1, 3]. C [2][4-5]. D [x] [] [10-99]."),
        [2, 1, 3, 4, 5]
    );
    assert_eq!(cited("A [link](https://e.com) [^1]"), Vec::<usize>::new());
}

#[test]
fn unknown_numbers_are_stripped_and_known_ones_kept() {
    let (text, removed) = strip_unknown("Costs fell [1]. Risk rose [7]. Both [1, 9].", &[1, 2]);
    assert_eq!(text, "Costs fell [1]. Risk rose. Both [1].");
    assert_eq!(removed, [7, 9]);
    let (same, removed) = strip_unknown("Nothing to do [2].", &[2]);
    assert_eq!(same, "Nothing to do [2].");
    assert!(removed.is_empty());
}

#[test]
fn sources_are_the_cited_facts_by_number() {
    let f = facts();
    let got = sources(["A [3].", "B [1][3] and [8]."], &f);
    let numbers: Vec<usize> = got.iter().map(|s| s.n).collect();
    assert_eq!(numbers, [1, 3]);
    assert_eq!(got[0], f[0]);
}

#[test]
fn every_draft_lists_exactly_the_facts_it_cites() {
    let mut f = facts();
    // A repeated number is one fact; the first wins.
    f.push(fact(
        2,
        "A duplicate of fact two that says something else entirely about banks.",
        "Dup",
    ));
    for draft in compose_builtin(&brief(&ALL_CHANNELS), &voice(), &f) {
        let mut in_text = cited(&all_text(&draft));
        in_text.sort_unstable();
        let listed: Vec<usize> = draft.sources.iter().map(|s| s.n).collect();
        assert_eq!(in_text, listed, "{}", draft.channel);
        assert!(!listed.is_empty(), "{}", draft.channel);
        assert!(
            draft.sources.iter().all(|s| s.title != "Dup"),
            "{}",
            draft.channel
        );
        assert!(!draft.body.contains("duplicate of fact two"));
    }
}
