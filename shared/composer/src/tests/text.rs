//! Text helpers: casing, contractions, banned-term matching, exclamations.

use super::fixtures::voice;
use crate::text::{expand_contractions, hashtag, limit_exclamations, mid_sentence, title_case};
use crate::voice::find_term;

#[test]
fn title_case_keeps_small_words_and_acronyms() {
    assert_eq!(
        title_case("zero-trust security for regional banks"),
        "Zero-Trust Security for Regional Banks"
    );
    assert_eq!(
        title_case("how AI changes the iPhone market"),
        "How AI Changes the iPhone Market"
    );
    assert_eq!(
        title_case("the state of: a guide to SaaS"),
        "The State of: A Guide to SaaS"
    );
}

#[test]
fn phrases_read_mid_sentence_without_losing_names() {
    let none = |_: &str| false;
    assert_eq!(
        mid_sentence("Marketing managers in retail", &none),
        "marketing managers in retail"
    );
    assert_eq!(mid_sentence("IT leaders", &none), "IT leaders");
    assert_eq!(
        mid_sentence("Google Cloud users", &none),
        "Google Cloud users"
    );
    assert_eq!(
        mid_sentence("Kubernetes cost control", &|w| w == "Kubernetes"),
        "Kubernetes cost control"
    );
}

#[test]
fn contractions_are_written_out_but_possessives_kept() {
    assert_eq!(
        expand_contractions(
            "Don't wait: it's the bank's best year, and we're ready. You can't lose; I'm sure they'll agree."
        ),
        "Do not wait: it is the bank's best year, and we are ready. You cannot lose; I am sure they will agree."
    );
    assert_eq!(expand_contractions("Let’s go"), "Let us go");
}

#[test]
fn exclamations_beyond_the_allowance_become_full_stops() {
    assert_eq!(
        limit_exclamations("Wow! Great! See https://e.com/#!/x", 1),
        "Wow! Great. See https://e.com/#!/x"
    );
    assert_eq!(limit_exclamations("Stop!!", 0), "Stop.");
    assert_eq!(limit_exclamations("![chart](c.png)", 0), "![chart](c.png)");
}

#[test]
fn banned_terms_match_on_word_boundaries_in_any_case() {
    assert_eq!(
        find_term("This is a Game Changer.", "game changer"),
        Some((10, 22))
    );
    assert_eq!(find_term("a game\n changer", "game changer"), Some((2, 15)));
    assert_eq!(find_term("leveraged", "leverage"), None);
    assert_eq!(find_term("cheapest", "cheap"), None);
    assert_eq!(find_term("so CHEAP!", "cheap"), Some((3, 8)));
    assert_eq!(find_term("#ad here", "#ad"), Some((0, 3)));
}

#[test]
fn scrubbing_removes_the_term_and_mends_spacing() {
    let v = voice();
    assert_eq!(v.scrub("The synergy playbook, now"), "The playbook, now");
    assert_eq!(v.scrub("A Game-Changer: zero trust"), "A: zero trust");
}

#[test]
fn hashtags_are_camel_case() {
    assert_eq!(hashtag("zero trust").as_deref(), Some("#ZeroTrust"));
    assert_eq!(hashtag("B2B SaaS").as_deref(), Some("#B2BSaaS"));
    assert_eq!(hashtag("  --  "), None);
}
