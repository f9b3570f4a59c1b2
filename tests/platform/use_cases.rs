//! Each use case is declared once (`plasma_gateway::use_case`): its limits and defaults are
//! what the MCP tools list, and REST, GraphQL, the MCP tools and a workflow step all accept
//! and refuse the same values at those limits, with the same problem code. The limits are
//! read from the MCP listing, so a tool that gains a limit is probed here without editing
//! this test (and fails it until its surfaces are known below).

use crate::common::{TestApp, eventually, json};
use plasma_mcp::{Egress, McpClient, RemoteServer};
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

/// How a surface answered one request.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    /// Accepted, with the number of results when the surface returns a list of them.
    Accepted(Option<usize>),
    /// Refused with this problem code (a workflow step says only that its input was invalid).
    Refused(String),
}

/// Where a use case is served besides MCP, and the arguments every probe starts from.
struct Surfaces {
    base: Value,
    rest: Rest,
    /// The GraphQL query field, when there is one.
    graphql: Option<&'static str>,
    /// Where the accepted answer's results are, to compare how many each surface gives.
    results: Option<&'static str>,
}

enum Rest {
    /// POST the arguments as the body.
    Body(&'static str),
    /// GET with `id_field` in the path (`{id}`) and the other arguments as the query.
    Query {
        path: &'static str,
        id_field: &'static str,
    },
}

struct Probe<'a> {
    app: &'a TestApp,
    token: String,
    mcp: McpClient,
}

impl Probe<'_> {
    async fn rest(&self, rest: &Rest, args: &Value) -> Outcome {
        let request = match rest {
            Rest::Body(path) => self.app.post(path).json(args),
            Rest::Query { path, id_field } => {
                let mut args = args.as_object().unwrap().clone();
                let id = args.remove(*id_field).unwrap();
                let query: Vec<(String, String)> = args
                    .into_iter()
                    .map(|(k, v)| (k, v.to_string().trim_matches('"').to_owned()))
                    .collect();
                self.app
                    .get(&path.replace("{id}", id.as_str().unwrap()))
                    .query(&query)
            }
        };
        let (status, body) = json(request.bearer_auth(&self.token).send().await.unwrap()).await;
        match status {
            200..=202 => Outcome::Accepted(None),
            400..=499 => Outcome::Refused(body["code"].as_str().unwrap().to_owned()),
            _ => panic!("REST {status}: {body}"),
        }
        .counted(&body, "results")
    }

    async fn graphql(&self, field: &str, args: &Value) -> Outcome {
        // Strings travel as variables (no escaping); numbers and lists as literals.
        let (mut params, mut vars, mut given) = (Vec::new(), Map::new(), Vec::new());
        for (name, value) in args.as_object().unwrap() {
            let name = camel_case(name);
            match value {
                Value::String(_) => {
                    params.push(format!("${name}: String!"));
                    vars.insert(name.clone(), value.clone());
                    given.push(format!("{name}: ${name}"));
                }
                _ => given.push(format!("{name}: {value}")),
            }
        }
        let params = if params.is_empty() {
            String::new()
        } else {
            format!("({})", params.join(", "))
        };
        let query = format!("query{params} {{ {field}({}) }}", given.join(", "));
        let r = self
            .app
            .post("/graphql")
            .bearer_auth(&self.token)
            .json(&json!({"query": query, "variables": vars}));
        let (status, body) = json(r.send().await.unwrap()).await;
        assert_eq!(status, 200, "{query}: {body}");
        match &body["errors"] {
            Value::Null => Outcome::Accepted(body["data"][field].as_array().map(Vec::len)),
            errors => match errors[0]["extensions"]["code"].as_str() {
                Some(code) => Outcome::Refused(code.to_owned()),
                None => panic!("{query}: an error without a problem code: {body}"),
            },
        }
    }

    async fn mcp(&self, tool: &str, args: &Value) -> Outcome {
        let out = self.mcp.call_tool(tool, args.clone()).await.unwrap();
        let structured = out.structured.clone().unwrap_or_default();
        if out.is_error {
            Outcome::Refused(structured["code"].as_str().unwrap().to_owned())
        } else {
            Outcome::Accepted(None).counted(&structured, "results")
        }
    }

    /// A workflow whose one step calls `tool` with the execution's input.
    async fn save_step(&self, tool: &str) -> String {
        let definition =
            json!({"steps": [{"id": "call", "type": "tool", "tool": tool, "input": "$.input"}]});
        let r = self
            .app
            .post("/agent/workflows")
            .bearer_auth(&self.token)
            .json(&json!({"name": tool.replace('.', "-"), "definition": definition}));
        let (status, saved) = json(r.send().await.unwrap()).await;
        assert_eq!(status, 201, "{saved}");
        saved["id"].as_str().unwrap().to_owned()
    }

    async fn workflow(&self, workflow: &str, args: &Value) -> Outcome {
        let r = self
            .app
            .post(&format!("/agent/workflows/{workflow}/executions"))
            .bearer_auth(&self.token)
            .json(&json!({ "input": args }));
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
            return Outcome::Accepted(None)
                .counted(&view["output"]["steps"]["call"]["output"], "results");
        }
        assert_eq!(view["error"]["error"], "Tool.InvalidInput", "{view}");
        Outcome::Refused("Tool.InvalidInput".into())
    }
}

