//! The channels a plan can target and the days and times used when a cadence leaves them out.
//!
//! The defaults follow the usual scheduling advice the Buffer/Hootsuite calendars build on:
//! professional networks on mid-week mornings, X around lunch and the commute home, long-form
//! on Tuesday/Thursday mornings, one newsletter early on a Tuesday, press releases mid-week.

use chrono::NaiveTime;
use chrono::Weekday::{self, Fri, Mon, Thu, Tue, Wed};

/// A channel's id, its name in slot titles, and its default posting days and local times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChannelDefaults {
    pub channel: &'static str,
    pub label: &'static str,
    pub days: &'static [Weekday],
    pub times: &'static [NaiveTime],
}

/// Builds the default times at compile time, so a typo in the table fails the build.
const fn hm(hour: u32, minute: u32) -> NaiveTime {
    match NaiveTime::from_hms_opt(hour, minute, 0) {
        Some(time) => time,
        None => panic!("channel default time out of range"),
    }
}

const WEEKDAYS: &[Weekday] = &[Mon, Tue, Wed, Thu, Fri];
const MIDWEEK: &[Weekday] = &[Tue, Wed, Thu];
const TUE_THU: &[Weekday] = &[Tue, Thu];

/// Every channel a cadence may name, in the order the planner reports them.
pub const CHANNELS: &[ChannelDefaults] = &[
    ChannelDefaults {
        channel: "x",
        label: "X",
        days: WEEKDAYS,
        times: &[hm(12, 0), hm(17, 0)],
    },
    ChannelDefaults {
        channel: "linkedin",
        label: "LinkedIn",
        days: MIDWEEK,
        times: &[hm(9, 0)],
    },
    ChannelDefaults {
        channel: "blog",
        label: "Blog",
        days: TUE_THU,
        times: &[hm(10, 0)],
    },
    ChannelDefaults {
        channel: "newsletter",
        label: "Newsletter",
        days: &[Tue],
        times: &[hm(8, 0)],
    },
    ChannelDefaults {
        channel: "mastodon",
        label: "Mastodon",
        days: WEEKDAYS,
        times: &[hm(10, 0), hm(16, 0)],
    },
    // Medium and WordPress usually carry cross-posts of the blog: an hour after it, so the
    // canonical post is out first.
    ChannelDefaults {
        channel: "medium",
        label: "Medium",
        days: TUE_THU,
        times: &[hm(11, 0)],
    },
    ChannelDefaults {
        channel: "wordpress",
        label: "WordPress",
        days: TUE_THU,
        times: &[hm(11, 0)],
    },
    ChannelDefaults {
        channel: "webhook",
        label: "Webhook",
        days: WEEKDAYS,
        times: &[hm(9, 0)],
    },
    // Off the top of the hour, when wire services are busiest.
    ChannelDefaults {
        channel: "press_release",
        label: "Press release",
        days: MIDWEEK,
        times: &[hm(10, 30)],
    },
];

/// The defaults of a channel id, compared without regard to case or surrounding spaces.
pub fn channel_defaults(channel: &str) -> Option<&'static ChannelDefaults> {
    let wanted = channel.trim();
    CHANNELS
        .iter()
        .find(|defaults| defaults.channel.eq_ignore_ascii_case(wanted))
}
