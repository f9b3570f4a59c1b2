//! The approval workflow: `draft → in_review → approved → scheduled → published | failed`.
//! Which moves exist, and which permission each needs, is decided here once; the routes and
//! the publisher only ask.

use plasma_gateway::Permission;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
// Named apart from the other `Status`s: the OpenAPI document keys schemas by name.
#[schema(as = ItemStatus)]
pub enum Status {
    Draft,
    InReview,
    Approved,
    Scheduled,
    Published,
    Failed,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Draft,
        Status::InReview,
        Status::Approved,
        Status::Scheduled,
        Status::Published,
        Status::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::InReview => "in_review",
            Status::Approved => "approved",
            Status::Scheduled => "scheduled",
            Status::Published => "published",
            Status::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Whether the text may still change (an edit of an approved item sends it back).
    pub fn editable(self) -> bool {
        matches!(
            self,
            Status::Draft | Status::InReview | Status::Approved | Status::Failed
        )
    }
}

/// What a person may move an item to from `from`, and the permission it takes. Moves into
/// `published` and `failed` are the publisher's alone.
pub fn rule(from: Status, to: Status) -> Option<Permission> {
    use Status::*;
    match (from, to) {
        // Editors submit; the compliance check runs on submit.
        (Draft, InReview) => Some(Permission::ContentWrite),
        // Approvers approve or request changes.
        (InReview, Approved) | (InReview, Draft) => Some(Permission::ContentApprove),
        // Withdraw an approval or a failed item for more work.
        (Approved, Draft) | (Failed, Draft) => Some(Permission::ContentWrite),
        // Scheduling (with a time) and cancelling a schedule.
        (Approved, Scheduled) | (Failed, Scheduled) => Some(Permission::ContentPublish),
        (Scheduled, Approved) => Some(Permission::ContentPublish),
        _ => None,
    }
}

/// The statuses a person may move an item to from `from`.
pub fn allowed(from: Status) -> Vec<Status> {
    Status::ALL
        .into_iter()
        .filter(|to| rule(from, *to).is_some())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lifecycle_moves_forward_only_through_people_with_the_right_permission() {
        use Status::*;
        assert_eq!(rule(Draft, InReview), Some(Permission::ContentWrite));
        assert_eq!(rule(InReview, Approved), Some(Permission::ContentApprove));
        assert_eq!(rule(InReview, Draft), Some(Permission::ContentApprove));
        assert_eq!(rule(Approved, Scheduled), Some(Permission::ContentPublish));
        assert_eq!(rule(Draft, Approved), None, "approval skips review");
        assert_eq!(
            rule(Scheduled, Published),
            None,
            "only the publisher publishes"
        );
        assert_eq!(rule(Published, Draft), None, "published is final");
        assert_eq!(allowed(Draft), vec![InReview]);
        assert_eq!(allowed(InReview), vec![Draft, Approved]);
        assert_eq!(allowed(Published), Vec::<Status>::new());
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
    }
}
