//! Cipher conformance: a secret comes back only under the context it was encrypted with, an
//! altered ciphertext is refused as `Invalid` (never a panic, never garbage), and sizes are
//! bounded (see `plasma_core::cipher`). Key handling (the key file, KMS key states) is tested
//! beside each adapter.

use plasma_core::{Cipher, MAX_SECRET_BYTES, PortError, PortResult};
use std::collections::BTreeMap;

fn context(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn publishing(tenant: &str) -> BTreeMap<String, String> {
    context(&[("tenant", tenant), ("purpose", "publishing")])
}

#[track_caller]
fn assert_undecryptable(result: PortResult<Vec<u8>>, what: &str) {
    match result {
        Err(PortError::Invalid(m)) if m.contains("cannot be decrypted") => {}
        other => panic!("{what}: want Invalid(\"... cannot be decrypted ...\"), got {other:?}"),
    }
}

/// What was encrypted comes back, for text and for every byte value.
pub async fn round_trip(c: &dyn Cipher) {
    let ctx = publishing("acme");
    let binary: Vec<u8> = (0..=255).collect();
    for secret in [&b"oauth-refresh-token: 1//0gX"[..], &binary] {
        let ciphertext = c.encrypt(secret, &ctx).await.expect("encrypt");
        assert!(
            !ciphertext.windows(secret.len()).any(|w| w == secret),
            "the ciphertext holds the plaintext"
        );
        assert_eq!(
            c.decrypt(&ciphertext, &ctx).await.expect("decrypt"),
            secret,
            "decrypt returns what was encrypted"
        );
    }
    let none = BTreeMap::new();
    let ciphertext = c.encrypt(b"s", &none).await.expect("encrypt, no context");
    assert_eq!(
        c.decrypt(&ciphertext, &none)
            .await
            .expect("decrypt, no context"),
        b"s",
        "an empty context is a context"
    );
}

/// KMS cannot encrypt nothing, so neither adapter does.
pub async fn empty_plaintext_refused(c: &dyn Cipher) {
    assert!(
        matches!(
            c.encrypt(b"", &publishing("acme")).await,
            Err(PortError::Invalid(_))
        ),
        "an empty secret is Invalid"
    );
}

/// Any change to the context (a value, a pair added or removed, none at all) refuses.
pub async fn other_context_refused(c: &dyn Cipher) {
    let ctx = publishing("acme");
    let ciphertext = c.encrypt(b"token", &ctx).await.expect("encrypt");
    let others = [
        (
            "another purpose",
            context(&[("tenant", "acme"), ("purpose", "webhooks")]),
        ),
        (
            "an extra pair",
            context(&[("tenant", "acme"), ("purpose", "publishing"), ("x", "y")]),
        ),
        ("a missing pair", context(&[("tenant", "acme")])),
        ("no context", BTreeMap::new()),
        (
            "another case",
            context(&[("tenant", "ACME"), ("purpose", "publishing")]),
        ),
    ];
    for (what, other) in others {
        assert_undecryptable(c.decrypt(&ciphertext, &other).await, what);
    }
    assert_eq!(
        c.decrypt(&ciphertext, &ctx).await.expect("decrypt"),
        b"token",
        "the right context still decrypts"
    );
}

/// One tenant's ciphertext never opens under another tenant's context, either way round.
pub async fn other_tenant_refused(c: &dyn Cipher) {
    let acme = c
        .encrypt(b"acme-token", &publishing("acme"))
        .await
        .expect("encrypt acme");
    let globex = c
        .encrypt(b"globex-token", &publishing("globex"))
        .await
        .expect("encrypt globex");
    assert_undecryptable(
        c.decrypt(&acme, &publishing("globex")).await,
        "acme's secret as globex",
    );
    assert_undecryptable(
        c.decrypt(&globex, &publishing("acme")).await,
        "globex's secret as acme",
    );
}

/// A flipped bit in the sealed part, a truncated or an empty ciphertext is refused. (Which
/// header bytes an adapter has is its own business; each adapter's tests flip those.)
pub async fn altered_ciphertext_refused(c: &dyn Cipher) {
    let ctx = publishing("acme");
    let ciphertext = c.encrypt(b"token", &ctx).await.expect("encrypt");
    let mut flipped = ciphertext.clone();
    *flipped.last_mut().expect("a ciphertext has bytes") ^= 0x01;
    assert_undecryptable(c.decrypt(&flipped, &ctx).await, "last byte flipped");
    assert_undecryptable(
        c.decrypt(&ciphertext[..ciphertext.len() - 1], &ctx).await,
        "last byte cut off",
    );
    assert_undecryptable(c.decrypt(&[], &ctx).await, "empty ciphertext");
}

/// Up to [`MAX_SECRET_BYTES`] is accepted; one more byte is `Invalid`.
pub async fn oversize_refused(c: &dyn Cipher) {
    let ctx = publishing("acme");
    let largest = vec![0x5a; MAX_SECRET_BYTES];
    let ciphertext = c
        .encrypt(&largest, &ctx)
        .await
        .expect("encrypt the largest");
    assert_eq!(
        c.decrypt(&ciphertext, &ctx).await.expect("decrypt"),
        largest
    );
    assert!(
        matches!(
            c.encrypt(&[0x5a; MAX_SECRET_BYTES + 1], &ctx).await,
            Err(PortError::Invalid(_))
        ),
        "a secret over {MAX_SECRET_BYTES} bytes is Invalid"
    );
}

/// Encryption is randomised: equal secrets do not give equal ciphertexts.
pub async fn encryptions_differ(c: &dyn Cipher) {
    let ctx = publishing("acme");
    let a = c.encrypt(b"token", &ctx).await.expect("encrypt");
    let b = c.encrypt(b"token", &ctx).await.expect("encrypt again");
    assert_ne!(a, b, "two encryptions of one secret are equal");
    assert_eq!(c.decrypt(&b, &ctx).await.expect("decrypt"), b"token");
}

/// Pairs are not concatenated: `{"tenant": "acme"}` is not `{"tenan": "tacme"}`. Real KMS
/// keeps pairs apart; moto 5.2 joins keys and values into its AAD, so this runs embedded only.
pub async fn context_pairs_are_kept_apart(c: &dyn Cipher) {
    let ciphertext = c
        .encrypt(b"token", &context(&[("tenant", "acme")]))
        .await
        .expect("encrypt");
    for (what, other) in [
        ("boundary moved", context(&[("tenan", "tacme")])),
        ("split in two", context(&[("t", "enan"), ("ta", "cme")])),
    ] {
        assert_undecryptable(c.decrypt(&ciphertext, &other).await, what);
    }
}

/// Health describes the key without failing.
pub async fn health_reports_the_key(c: &dyn Cipher) {
    let health = c.health().await.expect("health");
    assert!(health.contains("key"), "{health}");
}
