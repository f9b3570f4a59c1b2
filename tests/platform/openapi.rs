//! `/openapi.json`: a valid OpenAPI 3.1 document listing exactly the routes of the route
//! table, each with the permission and security the table gives it; `/docs` locally only.

use crate::common::{TestApp, json};
use axum::body::Body;
use axum::http::Request;
use plasma_gateway::RouteSpec;
use serde_json::Value;
use std::collections::BTreeSet;
use tower::ServiceExt;

fn operations(doc: &Value) -> BTreeSet<String> {
    let mut ops = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            if op.get("responses").is_some() {
                ops.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    ops
}

fn routes(specs: &[RouteSpec]) -> BTreeSet<String> {
    specs
        .iter()
        .map(|s| format!("{} {}", s.method, s.path))
        .collect()
}

/// Every `$ref` in the document, with where it is.
fn refs<'a>(value: &'a Value, at: String, out: &mut Vec<(String, &'a str)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push((at.clone(), r)),
                    _ => refs(v, format!("{at}/{k}"), out),
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                refs(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Parse with an OpenAPI 3.1 model, resolve every reference, and match the route table.
fn check_document(doc: &Value, specs: &[RouteSpec]) {
    let spec = oas3::from_json(doc.to_string()).expect("parses as OpenAPI 3.1");
    let version = spec.validate_version().expect("a 3.1 version");
    assert_eq!((version.major, version.minor), (3, 1), "{version}");

    let mut found = Vec::new();
    refs(doc, String::new(), &mut found);
    assert!(
        !found.is_empty(),
        "the document shares schemas by reference"
    );
    for (at, r) in found {
        let target = r.strip_prefix('#').and_then(|p| doc.pointer(p));
        assert!(target.is_some(), "{at}: {r} does not resolve");
    }
    for (path, method, op) in spec.operations() {
        let raw = op.responses.as_ref().map_or(0, |r| r.len());
        assert!(raw > 0, "{method} {path} has no responses");
        assert_eq!(
            op.responses(&spec).len(),
            raw,
            "{method} {path}: a response does not resolve"
        );
        op.request_body(&spec).expect("request body resolves");
        op.parameters(&spec).expect("parameters resolve");
    }

    assert_eq!(
        operations(doc),
        routes(specs),
        "the document's operations (left) must be the route table's routes (right)"
    );
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["scheme"], "bearer", "{schemes}");
    assert_eq!(schemes["apiKey"]["name"], "x-api-key", "{schemes}");
    for s in specs {
        let op = &doc["paths"][s.path][s.method.as_str().to_lowercase()];
        let permission = s.permission.map(|p| p.as_str());
        assert_eq!(
            op["x-permission"].as_str(),
            permission,
            "{} {}",
            s.method,
            s.path
        );
        assert_eq!(
            op["security"].is_array(),
            s.authenticated,
            "{} {}",
            s.method,
            s.path
        );
        // What the shared layers answer for an operation of this shape is documented on it.
        let has = |place: &str| {
            op["parameters"]
                .as_array()
                .is_some_and(|ps| ps.iter().any(|p| p["in"] == place))
        };
        let body = op.get("requestBody").is_some();
        let mut shared = Vec::new();
        if body || has("query") || has("path") {
            shared.push("400");
        }
        if body {
            shared.extend(["413", "415"]);
        }
        if has("path") {
            shared.push("404");
        }
        for status in shared {
            let answer = &op["responses"][status]["content"];
            assert!(
                answer.get(plasma_http::problem::CONTENT_TYPE).is_some(),
                "{} {} {status}: {answer}",
                s.method,
                s.path
            );
        }
        for guard_answer in ["401", "429"] {
            assert_eq!(
                op["responses"][guard_answer].is_object(),
                s.authenticated,
                "{} {} {guard_answer}",
                s.method,
                s.path
            );
        }
    }
}

#[tokio::test]
async fn openapi_document_is_valid_and_lists_exactly_the_route_table() {
    let app = TestApp::spawn().await;
    let (_, specs) = plasma_platform::api::api(app.server.platform());
    let r = app.get("/openapi.json").send().await.unwrap();
    assert_eq!(r.headers()["content-type"], "application/json");
    let (status, doc) = json(r).await;
    assert_eq!(status, 200, "{doc}");
    check_document(&doc, &specs);
    // The route kinds all occur, so the per-kind checks above each ran.
    assert!(specs.iter().any(|s| s.permission.is_some()));
    assert!(
        specs
            .iter()
            .any(|s| s.authenticated && s.permission.is_none())
    );
    assert_eq!(
        doc["paths"]["/admin/api-keys"]["get"]["x-permission"],
        "admin:*"
    );
    assert!(doc["paths"]["/health"]["get"].get("security").is_none());
    // Creates link to the operations on what they created, with the id from their body.
    let links = &doc["paths"]["/content/profiles"]["post"]["responses"]["201"]["links"];
    assert_eq!(links["getProfile"]["operationId"], "getProfile", "{links}");
    assert_eq!(
        links["getProfile"]["parameters"]["id"],
        "$response.body#/id"
    );
    let links = &doc["paths"]["/brand/monitors"]["post"]["responses"]["201"]["links"];
    assert_eq!(
        links["deleteAlertRule"]["parameters"]["id"], "$response.body#/id",
        "{links}"
    );
    let links = &doc["paths"]["/webhooks"]["post"]["responses"]["201"]["links"];
    assert_eq!(
        links["deleteWebhookEndpoint"]["parameters"]["id"], "$response.body#/endpoint/id",
        "{links}"
    );
    app.stop().await;
}

#[tokio::test]
async fn deployed_api_has_no_pages_and_its_document_still_matches() {
    let app = TestApp::spawn().await;
    // Deployed, there is no embedded runtime; everything else can stay as it is.
    let mut deployed = app.server.platform().clone();
    deployed.ports.embedded = None;
    let (router, specs) = plasma_platform::api::api(&deployed);
    let get = |path: &str| Request::get(path).body(Body::empty()).unwrap();
    let r = router.clone().oneshot(get("/openapi.json")).await.unwrap();
    let bytes = axum::body::to_bytes(r.into_body(), usize::MAX)
        .await
        .unwrap();
    let doc: Value = serde_json::from_slice(&bytes).unwrap();
    check_document(&doc, &specs);
    for path in ["/docs", "/graphql"] {
        assert!(!routes(&specs).contains(&format!("GET {path}")), "{path}");
    }
    let r = router.clone().oneshot(get("/docs")).await.unwrap();
    assert_eq!(r.status(), 404);
    let r = router.oneshot(get("/graphql")).await.unwrap();
    assert_eq!(r.status(), 405, "only POST /graphql is served deployed");
    app.stop().await;
}

#[tokio::test]
async fn local_runner_serves_self_contained_pages() {
    let app = TestApp::spawn().await;
    for (path, mentions) in [("/docs", "/openapi.json"), ("/graphql", "/graphql")] {
        let r = app.get(path).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        let page = r.text().await.unwrap();
        assert!(page.contains(mentions), "{path}");
        assert!(
            !page.contains("https://") && !page.contains("http://"),
            "{path} loads nothing from elsewhere"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn deployed_public_routes_skip_the_jwt_authorizer_in_the_template() {
    let app = TestApp::spawn().await;
    let mut deployed = app.server.platform().clone();
    deployed.ports.embedded = None;
    let (_, specs) = plasma_platform::api::api(&deployed);
    let tpl = crate::template::template();
    let api = crate::template::functions(&tpl);
    let unauthorized: BTreeSet<String> = api["api"]
        .events()
        .into_iter()
        .map(|(_, e)| &e["Properties"])
        .filter(|p| p["Auth"]["Authorizer"] == "NONE")
        .map(|p| {
            format!(
                "{} {}",
                p["Method"].as_str().unwrap_or("ANY"),
                p["Path"].as_str().unwrap_or("?")
            )
        })
        .collect();
    let public: BTreeSet<String> = specs
        .iter()
        .filter(|s| !s.authenticated)
        .map(|s| format!("{} {}", s.method, s.path))
        .collect();
    assert_eq!(
        public, unauthorized,
        "public routes (left), template routes without the authorizer (right)"
    );
    app.stop().await;
}
