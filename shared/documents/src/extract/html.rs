use ego_tree::{NodeRef, iter::Edge};
use scraper::{Html, Node};

use super::{
    Extracted,
    outline::{Outline, collapse_whitespace},
};
use crate::ExtractError;

/// Elements that never hold the page's content.
const BOILERPLATE: &[&str] = &[
    "script", "style", "nav", "aside", "form", "noscript", "template", "svg", "iframe", "object",
    "canvas", "button", "select", "dialog",
];

/// ARIA roles of site chrome, for layouts built from plain `div`s.
const BOILERPLATE_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
];

/// A `header`/`footer` inside one of these belongs to that content (an article's byline and
/// title), per the HTML landmark rules; elsewhere it is the site's banner or footer.
const SECTIONING: &[&str] = &["article", "main", "section", "aside", "nav"];

const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "table",
    "tr",
    "figure",
    "figcaption",
    "h4",
    "h5",
    "h6",
    "address",
    "details",
    "summary",
    "hr",
];

/// The main content of a page: `<main>` if present, else the `<article>` with the most text,
/// else `<body>`, without boilerplate elements. h1–h3 start sections; the title is `<title>`
/// or the first h1. Bytes that are not UTF-8 are replaced rather than refused: pages with a
/// stray legacy-charset byte are common and mostly readable.
pub(super) fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let html = Html::parse_document(&String::from_utf8_lossy(bytes));
    let elements = || {
        html.tree
            .root()
            .descendants()
            .filter_map(|node| Some((node, node.value().as_element()?)))
    };
    let content = elements()
        .find(|(_, e)| e.name() == "main" || e.attr("role") == Some("main"))
        .or_else(|| {
            elements()
                .filter(|(_, e)| e.name() == "article")
                .max_by_key(|(node, _)| text_len(*node))
        })
        .or_else(|| elements().find(|(_, e)| e.name() == "body"))
        .map_or(html.tree.root(), |(node, _)| node);
    let page_title = elements()
        .find(|(_, e)| e.name() == "title")
        .map(|(node, _)| collapse_whitespace(&node_text(node)))
        .filter(|title| !title.is_empty());

    let mut walker = Walker::default();
    walker.walk(content);
    Ok(Extracted {
        title: page_title.or(walker.first_h1),
        sections: walker.outline.finish(),
    })
}

#[derive(Default)]
struct Walker {
    outline: Outline,
    first_h1: Option<String>,
    heading: Option<String>,
    preformatted: usize,
}

impl Walker {
    fn walk(&mut self, content: NodeRef<'_, Node>) {
        let mut skipping = None;
        for edge in content.traverse() {
            match edge {
                Edge::Open(node) if skipping.is_none() => {
                    if is_boilerplate(node) {
                        skipping = Some(node.id());
                    } else {
                        self.open(node);
                    }
                }
                Edge::Close(node) if skipping == Some(node.id()) => skipping = None,
                Edge::Close(node) if skipping.is_none() => self.close(node),
                _ => {}
            }
        }
    }

    fn open(&mut self, node: NodeRef<'_, Node>) {
        match node.value() {
            Node::Text(text) if self.preformatted > 0 => self.push(text),
            Node::Text(text) => {
                let mut collapsed = String::with_capacity(text.len());
                for (i, word) in text.split(char::is_whitespace).enumerate() {
                    if i > 0 && !collapsed.ends_with(' ') {
                        collapsed.push(' ');
                    }
                    collapsed.push_str(word);
                }
                self.push(&collapsed);
            }
            Node::Element(element) => match element.name() {
                "h1" | "h2" | "h3" => {
                    self.outline.paragraph_break();
                    self.heading = Some(String::new());
                }
                "br" => self.outline.line_break(),
                "pre" => {
                    self.preformatted += 1;
                    self.outline.paragraph_break();
                }
                name if BLOCKS.contains(&name) => self.outline.paragraph_break(),
                _ => {}
            },
            _ => {}
        }
    }

    fn close(&mut self, node: NodeRef<'_, Node>) {
        let Node::Element(element) = node.value() else {
            return;
        };
        match element.name() {
            name @ ("h1" | "h2" | "h3") => {
                let text = self.heading.take().unwrap_or_default();
                let level = name.as_bytes()[1] - b'0';
                if level == 1 && self.first_h1.is_none() {
                    self.first_h1 = Some(collapse_whitespace(&text)).filter(|t| !t.is_empty());
                }
                self.outline.heading(level, &text);
            }
            "pre" => {
                self.preformatted = self.preformatted.saturating_sub(1);
                self.outline.paragraph_break();
            }
            "td" | "th" => self.outline.text(" "),
            name if BLOCKS.contains(&name) => self.outline.paragraph_break(),
            _ => {}
        }
    }

    fn push(&mut self, text: &str) {
        match self.heading.as_mut() {
            Some(heading) => heading.push_str(text),
            None => self.outline.text(text),
        }
    }
}

