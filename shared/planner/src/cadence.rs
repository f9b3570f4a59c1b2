//! One channel's cadence, and the arithmetic that spreads it over a week and a day.

use chrono::{NaiveTime, TimeDelta, Weekday};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::channel::{ChannelDefaults, channel_defaults};
use crate::error::PlanError;

/// Posts a week a cadence may ask for: three a day, every day.
pub const MAX_PER_WEEK: u32 = 21;

/// How often and when to post on one channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Cadence {
    /// `x`, `linkedin`, `blog`, `newsletter`, `mastodon`, `medium`, `wordpress`, `webhook` or
    /// `press_release`.
    pub channel: String,
    /// Posts per full ISO week, 1 to 21.
    pub per_week: u32,
    /// Weekdays to post on; empty means the channel's defaults.
    #[serde(default)]
    #[schema(value_type = Vec<String>, example = json!(["Tue", "Thu"]))]
    pub days: Vec<Weekday>,
    /// Local "HH:MM" posting times; empty means the channel's defaults.
    #[serde(default)]
    #[schema(example = json!(["09:00", "13:30"]))]
    pub times: Vec<String>,
}

/// A validated cadence: the channel, and its days (Monday first) and times (earliest first),
/// each without repeats.
#[derive(Debug, Clone)]
pub(crate) struct Schedule {
    pub channel: &'static ChannelDefaults,
    pub per_week: u32,
    pub days: Vec<Weekday>,
    pub times: Vec<NaiveTime>,
}

impl Cadence {
    /// Checks this cadence (at `index` in the request) and fills in the channel defaults.
    pub(crate) fn schedule(&self, index: usize) -> Result<Schedule, PlanError> {
        let channel = channel_defaults(&self.channel).ok_or_else(|| PlanError::UnknownChannel {
            index,
            channel: self.channel.clone(),
        })?;
        if !(1..=MAX_PER_WEEK).contains(&self.per_week) {
            return Err(PlanError::PerWeek {
                index,
                per_week: self.per_week,
            });
        }
        let mut days = if self.days.is_empty() {
            channel.days.to_vec()
        } else {
            self.days.clone()
        };
        days.sort_by_key(Weekday::num_days_from_monday);
        days.dedup();
        let mut times = if self.times.is_empty() {
            channel.times.to_vec()
        } else {
            self.times
                .iter()
                .enumerate()
                .map(|(time, value)| {
                    parse_hhmm(value).ok_or_else(|| PlanError::Time {
                        index,
                        time,
                        value: value.clone(),
                    })
                })
                .collect::<Result<Vec<_>, _>>()?
        };
        times.sort();
        times.dedup();
        Ok(Schedule {
            channel,
            per_week: self.per_week,
            days,
            times,
        })
    }
}

/// Parses a strict 24-hour "HH:MM": two digits each, so "9:00" and "09:00:00" are refused
/// rather than guessed at.
pub(crate) fn parse_hhmm(value: &str) -> Option<NaiveTime> {
    let (hour, minute) = value.split_once(':')?;
    let two_digits = |part: &str| part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit());
    if !two_digits(hour) || !two_digits(minute) {
        return None;
    }
    NaiveTime::from_hms_opt(hour.parse().ok()?, minute.parse().ok()?, 0)
}

/// Posts due in a week of which only `in_range` of the `allowed` posting days fall inside the
/// plan: the weekly count in proportion, rounded to the nearest whole post (halves up).
pub(crate) fn posts_in_week(per_week: u32, in_range: usize, allowed: usize) -> u32 {
    if in_range >= allowed {
        return per_week;
    }
    let (in_range, allowed) = (in_range as u64, allowed as u64);
    let rounded = (2 * u64::from(per_week) * in_range + allowed) / (2 * allowed);
    // Never more than per_week, since in_range < allowed.
    rounded as u32
}

/// How many of `posts` go on each of `days` consecutive posting days so they sit evenly
/// through the week: every day gets the same share, and the remainder goes to days picked at
/// the centres of equal parts of the week (3 over Mon–Fri gives Mon, Wed, Fri; 2 gives Tue, Thu;
/// 1 gives Wed).
pub(crate) fn spread(posts: u32, days: usize) -> Vec<u32> {
    let days_u32 = days as u32;
    let mut per_day = vec![posts / days_u32; days];
    let extra = (posts % days_u32) as usize;
    for i in 0..extra {
        // Strictly increasing in i because days >= extra, so no day is picked twice.
        per_day[(2 * i + 1) * days / (2 * extra)] += 1;
    }
    per_day
}

/// Local times for `count` posts on one day.
///
/// `rotation` is how many posts the channel had before this day: single posts on successive
/// days walk through the times list (12:00, 17:00, 12:00, ...) instead of always taking the
/// first. When a day needs more posts than there are times, each further round of the list is
/// an hour later than the one before (wrapping within the day), and a time already taken moves
/// on a minute, so no two posts of a channel share a minute.
pub(crate) fn times_for_day(times: &[NaiveTime], rotation: usize, count: u32) -> Vec<NaiveTime> {
    let mut chosen: Vec<NaiveTime> = Vec::with_capacity(count as usize);
    for post in 0..count as usize {
        let round = (post / times.len()) as i64;
        let (mut time, _) =
            times[(rotation + post) % times.len()].overflowing_add_signed(TimeDelta::hours(round));
        // At most 21 posts a day, so a free minute is always found.
        while chosen.contains(&time) {
            time = time.overflowing_add_signed(TimeDelta::minutes(1)).0;
        }
        chosen.push(time);
    }
    chosen.sort();
    chosen
}
