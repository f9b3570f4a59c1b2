//! The one way connectors call out: the platform's guarded client plus what polling third
//! party APIs needs on top — bounded retries with exponential backoff and jitter, `429` /
//! `Retry-After`, a minimum interval between requests to the same host, a response size cap,
//! and the conditional-GET validators feeds use.

use super::SourceError;
use plasma_http::outbound::{self, Egress, OutboundError};
use reqwest::StatusCode;
use reqwest::header::{ETAG, HeaderMap, LAST_MODIFIED, RETRY_AFTER};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;
use tokio::time::Instant;

#[derive(Debug, Clone, PartialEq)]
pub struct HttpSettings {
    /// Private/loopback destinations are refused unless allowed (tests, local development).
    pub egress: Egress,
    /// Whole-request timeout, connect included.
    pub timeout: Duration,
    /// Attempts per request, the first included, for timeouts, connection errors, `5xx`
    /// and `429`s whose `Retry-After` is within `max_retry_after`.
    pub max_attempts: u32,
    /// First backoff; doubles per attempt up to `max_backoff`, with jitter.
    pub backoff: Duration,
    pub max_backoff: Duration,
    /// Longest `Retry-After` worth sleeping through; a longer one ends the scan with
    /// [`SourceError::RateLimited`] so a worker is not held for minutes.
    pub max_retry_after: Duration,
    /// Minimum time between two requests to the same host (and port), across every connector
    /// sharing this [`SourceHttp`]; retries wait their turn too.
    pub min_interval: Duration,
    /// Largest response body accepted; feeds and search pages are far smaller.
    pub max_body_bytes: usize,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            egress: Egress::default(),
            timeout: Duration::from_secs(15),
            max_attempts: 3,
            backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(30),
            min_interval: Duration::from_secs(1),
            max_body_bytes: 5 * 1024 * 1024,
        }
    }
}

/// Cheap to clone; clones share the client and the per-host politeness schedule, so build one
/// per process and hand it to every connector.
#[derive(Clone)]
pub struct SourceHttp {
    client: reqwest::Client,
    settings: Arc<HttpSettings>,
    politeness: Arc<Politeness>,
}

