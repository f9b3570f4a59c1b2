//! Roles and the permissions they grant. One table, so that what a role may do is read in
//! one place and every route names exactly one permission.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use utoipa::ToSchema;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, async_graphql::Enum,
)]
#[serde(rename_all = "lowercase")]
#[graphql(rename_items = "lowercase")]
pub enum Role {
    Admin,
    Editor,
    Analyst,
    Viewer,
    Service,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
pub enum Permission {
    #[serde(rename = "research:read")]
    ResearchRead,
    #[serde(rename = "research:write")]
    ResearchWrite,
    #[serde(rename = "brand:read")]
    BrandRead,
    #[serde(rename = "brand:write")]
    BrandWrite,
    #[serde(rename = "content:read")]
    ContentRead,
    #[serde(rename = "content:write")]
    ContentWrite,
    #[serde(rename = "content:approve")]
    ContentApprove,
    #[serde(rename = "content:publish")]
    ContentPublish,
    #[serde(rename = "agent:run")]
    AgentRun,
    #[serde(rename = "agent:approve")]
    AgentApprove,
    #[serde(rename = "admin:*")]
    Admin,
}

use Permission::*;

// A scalar rather than a GraphQL enum: enum values cannot contain `:` or `*`. It reads and
// writes the same strings as the REST API.
async_graphql::scalar!(
    Permission,
    "Permission",
    "A permission, such as `content:read` or `admin:*`."
);

impl Permission {
    pub const ALL: [Permission; 11] = [
        ResearchRead,
        ResearchWrite,
        BrandRead,
        BrandWrite,
        ContentRead,
        ContentWrite,
        ContentApprove,
        ContentPublish,
        AgentRun,
        AgentApprove,
        Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ResearchRead => "research:read",
            ResearchWrite => "research:write",
            BrandRead => "brand:read",
            BrandWrite => "brand:write",
            ContentRead => "content:read",
            ContentWrite => "content:write",
            ContentApprove => "content:approve",
            ContentPublish => "content:publish",
            AgentRun => "agent:run",
            AgentApprove => "agent:approve",
            Admin => "admin:*",
        }
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Permission {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Permission::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| format!("unknown permission {s:?}"))
    }
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Editor,
        Role::Analyst,
        Role::Viewer,
        Role::Service,
    ];

    pub fn grants(self, permission: Permission) -> bool {
        match self {
            Role::Admin => true,
            Role::Editor => matches!(
                permission,
                ResearchRead
                    | ResearchWrite
                    | BrandRead
                    | BrandWrite
                    | ContentRead
                    | ContentWrite
                    | AgentRun
            ),
            Role::Analyst => matches!(
                permission,
                ResearchRead | ResearchWrite | BrandRead | BrandWrite | ContentRead | AgentRun
            ),
            Role::Viewer => matches!(permission, ResearchRead | BrandRead | ContentRead),
            // Machines: every capability's work, but no approvals and no administration.
            Role::Service => !matches!(permission, ContentApprove | AgentApprove | Admin),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Editor => "editor",
            Role::Analyst => "analyst",
            Role::Viewer => "viewer",
            Role::Service => "service",
        }
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!("unknown role {s:?}; roles are admin, editor, analyst, viewer, service")
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_grant_what_the_table_says() {
        assert!(Role::Admin.grants(Admin));
        assert!(!Role::Editor.grants(ContentApprove));
        assert!(Role::Editor.grants(ContentWrite));
        assert!(!Role::Viewer.grants(BrandWrite));
        assert!(Role::Viewer.grants(BrandRead));
        assert!(!Role::Service.grants(Admin));
        assert_eq!("content:approve".parse::<Permission>(), Ok(ContentApprove));
        assert_eq!("Viewer".parse::<Role>(), Ok(Role::Viewer));
        for p in Permission::ALL {
            assert_eq!(p.as_str().parse::<Permission>(), Ok(p));
            assert_eq!(serde_json::to_value(p).unwrap(), p.as_str());
        }
    }
}
