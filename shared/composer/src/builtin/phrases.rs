//! The built-in composer's phrase tables, one per tone. Slots: `{subject}`, `{audience}`,
//! `{goal}`, `{count}` (a number word), `{name}` (the voice's name) and `{down}` (a pointing
//! emoji where the voice allows emoji, else a full stop); a capitalised slot (`{Subject}`)
//! capitalises its value. A phrase starting with `@` is about evidence and is only used when
//! the draft quotes facts. A phrase whose slots cannot be filled is skipped, so every table
//! keeps at least one phrase with no optional slot.
//!
//! Formal phrases use no contractions and no exclamation marks; friendly ones speak to the
//! reader and hold the draft's one exclamation mark (in `cta_lead`); confident ones are short
//! and declarative.

use crate::voice::Tone;

pub(super) struct Phrases {
    /// The blog's opening sentence.
    pub intro: &'static [&'static str],
    /// The blog intro's second sentence, naming the reader's goal.
    pub intro_goal: &'static [&'static str],
    /// The blog intro's second sentence without a goal.
    pub intro_plain: &'static [&'static str],
    /// Closes a blog section: what its facts mean for the reader.
    pub bridge: &'static [&'static str],
    pub conclusion_heading: &'static [&'static str],
    pub conclusion: &'static [&'static str],
    pub conclusion_goal: &'static [&'static str],
    /// Opens a social post when no statistic can lead.
    pub hook: &'static [&'static str],
    /// Follows a statistic that opened a post, leading into the other facts.
    pub stat_lead: &'static [&'static str],
    /// Leads into a list after a hook.
    pub list_lead: &'static [&'static str],
    /// The closing thought of a social post.
    pub takeaway: &'static [&'static str],
    /// Comes before the call to action.
    pub cta_lead: &'static [&'static str],
    pub thread_hook: &'static [&'static str],
    pub newsletter_lead: &'static [&'static str],
    /// The press release's headline verb, in title case.
    pub press_verb: &'static [&'static str],
    /// The press release's first sentence, after the dateline.
    pub press_lead: &'static [&'static str],
    pub press_why: &'static [&'static str],
    pub about: &'static [&'static str],
}

pub(super) fn for_tone(tone: Tone) -> &'static Phrases {
    match tone {
        Tone::Neutral => &NEUTRAL,
        Tone::Formal => &FORMAL,
        Tone::Friendly => &FRIENDLY,
        Tone::Confident => &CONFIDENT,
    }
}

static NEUTRAL: Phrases = Phrases {
    intro: &[
        "For {audience}, {subject} has moved from a side topic to a practical question.",
        "{Subject} comes up in more and more conversations among {audience}.",
        "If you work on {subject}, the details matter more than the headlines.",
    ],
    intro_goal: &[
        "@This post looks at what the evidence says, and what it means if you want to {goal}.",
        "Below is a short guide to where to start if you want to {goal}.",
    ],
    intro_plain: &[
        "@This post looks at what the evidence says and what it means in practice.",
        "Below is a short guide to where to start and what to watch.",
    ],
    bridge: &[
        "For {audience}, that is a useful reference point when setting priorities.",
        "Keep that in mind when you weigh the options.",
        "It is a reminder that {short} works best with a clear plan.",
        "That context matters when you plan the months ahead.",
    ],
    conclusion_heading: &["The bottom line", "Key takeaways"],
    conclusion: &[
        "{Short} rewards a steady, evidence-led approach. Start with the points above and revisit them as your plans take shape.",
        "None of this has to happen at once. Pick the point above that matters most to you, and start there.",
    ],
    conclusion_goal: &["If your aim is to {goal}, these are the places to begin."],
    hook: &[
        "{Count} things worth knowing about {subject}.",
        "A quick look at {subject}, for {audience}.",
        "@What does the evidence say about {subject}?",
    ],
    stat_lead: &[
        "That is one of several numbers {audience} should know about {subject}:",
        "It is not the only data point worth a look:",
    ],
    list_lead: &["Here is what stands out:", "A few points stand out:"],
    takeaway: &[
        "If you want to {goal}, start with these points and build from there.",
        "Worth keeping in mind as you plan your next step.",
    ],
    cta_lead: &[""],
    thread_hook: &[
        "A short thread on {subject} for {audience}{down}",
        "{Subject}, in {count} posts{down}",
    ],
    newsletter_lead: &[
        "Here is a quick briefing on {subject} for {audience}.",
        "A short round-up on {subject}, and why it matters for {audience}.",
    ],
    press_verb: &["Shares New Insights on", "Publishes Guidance on"],
    press_lead: &["{name} today published new guidance for {audience} on {subject}."],
    press_why: &["The guidance is designed to help them {goal}."],
    about: &["{name} works with {audience} on {short}."],
};

