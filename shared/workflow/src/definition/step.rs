//! Steps and their kinds.

use super::{Catch, Condition, Retry};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;
use utoipa::ToSchema;

/// One step: an id (the Step Functions state name, and the key of its output under
/// `$.steps`) and what it does, tagged by `type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Step {
    pub id: String,
    #[serde(flatten)]
    pub kind: StepKind,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StepKind {
    Tool(Tool),
    Parallel(Parallel),
    Map(Map),
    Choice(Choice),
    Wait(Wait),
    Approval(Approval),
    Succeed(Succeed),
    Fail(Fail),
}

/// Calls one of the platform's [`TOOLS`](crate::TOOLS) through the agent-step Lambda.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    pub tool: String,
    /// Input template: strings starting with `$.` are paths into the context, resolved
    /// when the step runs (see [`resolve`](crate::resolve)); absent means `{}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry: Option<Retry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catch: Option<Catch>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// Runs every branch at once; its output holds the outputs of the steps run in the branches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Parallel {
    #[schema(no_recursion)]
    pub branches: Vec<Vec<Step>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry: Option<Retry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catch: Option<Catch>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// Runs `steps` once per element of the list at `items`, the element being `$.item`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Map {
    /// Path to the list.
    pub items: String,
    /// At most this many iterations at once; no limit when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_concurrency: Option<u32>,
    #[schema(no_recursion)]
    pub steps: Vec<Step>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry: Option<Retry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catch: Option<Catch>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// Goes to the `next` of the first rule whose condition holds, else to `default`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub choices: Vec<ChoiceRule>,
    /// Without it, a run where no rule holds fails with `States.NoChoiceMatched`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChoiceRule {
    pub when: Condition,
    pub next: String,
}

/// Pauses for `seconds` or until the time `until` (exactly one of them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Wait {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds: Option<Seconds>,
    /// An RFC 3339 time (`2030-01-01T09:00:00Z`) or a path to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// A number of seconds, written as a number or as a path to one.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(untagged)]
pub enum Seconds {
    Fixed(u64),
    Path(String),
}

/// Hand-written so a wrong value gets a plain message instead of serde's "did not match any
/// variant of untagged enum".
impl<'de> Deserialize<'de> for Seconds {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SecondsVisitor;
        impl Visitor<'_> for SecondsVisitor {
            type Value = Seconds;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a whole number of seconds or a JSONPath string")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Seconds, E> {
                Ok(Seconds::Fixed(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Seconds, E> {
                Ok(Seconds::Path(v.to_owned()))
            }
        }
        deserializer.deserialize_any(SecondsVisitor)
    }
}

/// Asks a person to approve, reject or answer; see the crate docs for how the decision
/// comes back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    pub prompt: String,
    /// What the person is shown beside the prompt: a template like a tool's input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<Value>,
    /// Without a decision by then the step fails with `States.Timeout`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catch: Option<Catch>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// Ends the workflow successfully (or, inside a branch or map, that branch or iteration).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Succeed {}

/// Ends the workflow as failed with this error name and cause.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Fail {
    pub error: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

/// Where a step goes once it has finished.
pub enum After<'a> {
    /// An explicit `next` (a step id or [`END`](super::END)).
    Next(&'a str),
    /// `next` omitted: the following step in the list, or the end of the list.
    Following,
    /// A choice: its rules and default say.
    Decides,
    /// Succeed and fail end the run.
    Stops,
}

impl StepKind {
    /// Where the step goes when it finishes.
    pub fn after(&self) -> After<'_> {
        let next = match self {
            StepKind::Tool(s) => &s.next,
            StepKind::Parallel(s) => &s.next,
            StepKind::Map(s) => &s.next,
            StepKind::Wait(s) => &s.next,
            StepKind::Approval(s) => &s.next,
            StepKind::Choice(_) => return After::Decides,
            StepKind::Succeed(_) | StepKind::Fail(_) => return After::Stops,
        };
        next.as_deref().map_or(After::Following, After::Next)
    }

    /// The fallback for the step's errors; only tools, parallels, maps and approvals have one.
    pub fn catch(&self) -> Option<&Catch> {
        match self {
            StepKind::Tool(s) => s.catch.as_ref(),
            StepKind::Parallel(s) => s.catch.as_ref(),
            StepKind::Map(s) => s.catch.as_ref(),
            StepKind::Approval(s) => s.catch.as_ref(),
            _ => None,
        }
    }

    pub(crate) fn retry(&self) -> Option<&Retry> {
        match self {
            StepKind::Tool(s) => s.retry.as_ref(),
            StepKind::Parallel(s) => s.retry.as_ref(),
            StepKind::Map(s) => s.retry.as_ref(),
            _ => None,
        }
    }
}
