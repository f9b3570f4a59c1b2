//! Turning goals and per-channel cadence into a dated plan.

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::cadence::{Cadence, Schedule, posts_in_week, spread, times_for_day};
use crate::error::PlanError;
use crate::rotation::{DERIVED_TOPICS, goal_and_topic};
use crate::zone::resolve;

/// Longest plan, in days between start and end: a year, leap day included.
pub const MAX_RANGE_DAYS: i64 = 366;
/// Most slots one plan may hold; past this a calendar stops being something people review.
pub const MAX_SLOTS: usize = 2_000;

/// A campaign's goals and the cadence to plan them over a date range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PlanRequest {
    /// First day of the plan, in `timezone`.
    pub start: NaiveDate,
    /// Last day of the plan (inclusive), at most 366 days after `start`.
    pub end: NaiveDate,
    /// IANA time zone the cadence times are in, e.g. "Europe/Oslo".
    #[schema(example = "Europe/Oslo")]
    pub timezone: String,
    /// Campaign goals, e.g. "launch awareness"; rotated across slots.
    pub goals: Vec<String>,
    /// Topics rotated across slots; when empty, each goal is worked through content angles
    /// (announcement, how-to, customer story, ...).
    #[serde(default)]
    pub topics: Vec<String>,
    /// One cadence per channel.
    pub cadence: Vec<Cadence>,
    /// People assigned to slots in turn, in time order.
    #[serde(default)]
    pub owners: Vec<String>,
    /// Days without posts (holidays, freezes), in `timezone`.
    #[serde(default)]
    pub blackout_dates: Vec<NaiveDate>,
}

/// One planned post.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PlannedSlot {
    pub channel: String,
    /// The instant to post.
    pub at: DateTime<Utc>,
    /// The same instant on the plan's wall clock, e.g. "2026-03-03T09:00".
    #[schema(example = "2026-03-03T09:00")]
    pub local: String,
    pub timezone: String,
    /// e.g. "LinkedIn: launch awareness — customer story".
    pub title: String,
    pub goal: String,
    pub topic: String,
    pub owner: Option<String>,
}

/// The request once checked: everything the planner needs, normalised.
struct Checked<'a> {
    zone: Tz,
    goals: Vec<&'a str>,
    topics: Vec<&'a str>,
    owners: Vec<&'a str>,
    schedules: Vec<Schedule>,
}

/// A post placed in time, before goals, topics and owners are handed out.
struct Placed {
    at: DateTime<Utc>,
    /// Position of the channel in the request, which orders posts due at the same instant.
    schedule: usize,
    /// How many posts the channel had before this one.
    post: usize,
}

/// Plans posts for every cadence over the request's range, sorted by time. The same request
/// always gives the same plan.
///
/// Each ISO week (Monday to Sunday) gets `per_week` posts per channel, spread over the allowed
/// days as [`crate::cadence`] describes; a week cut by the start or end of the range gets a
/// share in proportion to its allowed days inside the range. Posts that land on a blackout
/// date are dropped rather than moved, so a holiday means fewer posts, not a crowded next day.
pub fn plan(request: &PlanRequest) -> Result<Vec<PlannedSlot>, PlanError> {
    let checked = check(request)?;
    let mut placed = Vec::new();
    for (index, schedule) in checked.schedules.iter().enumerate() {
        place(request, checked.zone, index, schedule, &mut placed);
    }
    if placed.len() > MAX_SLOTS {
        return Err(PlanError::TooManySlots {
            count: placed.len(),
        });
    }
    placed.sort_by_key(|p| (p.at, p.schedule, p.post));

    let topics: Vec<&str> = if checked.topics.is_empty() {
        DERIVED_TOPICS.to_vec()
    } else {
        checked.topics.clone()
    };
    let slots = placed
        .iter()
        .enumerate()
        .map(|(position, p)| {
            let channel = checked.schedules[p.schedule].channel;
            // Offsetting by the channel's position means posts that go out together on
            // different channels do not all carry the same goal and topic.
            let (goal, topic) =
                goal_and_topic(p.post + p.schedule, checked.goals.len(), topics.len());
            let (goal, topic) = (checked.goals[goal], topics[topic]);
            let owner = (!checked.owners.is_empty())
                .then(|| checked.owners[position % checked.owners.len()].to_string());
            PlannedSlot {
                channel: channel.channel.to_string(),
                at: p.at,
                local: p
                    .at
                    .with_timezone(&checked.zone)
                    .format("%Y-%m-%dT%H:%M")
                    .to_string(),
                timezone: checked.zone.name().to_string(),
                title: format!("{}: {goal} — {topic}", channel.label),
                goal: goal.to_string(),
                topic: topic.to_string(),
                owner,
            }
        })
        .collect();
    Ok(slots)
}

