//! rmcp's Streamable HTTP client transport on the workspace's reqwest 0.12. rmcp's own reqwest
//! backend is built on reqwest 0.13; a second reqwest (and TLS stack) for one client is not
//! worth it, and the platform's outbound client brings its timeouts and egress guard along.

use futures::stream::{self, BoxStream, StreamExt};
use http::{HeaderName, HeaderValue, StatusCode, header};
use rmcp::model::{ClientJsonRpcMessage, ServerJsonRpcMessage};
use rmcp::transport::common::http_header::{
    EVENT_STREAM_MIME_TYPE, HEADER_LAST_EVENT_ID, HEADER_SESSION_ID, JSON_MIME_TYPE,
};
use rmcp::transport::streamable_http_client::{
    AuthRequiredError, SseError, StreamableHttpClient, StreamableHttpError,
    StreamableHttpPostResponse, StreamableHttpResponseLimits,
};
use sse_stream::{Sse, SseStream};
use std::collections::HashMap;
use std::io;
use std::sync::Arc;

type Error = StreamableHttpError<reqwest::Error>;

#[derive(Clone)]
pub(crate) struct HttpClient(pub(crate) reqwest::Client);

impl HttpClient {
    fn request(
        &self,
        method: reqwest::Method,
        uri: &str,
        session_id: Option<&str>,
        auth_header: Option<String>,
        custom_headers: HashMap<HeaderName, HeaderValue>,
    ) -> reqwest::RequestBuilder {
        let mut request = self
            .0
            .request(method, uri)
            .header(
                header::ACCEPT,
                format!("{JSON_MIME_TYPE}, {EVENT_STREAM_MIME_TYPE}"),
            )
            .headers(custom_headers.into_iter().collect());
        if let Some(token) = auth_header {
            request = request.bearer_auth(token);
        }
        if let Some(session_id) = session_id {
            request = request.header(HEADER_SESSION_ID, session_id);
        }
        request
    }
}

impl StreamableHttpClient for HttpClient {
    type Error = reqwest::Error;

    async fn post_message(
        &self,
        uri: Arc<str>,
        message: ClientJsonRpcMessage,
        session_id: Option<Arc<str>>,
        auth_header: Option<String>,
        custom_headers: HashMap<HeaderName, HeaderValue>,
    ) -> Result<StreamableHttpPostResponse, Error> {
        self.post_message_with_response_limits(
            uri,
            message,
            session_id,
            auth_header,
            custom_headers,
            StreamableHttpResponseLimits::default(),
        )
        .await
    }

    async fn post_message_with_response_limits(
        &self,
        uri: Arc<str>,
        message: ClientJsonRpcMessage,
        session_id: Option<Arc<str>>,
        auth_header: Option<String>,
        custom_headers: HashMap<HeaderName, HeaderValue>,
        limits: StreamableHttpResponseLimits,
    ) -> Result<StreamableHttpPostResponse, Error> {
        let response = self
            .request(
                reqwest::Method::POST,
                &uri,
                session_id.as_deref(),
                auth_header,
                custom_headers,
            )
            .json(&message)
            .send()
            .await
            .map_err(StreamableHttpError::Client)?;
        let status = response.status();
        if status == StatusCode::UNAUTHORIZED {
            return Err(auth_required(&response));
        }
        if matches!(status, StatusCode::ACCEPTED | StatusCode::NO_CONTENT) {
            return Ok(StreamableHttpPostResponse::Accepted);
        }
        if status == StatusCode::NOT_FOUND && session_id.is_some() {
            return Err(StreamableHttpError::SessionExpired);
        }
        let new_session = response
            .headers()
            .get(HEADER_SESSION_ID)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let content_type = media_type(&response);
        // Only a request waits for an answer; notifications and responses need nothing back.
        let awaits_answer = matches!(message, ClientJsonRpcMessage::Request(_));
        if content_type.as_deref() == Some(EVENT_STREAM_MIME_TYPE) && status.is_success() {
            let events = sse(response, limits.max_sse_event_size);
            return Ok(StreamableHttpPostResponse::Sse(events, new_session));
        }
        if content_type.as_deref() == Some(JSON_MIME_TYPE) {
            let body = read_bounded(response, limits.max_json_response_size).await?;
            // A JSON-RPC error is the answer even on a 4xx/5xx (servers send both).
            return match serde_json::from_slice::<ServerJsonRpcMessage>(&body) {
                Ok(message) if status.is_success() || is_error(&message) => {
                    Ok(StreamableHttpPostResponse::Json(message, new_session))
                }
                _ if status.is_success() && !awaits_answer => {
                    Ok(StreamableHttpPostResponse::Accepted)
                }
                _ => Err(unexpected(status, &body)),
            };
        }
        if status.is_success() && !awaits_answer {
            return Ok(StreamableHttpPostResponse::Accepted);
        }
        let body = read_bounded(response, limits.max_error_response_size)
            .await
            .unwrap_or_default();
        Err(unexpected(status, &body))
    }

