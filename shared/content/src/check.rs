//! The compliance check against a tenant's voice profile; `POST /content/check` and every
//! submission for review run it.

use crate::Content;
use crate::items::ContentItem;
use plasma_compliance::{Channel, CheckInput, Report};
use plasma_core::PortResult;
use std::sync::LazyLock;

/// Built once: the checker holds the sentiment lexicon.
static CHECKER: LazyLock<plasma_compliance::Checker> =
    LazyLock::new(plasma_compliance::Checker::new);

/// Why a check could not run.
pub enum CheckError {
    NoSuchProfile,
    Port(plasma_core::PortError),
}

impl From<plasma_core::PortError> for CheckError {
    fn from(e: plasma_core::PortError) -> Self {
        CheckError::Port(e)
    }
}

impl Content {
    pub async fn check_text(
        &self,
        tenant: &str,
        text: &str,
        channel: Channel,
        profile_id: Option<&str>,
        citations: usize,
    ) -> Result<Report, CheckError> {
        let rules = match profile_id {
            Some(id) => Some(
                self.profile(tenant, id, None)
                    .await?
                    .ok_or(CheckError::NoSuchProfile)?
                    .rules(),
            ),
            None => None,
        };
        Ok(CHECKER.check(&CheckInput {
            text,
            channel,
            rules: rules.as_ref(),
            citations,
        }))
    }

    /// The check an item gets on submission: its text (a thread checked as the posts it
    /// becomes) against its profile, counting the sources its draft cites.
    pub async fn check_item(&self, tenant: &str, item: &ContentItem) -> PortResult<Report> {
        let citations = item
            .provenance
            .as_ref()
            .map(|p| p.sources.len())
            .unwrap_or(0);
        let text = if item.thread.is_empty() {
            item.body.clone()
        } else {
            item.thread.join("\n\n")
        };
        match self
            .check_text(
                tenant,
                &text,
                item.channel,
                item.profile_id.as_deref(),
                citations,
            )
            .await
        {
            Ok(report) => Ok(report),
            // A deleted profile no longer binds the item; the channel rules still do.
            Err(CheckError::NoSuchProfile) => Ok(CHECKER.check(&CheckInput {
                text: &text,
                channel: item.channel,
                rules: None,
                citations,
            })),
            Err(CheckError::Port(e)) => Err(e),
        }
    }
}
