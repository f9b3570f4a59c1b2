//! Where posts land within weeks and days.

use chrono::Weekday::{Fri, Mon, Thu, Tue, Wed};
use chrono::{NaiveTime, TimeZone, Utc};

use super::{cadence, date, locals, request};
use crate::cadence::{posts_in_week, spread, times_for_day};
use crate::plan;

#[test]
fn three_a_week_on_weekdays_lands_monday_wednesday_friday() {
    // Two full weeks in Oslo, still on winter time (UTC+1).
    let req = request(
        date(2026, 3, 2),
        date(2026, 3, 15),
        "Europe/Oslo",
        vec![cadence("x", 3, &[Mon, Tue, Wed, Thu, Fri], &["09:00"])],
    );
    let slots = plan(&req).unwrap();
    assert_eq!(
        locals(&slots, "x"),
        [
            "2026-03-02T09:00",
            "2026-03-04T09:00",
            "2026-03-06T09:00",
            "2026-03-09T09:00",
            "2026-03-11T09:00",
            "2026-03-13T09:00",
        ]
    );
    assert_eq!(
        slots[0].at,
        Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap()
    );
    assert!(slots.iter().all(|s| s.timezone == "Europe/Oslo"));
}

#[test]
fn weekly_counts_sit_at_the_centres_of_equal_parts_of_the_week() {
    assert_eq!(spread(3, 5), [1, 0, 1, 0, 1]);
    assert_eq!(spread(2, 5), [0, 1, 0, 1, 0]);
    assert_eq!(spread(1, 5), [0, 0, 1, 0, 0]);
    assert_eq!(spread(4, 5), [1, 1, 0, 1, 1]);
    assert_eq!(spread(1, 3), [0, 1, 0]);
    assert_eq!(spread(0, 3), [0, 0, 0]);
}

#[test]
fn empty_days_and_times_take_the_channel_defaults() {
    let req = request(
        date(2026, 3, 2),
        date(2026, 3, 8),
        "Europe/Oslo",
        vec![
            cadence("linkedin", 3, &[], &[]),
            cadence("newsletter", 1, &[], &[]),
            cadence("blog", 2, &[], &[]),
            cadence("x", 5, &[], &[]),
        ],
    );
    let slots = plan(&req).unwrap();
    assert_eq!(
        locals(&slots, "linkedin"),
        ["2026-03-03T09:00", "2026-03-04T09:00", "2026-03-05T09:00"]
    );
    assert_eq!(locals(&slots, "newsletter"), ["2026-03-03T08:00"]);
    assert_eq!(
        locals(&slots, "blog"),
        ["2026-03-03T10:00", "2026-03-05T10:00"]
    );
    // One post a day walks through X's two default times.
    assert_eq!(
        locals(&slots, "x"),
        [
            "2026-03-02T12:00",
            "2026-03-03T17:00",
            "2026-03-04T12:00",
            "2026-03-05T17:00",
            "2026-03-06T12:00",
        ]
    );
}

#[test]
fn more_posts_than_days_use_several_times_a_day() {
    let req = request(
        date(2026, 3, 2),
        date(2026, 3, 8),
        "Europe/Oslo",
        vec![cadence(
            "linkedin",
            6,
            &[Tue, Wed, Thu],
            &["14:00", "09:00"],
        )],
    );
    assert_eq!(
        locals(&plan(&req).unwrap(), "linkedin"),
        [
            "2026-03-03T09:00",
            "2026-03-03T14:00",
            "2026-03-04T09:00",
            "2026-03-04T14:00",
            "2026-03-05T09:00",
            "2026-03-05T14:00",
        ]
    );

    // Seven over three days: the odd one goes mid-week, where the times list starts again
    // an hour later.
    let req = request(
        date(2026, 3, 2),
        date(2026, 3, 8),
        "Europe/Oslo",
        vec![cadence(
            "linkedin",
            7,
            &[Tue, Wed, Thu],
            &["09:00", "14:00"],
        )],
    );
    assert_eq!(
        locals(&plan(&req).unwrap(), "linkedin"),
        [
            "2026-03-03T09:00",
            "2026-03-03T14:00",
            "2026-03-04T09:00",
            "2026-03-04T10:00",
            "2026-03-04T14:00",
            "2026-03-05T09:00",
            "2026-03-05T14:00",
        ]
    );
}

#[test]
fn a_crowded_day_never_repeats_a_minute_and_stays_on_its_date() {
    let req = request(
        date(2026, 3, 2),
        date(2026, 3, 8),
        "Europe/Oslo",
        vec![cadence("x", 21, &[Mon], &["09:00"])],
    );
    let mut local = locals(&plan(&req).unwrap(), "x");
    assert_eq!(local.len(), 21);
    assert!(local.iter().all(|l| l.starts_with("2026-03-02T")));
    local.dedup();
    assert_eq!(local.len(), 21, "two posts share a minute");

    // Rounds that run into an earlier round's time move on a minute.
    let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
    assert_eq!(
        times_for_day(&[t(9, 0), t(10, 0)], 0, 4),
        [t(9, 0), t(10, 0), t(10, 1), t(11, 0)]
    );
}

