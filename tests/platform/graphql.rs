//! `/graphql`: the same principal, permissions, data and audit trail as the REST routes, with
//! introspection, federation's `_service`, and depth limits.

use crate::common::{TestApp, eventually, json};
use serde_json::{Map, Value, json};

/// The standard introspection query GraphQL tools send (graphql-js `getIntrospectionQuery`).
const INTROSPECTION: &str = r#"
query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) {
    name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason
  }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}
"#;

async fn gql(app: &TestApp, token: &str, query: &str, variables: Value) -> Value {
    let r = app
        .post("/graphql")
        .bearer_auth(token)
        .json(&json!({ "query": query, "variables": variables }));
    let (status, body) = json(r.send().await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// GraphQL's camelCase names as REST's snake_case, and timestamps as instants, so that the
/// two APIs' answers compare equal when they carry the same data.
fn as_rest(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (snake(k), as_rest(v)))
                .collect::<Map<_, _>>(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(as_rest).collect()),
        Value::String(s) => match chrono::DateTime::parse_from_rfc3339(s) {
            Ok(t) => Value::String(t.to_utc().to_rfc3339()),
            Err(_) => value.clone(),
        },
        _ => value.clone(),
    }
}

fn snake(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

fn error_code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("")
}

#[tokio::test]
async fn introspection_and_federation_sdl_work() {
    let app = TestApp::spawn().await;
    let viewer = app.token("acme", &["viewer"]);
    let body = gql(&app, &viewer, INTROSPECTION, json!({})).await;
    assert!(body["errors"].is_null(), "{body}");
    let schema = &body["data"]["__schema"];
    assert_eq!(schema["queryType"]["name"], "Query");
    assert_eq!(schema["mutationType"]["name"], "Mutation");
    let types: Vec<&str> = schema["types"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    for name in [
        "ApiKey",
        "AuditEvent",
        "Health",
        "NewKeyInput",
        "Permission",
        "Role",
    ] {
        assert!(types.contains(&name), "{name} missing from {types:?}");
    }

    let body = gql(&app, &viewer, "{ _service { sdl } }", json!({})).await;
    let sdl = body["data"]["_service"]["sdl"].as_str().unwrap_or_default();
    assert!(
        sdl.contains("apiKeys") && sdl.contains("createApiKey"),
        "{body}"
    );
    app.stop().await;
}

#[tokio::test]
async fn queries_return_the_same_data_as_rest() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", &["admin"]);
    for new in [
        json!({"name": "ingest", "scopes": ["content:read", "content:write"]}),
        json!({"name": "reports", "role": "viewer", "expires_at": "2999-01-01T00:00:00Z"}),
    ] {
        let r = app.post("/admin/api-keys").bearer_auth(&admin).json(&new);
        let (s, created) = json(r.send().await.unwrap()).await;
        assert_eq!(s, 201, "{created}");
        if new["name"] == "reports" {
            let id = created["key"]["id"].as_str().unwrap();
            let r = app
                .delete(&format!("/admin/api-keys/{id}"))
                .bearer_auth(&admin);
            assert_eq!(r.send().await.unwrap().status(), 204);
        }
    }
    let (_, rest) = json(
        app.get("/admin/api-keys")
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap(),
    )
    .await;
    let body = gql(
        &app,
        &admin,
        "{ apiKeys { id name role scopes hint createdBy createdAt expiresAt lastUsedAt revokedAt } }",
        json!({}),
    )
    .await;
    assert!(body["errors"].is_null(), "{body}");
    assert_eq!(rest["items"].as_array().unwrap().len(), 2, "{rest}");
    assert_eq!(as_rest(&body["data"]["apiKeys"]), as_rest(&rest["items"]));

    let r = app.get("/admin/health").bearer_auth(&admin);
    let (_, rest) = json(r.send().await.unwrap()).await;
    let body = gql(
        &app,
        &admin,
        "{ health { status version backend adapters } }",
        json!({}),
    )
    .await;
    let health = &body["data"]["health"];
    for field in ["status", "version", "backend"] {
        assert_eq!(health[field], rest[field], "{field}: {body}");
    }
    let names = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        names(&health["adapters"]),
        names(&rest["adapters"]),
        "{body}"
    );
    assert_eq!(names(&health["adapters"]).len(), 6, "{body}");
    app.stop().await;
}

