//! Reading the brief's goal: whether it is the reader's own ("cut cloud costs"), which the
//! draft can name, or the marketer's ("drive signups"), which only shapes the call to action.

/// Verbs that start a goal the reader shares.
const READER_VERBS: &str = "reduce cut lower improve grow save build choose compare prepare avoid \
understand learn plan adopt scale secure protect speed automate measure launch hire keep find \
manage modernise modernize simplify streamline evaluate assess start strengthen retain meet \
comply stay migrate deliver ship design run spot detect prevent fix close win make get raise hit \
boost";

/// Words that mark a goal as the marketer's own, not the reader's.
const INTERNAL_WORDS: &str = "signup signups sign-ups leads awareness traffic engagement followers \
clicks downloads registrations conversions subscribers visibility brand pipeline mqls impressions \
reach";

/// What the goal asks the reader to do, for a CTA the brief did not spell out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Intent {
    Register,
    Download,
    Demo,
    Subscribe,
    Learn,
}

impl Intent {
    pub fn default_cta(self) -> &'static str {
        match self {
            Intent::Register => "Save your seat",
            Intent::Download => "Get the full guide",
            Intent::Demo => "Book a demo",
            Intent::Subscribe => "Subscribe for more",
            Intent::Learn => "Read more",
        }
    }
}

/// The goal as a verb phrase to write after "help you" or "if you want to", when it is the
/// reader's.
pub(super) fn reader_goal(goal: &str) -> Option<String> {
    let goal = goal.strip_prefix("to ").unwrap_or(goal).trim();
    let lower = goal.to_lowercase();
    let first = lower.split_whitespace().next()?;
    let internal = lower
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .any(|w| INTERNAL_WORDS.split_whitespace().any(|i| i == w));
    let shared = READER_VERBS.split_whitespace().any(|v| v == first);
    (shared && !internal).then(|| {
        let mut chars = goal.chars();
        chars
            .next()
            .map(|c| c.to_lowercase().chain(chars).collect())
            .unwrap_or_default()
    })
}

pub(super) fn intent(goal: &str) -> Intent {
    let lower = goal.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    if has(&[
        "sign up",
        "signup",
        "sign-up",
        "register",
        "registration",
        "webinar",
        "event",
        "attend",
        "rsvp",
    ]) {
        Intent::Register
    } else if has(&[
        "download",
        "guide",
        "ebook",
        "e-book",
        "whitepaper",
        "white paper",
        "report",
        "playbook",
    ]) {
        Intent::Download
    } else if has(&[
        "demo", "trial", "lead", "pipeline", "sales", "purchase", "convert",
    ]) {
        Intent::Demo
    } else if has(&["subscribe", "newsletter", "follow"]) {
        Intent::Subscribe
    } else {
        Intent::Learn
    }
}
