//! [`Queue`] on SQS standard queues. Dead-lettering needs nothing here: each queue's
//! RedrivePolicy (template.yaml) moves a message to its DLQ after `maxReceiveCount` receives.

use crate::errors::{build_error, sdk_error};
use crate::retry::Backoff;
use async_trait::async_trait;
use aws_sdk_sqs::Client;
use aws_sdk_sqs::types::{
    Message, MessageAttributeValue, MessageSystemAttributeName, QueueAttributeName,
    SendMessageBatchRequestEntry,
};
use plasma_core::queue::{MAX_BATCH, validate_message, validate_receive, validate_visibility};
use plasma_core::{OutMessage, PortError, PortResult, Queue, QueueDepth, Received};
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

/// Entries of a batch SQS reports as failed are sent once more before giving up.
const BATCH_RETRIES: u32 = 1;

pub struct SqsQueue {
    client: Client,
    queue_urls: BTreeMap<String, String>,
}

impl SqsQueue {
    pub fn new(client: Client, queue_urls: BTreeMap<String, String>) -> Self {
        Self { client, queue_urls }
    }

    fn url(&self, queue: &str) -> PortResult<&str> {
        self.queue_urls
            .get(queue)
            .map(String::as_str)
            .ok_or_else(|| {
                PortError::NotConfigured(format!("queue {queue:?} has no SQS URL configured"))
            })
    }

    async fn attributes(
        &self,
        queue: &str,
        names: &[QueueAttributeName],
    ) -> PortResult<HashMap<QueueAttributeName, String>> {
        let out = self
            .client
            .get_queue_attributes()
            .queue_url(self.url(queue)?)
            .set_attribute_names(Some(names.to_vec()))
            .send()
            .await
            .map_err(|err| sdk_error(&format!("sqs GetQueueAttributes {queue}"), err))?;
        Ok(out.attributes.unwrap_or_default())
    }

    /// Send one chunk of at most [`MAX_BATCH`] messages; ids in order.
    async fn send_chunk(
        &self,
        queue: &str,
        url: &str,
        messages: &[OutMessage],
    ) -> PortResult<Vec<String>> {
        let mut pending = messages
            .iter()
            .enumerate()
            .map(|(i, message)| batch_entry(i, message))
            .collect::<PortResult<Vec<_>>>()?;
        let mut ids = vec![String::new(); messages.len()];
        let mut backoff = Backoff::new(BATCH_RETRIES);
        loop {
            let out = self
                .client
                .send_message_batch()
                .queue_url(url)
                .set_entries(Some(pending.clone()))
                .send()
                .await
                .map_err(|err| sdk_error(&format!("sqs SendMessageBatch {queue}"), err))?;
            for sent in &out.successful {
                // Entry ids are the message's index in this chunk, as set by `batch_entry`.
                if let Some(slot) = sent.id.parse::<usize>().ok().and_then(|i| ids.get_mut(i)) {
                    *slot = sent.message_id.clone();
                }
            }
            if out.failed.is_empty() {
                break;
            }
            if !backoff.retry().await {
                let reasons: Vec<String> = out
                    .failed
                    .iter()
                    .map(|f| {
                        format!(
                            "{} ({})",
                            f.code,
                            f.message.as_deref().unwrap_or("no message")
                        )
                    })
                    .collect();
                let message = format!(
                    "sqs SendMessageBatch {queue}: entries failed: {}",
                    reasons.join(", ")
                );
                return Err(if out.failed.iter().all(|f| f.sender_fault) {
                    PortError::Invalid(message)
                } else {
                    PortError::Backend(message)
                });
            }
            pending.retain(|entry| out.failed.iter().any(|f| f.id == entry.id));
        }
        if ids.iter().any(String::is_empty) {
            return Err(PortError::Backend(format!(
                "sqs SendMessageBatch {queue}: the response did not account for every entry"
            )));
        }
        Ok(ids)
    }
}

