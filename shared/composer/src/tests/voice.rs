//! Voice application in the built-in composer: required and banned terms, tone, length.

use super::fixtures::*;
use crate::cite::cited;
use crate::voice::find_term;
use crate::{Length, compose_builtin};

#[test]
fn every_channel_carries_every_required_term_verbatim() {
    let mut v = voice();
    v.required_terms
        .push("Northwind Security is a registered trademark.".to_string());
    for draft in compose_builtin(&brief(&ALL_CHANNELS), &v, &facts()) {
        for term in &v.required_terms {
            assert!(
                draft.body.contains(term.as_str()),
                "{}: {term}\n{}",
                draft.channel,
                draft.body
            );
        }
    }
}

#[test]
fn banned_terms_never_appear_even_when_facts_and_the_brief_hold_them() {
    let mut b = brief(&ALL_CHANNELS);
    b.topic = "The Game-Changer in zero-trust security for regional banks".to_string();
    b.call_to_action = Some("Get the SYNERGY playbook".to_string());
    b.keywords.push("synergy".to_string());
    let mut f = facts();
    // The best-matching sentence holds a banned term; a weaker one does not.
    f[0].text = "Zero trust is a game-changer: regional banks saw a 38% rise in zero-trust budgets in 2023. \
                 Budgets grew fastest at smaller banks."
        .to_string();
    // Every sentence holds one, so the fact cannot be used at all.
    f[1].text = "Synergy across teams cut breach costs by $1.76 million.".to_string();
    let v = voice();
    for draft in compose_builtin(&b, &v, &f) {
        let text = all_text(&draft);
        for term in &v.banned_terms {
            assert_eq!(
                find_term(&text, term),
                None,
                "{}: {term}\n{text}",
                draft.channel
            );
        }
        assert!(
            !cited(&text).contains(&2),
            "{}: the unusable fact is not cited",
            draft.channel
        );
        assert!(draft.sources.iter().all(|s| s.n != 2));
    }
    let blog = builtin("blog", &b, &v, &f);
    assert!(
        blog.body.contains("Budgets grew fastest at smaller banks"),
        "{}",
        blog.body
    );
}

#[test]
fn banned_words_in_the_phrase_tables_are_avoided() {
    let mut v = voice();
    v.banned_terms = vec![
        "evidence".to_string(),
        "plan".to_string(),
        "start".to_string(),
    ];
    for tone in ["formal", "friendly", "confident", "neutral"] {
        v.tone = vec![tone.to_string()];
        for draft in compose_builtin(&brief(&ALL_CHANNELS), &v, &facts()) {
            let text = all_text(&draft);
            for term in &v.banned_terms {
                assert_eq!(
                    find_term(&text, term),
                    None,
                    "{tone} {}: {term}\n{text}",
                    draft.channel
                );
            }
        }
    }
}

#[test]
fn formal_voices_use_no_exclamation_marks_or_contractions() {
    let mut v = voice();
    v.tone = vec!["Formal".to_string(), "precise".to_string()];
    let mut b = brief(&ALL_CHANNELS);
    b.call_to_action = Some("Don't wait, download the playbook!".to_string());
    let mut f = facts();
    f[0].text = "Banks can't ignore it: regional banks saw a 38% rise in credential-stuffing attacks in 2023!".to_string();
    for draft in compose_builtin(&b, &v, &f) {
        let text = all_text(&draft);
        assert!(!text.contains('!'), "{}: {text}", draft.channel);
        assert_eq!(
            contractions(&text),
            Vec::<String>::new(),
            "{}: {text}",
            draft.channel
        );
    }
    let linkedin = builtin("linkedin", &b, &v, &f);
    assert!(linkedin.body.contains("cannot ignore"), "{}", linkedin.body);
    assert!(linkedin.body.contains("Do not wait"), "{}", linkedin.body);
}

