//! The built-in composer's structure per channel, determinism and the no-facts case.

use super::fixtures::*;
use crate::cite::cited;
use crate::weight::mastodon_len;
use crate::{BUILTIN_PROVIDER, BUILTIN_TEMPLATE_VERSION, Length, compose_builtin};

#[test]
fn blog_has_a_keyword_title_intro_fact_sections_conclusion_and_cta() {
    let draft = builtin("blog", &brief(&[]), &voice(), &facts());
    let title = draft.title.as_deref().expect("a blog has a title");
    assert!(
        title.starts_with("Zero-Trust Security for Regional Banks"),
        "{title}"
    );
    assert!(
        title.contains("Zero Trust"),
        "the title carries a keyword: {title}"
    );
    assert!(
        !draft.body.starts_with('#'),
        "the title is not repeated as a heading"
    );

    let intro = draft.body.split("\n\n").next().unwrap();
    assert!(intro.contains("IT leaders at regional banks"), "{intro}");
    assert!(
        intro.contains("reduce breach risk"),
        "the intro names the goal: {intro}"
    );

    let headings = headings(&draft.body);
    // Three fact sections at medium length, then the conclusion.
    assert_eq!(headings.len(), 4, "{headings:?}");
    assert_eq!(headings[0], "Regional banks saw a 38% rise");
    assert_eq!(headings[1], "Most zero-trust rollouts start with identity");
    assert!(
        !headings[..3].iter().any(|h| h.contains('[')),
        "{headings:?}"
    );
    assert!(
        draft
            .body
            .contains("according to FS-ISAC Threat Report 2024 [1]."),
        "a section attributes its first fact: {}",
        draft.body
    );
    assert!(
        !draft.body.contains("ffiec_guidance"),
        "file names are not attributed"
    );
    assert!(
        !draft.body.contains("[14]"),
        "the source's own references are dropped"
    );
    assert!(
        draft
            .body
            .contains("[Download the playbook](https://example.com/zero-trust-playbook)")
    );
    assert_eq!(draft.provider, BUILTIN_PROVIDER);
    assert_eq!(draft.prompt_version, BUILTIN_TEMPLATE_VERSION);
    assert!(draft.thread.is_empty());
}

#[test]
fn blog_sections_follow_the_length() {
    let mut short = brief(&[]);
    short.length = Some(Length::Short);
    let mut long = brief(&[]);
    long.length = Some(Length::Long);
    let mut many = facts();
    many.extend((5..=12).map(|n| {
        fact(
            n,
            &format!(
                "Survey wave {n} found that {n}0% of banks now review access rights every quarter."
            ),
            "Access Review Survey",
        )
    }));
    let short = builtin("blog", &short, &voice(), &many);
    let long = builtin("blog", &long, &voice(), &many);
    assert_eq!(
        headings(&short.body).len(),
        3,
        "two sections and the conclusion"
    );
    assert_eq!(
        headings(&long.body).len(),
        5,
        "four sections and the conclusion"
    );
    assert!(short.sources.len() < long.sources.len());
    assert_eq!(short.sources.len(), 3);
    assert_eq!(long.sources.len(), 9);
}

#[test]
fn medium_and_wordpress_are_shaped_like_the_blog() {
    let blog = builtin("blog", &brief(&[]), &voice(), &facts());
    for channel in ["medium", "wordpress"] {
        let draft = builtin(channel, &brief(&[]), &voice(), &facts());
        assert_eq!(draft.channel, channel);
        assert_eq!(draft.title, blog.title);
        assert_eq!(draft.body, blog.body);
    }
}

