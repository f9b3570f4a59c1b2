//! Input templates resolved against a run's context.

use crate::{PathError, resolve};
use serde_json::{Value, json};

fn context() -> Value {
    json!({
        "input": {"topic": "rust", "channels": ["x", "linkedin"], "odd key": {"n": 1}},
        "steps": {
            "research": {"output": {"search": {"output": {"hits": [{"title": "a"}, {"title": "b"}]}}}},
            "review": {"output": {"decision": "approved", "value": null}},
        },
        "item": {"channel": "x", "limit": 280},
    })
}

#[test]
fn nested_objects_resolve_field_by_field() {
    let template = json!({
        "query": "$.input.topic",
        "options": {"top_k": 5, "channel": "$.item.channel", "deep": {"first": "$.steps.research.output.search.output.hits[0].title"}},
        "label": "plain text",
    });
    assert_eq!(
        resolve(&template, &context()),
        Ok(json!({
            "query": "rust",
            "options": {"top_k": 5, "channel": "x", "deep": {"first": "a"}},
            "label": "plain text",
        }))
    );
}

#[test]
fn arrays_resolve_element_by_element() {
    let template = json!(["$.input.channels[1]", 3, true, null, ["$.item.limit"], {"k": "$.steps.review.output.decision"}]);
    assert_eq!(
        resolve(&template, &context()),
        Ok(json!(["linkedin", 3, true, null, [280], {"k": "approved"}]))
    );
}

#[test]
fn a_path_can_select_a_whole_object_or_null() {
    assert_eq!(
        resolve(&json!("$.item"), &context()),
        Ok(json!({"channel": "x", "limit": 280}))
    );
    assert_eq!(
        resolve(&json!("$.steps.review.output.value"), &context()),
        Ok(Value::Null)
    );
    assert_eq!(
        resolve(&json!("$.input['odd key'].n"), &context()),
        Ok(json!(1))
    );
}

#[test]
fn double_dollar_escapes_a_literal_dollar() {
    assert_eq!(
        resolve(
            &json!({"price": "$$.input.topic", "cost": "$$5", "bare": "$", "money": "$5"}),
            &context()
        ),
        Ok(json!({"price": "$.input.topic", "cost": "$5", "bare": "$", "money": "$5"}))
    );
}

#[test]
fn a_missing_path_is_an_error_naming_it() {
    let template = json!({"ok": "$.input.topic", "gone": {"deeper": "$.steps.draft.output.text"}});
    assert_eq!(
        resolve(&template, &context()),
        Err(PathError::Missing {
            path: "$.steps.draft.output.text".into()
        })
    );
    let past_the_end =
        resolve(&json!("$.input.channels[2]"), &context()).expect_err("no third channel");
    assert_eq!(past_the_end.to_string(), "nothing at `$.input.channels[2]`");
}

#[test]
fn a_path_that_could_select_many_values_is_refused() {
    for path in [
        "$.input.channels[*]",
        "$..title",
        "$.input.channels[0:1]",
        "$.input[?@.n]",
        "$.input['a','b']",
    ] {
        match resolve(&json!(path), &context()) {
            Err(PathError::Malformed {
                path: named,
                reason,
            }) => {
                assert_eq!(named, path);
                assert!(reason.contains("select many values"), "{path}: {reason}");
            }
            other => panic!("{path}: {other:?}"),
        }
    }
}

#[test]
fn a_malformed_path_is_an_error_naming_it() {
    let error = resolve(&json!({"q": "$.input["}), &context()).expect_err("malformed");
    assert!(
        error
            .to_string()
            .starts_with("`$.input[` is not a usable JSONPath"),
        "{error}"
    );
}

/// Found by fuzzing (`workflow_jsonpath`): nested filters made the JSONPath parser run for
/// more than 30 s; they are refused as not singular before it runs.
#[test]
fn nested_filters_are_refused_at_once() {
    let path = format!("$.a{}", "[?@.s.t".repeat(40));
    let result = resolve(&Value::String(path), &context());
    assert!(
        matches!(result, Err(PathError::Malformed { .. })),
        "{result:?}"
    );
}

/// Found by fuzzing (`workflow_jsonpath`): serde_json_path panicked on a truncated `\u`
/// escape in a quoted name; it is a malformed path.
#[test]
fn a_truncated_escape_is_a_malformed_path() {
    for path in ["$..a['\\u", "$.a['\\u"] {
        let result = resolve(&Value::String(path.to_owned()), &context());
        assert!(
            matches!(result, Err(PathError::Malformed { .. })),
            "{path}: {result:?}"
        );
    }
}