#[tokio::test]
async fn permissions_are_the_rest_routes_permissions() {
    let app = TestApp::spawn().await;
    let r = app
        .post("/graphql")
        .json(&json!({"query": "{ health { status } }"}));
    let (s, b) = json(r.send().await.unwrap()).await;
    assert_eq!((s, b["code"].as_str()), (401, Some("unauthorized")), "{b}");

    let viewer = app.token("acme", &["viewer"]);
    let body = gql(&app, &viewer, "{ apiKeys { id } }", json!({})).await;
    assert_eq!(error_code(&body), "forbidden", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["permission"], "admin:*");
    assert_eq!(body["errors"][0]["path"], json!(["apiKeys"]));
    let body = gql(
        &app,
        &viewer,
        "mutation { createApiKey(input: {name: \"x\"}) { secret } }",
        json!({}),
    )
    .await;
    assert_eq!(error_code(&body), "forbidden", "{body}");

    // A field the viewer may read still answers beside the refused one.
    let body = gql(
        &app,
        &viewer,
        "{ health { status } apiKeys { id } }",
        json!({}),
    )
    .await;
    assert_eq!(body["data"]["health"]["status"], "ok", "{body}");
    assert_eq!(error_code(&body), "forbidden", "{body}");

    // An API key gets its role's permissions here too.
    let admin = app.token("acme", &["admin"]);
    let body = gql(
        &app,
        &admin,
        "mutation($n: String!) { createApiKey(input: {name: $n}) { secret } }",
        json!({"n": "bot"}),
    )
    .await;
    let secret = body["data"]["createApiKey"]["secret"].as_str().unwrap();
    let r = app
        .post("/graphql")
        .header("x-api-key", secret)
        .json(&json!({"query": "{ auditLog { items { action } } }"}));
    let (_, body) = json(r.send().await.unwrap()).await;
    assert_eq!(error_code(&body), "forbidden", "{body}");
    app.stop().await;
}

#[tokio::test]
async fn too_deep_queries_are_refused() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", &["admin"]);
    let deep = format!(
        "{{ __schema {{ types {{ fields {{ type {{ {} name {} }} }} }} }} }}",
        "ofType {".repeat(14),
        "}".repeat(14)
    );
    let body = gql(&app, &admin, &deep, json!({})).await;
    assert!(body["data"].is_null(), "{body}");
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("too deep"), "{body}");
    app.stop().await;
}

#[tokio::test]
async fn mutations_are_audited_like_rest() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", &["admin"]);
    let r = app
        .post("/graphql")
        .bearer_auth(&admin)
        .header("x-request-id", "gql-create")
        .json(&json!({
            "query": "mutation($k: NewKeyInput!) { createApiKey(input: $k) { key { id role } secret } }",
            "variables": {"k": {"name": "via graphql", "scopes": ["brand:read"]}},
        }));
    let (_, body) = json(r.send().await.unwrap()).await;
    let created = &body["data"]["createApiKey"];
    assert_eq!(created["key"]["role"], "service", "{body}");
    assert!(created["secret"].as_str().unwrap().starts_with("pk_"));
    let id = created["key"]["id"].as_str().unwrap().to_string();
    let body = gql(
        &app,
        &admin,
        "mutation($id: String!) { revokeApiKey(id: $id) }",
        json!({"id": id}),
    )
    .await;
    assert_eq!(body["data"]["revokeApiKey"], true, "{body}");
    let body = gql(
        &app,
        &admin,
        "mutation { revokeApiKey(id: \"nope\") }",
        json!({}),
    )
    .await;
    assert_eq!(error_code(&body), "not_found", "{body}");

    let entries = eventually("three audit entries", || async {
        let (_, body) = json(
            app.get("/admin/audit")
                .bearer_auth(&admin)
                .send()
                .await
                .unwrap(),
        )
        .await;
        let items = body["items"].as_array().cloned().unwrap_or_default();
        (items.len() >= 3).then_some(items)
    })
    .await;
    let created = entries
        .iter()
        .find(|e| e["request_id"] == "gql-create")
        .expect("creation audited");
    assert_eq!(created["action"], "POST /admin/api-keys");
    assert_eq!(created["outcome"], "success");
    assert_eq!(created["actor"], "user-acme");
    let revoked = entries
        .iter()
        .find(|e| e["resource"] == format!("/admin/api-keys/{id}"))
        .expect("revocation audited");
    assert_eq!(revoked["action"], "DELETE /admin/api-keys/{id}");
    // The route's guard adds no entry of its own: queries are reads, mutations audit above.
    assert!(
        entries.iter().all(|e| e["action"] != "POST /graphql"),
        "{entries:?}"
    );
    assert!(
        entries.iter().any(|e| e["outcome"] == "failure: 404"),
        "{entries:?}"
    );

    // The audit log reads the same through both APIs.
    let body = gql(
        &app,
        &admin,
        "{ auditLog(limit: 10) { items { tenant actor action resource outcome requestId at } next } }",
        json!({}),
    )
    .await;
    assert_eq!(
        as_rest(&body["data"]["auditLog"]["items"]),
        as_rest(&Value::Array(entries))
    );
    app.stop().await;
}