/// Whole seconds for an SQS time parameter (already checked against the port's limits),
/// rounded up so that a delay or visibility timeout is never shorter than asked.
fn seconds(duration: Duration) -> i32 {
    let secs = duration
        .as_secs()
        .saturating_add(u64::from(duration.subsec_nanos() > 0));
    i32::try_from(secs).unwrap_or(i32::MAX)
}

/// SQS's limits, checked before sending so that the refusal is the same `PortError::Invalid`
/// as on the embedded queue. Returns the delay in seconds.
fn check_message(message: &OutMessage) -> PortResult<Option<i32>> {
    validate_message(message)?;
    Ok(message.delay.map(seconds))
}

fn message_attributes(
    message: &OutMessage,
) -> PortResult<Option<HashMap<String, MessageAttributeValue>>> {
    if message.attributes.is_empty() {
        return Ok(None);
    }
    message
        .attributes
        .iter()
        .map(|(name, value)| {
            let value = MessageAttributeValue::builder()
                .data_type("String")
                .string_value(value)
                .build()
                .map_err(|err| build_error("sqs message attribute", err))?;
            Ok((name.clone(), value))
        })
        .collect::<PortResult<_>>()
        .map(Some)
}

fn batch_entry(index: usize, message: &OutMessage) -> PortResult<SendMessageBatchRequestEntry> {
    SendMessageBatchRequestEntry::builder()
        .id(index.to_string())
        .message_body(&message.body)
        .set_delay_seconds(check_message(message)?)
        .set_message_attributes(message_attributes(message)?)
        .build()
        .map_err(|err| build_error("sqs SendMessageBatch", err))
}

fn received(message: Message) -> PortResult<Received> {
    let missing =
        |what: &str| PortError::Backend(format!("sqs ReceiveMessage: a message lacks its {what}"));
    let receive_count = message
        .attributes
        .as_ref()
        .and_then(|a| a.get(&MessageSystemAttributeName::ApproximateReceiveCount))
        .and_then(|count| count.parse().ok())
        .ok_or_else(|| missing("ApproximateReceiveCount"))?;
    let attributes = message
        .message_attributes
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(name, value)| value.string_value.map(|v| (name, v)))
        .collect();
    Ok(Received {
        message_id: message.message_id.ok_or_else(|| missing("MessageId"))?,
        receipt: message
            .receipt_handle
            .ok_or_else(|| missing("ReceiptHandle"))?,
        body: message.body.unwrap_or_default(),
        receive_count,
        attributes,
    })
}

fn count(
    attributes: &HashMap<QueueAttributeName, String>,
    name: QueueAttributeName,
) -> PortResult<u64> {
    attributes
        .get(&name)
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| {
            PortError::Backend(format!(
                "sqs GetQueueAttributes: no numeric {}",
                name.as_str()
            ))
        })
}

#[async_trait]
impl Queue for SqsQueue {
    async fn send(&self, queue: &str, message: OutMessage) -> PortResult<String> {
        let out = self
            .client
            .send_message()
            .queue_url(self.url(queue)?)
            .message_body(&message.body)
            .set_delay_seconds(check_message(&message)?)
            .set_message_attributes(message_attributes(&message)?)
            .send()
            .await
            .map_err(|err| sdk_error(&format!("sqs SendMessage {queue}"), err))?;
        out.message_id.ok_or_else(|| {
            PortError::Backend(format!(
                "sqs SendMessage {queue}: no MessageId in the response"
            ))
        })
    }

    async fn send_batch(&self, queue: &str, messages: Vec<OutMessage>) -> PortResult<Vec<String>> {
        let url = self.url(queue)?;
        let mut ids = Vec::with_capacity(messages.len());
        for chunk in messages.chunks(MAX_BATCH) {
            ids.extend(self.send_chunk(queue, url, chunk).await?);
        }
        Ok(ids)
    }