static FORMAL: Phrases = Phrases {
    intro: &[
        "Interest in {subject} among {audience} continues to grow.",
        "{Subject} has become a strategic consideration for {audience}.",
    ],
    intro_goal: &[
        "@This article reviews the available evidence and its implications for organisations that seek to {goal}.",
        "This article sets out the principal considerations for organisations that seek to {goal}.",
    ],
    intro_plain: &[
        "@This article reviews the available evidence and its practical implications.",
        "This article sets out the principal considerations and a practical starting point.",
    ],
    bridge: &[
        "This finding merits attention from {audience}.",
        "These figures provide a sound basis for planning.",
        "Decisions on {short} should take this evidence into account.",
        "This context should inform the next planning cycle.",
    ],
    conclusion_heading: &["Conclusion"],
    conclusion: &[
        "The points summarised above offer {audience} a sound basis for decisions on {short}.",
        "Taken together, these points indicate where attention and investment are best directed.",
    ],
    conclusion_goal: &["Organisations that seek to {goal} may find them a useful starting point."],
    hook: &[
        "{Count} observations on {subject} for {audience}.",
        "@A brief summary of recent evidence on {subject}.",
        "Several considerations on {subject} for {audience}.",
    ],
    stat_lead: &[
        "This is one of several findings relevant to {audience}:",
        "Further evidence on {subject} includes the following:",
    ],
    list_lead: &["The principal points are as follows:"],
    takeaway: &[
        "Organisations that seek to {goal} should consider these points carefully.",
        "These points merit careful consideration.",
    ],
    cta_lead: &[""],
    thread_hook: &[
        "A brief thread on {subject} for {audience}.",
        "@{Subject}: a summary of the evidence.",
    ],
    newsletter_lead: &[
        "A brief summary of recent developments in {subject}, prepared for {audience}.",
    ],
    press_verb: &["Publishes Analysis of"],
    press_lead: &["{name} today published an analysis of {subject}, prepared for {audience}."],
    press_why: &["The analysis is intended to help them {goal}."],
    about: &["{name} advises {audience} on {short}."],
};

static FRIENDLY: Phrases = Phrases {
    intro: &[
        "Let's talk about {subject}.",
        "If {subject} is on your list this year, you're in good company.",
    ],
    intro_goal: &[
        "@Here's what the evidence says, and how it can help you {goal}.",
        "Here's a simple way to think about it if you want to {goal}.",
    ],
    intro_plain: &[
        "@Here's what the evidence says, in plain terms.",
        "Here's a simple way to think about it, and where to start.",
    ],
    bridge: &[
        "So what does that mean for you? It's a good prompt to check where you stand.",
        "If that sounds familiar, you're not alone.",
        "Worth keeping in mind as you plan your next move.",
        "That's a handy benchmark when you talk it through with your team.",
    ],
    conclusion_heading: &["Wrapping up"],
    conclusion: &[
        "{Short} doesn't have to be complicated. Start small, use the points above as your checklist, and build from there.",
        "You don't need to tackle everything at once. Pick one idea from this post and try it this week.",
    ],
    conclusion_goal: &["Want to {goal}? These points are a great place to start."],
    hook: &[
        "Let's talk about {subject}.",
        "Quick question: how much do you know about {subject}?",
        "{Count} things you'll want to know about {subject}.",
    ],
    stat_lead: &[
        "And that's just one of the numbers worth knowing:",
        "Here's what else stood out:",
    ],
    list_lead: &["@Here's what stood out:", "A few things worth knowing:"],
    takeaway: &[
        "Want to {goal}? Start with these and build from there.",
        "@Which of these surprised you most?",
    ],
    cta_lead: &["Ready when you are!", "Want to dig in? You've got this!"],
    thread_hook: &[
        "Let's talk about {subject}{down}",
        "Got a minute? Here's {subject}, in {count} posts{down}",
    ],
    newsletter_lead: &[
        "Got two minutes? Here's the short version on {subject}.",
        "Here's your quick catch-up on {subject}.",
    ],
    press_verb: &["Shares Practical Guidance on"],
    press_lead: &["{name} today shared practical guidance for {audience} on {subject}."],
    press_why: &["The guidance is designed to help them {goal}."],
    about: &["{name} helps {audience} make sense of {short}."],
};

