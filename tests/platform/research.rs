//! Research through the HTTP API, as a user drives it: every format from upload to indexed to
//! a cited answer, idempotent uploads and replacement, deletion, presigned uploads, search
//! modes and filters, graph queries, GraphRAG answers across documents, research jobs.

use crate::common::{TestApp, eventually, json};
use plasma_documents::fixtures;
use serde_json::{Value, json};

pub async fn upload(app: &TestApp, token: &str, body: Value) -> Value {
    let (status, accepted) = app.post_json("/research/documents", token, &body).await;
    assert_eq!(status, 202, "{accepted}");
    accepted
}

async fn upload_file(app: &TestApp, token: &str, name: &str, mime: &str, bytes: Vec<u8>) -> Value {
    let part = reqwest::multipart::Part::bytes(bytes)
        .file_name(name.to_string())
        .mime_str(mime)
        .unwrap();
    let form = reqwest::multipart::Form::new()
        .part("file", part)
        .text("tags", "fixtures, formats");
    let (status, accepted) = json(
        app.post("/research/documents")
            .bearer_auth(token)
            .multipart(form)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 202, "{accepted}");
    accepted
}

/// The document once ingestion has settled (`indexed` or `failed`).
pub async fn settled(app: &TestApp, token: &str, id: &str) -> Value {
    eventually(&format!("document {id} to be ingested"), || async {
        let (_, doc) = app
            .get_json(&format!("/research/documents/{id}"), token)
            .await;
        matches!(doc["status"].as_str(), Some("indexed" | "failed")).then_some(doc)
    })
    .await
}

