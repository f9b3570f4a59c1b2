//! Black-box tests of the platform: HTTP routes, Lambda handlers fed their sample events, the
//! local runner, and template.yaml's agreement with the code.

#[path = "platform/common.rs"]
mod common;
#[path = "platform/functions.rs"]
mod functions;
#[path = "platform/http.rs"]
mod http;
#[path = "platform/template.rs"]
mod template;
