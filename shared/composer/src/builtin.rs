//! The built-in composer: drafts without a model, built per channel from the tone's phrase
//! tables, the brief, and the facts worth quoting. Deterministic: the same brief, voice and
//! facts give the same drafts.

mod article;
mod goal;
mod newsletter;
mod phrases;
mod plan;
mod post;
mod press_release;
mod thread;

use crate::banned::remove_banned;
use crate::brief::Brief;
use crate::channel::{Channel, Family};
use crate::cite;
use crate::draft::Draft;
use crate::fact::Fact;
use crate::text::limit_exclamations;
use crate::voice::Voice;
use crate::{BUILTIN_PROVIDER, BUILTIN_TEMPLATE_VERSION};
use plan::Plan;

/// One channel's draft before the final checks.
struct Composed {
    title: Option<String>,
    body: String,
    thread: Vec<String>,
}

/// One draft per channel of the brief, in the brief's order. The brief is not validated
/// here (see [`crate::validate`]); a channel name it does not know gets the generic
/// plain-text post that webhooks get.
pub fn compose_builtin(brief: &Brief, voice: &Voice, facts: &[Fact]) -> Vec<Draft> {
    let plan = Plan::new(brief, voice, facts);
    brief
        .channels
        .iter()
        .map(|name| {
            let channel = Channel::parse(name);
            let composed = match channel.unwrap_or(Channel::Webhook) {
                c if c.family() == Family::Article => article::compose(&plan, c),
                c if c.family() == Family::Post => post::compose(&plan, c),
                Channel::X => thread::compose(&plan),
                Channel::Newsletter => newsletter::compose(&plan),
                _ => press_release::compose(&plan),
            };
            let name = channel.map_or_else(|| name.trim().to_string(), |c| c.as_str().to_string());
            finish(&plan, name, composed, facts)
        })
        .collect()
}

/// The checks every draft passes last: no banned term slipped in through a phrase, the
/// exclamation marks within the voice's allowance, and the sources read from the citations.
fn finish(plan: &Plan, channel: String, composed: Composed, facts: &[Fact]) -> Draft {
    let guard = |text: &str| {
        let (clean, removals) = remove_banned(text, plan.voice);
        for removal in removals {
            tracing::warn!(
                channel,
                term = removal.term,
                action = removal.action,
                "banned term in a built-in draft"
            );
        }
        clean
    };
    let mut allowance = plan.style.exclamations;
    let mut limit = |text: String| {
        let limited = limit_exclamations(&text, allowance);
        allowance = allowance.saturating_sub(limited.matches('!').count());
        limited
    };
    let title = composed.title.map(|t| limit(plan.voice.scrub(&t)));
    let thread: Vec<String> = composed
        .thread
        .iter()
        .map(|part| limit(guard(part)))
        .filter(|part| !part.is_empty())
        .collect();
    let body = if thread.is_empty() {
        limit(guard(&composed.body))
    } else {
        thread.join("\n\n")
    };
    let sources = cite::sources(
        title.iter().map(String::as_str).chain([body.as_str()]),
        facts,
    );
    Draft {
        channel,
        title,
        body,
        thread,
        provider: BUILTIN_PROVIDER.to_string(),
        prompt_version: BUILTIN_TEMPLATE_VERSION.to_string(),
        sources,
    }
}
