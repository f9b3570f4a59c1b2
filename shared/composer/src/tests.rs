//! Unit tests, with the fixtures they share.

mod builtin;
mod citations;
mod fixtures;
mod llm;
mod text;
mod thread;
mod validate;
mod voice;
