//! Brand-voice profiles, versioned: every change is a new version, the old ones stay
//! readable, and drafts and checks record the version they used.

use crate::Content;
use chrono::{DateTime, Utc};
use plasma_compliance::{Channel, LengthRange, VoiceRules};
use plasma_composer::Voice;
use plasma_core::item::{attrs_of, query_all};
use plasma_core::keys::{PROFILE_VERSIONS, PROFILES};
use plasma_core::{Condition, Item, Key, PortError, PortResult, Query, TxOp};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// What a caller sends to create a profile or a new version of one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileInput {
    pub name: String,
    /// Tone descriptors: `friendly`, `formal`, `confident`, `playful`, ...
    #[serde(default)]
    pub tone: Vec<String>,
    #[serde(default, rename = "do")]
    pub do_list: Vec<String>,
    #[serde(default, rename = "dont")]
    pub dont_list: Vec<String>,
    #[serde(default)]
    pub banned_terms: Vec<String>,
    /// Terms every post must carry, such as disclaimers.
    #[serde(default)]
    pub required_terms: Vec<String>,
    /// The highest Flesch–Kincaid grade posts should read at.
    #[serde(default)]
    pub reading_grade: Option<f64>,
    #[serde(default)]
    pub max_sentence_words: Option<u32>,
    /// Preferred length in words per channel.
    #[serde(default)]
    pub preferred_length: BTreeMap<Channel, LengthRange>,
    #[serde(default)]
    pub example_posts: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Profile {
    pub id: String,
    pub version: u32,
    #[serde(flatten)]
    pub input: ProfileInput,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}

impl Profile {
    /// The parts of the profile the compliance check reads.
    pub fn rules(&self) -> VoiceRules {
        let p = &self.input;
        VoiceRules {
            tone: p.tone.clone(),
            banned_terms: p.banned_terms.clone(),
            required_terms: p.required_terms.clone(),
            reading_grade: p.reading_grade,
            max_sentence_words: p.max_sentence_words,
            max_hashtags: None,
            preferred_length: p.preferred_length.clone(),
        }
    }

    /// The voice drafts are written in.
    pub fn voice(&self) -> Voice {
        let p = &self.input;
        Voice {
            name: p.name.clone(),
            tone: p.tone.clone(),
            do_list: p.do_list.clone(),
            dont_list: p.dont_list.clone(),
            banned_terms: p.banned_terms.clone(),
            required_terms: p.required_terms.clone(),
            reading_grade: p.reading_grade,
            preferred_words: p
                .preferred_length
                .iter()
                .map(|(c, r)| (c.as_str().to_string(), (r.min, r.max)))
                .collect(),
            examples: p.example_posts.clone(),
        }
    }
}

/// Why an input is refused: the field and what is wrong with it.
pub fn validate(input: &ProfileInput) -> Result<(), (String, String)> {
    let err = |f: &str, m: &str| Err((f.to_string(), m.to_string()));
    if input.name.trim().is_empty() || input.name.chars().count() > 200 {
        return err("name", "must be 1 to 200 characters");
    }
    let lists = [
        ("tone", &input.tone),
        ("do", &input.do_list),
        ("dont", &input.dont_list),
        ("banned_terms", &input.banned_terms),
        ("required_terms", &input.required_terms),
        ("example_posts", &input.example_posts),
    ];
    for (field, list) in lists {
        if list.len() > 100 {
            return err(field, "has more than 100 entries");
        }
        if list.iter().any(|s| s.trim().is_empty() || s.len() > 5000) {
            return err(field, "entries must be non-empty and at most 5000 bytes");
        }
    }
    if let Some(g) = input.reading_grade
        && !(1.0..=20.0).contains(&g)
    {
        return err("reading_grade", "must be between 1 and 20");
    }
    if let Some(n) = input.max_sentence_words
        && !(5..=100).contains(&n)
    {
        return err("max_sentence_words", "must be between 5 and 100");
    }
    for (channel, range) in &input.preferred_length {
        if range.min > range.max || range.max == 0 {
            return Err((
                format!("preferred_length.{}", channel.as_str()),
                "min must not exceed max, and max must be positive".into(),
            ));
        }
    }
    Ok(())
}

fn head_key(tenant: &str, id: &str) -> PortResult<Key> {
    Ok(Key::new(PROFILES.key([tenant])?, id))
}

fn version_key(tenant: &str, id: &str, version: u32) -> PortResult<Key> {
    Ok(Key::new(
        PROFILE_VERSIONS.key([tenant, id])?,
        format!("{version:06}"),
    ))
}

impl Content {
    pub async fn create_profile(
        &self,
        tenant: &str,
        author: &str,
        input: ProfileInput,
    ) -> PortResult<Profile> {
        let profile = Profile {
            id: self.ids.new_id(),
            version: 1,
            input,
            created_at: self.clock.now(),
            created_by: author.to_string(),
        };
        self.write_profile(tenant, &profile, Condition::NotExists)
            .await?;
        Ok(profile)
    }

    /// A new version of an existing profile; `None` when there is no such profile.
    pub async fn revise_profile(
        &self,
        tenant: &str,
        author: &str,
        id: &str,
        input: ProfileInput,
    ) -> PortResult<Option<Profile>> {
        let Some(current) = self.profile(tenant, id, None).await? else {
            return Ok(None);
        };
        let profile = Profile {
            id: id.to_string(),
            version: current.version + 1,
            input,
            created_at: self.clock.now(),
            created_by: author.to_string(),
        };
        let expected = Condition::Equals("version".into(), current.version.into());
        self.write_profile(tenant, &profile, expected).await?;
        Ok(Some(profile))
    }

    async fn write_profile(
        &self,
        tenant: &str,
        profile: &Profile,
        head: Condition,
    ) -> PortResult<()> {
        let attrs = attrs_of(profile)?;
        self.items
            .transact_write(vec![
                TxOp::Put(
                    Item::new(head_key(tenant, &profile.id)?, attrs.clone()),
                    head,
                ),
                TxOp::Put(
                    Item::new(version_key(tenant, &profile.id, profile.version)?, attrs),
                    Condition::NotExists,
                ),
            ])
            .await
            .map_err(|e| match e {
                PortError::TransactionCanceled { .. } => PortError::Conflict(
                    "the profile was changed meanwhile; read it again and retry".into(),
                ),
                other => other,
            })
    }

    /// The latest version, or the given one.
    pub async fn profile(
        &self,
        tenant: &str,
        id: &str,
        version: Option<u32>,
    ) -> PortResult<Option<Profile>> {
        // An id that cannot be a key segment names no profile.
        let Ok(key) = (match version {
            Some(v) => version_key(tenant, id, v),
            None => head_key(tenant, id),
        }) else {
            return Ok(None);
        };
        self.items.get(&key).await?.map(|i| i.parse()).transpose()
    }

    pub async fn profiles(&self, tenant: &str) -> PortResult<Vec<Profile>> {
        query_all(
            self.items.as_ref(),
            Query::partition(PROFILES.key([tenant])?),
        )
        .await?
        .iter()
        .map(Item::parse)
        .collect()
    }

    pub async fn profile_versions(&self, tenant: &str, id: &str) -> PortResult<Vec<Profile>> {
        let Ok(partition) = PROFILE_VERSIONS.key([tenant, id]) else {
            return Ok(Vec::new());
        };
        query_all(self.items.as_ref(), Query::partition(partition))
            .await?
            .iter()
            .map(Item::parse)
            .collect()
    }
}
