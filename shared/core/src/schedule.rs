//! Scheduler: recurring schedules (EventBridge `rate(...)` / `cron(...)` expressions) and
//! one-time schedules (`at(...)`). Recurring schedules are static: template.yaml declares them
//! for AWS and the runner fires the same table (`plasma_platform::schedules`) locally. One-time schedules are created at run
//! time through the [`Scheduler`] port (EventBridge Scheduler on AWS) and, when due, deliver
//! their body to a queue.

use crate::error::{PortError, PortResult};
use async_trait::async_trait;
use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use croner::Cron;
use croner::parser::CronParser;

/// A parsed EventBridge schedule expression.
#[derive(Debug, Clone)]
pub enum ScheduleExpression {
    Rate(Duration),
    /// EventBridge cron: minutes hours day-of-month month day-of-week year, in UTC.
    Cron(Box<Cron>, String),
    At(DateTime<Utc>),
}

impl ScheduleExpression {
    pub fn parse(expr: &str) -> PortResult<Self> {
        let invalid =
            |why: &str| PortError::Invalid(format!("schedule expression {expr:?}: {why}"));
        let inner = |prefix: &str| expr.strip_prefix(prefix).and_then(|r| r.strip_suffix(')'));
        if let Some(rate) = inner("rate(") {
            let (n, unit) = rate
                .trim()
                .split_once(' ')
                .ok_or_else(|| invalid("want rate(N unit)"))?;
            let n: i64 = n
                .parse()
                .map_err(|_| invalid("rate value is not a whole number"))?;
            if n < 1 {
                return Err(invalid("rate value must be positive"));
            }
            let per = match (unit, n) {
                ("minute", 1) | ("minutes", 2..) => Duration::minutes(1),
                ("hour", 1) | ("hours", 2..) => Duration::hours(1),
                ("day", 1) | ("days", 2..) => Duration::days(1),
                _ => {
                    return Err(invalid(
                        "unit must be minute(s), hour(s) or day(s), singular for 1",
                    ));
                }
            };
            Ok(Self::Rate(per * n as i32))
        } else if let Some(cron) = inner("cron(") {
            let fields: Vec<&str> = cron.split_whitespace().collect();
            if fields.len() != 6 {
                return Err(invalid(
                    "cron takes 6 fields: minutes hours day-of-month month day-of-week year",
                ));
            }
            if (fields[2] == "?") == (fields[4] == "?") {
                return Err(invalid(
                    "exactly one of day-of-month and day-of-week must be '?'",
                ));
            }
            // EventBridge has no seconds field and numbers weekdays 1-7 from Sunday (Quartz).
            let pattern = format!("0 {}", fields.join(" "));
            let parsed = CronParser::builder()
                .alternative_weekdays(true)
                .build()
                .parse(&pattern)
                .map_err(|e| invalid(&e.to_string()))?;
            Ok(Self::Cron(Box::new(parsed), cron.to_string()))
        } else if let Some(at) = inner("at(") {
            let t = NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M:%S")
                .map_err(|_| invalid("want at(yyyy-mm-ddThh:mm:ss)"))?;
            Ok(Self::At(t.and_utc()))
        } else {
            Err(invalid("want rate(...), cron(...) or at(...)"))
        }
    }

    /// The first firing strictly after `after`, if any. A rate schedule fires on multiples of
    /// its period from the Unix epoch, so restarts do not shift it.
    pub fn next_after(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            Self::Rate(period) => {
                let p = period.num_seconds();
                let t = after.timestamp();
                DateTime::from_timestamp((t.div_euclid(p) + 1) * p, 0)
            }
            Self::Cron(cron, _) => cron.find_next_occurrence(&after, false).ok(),
            Self::At(at) => (*at > after).then_some(*at),
        }
    }

    /// Format a one-time expression the way EventBridge Scheduler wants it.
    pub fn at(time: DateTime<Utc>) -> String {
        format!("at({})", time.format("%Y-%m-%dT%H:%M:%S"))
    }
}

