//! X's weighted count and the built-in thread's limits.

use super::fixtures::*;
use crate::x_weighted_len;

#[test]
fn weights_follow_twitter_text() {
    assert_eq!(x_weighted_len("hello world"), 11);
    assert_eq!(x_weighted_len("日本語"), 6, "CJK weighs 2");
    assert_eq!(
        x_weighted_len("😀"),
        2,
        "an emoji outside the light ranges weighs 2"
    );
    assert_eq!(
        x_weighted_len("a — b"),
        5,
        "general punctuation 8192-8205/8208-8223 weighs 1"
    );
    assert_eq!(x_weighted_len("…"), 2, "U+2026 is outside the light ranges");
    assert_eq!(x_weighted_len("′"), 1, "8242-8247 weigh 1");
    assert_eq!(x_weighted_len("‰"), 2, "8240 sits between the light ranges");
}

#[test]
fn links_weigh_23_whatever_their_length() {
    let long = format!("https://example.com/{}", "segment/".repeat(30));
    assert_eq!(x_weighted_len(&long), 23);
    assert_eq!(x_weighted_len("https://x.co"), 23);
    assert_eq!(x_weighted_len(&format!("See {long}.")), 4 + 23 + 1);
    assert_eq!(x_weighted_len("(https://x.co/a)"), 25);
    assert_eq!(
        x_weighted_len("example.com"),
        23,
        "a bare domain may be linked"
    );
    assert_eq!(
        x_weighted_len("e.g. U.S. 3.5x"),
        14,
        "abbreviations and numbers are not links"
    );
}

#[test]
fn every_post_fits_280_weighted_characters_with_a_long_url_and_cjk() {
    let mut b = brief(&[]);
    b.link = Some(format!(
        "https://example.com/{}",
        "very-long-campaign-path/".repeat(10)
    ));
    b.call_to_action = Some("ゼロトラストの導入ガイドを今すぐダウンロードしてください".repeat(6));
    let f = vec![
        fact(1, &format!("{}。", "地方銀行ではクレデンシャルスタッフィング攻撃が大幅に増加しました".repeat(8)), "報告書"),
        fact(2, &"Regional banks saw a sharp rise in credential-stuffing attacks across every online channel they run, ".repeat(5), "Report"),
        fact(3, "Segmented banks contained incidents 40% faster 😀 than banks that did not segment.", "Report"),
    ];
    let mut v = voice();
    v.tone = vec!["friendly".to_string()];
    let draft = builtin("x", &b, &v, &f);
    let total = draft.thread.len();
    for (i, part) in draft.thread.iter().enumerate() {
        assert!(
            x_weighted_len(part) <= 280,
            "part {i} weighs {}: {part}",
            x_weighted_len(part)
        );
        assert!(part.starts_with(&format!("{}/{total} ", i + 1)), "{part}");
    }
    for n in 1..=3 {
        assert!(
            draft.body.contains(&format!("[{n}]")),
            "citation {n} survives cutting: {}",
            draft.body
        );
    }
    assert!(
        draft.body.contains(b.link.as_deref().unwrap()),
        "the link is never cut"
    );
    assert!(
        draft
            .body
            .contains("Past results do not guarantee future outcomes.")
    );
    assert_eq!(draft.body, draft.thread.join("\n\n"));
}

#[test]
fn a_thread_is_hook_one_post_per_fact_then_cta_with_at_most_two_hashtags() {
    let draft = builtin("x", &brief(&[]), &voice(), &facts());
    assert_eq!(draft.title, None);
    assert_eq!(draft.thread.len(), 6, "{:#?}", draft.thread);
    assert!(draft.thread[0].starts_with("1/6 "));
    for (i, part) in draft.thread[1..5].iter().enumerate() {
        assert!(part.contains(&format!("[{}]", i + 1)), "{part}");
    }
    let last = draft.thread.last().unwrap();
    assert!(
        last.contains("Download the playbook: https://example.com/zero-trust-playbook"),
        "{last}"
    );
    let tags = draft
        .body
        .split_whitespace()
        .filter(|w| w.starts_with('#'))
        .count();
    assert!((1..=2).contains(&tags), "{}", draft.body);
}

#[test]
fn a_long_disclaimer_gets_its_own_post() {
    let mut v = voice();
    v.required_terms = vec![format!(
        "Disclaimer: {}",
        "figures are illustrative and not advice. "
            .repeat(6)
            .trim_end()
    )];
    let draft = builtin("x", &brief(&[]), &v, &facts());
    let last = draft.thread.last().unwrap();
    assert!(last.contains(v.required_terms[0].as_str()), "{last}");
    assert!(
        !last.contains("https://"),
        "it did not fit the CTA post: {last}"
    );
    assert!(draft.thread.iter().all(|p| x_weighted_len(p) <= 280));
}