/// A successful (`2xx`) or not-modified (`304`) response.
#[derive(Debug)]
pub(crate) struct Response {
    /// `host[:port]`, for error messages.
    pub host: String,
    pub not_modified: bool,
    pub body: Vec<u8>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl SourceHttp {
    pub fn new(settings: HttpSettings) -> Self {
        Self {
            client: outbound::client(settings.egress, settings.timeout),
            politeness: Arc::new(Politeness::new(settings.min_interval)),
            settings: Arc::new(settings),
        }
    }

    /// GET `url` with `headers`, retrying within the configured bounds.
    pub(crate) async fn get(
        &self,
        url: &url::Url,
        headers: &[(&str, &str)],
    ) -> Result<Response, SourceError> {
        let url = outbound::check_url(self.settings.egress, url.as_str()).map_err(refused)?;
        let host = match url.port() {
            Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
            None => url.host_str().unwrap_or_default().to_string(),
        };
        let attempts = self.settings.max_attempts.max(1);
        let mut attempt = 1;
        loop {
            self.politeness.wait_turn(&host).await;
            match self.attempt(&url, &host, headers).await {
                Ok(response) => return Ok(response),
                Err(Failure::Retry { err, after }) if attempt < attempts => {
                    let pause = after.unwrap_or_else(|| self.backoff(attempt));
                    tracing::debug!(%host, attempt, ?pause, error = %err, "retrying source request");
                    tokio::time::sleep(pause).await;
                    attempt += 1;
                }
                Err(Failure::Final(err) | Failure::Retry { err, .. }) => return Err(err),
            }
        }
    }

    async fn attempt(
        &self,
        url: &url::Url,
        host: &str,
        headers: &[(&str, &str)],
    ) -> Result<Response, Failure> {
        let mut request = self.client.get(url.clone());
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let mut response = request
            .send()
            .await
            .map_err(|e| transport_failure(host, e))?;
        let status = response.status();
        let validators = |h: &HeaderMap, name| {
            h.get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let etag = validators(response.headers(), ETAG);
        let last_modified = validators(response.headers(), LAST_MODIFIED);
        match status {
            s if s.is_success() => {
                let mut body = Vec::new();
                while let Some(chunk) = response
                    .chunk()
                    .await
                    .map_err(|e| transport_failure(host, e))?
                {
                    if body.len() + chunk.len() > self.settings.max_body_bytes {
                        return Err(Failure::Final(SourceError::Malformed {
                            host: host.into(),
                            reason: format!(
                                "response larger than {} bytes",
                                self.settings.max_body_bytes
                            ),
                        }));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(Response {
                    host: host.into(),
                    not_modified: false,
                    body,
                    etag,
                    last_modified,
                })
            }
            StatusCode::NOT_MODIFIED => Ok(Response {
                host: host.into(),
                not_modified: true,
                body: Vec::new(),
                etag,
                last_modified,
            }),
            StatusCode::TOO_MANY_REQUESTS => {
                let wait = retry_after(response.headers())
                    .unwrap_or(self.settings.max_backoff.min(self.settings.max_retry_after));
                let err = SourceError::RateLimited {
                    host: host.into(),
                    retry_after: wait,
                };
                if wait > self.settings.max_retry_after {
                    Err(Failure::Final(err))
                } else {
                    Err(Failure::Retry {
                        err,
                        after: Some(wait),
                    })
                }
            }
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                Err(Failure::Final(SourceError::Unauthorized {
                    host: host.into(),
                    status: status.as_u16(),
                }))
            }
            _ => {
                let err = SourceError::Status {
                    host: host.into(),
                    status: status.as_u16(),
                };
                if err.is_retryable() {
                    Err(Failure::Retry { err, after: None })
                } else {
                    Err(Failure::Final(err))
                }
            }
        }
    }

    /// Exponential backoff with "equal jitter": half the step is fixed so retries never
    /// bunch up at zero, half is random so many workers retrying together spread out.
    fn backoff(&self, attempt: u32) -> Duration {
        let step = self
            .settings
            .backoff
            .saturating_mul(1u32 << (attempt - 1).min(16))
            .min(self.settings.max_backoff);
        let half = step / 2;
        let jitter_ms = rand::random_range(0..=half.as_millis() as u64);
        half + Duration::from_millis(jitter_ms)
    }
}

enum Failure {
    Retry {
        err: SourceError,
        /// The server's own `Retry-After`, used instead of the backoff.
        after: Option<Duration>,
    },
    Final(SourceError),
}

fn refused(err: OutboundError) -> SourceError {
    match err {
        OutboundError::Forbidden(dest) => SourceError::Forbidden(dest),
        OutboundError::BadUrl(url) => SourceError::Config(format!("{url:?} is not an http(s) URL")),
    }
}

fn transport_failure(host: &str, err: reqwest::Error) -> Failure {
    // The egress guard runs inside the DNS resolver, so a refused name surfaces as a connect
    // error; find it in the source chain and make it permanent.
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&err);
    while let Some(e) = source {
        if let Some(OutboundError::Forbidden(dest)) = e.downcast_ref::<OutboundError>() {
            return Failure::Final(SourceError::Forbidden(dest.clone()));
        }
        source = e.source();
    }
    let err = if err.is_timeout() {
        SourceError::Timeout { host: host.into() }
    } else {
        SourceError::Connect {
            host: host.into(),
            reason: err.to_string(),
        }
    };
    Failure::Retry { err, after: None }
}

/// `Retry-After` as delta-seconds or an HTTP date (RFC 9110 §10.2.3); a date in the past
/// means "now".
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let delta = at.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(delta.to_std().unwrap_or(Duration::ZERO))
}

/// Per-host request schedule. Each caller reserves the next free slot under the lock and
/// sleeps outside it, so concurrent callers to one host are spaced out without serialising
/// requests to different hosts.
struct Politeness {
    interval: Duration,
    next_slot: Mutex<HashMap<String, Instant>>,
}

impl Politeness {
    fn new(interval: Duration) -> Self {
        Self {
            interval,
            next_slot: Mutex::new(HashMap::new()),
        }
    }

    async fn wait_turn(&self, host: &str) {
        let slot = {
            let mut next = self.next_slot.lock().await;
            let now = Instant::now();
            // Hosts idle for a whole interval have no say in the schedule; dropping them keeps
            // the map bounded by the hosts currently being polled.
            next.retain(|_, at| *at > now);
            let slot = next.get(host).copied().unwrap_or(now).max(now);
            next.insert(host.to_string(), slot + self.interval);
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn retry_after_takes_seconds_or_an_http_date() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        let later = (chrono::Utc::now() + chrono::Duration::seconds(120))
            .format("%a, %d %b %Y %H:%M:%S GMT")
            .to_string();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(&later).unwrap());
        let wait = retry_after(&headers).unwrap();
        assert!(wait > Duration::from_secs(100) && wait <= Duration::from_secs(120));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers), None);
    }

    #[tokio::test]
    async fn a_name_the_resolver_refuses_is_forbidden_not_a_connect_error() {
        // `check_url` refuses `localhost` up front; go straight to the client so the refusal
        // comes from the resolver, as it would for a public name re-pointed at a private IP.
        let client = outbound::client(Egress::default(), Duration::from_secs(2));
        let err = client.get("http://localhost:9/").send().await.unwrap_err();
        match transport_failure("localhost:9", err) {
            Failure::Final(SourceError::Forbidden(dest)) => assert_eq!(dest, "localhost"),
            Failure::Final(other) | Failure::Retry { err: other, .. } => panic!("{other:?}"),
        }
    }

    #[test]
    fn backoff_grows_and_stays_capped() {
        let http = SourceHttp::new(HttpSettings {
            backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(1000),
            ..HttpSettings::default()
        });
        for _ in 0..20 {
            let first = http.backoff(1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let late = http.backoff(30);
            assert!(late >= Duration::from_millis(500) && late <= Duration::from_millis(1000));
        }
    }
}
