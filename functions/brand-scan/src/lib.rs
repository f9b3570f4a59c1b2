//! The brand-scan function, fired every 15 minutes by an EventBridge schedule: queues one scan
//! job per source of every tenant's monitors; the worker collects them.

use aws_lambda_events::event::eventbridge::EventBridgeEvent;
use lambda_runtime::{Error, LambdaEvent};
use plasma_brand::scan::{ScheduledScans, enqueue_all};
use plasma_platform::Platform;

pub async fn handler(
    platform: &Platform,
    event: LambdaEvent<EventBridgeEvent>,
) -> Result<ScheduledScans, Error> {
    if event.payload.detail_type != "Scheduled Event" {
        return Err(format!(
            "expected a Scheduled Event, got {:?}",
            event.payload.detail_type
        )
        .into());
    }
    Ok(enqueue_all(&platform.brand).await?)
}
