//! Issue 13, item 5: cost cannot be multiplied. One GraphQL request aliasing an expensive
//! field costs what the same REST requests cost, and every surface (REST, GraphQL, MCP, a
//! workflow's tool step) takes the same question, query and `top_k` limits.

use crate::common::{TestApp, eventually, header, json};
use chrono::{Duration, Utc};
use plasma::serve::{Options, Server};
use plasma_content::check::MAX_CHECK_TEXT_BYTES;
use plasma_core::ManualClock;
use plasma_gateway::DevKey;
use plasma_gateway::rate_limit::RateLimits;
use plasma_http::outbound::Egress;
use plasma_mcp::{McpClient, RemoteServer};
use plasma_research::limits::{DEFAULT_TOP_K, MAX_QUERY_CHARS, MAX_QUESTION_CHARS, TOP_K};
use serde_json::{Value, json};
use std::sync::Arc;

/// 12 requests a minute for each caller, plenty for the tenant.
const TWELVE: &str = r#"{"default_plan": "t",
    "plans": {"t": {"tenant_per_minute": 1000, "principal_per_minute": 12}}}"#;

/// `n` aliases of a global ask in one query.
fn aliased_asks(n: usize) -> String {
    let fields: String = (0..n)
        .map(|i| format!(" a{i}: researchAsk(question: \"What is flutter?\", mode: GLOBAL)"))
        .collect();
    format!("{{{fields} }}")
}

#[tokio::test]
async fn aliased_graphql_asks_cost_what_as_many_rest_asks_cost() {
    let dir = tempfile::tempdir().unwrap();
    // Frozen: no token comes back during the test, so every count is exact.
    let options = Options {
        settings: plasma_platform::Settings {
            rate_limits: RateLimits::parse(TWELVE).unwrap(),
            ..plasma_platform::Settings::default()
        },
        clock: Arc::new(ManualClock::new(Utc::now())),
        ..Options::default()
    };
    let server = Server::start_with(dir.path(), "127.0.0.1:0".parse().unwrap(), options)
        .await
        .unwrap();
    let key = DevKey::load_or_create(dir.path()).unwrap();
    let token =
        |subject: &str| key.issue("acme", subject, &["editor"], Duration::hours(1), Utc::now());
    plasma_tests::install_crypto_provider();
    let http = reqwest::Client::new();
    let url = server.url();
    let graphql = |token: String, query: String| {
        http.post(format!("{url}/graphql"))
            .bearer_auth(token)
            .json(&json!({ "query": query }))
            .send()
    };

    // The attack: 248 global asks for one request. Refused before any runs, for one token.
    let mallory = token("mallory");
    let r = graphql(mallory.clone(), aliased_asks(248)).await.unwrap();
    let remaining = header(r.headers(), "ratelimit-remaining");
    let (status, body) = json(r).await;
    assert!(
        status == 200 && body["data"].is_null() && body["errors"][0].is_object(),
        "{status} {body}"
    );
    assert_eq!(remaining, "11", "the refused query cost its request only");

    // Ten aliased asks run, and cost ten requests.
    let alice = token("alice");
    let r = graphql(alice.clone(), aliased_asks(10)).await.unwrap();
    let remaining = header(r.headers(), "ratelimit-remaining");
    let (status, body) = json(r).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["errors"].is_null(), "{body}");
    assert_eq!(body["data"].as_object().unwrap().len(), 10, "{body}");
    assert_eq!(remaining, "2", "12 - 10: each ask took a token");

    // Three more don't fit in the 2 left: the whole query is refused as REST would refuse
    // its third request, with nothing run.
    let r = graphql(alice.clone(), aliased_asks(3)).await.unwrap();
    let retry_after = header(r.headers(), "retry-after");
    let (status, body) = json(r).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (429, Some("rate_limited")),
        "{body}"
    );
    assert!(
        retry_after.parse::<u64>().is_ok_and(|s| s >= 1),
        "{retry_after}"
    );
    assert!(body.get("data").is_none(), "{body}");

    // The REST budget is the same one: its request left one token, this ask takes it.
    let ask = || {
        http.post(format!("{url}/research/ask"))
            .bearer_auth(&alice)
            .json(&json!({"question": "What is flutter?", "mode": "global"}))
            .send()
    };
    let r = ask().await.unwrap();
    assert_eq!(
        (
            r.status().as_u16(),
            header(r.headers(), "ratelimit-remaining")
        ),
        (200, "0".into())
    );
    assert_eq!(ask().await.unwrap().status(), 429);
    server.stop().await.unwrap();
}