pub async fn ask(app: &TestApp, token: &str, question: &str, mode: &str) -> Value {
    let (status, answer) = app
        .post_json(
            "/research/ask",
            token,
            &json!({"question": question, "mode": mode, "include_context": true}),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    answer
}

pub async fn search(app: &TestApp, token: &str, body: Value) -> (u16, Value) {
    app.post_json("/research/search", token, &body).await
}

fn cited_documents(answer: &Value) -> Vec<String> {
    answer["citations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["document_id"].as_str().unwrap().to_string())
        .collect()
}

fn docx(paragraphs: &[(Option<&str>, &str)]) -> Vec<u8> {
    let body = fixtures::docx_body(paragraphs);
    fixtures::zip(&[
        ("[Content_Types].xml", br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#),
        ("word/document.xml", body.as_bytes()),
    ])
}

#[tokio::test]
async fn every_format_goes_from_upload_to_a_cited_answer() {
    let app = TestApp::spawn().await;
    let t = app.token("acme", &["editor"]);
    let html = "<html><head><title>Ornithopter notes</title><script>var secret = 'zebracode';</script></head>\
        <body><nav>Home | About | zebranav</nav><main><h1>Ornithopter notes</h1>\
        <p>The ornithopter prototype flaps its membrane wings at four hertz.</p></main>\
        <footer>Copyright zebrafooter</footer></body></html>";
    let uploads = vec![
        (upload(&app, &t, json!({"title": "Kite memo", "content": "Box kites lift the anemometer to three hundred metres in steady wind."})).await,
         "How high do box kites lift the anemometer?"),
        (upload(&app, &t, json!({"content": "# Glider log\n\nThe sailplane **thermalled** for ninety minutes above the quarry ridge.\n", "content_type": "text/markdown"})).await,
         "How long did the sailplane thermal above the quarry?"),
        (upload_file(&app, &t, "ornithopter.html", "text/html", html.as_bytes().to_vec()).await,
         "At what frequency does the ornithopter flap its membrane wings?"),
        (upload_file(&app, &t, "airship.pdf", "application/pdf", fixtures::pdf(Some("Airship survey"), &[&["The survey covers hangars."], &["The airship envelope holds helium at twelve kilopascals."]])).await,
         "What pressure does the airship envelope hold helium at?"),
        (upload_file(&app, &t, "rotor.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx(&[(Some("Heading1"), "Rotor study"), (None, "The autogyro rotor spins freely at two hundred revolutions per minute.")])).await,
         "How fast does the autogyro rotor spin?"),
        (upload(&app, &t, json!({"title": "Balloon data", "content": "{\"balloon\": {\"gas\": \"hydrogen\", \"ceiling\": \"the stratospheric balloon reached thirty kilometres\"}}", "content_type": "application/json"})).await,
         "What altitude did the stratospheric balloon reach?"),
    ];
    for (accepted, question) in &uploads {
        let id = accepted["id"].as_str().unwrap();
        let doc = settled(&app, &t, id).await;
        assert_eq!(doc["status"], "indexed", "{doc}");
        assert!(doc["chunks"].as_u64().unwrap() >= 1, "{doc}");
        let answer = ask(&app, &t, question, "naive").await;
        assert_eq!(answer["provider"], "builtin-extractive");
        let cited = cited_documents(&answer);
        assert_eq!(
            cited.first().map(String::as_str),
            Some(id),
            "{question}: {answer}"
        );
        assert!(
            answer["answer"].as_str().unwrap().contains("[1]"),
            "{answer}"
        );
    }
    // Titles come from the document when the upload gave none; formats are detected.
    let pdf = settled(&app, &t, uploads[3].0["id"].as_str().unwrap()).await;
    assert_eq!(pdf["format"], "pdf");
    assert_eq!(pdf["tags"], json!(["fixtures", "formats"]));
    // The PDF's page survives into the citation; HTML boilerplate never reaches the index.
    let answer = ask(&app, &t, "airship envelope helium pressure", "naive").await;
    assert_eq!(answer["citations"][0]["page"], 2, "{answer}");
    for junk in ["zebracode", "zebranav", "zebrafooter"] {
        let (_, found) = search(&app, &t, json!({"query": junk, "mode": "bm25"})).await;
        assert_eq!(found["results"], json!([]), "{junk} was indexed");
    }
    app.stop().await;
}

#[tokio::test]
async fn uploads_are_idempotent_replaceable_and_deletable() {
    let app = TestApp::spawn().await;
    let t = app.token("acme", &["editor"]);
    let body = json!({"title": "Wind tunnel", "content": "The closed-circuit wind tunnel reaches Mach two with the new diffuser.", "source": "lab/tunnel.txt", "metadata": {"lab": "north", "date": "2026-03-01"}});
    let first = upload(&app, &t, body.clone()).await;
    let id = first["id"].as_str().unwrap().to_string();
    assert_eq!(first["duplicate"], false);
    // The same bytes again: the same document.
    let again = upload(
        &app,
        &t,
        json!({"title": "Copy", "content": body["content"]}),
    )
    .await;
    assert_eq!(again["id"], first["id"]);
    assert_eq!(again["duplicate"], true);
    assert_eq!(settled(&app, &t, &id).await["status"], "indexed");
    let (_, found) = search(
        &app,
        &t,
        json!({"query": "diffuser Mach", "mode": "hybrid", "top_k": 5}),
    )
    .await;
    assert_eq!(found["results"][0]["document_id"], id.as_str(), "{found}");
    assert_eq!(found["results"][0]["metadata"]["lab"], "north");
    assert!(
        !found["results"][0]["highlights"]
            .as_array()
            .unwrap()
            .is_empty(),
        "{found}"
    );

    // A changed file from the same source replaces the document's content.
    let changed = upload(&app, &t, json!({"title": "Wind tunnel", "content": "The wind tunnel was rebuilt as a hypersonic shock tunnel.", "source": "lab/tunnel.txt"})).await;
    assert_eq!(changed["id"], id.as_str());
    assert_eq!(changed["replaced"], true);
    let doc = eventually("the replacement to be indexed", || async {
        let doc = settled(&app, &t, &id).await;
        (doc["version"] == 2).then_some(doc)
    })
    .await;
    assert_eq!(doc["status"], "indexed");
    let (_, old) = search(&app, &t, json!({"query": "diffuser", "mode": "bm25"})).await;
    assert_eq!(
        old["results"],
        json!([]),
        "the old content is still searchable: {old}"
    );
    let (_, new) = search(
        &app,
        &t,
        json!({"query": "hypersonic shock tunnel", "mode": "bm25"}),
    )
    .await;
    assert_eq!(new["results"][0]["document_id"], id.as_str());

    // Deleting removes it from search, the graph and answers.
    let other = upload(&app, &t, json!({"title": "Hangar", "content": "Zeppelin Works stores the airship LZ 130 in Hangar Nine near Friedrichshafen."})).await;
    let other_id = other["id"].as_str().unwrap().to_string();
    settled(&app, &t, &other_id).await;
    let (_, entities) = app
        .get_json("/research/graph/entities?q=Zeppelin", &t)
        .await;
    assert!(
        !entities["items"].as_array().unwrap().is_empty(),
        "{entities}"
    );
    let original = plasma_core::Key::new("RES#acme#ORIGINAL", other_id.as_str());
    assert!(
        app.server
            .platform()
            .ports
            .items
            .get(&original)
            .await
            .unwrap()
            .is_some(),
        "a small original is kept beside its record"
    );
    let response = app
        .delete(&format!("/research/documents/{other_id}"))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let (status, _) = app
        .get_json(&format!("/research/documents/{other_id}"), &t)
        .await;
    assert_eq!(status, 404);
    // Its original bytes (small, so kept beside the record) are gone too.
    let items = &app.server.platform().ports.items;
    assert!(
        items.get(&original).await.unwrap().is_none(),
        "the original outlived the document"
    );
    for mode in ["bm25", "vector", "hybrid"] {
        let (_, found) = search(
            &app,
            &t,
            json!({"query": "Zeppelin airship hangar", "mode": mode, "top_k": 10}),
        )
        .await;
        assert!(
            !found.to_string().contains(&other_id),
            "{mode} still finds it: {found}"
        );
    }
    let (_, entities) = app
        .get_json("/research/graph/entities?q=Zeppelin", &t)
        .await;
    assert_eq!(entities["items"], json!([]), "{entities}");
    for mode in ["naive", "local", "global"] {
        let answer = ask(&app, &t, "Where is the airship LZ 130 stored?", mode).await;
        assert!(
            !cited_documents(&answer).contains(&other_id),
            "{mode}: {answer}"
        );
    }
    // The same bytes may be uploaded again after a delete: a new document.
    let back = upload(&app, &t, json!({"content": "Zeppelin Works stores the airship LZ 130 in Hangar Nine near Friedrichshafen."})).await;
    assert_eq!(back["duplicate"], false);
    assert_ne!(back["id"], other_id.as_str());
    app.stop().await;
}

#[tokio::test]
async fn bad_uploads_get_clear_errors() {
    let app = TestApp::spawn().await;
    let t = app.token("acme", &["editor"]);
    let big = "a".repeat(4 * 1024 * 1024 + 10);
    let (status, problem) = app
        .post_json("/research/documents", &t, &json!({"content": big}))
        .await;
    assert_eq!(status, 413, "{problem}");
    assert_eq!(problem["code"], "payload_too_large");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("/research/uploads"),
        "{problem}"
    );
    let (status, problem) = app
        .post_json(
            "/research/documents",
            &t,
            &json!({"content": "", "title": "x"}),
        )
        .await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (400, Some("content")),
        "{problem}"
    );
    let (status, problem) = app
        .post_json(
            "/research/documents",
            &t,
            &json!({"content": "%%%", "content_encoding": "base64"}),
        )
        .await;
    assert_eq!(status, 400, "{problem}");
    // A file that claims to be a PDF but is not fails ingestion with a reason.
    let broken = upload_file(
        &app,
        &t,
        "broken.pdf",
        "application/pdf",
        b"%PDF-1.7\n garbage".to_vec(),
    )
    .await;
    let doc = settled(&app, &t, broken["id"].as_str().unwrap()).await;
    assert_eq!(doc["status"], "failed", "{doc}");
    assert!(
        !doc["reason"].as_str().unwrap_or_default().is_empty(),
        "{doc}"
    );
    // Viewers read but do not upload.
    let viewer = app.token("acme", &["viewer"]);
    let (status, _) = app
        .post_json("/research/documents", &viewer, &json!({"content": "x"}))
        .await;
    assert_eq!(status, 403);
    let (status, problem) = search(&app, &t, json!({"query": "x", "mode": "fuzzy"})).await;
    assert_eq!(status, 400, "{problem}");
    let (status, problem) = search(&app, &t, json!({"query": "x", "top_k": 0})).await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (400, Some("top_k")),
        "{problem}"
    );
    app.stop().await;
}

#[tokio::test]
async fn large_files_go_through_a_presigned_upload() {
    let app = TestApp::spawn().await;
    let t = app.token("acme", &["editor"]);
    let (status, ticket) = app
        .post_json(
            "/research/uploads",
            &t,
            &json!({"filename": "big notes.md", "content_type": "text/markdown"}),
        )
        .await;
    assert_eq!(status, 201, "{ticket}");
    assert!(
        ticket["key"]
            .as_str()
            .unwrap()
            .starts_with("incoming/acme/"),
        "{ticket}"
    );
    let mut content = String::from("# Canard study\n\n");
    for i in 0..2000 {
        content.push_str(&format!(
            "Canard configuration run {i} measured stable pitch behaviour at high alpha. "
        ));
    }
    content.push_str("The forward canard delays stall by four degrees.");
    assert!(content.len() > 100_000);
    assert_eq!(ticket["method"], "POST");
    let fields: std::collections::BTreeMap<String, String> =
        serde_json::from_value(ticket["fields"].clone()).unwrap();
    let (form_type, form) = plasma_conformance::blobs::upload_form(&fields, content.as_bytes());
    let response = app
        .http
        .post(ticket["url"].as_str().unwrap())
        .header("content-type", form_type)
        .body(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let doc = eventually("the uploaded file to become a document", || async {
        let (_, list) = app.get_json("/research/documents", &t).await;
        list["items"].as_array().unwrap().first().cloned()
    })
    .await;
    let doc = settled(&app, &t, doc["id"].as_str().unwrap()).await;
    assert_eq!(doc["status"], "indexed", "{doc}");
    assert_eq!(doc["title"], "big notes");
    assert!(doc["chunks"].as_u64().unwrap() > 10, "{doc}");
    let (_, found) = search(
        &app,
        &t,
        json!({"query": "canard delays stall", "mode": "hybrid", "top_k": 3}),
    )
    .await;
    assert_eq!(found["results"][0]["document_id"], doc["id"]);
    app.stop().await;
}

/// Two facts in two documents: only the graph joins them.
#[tokio::test]
async fn local_mode_joins_facts_across_documents() {
    let app = TestApp::spawn().await;
    let t = app.token("acme", &["editor"]);
    let a = upload(&app, &t, json!({"title": "Deals 2020", "content": "Acme Corp acquired Beta Labs in 2020 for an undisclosed sum. The deal closed in March."})).await;
    let b = upload(&app, &t, json!({"title": "Company profiles", "content": "Beta Labs is headquartered in Oslo. Beta Labs builds lidar sensors for drones."})).await;
    let noise = [
        "Gamma Foods opened a bakery in Lyon. Its founder trained in Paris.",
        "Delta Air ordered twelve regional jets. Deliveries begin next spring.",
        "Epsilon Bank is headquartered in Zurich and serves private clients.",
    ];
    for text in noise {
        upload(&app, &t, json!({"content": text})).await;
    }
    let (a, b) = (a["id"].as_str().unwrap(), b["id"].as_str().unwrap());
    settled(&app, &t, a).await;
    settled(&app, &t, b).await;
    let answer = ask(
        &app,
        &t,
        "Where is the company that Acme Corp acquired headquartered?",
        "local",
    )
    .await;
    let cited = cited_documents(&answer);
    assert!(
        cited.contains(&a.to_string()) && cited.contains(&b.to_string()),
        "{answer}"
    );
    let text = answer["answer"].as_str().unwrap();
    assert!(
        text.contains("Oslo") && text.contains("acquired"),
        "{answer}"
    );
    assert!(
        answer["context"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["via"].as_str().unwrap().contains("graph")),
        "{answer}"
    );

    // The graph behind it: the path from Acme to Oslo runs through Beta Labs.
    let (status, path) = app
        .get_json("/research/graph/path?from=Acme%20Corp&to=Oslo", &t)
        .await;
    assert_eq!(status, 200, "{path}");
    let names: Vec<&str> = path["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Acme Corp", "Beta Labs", "Oslo"], "{path}");
    let (status, around) = app
        .get_json(
            "/research/graph/entities/Beta%20Labs/neighbourhood?depth=1",
            &t,
        )
        .await;
    assert_eq!(status, 200, "{around}");
    assert!(
        around.to_string().contains("Oslo") && around.to_string().contains("Acme"),
        "{around}"
    );
    let (status, problem) = app
        .get_json(
            "/research/graph/entities/Beta%20Labs/neighbourhood?depth=4",
            &t,
        )
        .await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (400, Some("depth")),
        "{problem}"
    );
    let graphml = app
        .get("/research/graph/export?format=graphml")
        .bearer_auth(&t)
        .send()
        .await
        .unwrap();
    assert_eq!(graphml.status(), 200);
    let xml = graphml.text().await.unwrap();
    assert!(
        xml.starts_with("<?xml") && xml.contains("<graphml") && xml.contains("Beta Labs"),
        "{xml}"
    );
    let (_, communities) = app.get_json("/research/graph/communities", &t).await;
    assert!(
        !communities["items"].as_array().unwrap().is_empty(),
        "{communities}"
    );
    let global = ask(&app, &t, "What are the main companies and deals?", "global").await;
    assert!(
        !global["citations"].as_array().unwrap().is_empty(),
        "{global}"
    );
    app.stop().await;
}

