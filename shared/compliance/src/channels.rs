//! Publishing channels and the limits each puts on a post.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::weight;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Blog,
    Linkedin,
    X,
    Newsletter,
    PressRelease,
    Mastodon,
    Medium,
    Wordpress,
    Webhook,
}

impl Channel {
    pub const ALL: [Channel; 9] = [
        Channel::Blog,
        Channel::Linkedin,
        Channel::X,
        Channel::Newsletter,
        Channel::PressRelease,
        Channel::Mastodon,
        Channel::Medium,
        Channel::Wordpress,
        Channel::Webhook,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Blog => "blog",
            Channel::Linkedin => "linkedin",
            Channel::X => "x",
            Channel::Newsletter => "newsletter",
            Channel::PressRelease => "press_release",
            Channel::Mastodon => "mastodon",
            Channel::Medium => "medium",
            Channel::Wordpress => "wordpress",
            Channel::Webhook => "webhook",
        }
    }

    /// The name people know the channel by, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Channel::Blog => "Blog",
            Channel::Linkedin => "LinkedIn",
            Channel::X => "X",
            Channel::Newsletter => "Newsletter",
            Channel::PressRelease => "Press release",
            Channel::Mastodon => "Mastodon",
            Channel::Medium => "Medium",
            Channel::Wordpress => "WordPress",
            Channel::Webhook => "Webhook",
        }
    }

    /// The platform's length limit and default hashtag maximum; `None` where the platform
    /// sets neither (long-form channels).
    pub fn limit(self) -> Option<ChannelLimit> {
        match self {
            Channel::X => Some(ChannelLimit {
                max_length: 280,
                measure: Measure::XWeighted,
                max_hashtags: Some(2),
            }),
            Channel::Linkedin => Some(ChannelLimit {
                max_length: 3000,
                measure: Measure::Characters,
                max_hashtags: Some(5),
            }),
            Channel::Mastodon => Some(ChannelLimit {
                max_length: 500,
                measure: Measure::CharactersShortUrls,
                max_hashtags: Some(5),
            }),
            _ => None,
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownChannel(pub String);

impl fmt::Display for UnknownChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown channel {:?}", self.0)
    }
}

impl std::error::Error for UnknownChannel {}

impl FromStr for Channel {
    type Err = UnknownChannel;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Channel::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownChannel(s.to_owned()))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct ChannelLimit {
    /// Longest post, in `measure` units.
    pub max_length: usize,
    pub measure: Measure,
    /// Hashtags allowed when the profile sets no maximum.
    pub max_hashtags: Option<u32>,
}

/// How a platform counts a post's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// twitter-text v3 weights: see [`crate::x_weighted_length`].
    XWeighted,
    /// Unicode characters.
    Characters,
    /// Characters, with every URL counted as 23 and an emoji sequence as one (Mastodon).
    CharactersShortUrls,
}

impl Measure {
    pub fn length(self, text: &str) -> usize {
        weight::length(self, text, &crate::urls::find(text))
    }
}
