//! The Caller the integrator builds from a gateway Principal carries exactly the permissions
//! the REST API would grant, so tools and routes are checked against one RBAC table.

use plasma_gateway::{Permission, Principal, Role};
use plasma_mcp::Caller;

fn principal(roles: Vec<Role>, scopes: Vec<Permission>) -> Principal {
    Principal {
        tenant: "acme".into(),
        subject: "ana".into(),
        roles,
        scopes,
    }
}

#[test]
fn a_callers_permissions_are_what_its_roles_grant() {
    let caller = Caller::from(&principal(vec![Role::Viewer], vec![]));
    assert_eq!(caller.tenant, "acme");
    assert_eq!(caller.subject, "ana");
    assert_eq!(
        caller.permissions,
        ["research:read", "brand:read", "content:read"]
    );
    assert!(caller.may(plasma_mcp::Permission::ContentRead));
    assert!(!caller.may(plasma_mcp::Permission::ContentPublish));
}

#[test]
fn scopes_narrow_the_roles() {
    let caller = Caller::from(&principal(vec![Role::Admin], vec![Permission::AgentRun]));
    assert_eq!(caller.permissions, ["agent:run"]);
}
