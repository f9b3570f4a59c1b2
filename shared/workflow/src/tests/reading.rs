//! Reading definitions from JSON and YAML, and errors naming the step and field.

use super::{RESEARCH_JSON, RESEARCH_YAML, assert_error, research};
use crate::{Condition, Definition, Format, Seconds, StepKind, parse};
use serde_json::json;
use utoipa::{PartialSchema, ToSchema};

#[test]
fn json_and_yaml_of_one_workflow_are_equal() {
    let yaml = parse(RESEARCH_YAML, Format::Yaml).expect("YAML reads");
    let json = parse(RESEARCH_JSON, Format::Json).expect("JSON reads");
    assert_eq!(yaml, json);
    assert_eq!(yaml.steps.len(), 10);
}

#[test]
fn detect_tells_json_from_yaml() {
    let from_json = parse(RESEARCH_JSON, Format::Detect).expect("JSON detected");
    let from_yaml = parse(RESEARCH_YAML, Format::Detect).expect("YAML detected");
    assert_eq!(from_json, from_yaml);
}

#[test]
fn the_example_reads_into_typed_steps() {
    let definition = research();
    assert_eq!(definition.name, "research-and-draft");
    assert_eq!(definition.version, Some(1));
    assert_eq!(definition.start_step(), Some("research"));
    let StepKind::Parallel(parallel) = &definition.steps[0].kind else {
        panic!("research is a parallel step");
    };
    let StepKind::Tool(search) = &parallel.branches[0][0].kind else {
        panic!("search is a tool step");
    };
    let retry = search.retry.as_ref().expect("search retries");
    assert_eq!((retry.attempts, retry.jitter), (3, true));
    // `on` stays a key: YAML 1.2 has no `on` boolean.
    assert_eq!(
        retry.on.as_deref(),
        Some(&["Timeout".to_owned(), "Retryable".to_owned()][..])
    );
    assert_eq!(
        search.input,
        Some(json!({"query": "$.input.topic", "top_k": 5}))
    );
    let StepKind::Choice(route) = &definition.steps[3].kind else {
        panic!("route is a choice");
    };
    assert_eq!(
        route.choices[0].when,
        Condition::Equals {
            path: "$.steps.review.output.decision".into(),
            equals: json!("approved"),
        }
    );
    let StepKind::Wait(wait) = &definition.steps[4].kind else {
        panic!("wait_for_slot waits");
    };
    assert_eq!(wait.until.as_deref(), Some("$.input.publish_at"));
}

#[test]
fn a_definition_round_trips_through_json() {
    let definition = research();
    let text = serde_json::to_string(&definition).expect("serializes");
    assert_eq!(parse(&text, Format::Json).expect("reads back"), definition);
}

#[test]
fn wait_seconds_read_as_number_or_path() {
    let definition = parse(
        "name: w\nsteps:\n  - {id: a, type: wait, seconds: 5}\n  - {id: b, type: wait, seconds: $.input.delay}\n",
        Format::Yaml,
    )
    .expect("valid");
    let seconds: Vec<_> = definition
        .steps
        .iter()
        .map(|s| match &s.kind {
            StepKind::Wait(w) => w.seconds.clone(),
            _ => None,
        })
        .collect();
    assert_eq!(
        seconds,
        [
            Some(Seconds::Fixed(5)),
            Some(Seconds::Path("$.input.delay".into()))
        ]
    );
}

#[test]
fn text_that_is_not_json_or_yaml_is_one_error() {
    let errors = parse("{\"name\": ", Format::Json).expect_err("broken JSON");
    assert_eq!(errors.len(), 1);
    assert_error(&errors, None, "", "not valid JSON");
    let errors = parse("name: [unclosed", Format::Yaml).expect_err("broken YAML");
    assert_error(&errors, None, "", "not valid YAML");
}

#[test]
fn field_errors_name_their_step_and_field_in_every_step() {
    let errors = parse(
        r#"
name: broken
steps:
  - {id: a, type: tool, tool: notify, timeout_seconds: -5}
  - {id: b, type: tool, tool: notify, retry: {attempts: "three"}}
  - {id: c, type: map, steps: [{id: d, type: tool, tool: notify}]}
  - {id: e, type: tool, tool: notify, colour: blue}
  - {id: f, type: teleport}
"#,
        Format::Yaml,
    )
    .expect_err("invalid fields");
    assert_eq!(errors.len(), 5, "{errors:#?}");
    assert_error(
        &errors,
        Some("a"),
        "timeout_seconds",
        "invalid value: integer `-5`",
    );
    assert_error(&errors, Some("b"), "retry.attempts", "invalid type: string");
    assert_error(&errors, Some("c"), "items", "missing field `items`");
    assert_error(&errors, Some("e"), "colour", "unknown field `colour`");
    assert_error(
        &errors,
        Some("f"),
        "type",
        "unknown step type `teleport`; the types are tool, parallel",
    );
}