/// A research workflow whose one step calls `tool` with the execution's input.
fn one_step(tool: &str) -> Value {
    json!({"steps": [{"id": "call", "type": "tool", "tool": tool, "input": "$.input"}]})
}

/// The surfaces a caller can reach research through, each answering "refused as invalid"
/// or "accepted" for one request.
struct Surfaces<'a> {
    app: &'a TestApp,
    token: String,
    mcp: McpClient,
}

impl Surfaces<'_> {
    async fn rest(&self, path: &str, body: Value) -> bool {
        let r = self.app.post(path).bearer_auth(&self.token).json(&body);
        let (status, answer) = json(r.send().await.unwrap()).await;
        match status {
            200 => true,
            400 => false,
            _ => panic!("{path}: {status} {answer}"),
        }
    }

    async fn graphql(&self, field: &str, args: &str, variables: Value) -> bool {
        let query = format!("query($text: String!) {{ {field}({args}) }}");
        let r = self
            .app
            .post("/graphql")
            .bearer_auth(&self.token)
            .json(&json!({"query": query, "variables": variables}));
        let (status, body) = json(r.send().await.unwrap()).await;
        assert_eq!(status, 200, "{body}");
        match &body["errors"] {
            Value::Null => true,
            errors if errors[0]["extensions"]["status"] == 400 => false,
            _ => panic!("{field}: {body}"),
        }
    }

    async fn mcp(&self, tool: &str, arguments: Value) -> bool {
        let out = self.mcp.call_tool(tool, arguments).await.unwrap();
        if !out.is_error {
            return true;
        }
        let code = &out.structured.as_ref().expect("an error's structure")["code"];
        assert_eq!(code, "invalid_request", "{tool}: {}", out.text);
        false
    }

    /// A workflow step: it succeeds, or fails as invalid input.
    async fn workflow(&self, workflow: &str, input: Value) -> bool {
        let r = self
            .app
            .post(&format!("/agent/workflows/{workflow}/executions"))
            .bearer_auth(&self.token)
            .json(&json!({ "input": input }));
        let (status, started) = json(r.send().await.unwrap()).await;
        assert_eq!(status, 201, "{started}");
        let id = started["execution_id"].as_str().unwrap().to_owned();
        let view = eventually(&format!("execution {id} to end"), || async {
            let r = self.app.get(&format!("/agent/executions/{id}"));
            let (_, view) = json(r.bearer_auth(&self.token).send().await.unwrap()).await;
            matches!(view["status"].as_str(), Some("succeeded" | "failed")).then_some(view)
        })
        .await;
        if view["status"] == "succeeded" {
            return true;
        }
        assert_eq!(view["error"]["error"], "Tool.InvalidInput", "{view}");
        false
    }

    async fn save(&self, name: &str, definition: Value) -> String {
        let r = self
            .app
            .post("/agent/workflows")
            .bearer_auth(&self.token)
            .json(&json!({"name": name, "definition": definition}));
        let (status, saved) = json(r.send().await.unwrap()).await;
        assert_eq!(status, 201, "{saved}");
        saved["id"].as_str().unwrap().to_owned()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_surface_takes_the_same_question_query_and_top_k_limits() {
    let app = TestApp::spawn_with(plasma_platform::Settings {
        agent: plasma_agent::AgentSettings {
            poll: std::time::Duration::from_millis(100),
            ..plasma_agent::AgentSettings::default()
        },
        ..plasma_platform::Settings::default()
    })
    .await;
    let token = app.token("acme", &["editor"]);
    let mcp = McpClient::connect(&RemoteServer {
        url: format!("{}/mcp", app.url),
        bearer: Some(token.clone()),
        timeout: std::time::Duration::from_secs(30),
        egress: Egress {
            allow_private: true,
        },
    })
    .await
    .unwrap();

    let s = Surfaces {
        app: &app,
        token,
        mcp,
    };
    let ask = s.save("ask", one_step("research.ask")).await;
    let find = s.save("find", one_step("research.search")).await;

    // The longest question is taken everywhere; one character more is refused everywhere.
    for (question, taken) in [
        ("q".repeat(MAX_QUESTION_CHARS), true),
        ("q".repeat(MAX_QUESTION_CHARS + 1), false),
    ] {
        let args = json!({ "question": question });
        assert_eq!(
            s.rest("/research/ask", args.clone()).await,
            taken,
            "REST ask"
        );
        let vars = json!({ "text": question });
        assert_eq!(
            s.graphql("researchAsk", "question: $text", vars).await,
            taken,
            "GraphQL ask"
        );
        assert_eq!(s.mcp("research.ask", args.clone()).await, taken, "MCP ask");
        assert_eq!(s.workflow(&ask, args).await, taken, "workflow ask");
    }
    for (query, taken) in [
        ("q".repeat(MAX_QUERY_CHARS), true),
        ("q".repeat(MAX_QUERY_CHARS + 1), false),
    ] {
        let args = json!({ "query": query });
        assert_eq!(
            s.rest("/research/search", args.clone()).await,
            taken,
            "REST search"
        );
        let vars = json!({ "text": query });
        assert_eq!(
            s.graphql("researchSearch", "query: $text", vars).await,
            taken,
            "GraphQL search"
        );
        assert_eq!(
            s.mcp("research.search", args.clone()).await,
            taken,
            "MCP search"
        );
        assert_eq!(s.workflow(&find, args).await, taken, "workflow search");
    }
    for (top_k, taken) in [(*TOP_K.end(), true), (TOP_K.end() + 1, false), (0, false)] {
        let args = json!({ "query": "flutter", "top_k": top_k });
        assert_eq!(
            s.rest("/research/search", args.clone()).await,
            taken,
            "REST top_k {top_k}"
        );
        let vars = json!({ "text": "flutter" });
        let graphql = s
            .graphql(
                "researchSearch",
                &format!("query: $text, topK: {top_k}"),
                vars,
            )
            .await;
        assert_eq!(graphql, taken, "GraphQL topK {top_k}");
        assert_eq!(
            s.mcp("research.search", args.clone()).await,
            taken,
            "MCP top_k {top_k}"
        );
        assert_eq!(
            s.workflow(&find, args).await,
            taken,
            "workflow top_k {top_k}"
        );
    }
    // A compliance check's text: the same byte limit on REST, MCP and a workflow step.
    let check = s.save("check", one_step("content.check")).await;
    for (text, taken) in [
        ("Our engine is fast.".to_string(), true),
        ("x".repeat(MAX_CHECK_TEXT_BYTES + 1), false),
    ] {
        let args = json!({ "text": text, "channel": "blog" });
        assert_eq!(
            s.rest("/content/check", args.clone()).await,
            taken,
            "REST check"
        );
        assert_eq!(
            s.mcp("content.check", args.clone()).await,
            taken,
            "MCP check"
        );
        assert_eq!(s.workflow(&check, args).await, taken, "workflow check");
    }
    // What the MCP tools advertise is what every surface enforces.
    let tools = s.mcp.list_tools().await.unwrap();
    let schema = |name: &str| {
        tools
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("no {name} tool"))
            .input_schema["properties"]
            .clone()
    };
    assert_eq!(
        schema("research.ask")["question"]["maxLength"],
        MAX_QUESTION_CHARS
    );
    let search = schema("research.search");
    assert_eq!(search["query"]["maxLength"], MAX_QUERY_CHARS);
    assert_eq!(search["top_k"]["maximum"], *TOP_K.end());
    assert_eq!(search["top_k"]["default"], DEFAULT_TOP_K);
    let r = app
        .post("/graphql")
        .bearer_auth(&s.token)
        .json(&json!({"query":
        "{ __type(name: \"Query\") { fields { name args { name defaultValue } } } }"}));
    let (_, body) = json(r.send().await.unwrap()).await;
    let fields = body["data"]["__type"]["fields"].as_array().unwrap().clone();
    let search_field = fields
        .iter()
        .find(|f| f["name"] == "researchSearch")
        .unwrap();
    let top_k = search_field["args"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "topK");
    assert_eq!(top_k.unwrap()["defaultValue"], DEFAULT_TOP_K.to_string());

    s.mcp.close().await;
    app.stop().await;
}
