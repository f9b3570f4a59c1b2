//! Every validation rule, each error naming its step and field.

use super::{assert_error, errors, research, unchecked};
use crate::validate;

/// The errors of a workflow made of `steps` (YAML flow mappings, one per line).
fn step_errors(steps: &[&str]) -> Vec<crate::DefinitionError> {
    let mut yaml = String::from("name: t\nsteps:\n");
    for step in steps {
        yaml.push_str(&format!("  - {step}\n"));
    }
    errors(&yaml)
}

#[test]
fn the_example_is_valid() {
    assert_eq!(validate(&research()), Ok(()));
}

#[test]
fn definition_fields() {
    let errors = errors("name: ' '\nversion: 0\ntimeout_seconds: 0\nstart: nowhere\nsteps: []\n");
    assert_eq!(errors.len(), 5, "{errors:#?}");
    assert_error(&errors, None, "name", "needs a name");
    assert_error(&errors, None, "version", "start at 1");
    assert_error(&errors, None, "timeout_seconds", "at least 1");
    assert_error(&errors, None, "steps", "at least one step");
    assert_error(&errors, None, "start", "`nowhere` is not a step");
}

#[test]
fn start_must_be_a_top_level_step() {
    let errors = errors(
        "name: t\nstart: inner\nsteps:\n  - {id: m, type: map, items: $.input.l, steps: [{id: inner, type: succeed}]}\n",
    );
    assert_error(
        &errors,
        None,
        "start",
        "`inner` is not a step of the workflow's top-level list",
    );
}

#[test]
fn ids_are_identifiers_unique_everywhere_and_not_end() {
    let long = "a".repeat(81);
    let errors = step_errors(&[
        "{id: bad-id, type: tool, tool: notify}",
        "{id: 1st, type: tool, tool: notify}",
        "{id: end, type: tool, tool: notify}",
        &format!("{{id: {long}, type: tool, tool: notify}}"),
        "{id: twice, type: parallel, branches: [[{id: twice, type: succeed}], [{id: x, type: succeed}, {id: x, type: succeed}]]}",
    ]);
    assert_error(&errors, Some("bad-id"), "id", "letters, digits and `_`");
    assert_error(&errors, Some("1st"), "id", "not starting with a digit");
    assert_error(&errors, Some("end"), "id", "reserved");
    assert_error(&errors, Some(&long), "id", "at most 80 characters");
    assert_eq!(
        errors
            .iter()
            .filter(|e| e.field == "id" && e.message.contains("another step already has this id"))
            .count(),
        2,
        "{errors:#?}"
    );
}

#[test]
fn unknown_tool() {
    let errors = step_errors(&["{id: a, type: tool, tool: research.guess}"]);
    assert_error(
        &errors,
        Some("a"),
        "tool",
        "unknown tool `research.guess`; the tools are research.search",
    );
}

#[test]
fn dangling_targets() {
    let errors = step_errors(&[
        "{id: a, type: tool, tool: notify, next: nowhere, catch: {next: gone}}",
        "{id: b, type: choice, choices: [{when: {path: $.input.x, exists: true}, next: missing}], default: absent}",
        "{id: c, type: succeed}",
    ]);
    assert_error(&errors, Some("a"), "next", "there is no step `nowhere`");
    assert_error(&errors, Some("a"), "catch.next", "there is no step `gone`");
    assert_error(
        &errors,
        Some("b"),
        "choices[0].next",
        "there is no step `missing`",
    );
    assert_error(&errors, Some("b"), "default", "there is no step `absent`");
}

#[test]
fn transitions_stay_within_their_list() {
    let errors = step_errors(&[
        "{id: p, type: parallel, branches: [[{id: inside, type: tool, tool: notify, next: outside}]]}",
        "{id: outside, type: tool, tool: notify, next: inside}",
    ]);
    assert_error(&errors, Some("inside"), "next", "in another list of steps");
    assert_error(&errors, Some("outside"), "next", "in another list of steps");
}

#[test]
fn only_next_can_end() {
    let errors = step_errors(&[
        "{id: a, type: tool, tool: notify, catch: {next: end}, next: end}",
        "{id: b, type: choice, choices: [{when: {path: $.input.x, exists: true}, next: end}]}",
    ]);
    assert_error(&errors, Some("a"), "catch.next", "only `next` can be `end`");
    assert_error(&errors, Some("b"), "choices[0].next", "add a succeed step");
}