#[tokio::test]
async fn search_modes_filters_and_tenants() {
    let app = TestApp::spawn().await;
    let t = app.token("acme", &["editor"]);
    let old = upload(&app, &t, json!({"content": "Supersonic inlet buzz appears at low mass flow.", "tags": ["inlets"], "metadata": {"date": "2019-05-01"}})).await;
    let new = upload(&app, &t, json!({"content": "Inlet buzz was suppressed with boundary layer bleed.", "tags": ["inlets", "control"], "metadata": {"date": "2025-05-01"}})).await;
    let other = upload(
        &app,
        &t,
        json!({"content": "Propeller noise falls with swept blade tips.", "tags": ["acoustics"]}),
    )
    .await;
    for d in [&old, &new, &other] {
        settled(&app, &t, d["id"].as_str().unwrap()).await;
    }
    for mode in ["bm25", "vector", "hybrid"] {
        let (status, found) = search(
            &app,
            &t,
            json!({"query": "inlet buzz", "mode": mode, "top_k": 3}),
        )
        .await;
        assert_eq!(status, 200, "{found}");
        let top: Vec<&str> = found["results"]
            .as_array()
            .unwrap()
            .iter()
            .take(2)
            .map(|r| r["document_id"].as_str().unwrap())
            .collect();
        assert!(
            top.contains(&old["id"].as_str().unwrap())
                && top.contains(&new["id"].as_str().unwrap()),
            "{mode}: {found}"
        );
    }
    let (_, found) = search(
        &app,
        &t,
        json!({"query": "inlet buzz", "filters": {"tags": ["control"]}}),
    )
    .await;
    assert_eq!(found["results"].as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found["results"][0]["document_id"], new["id"]);
    let (_, found) = search(
        &app,
        &t,
        json!({"query": "inlet buzz", "filters": {"to": "2020-01-01T00:00:00Z"}}),
    )
    .await;
    assert_eq!(found["results"].as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found["results"][0]["document_id"], old["id"]);
    let (_, found) = search(
        &app,
        &t,
        json!({"query": "buzz noise", "filters": {"document_ids": [other["id"]]}}),
    )
    .await;
    assert_eq!(found["results"][0]["document_id"], other["id"]);
    assert_eq!(found["results"].as_array().unwrap().len(), 1, "{found}");
    let (_, found) = search(&app, &t, json!({"query": "inlet buzz", "fusion": {"method": "linear", "bm25_weight": 1.0, "vector_weight": 0.0}})).await;
    assert_eq!(found["results"].as_array().unwrap().len(), 3, "{found}");
    // Another tenant's index is empty.
    let stranger = app.token("globex", &["editor"]);
    for mode in ["bm25", "vector", "hybrid"] {
        let (_, found) = search(
            &app,
            &stranger,
            json!({"query": "inlet buzz", "mode": mode}),
        )
        .await;
        assert_eq!(found["results"], json!([]), "{mode}: {found}");
    }
    let answer = ask(&app, &stranger, "What suppressed inlet buzz?", "local").await;
    assert_eq!(answer["citations"], json!([]), "{answer}");
    app.stop().await;
}

