//! Archiving reports: both renderings as blobs, and an item per report with what a list
//! needs (range, headline numbers, blob keys) so listing never opens a blob.

use super::model::{Headline, Report};
use super::{Reports, render_html, render_markdown};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use plasma_core::item::{attrs_of, query_all};
use plasma_core::keys::{REPORTS, check_segment};
use plasma_core::{Condition, Item, Key, PortResult, PutOptions, Query};
use serde::{Deserialize, Serialize};

/// The renderings' content types, as archived and as served.
pub const MARKDOWN_TYPE: &str = "text/markdown; charset=utf-8";
pub const HTML_TYPE: &str = "text/html; charset=utf-8";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredReport {
    pub id: String,
    pub tenant: String,
    pub monitor_id: String,
    pub monitor_name: String,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub time_zone: String,
    pub created_at: DateTime<Utc>,
    pub markdown_key: String,
    pub html_key: String,
    pub headline: Headline,
    pub truncated: bool,
}

fn blob_key(tenant: &str, monitor: &str, id: &str, extension: &str) -> String {
    format!("tenants/{tenant}/reports/{monitor}/{id}.{extension}")
}

impl Reports {
    /// Write both renderings, then the report item: a listed report always has its files.
    /// Storing the same report twice is refused rather than silently replacing the record.
    pub async fn store(&self, report: &Report) -> PortResult<StoredReport> {
        let (tenant, monitor, id) = (&report.tenant, &report.monitor_id, &report.id);
        // The ids are blob-key segments too (key segments refuse `/`): checked before
        // anything is written.
        let partition = REPORTS.key([tenant, monitor])?;
        check_segment("report", id)?;
        let record = StoredReport {
            id: id.clone(),
            tenant: tenant.clone(),
            monitor_id: monitor.clone(),
            monitor_name: report.monitor_name.clone(),
            from: report.from,
            to: report.to,
            time_zone: report.time_zone.clone(),
            created_at: report.created_at,
            markdown_key: blob_key(tenant, monitor, id, "md"),
            html_key: blob_key(tenant, monitor, id, "html"),
            headline: report.headline,
            truncated: report.truncated,
        };
        for (key, body, content_type) in [
            (&record.markdown_key, render_markdown(report), MARKDOWN_TYPE),
            (&record.html_key, render_html(report), HTML_TYPE),
        ] {
            let options = PutOptions {
                content_type: Some(content_type.into()),
                ..PutOptions::default()
            };
            self.blobs.put(key, Bytes::from(body), options).await?;
        }
        let item = Item::new(Key::new(partition, id.clone()), attrs_of(&record)?);
        self.items.put(item, Condition::NotExists).await?;
        Ok(record)
    }

    /// A monitor's reports, newest first. A weekly schedule adds 52 a year, so the whole
    /// partition is read.
    pub async fn list(&self, tenant: &str, monitor_id: &str) -> PortResult<Vec<StoredReport>> {
        query_all(
            self.items.as_ref(),
            Query::partition(REPORTS.key([tenant, monitor_id])?).descending(),
        )
        .await?
        .iter()
        .map(Item::parse)
        .collect()
    }

    /// A rendering's bytes, by a key its report item names; `None` if the blob is gone.
    pub async fn blob(&self, key: &str) -> PortResult<Option<Bytes>> {
        Ok(self.blobs.get(key).await?.map(|blob| blob.body))
    }

    pub async fn get(
        &self,
        tenant: &str,
        monitor_id: &str,
        report_id: &str,
    ) -> PortResult<Option<StoredReport>> {
        let partition = REPORTS.key([tenant, monitor_id])?;
        check_segment("report", report_id)?;
        match self.items.get(&Key::new(partition, report_id)).await? {
            Some(item) => item.parse().map(Some),
            None => Ok(None),
        }
    }
}
