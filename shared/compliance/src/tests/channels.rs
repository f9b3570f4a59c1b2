use std::collections::BTreeMap;

use super::{found, run, run_with, spanned};
use crate::codes::{TOO_LONG, TOO_MANY_HASHTAGS, TOO_SHORT};
use crate::{Channel, LengthRange, Measure, Severity, VoiceRules};

#[test]
fn channels_parse_from_their_names() {
    for channel in Channel::ALL {
        assert_eq!(channel.as_str().parse::<Channel>(), Ok(channel));
        let json = serde_json::to_string(&channel).unwrap();
        assert_eq!(json, format!("\"{}\"", channel.as_str()));
    }
    assert_eq!(
        "press_release".parse::<Channel>(),
        Ok(Channel::PressRelease)
    );
    assert_eq!(" LinkedIn ".parse::<Channel>(), Ok(Channel::Linkedin));
    assert!("myspace".parse::<Channel>().is_err());
}

#[test]
fn limits_per_channel() {
    let x = Channel::X.limit().unwrap();
    assert_eq!(
        (x.max_length, x.measure, x.max_hashtags),
        (280, Measure::XWeighted, Some(2))
    );
    let linkedin = Channel::Linkedin.limit().unwrap();
    assert_eq!(
        (linkedin.max_length, linkedin.measure, linkedin.max_hashtags),
        (3000, Measure::Characters, Some(5))
    );
    let mastodon = Channel::Mastodon.limit().unwrap();
    assert_eq!(
        (mastodon.max_length, mastodon.measure, mastodon.max_hashtags),
        (500, Measure::CharactersShortUrls, Some(5))
    );
    assert_eq!(Channel::Blog.limit(), None);
}

#[test]
fn hashtags_over_the_channel_default_warn_at_the_first_extra_one() {
    let text = "New release today #rust #wasm #webdev";
    let report = run(text, Channel::X);
    assert_eq!(report.stats.hashtags, 3);
    let hits = found(&report, TOO_MANY_HASHTAGS);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].severity, Severity::Warning);
    assert_eq!(spanned(text, hits[0]), "#webdev");
    assert_eq!(hits[0].suggestion.as_deref(), Some("Remove 1 hashtag."));
    assert!(found(&run(text, Channel::Linkedin), TOO_MANY_HASHTAGS).is_empty());
    assert!(found(&run("Release #rust #wasm", Channel::X), TOO_MANY_HASHTAGS).is_empty());
}

#[test]
fn the_profile_hashtag_maximum_overrides_the_channel_and_applies_anywhere() {
    let rules = VoiceRules {
        max_hashtags: Some(1),
        ..VoiceRules::default()
    };
    let text = "Read the post #rust #wasm";
    assert_eq!(
        found(&run_with(text, Channel::Blog, &rules), TOO_MANY_HASHTAGS).len(),
        1
    );
    assert_eq!(
        found(
            &run_with(text, Channel::Linkedin, &rules),
            TOO_MANY_HASHTAGS
        )
        .len(),
        1
    );
    assert!(found(&run(text, Channel::Blog), TOO_MANY_HASHTAGS).is_empty());
}

#[test]
fn numbers_fragments_and_words_with_hash_are_not_hashtags() {
    let text = "We are #1 in C# news: https://example.com/post#comments &#39; #_";
    assert_eq!(run(text, Channel::X).stats.hashtags, 0);
    assert_eq!(
        run("#Rust, #日本 and (#wasm)", Channel::X).stats.hashtags,
        3
    );
}

fn lengths(min: u32, max: u32) -> VoiceRules {
    VoiceRules {
        preferred_length: BTreeMap::from([(Channel::Linkedin, LengthRange { min, max })]),
        ..VoiceRules::default()
    }
}

#[test]
fn a_post_shorter_or_longer_than_the_preferred_length_warns() {
    let text = "One two three four five.";
    let short = run_with(text, Channel::Linkedin, &lengths(10, 20));
    let hits = found(&short, TOO_SHORT);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].severity, Severity::Warning);
    assert_eq!(hits[0].suggestion.as_deref(), Some("Add about 5 words."));
    let long = run_with(text, Channel::Linkedin, &lengths(1, 3));
    assert_eq!(
        found(&long, TOO_LONG)[0].suggestion.as_deref(),
        Some("Cut about 2 words.")
    );
    let fits = run_with(text, Channel::Linkedin, &lengths(5, 5));
    assert!(found(&fits, TOO_SHORT).is_empty() && found(&fits, TOO_LONG).is_empty());
    // Preferences for another channel do not apply.
    assert!(found(&run_with(text, Channel::X, &lengths(10, 20)), TOO_SHORT).is_empty());
}
