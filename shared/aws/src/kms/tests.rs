//! KMS's error codes and request shapes against a stand-in: moto emulates neither
//! `IncorrectKeyException` nor disabled keys on `Encrypt`/`Decrypt`.

use super::*;
use aws_sdk_kms::config::retry::RetryConfig;
use aws_sdk_kms::config::{BehaviorVersion, Credentials, Region};
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

/// The operation (`X-Amz-Target`) and JSON body of each request the stand-in saw.
type Seen = Arc<Mutex<Vec<(String, Value)>>>;

/// A KMS stand-in: a `KeyId` naming an error code (`...Exception`) fails with that code, any
/// other key encrypts to the plaintext reversed and decrypts by reversing again.
async fn kms() -> (String, Seen) {
    let seen = Seen::default();
    let app = Router::new()
        .route(
            "/",
            post(
                |State(seen): State<Seen>, headers: HeaderMap, body: String| async move {
                    let body: Value = serde_json::from_str(&body).unwrap();
                    let target = headers["x-amz-target"].to_str().unwrap().to_string();
                    seen.lock().unwrap().push((target.clone(), body.clone()));
                    let key = body["KeyId"].as_str().unwrap_or_default();
                    if key.ends_with("Exception") {
                        let status = if key.starts_with("KMSInternal") {
                            StatusCode::INTERNAL_SERVER_ERROR
                        } else {
                            StatusCode::BAD_REQUEST
                        };
                        let error = json!({"__type": key, "message": "from the stand-in"});
                        return (status, error.to_string()).into_response();
                    }
                    let reversed = |field: &str| {
                        let mut bytes = STANDARD.decode(body[field].as_str().unwrap()).unwrap();
                        bytes.reverse();
                        STANDARD.encode(bytes)
                    };
                    let reply = match target.as_str() {
                        "TrentService.Encrypt" => {
                            json!({"CiphertextBlob": reversed("Plaintext"), "KeyId": key})
                        }
                        "TrentService.Decrypt" => {
                            json!({"Plaintext": reversed("CiphertextBlob"), "KeyId": key})
                        }
                        other => panic!("unexpected operation {other}"),
                    };
                    (StatusCode::OK, reply.to_string()).into_response()
                },
            ),
        )
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

fn cipher(url: &str, key_id: &str) -> KmsCipher {
    let config = aws_sdk_kms::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .endpoint_url(url)
        // The 5xx and throttling cases would otherwise be retried with backoff.
        .retry_config(RetryConfig::disabled())
        .build();
    KmsCipher::new(Client::from_conf(config), key_id.into())
}

fn acme() -> BTreeMap<String, String> {
    BTreeMap::from([("tenant".to_string(), "acme".to_string())])
}

#[tokio::test]
async fn requests_name_the_key_and_carry_the_context() {
    let (url, seen) = kms().await;
    let kms = cipher(&url, "alias/secrets");
    let ciphertext = kms.encrypt(b"token", &acme()).await.unwrap();
    assert_eq!(ciphertext, b"nekot");
    assert_eq!(kms.decrypt(&ciphertext, &acme()).await.unwrap(), b"token");
    kms.decrypt(&ciphertext, &BTreeMap::new()).await.unwrap();

    let seen = seen.lock().unwrap();
    let (encrypt, decrypt, bare) = (&seen[0].1, &seen[1].1, &seen[2].1);
    assert_eq!(seen[0].0, "TrentService.Encrypt");
    assert_eq!(encrypt["KeyId"], "alias/secrets");
    assert_eq!(encrypt["EncryptionContext"], json!({"tenant": "acme"}));
    assert_eq!(seen[1].0, "TrentService.Decrypt");
    assert_eq!(decrypt["KeyId"], "alias/secrets");
    assert_eq!(decrypt["EncryptionContext"], json!({"tenant": "acme"}));
    assert!(bare.get("EncryptionContext").is_none(), "{bare}");
}

/// The `PortError` variant a KMS error code should become.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Undecryptable,
    NotConfigured,
    Backend,
}

fn kind(err: &PortError) -> Option<Kind> {
    match err {
        PortError::Invalid(m) if m.contains("cannot be decrypted") => Some(Kind::Undecryptable),
        PortError::NotConfigured(_) => Some(Kind::NotConfigured),
        PortError::Backend(_) => Some(Kind::Backend),
        _ => None,
    }
}

#[tokio::test]
async fn errors_map_onto_port_errors() {
    let (url, _) = kms().await;
    for (code, expected) in [
        ("InvalidCiphertextException", Kind::Undecryptable),
        ("IncorrectKeyException", Kind::Undecryptable),
        ("NotFoundException", Kind::NotConfigured),
        ("DisabledException", Kind::NotConfigured),
        ("KMSInvalidStateException", Kind::NotConfigured),
        ("AccessDeniedException", Kind::NotConfigured),
        ("ThrottlingException", Kind::Backend),
        ("KMSInternalException", Kind::Backend),
        ("KeyUnavailableException", Kind::Backend),
    ] {
        let kms = cipher(&url, code);
        let err = kms.decrypt(b"blob", &acme()).await.unwrap_err();
        assert_eq!(kind(&err), Some(expected), "{code} on decrypt: {err:?}");
        let err = kms.encrypt(b"token", &acme()).await.unwrap_err();
        assert_eq!(kind(&err), Some(expected), "{code} on encrypt: {err:?}");
    }
}

#[tokio::test]
async fn sizes_are_checked_before_calling_kms() {
    let (url, seen) = kms().await;
    let kms = cipher(&url, "alias/secrets");
    for plaintext in [&[][..], &[1; plasma_core::MAX_SECRET_BYTES + 1][..]] {
        assert!(matches!(
            kms.encrypt(plaintext, &acme()).await,
            Err(PortError::Invalid(_))
        ));
    }
    for ciphertext in [&[][..], &[1; MAX_CIPHERTEXT_BYTES + 1][..]] {
        assert!(matches!(
            kms.decrypt(ciphertext, &acme()).await,
            Err(PortError::Invalid(m)) if m.contains("cannot be decrypted")
        ));
    }
    assert!(seen.lock().unwrap().is_empty());
}
