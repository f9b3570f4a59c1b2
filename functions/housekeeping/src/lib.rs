//! The housekeeping function, fired hourly by an EventBridge schedule.

use aws_lambda_events::event::eventbridge::EventBridgeEvent;
use lambda_runtime::{Error, LambdaEvent};
use plasma_platform::Platform;
use plasma_platform::housekeeping::{self, Report};

pub async fn handler(
    platform: &Platform,
    event: LambdaEvent<EventBridgeEvent>,
) -> Result<Report, Error> {
    if event.payload.detail_type != "Scheduled Event" {
        return Err(format!(
            "expected a Scheduled Event, got {:?}",
            event.payload.detail_type
        )
        .into());
    }
    Ok(housekeeping::run(platform).await?)
}
