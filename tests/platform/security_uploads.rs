//! Issue 13, item 3: uploads are bounded. The attacker's oversized file through the presigned
//! flow is refused (locally with 413 before it is read; deployed by a signed
//! `content-length-range` in the S3 POST policy), the ingest step reads no oversized object,
//! one bad file fails only its own record, and a document whose message runs out of receives
//! ends `failed`, never stuck `queued`.

use crate::common::TestApp;
use crate::functions::sample;
use async_trait::async_trait;
use aws_lambda_events::event::eventbridge::EventBridgeEvent;
use aws_lambda_events::event::sqs::{SqsEvent, SqsMessage};
use bytes::Bytes;
use lambda_runtime::{Context, LambdaEvent};
use plasma_core::{
    Blob, BlobMeta, BlobPage, BlobStore, PortError, PortResult, PresignedUpload, PutOptions,
    SystemClock, UuidV7Ids,
};
use plasma_platform::{Platform, topology};
use plasma_research::ResearchSettings;
use plasma_research::documents::{Document, Status};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A ticket for `filename` from `POST /research/uploads`, as an editor of acme.
async fn ticket(app: &TestApp, filename: &str) -> Value {
    let t = app.token("acme", &["editor"]);
    let (status, ticket) = app
        .post_json(
            "/research/uploads",
            &t,
            &json!({"filename": filename, "content_type": "text/markdown"}),
        )
        .await;
    assert_eq!(status, 201, "{ticket}");
    ticket
}

/// Sends a file of `file_len` zero bytes the way `ticket` says (a form POST with its fields),
/// over a raw connection, as an attacker would: declaring `declared` as the Content-Length, or
/// chunked when `None`. Stops sending after `send_at_most` bytes of file; returns the
/// response's status and body, or `None` if none came within `wait`.
async fn attack(
    ticket: &Value,
    declared: Option<u64>,
    file_len: u64,
    send_at_most: u64,
    wait: Duration,
) -> Option<(u16, Value)> {
    let url = reqwest::Url::parse(ticket["url"].as_str().unwrap()).unwrap();
    let target = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    };
    let fields: BTreeMap<String, String> = ticket
        .get("fields")
        .and_then(|f| serde_json::from_value(f.clone()).ok())
        .unwrap_or_default();
    let (content_type, form) = plasma_conformance::blobs::upload_form(&fields, b"");
    // The form's framing around an empty file: the file goes between head and tail.
    let split = form.len() - b"\r\n--plasma-form-boundary-7d1f0c--\r\n".len();
    let (head, tail) = (form[..split].to_vec(), form[split..].to_vec());
    let framing = head.len() as u64 + tail.len() as u64;
    let length = match declared {
        Some(n) => format!("Content-Length: {}\r\n", n + framing),
        None => "Transfer-Encoding: chunked\r\n".to_string(),
    };
    let request = format!(
        "{} {} HTTP/1.1\r\nHost: {}\r\nContent-Type: {content_type}\r\n{length}Connection: close\r\n\r\n",
        ticket["method"].as_str().unwrap_or("POST"),
        target,
        url.host_str().unwrap(),
    );
    let stream = tokio::net::TcpStream::connect((
        url.host_str().unwrap(),
        url.port_or_known_default().unwrap(),
    ))
    .await
    .unwrap();
    let (mut reader, mut writer) = stream.into_split();
    let chunked = declared.is_none();
    let writing = tokio::spawn(async move {
        let frame = |data: &[u8]| -> Vec<u8> {
            if !chunked {
                return data.to_vec();
            }
            let mut out = format!("{:x}\r\n", data.len()).into_bytes();
            out.extend_from_slice(data);
            out.extend_from_slice(b"\r\n");
            out
        };
        writer.write_all(request.as_bytes()).await?;
        writer.write_all(&frame(&head)).await?;
        let zeros = vec![0u8; 64 * 1024];
        let mut sent = 0u64;
        while sent < file_len.min(send_at_most) {
            let n = (file_len.min(send_at_most) - sent).min(zeros.len() as u64) as usize;
            writer.write_all(&frame(&zeros[..n])).await?;
            sent += n as u64;
        }
        if sent == file_len {
            writer.write_all(&frame(&tail)).await?;
            if chunked {
                writer.write_all(b"0\r\n\r\n").await?;
            }
        }
        writer.flush().await?;
        // Keep the connection open, as a slow sender of the rest would.
        tokio::time::sleep(Duration::from_secs(60)).await;
        Ok::<_, std::io::Error>(())
    });
    let mut response = Vec::new();
    let read = tokio::time::timeout(wait, async {
        let mut buf = [0u8; 8192];
        loop {
            match reader.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => response.extend_from_slice(&buf[..n]),
            }
            if response_complete(&response) {
                break;
            }
        }
    })
    .await;
    writing.abort();
    if read.is_err() && response.is_empty() {
        return None;
    }
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text.split_whitespace().nth(1)?.parse().ok()?;
    let body = text
        .split_once("\r\n\r\n")
        .and_then(|(_, body)| serde_json::from_str(body).ok())
        .unwrap_or(Value::Null);
    Some((status, body))
}

