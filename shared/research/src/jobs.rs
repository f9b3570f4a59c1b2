//! Research jobs: a question becomes sub-questions (the LLM plans them, or a heuristic
//! when there is none), each sub-question is answered by its own queued step — on AWS many
//! worker invocations at once, locally the runner's tasks — and when the last one lands the
//! answers are composed into a Markdown report with numbered sources, stored as a blob and
//! announced on the event bus.

mod plan;
mod report;

use crate::Research;
use crate::ask::{Answer, AskMode, Citation, ask};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use plasma_core::item::{attrs_of, query_all};
use plasma_core::keys::{JOB_ANSWERS, JOBS};
use plasma_core::{
    Condition, Event, EventEnvelope, Item, Key, OutMessage, PortError, PortResult, PutOptions,
    Query,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use plan::plan;

pub const JOB_REQUESTED: &str = "ResearchJobRequested";
pub const SUBQUESTION: &str = "ResearchSubquestion";
pub const JOB_COMPLETED: &str = "ResearchJobCompleted";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum JobStatus {
    Queued,
    Searching,
    Composing,
    Done,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Job {
    pub id: String,
    pub question: String,
    pub status: JobStatus,
    pub subquestions: Vec<String>,
    /// Sub-questions answered so far.
    pub answered: usize,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<DateTime<Utc>>,
    /// Who planned and wrote: `builtin-extractive` or `<provider>:<model>`.
    pub provider: String,
}

/// A queued step: plan the job, or answer sub-question `index`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Step {
    pub tenant: String,
    pub job_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SubAnswer {
    question: String,
    answer: String,
    citations: Vec<StoredCitation>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredCitation {
    chunk_id: String,
    document_id: String,
    title: String,
    page: Option<u32>,
}

fn job_key(tenant: &str, id: &str) -> PortResult<Key> {
    Ok(Key::new(JOBS.key([tenant])?, id))
}
fn answers_partition(tenant: &str, id: &str) -> PortResult<String> {
    JOB_ANSWERS.key([tenant, id])
}
pub fn report_key(tenant: &str, id: &str) -> String {
    format!("research/{tenant}/reports/{id}.md")
}

pub async fn get(research: &Research, tenant: &str, id: &str) -> PortResult<Option<Job>> {
    match research.items.get(&job_key(tenant, id)?).await? {
        Some(item) => Ok(Some(item.parse()?)),
        None => Ok(None),
    }
}

async fn put(research: &Research, tenant: &str, job: &Job) -> PortResult<()> {
    research
        .items
        .put(
            Item::new(job_key(tenant, &job.id)?, attrs_of(job)?),
            Condition::None,
        )
        .await
}

/// Records a job and queues its planning step.
pub async fn start(research: &Research, tenant: &str, question: &str) -> PortResult<Job> {
    let now = research.clock.now();
    let job = Job {
        id: research.ids.new_id(),
        question: question.to_string(),
        status: JobStatus::Queued,
        subquestions: Vec::new(),
        answered: 0,
        created_at: now,
        updated_at: now,
        finished_at: None,
        provider: research.provider(),
    };
    put(research, tenant, &job).await?;
    send(
        research,
        JOB_REQUESTED,
        vec![Step {
            tenant: tenant.into(),
            job_id: job.id.clone(),
            index: None,
        }],
    )
    .await?;
    Ok(job)
}

async fn send(research: &Research, detail_type: &str, steps: Vec<Step>) -> PortResult<()> {
    let now = research.clock.now();
    let mut messages = Vec::new();
    for step in steps {
        let detail = serde_json::to_value(&step).map_err(PortError::backend)?;
        let envelope = EventEnvelope::local(
            research.ids.new_id(),
            now,
            &Event::new(crate::SOURCE, detail_type, detail),
        );
        messages.push(OutMessage::new(
            serde_json::to_string(&envelope).map_err(PortError::backend)?,
        ));
    }
    for batch in messages.chunks(10) {
        research
            .queue
            .send_batch(&research.jobs_queue, batch.to_vec())
            .await?;
    }
    Ok(())
}

/// The planning step: sub-questions, then one queued step each, fanned out in parallel.
pub async fn run_plan(research: &Research, step: &Step) -> PortResult<()> {
    let Some(mut job) = get(research, &step.tenant, &step.job_id).await? else {
        return Ok(());
    };
    if job.status != JobStatus::Queued {
        // A redelivery after the fan-out; the steps are already queued.
        return Ok(());
    }
    job.subquestions = plan(research, &step.tenant, &job.question).await?;
    job.status = JobStatus::Searching;
    job.updated_at = research.clock.now();
    let steps = (0..job.subquestions.len())
        .map(|i| Step {
            tenant: step.tenant.clone(),
            job_id: job.id.clone(),
            index: Some(i),
        })
        .collect();
    put(research, &step.tenant, &job).await?;
    send(research, SUBQUESTION, steps).await
}

/// One sub-question: answered in `local` mode and stored; whoever stores the last answer
/// composes the report. Retries and concurrent finishers are harmless: answers are keyed by
/// index, and composing twice writes the same report.
pub async fn run_subquestion(research: &Research, step: &Step) -> PortResult<()> {
    let (Some(index), Some(job)) = (step.index, get(research, &step.tenant, &step.job_id).await?)
    else {
        return Ok(());
    };
    let Some(question) = job.subquestions.get(index) else {
        return Err(PortError::Invalid(format!(
            "job {} has no sub-question {index}",
            job.id
        )));
    };
    let Answer {
        answer, citations, ..
    } = ask(research, &step.tenant, question, AskMode::Local, false).await?;
    let stored = SubAnswer {
        question: question.clone(),
        answer,
        citations: citations.iter().map(stored_citation).collect(),
    };
    research
        .items
        .put(
            Item::new(
                Key::new(
                    answers_partition(&step.tenant, &job.id)?,
                    format!("{index:03}"),
                ),
                attrs_of(&stored)?,
            ),
            Condition::None,
        )
        .await?;
    let answers = answers(research, &step.tenant, &job.id).await?;
    let mut job = get(research, &step.tenant, &step.job_id)
        .await?
        .unwrap_or(job);
    if job.status == JobStatus::Done {
        return Ok(());
    }
    job.answered = answers.len();
    job.updated_at = research.clock.now();
    if answers.len() < job.subquestions.len() {
        // Progress only; a concurrent finisher may overwrite it with a larger count.
        return put(research, &step.tenant, &job).await;
    }
    job.status = JobStatus::Composing;
    put(research, &step.tenant, &job).await?;
    compose(research, &step.tenant, job, answers).await
}

async fn answers(research: &Research, tenant: &str, id: &str) -> PortResult<Vec<SubAnswer>> {
    query_all(
        research.items.as_ref(),
        Query::partition(answers_partition(tenant, id)?),
    )
    .await?
    .iter()
    .map(Item::parse)
    .collect()
}

async fn compose(
    research: &Research,
    tenant: &str,
    mut job: Job,
    answers: Vec<SubAnswer>,
) -> PortResult<()> {
    let now = research.clock.now();
    let markdown = report::render(&job, &answers, now);
    let key = report_key(tenant, &job.id);
    research
        .blobs
        .put(
            &key,
            Bytes::from(markdown),
            PutOptions {
                content_type: Some("text/markdown; charset=utf-8".into()),
                ..PutOptions::default()
            },
        )
        .await?;
    job.status = JobStatus::Done;
    job.finished_at = Some(now);
    job.updated_at = now;
    put(research, tenant, &job).await?;
    let event = Event::new(
        crate::SOURCE,
        JOB_COMPLETED,
        serde_json::json!({ "tenant": tenant, "job_id": job.id, "question": job.question, "report_key": key }),
    );
    if let Err(e) = research.bus.publish(vec![event]).await {
        tracing::warn!(error = %e, "could not announce a finished research job");
    }
    Ok(())
}

/// The report's Markdown, once the job is done.
pub async fn report(research: &Research, tenant: &str, job: &Job) -> PortResult<Option<String>> {
    if job.status != JobStatus::Done {
        return Ok(None);
    }
    Ok(research
        .blobs
        .get(&report_key(tenant, &job.id))
        .await?
        .map(|b| String::from_utf8_lossy(&b.body).into_owned()))
}

fn stored_citation(c: &Citation) -> StoredCitation {
    StoredCitation {
        chunk_id: c.chunk_id.clone(),
        document_id: c.document_id.clone(),
        title: c.title.clone(),
        page: c.page,
    }
}
