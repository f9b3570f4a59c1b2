use plasma_core::{Completion, CompletionOutput, Llm, PortResult};
use plasma_tools::{ToolSettings, tools};
use std::sync::Arc;

struct NoLlm;

#[async_trait::async_trait]
impl Llm for NoLlm {
    async fn complete(&self, _: Completion) -> PortResult<CompletionOutput> {
        unreachable!("not called")
    }
    fn model(&self) -> &str {
        "none"
    }
}

#[test]
fn every_tool_is_registered_under_its_name() {
    let registered = tools(&ToolSettings::default(), Arc::new(NoLlm));
    let names: Vec<&str> = registered.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        names,
        [
            "http.request",
            "llm.complete",
            "notify",
            "mcp.call",
            "browser.fetch",
            "browser.screenshot"
        ]
    );
}
