//! Content orchestration through the HTTP API, as a team drives it: a brief becomes drafts
//! in the brand's voice, grounded in research; the compliance check; submit, approve,
//! schedule; publishing to stand-ins of the platforms (which check each API's documented
//! shape and auth) through a 5xx, a timeout after the post was accepted and an expired token,
//! never posting twice; post metrics; the calendar and its ICS export; the workflow's rules.

use crate::common::{TestApp, eventually, json};
use crate::content_platforms::{LINKEDIN_AUTHOR, Platforms, Script, TOKEN, WP_PASSWORD, WP_USER};
use chrono::Utc;
use plasma_content::ContentSettings;
use plasma_platform::Settings;
use plasma_publishing::ConnectorSettings;
use serde_json::{Value, json};
use std::time::Duration;

const EDITOR: &str = "erin";
const APPROVER: &str = "alex";

fn settings(platforms: &str) -> Settings {
    Settings {
        content: ContentSettings {
            retry_base: Duration::from_millis(200),
            ..ContentSettings::default()
        },
        publishing: ConnectorSettings {
            timeout: Duration::from_secs(1),
            linkedin_api: platforms.to_string(),
            x_api: platforms.to_string(),
            ..ConnectorSettings::default()
        },
        ..Settings::default()
    }
}

struct Team {
    editor: String,
    approver: String,
}

