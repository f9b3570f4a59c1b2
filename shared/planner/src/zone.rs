//! Wall-clock times in a plan's time zone, turned into instants.

use chrono::{DateTime, LocalResult, NaiveDateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

/// The instant of a local wall-clock time.
///
/// A time skipped by a spring-forward gap moves to the first minute that exists after it
/// (02:30 on the night Oslo moves to summer time becomes 03:00), so the post stays as close
/// to the asked time as the clock allows. A time repeated by a fall-back fold takes the
/// earlier of its two instants, the one a person reading the clock would meet first.
pub(crate) fn resolve(zone: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    let mut candidate = local;
    loop {
        match zone.from_local_datetime(&candidate) {
            LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => return at.to_utc(),
            // Gaps in the tz database are bounded (the longest, Samoa's skipped day in 2011,
            // is 24 hours), so this walk ends.
            LocalResult::None => candidate += TimeDelta::minutes(1),
        }
    }
}