#[test]
fn unreachable_steps() {
    let errors = step_errors(&[
        "{id: a, type: tool, tool: notify, next: end}",
        "{id: orphan, type: tool, tool: notify}",
        "{id: m, type: map, items: $.input.l, steps: [{id: first, type: succeed}, {id: stranded, type: succeed}]}",
    ]);
    assert_error(&errors, Some("orphan"), "id", "no step leads here");
    // Only `orphan`, which nothing reaches, falls through to `m`.
    assert_error(&errors, Some("m"), "id", "no step leads here");
    assert_error(&errors, Some("stranded"), "id", "no step leads here");
    assert_eq!(errors.len(), 3, "{errors:#?}");
}

#[test]
fn steps_reached_only_through_catch_or_choice_are_reachable() {
    let definition = unchecked(
        r#"
name: t
steps:
  - {id: a, type: tool, tool: notify, catch: {next: recover}, next: route}
  - {id: route, type: choice, choices: [{when: {path: $.input.x, exists: true}, next: yes}], default: no}
  - {id: recover, type: succeed}
  - {id: yes, type: succeed}
  - {id: no, type: succeed}
"#,
    );
    assert_eq!(validate(&definition), Ok(()));
}

#[test]
fn a_loop_must_pass_a_choice() {
    let errors = step_errors(&[
        "{id: draft, type: tool, tool: content.generate}",
        "{id: pause, type: wait, seconds: 60}",
        "{id: ask, type: approval, prompt: ok?, next: draft}",
    ]);
    assert_error(
        &errors,
        Some("draft"),
        "next",
        "steps draft, pause, ask loop without passing a choice",
    );
    assert_eq!(errors.len(), 1, "{errors:#?}");

    let errors =
        step_errors(&["{id: again, type: tool, tool: notify, catch: {next: again}, next: end}"]);
    assert_error(&errors, Some("again"), "next", "steps again loop");

    let looping_through_a_choice = unchecked(
        r#"
name: t
steps:
  - {id: draft, type: tool, tool: content.generate}
  - {id: ask, type: approval, prompt: Good?}
  - {id: route, type: choice, choices: [{when: {path: $.steps.ask.output.decision, equals: rejected}, next: draft}], default: done}
  - {id: done, type: succeed}
"#,
    );
    assert_eq!(validate(&looping_through_a_choice), Ok(()));
}

#[test]
fn paths_must_parse_and_select_one_value() {
    let errors = step_errors(&[
        r#"{id: a, type: tool, tool: notify, input: {broken: "$.input[", many: "$.input.list[*]", deep: "$..x", slice: "$.input.l[0:2]", neg: "$.input.l[-1]", ok: "$.input['a b'][0]"}}"#,
    ]);
    assert_error(
        &errors,
        Some("a"),
        "input.broken",
        "is not a usable JSONPath",
    );
    assert_error(&errors, Some("a"), "input.many", "select many values");
    assert_error(&errors, Some("a"), "input.deep", "select many values");
    assert_error(&errors, Some("a"), "input.slice", "select many values");
    assert_error(&errors, Some("a"), "input.neg", "negative indices");
    assert_eq!(errors.len(), 5, "{errors:#?}");
}

#[test]
fn paths_start_at_input_item_or_a_visible_step() {
    let errors = step_errors(&[
        r#"{id: a, type: tool, tool: notify, input: {root: "$.secrets", item: "$.item", gone: "$.steps.ghost.output", whole: "$.steps"}}"#,
        r#"{id: p, type: parallel, branches: [[{id: left, type: tool, tool: notify, input: {mine: "$.steps.left.output", outer: "$.steps.a.output", sibling: "$.steps.right.output", parent: "$.steps.p.output"}}], [{id: right, type: tool, tool: notify}]]}"#,
        r#"{id: m, type: map, items: "$.steps.a.output.list", steps: [{id: each, type: tool, tool: notify, input: {item: "$.item.name", peek: "$.steps.left.output"}}]}"#,
    ]);
    assert_error(
        &errors,
        Some("a"),
        "input.root",
        "paths start with `$.input`, `$.item` or `$.steps.<id>`",
    );
    assert_error(
        &errors,
        Some("a"),
        "input.item",
        "`$.item` exists only in the steps of a map",
    );
    assert_error(&errors, Some("a"), "input.gone", "there is no step `ghost`");
    assert_error(&errors, Some("a"), "input.whole", "paths start with");
    assert_error(
        &errors,
        Some("left"),
        "input.sibling",
        "`right` runs inside another branch or map",
    );
    assert_error(
        &errors,
        Some("left"),
        "input.parent",
        "runs inside `p`, whose output exists only once it has finished",
    );
    assert_error(
        &errors,
        Some("each"),
        "input.peek",
        "`left` runs inside another branch or map",
    );
    assert_eq!(errors.len(), 7, "{errors:#?}");
}