/// A response with all of its Content-Length body.
fn response_complete(raw: &[u8]) -> bool {
    let text = String::from_utf8_lossy(raw);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return false;
    };
    head.lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|n| n.trim().parse::<usize>().unwrap_or(0))
        })
        .is_some_and(|n| body.len() >= n)
}

/// The runner refuses a file declared larger than the limit before reading it: 413 while the
/// attacker has sent one megabyte of it, and nothing is stored or ingested.
#[tokio::test]
async fn an_oversized_presigned_upload_is_refused_before_it_is_read() {
    let app = TestApp::spawn().await;
    let limit = ResearchSettings::default().max_document_bytes;
    let ticket = ticket(&app, "huge.md").await;
    assert_eq!(ticket["method"], "POST", "{ticket}");
    assert_eq!(
        ticket["max_bytes"], limit,
        "the ticket names the limit: {ticket}"
    );
    let refused = attack(
        &ticket,
        Some(limit + 1024 * 1024),
        limit + 1024 * 1024,
        1024 * 1024,
        Duration::from_secs(10),
    )
    .await;
    let (status, problem) = refused.expect("no answer while the body was still coming");
    assert_eq!(status, 413, "{problem}");
    assert_eq!(problem["code"], "payload_too_large", "{problem}");
    assert_eq!(problem["max_bytes"], limit, "{problem}");
    let t = app.token("acme", &["viewer"]);
    let (_, list) = app.get_json("/research/documents", &t).await;
    assert_eq!(list["items"], json!([]), "{list}");
    app.stop().await;
}

/// Without a Content-Length (chunked), the runner stops reading the file at the signed limit.
#[tokio::test]
async fn a_chunked_upload_is_cut_off_at_the_limit() {
    let app = TestApp::spawn().await;
    let limit = ResearchSettings::default().max_document_bytes;
    let ticket = ticket(&app, "huge.md").await;
    let refused = attack(&ticket, None, limit + 1, limit + 1, Duration::from_secs(60)).await;
    let (status, problem) = refused.expect("no answer to a chunked upload over the limit");
    assert_eq!(status, 413, "{problem}");
    assert_eq!(problem["code"], "payload_too_large", "{problem}");
    app.stop().await;
}

/// A blob store that records how many bytes each read returned, and fails reads of keys
/// containing `unreadable` as a broken disk or an S3 outage would.
struct Metered {
    inner: Arc<dyn BlobStore>,
    read: Mutex<HashMap<String, u64>>,
}

impl Metered {
    fn read_of(&self, key: &str) -> u64 {
        self.read.lock().unwrap().get(key).copied().unwrap_or(0)
    }

    fn count(&self, key: &str, blob: &Option<Blob>) {
        let n = blob.as_ref().map_or(0, |b| b.body.len() as u64);
        *self.read.lock().unwrap().entry(key.into()).or_default() += n;
    }

    fn check(key: &str) -> PortResult<()> {
        if key.contains("unreadable") {
            return Err(PortError::Backend(format!("reading {key}: I/O error")));
        }
        Ok(())
    }
}

