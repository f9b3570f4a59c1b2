//! Checks that a definition holds together and compiles to valid ASL; every finding names
//! the step and field it is about.

mod data;
mod flow;

use crate::definition::{
    ANY_ERROR, Approval, Catch, Choice, Definition, END, Fail, Map, Parallel, Retry, Seconds, Step,
    StepKind, Tool, Wait,
};
use crate::error::DefinitionError;
use crate::paths::{Text, classify, is_identifier};
use crate::tools::TOOLS;
use data::Scope;
use std::collections::HashSet;

/// Step Functions' limit on `TimeoutSeconds`, a retry's `IntervalSeconds` and a wait's
/// `Seconds`.
const MAX_TIMEOUT_SECONDS: u64 = 99_999_999;
/// Step Functions' limit on a retry's `MaxDelaySeconds` (a year and a day).
const MAX_DELAY_SECONDS: u32 = 31_622_400;
/// Step Functions' limit on a state name.
const MAX_ID_LEN: usize = 80;
/// The compiled Parallel state merges its branches' outputs with nested
/// `States.JsonMerge` calls, and Step Functions nests intrinsics at most 10 deep.
const MAX_BRANCHES: usize = 10;

/// Everything wrong with `definition`: step ids (format, uniqueness, the reserved `end`),
/// tools, paths (syntax, single value, a root of `$.input`, `$.item` inside a map or
/// `$.steps.<id>` of a step the path can see), transitions (targets in the same list),
/// unreachable steps, loops without a choice, and limits on retries, timeouts, waits,
/// branches and maps.
pub fn validate(definition: &Definition) -> Result<(), Vec<DefinitionError>> {
    let mut check = Check {
        errors: Vec::new(),
        ids: HashSet::new(),
    };
    check.header(definition);
    check.ids(&definition.steps);
    if !definition.steps.is_empty() {
        let start = definition.start_step().unwrap_or_default();
        check.list(&definition.steps, start, &Scope::top(&definition.steps));
    }
    if check.errors.is_empty() {
        Ok(())
    } else {
        Err(check.errors)
    }
}

struct Check<'d> {
    errors: Vec<DefinitionError>,
    /// Every step id in the definition, nested ones included.
    ids: HashSet<&'d str>,
}

impl<'d> Check<'d> {
    fn error(&mut self, step: Option<&str>, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(DefinitionError::new(step, field, message));
    }

    fn header(&mut self, definition: &Definition) {
        if definition.name.trim().is_empty() {
            self.error(None, "name", "a workflow needs a name");
        }
        if definition.version == Some(0) {
            self.error(None, "version", "versions start at 1");
        }
        self.timeout(None, "timeout_seconds", definition.timeout_seconds);
        if definition.steps.is_empty() {
            self.error(None, "steps", "a workflow needs at least one step");
        }
        if let Some(start) = &definition.start
            && !definition.steps.iter().any(|s| &s.id == start)
        {
            self.error(
                None,
                "start",
                format!("`{start}` is not a step of the workflow's top-level list"),
            );
        }
    }

    /// Id format and uniqueness across the whole definition: ids are state names in one
    /// state machine and keys in one `$.steps` namespace.
    fn ids(&mut self, steps: &'d [Step]) {
        for step in steps {
            let id = step.id.as_str();
            if let Err(why) = id_format(id) {
                self.error(Some(id), "id", why);
            } else if !self.ids.insert(id) {
                self.error(Some(id), "id", "another step already has this id");
            }
            for list in nested(&step.kind) {
                self.ids(list);
            }
        }
    }

    /// Checks each step of one list (the top level, a branch, or a map's body) and the
    /// transitions between them.
    fn list(&mut self, steps: &[Step], start: &str, scope: &Scope) {
        for step in steps {
            self.step(step, scope);
        }
        flow::check(self, steps, start);
    }

    fn step(&mut self, step: &Step, scope: &Scope) {
        let id = step.id.as_str();
        match &step.kind {
            StepKind::Tool(tool) => self.tool(id, tool, scope),
            StepKind::Parallel(parallel) => self.parallel(id, parallel, scope),
            StepKind::Map(map) => self.map(id, map, scope),
            StepKind::Choice(choice) => self.choice(id, choice, scope),
            StepKind::Wait(wait) => self.wait(id, wait, scope),
            StepKind::Approval(approval) => self.approval(id, approval, scope),
            StepKind::Fail(fail) => self.fail(id, fail),
            StepKind::Succeed(_) => {}
        }
        if let Some(retry) = step.kind.retry() {
            self.retry(id, retry);
        }
        if let Some(catch) = step.kind.catch() {
            self.catch(id, catch);
        }
    }