#[tokio::test]
async fn research_jobs_write_a_cited_report() {
    let app = TestApp::spawn().await;
    let t = app.token("acme", &["editor"]);
    for text in [
        "Acme Corp acquired Beta Labs in 2020.",
        "Beta Labs is headquartered in Oslo and builds lidar sensors.",
        "Acme Corp sells delivery drones in Europe.",
    ] {
        let d = upload(&app, &t, json!({"content": text})).await;
        settled(&app, &t, d["id"].as_str().unwrap()).await;
    }
    let (status, job) = app
        .post_json(
            "/research/jobs",
            &t,
            &json!({"question": "What does Acme Corp sell, and where is Beta Labs headquartered?"}),
        )
        .await;
    assert_eq!(status, 202, "{job}");
    let id = job["id"].as_str().unwrap().to_string();
    let (status, early) = app
        .get_json(&format!("/research/jobs/{id}/report"), &t)
        .await;
    if status == 409 {
        assert_eq!(early["code"], "not_ready");
    }
    let done = eventually("the research job to finish", || async {
        let (_, job) = app.get_json(&format!("/research/jobs/{id}"), &t).await;
        (job["status"] == "done").then_some(job)
    })
    .await;
    let subs = done["subquestions"].as_array().unwrap();
    assert!(subs.len() >= 3, "{done}");
    assert_eq!(done["answered"], subs.len());
    let report = app
        .get(&format!("/research/jobs/{id}/report"))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap();
    assert_eq!(report.status(), 200);
    assert!(
        report.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/markdown")
    );
    let markdown = report.text().await.unwrap();
    assert!(
        markdown.starts_with("# What does Acme Corp sell"),
        "{markdown}"
    );
    assert!(
        markdown.contains("## Sources") && markdown.contains("Oslo") && markdown.contains("[1]"),
        "{markdown}"
    );
    app.stop().await;
}

