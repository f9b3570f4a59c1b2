use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::{Extracted, outline::Outline, utf8};
use crate::{ExtractError, Format};

/// Plain text of CommonMark (plus tables, footnotes and front matter, which is skipped):
/// every heading starts a section, the first H1 is the title, raw HTML is dropped.
pub(super) fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let source = utf8(Format::Markdown, bytes)?;
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    let mut outline = Outline::default();
    let mut title = None;
    let mut heading: Option<String> = None;
    let mut in_metadata = false;
    for event in Parser::new_ext(source, options) {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(level)) => {
                let text = heading.take().unwrap_or_default();
                if level == HeadingLevel::H1 && title.is_none() && !text.trim().is_empty() {
                    title = Some(super::outline::collapse_whitespace(&text));
                }
                outline.heading(level as u8, &text);
            }
            Event::Start(Tag::MetadataBlock(_)) => in_metadata = true,
            Event::End(TagEnd::MetadataBlock(_)) => in_metadata = false,
            Event::Text(text)
            | Event::Code(text)
            | Event::InlineMath(text)
            | Event::DisplayMath(text)
                if !in_metadata =>
            {
                match heading.as_mut() {
                    Some(heading) => heading.push_str(&text),
                    None => outline.text(&text),
                }
            }
            Event::SoftBreak => match heading.as_mut() {
                Some(heading) => heading.push(' '),
                None => outline.text(" "),
            },
            Event::HardBreak | Event::End(TagEnd::TableRow | TagEnd::TableHead) => {
                outline.line_break()
            }
            Event::End(TagEnd::TableCell) => outline.text(" "),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_)
                | TagEnd::Table
                | TagEnd::FootnoteDefinition,
            )
            | Event::Rule => outline.paragraph_break(),
            _ => {}
        }
    }
    Ok(Extracted {
        title,
        sections: outline.finish(),
    })
}

#[cfg(test)]
mod tests {
    use crate::{ExtractError, Format, extract};

    #[test]
    fn headings_start_sections_and_the_first_h1_is_the_title() {
        let source = "---\ntitle: ignored front matter\n---\n\
Lead paragraph with `code` and a [link](https://example.com).\n\
\n# User *Guide*\n\nWelcome\nto the guide.\n\n## Install\n\n- one\n- two\n\n\
```sh\ncargo build\n```\n\n<div>raw html</div>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n\
# Second\n\nLast.\n";
        let extracted = extract(Format::Markdown, source.as_bytes()).unwrap();
        assert_eq!(extracted.title.as_deref(), Some("User Guide"));
        let got: Vec<_> = extracted
            .sections
            .iter()
            .map(|s| (s.heading.as_deref(), s.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (None, "Lead paragraph with code and a link."),
                (Some("User Guide"), "Welcome to the guide."),
                (
                    Some("User Guide > Install"),
                    "one\n\ntwo\n\ncargo build\n\na b\n1 2"
                ),
                (Some("Second"), "Last."),
            ]
        );
    }

    #[test]
    fn invalid_utf8_is_malformed() {
        assert!(matches!(
            extract(Format::Markdown, b"# Caf\xe9"),
            Err(ExtractError::Malformed {
                format: Format::Markdown,
                ..
            })
        ));
        assert_eq!(
            extract(Format::Markdown, b"  \n\n"),
            Err(ExtractError::Empty)
        );
    }
}
