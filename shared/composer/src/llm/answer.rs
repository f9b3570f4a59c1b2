//! Reading the model's answer: the JSON object (inside a code fence or after a line of
//! preamble is fine), checked against the schema and the channel's limits. A problem comes
//! back as a sentence the repair turn shows the model.

use crate::channel::Channel;
use crate::weight::{X_LIMIT, mastodon_len, x_weighted_len};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Answer {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub thread: Vec<String>,
}

pub(super) fn parse(text: &str, channel: Channel) -> Result<Answer, String> {
    let json = json_object(text).ok_or_else(|| {
        format!(
            "no JSON object in the answer (it began {:?})",
            text.chars().take(60).collect::<String>()
        )
    })?;
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let mut answer: Answer = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|e| format!("at `{}`: {}", e.path(), e.inner()))?;
    answer.title = answer
        .title
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    answer.body = answer.body.trim().to_string();
    answer.thread = answer
        .thread
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    check(&answer, channel)?;
    Ok(answer)
}

fn check(answer: &Answer, channel: Channel) -> Result<(), String> {
    if channel == Channel::X {
        if answer.thread.is_empty() {
            return Err("at `thread`: an X draft needs at least one post".to_string());
        }
        for (i, part) in answer.thread.iter().enumerate() {
            let weight = x_weighted_len(part);
            if weight > X_LIMIT {
                return Err(format!(
                    "at `thread[{i}]`: {weight} weighted characters; each post may have at most \
{X_LIMIT} (links count 23, CJK characters and emoji 2)"
                ));
            }
        }
        return Ok(());
    }
    if answer.body.is_empty() {
        return Err("at `body`: empty".to_string());
    }
    if let Some(limit) = channel.char_limit() {
        let length = if channel == Channel::Mastodon {
            mastodon_len(&answer.body)
        } else {
            answer.body.chars().count()
        };
        if length > limit {
            return Err(format!(
                "at `body`: {length} characters; the {} limit is {limit}",
                channel.as_str()
            ));
        }
    }
    Ok(())
}

/// The JSON object in an answer: from the first `{` to the last `}`.
fn json_object(text: &str) -> Option<&str> {
    let start = text.find('{')?;
    let end = text.rfind('}')?;
    (end > start).then(|| &text[start..=end])
}
