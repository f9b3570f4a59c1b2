//! S3 browser-based uploads: a POST policy and its SigV4 signature, as AWS documents them
//! ("Browser-Based Uploads Using POST", "Creating a POST Policy"). The SDK presigns only
//! requests with a fixed URL (a PUT), which cannot bound the body's size; a POST policy can,
//! with `content-length-range`, and S3 refuses a larger file with `EntityTooLarge`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use std::collections::BTreeMap;

pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// What one upload may do.
pub struct Upload<'a> {
    pub bucket: &'a str,
    pub key: &'a str,
    pub content_type: Option<&'a str>,
    pub max_bytes: u64,
    pub expires_at: DateTime<Utc>,
}

/// Who signs, and where.
pub struct Signer<'a> {
    pub access_key_id: &'a str,
    pub secret_access_key: &'a str,
    /// Temporary credentials (a Lambda role's) must name their token in the policy.
    pub session_token: Option<&'a str>,
    pub region: &'a str,
    pub now: DateTime<Utc>,
}

/// The form fields of a signed upload: the key, the content type, the base64 policy and
/// the `x-amz-*` signing fields.
pub fn form_fields(upload: &Upload<'_>, signer: &Signer<'_>) -> BTreeMap<String, String> {
    let date = signer.now.format("%Y%m%d").to_string();
    let credential = format!(
        "{}/{date}/{}/s3/aws4_request",
        signer.access_key_id, signer.region
    );
    let mut fields = BTreeMap::from([
        ("key".to_owned(), upload.key.to_owned()),
        ("x-amz-algorithm".to_owned(), ALGORITHM.to_owned()),
        ("x-amz-credential".to_owned(), credential),
        (
            "x-amz-date".to_owned(),
            signer.now.format("%Y%m%dT%H%M%SZ").to_string(),
        ),
    ]);
    if let Some(content_type) = upload.content_type {
        fields.insert("Content-Type".to_owned(), content_type.to_owned());
    }
    if let Some(token) = signer.session_token {
        fields.insert("x-amz-security-token".to_owned(), token.to_owned());
    }
    // Every field but the policy and signature is a condition, matched exactly; the size
    // range is the point of signing a policy at all.
    let mut conditions: Vec<Value> = vec![json!({ "bucket": upload.bucket })];
    conditions.extend(fields.iter().map(|(name, value)| json!({ name: value })));
    conditions.push(json!(["content-length-range", 1, upload.max_bytes]));
    let policy = json!({
        "expiration": upload.expires_at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        "conditions": conditions,
    });
    let policy = STANDARD.encode(policy.to_string());
    let key = aws_sigv4::sign::v4::generate_signing_key(
        signer.secret_access_key,
        signer.now.into(),
        signer.region,
        "s3",
    );
    let signature = aws_sigv4::sign::v4::calculate_signature(key, policy.as_bytes());
    fields.insert("policy".to_owned(), policy);
    fields.insert("x-amz-signature".to_owned(), signature);
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_policy_bounds_the_size_and_names_every_field() {
        let now = Utc.with_ymd_and_hms(2026, 12, 7, 22, 0, 0).unwrap();
        let fields = form_fields(
            &Upload {
                bucket: "docs",
                key: "incoming/acme/u1/a.pdf",
                content_type: Some("application/pdf"),
                max_bytes: 1000,
                expires_at: now + chrono::Duration::minutes(15),
            },
            &Signer {
                access_key_id: "AKID",
                secret_access_key: "secret",
                session_token: Some("token"),
                region: "eu-west-1",
                now,
            },
        );
        let policy: Value =
            serde_json::from_slice(&STANDARD.decode(&fields["policy"]).unwrap()).unwrap();
        assert_eq!(policy["expiration"], "2026-12-07T22:15:00.000Z");
        let conditions = policy["conditions"].as_array().unwrap();
        assert!(conditions.contains(&json!(["content-length-range", 1, 1000])));
        for (name, value) in [
            ("bucket", "docs"),
            ("key", "incoming/acme/u1/a.pdf"),
            ("Content-Type", "application/pdf"),
            ("x-amz-security-token", "token"),
            (
                "x-amz-credential",
                "AKID/20261207/eu-west-1/s3/aws4_request",
            ),
            ("x-amz-date", "20261207T220000Z"),
            ("x-amz-algorithm", ALGORITHM),
        ] {
            assert!(conditions.contains(&json!({ name: value })), "{name}");
        }
        assert_eq!(fields["x-amz-signature"].len(), 64);
    }
}
