//! The ICS export: line structure, escaping, and what a reader gets back.

use chrono::{DateTime, TimeZone, Utc};

use super::ics_parser::{parse, unescape, unfold};
use super::{cadence, date, request};
use crate::ics::content_line::{escape_text, push_line};
use crate::{CalendarEntry, ics_status, plan, to_ics};

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn entry(uid: &str, status: &str) -> CalendarEntry {
    CalendarEntry {
        uid: uid.into(),
        title: "Launch post".into(),
        description: None,
        channel: "linkedin".into(),
        status: status.into(),
        owner: None,
        start: utc(2026, 3, 3, 8, 0),
        duration_minutes: 30,
        url: None,
        updated: utc(2026, 2, 20, 12, 0),
        timezone: None,
    }
}

fn now() -> DateTime<Utc> {
    utc(2026, 2, 25, 10, 15)
}

#[test]
fn folding_keeps_lines_within_75_octets_and_characters_whole() {
    for piece in ["a", "ø", "€", "🚀", "a b", "é🚀x"] {
        for repeat in 1..120 {
            let value = piece.repeat(repeat);
            let mut out = String::new();
            push_line(&mut out, "SUMMARY", &value);
            // `unfold` asserts CRLF endings and the 75-octet limit on every physical line.
            let logical = unfold(&out);
            assert_eq!(logical, [format!("SUMMARY:{value}")]);
            let physical: Vec<&str> = out.trim_end_matches("\r\n").split("\r\n").collect();
            for (i, line) in physical.iter().enumerate() {
                if i > 0 {
                    assert!(line.starts_with(' '), "continuation without a space");
                }
                // A line is only cut short of 75 octets to keep a character whole.
                if i + 1 < physical.len() {
                    let next = physical[i + 1][1..].chars().next().unwrap();
                    assert!(line.len() + next.len_utf8() > 75, "{line:?} folded early");
                }
            }
        }
    }
    // Exactly 75 octets stays on one line; 76 folds.
    let mut out = String::new();
    push_line(&mut out, "X", &"a".repeat(73));
    assert_eq!(out.matches("\r\n").count(), 1);
    out.clear();
    push_line(&mut out, "X", &"a".repeat(74));
    assert_eq!(out, format!("X:{}\r\n a\r\n", "a".repeat(73)));
}

#[test]
fn text_escaping() {
    assert_eq!(
        escape_text("a\\b;c,d\ne\r\nf\rg\u{7}h\ti: j"),
        "a\\\\b\\;c\\,d\\ne\\nf\\ngh\ti: j"
    );
    let tricky = "back\\slash; semi, comma\nnew line \\n literal";
    assert_eq!(unescape(&escape_text(tricky)), tricky);
}

#[test]
fn every_line_ends_in_crlf() {
    let mut long = entry("item-1", "scheduled");
    long.description = Some("Line one\nLine two\r\nLine three\r".into());
    long.title =
        "Ærlig talt: 🚀 lansering, med «sitater» og mer tekst enn det får plass til".into();
    let text = to_ics("Marketing", &[long], now());
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());
    assert_eq!(text.matches('\r').count(), text.matches("\r\n").count());
}