#[test]
fn linkedin_has_hook_bullets_cta_and_three_to_five_hashtags() {
    let draft = builtin("linkedin", &brief(&[]), &voice(), &facts());
    assert_eq!(draft.title, None);
    let blocks: Vec<&str> = draft.body.split("\n\n").collect();
    assert!(
        blocks[0].starts_with("Regional banks saw a 38% rise") && blocks[0].ends_with("[1]."),
        "a statistic leads: {}",
        blocks[0]
    );
    let bullets: Vec<&str> = draft.body.lines().filter(|l| l.starts_with("• ")).collect();
    assert_eq!(bullets.len(), 2, "{}", draft.body);
    assert!(bullets.iter().all(|b| !cited(b).is_empty()), "{bullets:?}");
    assert!(
        draft
            .body
            .contains("Download the playbook: https://example.com/zero-trust-playbook")
    );
    let tags: Vec<&str> = blocks.last().unwrap().split_whitespace().collect();
    assert!((3..=5).contains(&tags.len()), "{tags:?}");
    assert!(tags.iter().all(|t| t.starts_with('#')), "{tags:?}");
    assert_eq!(tags[0], "#ZeroTrust");
    assert!(draft.body.chars().count() <= 3_000);
}

#[test]
fn linkedin_stays_under_3000_characters_with_long_facts() {
    let long_facts: Vec<_> = (1..=5)
        .map(|n| {
            let sentence = format!(
                "Bank {n} reported that {} and the results held.",
                "its review of access controls across every branch ".repeat(12)
            );
            fact(n, &sentence, "Long Report")
        })
        .collect();
    let mut b = brief(&[]);
    b.length = Some(Length::Long);
    let draft = builtin("linkedin", &b, &voice(), &long_facts);
    assert!(
        draft.body.chars().count() <= 3_000,
        "{}",
        draft.body.chars().count()
    );
    assert!(
        draft
            .body
            .contains("Past results do not guarantee future outcomes.")
    );
}

#[test]
fn webhook_and_unknown_channels_get_the_plain_post() {
    let linkedin = builtin("linkedin", &brief(&[]), &voice(), &facts());
    let webhook = builtin("webhook", &brief(&[]), &voice(), &facts());
    assert_eq!(webhook.body, linkedin.body);
    let unknown = builtin(" Intranet ", &brief(&[]), &voice(), &facts());
    assert_eq!(unknown.channel, "Intranet");
    assert_eq!(unknown.body, linkedin.body);
}

#[test]
fn mastodon_fits_500_characters_with_its_cta_and_required_terms() {
    let mut b = brief(&[]);
    b.call_to_action =
        Some("Read the complete zero-trust playbook for regional and community banks".to_string());
    b.link = Some(format!("https://example.com/{}", "long-path/".repeat(8)));
    let draft = builtin("mastodon", &b, &voice(), &facts());
    assert!(draft.body.chars().count() <= 500, "{}", draft.body);
    assert!(mastodon_len(&draft.body) <= 500);
    assert!(draft.body.contains(b.link.as_deref().unwrap()));
    assert!(
        draft
            .body
            .contains("Past results do not guarantee future outcomes.")
    );
    let tags = draft
        .body
        .split_whitespace()
        .filter(|w| w.starts_with('#'))
        .count();
    assert!((2..=3).contains(&tags), "{}", draft.body);
}

#[test]
fn newsletter_has_heading_lead_cited_bullets_and_read_more() {
    let draft = builtin("newsletter", &brief(&[]), &voice(), &facts());
    let title = draft.title.clone().unwrap();
    assert!(
        draft.body.starts_with(&format!("## {title}\n\n")),
        "{}",
        draft.body
    );
    let lead = draft.body.split("\n\n").nth(1).unwrap();
    assert!(!lead.starts_with("- ") && lead.ends_with('.'), "{lead}");
    let bullets: Vec<&str> = draft.body.lines().filter(|l| l.starts_with("- ")).collect();
    assert_eq!(bullets.len(), 3);
    assert!(bullets.iter().all(|b| !cited(b).is_empty()));
    assert!(
        draft
            .body
            .contains("[Read more](https://example.com/zero-trust-playbook)")
    );
}

