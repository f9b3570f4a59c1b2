//! The brand-reports function, fired on Mondays by an EventBridge schedule: archives the
//! report of the last full week (UTC) of every tenant's every monitor, once per week.

use aws_lambda_events::event::eventbridge::EventBridgeEvent;
use lambda_runtime::{Error, LambdaEvent};
use plasma_brand::reports::weekly::{ScheduledReports, reports_all};
use plasma_platform::Platform;

pub async fn handler(
    platform: &Platform,
    event: LambdaEvent<EventBridgeEvent>,
) -> Result<ScheduledReports, Error> {
    if event.payload.detail_type != "Scheduled Event" {
        return Err(format!(
            "expected a Scheduled Event, got {:?}",
            event.payload.detail_type
        )
        .into());
    }
    Ok(reports_all(&platform.brand).await?)
}