#[test]
fn round_trip_through_a_reader() {
    let mut first = entry("item-1", "scheduled");
    first.title =
        "Launch day; big news, finally \\o/ — «Ærlig talt» 🚀 and a title long enough to fold"
            .into();
    first.description = Some("Hook first.\nThen the details; with commas, too.".into());
    first.owner = Some("Ann Berg".into());
    first.url = Some("https://example.com/items/1?ref=calendar&x=1".into());
    first.timezone = Some("Europe/Oslo".into());
    let second = CalendarEntry {
        channel: "x".into(),
        duration_minutes: 0,
        ..entry("item-2", "draft")
    };

    let text = to_ics("Marketing, Q1; launch", &[first, second], now());
    let parsed = parse(&text);

    let calendar = &parsed.calendar;
    assert_eq!(calendar["VERSION"], "2.0");
    assert_eq!(calendar["PRODID"], "-//Plasma Engine//Content Calendar//EN");
    assert_eq!(calendar["CALSCALE"], "GREGORIAN");
    assert_eq!(calendar["METHOD"], "PUBLISH");
    assert_eq!(calendar["X-WR-CALNAME"], "Marketing, Q1; launch");
    assert_eq!(calendar["NAME"], "Marketing, Q1; launch");

    assert_eq!(parsed.events.len(), 2);
    let event = &parsed.events[0];
    assert_eq!(event["UID"], "item-1@plasma-engine");
    assert_eq!(event["DTSTAMP"], "20260225T101500Z");
    assert_eq!(event["DTSTART"], "20260303T080000Z");
    assert_eq!(event["DTEND"], "20260303T083000Z");
    assert_eq!(
        event["SUMMARY"],
        "[linkedin] Launch day; big news, finally \\o/ — «Ærlig talt» 🚀 and a title long enough to fold"
    );
    assert_eq!(
        event["DESCRIPTION"],
        "Status: scheduled\nOwner: Ann Berg\nLocal time: 2026-03-03 09:00 (Europe/Oslo)\n\n\
         Hook first.\nThen the details; with commas, too."
    );
    assert_eq!(event["CATEGORIES"], "linkedin");
    assert_eq!(event["STATUS"], "CONFIRMED");
    assert_eq!(event["TRANSP"], "TRANSPARENT");
    assert_eq!(event["URL"], "https://example.com/items/1?ref=calendar&x=1");
    assert_eq!(event["LAST-MODIFIED"], "20260220T120000Z");

    let event = &parsed.events[1];
    assert_eq!(event["UID"], "item-2@plasma-engine");
    assert_eq!(event["SUMMARY"], "[x] Launch post");
    assert_eq!(event["DESCRIPTION"], "Status: draft");
    assert_eq!(event["STATUS"], "TENTATIVE");
    assert!(
        !event.contains_key("DTEND"),
        "a zero-length event has no DTEND"
    );
    assert!(!event.contains_key("URL"));
}

#[test]
fn status_mapping() {
    for (status, expected) in [
        ("scheduled", "CONFIRMED"),
        ("published", "CONFIRMED"),
        ("Published ", "CONFIRMED"),
        ("cancelled", "CANCELLED"),
        ("canceled", "CANCELLED"),
        ("failed", "TENTATIVE"),
        ("draft", "TENTATIVE"),
        ("in_review", "TENTATIVE"),
        ("approved", "TENTATIVE"),
        ("", "TENTATIVE"),
    ] {
        assert_eq!(ics_status(status), expected, "for {status:?}");
        let parsed = parse(&to_ics("c", &[entry("i", status)], now()));
        assert_eq!(parsed.events[0]["STATUS"], expected);
    }
}

#[test]
fn unsafe_urls_and_unknown_zones_are_handled() {
    let mut odd = entry("item-3", "approved");
    odd.url = Some("https://example.com/\r\nX-INJECTED:1".into());
    odd.timezone = Some("Nowhere/Special".into());
    let text = to_ics("c", &[odd], now());
    assert!(!text.contains("X-INJECTED"));
    let event = &parse(&text).events[0];
    assert!(!event.contains_key("URL"));
    assert_eq!(
        event["DESCRIPTION"],
        "Status: approved\nTime zone: Nowhere/Special"
    );
}

#[test]
fn an_empty_calendar_is_still_valid() {
    let parsed = parse(&to_ics("Empty", &[], now()));
    assert!(parsed.events.is_empty());
    assert_eq!(parsed.calendar["X-WR-CALNAME"], "Empty");
}

#[test]
fn a_plan_exports_one_event_per_slot() {
    let mut req = request(
        date(2026, 3, 2),
        date(2026, 3, 15),
        "Europe/Oslo",
        vec![cadence("linkedin", 2, &[], &[]), cadence("x", 3, &[], &[])],
    );
    req.owners = vec!["ann".into()];
    let slots = plan(&req).unwrap();
    let entries: Vec<CalendarEntry> = slots
        .iter()
        .enumerate()
        .map(|(i, slot)| CalendarEntry {
            uid: format!("slot-{i}"),
            title: slot.title.clone(),
            description: Some(format!("Goal: {}\nTopic: {}", slot.goal, slot.topic)),
            channel: slot.channel.clone(),
            status: "draft".into(),
            owner: slot.owner.clone(),
            start: slot.at,
            duration_minutes: 15,
            url: None,
            updated: now(),
            timezone: Some(slot.timezone.clone()),
        })
        .collect();
    let parsed = parse(&to_ics("Plan", &entries, now()));
    assert_eq!(parsed.events.len(), slots.len());
    for (event, slot) in parsed.events.iter().zip(&slots) {
        assert_eq!(
            event["SUMMARY"],
            format!("[{}] {}", slot.channel, slot.title)
        );
        assert_eq!(
            event["DTSTART"],
            slot.at.format("%Y%m%dT%H%M%SZ").to_string()
        );
        let local = slot.local.replace('T', " ");
        assert!(event["DESCRIPTION"].contains(&format!("Local time: {local} (Europe/Oslo)")));
    }
}
