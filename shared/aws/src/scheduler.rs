//! [`Scheduler`] on EventBridge Scheduler: each one-time schedule is an `at(...)` schedule in
//! one group whose target is the queue's ARN with the body as input; it deletes itself after
//! firing, so the group holds exactly the pending schedules.

use crate::errors::{build_error, sdk_error};
use async_trait::async_trait;
use aws_sdk_scheduler::types::{
    ActionAfterCompletion, FlexibleTimeWindow, FlexibleTimeWindowMode, Target,
};
use aws_sdk_sqs::types::QueueAttributeName;
use plasma_core::schedule::validate_schedule_name;
use plasma_core::{OneTimeSchedule, PortError, PortResult, ScheduleExpression, Scheduler};
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

pub struct EventBridgeScheduler {
    client: aws_sdk_scheduler::Client,
    sqs: aws_sdk_sqs::Client,
    group: String,
    role_arn: String,
    queue_urls: BTreeMap<String, String>,
    /// Logical queue name → queue ARN. ARNs never change for a URL, so one lookup each.
    queue_arns: Mutex<HashMap<String, String>>,
}

impl EventBridgeScheduler {
    pub fn new(
        client: aws_sdk_scheduler::Client,
        sqs: aws_sdk_sqs::Client,
        group: String,
        role_arn: String,
        queue_urls: BTreeMap<String, String>,
    ) -> Self {
        Self {
            client,
            sqs,
            group,
            role_arn,
            queue_urls,
            queue_arns: Mutex::new(HashMap::new()),
        }
    }

    fn cached_arns(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        // The map is only ever inserted into whole entries, so a poisoned one is still sound.
        self.queue_arns
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    async fn queue_arn(&self, queue: &str) -> PortResult<String> {
        if let Some(arn) = self.cached_arns().get(queue) {
            return Ok(arn.clone());
        }
        let url = self.queue_urls.get(queue).ok_or_else(|| {
            PortError::NotConfigured(format!("queue {queue:?} has no SQS URL configured"))
        })?;
        let out = self
            .sqs
            .get_queue_attributes()
            .queue_url(url)
            .attribute_names(QueueAttributeName::QueueArn)
            .send()
            .await
            .map_err(|err| sdk_error(&format!("sqs GetQueueAttributes {queue}"), err))?;
        let arn = out
            .attributes
            .and_then(|mut a| a.remove(&QueueAttributeName::QueueArn))
            .ok_or_else(|| {
                PortError::Backend(format!("sqs GetQueueAttributes {queue}: no QueueArn"))
            })?;
        self.cached_arns().insert(queue.to_string(), arn.clone());
        Ok(arn)
    }

    /// The logical name of the queue with this ARN.
    async fn queue_named_by(&self, arn: &str) -> PortResult<String> {
        for queue in self.queue_urls.keys() {
            if self.queue_arn(queue).await? == arn {
                return Ok(queue.clone());
            }
        }
        Err(PortError::Backend(format!(
            "a schedule in group {} targets {arn}, which is none of the configured queues",
            self.group
        )))
    }

    async fn create_or_update(&self, schedule: &OneTimeSchedule, target: Target) -> PortResult<()> {
        let expression = ScheduleExpression::at(schedule.at);
        let window = FlexibleTimeWindow::builder()
            .mode(FlexibleTimeWindowMode::Off)
            .build()
            .map_err(|err| build_error("scheduler CreateSchedule", err))?;
        let created = self
            .client
            .create_schedule()
            .name(&schedule.name)
            .group_name(&self.group)
            .schedule_expression(&expression)
            .schedule_expression_timezone("UTC")
            .flexible_time_window(window.clone())
            .action_after_completion(ActionAfterCompletion::Delete)
            .target(target.clone())
            .send()
            .await;
        match created {
            Ok(_) => return Ok(()),
            Err(err)
                if !err
                    .as_service_error()
                    .is_some_and(|e| e.is_conflict_exception()) =>
            {
                return Err(sdk_error("scheduler CreateSchedule", err));
            }
            Err(_) => {}
        }
        // The name exists: replace it. UpdateSchedule takes the full definition.
        self.client
            .update_schedule()
            .name(&schedule.name)
            .group_name(&self.group)
            .schedule_expression(expression)
            .schedule_expression_timezone("UTC")
            .flexible_time_window(window)
            .action_after_completion(ActionAfterCompletion::Delete)
            .target(target)
            .send()
            .await
            .map_err(|err| sdk_error("scheduler UpdateSchedule", err))?;
        Ok(())
    }
}

#[async_trait]
impl Scheduler for EventBridgeScheduler {
    async fn schedule_once(&self, schedule: OneTimeSchedule) -> PortResult<()> {
        validate_schedule_name(&schedule.name)?;
        let target = Target::builder()
            .arn(self.queue_arn(&schedule.queue).await?)
            .role_arn(&self.role_arn)
            .input(&schedule.body)
            .build()
            .map_err(|err| build_error("scheduler CreateSchedule", err))?;
        self.create_or_update(&schedule, target).await
    }