    async fn delete_session(
        &self,
        uri: Arc<str>,
        session_id: Arc<str>,
        auth_header: Option<String>,
        custom_headers: HashMap<HeaderName, HeaderValue>,
    ) -> Result<(), Error> {
        let response = self
            .request(
                reqwest::Method::DELETE,
                &uri,
                Some(&session_id),
                auth_header,
                custom_headers,
            )
            .send()
            .await
            .map_err(StreamableHttpError::Client)?;
        // Servers may refuse client-initiated termination; the session then simply expires.
        if response.status() == StatusCode::METHOD_NOT_ALLOWED {
            return Ok(());
        }
        response
            .error_for_status()
            .map(drop)
            .map_err(StreamableHttpError::Client)
    }

    /// Only resumes a broken response stream (`Last-Event-ID`). The session-wide stream that
    /// carries server-initiated requests is declined: `mcp.call` offers none of the client
    /// features such requests ask for, and a stream held open would outlive every call.
    async fn get_stream(
        &self,
        uri: Arc<str>,
        session_id: Option<Arc<str>>,
        last_event_id: Option<String>,
        auth_header: Option<String>,
        custom_headers: HashMap<HeaderName, HeaderValue>,
    ) -> Result<BoxStream<'static, Result<Sse, SseError>>, Error> {
        let Some(last_event_id) = last_event_id else {
            return Err(StreamableHttpError::ServerDoesNotSupportSse);
        };
        let response = self
            .request(
                reqwest::Method::GET,
                &uri,
                session_id.as_deref(),
                auth_header,
                custom_headers,
            )
            .header(HEADER_LAST_EVENT_ID, last_event_id)
            .send()
            .await
            .map_err(StreamableHttpError::Client)?;
        match response.status() {
            StatusCode::UNAUTHORIZED => return Err(auth_required(&response)),
            StatusCode::METHOD_NOT_ALLOWED => {
                return Err(StreamableHttpError::ServerDoesNotSupportSse);
            }
            _ => {}
        }
        let response = response
            .error_for_status()
            .map_err(StreamableHttpError::Client)?;
        if media_type(&response).as_deref() != Some(EVENT_STREAM_MIME_TYPE) {
            return Err(StreamableHttpError::UnexpectedContentType(media_type(
                &response,
            )));
        }
        Ok(sse(
            response,
            StreamableHttpResponseLimits::default().max_sse_event_size,
        ))
    }
}

fn auth_required(response: &reqwest::Response) -> Error {
    let challenge = response
        .headers()
        .get(header::WWW_AUTHENTICATE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    StreamableHttpError::AuthRequired(AuthRequiredError::new(challenge.to_owned()))
}

fn media_type(response: &reqwest::Response) -> Option<String> {
    let value = response
        .headers()
        .get(header::CONTENT_TYPE)?
        .to_str()
        .ok()?;
    let essence = value.split(';').next().unwrap_or_default().trim();
    Some(essence.to_ascii_lowercase())
}

fn is_error(message: &ServerJsonRpcMessage) -> bool {
    matches!(message, ServerJsonRpcMessage::Error(_))
}

fn unexpected(status: StatusCode, body: &[u8]) -> Error {
    let body = String::from_utf8_lossy(&body[..body.len().min(512)]);
    StreamableHttpError::UnexpectedServerResponse(format!("HTTP {status}: {body}").into())
}

async fn read_bounded(mut response: reqwest::Response, limit: usize) -> Result<Vec<u8>, Error> {
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(StreamableHttpError::Client)?
    {
        if body.len() + chunk.len() > limit {
            return Err(StreamableHttpError::ResponseBodyTooLarge { max_size: limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A response stream answers one request, so bounding its total size bounds each event in it
/// too: a server cannot grow this process's memory without limit.
fn sse(response: reqwest::Response, limit: usize) -> BoxStream<'static, Result<Sse, SseError>> {
    let bytes = stream::try_unfold((response, 0usize), move |(mut response, read)| async move {
        let Some(chunk) = response.chunk().await.map_err(io::Error::other)? else {
            return Ok(None);
        };
        let read = read + chunk.len();
        if read > limit {
            return Err(io::Error::other(format!(
                "the event stream exceeded {limit} bytes"
            )));
        }
        Ok::<_, io::Error>(Some((chunk, (response, read))))
    });
    SseStream::from_bytes_stream(bytes).boxed()
}
