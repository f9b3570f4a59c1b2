//! Tests of reading, validating, data flow, conditions and the ASL compiler, and a check of
//! the compiled state machines with the `asl-validator` npm package.

mod asl_validator;
mod compile;
mod conditions;
mod reading;
mod templates;
mod validation;

use crate::{Definition, DefinitionError, Format, parse, validate};

const RESEARCH_YAML: &str = include_str!("tests/fixtures/research_and_draft.yaml");
const RESEARCH_JSON: &str = include_str!("tests/fixtures/research_and_draft.json");
const KITCHEN_SINK_YAML: &str = include_str!("tests/fixtures/kitchen_sink.yaml");

/// The documented example, which uses every kind of step.
fn research() -> Definition {
    parse(RESEARCH_YAML, Format::Yaml).expect("the example is valid")
}

/// A workflow with every construct and option the compiler handles.
fn kitchen_sink() -> Definition {
    parse(KITCHEN_SINK_YAML, Format::Yaml).expect("the kitchen sink is valid")
}

/// A definition read from YAML without validating it.
fn unchecked(yaml: &str) -> Definition {
    serde_norway::from_str(yaml).expect("the test definition reads")
}

/// The validation errors of a YAML definition, which must have some.
fn errors(yaml: &str) -> Vec<DefinitionError> {
    validate(&unchecked(yaml)).expect_err("the definition is invalid")
}

/// Asserts that exactly one error names `step` and `field`, and that it says `says`.
#[track_caller]
fn assert_error(errors: &[DefinitionError], step: Option<&str>, field: &str, says: &str) {
    let matching: Vec<&DefinitionError> = errors
        .iter()
        .filter(|e| e.step.as_deref() == step && e.field == field)
        .collect();
    assert_eq!(
        matching.len(),
        1,
        "one error for step {step:?} field {field:?} expected in {errors:#?}"
    );
    assert!(
        matching[0].message.contains(says),
        "{:?} should say {says:?}",
        matching[0].message
    );
}
