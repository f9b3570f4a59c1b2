//! Drafts from a brief: one item per channel (the channel variants share a brief id), in the
//! profile's voice, written by the configured LLM or the built-in composer, optionally
//! grounded in the research knowledge base with numbered citations.

use crate::Content;
use crate::items::{ContentItem, Provenance};
use plasma_compliance::Channel;
use plasma_composer::{Brief, ComposeError, Draft, Fact, Voice};
use plasma_core::PortError;

/// Facts a grounded draft is written from.
const GROUNDING_FACTS: usize = 6;

pub struct DraftRequest {
    pub brief: Brief,
    pub profile_id: Option<String>,
    pub ground: bool,
    pub campaign_id: Option<String>,
    pub owner: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("no such profile")]
    NoSuchProfile,
    #[error("the model failed: {0}")]
    Model(String),
    #[error(transparent)]
    Port(#[from] PortError),
}

impl From<ComposeError> for DraftError {
    fn from(e: ComposeError) -> Self {
        match e {
            ComposeError::Invalid { field, message } => DraftError::Invalid { field, message },
            ComposeError::Model(m) => DraftError::Model(m),
        }
    }
}

impl Content {
    pub async fn draft(
        &self,
        tenant: &str,
        author: &str,
        request: DraftRequest,
    ) -> Result<Vec<ContentItem>, DraftError> {
        plasma_composer::validate(&request.brief)?;
        let channels: Vec<Channel> = request
            .brief
            .channels
            .iter()
            .enumerate()
            .map(|(i, c)| {
                c.parse::<Channel>().map_err(|_| DraftError::Invalid {
                    field: format!("channels[{i}]"),
                    message: format!("unknown channel {c:?}"),
                })
            })
            .collect::<Result<_, _>>()?;
        let profile = match &request.profile_id {
            Some(id) => Some(
                self.profile(tenant, id, None)
                    .await?
                    .ok_or(DraftError::NoSuchProfile)?,
            ),
            None => None,
        };
        let voice = profile
            .as_ref()
            .map(|p| p.voice())
            .unwrap_or_else(|| Voice {
                name: "Our team".into(),
                ..Voice::default()
            });
        let facts = match (&self.grounding, request.ground) {
            (Some(grounding), true) => {
                grounding
                    .facts(tenant, &grounding_query(&request.brief), GROUNDING_FACTS)
                    .await?
            }
            _ => Vec::new(),
        };
        let drafts = self.compose(&request.brief, &voice, &facts).await?;
        let now = self.clock.now();
        let brief_id = self.ids.new_id();
        let mut items = Vec::new();
        for (draft, channel) in drafts.into_iter().zip(channels) {
            let title = draft
                .title
                .clone()
                .unwrap_or_else(|| request.brief.topic.clone());
            let item = ContentItem {
                body: draft.body,
                thread: draft.thread,
                owner: request.owner.clone().or_else(|| Some(author.to_string())),
                campaign_id: request.campaign_id.clone(),
                brief_id: Some(brief_id.clone()),
                profile_id: profile.as_ref().map(|p| p.id.clone()),
                provenance: Some(Provenance {
                    provider: draft.provider,
                    prompt_version: draft.prompt_version,
                    sources: draft.sources,
                    profile_version: profile.as_ref().map(|p| p.version),
                }),
                ..ContentItem::draft(self.ids.new_id(), title, channel, author, now)
            };
            self.insert_item(tenant, &item).await?;
            items.push(item);
        }
        Ok(items)
    }

    async fn compose(
        &self,
        brief: &Brief,
        voice: &Voice,
        facts: &[Fact],
    ) -> Result<Vec<Draft>, DraftError> {
        match &self.llm {
            Some((provider, llm)) => {
                Ok(
                    plasma_composer::compose_llm(llm.as_ref(), provider, brief, voice, facts)
                        .await?,
                )
            }
            None => Ok(plasma_composer::compose_builtin(brief, voice, facts)),
        }
    }
}

/// What the knowledge base is searched for: the topic with the brief's keywords.
fn grounding_query(brief: &Brief) -> String {
    let mut q = brief.topic.clone();
    for k in &brief.keywords {
        q.push(' ');
        q.push_str(k);
    }
    q
}
