//! Brand monitors' boolean query language: any text either parses or is refused, never a
//! panic, and a parsed query can match any text. Input: `include[\texclusion...]\ntext`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use plasma_brand::query::Query;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let (queries, text) = input.split_once('\n').unwrap_or((input, ""));
    let mut parts = queries.split('\t');
    let include = parts.next().unwrap_or_default();
    let exclusions: Vec<&str> = parts.collect();
    if let Ok(query) = Query::parse_with_exclusions(include, &exclusions) {
        query.matches(text);
    }
});