#[test]
fn friendly_voices_speak_to_the_reader_with_at_most_one_exclamation() {
    let mut v = voice();
    v.tone = vec!["playful".to_string()];
    let mut f = facts();
    f[0].text =
        "Wow! Regional banks saw a 38% rise in credential-stuffing attacks in 2023!".to_string();
    for draft in compose_builtin(&brief(&ALL_CHANNELS), &v, &f) {
        let text = all_text(&draft);
        assert!(text.matches('!').count() <= 1, "{}: {text}", draft.channel);
    }
    let blog = builtin("blog", &brief(&[]), &v, &f);
    assert!(find_term(&blog.body, "you").is_some(), "{}", blog.body);
    assert_eq!(blog.body.matches('!').count(), 1, "{}", blog.body);
    v.dont_list.push("No exclamation marks".to_string());
    let calm = builtin("blog", &brief(&[]), &v, &f);
    assert!(!calm.body.contains('!'), "{}", calm.body);
}

#[test]
fn confident_and_neutral_voices_stay_declarative() {
    for tone in ["authoritative", "curious"] {
        let mut v = voice();
        v.tone = vec![tone.to_string()];
        for draft in compose_builtin(&brief(&ALL_CHANNELS), &v, &facts()) {
            assert!(!all_text(&draft).contains('!'), "{tone} {}", draft.channel);
        }
    }
}

#[test]
fn tones_choose_different_phrasing() {
    let bodies: Vec<String> = ["formal", "friendly", "confident", "neutral"]
        .iter()
        .map(|tone| {
            let mut v = voice();
            v.tone = vec![tone.to_string()];
            builtin("blog", &brief(&[]), &v, &facts()).body
        })
        .collect();
    for (i, a) in bodies.iter().enumerate() {
        for b in &bodies[i + 1..] {
            assert_ne!(a, b);
        }
    }
    let mut v = voice();
    v.tone = vec!["formal".to_string()];
    let formal = builtin("blog", &brief(&[]), &v, &facts());
    assert!(
        headings(&formal.body).contains(&"Conclusion"),
        "{}",
        formal.body
    );
}

#[test]
fn a_voice_without_hashtags_gets_none() {
    let mut v = voice();
    v.dont_list.push("Hashtags".to_string());
    for channel in ["linkedin", "x", "mastodon"] {
        let draft = builtin(channel, &brief(&[]), &v, &facts());
        assert!(!draft.body.contains('#'), "{channel}: {}", draft.body);
    }
}

#[test]
fn preferred_words_and_length_bound_the_facts_used() {
    let many: Vec<_> = (1..=8)
        .map(|n| {
            fact(
                n,
                &format!(
                    "Survey wave {n} found that {n}0% of banks review access rights quarterly."
                ),
                "Survey",
            )
        })
        .collect();
    let default = builtin("linkedin", &brief(&[]), &voice(), &many);
    let mut tight = voice();
    tight
        .preferred_words
        .insert("linkedin".to_string(), (40, 90));
    let tight = builtin("linkedin", &brief(&[]), &tight, &many);
    assert_eq!(default.sources.len(), 3);
    assert_eq!(tight.sources.len(), 1, "{}", tight.body);
    let mut short = brief(&[]);
    short.length = Some(Length::Short);
    let short_thread = builtin("x", &short, &voice(), &many);
    let mut long = brief(&[]);
    long.length = Some(Length::Long);
    let long_thread = builtin("x", &long, &voice(), &many);
    assert_eq!(short_thread.sources.len(), 2);
    assert_eq!(long_thread.sources.len(), 6);
    // A blog preference covers Medium too.
    let mut blog_pref = voice();
    blog_pref
        .preferred_words
        .insert("blog".to_string(), (200, 260));
    let medium = builtin("medium", &brief(&[]), &blog_pref, &many);
    assert_eq!(medium.sources.len(), 2, "{}", medium.body);
}

#[test]
fn a_low_reading_grade_quotes_shorter_sentences() {
    let long_sentence = "Regional banks that adopted phishing-resistant multi-factor authentication for every employee, \
contractor and service account reported 60% fewer account takeovers over the following twelve months of operation across the northern region.";
    let f = vec![fact(1, long_sentence, "Report")];
    let mut easy = voice();
    easy.reading_grade = Some(5.0);
    let draft = builtin("newsletter", &brief(&[]), &easy, &f);
    let bullet = draft.body.lines().find(|l| l.starts_with("- ")).unwrap();
    assert!(bullet.split_whitespace().count() <= 21, "{bullet}");
    assert!(bullet.ends_with("… [1]"), "{bullet}");
}