#[test]
fn template_keys_and_arrays() {
    let errors = step_errors(&[
        r#"{id: a, type: tool, tool: notify, input: {"x.$": 1, list: ["$.input.a", {b: 1}, 2.5, [1]], plain: [{b: 1}, [2], 2.5]}}"#,
    ]);
    assert_error(
        &errors,
        Some("a"),
        "input.x.$",
        "reserved by Step Functions",
    );
    assert_error(
        &errors,
        Some("a"),
        "input.list[1]",
        "only paths, strings, whole numbers",
    );
    assert_error(
        &errors,
        Some("a"),
        "input.list[2]",
        "only paths, strings, whole numbers",
    );
    assert_error(
        &errors,
        Some("a"),
        "input.list[3]",
        "only paths, strings, whole numbers",
    );
    assert_eq!(
        errors.len(),
        4,
        "an array without paths holds anything: {errors:#?}"
    );
}

#[test]
fn map_items_concurrency_and_steps() {
    let errors = step_errors(&[
        "{id: a, type: map, items: list, max_concurrency: 0, steps: []}",
        "{id: b, type: map, items: $.steps.a.output, steps: [{id: c, type: succeed}]}",
    ]);
    assert_error(&errors, Some("a"), "items", "is not a usable JSONPath");
    assert_error(&errors, Some("a"), "max_concurrency", "at least 1");
    assert_error(&errors, Some("a"), "steps", "at least one step");
    assert_eq!(errors.len(), 3, "{errors:#?}");
}

#[test]
fn parallel_branches() {
    let eleven: Vec<String> = (0..11)
        .map(|i| format!("[{{id: s{i}, type: succeed}}]"))
        .collect();
    let errors = step_errors(&[
        "{id: none, type: parallel, branches: []}",
        "{id: hollow, type: parallel, branches: [[{id: x, type: succeed}], []]}",
        &format!(
            "{{id: wide, type: parallel, branches: [{}]}}",
            eleven.join(", ")
        ),
    ]);
    assert_error(&errors, Some("none"), "branches", "at least one branch");
    assert_error(&errors, Some("hollow"), "branches[1]", "at least one step");
    assert_error(&errors, Some("wide"), "branches", "at most 10 branches");
}

#[test]
fn choice_rules_and_conditions() {
    let errors = step_errors(&[
        "{id: empty, type: choice, choices: []}",
        r#"{id: route, type: choice, choices: [
            {when: {path: "$.nope", equals: 1}, next: done},
            {when: {and: [{path: $.input.a, exists: true}, {path: "$.input[*]", equals: 1}]}, next: done},
            {when: {path: $.input.a, equals: {x: 1}}, next: done},
            {when: {path: $.input.a, greater_than: true}, next: done},
            {when: {or: []}, next: done},
            {when: {not: {path: $.steps.ghost.output, is_true: true}}, next: done}
          ], default: done}"#,
        "{id: done, type: succeed}",
    ]);
    assert_error(&errors, Some("empty"), "choices", "at least one rule");
    assert_error(
        &errors,
        Some("route"),
        "choices[0].when.path",
        "paths start with",
    );
    assert_error(
        &errors,
        Some("route"),
        "choices[1].when.and[1].path",
        "select many values",
    );
    assert_error(
        &errors,
        Some("route"),
        "choices[2].when.equals",
        "a string, number, boolean or null",
    );
    assert_error(
        &errors,
        Some("route"),
        "choices[3].when.greater_than",
        "a number or a string",
    );
    assert_error(
        &errors,
        Some("route"),
        "choices[4].when.or",
        "at least one condition",
    );
    assert_error(
        &errors,
        Some("route"),
        "choices[5].when.not.path",
        "there is no step `ghost`",
    );
}

