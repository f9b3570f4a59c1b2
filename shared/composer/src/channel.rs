//! The channels a brief can ask for, with each one's format and limits. Both writers read
//! them: the built-in composer to shape its drafts, the prompt to tell the model.

use crate::brief::Length;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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

/// The shape a channel's draft takes; several channels share one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    /// Long-form Markdown article with a title and `##` sections.
    Article,
    /// Plain-text social post with bullets and hashtags.
    Post,
    /// A numbered thread of short posts.
    Thread,
    /// A section of an email newsletter.
    Newsletter,
    PressRelease,
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

    /// The channel a brief names, matched case-insensitively (`"LinkedIn"` is `linkedin`).
    pub fn parse(name: &str) -> Option<Channel> {
        let name = name.trim();
        Self::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(name))
    }

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

    pub(crate) fn family(self) -> Family {
        match self {
            Channel::Blog | Channel::Medium | Channel::Wordpress => Family::Article,
            Channel::Linkedin | Channel::Mastodon | Channel::Webhook => Family::Post,
            Channel::X => Family::Thread,
            Channel::Newsletter => Family::Newsletter,
            Channel::PressRelease => Family::PressRelease,
        }
    }

    /// The most characters the whole body may hold, where the channel has a hard limit.
    /// X's limit is per post and weighted, see [`crate::x_weighted_len`].
    pub fn char_limit(self) -> Option<usize> {
        match self {
            Channel::Linkedin => Some(3_000),
            Channel::Mastodon => Some(500),
            _ => None,
        }
    }

    /// Words a draft of this length usually runs to, as (min, max).
    pub(crate) fn default_words(self, length: Length) -> (u32, u32) {
        let [short, medium, long] = match self.family() {
            Family::Article => [(300, 600), (600, 1_000), (1_000, 1_600)],
            Family::Post if self == Channel::Mastodon => [(30, 60), (40, 70), (50, 80)],
            Family::Post => [(50, 120), (120, 220), (220, 400)],
            Family::Thread => [(40, 120), (100, 250), (200, 450)],
            Family::Newsletter => [(60, 120), (120, 220), (200, 350)],
            Family::PressRelease => [(250, 400), (400, 600), (600, 800)],
        };
        match length {
            Length::Short => short,
            Length::Medium => medium,
            Length::Long => long,
        }
    }

    /// How many facts the built-in composer uses at each length. A preferred word count
    /// lowers it further: `overhead` words go to the frame (hook, intro, CTA) and each fact
    /// costs about `per_fact` words.
    pub(crate) fn fact_budget(self, length: Length, max_words: Option<u32>) -> usize {
        let ([short, medium, long], overhead, per_fact) = match self.family() {
            Family::Article => ([3, 6, 9], 150, 40),
            Family::Post if self == Channel::Mastodon => ([1, 2, 2], 25, 30),
            Family::Post => ([2, 3, 5], 50, 30),
            Family::Thread => ([2, 4, 6], 30, 30),
            Family::Newsletter => ([2, 3, 5], 40, 28),
            Family::PressRelease => ([2, 3, 5], 150, 40),
        };
        let by_length = match length {
            Length::Short => short,
            Length::Medium => medium,
            Length::Long => long,
        };
        match max_words {
            Some(max) => by_length.min((max.saturating_sub(overhead) / per_fact).max(1) as usize),
            None => by_length,
        }
    }

    /// The format the model is asked to write in.
    pub(crate) fn format(self) -> &'static str {
        match self {
            Channel::Blog | Channel::Medium | Channel::Wordpress => {
                "A blog article in Markdown. `title`: a specific, keyword-bearing headline (no Markdown). \
`body`: an intro paragraph that speaks to the audience and goal, 2-4 sections with `##` headings, \
a short conclusion, then the call to action with the link as a Markdown link. Do not repeat the title in the body. \
`thread`: []."
            }
            Channel::Linkedin | Channel::Webhook => {
                "A LinkedIn post in plain text (no Markdown headings or bold). `title`: null. `body`: a one-line hook, \
2-4 short paragraphs or a bullet list (use •), the call to action with the link, then 3-5 hashtags on the last line. \
At most 3,000 characters. `thread`: []."
            }
            Channel::Mastodon => {
                "A Mastodon post in plain text. `title`: null. `body`: a hook, one or two key points, the call to action \
with the link, and 2-3 hashtags. At most 500 characters, counting every link as 23. `thread`: []."
            }
            Channel::X => {
                "An X (Twitter) thread. `title`: null. `thread`: the posts in order, each starting with its number as \
\"1/n \"; a hook post first, one post per key point, and a last post with the call to action and the link. Each post \
at most 280 characters, where every link counts as 23 and CJK characters and emoji count as 2. At most 2 hashtags \
in the whole thread. `body`: \"\"."
            }
            Channel::Newsletter => {
                "A section of an email newsletter in Markdown. `title`: the section heading. `body`: the heading as \
`## ...`, a short lead of one or two sentences, 2-5 bullets, and a \"Read more\" Markdown link to the link. \
`thread`: []."
            }
            Channel::PressRelease => {
                "A press release in Markdown. `title`: the headline. `body`: the headline as `# ...`, then a lead \
paragraph starting with the dateline placeholder \"CITY — DATE — \" that says who, what and why, supporting paragraphs, \
an \"About\" paragraph for the brand, the required terms, and the end mark \"###\" on its own line. Do not invent \
quotes. `thread`: []."
            }
        }
    }

    /// Room for the model's answer: the draft plus its JSON wrapping.
    pub(crate) fn max_tokens(self) -> u32 {
        match self.family() {
            Family::Article => 3_000,
            Family::PressRelease => 2_000,
            Family::Thread => 1_500,
            Family::Newsletter => 1_000,
            Family::Post if self == Channel::Mastodon => 600,
            Family::Post => 1_400,
        }
    }
}
