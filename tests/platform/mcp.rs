//! `/mcp` against `plasma serve`, driven by the Python MCP SDK: the platform's tools are
//! listed and called under the caller's tenant and permissions, and a caller without a token
//! is refused.

use crate::common::TestApp;
use plasma_tests::mcp_client::{describe, ensure_venv, last_json_line, run_client};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_mcp_client_lists_and_calls_the_platforms_tools() {
    let python = tokio::task::spawn_blocking(ensure_venv)
        .await
        .unwrap()
        .unwrap_or_else(|e| panic!("the Python MCP client could not be installed:\n{e}"));
    let app = TestApp::spawn().await;
    let editor = app.token("acme", &["editor"]);
    let doc = crate::research::upload(&app, &editor, json!({"title": "Tunnel log", "content": "The transonic wind tunnel reached Mach 1.2 after the new diffuser was fitted."})).await;
    crate::research::settled(&app, &editor, doc["id"].as_str().unwrap()).await;
    let url = format!("{}/mcp", app.url);

    let calls = json!([
        ["research.search", {"query": "transonic tunnel diffuser", "top_k": 3}],
        ["research.ask", {"question": "What Mach number did the wind tunnel reach?"}],
        ["content.check", {"text": "a".repeat(281), "channel": "x"}],
        ["content.generate", {"topic": "Tunnel upgrade", "channels": ["linkedin"]}],
    ]);
    let out = run_client(&python, &url, Some(&editor), &calls).await;
    assert!(
        out.status.success(),
        "the Python client failed:\n{}",
        describe(&out)
    );
    let got = last_json_line(&out);
    let names: Vec<&str> = got["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    for tool in [
        "research.search",
        "research.ask",
        "brand.mentions",
        "content.check",
        "content.generate",
    ] {
        assert!(names.contains(&tool), "{tool} missing: {got}");
    }
    let results = got["results"].as_array().unwrap();
    assert_eq!(results[0]["isError"], false, "{got}");
    assert_eq!(
        results[0]["structuredContent"]["results"][0]["document_id"], doc["id"],
        "{got}"
    );
    assert!(
        results[1]["structuredContent"]["answer"]
            .as_str()
            .unwrap()
            .contains("1.2"),
        "{got}"
    );
    assert_eq!(
        results[2]["structuredContent"]["passed"], false,
        "281 weighted characters: {got}"
    );
    assert_eq!(
        results[3]["structuredContent"]["items"][0]["channel"], "linkedin",
        "{got}"
    );
    // The draft the tool made is the tenant's, through REST too.
    let (_, items) = crate::common::json(
        app.get("/content/items")
            .bearer_auth(&editor)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(items["items"].as_array().unwrap().len(), 1, "{items}");

    // Workflows: run one by name over MCP, then inspect its execution.
    let (status, _) = crate::common::json(
        app.post("/agent/workflows")
            .bearer_auth(&editor)
            .json(&json!({"name": "tunnel-digest", "definition": "steps:\n  - id: find\n    type: tool\n    tool: research.search\n    input: {query: $.input.q, top_k: 2}\n"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 201);
    let calls = json!([
        ["workflows.run", {"workflow": "tunnel-digest", "input": {"q": "transonic diffuser"}}],
        ["workflows.list", {}],
    ]);
    let out = run_client(&python, &url, Some(&editor), &calls).await;
    assert!(out.status.success(), "{}", describe(&out));
    let got = last_json_line(&out);
    let names = got["tools"].to_string();
    for tool in [
        "workflows.run",
        "workflows.inspect",
        "workflows.list",
        "brand.scan",
    ] {
        assert!(names.contains(tool), "{tool} missing: {got}");
    }
    // Scheduling needs content:publish, which an editor lacks.
    assert!(!names.contains("content.schedule"), "{got}");
    let execution = got["results"][0]["structuredContent"]["execution_id"]
        .as_str()
        .unwrap_or_else(|| panic!("{got}"))
        .to_owned();
    assert_eq!(
        got["results"][1]["structuredContent"]["workflows"][0]["name"], "tunnel-digest",
        "{got}"
    );
    let inspected = crate::common::eventually("the workflow run over MCP to finish", || {
        let (python, url, editor, execution) = (
            python.clone(),
            url.clone(),
            editor.clone(),
            execution.clone(),
        );
        async move {
            let calls = json!([["workflows.inspect", {"execution_id": execution}]]);
            let out = run_client(&python, &url, Some(&editor), &calls).await;
            let got = last_json_line(&out);
            let view = got["results"][0]["structuredContent"].clone();
            (view["status"] == "succeeded").then_some(view)
        }
    })
    .await;
    assert_eq!(
        inspected["output"]["steps"]["find"]["output"]["results"][0]["document_id"], doc["id"],
        "{inspected}"
    );

    // A viewer sees no writing tool and is refused one by name; another tenant finds nothing.
    let viewer = app.token("globex", &["viewer"]);
    let calls = json!([
        ["content.generate", {"topic": "x", "channels": ["x"]}],
        ["research.search", {"query": "transonic tunnel diffuser"}],
    ]);
    let out = run_client(&python, &url, Some(&viewer), &calls).await;
    assert!(out.status.success(), "{}", describe(&out));
    let got = last_json_line(&out);
    assert!(
        !got["tools"].to_string().contains("content.generate"),
        "{got}"
    );
    assert_eq!(got["results"][0]["isError"], true, "{got}");
    assert!(
        got["results"][0]["content"][0]["text"]
            .as_str()
            .unwrap()
            .contains("content:write"),
        "{got}"
    );
    assert_eq!(
        got["results"][1]["structuredContent"]["results"],
        json!([]),
        "{got}"
    );

    let out = run_client(&python, &url, None, &json!([])).await;
    assert!(
        !out.status.success(),
        "accepted without a token:\n{}",
        describe(&out)
    );
    assert_eq!(last_json_line(&out)["refused"], 401, "{}", describe(&out));
    app.stop().await;
}