impl Outcome {
    fn counted(self, body: &Value, key: &str) -> Self {
        match self {
            Self::Accepted(_) => Self::Accepted(body[key].as_array().map(Vec::len)),
            refused => refused,
        }
    }
}

fn camel_case(snake: &str) -> String {
    let mut words = snake.split('_');
    let mut camel = words.next().unwrap().to_owned();
    for word in words {
        camel.push_str(&word[..1].to_uppercase());
        camel.push_str(&word[1..]);
    }
    camel
}

/// One probe: the arguments, and whether the declaration takes them.
struct Case {
    what: String,
    args: Value,
    taken: bool,
    /// When a default is probed: how many results it must give.
    results: Option<usize>,
}

/// The probes a tool's listed schema calls for: each limit, and one past it; each default,
/// by leaving the field out.
fn cases(base: &Value, schema: &Value) -> Vec<Case> {
    let mut cases = Vec::new();
    let with = |field: &str, value: Value| {
        let mut args = base.clone();
        args[field] = value;
        args
    };
    for (field, property) in schema["properties"].as_object().unwrap() {
        let limit = |keyword: &str| property[keyword].as_i64();
        let mut case = |what: String, args: Value, taken: bool| {
            cases.push(Case {
                what: format!("{field} {what}"),
                args,
                taken,
                results: None,
            })
        };
        if let Some(max) = limit("maximum") {
            case(format!("= maximum {max}"), with(field, max.into()), true);
            case("= maximum + 1".into(), with(field, (max + 1).into()), false);
        }
        if let Some(min) = limit("minimum") {
            case(format!("= minimum {min}"), with(field, min.into()), true);
            case("= minimum - 1".into(), with(field, (min - 1).into()), false);
        }
        if let Some(max) = limit("maxLength") {
            let text = "q".repeat(max as usize);
            case(
                format!("of maxLength {max}"),
                with(field, text.into()),
                true,
            );
            let text = "q".repeat(max as usize + 1);
            case("of maxLength + 1".into(), with(field, text.into()), false);
        }
        if limit("minLength").is_some_and(|min| min >= 1) {
            case("blank".into(), with(field, "  ".into()), false);
        }
        // Lists of a value every probed list field takes (a channel; a keyword).
        let items = |n: i64| Value::from(vec!["blog"; n as usize]);
        if let Some(min) = limit("minItems") {
            case(
                format!("with minItems {min}"),
                with(field, items(min)),
                true,
            );
            if min > 0 {
                case("below minItems".into(), with(field, items(min - 1)), false);
            }
        }
        if let Some(max) = limit("maxItems") {
            case(
                format!("with maxItems {max}"),
                with(field, items(max)),
                true,
            );
            case("above maxItems".into(), with(field, items(max + 1)), false);
        }
        if let Some(default) = property.get("default") {
            let mut args = base.clone();
            args.as_object_mut().unwrap().remove(field);
            cases.push(Case {
                what: format!("{field} left out (default {default})"),
                args,
                taken: true,
                results: default.as_u64().map(|d| d as usize),
            });
        }
    }
    cases
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_surface_takes_and_refuses_the_same_values_at_each_declared_limit() {
    // Some 200 requests from one caller: above the default plan's minute.
    let limits = r#"{"plans": {"probe": {"tenant_per_minute": 100000,
        "principal_per_minute": 100000}}, "default_plan": "probe"}"#;
    let app = TestApp::spawn_with(plasma_platform::Settings {
        rate_limits: plasma_gateway::rate_limit::RateLimits::parse(limits).unwrap(),
        agent: plasma_agent::AgentSettings {
            poll: std::time::Duration::from_millis(100),
            ..plasma_agent::AgentSettings::default()
        },
        ..plasma_platform::Settings::default()
    })
    .await;
    let token = app.token("acme", &["admin"]);
    // More matching chunks than the default number of results, so the default shows.
    for n in 0..12 {
        let doc = crate::research::upload(&app, &token, json!({"title": format!("Wing {n}"), "content": format!("Wing panel {n} began to flutter at speed.")})).await;
        crate::research::settled(&app, &token, doc["id"].as_str().unwrap()).await;
    }
    let (status, monitor) = app
        .post_json(
            "/brand/monitors",
            &token,
            &json!({"name": "Acme", "names": ["Acme"], "sources": [{"kind": "rss", "url": "http://127.0.0.1:9/feed.xml"}]}),
        )
        .await;
    assert_eq!(status, 201, "{monitor}");
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
    let probe = Probe {
        app: &app,
        token,
        mcp,
    };

    let surfaces = |tool: &str| match tool {
        "research.search" => Surfaces {
            base: json!({"query": "flutter"}),
            rest: Rest::Body("/research/search"),
            graphql: Some("researchSearch"),
            results: Some("results"),
        },
        "research.ask" => Surfaces {
            base: json!({"question": "What began to flutter?"}),
            rest: Rest::Body("/research/ask"),
            graphql: Some("researchAsk"),
            results: None,
        },
        "brand.mentions" => Surfaces {
            base: json!({"monitor_id": monitor["id"]}),
            rest: Rest::Query {
                path: "/brand/monitors/{id}/mentions",
                id_field: "monitor_id",
            },
            graphql: None,
            results: None,
        },
        "content.check" => Surfaces {
            base: json!({"text": "Our engine is fast.", "channel": "blog"}),
            rest: Rest::Body("/content/check"),
            graphql: None,
            results: None,
        },
        "content.generate" => Surfaces {
            base: json!({"topic": "Wing flutter", "channels": ["blog"]}),
            rest: Rest::Body("/content/drafts"),
            graphql: None,
            results: None,
        },
        other => panic!("{other} declares limits, but this test does not know its surfaces"),
    };

    let tools = probe.mcp.list_tools().await.unwrap();
    let mut probed = BTreeSet::new();
    for tool in &tools {
        let schema = &tool.input_schema;
        let unchecked = plasma_gateway::use_case::unenforced(schema);
        assert!(unchecked.is_empty(), "{}: {unchecked:?}", tool.name);
        let limited = schema["properties"]
            .as_object()
            .into_iter()
            .flat_map(|properties| properties.values())
            .any(|p| {
                [
                    "minimum",
                    "maximum",
                    "minLength",
                    "maxLength",
                    "minItems",
                    "maxItems",
                    "default",
                ]
                .iter()
                .any(|k| p.get(*k).is_some())
            });
        if !limited {
            continue;
        }
        let declared: BTreeSet<String> = tool.meta["plasma.dev/errors"]
            .as_array()
            .unwrap_or_else(|| panic!("{} lists no errors: {}", tool.name, tool.meta))
            .iter()
            .map(|c| c.as_str().unwrap().to_owned())
            .collect();
        let s = surfaces(&tool.name);
        let step = probe.save_step(&tool.name).await;
        for case in cases(&s.base, schema) {
            let what = format!("{} with {}", tool.name, case.what);
            let rest = probe.rest(&s.rest, &case.args).await;
            let mcp = probe.mcp(&tool.name, &case.args).await;
            let workflow = probe.workflow(&step, &case.args).await;
            let mut answers = vec![("REST", rest), ("MCP", mcp)];
            if let Some(field) = s.graphql {
                answers.push(("GraphQL", probe.graphql(field, &case.args).await));
            }
            for (surface, outcome) in &answers {
                match outcome {
                    Outcome::Accepted(count) => {
                        assert!(case.taken, "{what}: {surface} accepted it");
                        if let (Some(_), Some(expected)) = (s.results, case.results) {
                            assert_eq!(*count, Some(expected), "{what}: {surface}'s results");
                        }
                    }
                    Outcome::Refused(code) => {
                        assert!(!case.taken, "{what}: {surface} refused it ({code})");
                        assert!(
                            declared.contains(code),
                            "{what}: {surface}: {code} undeclared"
                        );
                    }
                }
            }
            let codes: BTreeSet<_> = answers
                .iter()
                .map(|(_, o)| o.clone())
                .map(|o| format!("{o:?}"))
                .collect();
            assert_eq!(codes.len(), 1, "{what}: the surfaces differ: {answers:?}");
            let step_taken = matches!(workflow, Outcome::Accepted(_));
            assert_eq!(
                step_taken, case.taken,
                "{what}: the workflow step: {workflow:?}"
            );
            if let (Outcome::Accepted(count), Some(_), Some(expected)) =
                (&workflow, s.results, case.results)
            {
                assert_eq!(
                    *count,
                    Some(expected),
                    "{what}: the workflow step's results"
                );
            }
            probed.insert(tool.name.to_string());
        }
    }
    assert_eq!(
        probed,
        BTreeSet::from(
            [
                "brand.mentions",
                "content.check",
                "content.generate",
                "research.ask",
                "research.search",
            ]
            .map(String::from)
        ),
        "the use cases with limits"
    );
    probe.mcp.close().await;
    app.stop().await;
}