    async fn cancel(&self, name: &str) -> PortResult<bool> {
        // A name EventBridge would refuse cannot name a schedule.
        if validate_schedule_name(name).is_err() {
            return Ok(false);
        }
        match self
            .client
            .delete_schedule()
            .name(name)
            .group_name(&self.group)
            .send()
            .await
        {
            Ok(_) => Ok(true),
            Err(err)
                if err
                    .as_service_error()
                    .is_some_and(|e| e.is_resource_not_found_exception()) =>
            {
                Ok(false)
            }
            Err(err) => Err(sdk_error("scheduler DeleteSchedule", err)),
        }
    }

    async fn get(&self, name: &str) -> PortResult<Option<OneTimeSchedule>> {
        if validate_schedule_name(name).is_err() {
            return Ok(None);
        }
        let out = match self
            .client
            .get_schedule()
            .name(name)
            .group_name(&self.group)
            .send()
            .await
        {
            Ok(out) => out,
            Err(err)
                if err
                    .as_service_error()
                    .is_some_and(|e| e.is_resource_not_found_exception()) =>
            {
                return Ok(None);
            }
            Err(err) => return Err(sdk_error("scheduler GetSchedule", err)),
        };
        let expression = out.schedule_expression.unwrap_or_default();
        let parsed = ScheduleExpression::parse(&expression).map_err(|err| {
            PortError::Backend(format!("schedule {name} in group {}: {err}", self.group))
        })?;
        let ScheduleExpression::At(at) = parsed else {
            return Err(PortError::Backend(format!(
                "schedule {name} in group {} is recurring ({expression}), not one-time",
                self.group
            )));
        };
        let target = out
            .target
            .ok_or_else(|| PortError::Backend(format!("schedule {name} has no target")))?;
        Ok(Some(OneTimeSchedule {
            name: name.to_string(),
            at,
            queue: self.queue_named_by(&target.arn).await?,
            body: target.input.unwrap_or_default(),
        }))
    }

    async fn list(&self, prefix: &str) -> PortResult<Vec<OneTimeSchedule>> {
        // EventBridge refuses a NamePrefix no name could start with; nothing matches it.
        if !prefix.is_empty() && validate_schedule_name(prefix).is_err() {
            return Ok(Vec::new());
        }
        let mut names = Vec::new();
        let mut next_token = None;
        loop {
            let out = self
                .client
                .list_schedules()
                .group_name(&self.group)
                // NamePrefix must be at least one character; an empty prefix means all.
                .set_name_prefix((!prefix.is_empty()).then(|| prefix.to_string()))
                .set_next_token(next_token)
                .send()
                .await
                .map_err(|err| sdk_error("scheduler ListSchedules", err))?;
            names.extend(out.schedules.into_iter().filter_map(|s| s.name));
            next_token = out.next_token;
            if next_token.is_none() {
                break;
            }
        }
        names.sort();
        let mut schedules = Vec::with_capacity(names.len());
        for name in names {
            // A schedule may fire (and delete itself) between the listing and this read.
            if let Some(schedule) = self.get(&name).await? {
                schedules.push(schedule);
            }
        }
        Ok(schedules)
    }

    async fn health(&self) -> PortResult<String> {
        let out = self
            .client
            .get_schedule_group()
            .name(&self.group)
            .send()
            .await
            .map_err(|err| sdk_error("scheduler GetScheduleGroup", err))?;
        let state = out
            .state
            .map_or_else(|| "unknown".to_string(), |s| s.as_str().to_string());
        Ok(format!("scheduler group {} ({state})", self.group))
    }
}
