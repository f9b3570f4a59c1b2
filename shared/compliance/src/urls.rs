//! Finds URLs the way twitter-text does: with an http(s) scheme, or a bare domain
//! ("example.com/path") whose top-level domain is known.

use std::ops::Range;

/// Generic TLDs a bare domain may end in. twitter-text carries every TLD; the common ones
/// suffice here and keep "Node.js" or "Dr.Smith" from being taken for links.
const GENERIC_TLDS: &[&str] = &[
    "academy",
    "agency",
    "app",
    "art",
    "biz",
    "blog",
    "cloud",
    "club",
    "com",
    "company",
    "design",
    "dev",
    "digital",
    "edu",
    "email",
    "finance",
    "global",
    "gov",
    "group",
    "health",
    "info",
    "int",
    "jobs",
    "live",
    "ltd",
    "media",
    "mil",
    "mobi",
    "name",
    "net",
    "network",
    "news",
    "online",
    "org",
    "page",
    "pro",
    "shop",
    "site",
    "social",
    "software",
    "solutions",
    "space",
    "store",
    "studio",
    "systems",
    "team",
    "tech",
    "today",
    "tools",
    "travel",
    "website",
    "wiki",
    "world",
    "xyz",
];

/// twitter-text links a bare `name.cc` without a path only for these country codes.
const SHORT_LINKED_CC_TLDS: &[&str] = &["co", "tv"];

/// Byte ranges of the URLs in `text`, in order.
pub(crate) fn find(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut prev = None;
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        let word_start =
            c.is_ascii_alphanumeric() && !prev.is_some_and(|p: char| p.is_ascii_alphanumeric());
        if word_start && let Some(end) = url_at(text, i, prev) {
            found.push(i..end);
            prev = text[..end].chars().next_back();
            i = end;
            continue;
        }
        prev = Some(c);
        i += c.len_utf8();
    }
    found
}

fn url_at(text: &str, start: usize, prev: Option<char>) -> Option<usize> {
    if matches!(prev, Some('@' | '＠' | '$' | '#' | '＃')) {
        return None;
    }
    let rest = &text.as_bytes()[start..];
    let scheme = ["https://", "http://"]
        .into_iter()
        .find(|s| rest.len() >= s.len() && rest[..s.len()].eq_ignore_ascii_case(s.as_bytes()));
    if scheme.is_none() && matches!(prev, Some('-' | '_' | '.' | '/')) {
        return None;
    }
    let host = host(text, start + scheme.map_or(0, str::len))?;
    let mut end = host.end;
    let port_digits = text[end..]
        .strip_prefix(':')
        .map_or(0, |p| p.bytes().take_while(u8::is_ascii_digit).count());
    if port_digits > 0 {
        end += 1 + port_digits;
    }
    let has_path = matches!(text[end..].chars().next(), Some('/' | '?' | '#'));
    if scheme.is_none() {
        let tld = text[host.tld].to_ascii_lowercase();
        let linked = if tld.len() == 2 {
            host.labels > 2 || has_path || SHORT_LINKED_CC_TLDS.contains(&tld.as_str())
        } else {
            GENERIC_TLDS.contains(&tld.as_str())
        };
        if !linked {
            return None;
        }
    }
    if has_path {
        end = path_end(text, start, end);
    }
    Some(end)
}

struct Host {
    end: usize,
    labels: usize,
    tld: Range<usize>,
}

/// Dot-separated ASCII labels, at least two, the last alphabetic: twitter-text's domain
/// shape without internationalised names.
fn host(text: &str, start: usize) -> Option<Host> {
    let bytes = text.as_bytes();
    let mut i = start;
    let mut labels = 0;
    let mut last = start..start;
    loop {
        let label_start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-') {
            i += 1;
        }
        if i == label_start {
            break;
        }
        labels += 1;
        last = label_start..i;
        if bytes.get(i) != Some(&b'.') {
            break;
        }
        i += 1;
    }
    let tld = &text[last.clone()];
    (labels >= 2 && tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic())).then_some(
        Host {
            end: last.end,
            labels,
            tld: last,
        },
    )
}

/// The end of the path, query and fragment after `from`, without the trailing punctuation
/// that belongs to the sentence ("see example.com/a.") or an unbalanced closing bracket.
fn path_end(text: &str, url_start: usize, from: usize) -> usize {
    let mut end = from
        + text[from..]
            .chars()
            .take_while(|&c| path_char(c))
            .map(char::len_utf8)
            .sum::<usize>();
    while end > from {
        let last = text[..end].chars().next_back().unwrap_or(' ');
        let keep = match last {
            ')' => balanced(&text[url_start..end]),
            c => ending_char(c),
        };
        if keep {
            break;
        }
        end -= last.len_utf8();
    }
    end
}

fn path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!*';:=+,.$/%#[]-_~|&@?()".contains(c) || latin_or_cyrillic(c)
}

fn ending_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "=_#/+-&".contains(c) || latin_or_cyrillic(c)
}

fn latin_or_cyrillic(c: char) -> bool {
    matches!(c, '\u{C0}'..='\u{24F}' | '\u{400}'..='\u{4FF}') && c.is_alphanumeric()
}

fn balanced(url: &str) -> bool {
    url.matches('(').count() >= url.matches(')').count()
}
