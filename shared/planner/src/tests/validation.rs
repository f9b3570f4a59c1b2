//! Each refusal, and the field it names.

use chrono::Weekday::{Fri, Mon, Sat, Sun, Thu, Tue, Wed};

use super::{cadence, date, request};
use crate::{CHANNELS, MAX_SLOTS, PlanError, PlanRequest, plan};

fn valid() -> PlanRequest {
    request(
        date(2026, 3, 2),
        date(2026, 3, 29),
        "Europe/Oslo",
        vec![cadence("x", 3, &[], &[]), cadence("linkedin", 2, &[], &[])],
    )
}

/// Plans `req`, expects a refusal, checks its message leads with its field, returns both.
fn refused(req: &PlanRequest) -> (PlanError, String) {
    let error = plan(req).expect_err("request should be refused");
    let field = error.field();
    assert!(
        error.to_string().starts_with(&format!("{field}: ")),
        "{error} does not lead with {field}"
    );
    (error, field)
}

#[test]
fn the_baseline_request_plans() {
    assert!(!plan(&valid()).unwrap().is_empty());
}

#[test]
fn unknown_time_zone() {
    let mut req = valid();
    req.timezone = "Mars/Olympus_Mons".into();
    let (error, field) = refused(&req);
    assert_eq!(field, "timezone");
    assert_eq!(
        error,
        PlanError::UnknownTimezone("Mars/Olympus_Mons".into())
    );
}

#[test]
fn end_before_start() {
    let mut req = valid();
    req.end = date(2026, 3, 1);
    let (error, field) = refused(&req);
    assert_eq!(field, "end");
    assert!(matches!(error, PlanError::EndBeforeStart { .. }));
    // A one-day plan is fine.
    req.end = req.start;
    assert!(plan(&req).is_ok());
}

#[test]
fn range_over_366_days() {
    let mut req = valid();
    req.start = date(2026, 1, 1);
    req.end = date(2027, 1, 3);
    let (error, field) = refused(&req);
    assert_eq!(field, "end");
    assert_eq!(error, PlanError::RangeTooLong { days: 367 });
    req.end = date(2027, 1, 2);
    assert!(plan(&req).is_ok(), "366 days is allowed");
}

#[test]
fn per_week_out_of_range() {
    for per_week in [0, 22] {
        let mut req = valid();
        req.cadence[1].per_week = per_week;
        let (error, field) = refused(&req);
        assert_eq!(field, "cadence[1].per_week");
        assert_eq!(error, PlanError::PerWeek { index: 1, per_week });
    }
    let mut req = valid();
    req.cadence[1].per_week = 21;
    assert!(plan(&req).is_ok());
}

#[test]
fn malformed_times() {
    for bad in [
        "9:00", "24:00", "12:60", "12:5", "ab:cd", "12:00:00", "1200", "", " 12:00",
    ] {
        let mut req = valid();
        req.cadence[0].times = vec!["08:00".into(), bad.into()];
        let (error, field) = refused(&req);
        assert_eq!(field, "cadence[0].times[1]", "for {bad:?}");
        assert!(matches!(error, PlanError::Time { value, .. } if value == bad));
    }
    let mut req = valid();
    req.cadence[0].times = vec!["00:00".into(), "23:59".into()];
    assert!(plan(&req).is_ok());
}

#[test]
fn unknown_channel() {
    let mut req = valid();
    req.cadence[0].channel = "myspace".into();
    let (error, field) = refused(&req);
    assert_eq!(field, "cadence[0].channel");
    assert!(matches!(error, PlanError::UnknownChannel { index: 0, .. }));
    for known in CHANNELS {
        let mut req = valid();
        req.cadence = vec![cadence(known.channel, 1, &[], &[])];
        assert!(plan(&req).is_ok(), "{} refused", known.channel);
    }
}

#[test]
fn a_channel_twice() {
    let mut req = valid();
    req.cadence[1].channel = "X".into();
    let (error, field) = refused(&req);
    assert_eq!(field, "cadence[1].channel");
    assert!(matches!(
        error,
        PlanError::DuplicateChannel { index: 1, .. }
    ));
}

#[test]
fn empty_cadence() {
    let mut req = valid();
    req.cadence.clear();
    let (error, field) = refused(&req);
    assert_eq!(field, "cadence");
    assert_eq!(error, PlanError::EmptyCadence);
}

#[test]
fn more_than_two_thousand_slots() {
    let every_day = [Mon, Tue, Wed, Thu, Fri, Sat, Sun];
    let mut req = valid();
    req.start = date(2026, 1, 5);
    // 14 weeks of 7 channels at 21 a week is 2,058.
    req.end = date(2026, 4, 12);
    req.cadence = CHANNELS[..7]
        .iter()
        .map(|c| cadence(c.channel, 21, &every_day, &[]))
        .collect();
    let (error, field) = refused(&req);
    assert_eq!(field, "cadence");
    assert_eq!(error, PlanError::TooManySlots { count: 2_058 });
    // One week less is 1,911, within the limit.
    assert_eq!(MAX_SLOTS, 2_000);
    req.end = date(2026, 4, 5);
    assert_eq!(plan(&req).unwrap().len(), 1_911);
}

#[test]
fn goals_topics_and_owners_must_not_be_blank() {
    let mut req = valid();
    req.goals.clear();
    assert_eq!(refused(&req).1, "goals");

    let mut req = valid();
    req.goals[1] = "  ".into();
    assert_eq!(refused(&req).1, "goals[1]");

    let mut req = valid();
    req.topics = vec!["pricing".into(), String::new()];
    assert_eq!(refused(&req).1, "topics[1]");

    let mut req = valid();
    req.owners = vec!["\t".into()];
    assert_eq!(refused(&req).1, "owners[0]");
}
