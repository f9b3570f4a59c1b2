//! What to write: the content brief, and its validation.

use crate::channel::Channel;
use crate::error::ComposeError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::schema::{Array, ArrayBuilder, Object, ObjectBuilder, Type};

const MAX_TOPIC_CHARS: usize = 500;
const MAX_KEYWORDS: usize = 20;
const MAX_KEYWORD_CHARS: usize = 100;
const MAX_PHRASE_CHARS: usize = 500;
const MAX_LINK_CHARS: usize = 2_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Brief {
    #[schema(schema_with = topic)]
    pub topic: String,
    #[serde(default)]
    pub audience: Option<String>,
    /// What the piece should achieve. A reader-facing goal ("cut cloud costs") is written into
    /// the draft; an internal one ("drive signups") only shapes it.
    #[serde(default)]
    pub goal: Option<String>,
    #[serde(default)]
    #[schema(schema_with = keywords)]
    pub keywords: Vec<String>,
    /// `blog`, `linkedin`, `x`, `newsletter`, `press_release`, `mastodon`, `medium`,
    /// `wordpress` or `webhook`: one draft each.
    #[schema(min_items = 1)]
    pub channels: Vec<String>,
    #[serde(default)]
    pub length: Option<Length>,
    #[serde(default)]
    pub call_to_action: Option<String>,
    #[serde(default)]
    pub link: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Length {
    Short,
    #[default]
    Medium,
    Long,
}

impl Length {
    pub fn as_str(self) -> &'static str {
        match self {
            Length::Short => "short",
            Length::Medium => "medium",
            Length::Long => "long",
        }
    }
}

/// The topic's schema, with the limits [`validate`] holds it to.
fn topic() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(MAX_TOPIC_CHARS))
        .build()
}

/// The keywords' schema, with the limit [`validate`] holds them to.
fn keywords() -> Array {
    ArrayBuilder::new()
        .items(ObjectBuilder::new().schema_type(Type::String))
        .max_items(Some(MAX_KEYWORDS))
        .build()
}

impl Brief {
    pub fn length_or_default(&self) -> Length {
        self.length.unwrap_or_default()
    }
}

/// Checks a brief before anything is written; the error names the field at fault.
pub fn validate(brief: &Brief) -> Result<(), ComposeError> {
    let topic = brief.topic.trim();
    if topic.is_empty() {
        return Err(invalid("topic", "must not be empty"));
    }
    if topic.chars().count() > MAX_TOPIC_CHARS {
        return Err(invalid(
            "topic",
            format!("must be at most {MAX_TOPIC_CHARS} characters"),
        ));
    }
    if brief.channels.is_empty() {
        return Err(invalid("channels", "name at least one channel"));
    }
    if brief.channels.len() > Channel::ALL.len() {
        return Err(invalid(
            "channels",
            format!("at most {} channels", Channel::ALL.len()),
        ));
    }
    let mut seen = Vec::with_capacity(brief.channels.len());
    for (i, name) in brief.channels.iter().enumerate() {
        let field = format!("channels[{i}]");
        let Some(channel) = Channel::parse(name) else {
            let known: Vec<&str> = Channel::ALL.iter().map(|c| c.as_str()).collect();
            return Err(invalid(
                &field,
                format!(
                    "unknown channel {name:?}; expected one of {}",
                    known.join(", ")
                ),
            ));
        };
        if seen.contains(&channel) {
            return Err(invalid(&field, format!("{name:?} is listed twice")));
        }
        seen.push(channel);
    }
    if brief.keywords.len() > MAX_KEYWORDS {
        return Err(invalid(
            "keywords",
            format!("at most {MAX_KEYWORDS} keywords"),
        ));
    }
    for (i, keyword) in brief.keywords.iter().enumerate() {
        let field = format!("keywords[{i}]");
        if keyword.trim().is_empty() {
            return Err(invalid(&field, "must not be empty"));
        }
        if keyword.chars().count() > MAX_KEYWORD_CHARS {
            return Err(invalid(
                &field,
                format!("must be at most {MAX_KEYWORD_CHARS} characters"),
            ));
        }
    }
    for (field, value) in [
        ("audience", &brief.audience),
        ("goal", &brief.goal),
        ("call_to_action", &brief.call_to_action),
    ] {
        if value
            .as_deref()
            .is_some_and(|v| v.chars().count() > MAX_PHRASE_CHARS)
        {
            return Err(invalid(
                field,
                format!("must be at most {MAX_PHRASE_CHARS} characters"),
            ));
        }
    }
    if let Some(link) = &brief.link {
        check_link(link)?;
    }
    Ok(())
}

fn check_link(link: &str) -> Result<(), ComposeError> {
    if link.len() > MAX_LINK_CHARS {
        return Err(invalid(
            "link",
            format!("must be at most {MAX_LINK_CHARS} characters"),
        ));
    }
    let parsed = url::Url::parse(link.trim())
        .map_err(|e| invalid("link", format!("not a valid URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid("link", "must be an http or https URL"));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(invalid("link", "must name a host"));
    }
    Ok(())
}

fn invalid(field: &str, message: impl Into<String>) -> ComposeError {
    ComposeError::Invalid {
        field: field.to_string(),
        message: message.into(),
    }
}
