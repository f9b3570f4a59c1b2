//! The content-metrics function, fired hourly by an EventBridge schedule: refreshes the
//! metrics of every post published in the last 30 days.

use aws_lambda_events::event::eventbridge::EventBridgeEvent;
use lambda_runtime::{Error, LambdaEvent};
use plasma_content::metrics::MetricsRun;
use plasma_platform::Platform;

pub async fn handler(
    platform: &Platform,
    event: LambdaEvent<EventBridgeEvent>,
) -> Result<MetricsRun, Error> {
    if event.payload.detail_type != "Scheduled Event" {
        return Err(format!(
            "expected a Scheduled Event, got {:?}",
            event.payload.detail_type
        )
        .into());
    }
    Ok(platform.content.refresh_metrics().await?)
}
