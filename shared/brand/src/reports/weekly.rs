//! The scheduled weekly report: every tenant's every monitor gets the report of the last
//! full week in UTC, archived once. The HTTP route builds its reports with the same
//! [`request`] and defaults to the same [`last_week`].

use super::{Competitor, ReportRequest};
use crate::monitors::Monitor;
use crate::scan::Brand;
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use plasma_core::PortResult;
use serde::{Deserialize, Serialize};

/// Local midnight starting `date` in `tz`. Where a DST change skips midnight the day starts
/// at the first instant that exists, which is within the hour after it.
fn local_midnight(tz: Tz, date: NaiveDate) -> DateTime<Utc> {
    let midnight = date.and_time(chrono::NaiveTime::MIN);
    (0..=2)
        .find_map(|hours| {
            tz.from_local_datetime(&(midnight + Duration::hours(hours)))
                .earliest()
        })
        .map_or_else(
            || Utc.from_utc_datetime(&midnight),
            |t| t.with_timezone(&Utc),
        )
}

/// The last full local week, Monday to Monday, before `now`.
pub fn last_week(tz: Tz, now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    let today = now.with_timezone(&tz).date_naive();
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    (
        local_midnight(tz, monday - Duration::days(7)),
        local_midnight(tz, monday),
    )
}

/// What a report on `monitor` over `from..to` asks for. Competitors are looked up by id so
/// the report shows their current names; deleted ones are left out.
pub async fn request(
    brand: &Brand,
    tenant: &str,
    monitor: &Monitor,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    tz: Tz,
) -> PortResult<ReportRequest> {
    let mut competitors = Vec::new();
    for id in &monitor.competitors {
        if let Some(c) = brand.monitors().get(tenant, id).await? {
            competitors.push(Competitor {
                monitor_id: c.id,
                name: c.name,
            });
        }
    }
    Ok(ReportRequest {
        monitor_id: monitor.id.clone(),
        monitor_name: monitor.name.clone(),
        competitors,
        from,
        to,
        time_zone: tz.name().to_string(),
    })
}

/// What one scheduled pass over every monitor did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScheduledReports {
    /// Monitors whose report was generated and archived.
    pub created: usize,
    /// Monitors that already had a report for the week (a re-run or a late fire).
    pub skipped: usize,
    /// Monitors whose report failed (logged); a re-run of the pass tries them again.
    pub failed: usize,
}

/// Archive `monitor`'s report on `week` unless one for exactly that UTC range exists;
/// returns whether it did.
async fn report_once(
    brand: &Brand,
    tenant: &str,
    monitor: &Monitor,
    week: (DateTime<Utc>, DateTime<Utc>),
) -> PortResult<bool> {
    let archived = brand.reports.list(tenant, &monitor.id).await?;
    let tz = Tz::UTC;
    if archived
        .iter()
        .any(|r| (r.from, r.to) == week && r.time_zone == tz.name())
    {
        return Ok(false);
    }
    let request = request(brand, tenant, monitor, week, tz).await?;
    let report = brand.reports.generate(tenant, &request).await?;
    brand.reports.store(&report).await?;
    Ok(true)
}

/// Archive last week's report of every tenant's every monitor (the scheduler's pass). One
/// monitor failing does not stop the others.
pub async fn reports_all(brand: &Brand) -> PortResult<ScheduledReports> {
    let week = last_week(Tz::UTC, brand.clock.now());
    let mut pass = ScheduledReports::default();
    for scheduled in brand.monitors().all().await? {
        match report_once(brand, &scheduled.tenant, &scheduled.monitor, week).await {
            Ok(true) => pass.created += 1,
            Ok(false) => pass.skipped += 1,
            Err(e) => {
                tracing::error!(tenant = %scheduled.tenant, monitor = %scheduled.monitor.id, error = %e, "the weekly report failed");
                pass.failed += 1;
            }
        }
    }
    Ok(pass)
}
