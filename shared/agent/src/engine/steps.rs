//! Each kind of step, with its checkpoint.

use super::recovery::{RUNTIME, retry_delay};
use super::{Halt, Own, Run, port_halt};
use crate::events::Lifecycle;
use crate::model::{Checkpoint, StepError, StepStatus};
use chrono::{DateTime, Utc};
use futures::StreamExt;
use plasma_core::Condition;
use plasma_tools::ToolCall;
use plasma_workflow::{Approval, Choice, Map, Parallel, Seconds, Tool, Wait, evaluate, resolve};
use serde_json::{Value, json};
use std::time::Duration;

impl Run<'_> {
    async fn load(&self, key: &str) -> Result<Option<Checkpoint>, Halt> {
        self.agent
            .store
            .checkpoint(&self.tenant, &self.execution, key)
            .await
            .map_err(port_halt)
    }

    async fn save(&self, checkpoint: &Checkpoint) -> Result<(), Halt> {
        self.agent
            .store
            .put_checkpoint(&self.tenant, &self.execution, checkpoint, Condition::None)
            .await
            .map_err(port_halt)
    }

    fn fresh(&self, key: &str, step: &str, kind: &str) -> Checkpoint {
        Checkpoint {
            key: key.into(),
            step: step.into(),
            kind: kind.into(),
            status: StepStatus::Running,
            tool: None,
            input: None,
            output: None,
            error: None,
            caught: false,
            attempt: 0,
            round: self.round,
            earlier_errors: Vec::new(),
            started_at: self.agent.clock.now(),
            finished_at: None,
            wake_at: None,
            prompt: None,
            task_token: None,
            duration_ms: None,
        }
    }

    /// What a finished checkpoint says happened, to replay it; `None` when the step must run
    /// (never ran, was interrupted, or failed uncaught in an earlier round that a retry
    /// superseded).
    fn replay(&self, checkpoint: &Checkpoint) -> Option<Result<Value, Halt>> {
        match checkpoint.status {
            StepStatus::Succeeded | StepStatus::Inherited => {
                Some(Ok(checkpoint.output.clone().unwrap_or(Value::Null)))
            }
            StepStatus::Failed if checkpoint.caught || checkpoint.round >= self.round => {
                let error = checkpoint
                    .error
                    .clone()
                    .unwrap_or_else(|| StepError::new("States.TaskFailed", ""));
                Some(Err(Halt::Failed(error)))
            }
            _ => None,
        }
    }

    /// The checkpoint to continue a step with: the existing one (an interrupted run, or a
    /// superseded failure, whose error is kept in the history) or a new one.
    fn resume(
        &self,
        existing: Option<Checkpoint>,
        key: &str,
        step: &str,
        kind: &str,
    ) -> Checkpoint {
        match existing {
            Some(mut checkpoint) => {
                if checkpoint.status == StepStatus::Failed {
                    checkpoint.earlier_errors.extend(checkpoint.error.take());
                    checkpoint.attempt = 0;
                    checkpoint.round = self.round;
                    checkpoint.finished_at = None;
                } else {
                    // Interrupted mid-attempt: that attempt runs again.
                    checkpoint.attempt = checkpoint.attempt.saturating_sub(1);
                }
                checkpoint.status = StepStatus::Running;
                checkpoint
            }
            None => self.fresh(key, step, kind),
        }
    }

    fn finish(&self, checkpoint: &mut Checkpoint, result: &Result<Value, StepError>) {
        let now = self.agent.clock.now();
        checkpoint.finished_at = Some(now);
        checkpoint.duration_ms = Some((now - checkpoint.started_at).num_milliseconds());
        match result {
            Ok(output) => {
                checkpoint.status = StepStatus::Succeeded;
                checkpoint.output = Some(output.clone());
                checkpoint.error = None;
            }
            Err(error) => {
                checkpoint.status = StepStatus::Failed;
                checkpoint.error = Some(error.clone());
            }
        }
    }

    pub(super) async fn mark_caught(&self, key: &str) -> Result<(), Halt> {
        if let Some(mut checkpoint) = self.load(key).await?
            && !checkpoint.caught
        {
            checkpoint.caught = true;
            self.save(&checkpoint).await?;
        }
        Ok(())
    }

    pub(super) async fn tool(
        &self,
        key: &str,
        id: &str,
        tool: &Tool,
        ctx: &Value,
    ) -> Result<Value, Halt> {
        let existing = self.load(key).await?;
        if let Some(done) = existing.as_ref().and_then(|c| self.replay(c)) {
            return done;
        }
        let mut checkpoint = self.resume(existing, key, id, "tool");
        checkpoint.tool = Some(tool.tool.clone());
        let input = match resolve(tool.input.as_ref().unwrap_or(&json!({})), ctx) {
            Ok(input) => input,
            Err(e) => {
                return self
                    .fail(checkpoint, StepError::new(RUNTIME, e.to_string()))
                    .await;
            }
        };
        checkpoint.input = Some(input.clone());
        let Some(implementation) = self.agent.tools.get(&tool.tool).cloned() else {
            let error = StepError::new(
                "Tool.Unavailable",
                format!("the tool {} is not available on this platform", tool.tool),
            );
            return self.fail(checkpoint, error).await;
        };
        loop {
            checkpoint.attempt += 1;
            checkpoint.status = StepStatus::Running;
            self.save(&checkpoint).await?;
            let call = ToolCall {
                tenant: self.tenant.clone(),
                execution: self.execution.clone(),
                step: key.into(),
                attempt: checkpoint.attempt,
                input: input.clone(),
            };
            let running = implementation.call(call);
            let result = match tool.timeout_seconds {
                Some(limit) => tokio::time::timeout(Duration::from_secs(limit), running)
                    .await
                    .unwrap_or_else(|_| {
                        Err(plasma_tools::ToolFailure::new(
                            StepError::TIMEOUT,
                            format!("the tool took longer than {limit} s"),
                        ))
                    }),
                None => running.await,
            };
            let failure = match result {
                Ok(output) => {
                    self.finish(&mut checkpoint, &Ok(output.clone()));
                    self.save(&checkpoint).await?;
                    return Ok(output);
                }
                Err(failure) => task_error(failure),
            };
            match retry_delay(tool.retry.as_ref(), &failure.error, checkpoint.attempt) {
                Some(delay) => {
                    checkpoint.earlier_errors.push(failure);
                    self.save(&checkpoint).await?;
                    tokio::time::sleep(delay).await;
                }
                None => return self.fail(checkpoint, failure).await,
            }
        }
    }

    async fn fail(&self, mut checkpoint: Checkpoint, error: StepError) -> Result<Value, Halt> {
        self.finish(&mut checkpoint, &Err(error.clone()));
        self.save(&checkpoint).await?;
        Err(Halt::Failed(error))
    }

    pub(super) async fn approval(
        &self,
        key: &str,
        id: &str,
        approval: &Approval,
        ctx: &Value,
    ) -> Result<Value, Halt> {
        let existing = self.load(key).await?;
        if let Some(done) = existing.as_ref().and_then(|c| self.replay(c)) {
            return done;
        }
        if let Some(mut waiting) = existing.clone().filter(|c| c.status == StepStatus::Waiting) {
            let now = self.agent.clock.now();
            match waiting.wake_at {
                Some(deadline) if now >= deadline => {
                    let error = StepError::new(
                        StepError::TIMEOUT,
                        "nobody decided before the approval's timeout",
                    );
                    self.finish(&mut waiting, &Err(error.clone()));
                    // Only if still undecided: a decision that landed first wins.
                    let written = self
                        .agent
                        .store
                        .put_checkpoint(
                            &self.tenant,
                            &self.execution,
                            &waiting,
                            Condition::Equals("status".into(), json!("waiting")),
                        )
                        .await;
                    return match written {
                        Ok(()) => Err(Halt::Failed(error)),
                        Err(plasma_core::PortError::Conflict(_)) => {
                            let decided = self.load(key).await?;
                            decided
                                .as_ref()
                                .and_then(|c| self.replay(c))
                                .unwrap_or(Err(Halt::Suspended { wake_at: None }))
                        }
                        Err(e) => Err(port_halt(e)),
                    };
                }
                wake_at => return Err(Halt::Suspended { wake_at }),
            }
        }
        let mut checkpoint = self.resume(existing, key, id, "approval");
        checkpoint.attempt = 1;
        checkpoint.status = StepStatus::Waiting;
        checkpoint.prompt = Some(approval.prompt.clone());
        if let Some(template) = &approval.input {
            match resolve(template, ctx) {
                Ok(input) => checkpoint.input = Some(input),
                Err(e) => {
                    return self
                        .fail(checkpoint, StepError::new(RUNTIME, e.to_string()))
                        .await;
                }
            }
        }
        checkpoint.wake_at = approval
            .timeout_seconds
            .map(|s| checkpoint.started_at + chrono::Duration::seconds(s as i64));
        self.save(&checkpoint).await?;
        self.agent
            .announce(
                &self.tenant,
                Lifecycle::ApprovalRequested,
                json!({
                    "execution_id": self.execution,
                    "step": key,
                    "prompt": approval.prompt,
                    "input": checkpoint.input,
                    "deadline": checkpoint.wake_at,
                }),
            )
            .await;
        Err(Halt::Suspended {
            wake_at: checkpoint.wake_at,
        })
    }

    pub(super) async fn parallel(
        &self,
        key: &str,
        id: &str,
        parallel: &Parallel,
        ctx: &Value,
    ) -> Result<Value, Halt> {
        let branches: Vec<&[plasma_workflow::Step]> =
            parallel.branches.iter().map(Vec::as_slice).collect();
        self.fan_out(
            key,
            id,
            "parallel",
            parallel.retry.as_ref(),
            |prefix| {
                branches
                    .iter()
                    .enumerate()
                    .map(|(b, steps)| (format!("{prefix}/{b}/"), *steps, ctx.clone()))
                    .collect()
            },
            None,
            |results| {
                let mut merged = Own::new();
                for own in results {
                    merged.extend(own);
                }
                Value::Object(merged)
            },
        )
        .await
    }

    pub(super) async fn map(
        &self,
        key: &str,
        id: &str,
        map: &Map,
        ctx: &Value,
    ) -> Result<Value, Halt> {
        let items = match resolve(&Value::String(map.items.clone()), ctx) {
            Ok(Value::Array(items)) => items,
            Ok(other) => {
                let error = StepError::new(
                    RUNTIME,
                    format!("items at {} is not a list but {other}", map.items),
                );
                return self.fail(self.fresh(key, id, "map"), error).await;
            }
            Err(e) => {
                return self
                    .fail(
                        self.fresh(key, id, "map"),
                        StepError::new(RUNTIME, e.to_string()),
                    )
                    .await;
            }
        };
        let concurrency = map.max_concurrency.map(|n| n as usize);
        self.fan_out(
            key,
            id,
            "map",
            map.retry.as_ref(),
            |prefix| {
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let mut iteration = ctx.clone();
                        iteration["item"] = item.clone();
                        (format!("{prefix}[{i}]/"), map.steps.as_slice(), iteration)
                    })
                    .collect()
            },
            concurrency,
            |results| Value::Array(results.into_iter().map(Value::Object).collect()),
        )
        .await
    }

    /// A parallel or map: run the lists (at most `concurrency` at once), retry the whole
    /// step as its policy says, and shape the lists' own outputs into the step's output.
    #[allow(clippy::too_many_arguments)]
    async fn fan_out<'s>(
        &'s self,
        key: &str,
        id: &str,
        kind: &str,
        retry: Option<&plasma_workflow::Retry>,
        lists: impl Fn(&str) -> Vec<(String, &'s [plasma_workflow::Step], Value)>,
        concurrency: Option<usize>,
        shape: impl Fn(Vec<Own>) -> Value,
    ) -> Result<Value, Halt> {
        let existing = self.load(key).await?;
        if let Some(done) = existing.as_ref().and_then(|c| self.replay(c)) {
            return done;
        }
        let fresh_start = existing.is_none();
        let mut checkpoint = self.resume(existing, key, id, kind);
        checkpoint.attempt = checkpoint.attempt.max(1);
        if fresh_start {
            self.save(&checkpoint).await?;
        }
        loop {
            // A retried parallel or map runs its lists anew, as Step Functions does.
            let prefix = match checkpoint.attempt {
                1 => key.to_owned(),
                n => format!("{key}@{n}"),
            };
            let runs = lists(&prefix);
            let limit = concurrency.unwrap_or(runs.len()).max(1);
            let runs: Vec<_> = runs
                .into_iter()
                .map(|(prefix, steps, ctx)| self.list(prefix, steps, None, ctx))
                .collect();
            let results: Vec<Result<(Value, Own), Halt>> =
                futures::stream::iter(runs).buffered(limit).collect().await;
            let mut owns = Vec::new();
            let mut halts = Vec::new();
            for result in results {
                match result {
                    Ok((_, own)) => owns.push(own),
                    Err(halt) => halts.push(halt),
                }
            }
            match Halt::combine(halts) {
                None => {
                    let output = shape(owns);
                    self.finish(&mut checkpoint, &Ok(output.clone()));
                    self.save(&checkpoint).await?;
                    return Ok(output);
                }
                Some(Halt::Failed(error)) => {
                    match retry_delay(retry, &error.error, checkpoint.attempt) {
                        Some(delay) => {
                            checkpoint.earlier_errors.push(error);
                            checkpoint.attempt += 1;
                            self.save(&checkpoint).await?;
                            tokio::time::sleep(delay).await;
                        }
                        None => return self.fail(checkpoint, error).await,
                    }
                }
                Some(halt) => return Err(halt),
            }
        }
    }

    pub(super) async fn wait(
        &self,
        key: &str,
        id: &str,
        wait: &Wait,
        ctx: &Value,
    ) -> Result<(), Halt> {
        let existing = self.load(key).await?;
        if let Some(done) = existing.as_ref().and_then(|c| self.replay(c)) {
            return done.map(|_| ());
        }
        let mut checkpoint = match existing.filter(|c| c.wake_at.is_some()) {
            Some(checkpoint) => checkpoint,
            None => {
                let mut checkpoint = self.fresh(key, id, "wait");
                checkpoint.attempt = 1;
                match wake_time(wait, ctx, checkpoint.started_at) {
                    Ok(wake_at) => checkpoint.wake_at = Some(wake_at),
                    Err(error) => return self.fail(checkpoint, error).await.map(|_| ()),
                }
                self.save(&checkpoint).await?;
                checkpoint
            }
        };
        let wake_at = checkpoint.wake_at.unwrap_or_else(|| self.agent.clock.now());
        let remaining = (wake_at - self.agent.clock.now())
            .to_std()
            .unwrap_or_default();
        if remaining > self.agent.settings.inline_wait {
            // Long waits hand the execution back to the executor, which drives it again at
            // `wake_at`; short ones just sleep here.
            return Err(Halt::Suspended {
                wake_at: Some(wake_at),
            });
        }
        tokio::time::sleep(remaining).await;
        self.finish(&mut checkpoint, &Ok(Value::Null));
        checkpoint.output = None;
        self.save(&checkpoint).await
    }

    pub(super) async fn choice(
        &self,
        key: &str,
        id: &str,
        choice: &Choice,
        ctx: &Value,
    ) -> Result<String, Halt> {
        let mut target = None;
        for rule in &choice.choices {
            match evaluate(&rule.when, ctx) {
                Ok(true) => {
                    target = Some(rule.next.clone());
                    break;
                }
                Ok(false) => {}
                Err(e) => {
                    return self
                        .fail(
                            self.fresh(key, id, "choice"),
                            StepError::new(RUNTIME, e.to_string()),
                        )
                        .await
                        .map(|_| String::new());
                }
            }
        }
        let Some(target) = target.or_else(|| choice.default.clone()) else {
            let error = StepError::new(
                "States.NoChoiceMatched",
                "no choice matched and there is no default",
            );
            return self
                .fail(self.fresh(key, id, "choice"), error)
                .await
                .map(|_| String::new());
        };
        if self.load(key).await?.is_none() {
            let mut checkpoint = self.fresh(key, id, "choice");
            checkpoint.attempt = 1;
            self.finish(&mut checkpoint, &Ok(json!({"next": target})));
            self.save(&checkpoint).await?;
        }
        Ok(target)
    }
}

