//! Unit tests, one file per concern, sharing the request builders below.

mod dst;
mod ics;
mod ics_parser;
mod rotation;
mod spread;
mod validation;

use chrono::{NaiveDate, Weekday};

use crate::{Cadence, PlanRequest, PlannedSlot};

pub(crate) fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("valid test date")
}

pub(crate) fn cadence(channel: &str, per_week: u32, days: &[Weekday], times: &[&str]) -> Cadence {
    Cadence {
        channel: channel.into(),
        per_week,
        days: days.to_vec(),
        times: times.iter().map(|t| t.to_string()).collect(),
    }
}

/// A request with two goals, no topics, owners or blackouts.
pub(crate) fn request(
    start: NaiveDate,
    end: NaiveDate,
    timezone: &str,
    cadence: Vec<Cadence>,
) -> PlanRequest {
    PlanRequest {
        start,
        end,
        timezone: timezone.into(),
        goals: vec!["launch awareness".into(), "drive webinar signups".into()],
        topics: Vec::new(),
        cadence,
        owners: Vec::new(),
        blackout_dates: Vec::new(),
    }
}

/// The local wall-clock times of one channel's slots, in plan order.
pub(crate) fn locals(slots: &[PlannedSlot], channel: &str) -> Vec<String> {
    slots
        .iter()
        .filter(|slot| slot.channel == channel)
        .map(|slot| slot.local.clone())
        .collect()
}
