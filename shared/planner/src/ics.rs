//! ICS (RFC 5545) export of the content calendar, for subscribing from Google Calendar,
//! Outlook or Apple Calendar the way Buffer, Hootsuite and Postiz calendars are shared.
//!
//! Written by hand rather than with the `icalendar` crate: its 0.17 serializer folds
//! continuation lines to 76 octets (a space plus 75) for some lengths, breaking the 75-octet
//! rule, and it stamps a random UID and the current time into events that lack them, which
//! gets in the way of stable, testable output. What is needed here is a few properties, TEXT
//! escaping and folding.

pub(crate) mod content_line;

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use content_line::{escape_text, push_line};

/// Appended to every UID so ids from this calendar cannot clash with another producer's.
pub const UID_DOMAIN: &str = "plasma-engine";
pub const PRODID: &str = "-//Plasma Engine//Content Calendar//EN";

/// A calendar entry to export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CalendarEntry {
    /// Stable per item (e.g. the item id), so a re-exported calendar updates events in place.
    pub uid: String,
    pub title: String,
    pub description: Option<String>,
    pub channel: String,
    /// The item's workflow status: draft, in_review, approved, scheduled, published, failed.
    pub status: String,
    pub owner: Option<String>,
    pub start: DateTime<Utc>,
    /// Length of the event; 0 exports a point in time (no DTEND).
    pub duration_minutes: u32,
    pub url: Option<String>,
    pub updated: DateTime<Utc>,
    /// IANA zone the item was planned in; the description then shows its local time.
    pub timezone: Option<String>,
}

/// The VEVENT STATUS for a workflow status.
///
/// Scheduled and published items are definite: CONFIRMED. Cancelled ones (`cancelled` or
/// `canceled`) are CANCELLED. Everything else is TENTATIVE, failed included: a failed post
/// still needs a retry or a new date, and calendar clients hide or strike through CANCELLED
/// events, which would bury exactly the items that need attention. The description carries
/// the precise status either way.
pub fn ics_status(status: &str) -> &'static str {
    match status.trim().to_ascii_lowercase().as_str() {
        "scheduled" | "published" => "CONFIRMED",
        "cancelled" | "canceled" => "CANCELLED",
        _ => "TENTATIVE",
    }
}

/// Renders `entries`, in the order given, as a published VCALENDAR. `now` is the DTSTAMP, so
/// the same inputs always give the same bytes.
pub fn to_ics(calendar_name: &str, entries: &[CalendarEntry], now: DateTime<Utc>) -> String {
    let mut out = String::new();
    push_line(&mut out, "BEGIN", "VCALENDAR");
    push_line(&mut out, "VERSION", "2.0");
    push_line(&mut out, "PRODID", PRODID);
    push_line(&mut out, "CALSCALE", "GREGORIAN");
    push_line(&mut out, "METHOD", "PUBLISH");
    push_line(&mut out, "X-WR-CALNAME", &escape_text(calendar_name));
    // RFC 7986's standard name, for clients that no longer read the X- one.
    push_line(&mut out, "NAME", &escape_text(calendar_name));
    for entry in entries {
        push_event(&mut out, entry, now);
    }
    push_line(&mut out, "END", "VCALENDAR");
    out
}

fn push_event(out: &mut String, entry: &CalendarEntry, now: DateTime<Utc>) {
    push_line(out, "BEGIN", "VEVENT");
    push_line(
        out,
        "UID",
        &escape_text(&format!("{}@{UID_DOMAIN}", entry.uid)),
    );
    push_line(out, "DTSTAMP", &utc(now));
    push_line(out, "DTSTART", &utc(entry.start));
    // RFC 5545 wants DTEND strictly after DTSTART; without it a timed event is a point.
    if entry.duration_minutes > 0
        && let Some(end) = entry
            .start
            .checked_add_signed(TimeDelta::minutes(i64::from(entry.duration_minutes)))
    {
        push_line(out, "DTEND", &utc(end));
    }
    push_line(
        out,
        "SUMMARY",
        &escape_text(&format!("[{}] {}", entry.channel, entry.title)),
    );
    push_line(out, "DESCRIPTION", &escape_text(&description(entry)));
    push_line(out, "CATEGORIES", &escape_text(&entry.channel));
    push_line(out, "STATUS", ics_status(&entry.status));
    // A planned post is not a meeting: keep it from showing subscribers as busy.
    push_line(out, "TRANSP", "TRANSPARENT");
    // A URI is not escaped, so one with a line break or other control character would
    // corrupt the file; such a value is left out.
    if let Some(url) = entry.url.as_deref()
        && !url.is_empty()
        && !url.chars().any(char::is_control)
    {
        push_line(out, "URL", url);
    }
    push_line(out, "LAST-MODIFIED", &utc(entry.updated));
    push_line(out, "END", "VEVENT");
}

/// Status and owner first, where a glance at the event finds them, then the local time and
/// the item's own description.
fn description(entry: &CalendarEntry) -> String {
    let mut lines = vec![format!("Status: {}", entry.status)];
    if let Some(owner) = &entry.owner {
        lines.push(format!("Owner: {owner}"));
    }
    if let Some(zone) = &entry.timezone {
        match zone.trim().parse::<Tz>() {
            Ok(tz) => lines.push(format!(
                "Local time: {} ({})",
                entry.start.with_timezone(&tz).format("%Y-%m-%d %H:%M"),
                tz.name()
            )),
            Err(_) => lines.push(format!("Time zone: {zone}")),
        }
    }
    if let Some(text) = entry
        .description
        .as_deref()
        .filter(|t| !t.trim().is_empty())
    {
        lines.push(String::new());
        lines.push(text.to_string());
    }
    lines.join("\n")
}

/// A DATE-TIME in UTC form, e.g. `20260303T080000Z`.
fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}
