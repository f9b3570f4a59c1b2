//! Webhook signatures as the platform sends them (Standard Webhooks, `whsec_` secrets) and
//! as a receiver verifies them: arbitrary secrets, ids, timestamps, bodies and signature
//! headers never panic; what is signed verifies, and a changed body or a forged header does
//! not.
#![no_main]

use http::HeaderMap;
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use standardwebhooks::Webhook;

fn headers(id: &str, timestamp: &str, signature: &str) -> Option<HeaderMap> {
    let mut headers = HeaderMap::new();
    headers.insert("webhook-id", id.parse().ok()?);
    headers.insert("webhook-timestamp", timestamp.parse().ok()?);
    headers.insert("webhook-signature", signature.parse().ok()?);
    Some(headers)
}

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    let secret: String = u.arbitrary()?;
    let id: String = u.arbitrary()?;
    let body: Vec<u8> = u.arbitrary()?;
    let forged: String = u.arbitrary()?;
    let forged_timestamp: String = u.arbitrary()?;
    let Ok(webhook) = Webhook::new(&secret) else {
        return Ok(());
    };
    let now = chrono::Utc::now().timestamp();
    // A forged header, with an arbitrary or a current timestamp, is refused or verifies
    // only if it is the real signature.
    for timestamp in [forged_timestamp, now.to_string()] {
        if let Some(h) = headers(&id, &timestamp, &forged)
            && webhook.verify(&body, &h).is_ok()
        {
            let real = webhook
                .sign(&id, timestamp.parse().unwrap(), &body)
                .unwrap();
            assert!(forged.split(' ').any(|s| s == real), "{forged:?} verified");
        }
    }
    let Ok(signature) = webhook.sign(&id, now, &body) else {
        return Ok(());
    };
    // `HeaderValue` takes bytes past ASCII that `to_str` (and so the verifier) then refuses:
    // an id like that is refused, which is safe, so only ASCII headers must verify.
    if let Some(h) = headers(&id, &now.to_string(), &signature)
        && h.values().all(|v| v.to_str().is_ok())
    {
        assert!(webhook.verify(&body, &h).is_ok(), "its own signature");
        let mut changed = body.clone();
        changed.push(b'!');
        assert!(webhook.verify(&changed, &h).is_err(), "a changed body");
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
