//! Bounded exponential backoff for resending the part of a batch that AWS left unprocessed
//! (throttling, partial failures). Whole-request retries are the SDK's own retry policy.

use std::time::Duration;

const FIRST_DELAY: Duration = Duration::from_millis(50);

pub(crate) struct Backoff {
    retries_left: u32,
    delay: Duration,
}

impl Backoff {
    pub(crate) fn new(retries: u32) -> Self {
        Self {
            retries_left: retries,
            delay: FIRST_DELAY,
        }
    }

    /// Sleep before the next retry; false when the retries are used up.
    pub(crate) async fn retry(&mut self) -> bool {
        if self.retries_left == 0 {
            return false;
        }
        self.retries_left -= 1;
        tokio::time::sleep(self.delay).await;
        self.delay *= 2;
        true
    }
}
