use super::*;
use crate::test_support::clock;
use plasma_core::ManualClock;
use std::fs;

fn store(dir: &Path) -> (FileBlobStore, Arc<ManualClock>) {
    let clock = clock();
    let store =
        FileBlobStore::open(dir, clock.clone(), "http://localhost:3000/".into()).expect("open");
    (store, clock)
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                out.push(
                    path.strip_prefix(dir)
                        .expect("under dir")
                        .display()
                        .to_string(),
                );
            }
        }
    }
    out.sort();
    out
}

#[tokio::test]
async fn keys_escaping_the_directory_are_refused() {
    let root = tempfile::tempdir().expect("temp dir");
    let dir = root.path().join("blobs");
    let (store, _) = store(&dir);
    for key in [
        "../escape",
        "a/../../escape",
        "/etc/passwd",
        "a\\..\\b",
        "",
        "a//b",
    ] {
        let put = store
            .put(key, Bytes::from_static(b"x"), PutOptions::default())
            .await;
        assert!(
            matches!(put, Err(PortError::Invalid(_))),
            "put {key:?}: {put:?}"
        );
        assert!(store.get(key).await.is_err(), "get {key:?}");
        assert!(store.delete(key).await.is_err(), "delete {key:?}");
        assert!(
            store
                .presign_upload(key, None, 100, Duration::from_secs(60))
                .await
                .is_err()
        );
    }
    let outside: Vec<_> = fs::read_dir(root.path())
        .expect("read")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(
        outside,
        ["blobs"],
        "nothing written beside the blob directory"
    );
}

#[tokio::test]
async fn put_get_head_list_and_delete() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, _) = store(dir.path());
    let options = PutOptions {
        content_type: Some("text/plain".into()),
        metadata: BTreeMap::from([("owner".into(), "ann".into())]),
    };
    let meta = store
        .put("docs/A b.txt", Bytes::from_static(b"hello"), options)
        .await
        .expect("put");
    assert_eq!(
        meta.etag, "5d41402abc4b2a76b9719d911017c592",
        "hex MD5, like S3"
    );
    assert_eq!(meta.size, 5);
    // A key that is also a "directory" of another key, as S3 allows.
    store
        .put("docs", Bytes::from_static(b"d"), PutOptions::default())
        .await
        .expect("put docs");
    let blob = store
        .get("docs/A b.txt")
        .await
        .expect("get")
        .expect("present");
    assert_eq!(blob.body, Bytes::from_static(b"hello"));
    assert_eq!(blob.meta, meta);
    assert_eq!(
        store.head("docs").await.expect("head").map(|m| m.size),
        Some(1)
    );
    assert_eq!(store.get("docs/missing").await.expect("get missing"), None);

    for i in 0..5 {
        store
            .put(&format!("docs/n{i}"), Bytes::new(), PutOptions::default())
            .await
            .expect("put");
    }
    let mut keys = Vec::new();
    let mut cursor = None;
    loop {
        let page = store.list("docs/", cursor, 2).await.expect("list");
        assert!(page.items.len() <= 2);
        keys.extend(page.items.into_iter().map(|m| m.key));
        cursor = page.next;
        if cursor.is_none() {
            break;
        }
    }
    assert_eq!(
        keys,
        [
            "docs/A b.txt",
            "docs/n0",
            "docs/n1",
            "docs/n2",
            "docs/n3",
            "docs/n4"
        ]
    );

    store.delete("docs/A b.txt").await.expect("delete");
    store
        .delete("docs/A b.txt")
        .await
        .expect("delete again is fine");
    assert_eq!(store.head("docs/A b.txt").await.expect("head"), None);
    let health = store.health().await.expect("health");
    assert!(health.contains("(6 blobs)"), "{health}");
}