#[test]
fn partial_weeks_get_a_proportional_share() {
    // Wed 4 March to Tue 17 March: the first week has three of five weekdays in range
    // (3 × 3/5 = 1.8, so 2), the middle week all, the last two of five (1.2, so 1).
    let req = request(
        date(2026, 3, 4),
        date(2026, 3, 17),
        "Europe/Oslo",
        vec![cadence("x", 3, &[Mon, Tue, Wed, Thu, Fri], &["09:00"])],
    );
    assert_eq!(
        locals(&plan(&req).unwrap(), "x"),
        [
            "2026-03-04T09:00",
            "2026-03-06T09:00",
            "2026-03-09T09:00",
            "2026-03-11T09:00",
            "2026-03-13T09:00",
            "2026-03-17T09:00",
        ]
    );

    assert_eq!(posts_in_week(3, 5, 5), 3);
    assert_eq!(posts_in_week(3, 3, 5), 2);
    assert_eq!(posts_in_week(3, 2, 5), 1);
    assert_eq!(posts_in_week(1, 1, 2), 1, "halves round up");
    assert_eq!(
        posts_in_week(1, 1, 3),
        0,
        "a third of a post rounds to none"
    );
    assert_eq!(posts_in_week(21, 1, 7), 3);
}

#[test]
fn a_week_with_a_third_of_the_days_in_range_gets_no_weekly_post() {
    // Thursday to the next Wednesday: the first week keeps one of LinkedIn's three days
    // (1/3 of a post, so none), the second two (2/3, so one, at the later of the two days).
    let req = request(
        date(2026, 3, 5),
        date(2026, 3, 11),
        "Europe/Oslo",
        vec![cadence("linkedin", 1, &[], &[])],
    );
    assert_eq!(
        locals(&plan(&req).unwrap(), "linkedin"),
        ["2026-03-11T09:00"]
    );
}

#[test]
fn blackout_dates_drop_their_posts() {
    let mut req = request(
        date(2026, 3, 2),
        date(2026, 3, 15),
        "Europe/Oslo",
        vec![cadence("x", 3, &[Mon, Tue, Wed, Thu, Fri], &["09:00"])],
    );
    req.blackout_dates = vec![date(2026, 3, 4), date(2026, 3, 10)];
    assert_eq!(
        locals(&plan(&req).unwrap(), "x"),
        [
            "2026-03-02T09:00",
            "2026-03-06T09:00",
            // 10 March had no post to drop.
            "2026-03-09T09:00",
            "2026-03-11T09:00",
            "2026-03-13T09:00",
        ]
    );
}

#[test]
fn plans_are_sorted_and_deterministic() {
    let mut req = request(
        date(2026, 1, 1),
        date(2026, 6, 30),
        "America/New_York",
        vec![
            cadence("x", 7, &[], &[]),
            cadence("linkedin", 3, &[], &["09:00", "12:30"]),
            cadence("blog", 1, &[], &[]),
            cadence("press_release", 1, &[], &[]),
        ],
    );
    req.owners = vec!["ann".into(), "bo".into()];
    req.blackout_dates = vec![date(2026, 1, 19), date(2026, 5, 25)];
    let first = plan(&req).unwrap();
    assert!(!first.is_empty());
    assert!(first.windows(2).all(|pair| pair[0].at <= pair[1].at));
    assert_eq!(first, plan(&req).unwrap());
    // Requests that differ only in how they were written plan the same.
    let mut reordered = req.clone();
    reordered.cadence[1].days = vec![Thu, Tue, Wed, Tue];
    reordered.cadence[1].times = vec!["12:30".into(), "09:00".into()];
    assert_eq!(first, plan(&reordered).unwrap());
}

#[test]
fn a_request_reads_from_json_with_optional_fields_left_out() {
    let json = r#"{
        "start": "2026-03-02", "end": "2026-03-08", "timezone": "Europe/Oslo",
        "goals": ["launch awareness"],
        "cadence": [{"channel": "LinkedIn", "per_week": 2, "days": ["Tue", "thursday"]}]
    }"#;
    let req: crate::PlanRequest = serde_json::from_str(json).unwrap();
    assert_eq!(req.cadence[0].days, [Tue, Thu]);
    assert!(req.topics.is_empty() && req.owners.is_empty() && req.blackout_dates.is_empty());
    let slots = plan(&req).unwrap();
    assert_eq!(
        locals(&slots, "linkedin"),
        ["2026-03-03T09:00", "2026-03-05T09:00"]
    );
    let out = serde_json::to_value(&slots[0]).unwrap();
    assert_eq!(out["at"], "2026-03-03T08:00:00Z");
    assert_eq!(out["local"], "2026-03-03T09:00");
    assert_eq!(out["owner"], serde_json::Value::Null);
}
