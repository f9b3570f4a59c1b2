//! Turning a post's body into what each kind of platform takes: HTML for blogs, plain text
//! (with the link and hashtags appended) for social channels.

use crate::publisher::{ContentFormat, Post};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// The body as an HTML fragment (WordPress; Medium when the draft is not Markdown).
pub(crate) fn html(text: &str, format: ContentFormat) -> String {
    match format {
        ContentFormat::Html => text.to_string(),
        ContentFormat::Markdown => {
            let mut out = String::new();
            pulldown_cmark::html::push_html(&mut out, Parser::new(text));
            out
        }
        ContentFormat::Plain => text
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| format!("<p>{}</p>", escape_html(p).replace('\n', "<br>")))
            .collect(),
    }
}

/// The body as plain text: social platforms show markup characters literally.
pub(crate) fn plain(text: &str, format: ContentFormat) -> String {
    match format {
        ContentFormat::Plain => text.trim().to_string(),
        ContentFormat::Markdown => markdown_to_text(text),
        ContentFormat::Html => html_to_text(text),
    }
}

/// A social post's parts: the plain body, the link when the body lacks it, and the hashtags
/// the body does not already carry. Kept apart because LinkedIn escapes the first two only.
pub(crate) struct Social {
    pub body: String,
    pub link: Option<String>,
    pub hashtags: Vec<String>,
}

impl Social {
    pub fn of(post: &Post) -> Self {
        let body = plain(&post.text, post.content_format);
        let link = post
            .link
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !body.contains(l))
            .map(str::to_string);
        let lower = body.to_lowercase();
        let mut hashtags: Vec<String> = Vec::new();
        for tag in post.tags.iter().filter_map(|t| hashtag(t)) {
            if !lower.contains(&tag.to_lowercase()) && !hashtags.contains(&tag) {
                hashtags.push(tag);
            }
        }
        Self {
            body,
            link,
            hashtags,
        }
    }

    /// Body, link and hashtags as paragraphs, with `escape` applied to body and link.
    pub fn compose(&self, escape: impl Fn(&str) -> String) -> String {
        let mut parts = vec![escape(&self.body)];
        parts.extend(self.link.as_deref().map(&escape));
        if !self.hashtags.is_empty() {
            parts.push(self.hashtags.join(" "));
        }
        parts.retain(|p| !p.is_empty());
        parts.join("\n\n")
    }

    pub fn text(&self) -> String {
        self.compose(str::to_string)
    }
}

/// `#Tag` from a free-form tag: platforms end a hashtag at the first character that is not a
/// letter, digit or underscore, so those are dropped ("content marketing" → `#contentmarketing`).
pub(crate) fn hashtag(tag: &str) -> Option<String> {
    let word: String = tag
        .trim_start_matches('#')
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!word.is_empty()).then(|| format!("#{word}"))
}

pub(crate) fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn markdown_to_text(markdown: &str) -> String {
    let mut out = String::new();
    let mut links: Vec<String> = Vec::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::Start(Tag::Item) => out.push_str("• "),
            Event::Start(Tag::Link { dest_url, .. }) => links.push(dest_url.to_string()),
            Event::End(TagEnd::Link) => {
                // Keep the target visible: a social post has no hidden hyperlinks.
                if let Some(url) = links.pop().filter(|u| !out.ends_with(u.as_str())) {
                    out.push_str(&format!(" ({url})"));
                }
            }
            Event::End(TagEnd::Item) => out.push('\n'),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::CodeBlock | TagEnd::List(_),
            ) => out.push_str("\n\n"),
            _ => {}
        }
    }
    tidy(&out)
}

fn html_to_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            rest = &rest[open..];
            break;
        };
        let tag = rest[open + 1..open + close].trim().to_ascii_lowercase();
        let name = tag.split([' ', '/']).find(|s| !s.is_empty()).unwrap_or("");
        if matches!(name, "br") {
            out.push('\n');
        } else if tag.starts_with('/')
            && matches!(
                name,
                "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "ul" | "ol" | "blockquote"
            )
        {
            out.push_str("\n\n");
        } else if tag.starts_with('/') && name == "li" {
            out.push('\n');
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    tidy(&unescape_html(&out))
}

/// The entities HTML editors commonly produce (and X returns in tweet text).
pub(crate) fn unescape_html(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// Trailing spaces off each line, at most one blank line in a row, no blank ends.
fn tidy(text: &str) -> String {
    let mut out = String::new();
    let mut blank = 0;
    for line in text.lines().map(str::trim_end) {
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_readable_plain_text() {
        let md = "# Launch\n\nWe **shipped** [the thing](https://example.com/x).\n\n- one\n- two\n";
        assert_eq!(
            plain(md, ContentFormat::Markdown),
            "Launch\n\nWe shipped the thing (https://example.com/x).\n\n• one\n• two"
        );
    }

    #[test]
    fn html_becomes_plain_text() {
        let html = "<p>Fish &amp; chips</p><p>line<br/>two</p>";
        assert_eq!(
            plain(html, ContentFormat::Html),
            "Fish & chips\n\nline\ntwo"
        );
    }

    #[test]
    fn plain_text_becomes_escaped_paragraphs() {
        assert_eq!(
            html("a < b\nc\n\nd", ContentFormat::Plain),
            "<p>a &lt; b<br>c</p><p>d</p>"
        );
        assert_eq!(
            html("*hi*", ContentFormat::Markdown),
            "<p><em>hi</em></p>\n"
        );
    }

    #[test]
    fn social_text_appends_missing_link_and_hashtags_once() {
        let post = Post {
            text: "New post about #Rust".into(),
            link: Some("https://example.com/p".into()),
            tags: vec!["rust".into(), "content marketing".into(), "#AI".into()],
            content_format: ContentFormat::Plain,
            ..Post::default()
        };
        assert_eq!(
            Social::of(&post).text(),
            "New post about #Rust\n\nhttps://example.com/p\n\n#contentmarketing #AI"
        );
    }
}
