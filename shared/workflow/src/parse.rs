//! Reading a definition from JSON or YAML text, reporting every problem at once.

use crate::definition::{Definition, Step, StepKind};
use crate::error::DefinitionError;
use crate::validate::validate;
use serde::de::DeserializeOwned;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
    /// JSON when the text starts with `{`, YAML otherwise.
    Detect,
}

/// Reads and validates a definition. The errors are every field that can't be read, or,
/// when all can, every [`validate`] finding.
pub fn parse(text: &str, format: Format) -> Result<Definition, Vec<DefinitionError>> {
    let definition = from_value(read(text, format).map_err(|e| vec![e])?)?;
    validate(&definition)?;
    Ok(definition)
}

/// Reads and validates a definition that is already a JSON value (an API body's object).
pub fn parse_value(value: Value) -> Result<Definition, Vec<DefinitionError>> {
    let definition = from_value(value)?;
    validate(&definition)?;
    Ok(definition)
}

/// Reads JSON or YAML text into a value without checking that it is a definition.
pub fn read_text(text: &str, format: Format) -> Result<Value, Vec<DefinitionError>> {
    read(text, format).map_err(|e| vec![e])
}

fn read(text: &str, format: Format) -> Result<Value, DefinitionError> {
    let json = match format {
        Format::Json => true,
        Format::Yaml => false,
        Format::Detect => text.trim_start().starts_with('{'),
    };
    if json {
        serde_json::from_str(text)
            .map_err(|e| DefinitionError::new(None, "", format!("not valid JSON: {e}")))
    } else {
        serde_norway::from_str(text)
            .map_err(|e| DefinitionError::new(None, "", format!("not valid YAML: {e}")))
    }
}

/// Reads each step on its own, nested ones included, so one bad step doesn't hide the
/// errors of the others and each error names the step it is in.
fn from_value(mut value: Value) -> Result<Definition, Vec<DefinitionError>> {
    let mut errors = Vec::new();
    let steps = match value.get_mut("steps") {
        Some(Value::Array(steps)) => Some(read_steps(std::mem::take(steps), "steps", &mut errors)),
        // Missing or not a list: left in place for serde to report.
        _ => None,
    };
    let header = read_part::<Definition>(value, None, "");
    match (header, errors.is_empty()) {
        (Ok(mut definition), true) => {
            definition.steps = steps.unwrap_or_default();
            Ok(definition)
        }
        (Ok(_), false) => Err(errors),
        (Err(e), _) => {
            errors.insert(0, e);
            Err(errors)
        }
    }
}

fn read_steps(values: Vec<Value>, location: &str, errors: &mut Vec<DefinitionError>) -> Vec<Step> {
    values
        .into_iter()
        .enumerate()
        .filter_map(|(i, value)| read_step(value, &format!("{location}[{i}]"), errors))
        .collect()
}

/// Steps nested in a parallel's branches or a map, read apart from the step holding them.
enum Nested {
    Branches(Vec<Vec<Step>>),
    Steps(Vec<Step>),
}

