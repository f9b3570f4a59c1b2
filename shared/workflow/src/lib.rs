//! Agent workflows: definitions written in JSON or YAML, their validation, the data flow
//! between steps (JSONPath), and their compilation to Amazon States Language for Step
//! Functions. A local engine runs a definition with [`resolve`] and [`evaluate`]; on AWS,
//! [`compile_asl`] gives the state machine.
//!
//! # The format
//!
//! A definition has a `name`, optionally a `version` (the store sets it when it saves),
//! `description`, `start` (the first step by default) and `timeout_seconds` for the whole
//! run, and a list of `steps`. Each step has an `id` (letters, digits and `_`, not starting
//! with a digit, at most 80 characters, unique in the whole definition, `end` reserved) and a
//! `type`. Steps run in list order; `next` names another step of the same list instead, and
//! `next: end` ends the run (or the branch or map iteration). For example:
//!
//! ```yaml
#![doc = include_str!("tests/fixtures/research_and_draft.yaml")]
//! ```
//!
//! The step types:
//!
//! - `tool`: calls `tool` (one of [`TOOLS`]) with `input`, a template (below). Optional
//!   `timeout_seconds`, `retry`, `catch`, `next`.
//! - `parallel`: runs each of `branches` (lists of steps) at once. Optional `retry`, `catch`,
//!   `next`. At most 10 branches.
//! - `map`: runs `steps` once per element of the list at the path `items`, at most
//!   `max_concurrency` (≥ 1, no limit when absent) at a time; the element is `$.item`.
//!   Optional `retry`, `catch`, `next`.
//! - `choice`: goes to the `next` of the first of `choices` whose `when` condition holds,
//!   else to `default` (without one, the run fails with `States.NoChoiceMatched`).
//!   Conditions: `{path, equals: v}`, `not_equals`, `greater_than`, `less_than` (numbers or
//!   strings), `{path, exists: true|false}`, `{path, is_true: true|false}` (the boolean),
//!   `{and: [...]}`, `{or: [...]}`, `{not: {...}}`; see [`evaluate`].
//! - `wait`: `seconds` (a number, or a path to one) or `until` (an RFC 3339 time like
//!   `2030-01-31T09:00:00Z`, or a path to one). Optional `next`.
//! - `approval`: asks a person `prompt`, showing `input` (a template). They approve,
//!   reject or answer with a value; the step's output is an [`ApprovalDecision`]
//!   (`{decision: approved|rejected|answered, value, by}`) and a `choice` routes on
//!   `$.steps.<id>.output.decision`. Optional `timeout_seconds` (then it fails with
//!   `States.Timeout`), `catch`, `next`.
//! - `succeed`: ends the run successfully (in a branch or map: that branch or iteration).
//! - `fail`: ends the run as failed with `error` and optional `cause`.
//!
//! # Data flow
//!
//! A run's context is `{"input": <the workflow input>, "steps": {<id>: {"output": ...}}}`,
//! plus `"item"` inside a map. Each step that finishes writes `{"output": <its result>}` to
//! `$.steps.<id>`: a tool's return value, an approval's decision, a parallel's branches'
//! step outputs merged into one object (`$.steps.research.output.search.output`), a map's
//! list of per-item results, each holding the outputs of that iteration's steps
//! (`$.steps.drafts.output[0].draft.output`).
//!
//! Paths are JSONPath (RFC 9535) that select one value: `$` and then `.name`, `['name']`
//! and `[index]` segments, starting at `$.input`, `$.item` (in a map) or `$.steps.<id>`.
//! A step sees the outputs of the steps of its own list and of the lists around it; a step
//! inside another branch or map is reached through that parallel or map step's output.
//!
//! A template (`input`) is any JSON value: every string starting with `$.` is replaced by
//! the value at that path when the step runs, `$$` at the start of a string stands for a
//! literal `$`, and everything else is kept as written. An array that holds a path may
//! hold only paths, strings, whole numbers, booleans and null (Step Functions builds it
//! with `States.Array`). A missing path fails the step.
//!
//! # Errors
//!
//! `retry: {attempts, backoff_seconds, multiplier, max_backoff_seconds, jitter, on}`
//! retries a failed `tool`, `parallel` or `map` step `attempts` (1–10) more times, waiting
//! `backoff_seconds` (default 1) times `multiplier` (default 2) to the power of the retry
//! number less one, capped at `max_backoff_seconds`, or a random part of that with
//! `jitter`. `on` lists the error names it applies to (`States.ALL`, every error, by
//! default), like `States.Timeout` or an error the tool reports. Then `catch: {on, next}`
//! moves to `next` with the error at `$.steps.<id>.error` (`{Error, Cause}`); without a
//! catch the run fails. `on` is a plain key in YAML 1.2, which this crate reads, not the
//! boolean of YAML 1.1.
//!
//! Loops are allowed when they pass a `choice`: a loop of plain moves could only end by
//! failing. See [`validate`] for every rule and [`asl`] for how each step runs on Step
//! Functions.

mod approval;
pub mod asl;
mod definition;
mod error;
mod evaluate;
mod parse;
mod paths;
mod tools;
mod validate;

pub use approval::{ApprovalDecision, Decision};
pub use asl::{compile_asl, compile_asl_from};
pub use definition::{
    ANY_ERROR, After, Approval, Catch, Choice, ChoiceRule, Condition, Definition, END, Fail, Map,
    Parallel, Retry, Seconds, Step, StepKind, Succeed, Tool, Wait,
};
pub use error::DefinitionError;
pub use evaluate::evaluate;
pub use parse::{Format, parse, parse_value, read_text};
pub use paths::{PathError, resolve};
pub use tools::TOOLS;
pub use validate::validate;

#[cfg(test)]
mod tests;