fn is_boilerplate(node: NodeRef<'_, Node>) -> bool {
    let Node::Element(element) = node.value() else {
        return false;
    };
    let name = element.name();
    BOILERPLATE.contains(&name)
        || element.attr("hidden").is_some()
        || element.attr("aria-hidden") == Some("true")
        || element
            .attr("role")
            .is_some_and(|role| BOILERPLATE_ROLES.contains(&role))
        || (matches!(name, "header" | "footer")
            && !node.ancestors().any(|ancestor| {
                ancestor
                    .value()
                    .as_element()
                    .is_some_and(|e| SECTIONING.contains(&e.name()))
            }))
}

fn node_text(node: NodeRef<'_, Node>) -> String {
    node.descendants()
        .filter_map(|n| n.value().as_text().map(|t| &**t))
        .collect()
}

fn text_len(node: NodeRef<'_, Node>) -> usize {
    node.descendants()
        .filter_map(|n| n.value().as_text().map(|t| t.len()))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Format, extract};

    fn sections(extracted: &Extracted) -> Vec<(Option<&str>, &str)> {
        extracted
            .sections
            .iter()
            .map(|s| (s.heading.as_deref(), s.text.as_str()))
            .collect()
    }

    #[test]
    fn boilerplate_is_dropped_and_headings_start_sections() {
        let page = r#"<!doctype html><html><head><title> Rust   Guide </title>
<style>body { color: red }</style><script>var tracking = "SECRET";</script></head>
<body><header><nav><a href="/">Home</a> <a href="/about">About us</a></nav></header>
<div role="navigation">Breadcrumbs</div>
<p>Intro <b>bold</b>   words.<br>New line.</p>
<h1>Ownership</h1><p>Values have one owner.</p>
<h2>Borrowing</h2><ul><li>Shared</li><li>Mutable</li></ul>
<h4>Minor point</h4><p>Detail.</p>
<aside>Related posts</aside><form>Subscribe</form><noscript>Enable JS</noscript>
<p hidden>Invisible</p><pre>fn main() {
    x
}</pre>
<footer>© 2026 Site</footer></body></html>"#;
        let extracted = extract(Format::Html, page.as_bytes()).unwrap();
        assert_eq!(extracted.title.as_deref(), Some("Rust Guide"));
        assert_eq!(
            sections(&extracted),
            [
                (None, "Intro bold words.\nNew line."),
                (Some("Ownership"), "Values have one owner."),
                (
                    Some("Ownership > Borrowing"),
                    "Shared\n\nMutable\n\nMinor point\n\nDetail.\n\nfn main() {\nx\n}"
                ),
            ]
        );
        let all: String = extracted.sections.iter().map(|s| s.text.as_str()).collect();
        for absent in [
            "SECRET",
            "color",
            "Home",
            "About us",
            "Breadcrumbs",
            "Related",
            "Subscribe",
            "Enable JS",
            "Invisible",
            "2026",
        ] {
            assert!(!all.contains(absent), "{absent:?} should be gone: {all}");
        }
    }

    #[test]
    fn main_content_is_preferred_and_article_headers_are_kept() {
        let page = r#"<html><body><div class="sidebar">Sidebar links</div>
<main><article><header><h1>Launch day</h1><p>By Ada</p></header><p>We shipped.</p>
<footer>Tags: release</footer></article></main><div>Cookie banner</div></body></html>"#;
        let extracted = extract(Format::Html, page.as_bytes()).unwrap();
        assert_eq!(
            extracted.title.as_deref(),
            Some("Launch day"),
            "first h1 without <title>"
        );
        assert_eq!(
            sections(&extracted),
            [(Some("Launch day"), "By Ada\n\nWe shipped.\n\nTags: release")]
        );
    }

    #[test]
    fn the_longest_article_is_the_content_without_main() {
        let page = "<body><article><p>Teaser.</p></article>\
                    <article><p>The full story, which is long.</p></article>\
                    <p>Outside</p></body>";
        let extracted = extract(Format::Html, page.as_bytes()).unwrap();
        assert_eq!(
            sections(&extracted),
            [(None, "The full story, which is long.")]
        );
    }

    #[test]
    fn pages_without_content_are_empty_and_deep_nesting_is_fine() {
        let chrome = "<html><body><nav>Menu</nav><script>x()</script></body></html>";
        assert_eq!(
            extract(Format::Html, chrome.as_bytes()),
            Err(ExtractError::Empty)
        );
        // html5ever's tree building is quadratic in nesting depth, so this stays moderate.
        let deep = format!("{}deep{}", "<div>".repeat(5_000), "</div>".repeat(5_000));
        let extracted = extract(Format::Html, deep.as_bytes()).unwrap();
        assert_eq!(extracted.sections[0].text, "deep");
        let latin1 = b"<p>Caf\xe9 au lait</p>";
        let extracted = extract(Format::Html, latin1).unwrap();
        assert_eq!(extracted.sections[0].text, "Caf\u{fffd} au lait");
    }
}