#[async_trait]
impl BlobStore for Metered {
    async fn put(&self, key: &str, body: Bytes, options: PutOptions) -> PortResult<BlobMeta> {
        self.inner.put(key, body, options).await
    }
    async fn get(&self, key: &str) -> PortResult<Option<Blob>> {
        Self::check(key)?;
        let blob = self.inner.get(key).await?;
        self.count(key, &blob);
        Ok(blob)
    }
    async fn get_bounded(&self, key: &str, max_bytes: u64) -> PortResult<Option<Blob>> {
        Self::check(key)?;
        let blob = self.inner.get_bounded(key, max_bytes).await?;
        self.count(key, &blob);
        Ok(blob)
    }
    async fn head(&self, key: &str) -> PortResult<Option<BlobMeta>> {
        Self::check(key)?;
        self.inner.head(key).await
    }
    async fn delete(&self, key: &str) -> PortResult<()> {
        self.inner.delete(key).await
    }
    async fn list(&self, prefix: &str, cursor: Option<String>, limit: u32) -> PortResult<BlobPage> {
        self.inner.list(prefix, cursor, limit).await
    }
    async fn presign_upload(
        &self,
        key: &str,
        content_type: Option<&str>,
        max_bytes: u64,
        expires_in: Duration,
    ) -> PortResult<PresignedUpload> {
        self.inner
            .presign_upload(key, content_type, max_bytes, expires_in)
            .await
    }
    async fn health(&self) -> PortResult<String> {
        self.inner.health().await
    }
}

const LIMIT: u64 = 64 * 1024;

/// An embedded platform whose research reads through `Metered`, with a 64 KB document limit.
fn metered_platform(dir: &tempfile::TempDir) -> (Platform, Arc<Metered>) {
    let mut p = Platform::embedded(
        plasma_platform::EmbeddedRuntime {
            data_dir: dir.path().to_owned(),
            public_url: "http://127.0.0.1:3000".into(),
            clock: Arc::new(SystemClock),
            ids: Arc::new(UuidV7Ids),
        },
        plasma_platform::Settings::default(),
    )
    .unwrap();
    let metered = Arc::new(Metered {
        inner: p.ports.blobs.clone(),
        read: Mutex::default(),
    });
    p.research.blobs = metered.clone();
    p.research.settings = Arc::new(ResearchSettings {
        max_document_bytes: LIMIT,
        ..ResearchSettings::default()
    });
    (p, metered)
}

/// The SQS record of an S3 `ObjectCreated` notification for `key`.
fn s3_record(id: &str, key: &str, size: u64, receive_count: u32) -> SqsMessage {
    let body = json!({"Records": [{
        "eventVersion": "2.1",
        "eventSource": "aws:s3",
        "eventName": "ObjectCreated:Post",
        "s3": {"object": {"key": key.replace(' ', "+"), "size": size}}
    }]});
    let mut record = SqsMessage::default();
    record.message_id = Some(id.into());
    record.body = Some(body.to_string());
    record
        .attributes
        .insert("ApproximateReceiveCount".into(), receive_count.to_string());
    record
}

async fn ingest(p: &Platform, records: Vec<SqsMessage>) -> Vec<String> {
    let mut event = SqsEvent::default();
    event.records = records;
    research_ingest::handler(p, LambdaEvent::new(event, Context::default()))
        .await
        .unwrap()
        .batch_item_failures
        .into_iter()
        .map(|f| f.item_identifier)
        .collect()
}

async fn document_from(p: &Platform, key: &str) -> Option<Document> {
    let source = format!("s3:{key}");
    p.research
        .documents
        .all("acme")
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.source.as_deref() == Some(&*source))
}

