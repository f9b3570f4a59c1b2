//! CSRF protection without server state: a form's token is a digest of the session token,
//! which a cross-site page can neither read (the cookie is HttpOnly) nor compute. Before
//! sign-in, a random value in a cookie is repeated in the form (double submit).

use sha2::{Digest, Sha256};

pub(crate) const FIELD: &str = "_csrf";

pub(crate) fn token_for(session: &str) -> String {
    let digest = Sha256::digest(format!("plasma-csrf:{session}").as_bytes());
    hex::encode(&digest[..16])
}

/// Constant-time comparison, so the check leaks nothing about the expected token.
pub(crate) fn matches(expected: &str, given: &str) -> bool {
    expected.len() == given.len()
        && expected
            .bytes()
            .zip(given.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

pub(crate) fn random() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the OS random source works");
    hex::encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_bound_to_the_session_and_compared_exactly() {
        let a = token_for("session-a");
        assert_eq!(a, token_for("session-a"));
        assert_ne!(a, token_for("session-b"));
        assert!(matches(&a, &a));
        assert!(!matches(&a, &token_for("session-b")));
        assert!(!matches(&a, &a[..10]));
        assert_ne!(random(), random());
    }
}
