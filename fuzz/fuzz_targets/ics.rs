//! The content calendar's iCalendar feed, built from what users typed (titles, channels,
//! descriptions, owners, zones, URLs): the output must stay well-formed RFC 5545 whatever
//! the text. Every physical line ends in CRLF and fits 75 octets; unfolded, every content
//! line is `NAME:value`; the components balance; and each event's SUMMARY unescapes back
//! to its channel and title.
#![no_main]

use chrono::{DateTime, TimeZone, Utc};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use plasma_planner::{CalendarEntry, to_ics};

fn instant(u: &mut Unstructured<'_>) -> Result<DateTime<Utc>> {
    // Years 1970..=2200, where calendars live; chrono itself bounds the rest.
    let seconds = u.int_in_range(0..=7_258_118_400i64)?;
    Ok(Utc.timestamp_opt(seconds, 0).single().unwrap_or_default())
}

fn entry(u: &mut Unstructured<'_>) -> Result<CalendarEntry> {
    Ok(CalendarEntry {
        uid: u.arbitrary()?,
        title: u.arbitrary()?,
        description: u.arbitrary()?,
        channel: u.arbitrary()?,
        status: u.arbitrary()?,
        owner: u.arbitrary()?,
        start: instant(u)?,
        duration_minutes: u.arbitrary()?,
        url: u.arbitrary()?,
        updated: instant(u)?,
        timezone: u.arbitrary()?,
    })
}

/// RFC 5545 TEXT unescaped, as a client reads it.
fn unescape(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => panic!("a dangling backslash in {value:?}"),
            },
            (c, false) => {
                assert!(c != ';' && c != ',', "an unescaped {c:?} in TEXT {value:?}");
                out.push(c);
            }
        }
    }
    out
}

/// What `text` becomes once escaped and read back: line breaks are `\n`, other control
/// characters but tab are dropped.
fn expected(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

fn check(calendar_name: &str, entries: &[CalendarEntry], ics: &str) {
    assert!(ics.ends_with("\r\n"));
    let mut lines: Vec<String> = Vec::new();
    for physical in ics[..ics.len() - 2].split("\r\n") {
        assert!(physical.len() <= 75, "a line of {} octets", physical.len());
        assert!(
            !physical.contains(['\r', '\n']),
            "a bare line break in {physical:?}"
        );
        match physical.strip_prefix(' ') {
            Some(continued) => lines.last_mut().expect("a first line").push_str(continued),
            None => lines.push(physical.to_owned()),
        }
    }
    let mut depth = Vec::new();
    let mut summaries = Vec::new();
    for line in &lines {
        let (name, value) = line.split_once(':').expect("NAME:value");
        assert!(
            !name.is_empty() && name.chars().all(|c| c.is_ascii_uppercase() || c == '-'),
            "a property name {name:?}"
        );
        assert!(
            !value.chars().any(|c| c.is_control() && c != '\t'),
            "a control character in {line:?}"
        );
        match name {
            "BEGIN" => depth.push(value.to_owned()),
            "END" => assert_eq!(depth.pop().as_deref(), Some(value)),
            "SUMMARY" => summaries.push(unescape(value)),
            "X-WR-CALNAME" | "NAME" => assert_eq!(unescape(value), expected(calendar_name)),
            "DESCRIPTION" | "CATEGORIES" | "UID" => {
                unescape(value);
            }
            _ => {}
        }
    }
    assert!(depth.is_empty());
    let wanted: Vec<String> = entries
        .iter()
        .map(|e| expected(&format!("[{}] {}", e.channel, e.title)))
        .collect();
    assert_eq!(summaries, wanted);
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(calendar_name) = u.arbitrary::<String>() else {
        return;
    };
    let Ok(count) = u.int_in_range(0..=4usize) else {
        return;
    };
    let Ok(entries) = (0..count)
        .map(|_| entry(&mut u))
        .collect::<Result<Vec<_>>>()
    else {
        return;
    };
    let Ok(now) = instant(&mut u) else {
        return;
    };
    let ics = to_ics(&calendar_name, &entries, now);
    check(&calendar_name, &entries, &ics);
});