#[test]
fn press_release_has_dateline_lead_facts_about_disclaimer_and_end_mark() {
    let draft = builtin("press_release", &brief(&[]), &voice(), &facts());
    let headline = draft.title.clone().unwrap();
    assert!(headline.starts_with("Northwind Security "), "{headline}");
    assert!(draft.body.starts_with(&format!("# {headline}\n\n")));
    let lead = draft
        .body
        .lines()
        .find(|l| l.starts_with("CITY — DATE — "))
        .expect("a dateline");
    assert!(lead.contains("Northwind Security today"), "who: {lead}");
    assert!(lead.contains("zero-trust security"), "what: {lead}");
    assert!(lead.contains("reduce breach risk"), "why: {lead}");
    assert!(draft.body.contains("**About Northwind Security**"));
    assert!(
        draft
            .body
            .contains("according to FS-ISAC Threat Report 2024 [1].")
    );
    assert!(
        draft
            .body
            .ends_with("Past results do not guarantee future outcomes.\n\n###"),
        "{}",
        draft.body
    );
    assert!(!draft.body.contains('"'), "no invented quotes");
}

#[test]
fn press_release_without_a_voice_name_uses_a_placeholder() {
    let mut v = voice();
    v.name = String::new();
    let draft = builtin("press_release", &brief(&[]), &v, &facts());
    assert!(
        draft.body.contains("CITY — DATE — COMPANY today"),
        "{}",
        draft.body
    );
}

#[test]
fn drafts_are_deterministic_and_follow_the_brief_order() {
    let b = brief(&["press_release", "x", "blog"]);
    let first = compose_builtin(&b, &voice(), &facts());
    let second = compose_builtin(&b, &voice(), &facts());
    assert_eq!(first, second);
    let channels: Vec<&str> = first.iter().map(|d| d.channel.as_str()).collect();
    assert_eq!(channels, ["press_release", "x", "blog"]);
}

#[test]
fn without_facts_drafts_are_structured_and_uncited() {
    let mut b = brief(&ALL_CHANNELS);
    b.goal = Some("drive webinar signups".to_string());
    b.call_to_action = None;
    for draft in compose_builtin(&b, &voice(), &[]) {
        assert!(draft.sources.is_empty(), "{}", draft.channel);
        assert!(
            cited(&all_text(&draft)).is_empty(),
            "{}: {}",
            draft.channel,
            draft.body
        );
        assert!(
            !draft.body.contains("signups"),
            "an internal goal is not written out"
        );
        assert!(
            !draft.body.to_lowercase().contains("evidence"),
            "{}: {}",
            draft.channel,
            draft.body
        );
        assert!(
            !draft.body.to_lowercase().contains("facts"),
            "{}: {}",
            draft.channel,
            draft.body
        );
    }
    let blog = builtin("blog", &b, &voice(), &[]);
    let headings = headings(&blog.body);
    assert_eq!(
        headings.len(),
        4,
        "three keyword sections and the conclusion: {headings:?}"
    );
    assert_eq!(headings[0], "Why zero trust matters");
    // The goal asks readers to register, so the link gets a matching call to action.
    assert!(
        blog.body
            .contains("[Save your seat](https://example.com/zero-trust-playbook)"),
        "{}",
        blog.body
    );
    let linkedin = builtin("linkedin", &b, &voice(), &[]);
    assert_eq!(
        linkedin
            .body
            .lines()
            .filter(|l| l.starts_with("• "))
            .count(),
        3
    );
    let x = builtin("x", &b, &voice(), &[]);
    assert!(x.thread.len() >= 4, "{:?}", x.thread);
}

#[test]
fn without_keywords_or_audience_the_topic_carries_the_draft() {
    let mut b = brief(&[]);
    b.keywords.clear();
    b.audience = None;
    let blog = builtin("blog", &b, &voice(), &[]);
    assert_eq!(
        blog.title.as_deref(),
        Some("Zero-Trust Security for Regional Banks")
    );
    assert!(
        headings(&blog.body).contains(&"Why zero-trust security matters"),
        "{}",
        blog.body
    );
    let linkedin = builtin("linkedin", &b, &voice(), &[]);
    let tags = linkedin.body.lines().last().unwrap();
    assert!(
        tags.starts_with("#ZeroTrust"),
        "hashtags come from the topic: {tags}"
    );
}