/// `location` (like `steps[2].branches[0][1]`) names a step that has no usable id.
fn read_step(value: Value, location: &str, errors: &mut Vec<DefinitionError>) -> Option<Step> {
    let Value::Object(mut fields) = value else {
        errors.push(DefinitionError::new(
            None,
            location,
            "a step is an object with an `id` and a `type`",
        ));
        return None;
    };
    let before = errors.len();
    let id = match fields.remove("id") {
        Some(Value::String(id)) => Some(id),
        Some(other) => {
            errors.push(DefinitionError::new(
                None,
                format!("{location}.id"),
                format!("an id is a string, not {other}"),
            ));
            None
        }
        None => {
            errors.push(DefinitionError::new(
                None,
                format!("{location}.id"),
                "missing field `id`",
            ));
            None
        }
    };
    // Fields of a step without an id are named by the step's position.
    let prefix = match &id {
        Some(_) => String::new(),
        None => format!("{location}."),
    };
    let step = id.as_deref();
    let kind = match fields.remove("type") {
        Some(Value::String(kind)) => kind,
        other => {
            let message = match other {
                Some(other) => format!("a step type is a string, not {other}"),
                None => "missing field `type`".to_owned(),
            };
            errors.push(DefinitionError::new(step, format!("{prefix}type"), message));
            return None;
        }
    };
    // Nested steps are read one by one; taking them leaves empty lists, which the step
    // itself reads fine.
    let nested = match kind.as_str() {
        "parallel" => match fields.get_mut("branches") {
            Some(Value::Array(branches)) => Some(Nested::Branches(
                branches
                    .iter_mut()
                    .enumerate()
                    .filter_map(|(b, branch)| match branch {
                        Value::Array(steps) => Some(read_steps(
                            std::mem::take(steps),
                            &format!("{prefix}branches[{b}]"),
                            errors,
                        )),
                        _ => None,
                    })
                    .collect(),
            )),
            _ => None,
        },
        "map" => match fields.get_mut("steps") {
            Some(Value::Array(steps)) => Some(Nested::Steps(read_steps(
                std::mem::take(steps),
                &format!("{prefix}steps"),
                errors,
            ))),
            _ => None,
        },
        _ => None,
    };
    let kind = read_kind(&kind, Value::Object(fields), step, &prefix);
    let step = match kind {
        Ok(kind) => Step { id: id?, kind },
        Err(e) => {
            errors.insert(before, e);
            return None;
        }
    };
    if errors.len() > before {
        return None;
    }
    Some(with_nested(step, nested))
}

/// Reads a step's fields (all but `id` and `type`) as its kind. Done by hand rather than
/// through `StepKind`'s own `Deserialize`, which buffers the fields and so loses the path
/// to a bad one.
fn read_kind(
    kind: &str,
    fields: Value,
    step: Option<&str>,
    prefix: &str,
) -> Result<StepKind, DefinitionError> {
    Ok(match kind {
        "tool" => StepKind::Tool(read_part(fields, step, prefix)?),
        "parallel" => StepKind::Parallel(read_part(fields, step, prefix)?),
        "map" => StepKind::Map(read_part(fields, step, prefix)?),
        "choice" => StepKind::Choice(read_part(fields, step, prefix)?),
        "wait" => StepKind::Wait(read_part(fields, step, prefix)?),
        "approval" => StepKind::Approval(read_part(fields, step, prefix)?),
        "succeed" => StepKind::Succeed(read_part(fields, step, prefix)?),
        "fail" => StepKind::Fail(read_part(fields, step, prefix)?),
        other => {
            return Err(DefinitionError::new(
                step,
                format!("{prefix}type"),
                format!(
                    "unknown step type `{other}`; the types are {}",
                    KINDS.join(", ")
                ),
            ));
        }
    })
}

const KINDS: [&str; 8] = [
    "tool", "parallel", "map", "choice", "wait", "approval", "succeed", "fail",
];

fn with_nested(mut step: Step, nested: Option<Nested>) -> Step {
    match (&mut step.kind, nested) {
        (StepKind::Parallel(parallel), Some(Nested::Branches(branches))) => {
            parallel.branches = branches;
        }
        (StepKind::Map(map), Some(Nested::Steps(steps))) => map.steps = steps,
        _ => {}
    }
    step
}

/// Deserializes one part, turning serde's error into one that names the step and field.
fn read_part<T: DeserializeOwned>(
    value: Value,
    step: Option<&str>,
    prefix: &str,
) -> Result<T, DefinitionError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = match e.path().to_string() {
            root if root == "." => String::new(),
            path => path,
        };
        let message = e.inner().to_string();
        // serde names a missing field in its message, with the path of the object it is
        // missing from; the field itself is what an editor should point at.
        let field = match message
            .strip_prefix("missing field `")
            .and_then(|m| m.strip_suffix('`'))
        {
            Some(missing) if path.is_empty() => missing.to_owned(),
            Some(missing) => format!("{path}.{missing}"),
            None => path,
        };
        let field = format!("{prefix}{field}");
        DefinitionError::new(step, field.trim_end_matches('.'), message)
    })
}