    async fn receive(
        &self,
        queue: &str,
        max: u32,
        visibility: Duration,
        wait: Duration,
    ) -> PortResult<Vec<Received>> {
        validate_receive(max, visibility, wait)?;
        let (visibility_secs, wait_secs) = (seconds(visibility), seconds(wait));
        let out = self
            .client
            .receive_message()
            .queue_url(self.url(queue)?)
            .max_number_of_messages(max as i32)
            .visibility_timeout(visibility_secs)
            .wait_time_seconds(wait_secs)
            .message_system_attribute_names(MessageSystemAttributeName::ApproximateReceiveCount)
            .message_attribute_names("All")
            .send()
            .await
            .map_err(|err| sdk_error(&format!("sqs ReceiveMessage {queue}"), err))?;
        out.messages
            .unwrap_or_default()
            .into_iter()
            .map(received)
            .collect()
    }

    async fn delete(&self, queue: &str, receipt: &str) -> PortResult<()> {
        match self
            .client
            .delete_message()
            .queue_url(self.url(queue)?)
            .receipt_handle(receipt)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            // SQS accepts a stale receipt silently but refuses one it cannot parse; the port
            // (and the embedded queue) treat both alike: nothing to delete, nothing wrong.
            Err(err)
                if err
                    .as_service_error()
                    .is_some_and(|e| e.is_receipt_handle_is_invalid()) =>
            {
                Ok(())
            }
            Err(err) => Err(sdk_error(&format!("sqs DeleteMessage {queue}"), err)),
        }
    }

    async fn change_visibility(
        &self,
        queue: &str,
        receipt: &str,
        visibility: Duration,
    ) -> PortResult<()> {
        validate_visibility(visibility)?;
        let secs = seconds(visibility);
        self.client
            .change_message_visibility()
            .queue_url(self.url(queue)?)
            .receipt_handle(receipt)
            .visibility_timeout(secs)
            .send()
            .await
            .map_err(|err| sdk_error(&format!("sqs ChangeMessageVisibility {queue}"), err))?;
        Ok(())
    }

    async fn depth(&self, queue: &str) -> PortResult<QueueDepth> {
        let attributes = self
            .attributes(
                queue,
                &[
                    QueueAttributeName::ApproximateNumberOfMessages,
                    QueueAttributeName::ApproximateNumberOfMessagesNotVisible,
                    QueueAttributeName::ApproximateNumberOfMessagesDelayed,
                ],
            )
            .await?;
        Ok(QueueDepth {
            visible: count(&attributes, QueueAttributeName::ApproximateNumberOfMessages)?,
            in_flight: count(
                &attributes,
                QueueAttributeName::ApproximateNumberOfMessagesNotVisible,
            )?,
            delayed: count(
                &attributes,
                QueueAttributeName::ApproximateNumberOfMessagesDelayed,
            )?,
        })
    }

    async fn health(&self) -> PortResult<String> {
        for queue in self.queue_urls.keys() {
            self.attributes(queue, &[QueueAttributeName::QueueArn])
                .await?;
        }
        let names: Vec<&str> = self.queue_urls.keys().map(String::as_str).collect();
        Ok(format!("sqs queues {}", names.join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_round_up() {
        assert_eq!(seconds(Duration::ZERO), 0);
        assert_eq!(seconds(Duration::from_millis(1500)), 2);
        assert_eq!(seconds(Duration::from_secs(900)), 900);
        assert_eq!(seconds(Duration::MAX), i32::MAX);
    }

    #[test]
    fn unknown_queues_are_not_configured() {
        let config = aws_sdk_sqs::Config::builder()
            .behavior_version(aws_sdk_sqs::config::BehaviorVersion::latest())
            .build();
        let queue = SqsQueue::new(Client::from_conf(config), BTreeMap::new());
        assert!(matches!(
            queue.url("jobs"),
            Err(PortError::NotConfigured(_))
        ));
    }
}
