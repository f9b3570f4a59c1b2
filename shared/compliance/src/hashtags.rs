//! Hashtags: "#" and a word with at least one letter ("#1" is not a hashtag), not inside a
//! word or link.

use crate::Span;
use crate::text::Doc;

pub(crate) fn find(doc: &Doc) -> Vec<Span> {
    let text = doc.text;
    let mut tags = Vec::new();
    let mut prev: Option<char> = None;
    for (i, c) in text.char_indices() {
        let starts_tag = matches!(c, '#' | '＃')
            && !prev.is_some_and(|p| p.is_alphanumeric() || matches!(p, '&' | '_'))
            && !doc.has_url(i, i + 1);
        prev = Some(c);
        if !starts_tag {
            continue;
        }
        let body = i + c.len_utf8();
        let len: usize = text[body..]
            .chars()
            .take_while(|&ch| ch.is_alphanumeric() || ch == '_')
            .map(char::len_utf8)
            .sum();
        if text[body..body + len].chars().any(char::is_alphabetic) {
            tags.push(Span::new(i, body + len));
        }
    }
    tags
}
