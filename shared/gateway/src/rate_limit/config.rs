//! Limits per plan, from `PLASMA_RATE_LIMITS`:
//!
//! ```json
//! {"default_plan": "standard",
//!  "plans": {"standard": {"tenant_per_minute": 600, "principal_per_minute": 120}},
//!  "tenants": {"acme": "enterprise"}}
//! ```
//!
//! Every member is optional. `plans` are added to (or replace by name) the built-in `free`,
//! `standard` and `enterprise` plans; tenants not listed get `default_plan`.

use plasma_core::ConfigError;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::num::NonZeroU32;

pub const RATE_LIMITS_VAR: &str = "PLASMA_RATE_LIMITS";

/// Zero is refused when parsing: a plan that admits nothing is a typo, not a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub tenant_per_minute: NonZeroU32,
    pub principal_per_minute: NonZeroU32,
}

/// Plans resolved per tenant at parse time, so a lookup can neither fail nor panic.
#[derive(Debug, Clone, PartialEq)]
pub struct RateLimits {
    default: Plan,
    tenants: BTreeMap<String, Plan>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    default_plan: Option<String>,
    #[serde(default)]
    plans: BTreeMap<String, Plan>,
    #[serde(default)]
    tenants: BTreeMap<String, String>,
}

const DEFAULT_PLAN: &str = "standard";

/// Evaluated at compile time, so a zero here fails the build rather than a request.
const fn plan(tenant: u32, principal: u32) -> Plan {
    match (NonZeroU32::new(tenant), NonZeroU32::new(principal)) {
        (Some(tenant_per_minute), Some(principal_per_minute)) => Plan {
            tenant_per_minute,
            principal_per_minute,
        },
        _ => panic!("built-in plans admit at least one request"),
    }
}

const STANDARD: Plan = plan(600, 120);

fn builtin_plans() -> BTreeMap<String, Plan> {
    BTreeMap::from([
        ("free".to_string(), const { plan(120, 60) }),
        (DEFAULT_PLAN.to_string(), STANDARD),
        ("enterprise".to_string(), const { plan(6000, 600) }),
    ])
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            default: STANDARD,
            tenants: BTreeMap::new(),
        }
    }
}

impl RateLimits {
    /// Unset or blank means the built-in defaults.
    pub fn from_env() -> Result<Self, ConfigError> {
        match std::env::var(RATE_LIMITS_VAR) {
            Ok(json) if !json.trim().is_empty() => Self::parse(&json),
            Ok(_) | Err(std::env::VarError::NotPresent) => Ok(Self::default()),
            Err(std::env::VarError::NotUnicode(_)) => Err(malformed("not valid UTF-8".into())),
        }
    }

    pub fn parse(json: &str) -> Result<Self, ConfigError> {
        let raw: Raw = serde_json::from_str(json).map_err(|e| malformed(e.to_string()))?;
        let mut plans = builtin_plans();
        plans.extend(raw.plans);
        let find = |name: &str| {
            plans
                .get(name)
                .copied()
                .ok_or_else(|| malformed(format!("no plan named {name:?}")))
        };
        let default = find(raw.default_plan.as_deref().unwrap_or(DEFAULT_PLAN))?;
        let tenants = raw
            .tenants
            .into_iter()
            .map(|(tenant, plan)| Ok((tenant, find(&plan)?)))
            .collect::<Result<_, ConfigError>>()?;
        Ok(Self { default, tenants })
    }

    pub fn plan_for(&self, tenant: &str) -> Plan {
        self.tenants.get(tenant).copied().unwrap_or(self.default)
    }
}

fn malformed(why: String) -> ConfigError {
    ConfigError::Malformed {
        var: RATE_LIMITS_VAR.into(),
        why,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenants_get_their_plan_and_others_the_default() {
        let limits = RateLimits::parse(
            r#"{"default_plan": "free",
                "plans": {"tiny": {"tenant_per_minute": 5, "principal_per_minute": 2}},
                "tenants": {"acme": "tiny", "globex": "enterprise"}}"#,
        )
        .unwrap();
        assert_eq!(limits.plan_for("acme").tenant_per_minute.get(), 5);
        assert_eq!(limits.plan_for("globex").tenant_per_minute.get(), 6000);
        assert_eq!(limits.plan_for("initech").principal_per_minute.get(), 60);
        assert_eq!(RateLimits::parse("{}").unwrap(), RateLimits::default());
    }

    #[test]
    fn errors_name_the_variable() {
        for bad in [
            "not json",
            r#"{"default_plan": "gold"}"#,
            r#"{"tenants": {"acme": "gold"}}"#,
            r#"{"plans": {"x": {"tenant_per_minute": 0, "principal_per_minute": 1}}}"#,
            r#"{"plans": {"x": {"tenant_per_minute": 1}}}"#,
            r#"{"plan": {}}"#,
        ] {
            let err = RateLimits::parse(bad).unwrap_err();
            assert!(err.to_string().contains(RATE_LIMITS_VAR), "{bad}: {err}");
        }
    }
}