#[test]
fn errors_inside_nested_steps_name_the_nested_step() {
    let errors = parse(
        r#"
name: nested
steps:
  - id: fan_out
    type: parallel
    branches:
      - [{id: left, type: tool, tool: notify, retry: {attempts: 2, jitter: maybe}}]
      - - id: per_item
          type: map
          items: $.input.list
          max_concurrency: -1
          steps: [{id: inner, type: wait, seconds: [1]}]
"#,
        Format::Yaml,
    )
    .expect_err("invalid nested fields");
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert_error(&errors, Some("left"), "retry.jitter", "invalid type");
    assert_error(
        &errors,
        Some("per_item"),
        "max_concurrency",
        "invalid value",
    );
    assert_error(
        &errors,
        Some("inner"),
        "seconds",
        "a whole number of seconds or a JSONPath",
    );
}

#[test]
fn a_step_without_an_id_is_named_by_its_position() {
    let errors = parse(
        "name: x\nsteps:\n  - {id: a, type: succeed}\n  - {type: succeed}\n",
        Format::Yaml,
    )
    .expect_err("no id");
    assert_error(&errors, None, "steps[1].id", "missing field `id`");
}

#[test]
fn definition_fields_are_checked_along_with_steps() {
    let errors = parse(
        "name: 7\nowner: me\nsteps:\n  - {id: a, type: tool}\n",
        Format::Yaml,
    )
    .expect_err("bad header and step");
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert_eq!(errors[0].step, None);
    assert!(errors[0].field == "name" || errors[0].field == "owner");
    assert_error(&errors, Some("a"), "tool", "missing field `tool`");
}

#[test]
fn a_condition_names_its_operator_problem() {
    for (when, field, says) in [
        (
            "{path: $.input.a, equals: 1, exists: true}",
            "choices[0].when",
            "exactly one of",
        ),
        (
            "{and: [{equals: 1}]}",
            "choices[0].when.and[0]",
            "needs a `path`",
        ),
        (
            "{path: $.input.a, is_bigger: 2}",
            "choices[0].when.is_bigger",
            "unknown field `is_bigger`",
        ),
        ("{}", "choices[0].when", "needs one of"),
        (
            "{path: $.input.a, not: {path: $.input.b, exists: true}}",
            "choices[0].when",
            "not a `path`",
        ),
    ] {
        let text = format!(
            "name: c\nsteps:\n  - {{id: route, type: choice, choices: [{{when: {when}, next: done}}]}}\n  - {{id: done, type: succeed}}\n"
        );
        let errors = parse(&text, Format::Yaml).expect_err(when);
        assert_error(&errors, Some("route"), field, says);
    }
}

#[test]
fn equals_null_is_kept_apart_from_a_missing_operator() {
    let definition = parse(
        "name: n\nsteps:\n  - {id: route, type: choice, choices: [{when: {path: $.input.a, equals: null}, next: done}]}\n  - {id: done, type: succeed}\n",
        Format::Yaml,
    )
    .expect("equals null is a condition");
    let StepKind::Choice(choice) = &definition.steps[0].kind else {
        panic!("a choice");
    };
    assert_eq!(
        choice.choices[0].when,
        Condition::Equals {
            path: "$.input.a".into(),
            equals: json!(null)
        }
    );
}

#[test]
fn parse_also_validates() {
    let errors = parse(
        "name: v\nsteps:\n  - {id: a, type: tool, tool: teleport}\n",
        Format::Yaml,
    )
    .expect_err("unknown tool");
    assert_error(&errors, Some("a"), "tool", "unknown tool `teleport`");
}

#[test]
fn plain_serde_reads_a_definition_too_and_refuses_unknown_fields() {
    let definition: Definition = serde_json::from_str(RESEARCH_JSON).expect("serde reads it");
    assert_eq!(definition, research());
    let typo = serde_json::from_value::<Definition>(json!({
        "name": "t",
        "steps": [{"id": "a", "type": "tool", "tool": "notify", "timeout": 5}],
    }));
    assert!(typo.is_err_and(|e| e.to_string().contains("unknown field `timeout`")));
}

#[test]
fn the_openapi_schema_covers_steps_and_conditions() {
    let mut schemas = Vec::new();
    <Definition as ToSchema>::schemas(&mut schemas);
    let names: Vec<&str> = schemas.iter().map(|(name, _)| name.as_str()).collect();
    for name in [
        "Step",
        "StepKind",
        "Tool",
        "Parallel",
        "Map",
        "Choice",
        "Condition",
        "Retry",
        "Catch",
    ] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    let json = serde_json::to_value(<Definition as PartialSchema>::schema()).expect("serializes");
    assert_eq!(json["required"], json!(["name", "steps"]));
}