#[test]
fn waits() {
    let errors = step_errors(&[
        "{id: neither, type: wait}",
        "{id: both, type: wait, seconds: 5, until: 2030-01-01T00:00:00Z}",
        "{id: zero, type: wait, seconds: 0}",
        "{id: forever, type: wait, seconds: 100000000}",
        "{id: bad_path, type: wait, seconds: soon}",
        "{id: bad_time, type: wait, until: next tuesday}",
        "{id: lowercase, type: wait, until: 2030-01-01t00:00:00z}",
        "{id: fine, type: wait, until: '2030-01-01T09:00:00+02:00'}",
        "{id: fine_path, type: wait, until: $.input.at}",
    ]);
    assert_error(&errors, Some("neither"), "seconds", "needs `seconds`");
    assert_error(&errors, Some("both"), "until", "not both");
    assert_error(&errors, Some("zero"), "seconds", "at least 1");
    assert_error(
        &errors,
        Some("bad_path"),
        "seconds",
        "is not a usable JSONPath",
    );
    assert_error(&errors, Some("bad_time"), "until", "RFC 3339");
    assert_error(&errors, Some("lowercase"), "until", "RFC 3339");
    assert_eq!(errors.len(), 7, "{errors:#?}");
}

#[test]
fn retry_policies() {
    let errors = step_errors(&[
        "{id: zero, type: tool, tool: notify, retry: {attempts: 0}}",
        "{id: many, type: map, items: $.input.l, steps: [{id: s, type: succeed}], retry: {attempts: 11}}",
        "{id: rates, type: tool, tool: notify, retry: {attempts: 2, backoff_seconds: 0, multiplier: 0.5, max_backoff_seconds: 0}}",
        "{id: long, type: tool, tool: notify, retry: {attempts: 2, backoff_seconds: 100000000, max_backoff_seconds: 31622401}}",
        "{id: names, type: parallel, branches: [[{id: t, type: succeed}]], retry: {attempts: 2, on: []}, catch: {on: [States.ALL, Timeout], next: t2}}",
        "{id: t2, type: succeed}",
    ]);
    assert_error(&errors, Some("zero"), "retry.attempts", "between 1 and 10");
    assert_error(&errors, Some("many"), "retry.attempts", "between 1 and 10");
    assert_error(
        &errors,
        Some("rates"),
        "retry.backoff_seconds",
        "at least 1",
    );
    assert_error(&errors, Some("rates"), "retry.multiplier", "at least 1");
    assert_error(
        &errors,
        Some("rates"),
        "retry.max_backoff_seconds",
        "at least 1",
    );
    assert_error(
        &errors,
        Some("names"),
        "retry.on",
        "at least one error name",
    );
    assert_error(&errors, Some("names"), "catch.on", "must stand alone");
}

#[test]
fn timeouts() {
    let errors = step_errors(&[
        "{id: zero, type: tool, tool: notify, timeout_seconds: 0}",
        "{id: huge, type: approval, prompt: ok?, timeout_seconds: 100000000}",
    ]);
    assert_error(
        &errors,
        Some("zero"),
        "timeout_seconds",
        "at least 1 second",
    );
    assert_error(&errors, Some("huge"), "timeout_seconds", "at most 99999999");
}

#[test]
fn approvals_and_fails_need_their_text() {
    let errors = step_errors(&[
        "{id: ask, type: approval, prompt: '  ', input: {x: $.item}}",
        "{id: stop, type: fail, error: ''}",
    ]);
    assert_error(&errors, Some("ask"), "prompt", "needs a prompt");
    assert_error(
        &errors,
        Some("ask"),
        "input.x",
        "`$.item` exists only in the steps of a map",
    );
    assert_error(&errors, Some("stop"), "error", "needs an error name");
}

#[test]
fn every_error_is_reported_at_once() {
    let errors = step_errors(&[
        "{id: a, type: tool, tool: nope, retry: {attempts: 0}, timeout_seconds: 0, catch: {next: ghost}}",
        "{id: b, type: wait}",
    ]);
    assert_eq!(errors.len(), 5, "{errors:#?}");
}
