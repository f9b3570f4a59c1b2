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
    let dir = tempfile::tempdir().unwrap();
    let embedded = plasma_embedded::Embedded::open(
        dir.path(),
        Vec::new(),
        Vec::new(),
        "http://127.0.0.1".into(),
        Arc::new(plasma_core::SystemClock),
        Arc::new(plasma_core::UuidV7Ids),
    )
    .unwrap();
    let tenants = plasma_tools::TenantTools::new(
        embedded.items.clone(),
        embedded.cipher.clone(),
        Arc::new(plasma_core::SystemClock),
    );
    let registered = tools(&ToolSettings::default(), Arc::new(NoLlm), tenants);
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