    fn tool(&mut self, id: &str, tool: &Tool, scope: &Scope) {
        if !TOOLS.contains(&tool.tool.as_str()) {
            self.error(
                Some(id),
                "tool",
                format!(
                    "unknown tool `{}`; the tools are {}",
                    tool.tool,
                    TOOLS.join(", ")
                ),
            );
        }
        if let Some(input) = &tool.input {
            self.template(id, "input", input, scope);
        }
        self.timeout(Some(id), "timeout_seconds", tool.timeout_seconds);
    }

    fn parallel(&mut self, id: &str, parallel: &Parallel, scope: &Scope) {
        if parallel.branches.is_empty() {
            self.error(
                Some(id),
                "branches",
                "a parallel step needs at least one branch",
            );
        }
        if parallel.branches.len() > MAX_BRANCHES {
            self.error(
                Some(id),
                "branches",
                format!("at most {MAX_BRANCHES} branches (Step Functions nests the intrinsics that merge their outputs at most 10 deep)"),
            );
        }
        for (b, branch) in parallel.branches.iter().enumerate() {
            match branch.first() {
                None => self.error(
                    Some(id),
                    format!("branches[{b}]"),
                    "a branch needs at least one step",
                ),
                Some(first) => self.list(branch, &first.id, &scope.inner(branch, id, false)),
            }
        }
    }

    fn map(&mut self, id: &str, map: &Map, scope: &Scope) {
        self.path(id, "items", &map.items, scope);
        if map.max_concurrency == Some(0) {
            self.error(
                Some(id),
                "max_concurrency",
                "must be at least 1; leave it out for no limit",
            );
        }
        match map.steps.first() {
            None => self.error(
                Some(id),
                "steps",
                "a map needs at least one step to run per item",
            ),
            Some(first) => self.list(&map.steps, &first.id, &scope.inner(&map.steps, id, true)),
        }
    }

    fn choice(&mut self, id: &str, choice: &Choice, scope: &Scope) {
        if choice.choices.is_empty() {
            self.error(Some(id), "choices", "a choice needs at least one rule");
        }
        for (r, rule) in choice.choices.iter().enumerate() {
            self.condition(id, &format!("choices[{r}].when"), &rule.when, scope);
        }
    }

    fn wait(&mut self, id: &str, wait: &Wait, scope: &Scope) {
        match (&wait.seconds, &wait.until) {
            (None, None) => self.error(
                Some(id),
                "seconds",
                "a wait needs `seconds` (a number or a path) or `until` (a time or a path)",
            ),
            (Some(_), Some(_)) => self.error(
                Some(id),
                "until",
                "give either `seconds` or `until`, not both",
            ),
            (Some(Seconds::Fixed(0)), None) => {
                self.error(Some(id), "seconds", "must be at least 1")
            }
            (Some(Seconds::Fixed(s)), None) if *s > MAX_TIMEOUT_SECONDS => self.error(
                Some(id),
                "seconds",
                format!("at most {MAX_TIMEOUT_SECONDS} (Step Functions' limit)"),
            ),
            (Some(Seconds::Fixed(_)), None) => {}
            (Some(Seconds::Path(path)), None) => self.path(id, "seconds", path, scope),
            (None, Some(until)) => match classify(until) {
                Text::Path(path) => self.path(id, "until", path, scope),
                Text::Literal(time) => {
                    if let Err(why) = timestamp(time) {
                        self.error(Some(id), "until", why);
                    }
                }
            },
        }
    }

    fn approval(&mut self, id: &str, approval: &Approval, scope: &Scope) {
        if approval.prompt.trim().is_empty() {
            self.error(
                Some(id),
                "prompt",
                "an approval needs a prompt to show the person",
            );
        }
        if let Some(input) = &approval.input {
            self.template(id, "input", input, scope);
        }
        self.timeout(Some(id), "timeout_seconds", approval.timeout_seconds);
    }