/// Fires once at `at` (second precision, UTC) by sending `body` to the logical queue `queue`.
#[derive(Debug, Clone, PartialEq)]
pub struct OneTimeSchedule {
    /// Unique per deployment; creating a schedule with an existing name replaces it.
    pub name: String,
    pub at: DateTime<Utc>,
    pub queue: String,
    pub body: String,
}

#[async_trait]
pub trait Scheduler: Send + Sync {
    /// Create or replace the schedule of this name.
    async fn schedule_once(&self, schedule: OneTimeSchedule) -> PortResult<()>;
    /// Returns false when there was no such schedule.
    async fn cancel(&self, name: &str) -> PortResult<bool>;
    async fn get(&self, name: &str) -> PortResult<Option<OneTimeSchedule>>;
    /// Pending schedules whose name starts with `prefix`, ordered by name.
    async fn list(&self, prefix: &str) -> PortResult<Vec<OneTimeSchedule>>;
    async fn health(&self) -> PortResult<String>;
}

/// Schedule names are what EventBridge Scheduler accepts: 1-64 of `[0-9A-Za-z-_.]`.
pub fn validate_schedule_name(name: &str) -> PortResult<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    if ok {
        Ok(())
    } else {
        Err(PortError::Invalid(format!(
            "schedule name {name:?} must be 1-64 characters of [0-9A-Za-z-_.]"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn rate_fires_on_period_boundaries() {
        let e = ScheduleExpression::parse("rate(5 minutes)").unwrap();
        assert_eq!(
            e.next_after(t("2026-01-01T10:02:10Z")),
            Some(t("2026-01-01T10:05:00Z"))
        );
        assert_eq!(
            e.next_after(t("2026-01-01T10:05:00Z")),
            Some(t("2026-01-01T10:10:00Z"))
        );
        assert!(ScheduleExpression::parse("rate(1 minutes)").is_err());
        assert!(ScheduleExpression::parse("rate(0 hours)").is_err());
        assert!(ScheduleExpression::parse("rate(2 weeks)").is_err());
    }

    #[test]
    fn cron_uses_eventbridge_fields() {
        // 08:00 every Monday (weekday 2 in EventBridge numbering).
        let e = ScheduleExpression::parse("cron(0 8 ? * 2 *)").unwrap();
        // 2026-01-01 is a Thursday; the next Monday is the 5th.
        assert_eq!(
            e.next_after(t("2026-01-01T00:00:00Z")),
            Some(t("2026-01-05T08:00:00Z"))
        );
        let mon = ScheduleExpression::parse("cron(30 6 ? * MON *)").unwrap();
        assert_eq!(
            mon.next_after(t("2026-01-05T06:30:00Z")),
            Some(t("2026-01-12T06:30:00Z"))
        );
        assert!(
            ScheduleExpression::parse("cron(0 8 * * * *)").is_err(),
            "needs one '?'"
        );
        assert!(ScheduleExpression::parse("cron(0 8 * *)").is_err());
    }

    #[test]
    fn at_fires_once() {
        let e = ScheduleExpression::parse("at(2026-03-01T12:00:00)").unwrap();
        assert_eq!(
            e.next_after(t("2026-02-01T00:00:00Z")),
            Some(t("2026-03-01T12:00:00Z"))
        );
        assert_eq!(e.next_after(t("2026-03-01T12:00:00Z")), None);
        assert_eq!(
            ScheduleExpression::at(t("2026-03-01T12:00:00Z")),
            "at(2026-03-01T12:00:00)"
        );
    }

    #[test]
    fn names_follow_eventbridge_rules() {
        assert!(validate_schedule_name("publish-01.a_b").is_ok());
        assert!(validate_schedule_name("").is_err());
        assert!(validate_schedule_name("a/b").is_err());
        assert!(validate_schedule_name(&"x".repeat(65)).is_err());
    }
}
