//! BlobStore conformance: S3 semantics (see `plasma_core::blob`).

use bytes::Bytes;
use plasma_core::{BlobStore, PortError, PutOptions};
use std::collections::BTreeMap;
use std::time::Duration;

/// MD5 of "hello world": S3's ETag for a single-part upload of that body.
const HELLO_MD5: &str = "5eb63bbbe01eeed093cb22bb8f5acdc3";

fn options(content_type: &str, meta: &[(&str, &str)]) -> PutOptions {
    PutOptions {
        content_type: Some(content_type.into()),
        metadata: meta
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

/// put/get/head/delete with content type, metadata and ETag; absent keys read as None and
/// deleting twice is fine.
pub async fn put_get_head_delete(store: &dyn BlobStore) {
    let key = "docs/readme.txt";
    assert_eq!(
        store.get(key).await.expect("get absent"),
        None,
        "absent key: get"
    );
    assert_eq!(
        store.head(key).await.expect("head absent"),
        None,
        "absent key: head"
    );
    let opts = options(
        "text/plain",
        &[("owner", "alice"), ("purpose", "conformance")],
    );
    let put = store
        .put(key, Bytes::from_static(b"hello world"), opts.clone())
        .await
        .expect("put");
    assert_eq!(put.key, key);
    assert_eq!(put.size, 11);
    assert_eq!(
        put.etag, HELLO_MD5,
        "etag is the hex MD5 of the body, unquoted"
    );
    let blob = store
        .get(key)
        .await
        .expect("get")
        .expect("get after put returned None");
    assert_eq!(blob.body, Bytes::from_static(b"hello world"));
    assert_eq!(
        blob.meta.content_type, opts.content_type,
        "content type round trip"
    );
    assert_eq!(blob.meta.metadata, opts.metadata, "metadata round trip");
    assert_eq!(blob.meta.etag, HELLO_MD5);
    assert_eq!(blob.meta.size, 11);
    let head = store
        .head(key)
        .await
        .expect("head")
        .expect("head after put returned None");
    assert_eq!(head, blob.meta, "head reports what get reports");
    let age = chrono::Utc::now() - head.last_modified;
    assert!(
        age.num_seconds().abs() < 300,
        "last_modified {} is not close to now",
        head.last_modified
    );
    store
        .put(key, Bytes::from_static(b"v2"), PutOptions::default())
        .await
        .expect("overwrite");
    let blob = store
        .get(key)
        .await
        .expect("get")
        .expect("overwritten blob");
    assert_eq!(blob.body, Bytes::from_static(b"v2"), "put overwrites");
    assert!(blob.meta.metadata.is_empty(), "overwrite replaces metadata");
    store.delete(key).await.expect("delete");
    assert_eq!(
        store.get(key).await.expect("get deleted"),
        None,
        "deleted key: get"
    );
    assert_eq!(
        store.head(key).await.expect("head deleted"),
        None,
        "deleted key: head"
    );
    store
        .delete(key)
        .await
        .expect("deleting an absent key must succeed");
}

/// Listing a prefix with a small page size yields every key under it exactly once, in
/// ascending byte order, and nothing outside it.
pub async fn list_by_prefix_paginates(store: &dyn BlobStore) {
    let mut expected: Vec<String> = (0..23).map(|i| format!("list/{i:02}.bin")).collect();
    expected.push("list/sub/deep.bin".into());
    expected.push("list/Z-upper.bin".into());
    for (i, key) in expected.iter().enumerate() {
        store
            .put(key, Bytes::from(vec![b'x'; i]), PutOptions::default())
            .await
            .unwrap_or_else(|e| panic!("put {key}: {e}"));
    }
    for outside in ["listing.bin", "other/list/x.bin"] {
        store
            .put(outside, Bytes::from_static(b"-"), PutOptions::default())
            .await
            .unwrap_or_else(|e| panic!("put {outside}: {e}"));
    }
    let mut seen = Vec::new();
    let mut cursor = None;
    for page_no in 0.. {
        assert!(
            page_no < 20,
            "listing 25 keys 5 at a time did not end after 20 pages"
        );
        let page = store.list("list/", cursor, 5).await.expect("list");
        assert!(page.items.len() <= 5, "a page holds at most `limit` keys");
        seen.extend(page.items.into_iter().map(|m| (m.key, m.size)));
        cursor = page.next;
        if cursor.is_none() {
            break;
        }
    }
    let sizes: BTreeMap<&String, u64> = expected
        .iter()
        .enumerate()
        .map(|(i, k)| (k, i as u64))
        .collect();
    let mut want: Vec<(String, u64)> = sizes.iter().map(|(k, s)| ((*k).clone(), *s)).collect();
    want.sort();
    assert_eq!(
        seen, want,
        "every key under the prefix exactly once, ascending, with its size"
    );
    let empty = store
        .list("nothing-here/", None, 5)
        .await
        .expect("list empty prefix");
    assert!(empty.items.is_empty() && empty.next.is_none(), "{empty:?}");
}

/// Keys that could escape a directory or are not valid S3 keys are refused by every call.
pub async fn invalid_keys_refused(store: &dyn BlobStore) {
    for key in [
        "",
        "/abs",
        "a/../../etc/passwd",
        "..",
        "a//b",
        "a\\b",
        "dir/",
    ] {
        let invalid = |what: &str, r: Result<(), PortError>| {
            assert!(
                matches!(r, Err(PortError::Invalid(_))),
                "{what} of key {key:?} must be refused as Invalid, got {r:?}"
            )
        };
        invalid(
            "put",
            store
                .put(key, Bytes::from_static(b"x"), PutOptions::default())
                .await
                .map(drop),
        );
        invalid("get", store.get(key).await.map(drop));
        invalid("head", store.head(key).await.map(drop));
        invalid("delete", store.delete(key).await);
        invalid(
            "presign_upload",
            store
                .presign_upload(key, None, 100, Duration::from_secs(60))
                .await
                .map(drop),
        );
    }
}

/// A presigned upload is a form POST to an absolute URL, valid for the requested time, whose
/// fields name the key and the content type and which says its size limit.
pub async fn presign_upload_expires_in_future(store: &dyn BlobStore) {
    let before = chrono::Utc::now();
    let ticket = store
        .presign_upload(
            "uploads/report.pdf",
            Some("application/pdf"),
            1000,
            Duration::from_secs(600),
        )
        .await
        .expect("presign_upload");
    assert!(
        ticket.url.starts_with("http://") || ticket.url.starts_with("https://"),
        "presigned URL must be absolute, got {:?}",
        ticket.url
    );
    let lifetime = (ticket.expires_at - before).num_seconds();
    assert!(
        (590..=610).contains(&lifetime),
        "expires_at {} should be ~600 s after {before}",
        ticket.expires_at
    );
    assert_eq!(ticket.max_bytes, 1000);
    let field = |name: &str| ticket.fields.get(name).map(String::as_str);
    assert_eq!(
        field("key"),
        Some("uploads/report.pdf"),
        "{:?}",
        ticket.fields
    );
    assert_eq!(
        field("Content-Type"),
        Some("application/pdf"),
        "the signed content type must be passed on to the client: {:?}",
        ticket.fields
    );
    let unbounded = store
        .presign_upload("uploads/x", None, 0, Duration::from_secs(60))
        .await;
    assert!(
        matches!(unbounded, Err(PortError::Invalid(_))),
        "an upload without a size limit: {unbounded:?}"
    );
}

/// A bounded read returns at most the bytes asked for and the whole object's size.
pub async fn get_bounded_stops_at_the_bound(store: &dyn BlobStore) {
    store
        .put(
            "bounded/ten",
            Bytes::from_static(b"0123456789"),
            options("text/plain", &[]),
        )
        .await
        .expect("put");
    let cut = store
        .get_bounded("bounded/ten", 4)
        .await
        .expect("get_bounded")
        .expect("present");
    assert_eq!(cut.body, Bytes::from_static(b"0123"));
    assert_eq!(cut.meta.size, 10, "the whole object's size");
    assert_eq!(cut.meta.content_type.as_deref(), Some("text/plain"));
    let whole = store
        .get_bounded("bounded/ten", 100)
        .await
        .expect("get_bounded")
        .expect("present");
    assert_eq!((whole.body.len(), whole.meta.size), (10, 10));
    store
        .put("bounded/empty", Bytes::new(), PutOptions::default())
        .await
        .expect("put empty");
    let empty = store
        .get_bounded("bounded/empty", 4)
        .await
        .expect("get_bounded empty")
        .expect("present");
    assert_eq!((empty.body.len(), empty.meta.size), (0, 0));
    assert_eq!(
        store
            .get_bounded("bounded/absent", 4)
            .await
            .expect("absent"),
        None
    );
}

/// A `multipart/form-data` body of `fields` and then `file` (named `file`), as a browser
/// form sends it; its content type with the boundary.
pub fn upload_form(fields: &BTreeMap<String, String>, file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "plasma-form-boundary-7d1f0c";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"upload\"\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// The presigned form really accepts an upload, which `get` then returns. Needs the URL's
/// server to be reachable (S3/moto; the embedded runner serves it only while running), and
/// builds a `reqwest::Client`, so the process must have a rustls crypto provider installed.
pub async fn presigned_upload_uploads(store: &dyn BlobStore) {
    let key = "uploads/direct.txt";
    let ticket = store
        .presign_upload(key, Some("text/plain"), 1000, Duration::from_secs(300))
        .await
        .expect("presign_upload");
    let (content_type, body) = upload_form(&ticket.fields, b"uploaded directly");
    let response = reqwest::Client::new()
        .post(&ticket.url)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("POST to the presigned URL");
    let status = response.status();
    assert!(
        status.is_success(),
        "POST to presigned URL answered {status}: {}",
        response.text().await.unwrap_or_default()
    );
    let blob = store
        .get(key)
        .await
        .expect("get")
        .expect("uploaded blob is missing");
    assert_eq!(blob.body, Bytes::from_static(b"uploaded directly"));
    assert_eq!(blob.meta.content_type.as_deref(), Some("text/plain"));
}
