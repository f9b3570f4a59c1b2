//! Monitored RSS, Atom and JSON feeds: any body is mentions or a refusal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use plasma_brand::sources::parse_feed;
use std::sync::LazyLock;

static FEED_URL: LazyLock<url::Url> =
    LazyLock::new(|| url::Url::parse("https://news.example/feeds/all.xml").unwrap());

fuzz_target!(|data: &[u8]| {
    if let Ok(mentions) = parse_feed(&FEED_URL, data) {
        for mention in mentions {
            assert!(!mention.id.is_empty());
            assert_eq!(mention.source, "rss");
        }
    }
});
