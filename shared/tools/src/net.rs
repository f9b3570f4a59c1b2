//! What the HTTP-speaking tools share: turning transport errors into failure names, and
//! reading a response body without letting a remote fill memory.

use crate::ToolFailure;
use crate::errors;
use plasma_http::outbound::OutboundError;

pub(crate) fn url_failure(error: OutboundError) -> ToolFailure {
    match error {
        OutboundError::Forbidden(_) => ToolFailure::new(errors::HTTP_FORBIDDEN, error.to_string()),
        OutboundError::BadUrl(_) => ToolFailure::invalid(error.to_string()),
    }
}

/// The guarded resolver's refusal arrives wrapped in hyper's connect error; find it in the
/// source chain so an SSRF refusal is `Http.Forbidden`, not a retryable network failure.
pub(crate) fn send_failure(error: reqwest::Error) -> ToolFailure {
    if error.is_timeout() {
        return ToolFailure::new(errors::TIMEOUT, error.to_string());
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&error);
    let mut chain = Vec::new();
    while let Some(e) = source {
        if let Some(outbound) = e.downcast_ref::<OutboundError>() {
            return ToolFailure::new(errors::HTTP_FORBIDDEN, outbound.to_string());
        }
        chain.push(e.to_string());
        source = e.source();
    }
    chain.dedup();
    ToolFailure::new(errors::HTTP_NETWORK, chain.join(": "))
}

/// At most `cap` bytes of the body; `true` when more was left unread.
pub(crate) async fn read_capped(
    mut response: reqwest::Response,
    cap: usize,
) -> Result<(Vec<u8>, bool), ToolFailure> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(send_failure)? {
        let room = cap - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Ok((body, true));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body, false))
}

/// Bytes as text; a multi-byte character cut by truncation is dropped, not replaced.
pub(crate) fn text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(e) if e.error_len().is_none() => {
            String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned()
        }
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// The first `max` characters, for failure causes.
pub(crate) fn snippet(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}...", &text[..end]),
        None => text.to_owned(),
    }
}

/// Non-2xx as `Http.Status.<code>` with the start of the body for the cause.
pub(crate) async fn status_failure(response: reqwest::Response, what: &str) -> ToolFailure {
    let status = response.status();
    let body = match read_capped(response, 2048).await {
        Ok((bytes, _)) => text(&bytes),
        Err(_) => String::new(),
    };
    ToolFailure::new(
        errors::http_status(status.as_u16()),
        format!(
            "{what} answered HTTP {status}: {}",
            snippet(body.trim(), 512)
        ),
    )
}
