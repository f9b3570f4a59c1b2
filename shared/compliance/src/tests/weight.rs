use super::{filler, found, run, spanned};
use crate::codes::OVER_LIMIT;
use crate::{Channel, Measure, Severity, x_weighted_length};

#[test]
fn a_280_weighted_x_post_passes() {
    let text = filler(280);
    assert_eq!(x_weighted_length(&text), 280);
    let report = run(&text, Channel::X);
    assert!(found(&report, OVER_LIMIT).is_empty());
    assert!(report.passed);
    assert_eq!(report.thread, None);
    assert_eq!(report.stats.weighted_length, 280);
}

#[test]
fn a_281_weighted_x_post_fails_from_the_281st_character() {
    let text = filler(281);
    let report = run(&text, Channel::X);
    let over = found(&report, OVER_LIMIT);
    assert_eq!(over.len(), 1);
    assert_eq!(over[0].severity, Severity::Error);
    assert_eq!(over[0].span.map(|s| s.start), Some(280));
    assert!(over[0].suggestion.as_deref().unwrap().contains("thread"));
    assert!(!report.passed);
}

#[test]
fn a_url_counts_23_whatever_its_length() {
    let url = format!("https://example.com/{}", "a".repeat(80));
    assert_eq!(url.len(), 100);
    assert_eq!(x_weighted_length(&url), 23);
    let text = format!("{} {url}", filler(256));
    assert_eq!(text.chars().count(), 357);
    assert_eq!(x_weighted_length(&text), 280);
    assert!(run(&text, Channel::X).passed);
    let longer = format!("{} {url}", filler(257));
    assert_eq!(x_weighted_length(&longer), 281);
    assert!(!run(&longer, Channel::X).passed);
}

#[test]
fn bare_domains_are_urls_and_common_lookalikes_are_not() {
    assert_eq!(x_weighted_length("example.com/pricing/plans-and-more"), 23);
    assert_eq!(x_weighted_length("www.example.org"), 23);
    assert_eq!(x_weighted_length("bbc.co.uk"), 23);
    assert_eq!(x_weighted_length("example.co"), 23);
    // A short ccTLD domain without a path is not linked by twitter-text.
    assert_eq!(x_weighted_length("example.de"), 10);
    assert_eq!(x_weighted_length("example.de/x"), 23);
    assert_eq!(x_weighted_length("e.g."), 4);
    assert_eq!(x_weighted_length("Node.js"), 7);
    assert_eq!(x_weighted_length("3.5"), 3);
    assert_eq!(x_weighted_length("U.S."), 4);
    // An e-mail address is not a link.
    assert_eq!(x_weighted_length("me@example.com"), 14);
}

#[test]
fn sentence_punctuation_after_a_url_is_not_part_of_it() {
    assert_eq!(x_weighted_length("See https://example.com/a."), 4 + 23 + 1);
    assert_eq!(x_weighted_length("(https://example.com/a)"), 1 + 23 + 1);
    assert_eq!(
        x_weighted_length("https://en.wikipedia.org/wiki/Rust_(language)"),
        23
    );
    assert_eq!(x_weighted_length("Visit example.com, then"), 6 + 23 + 6);
    assert_eq!(
        x_weighted_length("two https://a.com/x https://b.com/y"),
        4 + 23 + 1 + 23
    );
}

#[test]
fn cjk_and_emoji_weigh_two() {
    assert_eq!(x_weighted_length("日本語"), 6);
    assert_eq!(x_weighted_length("한국어"), 6);
    assert_eq!(x_weighted_length("😀"), 2);
    assert_eq!(x_weighted_length("a😀b"), 4);
    assert_eq!(x_weighted_length("日本語".repeat(47).as_str()), 282);
}

#[test]
fn an_emoji_sequence_weighs_two_in_all() {
    // Family (ZWJ sequence), skin tone, flag, keycap and heart with its variation selector.
    assert_eq!(x_weighted_length("👨\u{200D}👩\u{200D}👧\u{200D}👦"), 2);
    assert_eq!(x_weighted_length("👍🏽"), 2);
    assert_eq!(x_weighted_length("🇬🇧"), 2);
    assert_eq!(x_weighted_length("1\u{FE0F}\u{20E3}"), 2);
    assert_eq!(x_weighted_length("❤\u{FE0F}"), 2);
    assert_eq!(x_weighted_length("🇬🇧🇫🇷"), 4);
}

#[test]
fn latin_punctuation_and_symbols_in_the_light_ranges_weigh_one() {
    assert_eq!(x_weighted_length("café"), 4);
    assert_eq!(x_weighted_length("a—b"), 3);
    assert_eq!(x_weighted_length("“quoted”"), 8);
    assert_eq!(x_weighted_length("© 2025"), 6);
    assert_eq!(x_weighted_length("Ελληνικά"), 8);
    // U+2026 lies outside the light ranges.
    assert_eq!(x_weighted_length("…"), 2);
}

#[test]
fn linkedin_counts_characters_up_to_3000() {
    let fits = filler(3000);
    assert!(found(&run(&fits, Channel::Linkedin), OVER_LIMIT).is_empty());
    let text = filler(3001);
    let report = run(&text, Channel::Linkedin);
    let over = found(&report, OVER_LIMIT);
    assert_eq!(over.len(), 1);
    assert_eq!(over[0].severity, Severity::Error);
    assert_eq!(spanned(&text, over[0]), ".");
    assert!(over[0].message.contains("3001"));
    assert_eq!(report.thread, None);
    assert!(!report.passed);
}

#[test]
fn linkedin_counts_a_url_at_its_full_length() {
    let url = format!("https://example.com/{}", "a".repeat(80));
    let text = format!("{} {url}", filler(2950));
    assert_eq!(Measure::Characters.length(&text), 3051);
    assert!(!run(&text, Channel::Linkedin).passed);
}

#[test]
fn mastodon_allows_500_characters_with_urls_as_23() {
    let url = format!("https://example.com/{}", "a".repeat(80));
    let fits = format!("{} {url}", filler(476));
    assert_eq!(Measure::CharactersShortUrls.length(&fits), 500);
    assert!(run(&fits, Channel::Mastodon).passed);
    let over = format!("{} {url}", filler(477));
    assert_eq!(Measure::CharactersShortUrls.length(&over), 501);
    let report = run(&over, Channel::Mastodon);
    assert_eq!(found(&report, OVER_LIMIT).len(), 1);
    assert_eq!(report.thread, None);
}

#[test]
fn mastodon_counts_an_emoji_sequence_as_one_character() {
    assert_eq!(Measure::CharactersShortUrls.length("👍🏽 日本"), 4);
}

#[test]
fn long_form_channels_have_no_length_limit() {
    let text = filler(10_000);
    for channel in [Channel::Blog, Channel::Newsletter, Channel::Medium] {
        assert!(found(&run(&text, channel), OVER_LIMIT).is_empty());
    }
}
