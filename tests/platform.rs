//! Black-box tests of the platform: HTTP routes, Lambda handlers fed their sample events, the
//! local runner, and template.yaml's agreement with the code.

#[path = "platform/template.rs"]
mod template;