/// GraphQL's research fields give what REST gives, under the same tenant and permission.
#[tokio::test]
async fn graphql_asks_and_searches_like_rest() {
    let app = TestApp::spawn().await;
    let t = app.token("acme", &["editor"]);
    let doc = upload(
        &app,
        &t,
        json!({"title": "Flaps", "content": "Fowler flaps raise the maximum lift coefficient by sliding aft."}),
    )
    .await;
    let id = doc["id"].as_str().unwrap();
    settled(&app, &t, id).await;
    let query = r#"query($q: String!) {
        researchAsk(question: $q, mode: LOCAL)
        researchSearch(query: $q, mode: BM25, topK: 3)
    }"#;
    let gql = |token: String| {
        let app = &app;
        async move {
            let (status, body) = app
                .post_json(
                    "/graphql",
                    &token,
                    &json!({"query": query, "variables": {"q": "What do Fowler flaps raise?"}}),
                )
                .await;
            assert_eq!(status, 200, "{body}");
            body
        }
    };
    let body = gql(t.clone()).await;
    let answer = &body["data"]["researchAsk"];
    let rest = ask(&app, &t, "What do Fowler flaps raise?", "local").await;
    assert_eq!(answer["answer"], rest["answer"], "{body}");
    assert_eq!(answer["citations"][0]["document_id"], id, "{body}");
    assert_eq!(
        body["data"]["researchSearch"][0]["document_id"], id,
        "{body}"
    );
    // Another tenant sees nothing of acme's.
    let other = gql(app.token("globex", &["viewer"])).await;
    assert_eq!(
        other["data"]["researchAsk"]["citations"],
        json!([]),
        "{other}"
    );
    assert_eq!(other["data"]["researchSearch"], json!([]), "{other}");
    app.stop().await;
}
