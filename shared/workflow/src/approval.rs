//! What a person's answer to an `approval` step looks like.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// The output of an approval step, sent as the `output` of Step Functions'
/// `SendTaskSuccess` (and handed back the same way by a local engine). It lands at
/// `$.steps.<id>.output`, so a choice routes on `$.steps.<id>.output.decision`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ApprovalDecision {
    pub decision: Decision,
    /// The answer, for `answered`; optional context for the other decisions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// Who decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approved,
    Rejected,
    Answered,
}
