//! The JSONPath templates of workflow step inputs and conditions, resolved against a run's
//! context: `path\ncontext JSON`. A bad path is an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use plasma_workflow::resolve;
use serde_json::{Value, json};

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let (template, context) = input.split_once('\n').unwrap_or((input, ""));
    let context = serde_json::from_str(context).unwrap_or_else(|_| {
        json!({"input": {"a": [1, {"b": "x"}], "n": 2}, "steps": {"s": {"output": {"score": 0.5}}}})
    });
    let _ = resolve(&Value::String(template.to_owned()), &context);
    let _ = resolve(&json!({"nested": [template, {"k": template}]}), &context);
});
