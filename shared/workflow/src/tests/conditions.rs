//! Choice conditions, operator by operator.

use crate::{Condition, PathError, evaluate};
use serde_json::{Value, json};

fn context() -> Value {
    json!({
        "input": {"count": 3, "ratio": 0.5, "name": "beta", "flag": true, "off": false, "none": null, "list": [1]},
        "steps": {"review": {"output": {"decision": "approved"}}},
    })
}

fn holds(condition: Value) -> bool {
    let condition: Condition = serde_json::from_value(condition).expect("a condition");
    evaluate(&condition, &context()).expect("evaluates")
}

#[test]
fn equals_compares_strings_numbers_booleans_and_null() {
    assert!(holds(
        json!({"path": "$.steps.review.output.decision", "equals": "approved"})
    ));
    assert!(!holds(
        json!({"path": "$.steps.review.output.decision", "equals": "rejected"})
    ));
    assert!(holds(json!({"path": "$.input.count", "equals": 3.0})));
    assert!(holds(json!({"path": "$.input.flag", "equals": true})));
    assert!(holds(json!({"path": "$.input.none", "equals": null})));
    // Another type never matches, as in a Choice rule.
    assert!(!holds(json!({"path": "$.input.count", "equals": "3"})));
    assert!(!holds(json!({"path": "$.input.list", "equals": 1})));
}

#[test]
fn not_equals_is_the_opposite() {
    assert!(holds(
        json!({"path": "$.input.name", "not_equals": "alpha"})
    ));
    assert!(!holds(
        json!({"path": "$.input.name", "not_equals": "beta"})
    ));
    assert!(holds(json!({"path": "$.input.count", "not_equals": "3"})));
}

#[test]
fn greater_and_less_than_compare_numbers_and_strings() {
    assert!(holds(json!({"path": "$.input.count", "greater_than": 2})));
    assert!(!holds(json!({"path": "$.input.count", "greater_than": 3})));
    assert!(holds(json!({"path": "$.input.ratio", "less_than": 1})));
    assert!(!holds(json!({"path": "$.input.ratio", "less_than": 0.5})));
    assert!(holds(
        json!({"path": "$.input.name", "greater_than": "alpha"})
    ));
    assert!(holds(json!({"path": "$.input.name", "less_than": "gamma"})));
    assert!(!holds(json!({"path": "$.input.name", "greater_than": 1})));
}

#[test]
fn exists_tests_presence_either_way() {
    assert!(holds(json!({"path": "$.input.none", "exists": true})));
    assert!(!holds(json!({"path": "$.input.ghost", "exists": true})));
    assert!(holds(json!({"path": "$.input.ghost", "exists": false})));
    assert!(holds(json!({"path": "$.input.list[3]", "exists": false})));
}

#[test]
fn is_true_tests_for_the_boolean() {
    assert!(holds(json!({"path": "$.input.flag", "is_true": true})));
    assert!(!holds(json!({"path": "$.input.off", "is_true": true})));
    assert!(holds(json!({"path": "$.input.off", "is_true": false})));
    assert!(!holds(json!({"path": "$.input.name", "is_true": true})));
}

#[test]
fn and_or_not_combine() {
    let yes = json!({"path": "$.input.flag", "is_true": true});
    let no = json!({"path": "$.input.off", "is_true": true});
    assert!(holds(json!({"and": [yes, yes]})));
    assert!(!holds(json!({"and": [yes, no]})));
    assert!(holds(json!({"or": [no, yes]})));
    assert!(!holds(json!({"or": [no, no]})));
    assert!(holds(json!({"not": no})));
    assert!(!holds(json!({"not": {"not": no}})));
}

#[test]
fn a_missing_path_is_an_error_unless_guarded() {
    let condition: Condition =
        serde_json::from_value(json!({"path": "$.input.ghost", "equals": 1})).expect("a condition");
    assert_eq!(
        evaluate(&condition, &context()),
        Err(PathError::Missing {
            path: "$.input.ghost".into()
        })
    );
    // `and` stops at the first false condition, so an `exists` guard comes first.
    assert!(!holds(json!({"and": [
        {"path": "$.input.ghost", "exists": true},
        {"path": "$.input.ghost", "equals": 1},
    ]})));
    assert!(holds(json!({"or": [
        {"path": "$.input.flag", "is_true": true},
        {"path": "$.input.ghost", "equals": 1},
    ]})));
}