#[tokio::test]
async fn writes_leave_no_temp_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, _) = store(dir.path());
    store
        .put("a/b", Bytes::from_static(b"1"), PutOptions::default())
        .await
        .expect("put");
    store
        .put("a/b", Bytes::from_static(b"22"), PutOptions::default())
        .await
        .expect("overwrite");
    store
        .put("a", Bytes::from_static(b"3"), PutOptions::default())
        .await
        .expect("put");
    assert_eq!(
        files(dir.path()),
        [
            ".presign-key",
            "objects/a.d/b.f",
            "objects/a.d/b.m",
            "objects/a.f",
            "objects/a.m"
        ]
    );
    assert_eq!(
        store.get("a/b").await.expect("get").map(|b| b.body),
        Some(Bytes::from_static(b"22"))
    );
}

#[tokio::test]
async fn presigned_uploads_verify_only_as_signed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, clock) = store(dir.path());
    let ticket = store
        .presign_upload(
            "up/ü 1.png",
            Some("image/png"),
            1000,
            Duration::from_secs(300),
        )
        .await
        .expect("presign");
    assert_eq!(ticket.url, "http://localhost:3000/_blobs");
    assert_eq!(ticket.max_bytes, 1000);
    let expires = ticket.expires_at.timestamp();
    assert_eq!(expires, clock.now().timestamp() + 300);
    let granted = store.verify_upload(&ticket.fields).expect("good signature");
    assert_eq!(
        granted,
        VerifiedUpload {
            key: "up/ü 1.png".into(),
            expires,
            max_bytes: 1000,
            content_type: Some("image/png".into()),
        }
    );

    let edited = |name: &str, value: Option<&str>| {
        let mut fields = ticket.fields.clone();
        match value {
            Some(v) => fields.insert(name.to_owned(), v.to_owned()),
            None => fields.remove(name),
        };
        store.verify_upload(&fields)
    };
    let mut tampered = ticket.fields["x-plasma-signature"].clone().into_bytes();
    tampered[0] = if tampered[0] == b'0' { b'1' } else { b'0' };
    let tampered = String::from_utf8(tampered).expect("hex");
    for (name, value, what) in [
        ("x-plasma-signature", Some(&*tampered), "tampered signature"),
        ("x-plasma-signature", Some("zz"), "not hex"),
        ("key", Some("up/other.png"), "other key"),
        (
            "x-plasma-expires",
            Some(&*(expires + 60).to_string()),
            "later expiry",
        ),
        ("x-plasma-max-bytes", Some("1000000"), "larger size"),
        ("Content-Type", Some("text/html"), "other content type"),
        ("Content-Type", None, "missing content type"),
        ("x-plasma-max-bytes", None, "missing size"),
    ] {
        assert!(edited(name, value).is_err(), "{what}");
    }

    clock.advance(chrono::Duration::seconds(301));
    let expired = store.verify_upload(&ticket.fields);
    assert!(
        matches!(expired, Err(PortError::Invalid(_))),
        "expired: {expired:?}"
    );

    // The secret persists: a reopened store accepts what the first one signed.
    clock.advance(chrono::Duration::seconds(-301));
    let reopened =
        FileBlobStore::open(dir.path(), clock.clone(), "http://x".into()).expect("reopen");
    reopened.verify_upload(&ticket.fields).expect("same secret");
}

#[tokio::test]
async fn bounded_reads_stop_at_the_bound() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, _) = store(dir.path());
    store
        .put(
            "big",
            Bytes::from_static(b"0123456789"),
            PutOptions::default(),
        )
        .await
        .expect("put");
    let cut = store
        .get_bounded("big", 4)
        .await
        .expect("get")
        .expect("blob");
    assert_eq!((cut.body.as_ref(), cut.meta.size), (&b"0123"[..], 10));
    let whole = store
        .get_bounded("big", 10)
        .await
        .expect("get")
        .expect("blob");
    assert_eq!(whole.body.as_ref(), b"0123456789");
    assert!(store.get_bounded("absent", 4).await.expect("get").is_none());
}

#[cfg(unix)]
#[test]
fn presign_secret_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let _store = store(dir.path());
    let mode = fs::metadata(dir.path().join(".presign-key"))
        .expect("secret")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}