fn team(app: &TestApp, tenant: &str) -> Team {
    Team {
        editor: app.token_as(tenant, EDITOR, &["editor"]),
        approver: app.token_as(tenant, APPROVER, &["admin"]),
    }
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    json(
        app.post(path)
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn get(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    json(app.get(path).bearer_auth(token).send().await.unwrap()).await
}

async fn draft(app: &TestApp, token: &str, body: Value) -> Vec<Value> {
    let (status, drafts) = post(app, token, "/content/drafts", body).await;
    assert_eq!(status, 201, "{drafts}");
    drafts["items"].as_array().unwrap().clone()
}

async fn move_to(app: &TestApp, token: &str, id: &str, body: Value) -> (u16, Value) {
    post(
        app,
        token,
        &format!("/content/items/{id}/transitions"),
        body,
    )
    .await
}

/// Submitted by the editor and approved by someone else.
async fn approve(app: &TestApp, team: &Team, id: &str) {
    let (status, item) = move_to(app, &team.editor, id, json!({"to": "in_review"})).await;
    assert_eq!(status, 200, "submit: {item}");
    let (status, item) = move_to(app, &team.approver, id, json!({"to": "approved"})).await;
    assert_eq!(status, 200, "approve: {item}");
}

async fn connect(app: &TestApp, token: &str, destination: &str, credentials: Value) {
    let response = app
        .put(&format!("/content/destinations/{destination}"))
        .bearer_auth(token)
        .json(&credentials)
        .send()
        .await
        .unwrap();
    let (status, info) = json(response).await;
    assert_eq!(status, 200, "{info}");
}

async fn schedule_now(app: &TestApp, token: &str, id: &str) -> Value {
    let at = (Utc::now() + chrono::Duration::milliseconds(500)).to_rfc3339();
    let (status, item) = post(
        app,
        token,
        &format!("/content/items/{id}/schedule"),
        json!({"at": at}),
    )
    .await;
    assert_eq!(status, 200, "{item}");
    assert_eq!(item["status"], "scheduled");
    item
}

/// The item once publishing has settled (`published` or `failed`).
async fn settled(app: &TestApp, token: &str, id: &str) -> Value {
    eventually(&format!("item {id} to be published or failed"), || async {
        let (_, item) = get(app, token, &format!("/content/items/{id}")).await;
        matches!(item["status"].as_str(), Some("published" | "failed")).then_some(item)
    })
    .await
}

#[tokio::test]
async fn a_brief_becomes_a_grounded_draft_then_a_published_post_with_metrics() {
    let (platforms_url, platforms) = Platforms::start().await;
    let app = TestApp::spawn_with(settings(&platforms_url)).await;
    let team = team(&app, "acme");
    // Research the drafts can cite.
    let doc = crate::research::upload(&app, &team.editor, json!({"title": "Falcon test report", "content": "The Falcon engine cut launch costs by forty percent in the 2025 test campaign. Falcon engines are reusable for ten flights."})).await;
    let doc_id = doc["id"].as_str().unwrap().to_string();
    crate::research::settled(&app, &team.editor, &doc_id).await;

    let (status, profile) = post(&app, &team.editor, "/content/profiles", json!({
        "name": "Acme Rockets", "tone": ["friendly", "confident"], "do": ["Speak to engineers"],
        "dont": ["Overpromise"], "banned_terms": ["cheap"], "required_terms": ["Results may vary."],
        "reading_grade": 12, "example_posts": ["Our engines fly again and again."]
    })).await;
    assert_eq!(
        (status, profile["version"].as_u64()),
        (201, Some(1)),
        "{profile}"
    );
    let profile_id = profile["id"].as_str().unwrap();

    let drafts = draft(&app, &team.editor, json!({
        "topic": "Falcon engine launch costs", "audience": "space startups", "goal": "book a demo",
        "keywords": ["Falcon", "launch costs"], "channels": ["mastodon", "x", "linkedin"],
        "profile_id": profile_id, "ground": true
    })).await;
    assert_eq!(drafts.len(), 3);
    let brief = &drafts[0]["brief_id"];
    for d in &drafts {
        assert_eq!(&d["brief_id"], brief, "channel variants share the brief");
        assert_eq!(d["status"], "draft");
        let provenance = &d["provenance"];
        assert_eq!(provenance["provider"], "builtin-composer", "{d}");
        assert!(!provenance["prompt_version"].as_str().unwrap().is_empty());
        assert_eq!(provenance["profile_version"], 1);
        assert_eq!(
            provenance["sources"][0]["document_id"],
            doc_id.as_str(),
            "grounded: {d}"
        );
        let text = format!("{} {}", d["body"], d["thread"]);
        assert!(text.contains("Results may vary."), "the disclaimer: {d}");
        assert!(!text.to_lowercase().contains("cheap"), "a banned term: {d}");
        assert!(text.contains("[1]"), "a citation: {d}");
    }
    let mastodon = drafts.iter().find(|d| d["channel"] == "mastodon").unwrap();
    let id = mastodon["id"].as_str().unwrap();

    let (status, report) = post(&app, &team.editor, "/content/check", json!({
        "text": mastodon["body"], "channel": "mastodon", "profile_id": profile_id, "citations": 1
    })).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["passed"], true, "{report}");
    assert!(report["score"].as_u64().unwrap() >= 70, "{report}");

    // Review: an editor cannot approve, nor an approver their own submission.
    let (status, item) = move_to(&app, &team.editor, id, json!({"to": "in_review"})).await;
    assert_eq!(status, 200, "{item}");
    assert_eq!(item["compliance"]["passed"], true);
    let (status, problem) = move_to(&app, &team.editor, id, json!({"to": "approved"})).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (403, Some("forbidden")),
        "{problem}"
    );
    let own = app.token_as("acme", EDITOR, &["admin"]);
    let (status, problem) = move_to(&app, &own, id, json!({"to": "approved"})).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (403, Some("own_submission")),
        "{problem}"
    );
    let (status, item) = move_to(
        &app,
        &team.approver,
        id,
        json!({"to": "approved", "comment": "Ship it"}),
    )
    .await;
    assert_eq!(
        (status, item["status"].as_str()),
        (200, Some("approved")),
        "{item}"
    );
    // The X variant is a thread: each post is held to 280, not the whole.
    let x = drafts.iter().find(|d| d["channel"] == "x").unwrap();
    assert!(x["thread"].as_array().unwrap().len() >= 2, "{x}");
    let (status, item) = move_to(
        &app,
        &team.editor,
        x["id"].as_str().unwrap(),
        json!({"to": "in_review"}),
    )
    .await;
    assert_eq!(status, 200, "{item}");
    assert_eq!(item["compliance"]["passed"], true, "{item}");

    // Credentials are sealed and never shown again.
    connect(
        &app,
        &team.approver,
        "mastodon",
        json!({"token": TOKEN, "base_url": platforms_url}),
    )
    .await;
    let (_, destinations) = get(&app, &team.approver, "/content/destinations").await;
    assert_eq!(
        destinations["items"][0]["fields"],
        json!(["token", "base_url"]),
        "{destinations}"
    );
    assert!(!destinations.to_string().contains(TOKEN), "{destinations}");

    schedule_now(&app, &team.approver, id).await;
    let item = settled(&app, &team.editor, id).await;
    assert_eq!(item["status"], "published", "{item}");
    let created = platforms.created("mastodon");
    assert_eq!(created.len(), 1, "{created:?}");
    assert_eq!(item["publish"]["result"]["id"], created[0].id.as_str());
    assert!(
        item["publish"]["result"]["url"]
            .as_str()
            .unwrap()
            .starts_with("https://mastodon.example/")
    );
    assert!(created[0].text.contains("Results may vary."));
    assert_eq!(platforms.problems(), Vec::<String>::new());
    let (_, activity) = get(&app, &team.editor, &format!("/content/items/{id}/activity")).await;
    let moves: Vec<&str> = activity["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["to"].as_str())
        .collect();
    assert_eq!(
        moves,
        ["in_review", "approved", "scheduled", "published"],
        "{activity}"
    );

    // The hourly metrics job, fed its EventBridge event.
    let event = serde_json::from_str(
        &std::fs::read_to_string(format!(
            "{}/../events/content-metrics.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
    )
    .unwrap();
    let run = plasma_platform::schedules::handle(
        app.server.platform(),
        &plasma_platform::schedules::CONTENT_METRICS,
        lambda_runtime::LambdaEvent::new(event, Default::default()),
    )
    .await
    .unwrap();
    assert_eq!(run["refreshed"], 1, "{run:?}");
    let (status, analytics) = get(&app, &team.editor, "/content/analytics").await;
    assert_eq!(status, 200, "{analytics}");
    assert_eq!(analytics["totals"]["posts"], 1, "{analytics}");
    assert_eq!(analytics["totals"]["reactions"], 12);
    assert_eq!(analytics["totals"]["comments"], 3);
    assert_eq!(analytics["totals"]["shares"], 5);
    assert_eq!(analytics["by_destination"]["mastodon"]["engagements"], 20);
    assert_eq!(analytics["best_destinations"][0]["key"], "mastodon");

    // The calendar shows it, also as ICS.
    let (_, calendar) = get(&app, &team.editor, "/content/calendar").await;
    let entry = calendar["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id)
        .cloned()
        .unwrap();
    assert_eq!(entry["status"], "published");
    let ics = app
        .get("/content/calendar.ics")
        .bearer_auth(&team.editor)
        .send()
        .await
        .unwrap();
    assert!(
        ics.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let ics = ics.text().await.unwrap();
    assert!(
        ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.contains(&format!("UID:{id}@")),
        "{ics}"
    );
    app.stop().await;
}

#[tokio::test]
async fn retries_after_a_5xx_or_a_timeout_never_post_twice() {
    let (platforms_url, platforms) = Platforms::start().await;
    let app = TestApp::spawn_with(settings(&platforms_url)).await;
    let team = team(&app, "acme");
    let drafts = draft(
        &app,
        &team.editor,
        json!({"topic": "Reusable rocket engines", "channels": ["blog", "mastodon"]}),
    )
    .await;
    let ids: Vec<String> = drafts
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    for id in &ids {
        approve(&app, &team, id).await;
    }
    connect(
        &app,
        &team.approver,
        "wordpress",
        json!({"username": WP_USER, "password": WP_PASSWORD, "base_url": platforms_url}),
    )
    .await;
    connect(
        &app,
        &team.approver,
        "mastodon",
        json!({"token": TOKEN, "base_url": platforms_url}),
    )
    .await;
    // WordPress: a 503, then a post it makes but answers too late; Mastodon: too late.
    platforms.script("wordpress", &[Script::Unavailable, Script::AcceptThenHang]);
    platforms.script("mastodon", &[Script::AcceptThenHang]);
    for id in &ids {
        schedule_now(&app, &team.approver, id).await;
    }
    for (id, platform) in ids.iter().zip(["wordpress", "mastodon"]) {
        let item = settled(&app, &team.editor, id).await;
        assert_eq!(item["status"], "published", "{platform}: {item}");
        let created = platforms.created(platform);
        assert_eq!(created.len(), 1, "{platform} posted twice: {created:?}");
        assert_eq!(
            item["publish"]["result"]["id"],
            created[0].id.as_str(),
            "{platform}"
        );
        assert!(item["publish"]["attempts"].as_u64().unwrap() >= 2, "{item}");
    }
    assert_eq!(
        platforms.attempts("wordpress"),
        2,
        "the third attempt found the post instead of posting"
    );
    assert_eq!(platforms.problems(), Vec::<String>::new());
    app.stop().await;
}

#[tokio::test]
async fn an_expired_token_fails_the_item_with_a_clear_reason() {
    let (platforms_url, platforms) = Platforms::start().await;
    let app = TestApp::spawn_with(settings(&platforms_url)).await;
    let team = team(&app, "acme");
    let id = draft(
        &app,
        &team.editor,
        json!({"topic": "Launch window update", "channels": ["linkedin"]}),
    )
    .await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    approve(&app, &team, &id).await;
    connect(
        &app,
        &team.approver,
        "linkedin",
        json!({"token": "expired-token", "account": LINKEDIN_AUTHOR}),
    )
    .await;
    schedule_now(&app, &team.approver, &id).await;
    let item = settled(&app, &team.editor, &id).await;
    assert_eq!(item["status"], "failed", "{item}");
    assert!(
        item["reason"].as_str().unwrap().contains("expired"),
        "{item}"
    );
    assert!(item["publish"].get("result").is_none(), "{item}");
    assert_eq!(platforms.created("linkedin").len(), 0);
    assert_eq!(
        platforms.attempts("linkedin"),
        1,
        "an expired token is not retried"
    );
    assert_eq!(platforms.problems(), Vec::<String>::new());
    // Reconnected, it can be rescheduled and goes out.
    connect(
        &app,
        &team.approver,
        "linkedin",
        json!({"token": TOKEN, "account": LINKEDIN_AUTHOR}),
    )
    .await;
    schedule_now(&app, &team.approver, &id).await;
    let item = settled(&app, &team.editor, &id).await;
    assert_eq!(item["status"], "published", "{item}");
    assert!(
        item["publish"]["result"]["id"]
            .as_str()
            .unwrap()
            .starts_with("urn:li:share:"),
        "{item}"
    );
    app.stop().await;
}

#[tokio::test]
async fn the_workflow_refuses_illegal_moves_and_keeps_every_version() {
    let app = TestApp::spawn().await;
    let team = team(&app, "acme");
    let (_, profile) = post(
        &app,
        &team.editor,
        "/content/profiles",
        json!({"name": "Plain", "banned_terms": ["guaranteed"]}),
    )
    .await;
    let profile_id = profile["id"].as_str().unwrap();
    let item = &draft(
        &app,
        &team.editor,
        json!({"topic": "Engine reliability", "channels": ["linkedin"], "profile_id": profile_id}),
    )
    .await[0];
    let id = item["id"].as_str().unwrap();

    let (status, problem) = move_to(&app, &team.approver, id, json!({"to": "approved"})).await;
    assert_eq!(status, 409, "{problem}");
    assert_eq!(problem["code"], "illegal_transition");
    assert_eq!(problem["allowed"], json!(["in_review"]));
    let (status, problem) = post(
        &app,
        &team.approver,
        &format!("/content/items/{id}/schedule"),
        json!({"at": "2030-01-01T09:00:00Z"}),
    )
    .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (409, Some("illegal_transition")),
        "{problem}"
    );

    // A banned term inside punctuation blocks submission, with the finding.
    let response = app.patch(&format!("/content/items/{id}")).bearer_auth(&team.editor)
        .json(&json!({"body": "Our engines fly ten times (guaranteed!) and land softly.", "note": "punchier"}))
        .send().await.unwrap();
    let (status, edited) = json(response).await;
    assert_eq!(
        (status, edited["version"].as_u64()),
        (200, Some(2)),
        "{edited}"
    );
    let (status, problem) = move_to(&app, &team.editor, id, json!({"to": "in_review"})).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (422, Some("not_compliant")),
        "{problem}"
    );
    let banned = problem["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "banned_term")
        .cloned();
    assert!(banned.is_some(), "{problem}");
    assert_eq!(banned.unwrap()["span"], json!({"start": 27, "end": 37}));

    let response = app
        .patch(&format!("/content/items/{id}"))
        .bearer_auth(&team.editor)
        .json(&json!({"body": "Our engines fly ten times and land softly.", "rev": edited["rev"]}))
        .send()
        .await
        .unwrap();
    let (status, edited) = json(response).await;
    assert_eq!(
        (status, edited["version"].as_u64()),
        (200, Some(3)),
        "{edited}"
    );
    // A stale revision is refused rather than overwriting the newer text.
    let response = app
        .patch(&format!("/content/items/{id}"))
        .bearer_auth(&team.editor)
        .json(&json!({"body": "Lost update", "rev": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 409);

    let (status, _) = move_to(&app, &team.editor, id, json!({"to": "in_review"})).await;
    assert_eq!(status, 200);
    let (status, problem) = move_to(&app, &team.approver, id, json!({"to": "draft"})).await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (400, Some("comment")),
        "{problem}"
    );
    let (status, back) = move_to(
        &app,
        &team.approver,
        id,
        json!({"to": "draft", "comment": "Add a source"}),
    )
    .await;
    assert_eq!(
        (status, back["status"].as_str()),
        (200, Some("draft")),
        "{back}"
    );

    let (_, versions) = get(&app, &team.editor, &format!("/content/items/{id}/versions")).await;
    assert_eq!(versions["items"].as_array().unwrap().len(), 3, "{versions}");
    let (status, diff) = get(
        &app,
        &team.editor,
        &format!("/content/items/{id}/diff?from=2&to=3"),
    )
    .await;
    assert_eq!(status, 200, "{diff}");
    assert!(
        diff["unified"]
            .as_str()
            .unwrap()
            .contains("-Our engines fly ten times (guaranteed!) and land softly."),
        "{diff}"
    );
    assert_eq!(diff["deleted_words"], 1, "{diff}");
    let (status, _) = get(
        &app,
        &team.editor,
        &format!("/content/items/{id}/diff?from=9"),
    )
    .await;
    assert_eq!(status, 404);

    // Viewers read but do not write; other tenants see nothing.
    let viewer = app.token("acme", &["viewer"]);
    let response = app
        .patch(&format!("/content/items/{id}"))
        .bearer_auth(&viewer)
        .json(&json!({"body": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let stranger = app.token("globex", &["admin"]);
    let (status, _) = get(&app, &stranger, &format!("/content/items/{id}")).await;
    assert_eq!(status, 404);
    app.stop().await;
}

#[tokio::test]
async fn the_check_applies_channel_limits_case_by_case() {
    let app = TestApp::spawn().await;
    let t = app.token("acme", &["viewer"]);
    let check = |text: String, channel: &'static str| {
        let (app, t) = (&app, t.clone());
        async move {
            post(
                app,
                &t,
                "/content/check",
                json!({"text": text, "channel": channel}),
            )
            .await
        }
    };
    let errors = |report: &Value| -> Vec<String> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == "error")
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect()
    };
    let (status, ok) = check("a".repeat(280), "x").await;
    assert_eq!(status, 200, "{ok}");
    assert_eq!(errors(&ok), Vec::<String>::new(), "{ok}");
    let (_, over) = check("a".repeat(281), "x").await;
    assert_eq!(errors(&over), ["over_limit"], "{over}");
    assert!(
        over["thread"].as_array().unwrap().len() >= 2,
        "a thread is offered: {over}"
    );
    // A URL counts 23 however long it is.
    let url = format!("https://example.com/{}", "p".repeat(80));
    let (_, linked) = check(format!("{} {url}", "a".repeat(256)), "x").await;
    assert_eq!(linked["stats"]["weighted_length"], 280, "{linked}");
    assert_eq!(errors(&linked), Vec::<String>::new(), "{linked}");
    let (_, long) = check("word ".repeat(601), "linkedin").await;
    assert_eq!(errors(&long), ["over_limit"], "{long}");
    let (status, problem) = post(
        &app,
        &t,
        "/content/check",
        json!({"text": "hi", "channel": "fax"}),
    )
    .await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (400, Some("channel")),
        "{problem}"
    );
    app.stop().await;
}

#[tokio::test]
async fn campaigns_plan_dated_posts_onto_the_calendar() {
    let app = TestApp::spawn().await;
    let t = app.token("acme", &["editor"]);
    let (status, campaign) = post(&app, &t, "/content/campaigns", json!({"name": "Spring launch", "goals": ["launch awareness", "demo signups"], "start": "2030-03-04", "end": "2030-03-17", "timezone": "Europe/Oslo"})).await;
    assert_eq!(status, 201, "{campaign}");
    let cid = campaign["id"].as_str().unwrap();
    let (status, problem) = post(
        &app,
        &t,
        &format!("/content/campaigns/{cid}/plan"),
        json!({"cadence": [{"channel": "linkedin", "per_week": 0}]}),
    )
    .await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (400, Some("cadence[0].per_week")),
        "{problem}"
    );
    let (status, plan) = post(&app, &t, &format!("/content/campaigns/{cid}/plan"), json!({"cadence": [{"channel": "linkedin", "per_week": 2}, {"channel": "x", "per_week": 3}], "owners": ["erin", "sam"]})).await;
    assert_eq!(status, 201, "{plan}");
    let items = plan["items"].as_array().unwrap();
    assert_eq!(items.len(), 10, "two weeks of 2 + 3 posts: {plan}");
    assert!(items.iter().all(|i| i["status"] == "draft"
        && i["campaign_id"] == cid
        && i["timezone"] == "Europe/Oslo"));
    // 09:00 in Oslo in March (UTC+1) is 08:00Z.
    assert!(
        items.iter().any(|i| i["channel"] == "linkedin"
            && i["planned_at"].as_str().unwrap().contains("T08:00:00")),
        "{plan}"
    );
    let (_, calendar) = get(
        &app,
        &t,
        &format!(
            "/content/calendar?from=2030-03-01T00:00:00Z&to=2030-04-01T00:00:00Z&campaign_id={cid}"
        ),
    )
    .await;
    assert_eq!(
        calendar["items"].as_array().unwrap().len(),
        10,
        "{calendar}"
    );
    let ics = app
        .get("/content/calendar.ics?from=2030-03-01T00:00:00Z&to=2030-04-01T00:00:00Z")
        .bearer_auth(&t)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 10, "{ics}");
    assert!(ics.lines().all(|l| l.len() <= 75), "folded at 75 octets");
    app.stop().await;
}

/// The runner is down when the post falls due: on restart the late schedule still fires,
/// and the post goes out once.
#[tokio::test]
async fn a_post_due_while_the_runner_was_down_publishes_once_on_restart() {
    let (platforms_url, platforms) = Platforms::start().await;
    let dir = tempfile::tempdir().unwrap();
    let start = || {
        plasma::serve::Server::start_with(
            dir.path(),
            "127.0.0.1:0".parse().unwrap(),
            settings(&platforms_url),
        )
    };
    let server = start().await.unwrap();
    let key = plasma_gateway::DevKey::load_or_create(dir.path()).unwrap();
    let token = |who: &str, role: &str| {
        key.issue("acme", who, &[role], chrono::Duration::hours(1), Utc::now())
    };
    let (editor, approver) = (token(EDITOR, "editor"), token(APPROVER, "admin"));
    let http = reqwest::Client::new();
    let call = |method: reqwest::Method, url: String, token: &str, body: Value| {
        let request = http.request(method, url).bearer_auth(token).json(&body);
        async move { json(request.send().await.unwrap()).await }
    };
    let url = server.url();
    let (status, drafts) = call(
        reqwest::Method::POST,
        format!("{url}/content/drafts"),
        &editor,
        json!({"topic": "Night launch", "channels": ["mastodon"]}),
    )
    .await;
    assert_eq!(status, 201, "{drafts}");
    let id = drafts["items"][0]["id"].as_str().unwrap().to_string();
    let transitions = format!("{url}/content/items/{id}/transitions");
    assert_eq!(
        call(
            reqwest::Method::POST,
            transitions.clone(),
            &editor,
            json!({"to": "in_review"})
        )
        .await
        .0,
        200
    );
    assert_eq!(
        call(
            reqwest::Method::POST,
            transitions,
            &approver,
            json!({"to": "approved"})
        )
        .await
        .0,
        200
    );
    let (status, _) = call(
        reqwest::Method::PUT,
        format!("{url}/content/destinations/mastodon"),
        &approver,
        json!({"token": TOKEN, "base_url": platforms_url}),
    )
    .await;
    assert_eq!(status, 200);
    let at = (Utc::now() + chrono::Duration::seconds(2)).to_rfc3339();
    let (status, item) = call(
        reqwest::Method::POST,
        format!("{url}/content/items/{id}/schedule"),
        &approver,
        json!({"at": at}),
    )
    .await;
    assert_eq!(status, 200, "{item}");
    server.stop().await.unwrap();
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        platforms.created("mastodon").len(),
        0,
        "nothing runs while the runner is down"
    );

    let server = start().await.unwrap();
    let url = server.url();
    let item = eventually("the late post to go out", || async {
        let (_, item) = call(
            reqwest::Method::GET,
            format!("{url}/content/items/{id}"),
            &editor,
            Value::Null,
        )
        .await;
        (item["status"] == "published").then_some(item)
    })
    .await;
    assert_eq!(platforms.created("mastodon").len(), 1, "{item}");
    server.stop().await.unwrap();
}
