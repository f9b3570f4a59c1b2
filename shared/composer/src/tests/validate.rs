use super::fixtures::brief;
use crate::{ComposeError, validate};

fn field_of(result: Result<(), ComposeError>) -> String {
    match result {
        Err(ComposeError::Invalid { field, message }) => {
            assert!(!message.is_empty());
            field
        }
        other => panic!("expected an invalid brief, got {other:?}"),
    }
}

#[test]
fn a_complete_brief_is_valid() {
    let all = [
        "blog",
        "linkedin",
        "x",
        "newsletter",
        "press_release",
        "mastodon",
        "medium",
        "wordpress",
        "webhook",
    ];
    assert_eq!(validate(&brief(&all)), Ok(()));
    // Channel names are matched case-insensitively.
    assert_eq!(validate(&brief(&["LinkedIn"])), Ok(()));
}

#[test]
fn the_topic_must_be_present_and_short() {
    let mut b = brief(&["blog"]);
    b.topic = "   ".to_string();
    assert_eq!(field_of(validate(&b)), "topic");
    b.topic = "x".repeat(501);
    assert_eq!(field_of(validate(&b)), "topic");
    b.topic = "é".repeat(500);
    assert_eq!(
        validate(&b),
        Ok(()),
        "500 characters, not bytes, is the limit"
    );
}

#[test]
fn channels_must_be_known_distinct_and_one_to_nine() {
    assert_eq!(field_of(validate(&brief(&[]))), "channels");
    assert_eq!(
        field_of(validate(&brief(&["blog", "tiktok"]))),
        "channels[1]"
    );
    assert_eq!(field_of(validate(&brief(&["x", "X"]))), "channels[1]");
    let ten = ["blog"; 10];
    assert_eq!(field_of(validate(&brief(&ten))), "channels");
}

#[test]
fn keywords_are_limited_and_not_blank() {
    let mut b = brief(&["blog"]);
    b.keywords = (0..21).map(|i| format!("k{i}")).collect();
    assert_eq!(field_of(validate(&b)), "keywords");
    b.keywords = vec!["fine".to_string(), " ".to_string()];
    assert_eq!(field_of(validate(&b)), "keywords[1]");
}

#[test]
fn the_link_must_be_http_or_https() {
    let mut b = brief(&["blog"]);
    for bad in [
        "ftp://example.com/file",
        "not a link",
        "javascript:alert(1)",
        "https://",
    ] {
        b.link = Some(bad.to_string());
        assert_eq!(field_of(validate(&b)), "link", "{bad}");
    }
    b.link = Some("http://example.com/a?b=c".to_string());
    assert_eq!(validate(&b), Ok(()));
}

#[test]
fn long_phrases_name_their_field() {
    let mut b = brief(&["blog"]);
    b.call_to_action = Some("a".repeat(501));
    assert_eq!(field_of(validate(&b)), "call_to_action");
    let error = validate(&b).unwrap_err().to_string();
    assert!(error.contains("call_to_action"), "{error}");
}
