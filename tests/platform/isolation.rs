//! The tenant-isolation sweep. It walks every route the API registers: tenant B must get 404
//! (not 403: existence is not leaked) for each of tenant A's resources, and no list B reads may
//! hold anything of A's. It fails when a route appears that it does not know how to cover: a
//! public route not on the allowlist below (a route added without a permission), or a route
//! with a path parameter that has no resource of A's to point it at.

use crate::common::{TestApp, json};
use axum::http::Method;
use serde_json::json;

/// Routes anyone may call. Adding to this list is a security decision.
const PUBLIC: [(&str, &str); 4] = [
    ("GET", "/health"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/graphql"),
];

#[tokio::test]
async fn every_route_keeps_tenants_apart() {
    let app = TestApp::spawn().await;
    let (_, specs) = plasma_platform::api::api(app.server.platform());
    let a = app.token("tenant-a", &["admin"]);
    let b = app.token("tenant-b", &["admin"]);

    // One resource of each kind for tenant A, made through the API as a user would.
    let (_, key) = json(
        app.post("/admin/api-keys")
            .bearer_auth(&a)
            .json(&json!({"name": "a-key"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let key_id = key["key"]["id"]
        .as_str()
        .expect("api key created")
        .to_string();
    let hook = json!({"url": "http://127.0.0.1:9/hook", "description": "a-hook"});
    let (_, endpoint) = json(
        app.post("/webhooks")
            .bearer_auth(&a)
            .json(&hook)
            .send()
            .await
            .unwrap(),
    )
    .await;
    let endpoint_id = endpoint["endpoint"]["id"]
        .as_str()
        .expect("endpoint created")
        .to_string();
    let (_, monitor) = json(
        app.post("/brand/monitors")
            .bearer_auth(&a)
            .json(&json!({"name": "a-monitor", "names": ["a-brand"]}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let monitor_id = monitor["id"].as_str().expect("monitor created").to_string();
    let doc = crate::research::upload(
        &app,
        &a,
        json!({"title": "a-document", "content": "Acme Rockets builds engines in Denver."}),
    )
    .await;
    let doc_id = doc["id"].as_str().expect("document created").to_string();
    crate::research::settled(&app, &a, &doc_id).await;
    let (_, entities) = json(
        app.get("/research/graph/entities?q=Acme%20Rockets")
            .bearer_auth(&a)
            .send()
            .await
            .unwrap(),
    )
    .await;
    let entity_id = entities["items"][0]["id"]
        .as_str()
        .expect("entity extracted")
        .to_string();
    let (_, job) = json(
        app.post("/research/jobs")
            .bearer_auth(&a)
            .json(&json!({"question": "Where does Acme Rockets build engines?"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let job_id = job["id"].as_str().expect("job created").to_string();
    // Content: a voice profile, a drafted item, a campaign, a publishing destination.
    let content = |path: &'static str, body: serde_json::Value| {
        let (app, a) = (&app, a.clone());
        async move {
            let (status, made) = json(
                app.post(path)
                    .bearer_auth(&a)
                    .json(&body)
                    .send()
                    .await
                    .unwrap(),
            )
            .await;
            assert_eq!(status, 201, "{path}: {made}");
            made
        }
    };
    let profile = content("/content/profiles", json!({"name": "a-profile"})).await;
    let profile_id = profile["id"].as_str().unwrap().to_string();
    let drafts = content(
        "/content/drafts",
        json!({"topic": "a-topic", "channels": ["linkedin"]}),
    )
    .await;
    let item_id = drafts["items"][0]["id"].as_str().unwrap().to_string();
    let campaign = content("/content/campaigns", json!({"name": "a-campaign", "goals": ["a-goal"], "start": "2030-01-01", "end": "2030-01-31", "timezone": "UTC"})).await;
    let campaign_id = campaign["id"].as_str().unwrap().to_string();
    let (status, _) = json(
        app.http
            .put(format!("{}/content/destinations/mastodon", app.url))
            .bearer_auth(&a)
            .json(&json!({"token": "a-secret-token", "base_url": "https://a.example"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    let (status, workflow) = json(
        app.post("/agent/workflows")
            .bearer_auth(&a)
            .json(&json!({"name": "a-workflow", "definition": {"steps": [{"id": "review", "type": "approval", "prompt": "a-question"}]}}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 201, "{workflow}");
    let workflow_id = workflow["id"].as_str().unwrap().to_string();
    let (status, started) = json(
        app.post(&format!("/agent/workflows/{workflow_id}/executions"))
            .bearer_auth(&a)
            .json(&json!({"input": {"a-input": true}}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 201, "{started}");
    let execution_id = started["execution_id"].as_str().unwrap().to_string();
    let (status, notify) = json(
        app.put("/agent/settings/notify")
            .bearer_auth(&a)
            .json(&json!({"webhook_url": "https://a-notify.example/hook", "slack_webhook_url": "https://hooks.slack.example/a-slack"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{notify}");
    let (status, server) = json(
        app.put("/agent/settings/mcp-servers/a-server")
            .bearer_auth(&a)
            .json(&json!({"url": "https://a-mcp.example/mcp", "bearer": "a-mcp-bearer"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{server}");
    let secrets_of_a = [
        notify["webhook_secret"].as_str().unwrap().to_string(),
        "a-notify.example".into(),
        "a-slack".into(),
        "a-server".into(),
        "a-mcp.example".into(),
        "a-mcp-bearer".into(),
        workflow_id.clone(),
        "a-workflow".into(),
        execution_id.clone(),
        "a-question".into(),
        "a-input".into(),
        profile_id.clone(),
        "a-profile".into(),
        item_id.clone(),
        "a-topic".into(),
        campaign_id.clone(),
        "a-campaign".into(),
        "a-secret-token".into(),
        "a.example".into(),
        key_id.clone(),
        endpoint_id.clone(),
        key["secret"].as_str().unwrap().to_string(),
        "tenant-a".into(),
        "a-key".into(),
        "a-hook".into(),
        monitor_id.clone(),
        "a-monitor".into(),
        doc_id.clone(),
        "a-document".into(),
        "Acme Rockets".into(),
        "Denver".into(),
        job_id.clone(),
    ];
    // Which of A's ids each parameterised route addresses.
    let id_for = |path: &str| -> Option<&str> {
        if path.starts_with("/admin/api-keys/") {
            Some(&key_id)
        } else if path.starts_with("/webhooks/") {
            Some(&endpoint_id)
        } else if path.starts_with("/brand/monitors/") {
            Some(&monitor_id)
        } else if path.starts_with("/research/documents/") {
            Some(&doc_id)
        } else if path.starts_with("/research/graph/entities/") {
            Some(&entity_id)
        } else if path.starts_with("/research/jobs/") {
            Some(&job_id)
        } else if path.starts_with("/content/profiles/") {
            Some(&profile_id)
        } else if path.starts_with("/content/items/") {
            Some(&item_id)
        } else if path.starts_with("/content/campaigns/") {
            Some(&campaign_id)
        } else if path.starts_with("/agent/workflows/") {
            Some(&workflow_id)
        } else if path.starts_with("/agent/executions/") {
            Some(&execution_id)
        } else {
            None
        }
    };

    let mut covered = 0;
    let mut destination_routes = Vec::new();
    let mut mcp_server_routes = Vec::new();
    // Lists first: once B has probed A's ids, B's own audit log rightly holds the paths B sent.
    let mut probes = Vec::new();
    for spec in &specs {
        let method = spec.method.as_str();
        if spec.permission.is_none() && !spec.authenticated {
            assert!(
                PUBLIC.contains(&(method, spec.path)),
                "{method} {} is public but not on the allowlist: give it a permission",
                spec.path
            );
            continue;
        }
        // Without credentials every protected route refuses.
        let anonymous = app
            .http
            .request(spec.method.clone(), format!("{}{}", app.url, spec.path))
            .send()
            .await
            .unwrap();
        assert_eq!(
            anonymous.status(),
            401,
            "{method} {} without credentials",
            spec.path
        );

        if spec.path == "/content/destinations/{destination}" {
            // Destinations are names every tenant has: B's requests address B's own.
            destination_routes.push(spec);
            continue;
        }
        if spec.path == "/agent/settings/mcp-servers/{name}" {
            // Server names are the tenant's own: B's requests address B's own.
            mcp_server_routes.push(spec);
            continue;
        }
        if spec.path == "/research/graph/path" {
            // Its resources are in the query: A's entities are unknown to B.
            let path = format!("{}?from={entity_id}&to={entity_id}", spec.path).replace(' ', "%20");
            let (status, body) = json(app.get(&path).bearer_auth(&b).send().await.unwrap()).await;
            assert_eq!(status, 404, "B on A's {path}: {body}");
            covered += 1;
        } else if spec.path.contains('{') {
            probes.push(spec);
        } else if spec.method == Method::GET {
            let (status, body) =
                json(app.get(spec.path).bearer_auth(&b).send().await.unwrap()).await;
            assert_eq!(status, 200, "B lists {}: {body}", spec.path);
            let text = body.to_string();
            for secret in &secrets_of_a {
                assert!(
                    !text.contains(secret.as_str()),
                    "B's {} shows A's {secret}: {text}",
                    spec.path
                );
            }
            covered += 1;
        }
    }
    // The GraphQL schema reads the same stores: B's view holds nothing of A's.
    let query = json!({"query": "{ apiKeys { id name } auditLog { items { actor resource } } agentWorkflows agentExecutions }"});
    let (status, body) = json(
        app.post("/graphql")
            .bearer_auth(&b)
            .json(&query)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    for secret in &secrets_of_a {
        assert!(
            !body.to_string().contains(secret.as_str()),
            "GraphQL shows B A's {secret}: {body}"
        );
    }

    for spec in probes {
        let method = spec.method.as_str();
        let id = id_for(spec.path).unwrap_or_else(|| {
            panic!(
                "{method} {}: the sweep has no resource for this route; add one",
                spec.path
            )
        });
        // Mention routes answer 404 for A's monitor before looking at the mention.
        let path = spec
            .path
            .replace("{id}", &id.replace(' ', "%20"))
            .replace("{mention}", "0-00")
            .replace("{step}", "review");
        let request = app
            .http
            .request(spec.method.clone(), format!("{}{path}", app.url));
        let (status, body) = json(
            request
                .bearer_auth(&b)
                .json(&valid_body(method, spec.path))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 404, "B on A's {method} {path}: {body}");
        assert_eq!(body["code"], "not_found", "{method} {path}");
        covered += 1;
    }
    // B's destination requests touch B's own: deleting finds nothing, and A's stays.
    assert_eq!(destination_routes.len(), 2, "PUT and DELETE");
    let (status, _) = json(
        app.delete("/content/destinations/mastodon")
            .bearer_auth(&b)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 404, "B deletes A's destination");
    let (_, mine) = json(
        app.get("/content/destinations")
            .bearer_auth(&a)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(mine["items"][0]["destination"], "mastodon", "{mine}");
    covered += 1;
    assert_eq!(mcp_server_routes.len(), 2, "PUT and DELETE");
    let (status, _) = json(
        app.delete("/agent/settings/mcp-servers/a-server")
            .bearer_auth(&b)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 404, "B deletes A's MCP server");
    let (_, mine) = json(
        app.get("/agent/settings/mcp-servers")
            .bearer_auth(&a)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(mine["items"][0]["name"], "a-server", "{mine}");
    covered += 1;
    assert!(covered >= 6, "the sweep covered only {covered} routes");

    // And A still has everything B tried to touch.
    let (_, keys) = json(
        app.get("/admin/api-keys")
            .bearer_auth(&a)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(keys["items"][0]["revoked_at"].is_null(), "{keys}");
    let (_, hooks) = json(app.get("/webhooks").bearer_auth(&a).send().await.unwrap()).await;
    assert_eq!(hooks["items"].as_array().unwrap().len(), 1, "{hooks}");
    app.stop().await;
}

/// A body the route accepts, so that what B gets back depends only on whether the resource
/// is B's (a malformed body would be refused before the lookup).
fn valid_body(method: &str, path: &str) -> serde_json::Value {
    match (method, path) {
        ("POST", "/content/items/{id}/transitions") => json!({"to": "in_review"}),
        ("POST", "/content/items/{id}/schedule") => json!({"at": "2030-01-01T09:00:00Z"}),
        ("POST", "/content/items/{id}/comments") => json!({"text": "b was here"}),
        ("PATCH", "/content/items/{id}") => json!({"body": "b's text"}),
        ("PUT", "/content/profiles/{id}") => json!({"name": "b's profile"}),
        ("POST", "/agent/workflows/{id}/executions") => json!({"input": {}}),
        ("POST", "/agent/executions/{id}/approvals/{step}") => json!({"decision": "approved"}),
        ("POST", "/agent/executions/{id}/replay") => json!({"from_step": "review", "state": {}}),
        ("POST", "/content/campaigns/{id}/plan") => {
            json!({"cadence": [{"channel": "x", "per_week": 1}]})
        }
        _ => json!({}),
    }
}