fn wake_time(wait: &Wait, ctx: &Value, now: DateTime<Utc>) -> Result<DateTime<Utc>, StepError> {
    let runtime = |why: String| StepError::new(RUNTIME, why);
    if let Some(seconds) = &wait.seconds {
        let seconds = match seconds {
            Seconds::Fixed(n) => *n,
            Seconds::Path(path) => resolve(&Value::String(path.clone()), ctx)
                .map_err(|e| runtime(e.to_string()))?
                .as_u64()
                .ok_or_else(|| runtime(format!("{path} is not a whole number of seconds")))?,
        };
        return Ok(now + chrono::Duration::seconds(seconds as i64));
    }
    let until = wait
        .until
        .as_deref()
        .ok_or_else(|| runtime("a wait needs seconds or until".into()))?;
    let text = match resolve(&Value::String(until.into()), ctx) {
        Ok(Value::String(text)) => text,
        Ok(other) => return Err(runtime(format!("{until} is not a time but {other}"))),
        Err(e) => return Err(runtime(e.to_string())),
    };
    DateTime::parse_from_rfc3339(&text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| runtime(format!("{text:?} is not an RFC 3339 time: {e}")))
}

/// A tool's failure as Step Functions reports a Lambda function's error: the name to match
/// on, and as cause the function's error payload, so both engines give a catch the same
/// `{Error, Cause}`.
fn task_error(failure: plasma_tools::ToolFailure) -> StepError {
    if failure.error == StepError::TIMEOUT {
        return StepError::new(failure.error, failure.cause);
    }
    let cause = json!({"errorType": failure.error, "errorMessage": failure.cause}).to_string();
    StepError::new(failure.error, cause)
}