    fn fail(&mut self, id: &str, fail: &Fail) {
        if fail.error.trim().is_empty() {
            self.error(Some(id), "error", "a fail step needs an error name");
        }
    }

    fn retry(&mut self, id: &str, retry: &Retry) {
        if !(1..=Retry::MAX_ATTEMPTS).contains(&retry.attempts) {
            self.error(
                Some(id),
                "retry.attempts",
                format!("must be between 1 and {}", Retry::MAX_ATTEMPTS),
            );
        }
        match retry.backoff_seconds {
            Some(0) => self.error(Some(id), "retry.backoff_seconds", "must be at least 1"),
            Some(s) if u64::from(s) > MAX_TIMEOUT_SECONDS => self.error(
                Some(id),
                "retry.backoff_seconds",
                format!("at most {MAX_TIMEOUT_SECONDS} (Step Functions' limit)"),
            ),
            _ => {}
        }
        if retry
            .multiplier
            .is_some_and(|m| !(m >= 1.0 && m.is_finite()))
        {
            self.error(Some(id), "retry.multiplier", "must be at least 1");
        }
        match retry.max_backoff_seconds {
            Some(0) => self.error(Some(id), "retry.max_backoff_seconds", "must be at least 1"),
            Some(s) if s > MAX_DELAY_SECONDS => self.error(
                Some(id),
                "retry.max_backoff_seconds",
                format!("at most {MAX_DELAY_SECONDS} (Step Functions' limit)"),
            ),
            _ => {}
        }
        self.error_names(id, "retry.on", retry.on.as_deref());
    }

    fn catch(&mut self, id: &str, catch: &Catch) {
        self.error_names(id, "catch.on", catch.on.as_deref());
    }

    fn error_names(&mut self, id: &str, field: &str, names: Option<&[String]>) {
        let Some(names) = names else { return };
        if names.is_empty() {
            self.error(
                Some(id),
                field,
                format!(
                    "list at least one error name, or leave it out for every error ({ANY_ERROR})"
                ),
            );
        }
        if names.iter().any(|n| n.trim().is_empty()) {
            self.error(Some(id), field, "error names can't be empty");
        }
        if names.len() > 1 && names.iter().any(|n| n == ANY_ERROR) {
            self.error(
                Some(id),
                field,
                format!("{ANY_ERROR} matches every error and must stand alone"),
            );
        }
    }

    fn timeout(&mut self, step: Option<&str>, field: &str, seconds: Option<u64>) {
        match seconds {
            Some(0) => self.error(step, field, "must be at least 1 second"),
            Some(s) if s > MAX_TIMEOUT_SECONDS => self.error(
                step,
                field,
                format!("at most {MAX_TIMEOUT_SECONDS} seconds (Step Functions' limit)"),
            ),
            _ => {}
        }
    }
}

/// The step lists inside a parallel or map step.
fn nested(kind: &StepKind) -> Vec<&[Step]> {
    match kind {
        StepKind::Parallel(parallel) => parallel.branches.iter().map(Vec::as_slice).collect(),
        StepKind::Map(map) => vec![map.steps.as_slice()],
        _ => Vec::new(),
    }
}

/// Ids name states in the state machine and are written `$.steps.<id>` in paths, so they are
/// identifiers that need no quoting in either.
fn id_format(id: &str) -> Result<(), String> {
    if id == END {
        return Err(format!(
            "`{END}` is reserved: `next: {END}` ends the workflow"
        ));
    }
    if !is_identifier(id) {
        return Err("ids are letters, digits and `_`, not starting with a digit".into());
    }
    if id.len() > MAX_ID_LEN {
        return Err(format!(
            "at most {MAX_ID_LEN} characters (Step Functions' limit on state names)"
        ));
    }
    Ok(())
}

/// A wait's `until` literal: RFC 3339 with the uppercase `T` and `Z` Step Functions requires.
fn timestamp(time: &str) -> Result<(), String> {
    let uppercase = !time.contains(['t', 'z', ' ']);
    match chrono::DateTime::parse_from_rfc3339(time) {
        Ok(_) if uppercase => Ok(()),
        _ => Err(format!(
            "`{time}` is neither a path nor an RFC 3339 time like 2030-01-31T09:00:00Z"
        )),
    }
}