/// One SQS batch to the ingest Lambda: another tenant user's 5 MB file (over the limit), a
/// normal document, and a file that cannot be read. The oversized file is never read and
/// ends `failed` with its reason; the normal one is indexed; only the unreadable file's
/// message is retried, and on its last receive its document ends `failed` too.
#[tokio::test]
async fn one_bad_file_fails_only_its_own_record() {
    let dir = tempfile::tempdir().unwrap();
    let (p, metered) = metered_platform(&dir);
    let huge = "incoming/acme/u1/huge.md";
    let notes = "incoming/acme/u2/Wing notes.md";
    let unreadable = "incoming/acme/u3/unreadable.md";
    let huge_size = 5 * 1024 * 1024;
    p.ports
        .blobs
        .put(
            huge,
            Bytes::from(vec![b'a'; huge_size]),
            PutOptions::default(),
        )
        .await
        .unwrap();
    for key in [notes, unreadable] {
        p.ports
            .blobs
            .put(
                key,
                Bytes::from_static(b"# Wing notes\n\nFlutter of the tailplane began at 240 knots."),
                PutOptions::default(),
            )
            .await
            .unwrap();
    }
    let failures = ingest(
        &p,
        vec![
            s3_record("m-huge", huge, huge_size as u64, 1),
            s3_record("m-notes", notes, 60, 1),
            s3_record("m-unreadable", unreadable, 60, 1),
        ],
    )
    .await;
    assert_eq!(
        failures,
        vec!["m-unreadable".to_string()],
        "only the unreadable file's message is retried; the oversized file's refusal is final"
    );
    assert_eq!(
        metered.read_of(huge),
        0,
        "the oversized object was read into memory"
    );
    let refused = document_from(&p, huge).await.expect("no document says why");
    assert_eq!(refused.status, Status::Failed, "{refused:?}");
    let reason = refused.reason.clone().unwrap_or_default();
    assert!(
        reason.contains(&huge_size.to_string()) && reason.contains(&LIMIT.to_string()),
        "{reason}"
    );
    let indexed = document_from(&p, notes).await.expect("the normal document");
    assert_eq!(indexed.status, Status::Indexed, "{indexed:?}");

    // The unreadable file's last receive: it fails for good, visibly.
    let failures = ingest(
        &p,
        vec![s3_record(
            "m-unreadable",
            unreadable,
            60,
            topology::MAX_RECEIVES,
        )],
    )
    .await;
    assert!(failures.is_empty(), "{failures:?}");
    let failed = document_from(&p, unreadable)
        .await
        .expect("no document says why the unreadable file was not ingested");
    assert_eq!(failed.status, Status::Failed, "{failed:?}");
    assert!(
        failed
            .reason
            .as_deref()
            .unwrap_or_default()
            .contains("I/O error"),
        "{failed:?}"
    );
}

/// A document whose ingest message exhausted its receives without the function ever
/// finishing (it crashed or timed out each time) ends `failed` once housekeeping has run,
/// and so does an uploaded file whose notification never got through at all.
#[tokio::test]
async fn a_message_that_exhausts_its_receives_leaves_the_document_failed() {
    let dir = tempfile::tempdir().unwrap();
    let p = Platform::embedded(
        plasma_platform::EmbeddedRuntime {
            data_dir: dir.path().to_owned(),
            public_url: "http://127.0.0.1:3000".into(),
            clock: Arc::new(SystemClock),
            ids: Arc::new(UuidV7Ids),
        },
        plasma_platform::Settings::default(),
    )
    .unwrap();
    let upload = plasma_research::ingest::Upload {
        title: Some("Canards".into()),
        bytes: Bytes::from_static(b"The forward canard delays stall by four degrees."),
        ..Default::default()
    };
    let submitted = plasma_research::ingest::submit(&p.research, "acme", upload)
        .await
        .unwrap();
    let job = plasma_research::ingest::job_for("acme", &submitted).unwrap();
    plasma_research::ingest::enqueue(&p.research, &job)
        .await
        .unwrap();
    let dropped = "incoming/acme/u9/dropped.md";
    p.ports
        .queue
        .send(
            topology::INGEST,
            plasma_core::OutMessage::new(s3_record("m", dropped, 42, 1).body.unwrap()),
        )
        .await
        .unwrap();
    // Every delivery dies with its invocation: nothing deletes the messages.
    for _ in 0..topology::MAX_RECEIVES {
        let batch = p
            .ports
            .queue
            .receive(
                topology::INGEST,
                10,
                Duration::from_secs(30),
                Duration::from_secs(1),
            )
            .await
            .unwrap();
        assert_eq!(batch.len(), 2);
        for m in &batch {
            p.ports
                .queue
                .change_visibility(topology::INGEST, &m.receipt, Duration::ZERO)
                .await
                .unwrap();
        }
    }
    let none = p
        .ports
        .queue
        .receive(
            topology::INGEST,
            10,
            Duration::from_secs(30),
            Duration::ZERO,
        )
        .await
        .unwrap();
    assert!(
        none.is_empty(),
        "the messages were not dead-lettered: {none:?}"
    );
    let id = &submitted.document().id;
    let stuck = p.research.documents.get("acme", id).await.unwrap().unwrap();
    assert_eq!(stuck.status, Status::Queued);

    let event: EventBridgeEvent = serde_json::from_str(&sample("housekeeping.json")).unwrap();
    let report = plasma_platform::schedules::handle(
        &p,
        &plasma_platform::schedules::HOUSEKEEPING,
        LambdaEvent::new(event.clone(), Context::default()),
    )
    .await
    .unwrap();
    assert_eq!(
        report["dead_letters"], 2,
        "the dead letters stay for redrive"
    );
    let doc = p.research.documents.get("acme", id).await.unwrap().unwrap();
    assert_eq!(doc.status, Status::Failed, "{doc:?}");
    assert!(
        doc.reason
            .as_deref()
            .unwrap_or_default()
            .contains("gave up"),
        "{doc:?}"
    );
    let never = document_from(&p, dropped)
        .await
        .expect("the dropped file's failure is recorded");
    assert_eq!(never.status, Status::Failed, "{never:?}");

    // Running again changes nothing.
    plasma_platform::schedules::handle(
        &p,
        &plasma_platform::schedules::HOUSEKEEPING,
        LambdaEvent::new(event, Context::default()),
    )
    .await
    .unwrap();
    let again = p.research.documents.get("acme", id).await.unwrap().unwrap();
    assert_eq!(again, doc);
    assert_eq!(p.research.documents.all("acme").await.unwrap().len(), 2);
}

