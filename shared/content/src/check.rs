//! The compliance check against a tenant's voice profile; `POST /content/check` and every
//! submission for review run it. The rules always run; with a model configured, its review
//! adds advisory findings.

use crate::Content;
use crate::items::ContentItem;
use plasma_compliance::{Channel, CheckInput, Report, THREAD_SEPARATOR};
use plasma_core::PortResult;
use std::sync::LazyLock;

/// Built once: the checker holds the sentiment lexicon.
static CHECKER: LazyLock<plasma_compliance::Checker> =
    LazyLock::new(plasma_compliance::Checker::new);

/// The longest text `check_text` takes, in bytes, whichever surface (REST, MCP, a workflow
/// step) asked.
pub const MAX_CHECK_TEXT_BYTES: usize = 100_000;

/// Why a check could not run.
pub enum CheckError {
    /// The text is blank or longer than [`MAX_CHECK_TEXT_BYTES`]; the message says which.
    InvalidText(String),
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
        if text.trim().is_empty() {
            return Err(CheckError::InvalidText("must not be empty".into()));
        }
        if text.len() > MAX_CHECK_TEXT_BYTES {
            return Err(CheckError::InvalidText(format!(
                "must be at most {MAX_CHECK_TEXT_BYTES} bytes"
            )));
        }
        let rules = match profile_id {
            Some(id) => Some(
                self.profile(tenant, id, None)
                    .await?
                    .ok_or(CheckError::NoSuchProfile)?
                    .rules(),
            ),
            None => None,
        };
        let input = CheckInput {
            rules: rules.as_ref(),
            ..CheckInput::new(text, channel).with_citations(citations)
        };
        Ok(self.reviewed(&input).await)
    }

    /// The rules' report, with the model's findings when a model is configured.
    async fn reviewed(&self, input: &CheckInput<'_>) -> Report {
        let mut report = CHECKER.check(input);
        if let Some((_, llm)) = &self.llm {
            let findings =
                crate::review::review(llm.as_ref(), input.text, input.channel, input.rules).await;
            report.extend(findings);
        }
        report
    }

    /// The check an item gets on submission: its text (a thread checked as the posts it
    /// becomes) against its profile, counting the sources its draft cites. A profile deleted
    /// since no longer binds the item; the channel's rules still do.
    pub async fn check_item(&self, tenant: &str, item: &ContentItem) -> PortResult<Report> {
        let citations = item
            .provenance
            .as_ref()
            .map(|p| p.sources.len())
            .unwrap_or(0);
        let rules = match &item.profile_id {
            Some(id) => self.profile(tenant, id, None).await?.map(|p| p.rules()),
            None => None,
        };
        let joined = item.thread.join(THREAD_SEPARATOR);
        let input = if item.thread.is_empty() {
            CheckInput::new(&item.body, item.channel)
        } else {
            CheckInput::new(&joined, item.channel).with_thread(&item.thread)
        };
        let input = CheckInput {
            rules: rules.as_ref(),
            ..input.with_citations(citations)
        };
        Ok(self.reviewed(&input).await)
    }
}
