//! HTML to plain text for matching and display. Not a sanitiser for rendering: it only has to
//! recover the words, so it drops tags (and everything inside `script`/`style`), turns block
//! boundaries into spaces, decodes entities and collapses whitespace. Malformed markup never
//! fails; an unmatched `<` is kept as text.

/// Plain text from an HTML fragment (text without markup passes through with entities
/// decoded and whitespace collapsed).
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&decode_entities(&rest[..open]));
        let after = &rest[open + 1..];
        let starts_tag = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'));
        let Some(close) = after.find('>').filter(|_| starts_tag) else {
            out.push('<');
            rest = after;
            continue;
        };
        let tag = &after[..close];
        rest = &after[close + 1..];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        // Block boundaries separate words ("a<br>b", "</p><p>"); inline tags do not
        // ("#<span>acme</span>" is one hashtag).
        if !INLINE.contains(&name.as_str()) {
            out.push(' ');
        }
        if matches!(name.as_str(), "script" | "style") {
            let closing = format!("</{name}");
            rest = match find_ascii_case_insensitive(rest, &closing) {
                Some(at) => rest[at..].find('>').map_or("", |end| &rest[at + end + 1..]),
                None => "",
            };
        }
    }
    out.push_str(&decode_entities(rest));
    collapse_whitespace(&out)
}

/// Elements that sit inside a run of text; every other tag (and comments) marks a boundary.
const INLINE: [&str; 20] = [
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "del", "em", "i", "ins", "kbd", "mark", "q",
    "s", "small", "span", "strong", "sub", "sup",
];

fn find_ascii_case_insensitive(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Decode character references: numeric ones and the named ones that occur in feeds and
/// posts in practice. Unknown or invalid references are left as written.
pub(crate) fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        // Entity names and numbers are short; a `;` further away is not ours.
        let decoded = after
            .char_indices()
            .take(12)
            .find(|(_, c)| *c == ';')
            .and_then(|(end, _)| entity(&after[..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code).filter(|c| *c != '\0');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "hellip" => '…',
        "mdash" => '—',
        "ndash" => '–',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "euro" => '€',
        "pound" => '£',
        "middot" => '·',
        "bull" => '•',
        _ => return None,
    })
}

/// Title and body as one text: the non-empty parts, one per line.
pub(crate) fn join_parts(parts: impl IntoIterator<Item = Option<String>>) -> String {
    parts
        .into_iter()
        .flatten()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_tags_and_decodes_entities() {
        assert_eq!(
            html_to_text(
                "<p>Love <b>Acme</b> &amp; their <a href=\"x\">new&nbsp;app</a></p><p>Really!</p>"
            ),
            "Love Acme & their new app Really!"
        );
        assert_eq!(html_to_text("line<br/>break"), "line break");
        assert_eq!(
            html_to_text("<p>#<span>acme</span> by <a href=\"u\">@<SPAN>ann</SPAN></a></p>"),
            "#acme by @ann"
        );
        assert_eq!(html_to_text("&#65;&#x42;&lt;c&gt; &rsquo;"), "AB<c> ’");
        assert_eq!(
            html_to_text("a<script>alert('<p>x</p>')</script>b<STYLE>p{}</style >c"),
            "a b c"
        );
    }

    #[test]
    fn malformed_markup_is_kept_as_text() {
        assert_eq!(html_to_text("1 < 2 and 3 > 2"), "1 < 2 and 3 > 2");
        assert_eq!(html_to_text("unclosed <b"), "unclosed <b");
        assert_eq!(html_to_text("a <script>never closed"), "a");
        assert_eq!(
            html_to_text("&bogus; & &#xZZ; &#0; &;"),
            "&bogus; & &#xZZ; &#0; &;"
        );
        assert_eq!(html_to_text("<"), "<");
        assert_eq!(html_to_text("é<i>ü</i>&"), "éü&");
    }
}
