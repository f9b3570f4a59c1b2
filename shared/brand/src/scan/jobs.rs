//! Scan requests: one job per source, each an event envelope on the jobs queue.

use super::Brand;
use crate::monitors::Monitor;
use plasma_core::{Event, EventEnvelope, OutMessage, PortError, PortResult};
use serde::{Deserialize, Serialize};

pub const SOURCE: &str = "plasma.brand";
pub const SCAN_REQUESTED: &str = "scan.requested";

/// One (monitor, source) of a scan: the detail of a `scan.requested` envelope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanJob {
    pub tenant: String,
    pub monitor_id: String,
    pub source_index: usize,
    pub scan_id: String,
}

/// Record the scan run and queue a job per source; returns the scan id.
pub async fn enqueue(brand: &Brand, tenant: &str, monitor: &Monitor) -> PortResult<String> {
    let scan_id = brand.ids.new_id();
    let now = brand.clock.now();
    brand.runs().start(tenant, monitor, &scan_id, now).await?;
    let messages = (0..monitor.sources.len())
        .map(|source_index| {
            let job = ScanJob {
                tenant: tenant.to_string(),
                monitor_id: monitor.id.clone(),
                source_index,
                scan_id: scan_id.clone(),
            };
            let detail = serde_json::to_value(&job).map_err(PortError::backend)?;
            let event = Event::new(SOURCE, SCAN_REQUESTED, detail);
            let envelope = EventEnvelope::local(brand.ids.new_id(), now, &event);
            let body = serde_json::to_string(&envelope).map_err(PortError::backend)?;
            Ok(OutMessage::new(body))
        })
        .collect::<PortResult<Vec<_>>>()?;
    if !messages.is_empty() {
        brand.queue.send_batch(&brand.jobs_queue, messages).await?;
    }
    Ok(scan_id)
}

/// What one scheduled pass over every monitor did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScheduledScans {
    /// Monitors whose scans were queued.
    pub scanned: usize,
    /// Monitors whose scans could not be queued (logged); the next pass tries again.
    pub failed: usize,
}

/// Queue a scan of every tenant's every monitor (the scheduler's pass). One monitor failing
/// to queue does not stop the others.
pub async fn enqueue_all(brand: &Brand) -> PortResult<ScheduledScans> {
    let mut report = ScheduledScans::default();
    for scheduled in brand.monitors().all().await? {
        match enqueue(brand, &scheduled.tenant, &scheduled.monitor).await {
            Ok(_) => report.scanned += 1,
            Err(e) => {
                tracing::error!(tenant = %scheduled.tenant, monitor = %scheduled.monitor.id, error = %e, "queueing a scheduled scan failed");
                report.failed += 1;
            }
        }
    }
    Ok(report)
}
