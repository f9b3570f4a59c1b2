//! Local posting times across daylight-saving changes.

use chrono::Weekday::{Sun, Tue};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use super::{cadence, date, request};
use crate::plan;
use crate::zone::resolve;

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn at(zone: Tz, day: NaiveDate, h: u32, mi: u32) -> DateTime<Utc> {
    resolve(zone, day.and_hms_opt(h, mi, 0).unwrap())
}

/// The single Sunday slot planned for `time` on `day`: (local, at).
fn sunday_slot(zone: &str, day: NaiveDate, time: &str) -> (String, DateTime<Utc>) {
    let slots = plan(&request(
        day,
        day,
        zone,
        vec![cadence("blog", 1, &[Sun], &[time])],
    ))
    .unwrap();
    assert_eq!(slots.len(), 1);
    (slots[0].local.clone(), slots[0].at)
}

#[test]
fn oslo_spring_forward_gap_moves_to_the_next_valid_minute() {
    // 29 March 2026: clocks jump from 02:00 CET to 03:00 CEST.
    let day = date(2026, 3, 29);
    assert_eq!(
        sunday_slot("Europe/Oslo", day, "02:30"),
        ("2026-03-29T03:00".to_string(), utc(2026, 3, 29, 1, 0))
    );
    let oslo = chrono_tz::Europe::Oslo;
    assert_eq!(at(oslo, day, 2, 0), utc(2026, 3, 29, 1, 0));
    assert_eq!(at(oslo, day, 2, 59), utc(2026, 3, 29, 1, 0));
    // Either side of the gap is untouched.
    assert_eq!(at(oslo, day, 1, 59), utc(2026, 3, 29, 0, 59));
    assert_eq!(at(oslo, day, 3, 1), utc(2026, 3, 29, 1, 1));
}

#[test]
fn new_york_spring_forward_gap_moves_to_the_next_valid_minute() {
    // 8 March 2026: clocks jump from 02:00 EST to 03:00 EDT.
    assert_eq!(
        sunday_slot("America/New_York", date(2026, 3, 8), "02:15"),
        ("2026-03-08T03:00".to_string(), utc(2026, 3, 8, 7, 0))
    );
}

#[test]
fn fall_back_ambiguity_takes_the_earlier_instant() {
    // 25 October 2026 in Oslo: 02:30 happens in CEST (00:30Z), then again in CET (01:30Z).
    assert_eq!(
        sunday_slot("Europe/Oslo", date(2026, 10, 25), "02:30"),
        ("2026-10-25T02:30".to_string(), utc(2026, 10, 25, 0, 30))
    );
    // 1 November 2026 in New York: 01:30 happens in EDT (05:30Z), then in EST (06:30Z).
    assert_eq!(
        sunday_slot("America/New_York", date(2026, 11, 1), "01:30"),
        ("2026-11-01T01:30".to_string(), utc(2026, 11, 1, 5, 30))
    );
}

#[test]
fn the_same_wall_clock_time_follows_the_offset_change() {
    let slots = plan(&request(
        date(2026, 3, 23),
        date(2026, 4, 5),
        "Europe/Oslo",
        vec![cadence("linkedin", 1, &[Tue], &["09:00"])],
    ))
    .unwrap();
    let at: Vec<_> = slots.iter().map(|s| s.at).collect();
    assert_eq!(at, [utc(2026, 3, 24, 8, 0), utc(2026, 3, 31, 7, 0)]);
    assert!(slots.iter().all(|s| s.local.ends_with("T09:00")));
}