/// Places one channel's posts week by week.
fn place(
    request: &PlanRequest,
    zone: Tz,
    index: usize,
    schedule: &Schedule,
    placed: &mut Vec<Placed>,
) {
    let mut post = 0;
    // Checked date steps: a range at the very edge of the calendar yields fewer weeks rather
    // than a panic.
    let mut week = request.start.checked_sub_days(Days::new(u64::from(
        request.start.weekday().num_days_from_monday(),
    )));
    while let Some(monday) = week.filter(|monday| *monday <= request.end) {
        let days: Vec<NaiveDate> = schedule
            .days
            .iter()
            .filter_map(|day| {
                monday.checked_add_days(Days::new(u64::from(day.num_days_from_monday())))
            })
            .filter(|date| (request.start..=request.end).contains(date))
            .collect();
        if !days.is_empty() {
            let posts = posts_in_week(schedule.per_week, days.len(), schedule.days.len());
            for (date, count) in days.iter().zip(spread(posts, days.len())) {
                if request.blackout_dates.contains(date) {
                    continue;
                }
                for time in times_for_day(&schedule.times, post, count) {
                    placed.push(Placed {
                        at: resolve(zone, date.and_time(time)),
                        schedule: index,
                        post,
                    });
                    post += 1;
                }
            }
        }
        week = monday.checked_add_days(Days::new(7));
    }
}

fn check(request: &PlanRequest) -> Result<Checked<'_>, PlanError> {
    let zone: Tz = request
        .timezone
        .trim()
        .parse()
        .map_err(|_| PlanError::UnknownTimezone(request.timezone.clone()))?;
    if request.end < request.start {
        return Err(PlanError::EndBeforeStart {
            start: request.start,
            end: request.end,
        });
    }
    let days = (request.end - request.start).num_days();
    if days > MAX_RANGE_DAYS {
        return Err(PlanError::RangeTooLong { days });
    }
    if request.goals.is_empty() {
        return Err(PlanError::NoGoals);
    }
    let goals = non_blank(&request.goals, |index| PlanError::BlankGoal { index })?;
    let topics = non_blank(&request.topics, |index| PlanError::BlankTopic { index })?;
    let owners = non_blank(&request.owners, |index| PlanError::BlankOwner { index })?;
    if request.cadence.is_empty() {
        return Err(PlanError::EmptyCadence);
    }
    let mut schedules: Vec<Schedule> = Vec::with_capacity(request.cadence.len());
    for (index, cadence) in request.cadence.iter().enumerate() {
        let schedule = cadence.schedule(index)?;
        if schedules.iter().any(|s| s.channel == schedule.channel) {
            return Err(PlanError::DuplicateChannel {
                index,
                channel: cadence.channel.clone(),
            });
        }
        schedules.push(schedule);
    }
    Ok(Checked {
        zone,
        goals,
        topics,
        owners,
        schedules,
    })
}

/// The entries trimmed, or the error for the first blank one.
fn non_blank(
    entries: &[String],
    blank: impl Fn(usize) -> PlanError,
) -> Result<Vec<&str>, PlanError> {
    entries
        .iter()
        .enumerate()
        .map(|(index, entry)| match entry.trim() {
            "" => Err(blank(index)),
            trimmed => Ok(trimmed),
        })
        .collect()
}
