//! The caller as every handler sees it, built from token claims by a configurable mapping so
//! that Cognito, Auth0, Clerk and the local development key all yield the same shape.

use crate::rbac::{Permission, Role};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub tenant: String,
    pub subject: String,
    pub roles: Vec<Role>,
    /// When non-empty, the principal may use only these permissions (API keys, OAuth scopes).
    pub scopes: Vec<Permission>,
}

impl Principal {
    pub fn allows(&self, permission: Permission) -> bool {
        self.roles.iter().any(|r| r.grants(permission))
            && (self.scopes.is_empty() || self.scopes.contains(&permission))
    }

    /// Every permission the roles and scopes add up to, by name (`research:read`, ...).
    pub fn permission_names(&self) -> Vec<String> {
        Permission::ALL
            .into_iter()
            .filter(|p| self.allows(*p))
            .map(|p| p.as_str().to_owned())
            .collect()
    }
}

/// Which claims carry the tenant, the roles and the scopes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimMapping {
    pub tenant_claim: String,
    pub roles_claim: String,
    pub scopes_claim: String,
}

impl Default for ClaimMapping {
    fn default() -> Self {
        Self {
            tenant_claim: "tenant".into(),
            roles_claim: "roles".into(),
            scopes_claim: "scope".into(),
        }
    }
}

impl ClaimMapping {
    /// Build the principal; unknown role names are ignored, a missing tenant or subject is an error.
    pub fn principal(&self, claims: &Map<String, Value>) -> Result<Principal, String> {
        let text = |name: &str| {
            claims
                .get(name)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .filter(|s| !s.is_empty())
        };
        let tenant = text(&self.tenant_claim)
            .ok_or_else(|| format!("the token has no {} claim", self.tenant_claim))?;
        if !is_valid_tenant(&tenant) {
            return Err(format!("tenant {tenant:?} is not a valid tenant id"));
        }
        let subject = text("sub").ok_or("the token has no sub claim")?;
        // Clerk names organisation roles `org:admin`; the prefix says nothing about the role.
        let roles = list(claims.get(&self.roles_claim))
            .iter()
            .filter_map(|r| r.strip_prefix("org:").unwrap_or(r).parse().ok())
            .collect();
        let scopes = list(claims.get(&self.scopes_claim))
            .iter()
            .filter_map(|s| s.parse().ok())
            .collect();
        Ok(Principal {
            tenant,
            subject,
            roles,
            scopes,
        })
    }
}

/// Tenants become key prefixes; keep them to a safe alphabet.
pub fn is_valid_tenant(tenant: &str) -> bool {
    !tenant.is_empty()
        && !tenant.starts_with('_') // reserved for the platform's own records
        && tenant.len() <= 64
        && tenant
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// A claim holding several values: a JSON array, a space/comma separated string, or the
/// `[a b]` rendering API Gateway's JWT authorizer gives array claims.
fn list(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Some(Value::String(s)) => s
            .trim_start_matches('[')
            .trim_end_matches(']')
            .split([' ', ','])
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn array_and_authorizer_string_forms_agree() {
        let m = ClaimMapping::default();
        let a = m
            .principal(&claims(
                json!({"sub": "u", "tenant": "acme", "roles": ["admin", "viewer"]}),
            ))
            .unwrap();
        let b = m
            .principal(&claims(
                json!({"sub": "u", "tenant": "acme", "roles": "[admin viewer]"}),
            ))
            .unwrap();
        assert_eq!(a, b);
        assert_eq!(a.roles, vec![Role::Admin, Role::Viewer]);
    }

    #[test]
    fn scopes_narrow_roles() {
        let p = Principal {
            tenant: "t".into(),
            subject: "s".into(),
            roles: vec![Role::Admin],
            scopes: vec![Permission::BrandRead],
        };
        assert!(p.allows(Permission::BrandRead));
        assert!(!p.allows(Permission::BrandWrite));
    }

    #[test]
    fn clerk_org_roles_lose_their_prefix_and_foreign_roles_are_ignored() {
        let m = ClaimMapping {
            tenant_claim: "org_id".into(),
            roles_claim: "org_role".into(),
            ..ClaimMapping::default()
        };
        let p = m
            .principal(&claims(
                json!({"sub": "user_1", "org_id": "org_2abc", "org_role": "org:admin"}),
            ))
            .unwrap();
        assert_eq!(
            (p.tenant.as_str(), p.roles),
            ("org_2abc", vec![Role::Admin])
        );
        let p = m
            .principal(&claims(
                json!({"sub": "u", "org_id": "o", "org_role": "org:billing_manager"}),
            ))
            .unwrap();
        assert!(p.roles.is_empty());
    }

    #[test]
    fn tenant_is_required_and_safe() {
        let m = ClaimMapping::default();
        assert!(m.principal(&claims(json!({"sub": "u"}))).is_err());
        assert!(
            m.principal(&claims(json!({"sub": "u", "tenant": "a#b"})))
                .is_err()
        );
    }
}
