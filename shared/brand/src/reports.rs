//! Reputation reports: a period's headline numbers against the previous period, charts
//! drawn on the server as plain SVG, share of voice against competitors and the mentions
//! worth reading, rendered as Markdown and as a self-contained HTML page and archived.
//!
//! - [`model`]: the [`Report`] both renderings draw from.
//! - `generate`: gathering a report from the [`MentionStore`] analytics.
//! - `svg`, `markdown`, `html`: the renderings; everything user-derived is escaped there.
//! - [`weekly`]: the scheduled pass archiving last week's report of every monitor.
//! - `store`: blobs under `tenants/{tenant}/reports/{monitor}/{report_id}.{md,html}` and a
//!   report item per report.
//!
//! # Key design (single table)
//!
//! | item | PK | SK |
//! |------|----|----|
//! | report | `T#{tenant}#MON#{monitor}#REPORT` | `{report_id}` |
//!
//! Report ids start with the UTC creation time (`20260323T090000.000Z-…`), so the sort key
//! orders a monitor's reports by age and the newest come first from a descending query.

mod format;
mod generate;
mod html;
mod markdown;
mod model;
mod store;
mod svg;
pub mod weekly;

pub use html::{HTML_CSP, render_html};
pub use markdown::render_markdown;
pub use model::{Competitor, Day, Figures, Headline, Report, ReportRequest, TopMention, Voice};
pub use store::{HTML_TYPE, MARKDOWN_TYPE, StoredReport};
/// The reports' SVG charts, shared with the dashboard's analytics pages.
pub use svg::{
    sentiment as sentiment_chart, share_of_voice as share_of_voice_chart, volume as volume_chart,
};

use crate::mentions::MentionStore;
use plasma_core::{BlobStore, Clock, IdGen, ItemStore};
use std::sync::Arc;

/// Longest period one report covers: a year of daily bars is the most a chart can show.
pub const MAX_REPORT_DAYS: i64 = 366;
/// Length of the top mentions, sources, authors and terms lists.
pub const TOP: usize = 10;
/// Characters of mention text a report quotes.
pub const EXCERPT_CHARS: usize = 280;

#[derive(Clone)]
pub struct Reports {
    mentions: MentionStore,
    items: Arc<dyn ItemStore>,
    blobs: Arc<dyn BlobStore>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGen>,
}

impl Reports {
    pub fn new(
        mentions: MentionStore,
        items: Arc<dyn ItemStore>,
        blobs: Arc<dyn BlobStore>,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdGen>,
    ) -> Self {
        Self {
            mentions,
            items,
            blobs,
            clock,
            ids,
        }
    }
}

#[cfg(test)]
mod tests;
