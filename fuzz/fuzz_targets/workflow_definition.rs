//! Workflow definitions as users send them: JSON (even first byte) or YAML (odd), parsed and
//! validated; a valid one also compiles to Amazon States Language.
#![no_main]

use libfuzzer_sys::fuzz_target;
use plasma_workflow::{Format, compile_asl, parse};

fuzz_target!(|data: &[u8]| {
    let Some((first, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let format = if first % 2 == 0 {
        Format::Json
    } else {
        Format::Yaml
    };
    if let Ok(definition) = parse(text, format) {
        let _ = compile_asl(
            &definition,
            "arn:aws:lambda:us-east-1:123456789012:function:agent-step",
        );
    }
});
