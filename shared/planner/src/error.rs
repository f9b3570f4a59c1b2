//! Why a plan request was refused. Each message starts with the request field at fault, and
//! [`PlanError::field`] returns that path alone so an API can point a form at it.

use chrono::NaiveDate;

use crate::plan::{MAX_RANGE_DAYS, MAX_SLOTS};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("timezone: unknown time zone {0:?}")]
    UnknownTimezone(String),
    #[error("end: {end} is before start {start}")]
    EndBeforeStart { start: NaiveDate, end: NaiveDate },
    #[error("end: the range spans {days} days, at most {MAX_RANGE_DAYS} are allowed")]
    RangeTooLong { days: i64 },
    #[error("goals: at least one goal is required")]
    NoGoals,
    #[error("goals[{index}]: must not be blank")]
    BlankGoal { index: usize },
    #[error("topics[{index}]: must not be blank")]
    BlankTopic { index: usize },
    #[error("owners[{index}]: must not be blank")]
    BlankOwner { index: usize },
    #[error("cadence: at least one channel cadence is required")]
    EmptyCadence,
    #[error("cadence[{index}].channel: unknown channel {channel:?}")]
    UnknownChannel { index: usize, channel: String },
    #[error("cadence[{index}].channel: {channel:?} already has a cadence")]
    DuplicateChannel { index: usize, channel: String },
    #[error("cadence[{index}].per_week: must be between 1 and 21, got {per_week}")]
    PerWeek { index: usize, per_week: u32 },
    #[error("cadence[{index}].times[{time}]: {value:?} is not a 24-hour \"HH:MM\" time")]
    Time {
        index: usize,
        time: usize,
        value: String,
    },
    #[error("cadence: the plan would have {count} slots, at most {MAX_SLOTS} are allowed")]
    TooManySlots { count: usize },
}

impl PlanError {
    /// The request field at fault, as a path: `timezone`, `end`, `cadence[1].per_week`,
    /// `cadence[0].times[2]`, ...
    pub fn field(&self) -> String {
        match self {
            PlanError::UnknownTimezone(_) => "timezone".into(),
            PlanError::EndBeforeStart { .. } | PlanError::RangeTooLong { .. } => "end".into(),
            PlanError::NoGoals => "goals".into(),
            PlanError::BlankGoal { index } => format!("goals[{index}]"),
            PlanError::BlankTopic { index } => format!("topics[{index}]"),
            PlanError::BlankOwner { index } => format!("owners[{index}]"),
            PlanError::EmptyCadence | PlanError::TooManySlots { .. } => "cadence".into(),
            PlanError::UnknownChannel { index, .. } | PlanError::DuplicateChannel { index, .. } => {
                format!("cadence[{index}].channel")
            }
            PlanError::PerWeek { index, .. } => format!("cadence[{index}].per_week"),
            PlanError::Time { index, time, .. } => format!("cadence[{index}].times[{time}]"),
        }
    }
}