static CONFIDENT: Phrases = Phrases {
    intro: &[
        "{Subject} belongs on the agenda for {audience}.",
        "{Subject} is a decision, not a trend.",
    ],
    intro_goal: &[
        "@Here is what the evidence shows, and how to use it to {goal}.",
        "Here is how to {goal}, and where to start.",
    ],
    intro_plain: &[
        "@Here is what the evidence shows, and what to do about it.",
        "Here is where to start, and what to get right.",
    ],
    bridge: &[
        "That is the baseline to plan against.",
        "The lesson is simple: act on the evidence.",
        "This is where the work starts.",
        "Plan around it.",
    ],
    conclusion_heading: &["What to do next"],
    conclusion: &[
        "The direction is clear enough to act on. Set priorities for {short} now, and measure what changes.",
        "Start with the point above that affects you most. Then move to the next.",
    ],
    conclusion_goal: &["To {goal}, start here."],
    hook: &[
        "{Subject}: here is what matters.",
        "@{Count} facts that should shape your plans for {subject}.",
    ],
    stat_lead: &[
        "That number alone should shape your plans. It is not the only one:",
        "And it is not the only signal:",
    ],
    list_lead: &["The essentials:", "Where to focus:"],
    takeaway: &[
        "To {goal}, start here.",
        "Act on these, and measure what changes.",
    ],
    cta_lead: &[""],
    thread_hook: &[
        "{Subject}: what matters, in {count} posts.",
        "{Subject}: the essentials for {audience}.",
    ],
    newsletter_lead: &["{Subject}, in brief: the points that matter."],
    press_verb: &["Sets Out Guidance on"],
    press_lead: &["{name} today set out clear guidance for {audience} on {subject}."],
    press_why: &["The guidance shows them how to {goal}."],
    about: &["{name} works with {audience} on {short}."],
};

/// Practical points for drafts without facts, one per keyword; declarative and free of
/// contractions so they suit every tone. `{kw}` is the keyword.
pub(super) const ADVICE: &[&str] = &[
    "Be clear about what {kw} should change, and for whom.",
    "Set a baseline for {kw} before changing anything, so progress is visible.",
    "Pilot {kw} with one team and one measurable goal.",
    "Make {kw} part of planning, not an afterthought.",
    "Review {kw} on a fixed rhythm and adjust when the results call for it.",
];

/// Blog sections for drafts without facts: (heading, text), one per keyword.
pub(super) const SECTIONS: &[(&str, &str)] = &[
    (
        "Why {kw} matters",
        "For {audience}, {kw} touches budgets, priorities and day-to-day work. Be clear about the outcome you want before choosing tools or tactics.",
    ),
    (
        "Getting {kw} right",
        "Progress on {kw} comes from a few deliberate choices. Decide what good looks like, then measure against it.",
    ),
    (
        "Where to start with {kw}",
        "Start small: one team, one goal, one measure. Expand once the results are clear.",
    ),
    (
        "Measuring {kw}",
        "Track a handful of measures for {kw} and review them on a fixed rhythm. Adjust when the numbers call for it.",
    ),
];
