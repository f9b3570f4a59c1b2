//! A realistic brief, voice and facts the tests vary.

use crate::{Brief, Fact, Length, Voice};

pub fn brief(channels: &[&str]) -> Brief {
    Brief {
        topic: "Zero-trust security for regional banks".to_string(),
        audience: Some("IT leaders at regional banks".to_string()),
        goal: Some("reduce breach risk without slowing teams down".to_string()),
        keywords: vec![
            "zero trust".to_string(),
            "bank security".to_string(),
            "identity".to_string(),
        ],
        channels: channels.iter().map(|c| c.to_string()).collect(),
        length: Some(Length::Medium),
        call_to_action: Some("Download the playbook".to_string()),
        link: Some("https://example.com/zero-trust-playbook".to_string()),
    }
}

pub fn voice() -> Voice {
    Voice {
        name: "Northwind Security".to_string(),
        tone: vec!["confident".to_string(), "clear".to_string()],
        do_list: vec!["Lead with evidence".to_string()],
        dont_list: vec!["Overpromise".to_string()],
        banned_terms: vec!["game-changer".to_string(), "synergy".to_string()],
        required_terms: vec!["Past results do not guarantee future outcomes.".to_string()],
        reading_grade: Some(9.0),
        preferred_words: Default::default(),
        examples: vec!["Identity is the new perimeter. Start there.".to_string()],
    }
}

pub fn fact(n: usize, text: &str, title: &str) -> Fact {
    Fact {
        n,
        text: text.to_string(),
        title: title.to_string(),
        document_id: format!("doc-{n}"),
        chunk_id: format!("doc-{n}#0"),
    }
}

pub fn facts() -> Vec<Fact> {
    vec![
        fact(
            1,
            "Threat overview. Regional banks saw a 38% rise in credential-stuffing attacks in 2023, \
             most of them aimed at online banking logins. The report covers 212 institutions.",
            "FS-ISAC Threat Report 2024",
        ),
        fact(
            2,
            "Organisations with mature zero-trust programmes cut the average cost of a breach by \
             $1.76 million compared with those without one [14].",
            "IBM Cost of a Data Breach 2023",
        ),
        fact(
            3,
            "## Where to start\nMost zero-trust rollouts start with identity: multi-factor \
             authentication and least-privilege access for every user and service.",
            "NIST SP 800-207",
        ),
        fact(
            4,
            "Banks that segmented their networks contained incidents 40% faster than banks that did not.",
            "ffiec_guidance_2023.pdf",
        ),
    ]
}

pub const ALL_CHANNELS: [&str; 9] = [
    "blog",
    "linkedin",
    "x",
    "newsletter",
    "press_release",
    "mastodon",
    "medium",
    "wordpress",
    "webhook",
];

/// The built-in draft for one channel.
pub fn builtin(channel: &str, brief: &Brief, voice: &Voice, facts: &[Fact]) -> crate::Draft {
    let mut brief = brief.clone();
    brief.channels = vec![channel.to_string()];
    let mut drafts = crate::compose_builtin(&brief, voice, facts);
    assert_eq!(drafts.len(), 1);
    drafts.remove(0)
}

/// Every string a draft shows a reader: the title and the body (which holds an X thread's
/// posts too).
pub fn all_text(draft: &crate::Draft) -> String {
    if !draft.thread.is_empty() {
        assert_eq!(draft.body, draft.thread.join("\n\n"));
    }
    format!(
        "{}\n{}",
        draft.title.clone().unwrap_or_default(),
        draft.body
    )
}

/// The `##` headings of a Markdown body.
pub fn headings(body: &str) -> Vec<&str> {
    body.lines().filter_map(|l| l.strip_prefix("## ")).collect()
}

/// Words in `text` that are contractions ("don't", "it's", "we're").
pub fn contractions(text: &str) -> Vec<String> {
    const WHOLE: &[&str] = &[
        "it's", "let's", "that's", "here's", "there's", "what's", "who's", "where's", "he's",
        "she's", "how's", "i'm", "y'all",
    ];
    text.split(|c: char| !(c.is_alphabetic() || c == '\'' || c == '’'))
        .map(|w| w.to_lowercase().replace('’', "'"))
        .filter(|w| {
            WHOLE.contains(&w.as_str())
                || ["n't", "'re", "'ve", "'ll", "'d"]
                    .iter()
                    .any(|s| w.ends_with(s))
        })
        .collect()
}
