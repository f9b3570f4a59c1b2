//! Cipher cases tied to one backend's key: the embedded key file (kept across restarts, one per
//! data directory, owner-only) and the KMS key's absence or state.

mod embedded {
    use plasma_conformance::{events, queue};
    use plasma_core::{Cipher, PortError, SystemClock, UuidV7Ids};
    use plasma_embedded::{Embedded, LocalCipher};
    use std::collections::BTreeMap;
    use std::path::Path;
    use std::sync::Arc;

    fn open(dir: &Path) -> Arc<LocalCipher> {
        Embedded::open(
            dir,
            queue::specs(),
            events::rules(),
            "http://127.0.0.1:9/uploads".into(),
            Arc::new(SystemClock),
            Arc::new(UuidV7Ids),
        )
        .expect("open embedded adapters")
        .cipher
    }

    fn acme() -> BTreeMap<String, String> {
        BTreeMap::from([("tenant".to_string(), "acme".to_string())])
    }

    #[tokio::test]
    async fn key_persists_across_reopen() {
        let dir = tempfile::tempdir().expect("temp dir");
        let ciphertext = open(dir.path())
            .encrypt(b"token", &acme())
            .await
            .expect("encrypt");
        let reopened = open(dir.path());
        assert_eq!(
            reopened
                .decrypt(&ciphertext, &acme())
                .await
                .expect("decrypt"),
            b"token",
            "the reopened data directory has the same key"
        );
    }

    #[tokio::test]
    async fn another_data_dirs_ciphertext_is_refused() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let ciphertext = open(a.path())
            .encrypt(b"token", &acme())
            .await
            .expect("encrypt");
        match open(b.path()).decrypt(&ciphertext, &acme()).await {
            Err(PortError::Invalid(m))
                if m.contains("cannot be decrypted") && m.contains("another key") => {}
            other => panic!("want Invalid naming another key, got {other:?}"),
        }
    }

    #[cfg(unix)]
    #[test]
    fn key_file_is_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        open(dir.path());
        let key = dir.path().join("keys").join("secrets.key");
        let meta = std::fs::metadata(&key).expect("key file");
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        assert_eq!(meta.len(), 32);
    }

    /// moto 5.2 builds its AAD by joining keys and values, so `{"tenant": "acme"}` and
    /// `{"tenan": "tacme"}` collide there (not on real KMS): this case cannot run on moto.
    #[tokio::test]
    async fn context_pairs_are_kept_apart() {
        let dir = tempfile::tempdir().expect("temp dir");
        plasma_conformance::cipher::context_pairs_are_kept_apart(&*open(dir.path())).await;
    }
}

mod aws {
    use plasma_aws::KmsCipher;
    use plasma_core::{Cipher, PortError};
    use std::collections::BTreeMap;

    async fn kms(key_id: String) -> KmsCipher {
        let sdk = plasma_tests::moto::sdk_config().await;
        KmsCipher::new(aws_sdk_kms::Client::new(&sdk), key_id)
    }

    #[tokio::test]
    async fn unknown_key_is_not_configured() {
        let cipher = kms("alias/plasma-no-such-key".into()).await;
        let context = BTreeMap::new();
        for (what, result) in [
            ("encrypt", cipher.encrypt(b"token", &context).await.err()),
            ("decrypt", cipher.decrypt(b"blob", &context).await.err()),
            ("health", cipher.health().await.err()),
        ] {
            assert!(
                matches!(result, Some(PortError::NotConfigured(_))),
                "{what}: {result:?}"
            );
        }
    }

    #[tokio::test]
    async fn disabled_key_fails_health() {
        let sdk = plasma_tests::moto::sdk_config().await;
        let key_id = plasma_tests::aws::create_kms_key(&sdk).await;
        let cipher = kms(key_id.clone()).await;
        cipher.health().await.expect("an enabled key is healthy");
        aws_sdk_kms::Client::new(&sdk)
            .disable_key()
            .key_id(&key_id)
            .send()
            .await
            .expect("moto: disable key");
        match cipher.health().await {
            Err(PortError::NotConfigured(m)) if m.contains("Disabled") => {}
            other => panic!("want NotConfigured naming the state, got {other:?}"),
        }
    }
}
