//! The tools a `tool` step can call: the platform's capabilities the agent-step Lambda runs.

/// Every tool name a `tool` step may use.
pub const TOOLS: &[&str] = &[
    "research.search",
    "research.ask",
    "brand.scan",
    "brand.mentions",
    "content.generate",
    "content.check",
    "content.schedule",
    "http.request",
    "llm.complete",
    "notify",
    "mcp.call",
    "browser.fetch",
    "browser.screenshot",
];