/// Deployed, the ticket is an S3 POST policy: the bucket and key pinned, a signed
/// `content-length-range` up to the document limit, SigV4 over the policy with the
/// function's credentials; moto's S3 takes the form. (moto does not enforce the range, so
/// the policy itself is checked, and its signature recomputed as AWS documents it.)
#[tokio::test]
async fn the_s3_upload_form_carries_a_signed_content_length_range() {
    use base64::Engine;
    use hmac::{Hmac, KeyInit, Mac};
    let sdk = plasma_tests::moto::sdk_config().await;
    let stack = plasma_tests::aws::stack(&sdk, &topology::queues(), &topology::rules()).await;
    let p = Platform::compose(
        plasma_tests::aws::platform_ports(&sdk, &stack),
        plasma_platform::Settings::default(),
    )
    .unwrap();
    let mut event: Value = serde_json::from_str(
        &std::fs::read_to_string(format!(
            "{}/../events/api-authorized.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
    )
    .unwrap();
    let body = json!({"filename": "big.pdf", "content_type": "application/pdf"}).to_string();
    event["rawPath"] = "/research/uploads".into();
    event["rawQueryString"] = "".into();
    event["queryStringParameters"] = Value::Null;
    event["pathParameters"]["proxy"] = "research/uploads".into();
    event["requestContext"]["http"]["method"] = "POST".into();
    event["requestContext"]["http"]["path"] = "/research/uploads".into();
    event["headers"]["content-type"] = "application/json".into();
    event["headers"]["content-length"] = body.len().to_string().into();
    event["body"] = body.into();
    let request = lambda_http::request::from_str(&event.to_string()).unwrap();
    let response = tower::ServiceExt::oneshot(api::app(&p), request)
        .await
        .unwrap();
    let status = response.status().as_u16();
    let bytes = axum::body::to_bytes(axum::body::Body::new(response.into_body()), usize::MAX)
        .await
        .unwrap();
    let ticket: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    assert_eq!(status, 201, "{ticket}");
    let limit = ResearchSettings::default().max_document_bytes;
    assert_eq!(ticket["max_bytes"], limit, "{ticket}");
    let fields: BTreeMap<String, String> =
        serde_json::from_value(ticket["fields"].clone()).expect("the form's fields");
    let policy_b64 = &fields["policy"];
    let policy: Value = serde_json::from_slice(
        &base64::engine::general_purpose::STANDARD
            .decode(policy_b64)
            .unwrap(),
    )
    .unwrap();
    let conditions = policy["conditions"].as_array().unwrap();
    assert!(
        conditions.contains(&json!(["content-length-range", 1, limit])),
        "{policy}"
    );
    let key = ticket["key"].as_str().unwrap();
    assert!(key.starts_with("incoming/acme/"), "{ticket}");
    for pinned in [
        json!({"bucket": stack.bucket}),
        json!({"key": key}),
        json!({"Content-Type": "application/pdf"}),
        json!({"x-amz-algorithm": "AWS4-HMAC-SHA256"}),
    ] {
        assert!(conditions.contains(&pinned), "{pinned} missing: {policy}");
    }
    let expiration =
        chrono::DateTime::parse_from_rfc3339(policy["expiration"].as_str().unwrap()).unwrap();
    let lifetime = expiration.signed_duration_since(chrono::Utc::now());
    assert!(
        lifetime > chrono::Duration::minutes(10) && lifetime <= chrono::Duration::minutes(15),
        "{policy}"
    );
    // The signature, recomputed: HMAC-SHA256 chain from the secret over date, region,
    // service and "aws4_request", then over the base64 policy.
    let credential = &fields["x-amz-credential"];
    let parts: Vec<&str> = credential.split('/').collect();
    assert_eq!(parts.len(), 5, "{credential}");
    assert_eq!(
        (parts[0], parts[2], parts[3], parts[4]),
        ("testing", "us-east-1", "s3", "aws4_request")
    );
    assert!(fields["x-amz-date"].starts_with(parts[1]), "{fields:?}");
    let hmac = |key: &[u8], data: &str| {
        let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(key).unwrap();
        mac.update(data.as_bytes());
        mac.finalize().into_bytes().to_vec()
    };
    let mut signing = hmac(b"AWS4testing", parts[1]);
    for part in ["us-east-1", "s3", "aws4_request"] {
        signing = hmac(&signing, part);
    }
    let expected: String = hmac(&signing, policy_b64)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(fields["x-amz-signature"], expected);

    // S3 (moto) takes the form as it is.
    let (content_type, form) = plasma_conformance::blobs::upload_form(&fields, b"%PDF-1.4 tiny");
    plasma_tests::install_crypto_provider();
    let posted = reqwest::Client::new()
        .post(ticket["url"].as_str().unwrap())
        .header("content-type", content_type)
        .body(form)
        .send()
        .await
        .unwrap();
    assert!(
        posted.status().is_success(),
        "{}",
        posted.text().await.unwrap()
    );
    let stored = p
        .ports
        .blobs
        .head(key)
        .await
        .unwrap()
        .expect("the uploaded object");
    assert_eq!(stored.size, 13);
    assert_eq!(stored.content_type.as_deref(), Some("application/pdf"));
}

/// Deployed, the same sweep reads SQS's ingest dead-letter queue (moto): the document of a
/// dead-lettered ingest job ends `failed`, and the message stays there for redrive.
#[tokio::test]
async fn housekeeping_marks_the_documents_of_sqs_dead_letters_failed() {
    let sdk = plasma_tests::moto::sdk_config().await;
    let stack = plasma_tests::aws::stack(&sdk, &topology::queues(), &topology::rules()).await;
    let p = Platform::compose(
        plasma_tests::aws::platform_ports(&sdk, &stack),
        plasma_platform::Settings::default(),
    )
    .unwrap();
    let upload = plasma_research::ingest::Upload {
        bytes: Bytes::from_static(b"Sailplanes reach glide ratios of sixty to one."),
        ..Default::default()
    };
    let submitted = plasma_research::ingest::submit(&p.research, "acme", upload)
        .await
        .unwrap();
    let job = plasma_research::ingest::job_for("acme", &submitted).unwrap();
    // What SQS moves to the dead-letter queue: the job's message, body unchanged.
    let detail = serde_json::to_value(&job).unwrap();
    let event = plasma_core::Event::new(
        plasma_research::SOURCE,
        plasma_research::ingest::INGEST_REQUESTED,
        detail,
    );
    let envelope = plasma_core::EventEnvelope::local("e1".into(), chrono::Utc::now(), &event);
    p.ports
        .queue
        .send(
            topology::INGEST_DLQ,
            plasma_core::OutMessage::new(serde_json::to_string(&envelope).unwrap()),
        )
        .await
        .unwrap();
    let sample: EventBridgeEvent = serde_json::from_str(&sample("housekeeping.json")).unwrap();
    let report = plasma_platform::schedules::handle(
        &p,
        &plasma_platform::schedules::HOUSEKEEPING,
        LambdaEvent::new(sample, Context::default()),
    )
    .await
    .unwrap();
    assert_eq!(report["dead_letters"], 1, "{report:?}");
    let doc = p
        .research
        .documents
        .get("acme", &submitted.document().id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(doc.status, Status::Failed, "{doc:?}");
    assert!(
        doc.reason
            .as_deref()
            .unwrap_or_default()
            .contains("gave up"),
        "{doc:?}"
    );
}
