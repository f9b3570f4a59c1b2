//! A strict little reader for the ICS the exporter writes, so tests compare fields rather than
//! bytes: it insists on CRLF and 75-octet lines, unfolds, and unescapes TEXT.

use std::collections::BTreeMap;

/// Property name to (unescaped) value, for the calendar or one event.
pub(crate) type Properties = BTreeMap<String, String>;

pub(crate) struct Parsed {
    pub calendar: Properties,
    pub events: Vec<Properties>,
}

/// Joins folded lines back together, checking every physical line on the way.
pub(crate) fn unfold(text: &str) -> Vec<String> {
    assert!(text.ends_with("\r\n"), "the last line lacks its CRLF");
    let mut lines: Vec<String> = Vec::new();
    for physical in text[..text.len() - 2].split("\r\n") {
        assert!(
            !physical.contains(['\r', '\n']),
            "bare CR or LF in {physical:?}"
        );
        assert!(
            physical.len() <= 75,
            "{} octets: {physical:?}",
            physical.len()
        );
        match physical.strip_prefix(' ') {
            Some(continuation) => lines
                .last_mut()
                .expect("a continuation line opens the file")
                .push_str(continuation),
            None => lines.push(physical.to_string()),
        }
    }
    lines
}

/// Reverses TEXT escaping; anything but the four escapes is a test failure.
pub(crate) fn unescape(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            assert!(
                c != ';' && c != ',',
                "unescaped {c:?} in TEXT value {value:?}"
            );
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(escaped @ ('\\' | ';' | ',')) => out.push(escaped),
            other => panic!("bad escape {other:?} in {value:?}"),
        }
    }
    out
}

/// Properties whose values are not TEXT, kept as written.
const RAW: &[&str] = &[
    "DTSTAMP",
    "DTSTART",
    "DTEND",
    "LAST-MODIFIED",
    "URL",
    "STATUS",
    "TRANSP",
    "VERSION",
    "CALSCALE",
    "METHOD",
    "PRODID",
];

pub(crate) fn parse(text: &str) -> Parsed {
    let mut calendar = Properties::new();
    let mut events = Vec::new();
    let mut event: Option<Properties> = None;
    let mut depth = Vec::new();
    for line in unfold(text) {
        let (name, value) = line.split_once(':').expect("a line without a colon");
        match (name, value) {
            ("BEGIN", component) => {
                depth.push(component.to_string());
                if component == "VEVENT" {
                    event = Some(Properties::new());
                }
            }
            ("END", component) => {
                assert_eq!(depth.pop().as_deref(), Some(component), "unbalanced END");
                if component == "VEVENT" {
                    events.push(event.take().expect("END:VEVENT without BEGIN"));
                }
            }
            _ => {
                let value = if RAW.contains(&name) {
                    value.to_string()
                } else {
                    unescape(value)
                };
                let target = event.as_mut().unwrap_or(&mut calendar);
                assert!(
                    target.insert(name.to_string(), value).is_none(),
                    "{name} twice"
                );
            }
        }
    }
    assert!(depth.is_empty(), "unclosed {depth:?}");
    Parsed { calendar, events }
}
