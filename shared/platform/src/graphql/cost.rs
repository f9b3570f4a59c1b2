//! What a GraphQL operation costs in rate-limit tokens: one per top-level field, as the REST
//! request each field stands for costs one. Without this, one HTTP request could alias a
//! field hundreds of times (`a1: researchAsk(...) a2: researchAsk(...) ...`) for the single
//! token the route's guard takes.
//!
//! The guard has taken the request's own token, which pays for the first field; the rest are
//! charged after validation (so a query refused for its depth or complexity costs nothing
//! more) and before anything runs, all at once from the same tenant and principal buckets. A
//! refusal answers the whole request with the limiter's 429 (or 400 when no full bucket
//! could pay), so a query either runs completely or not at all.

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextValidation,
};
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, Selection, SelectionSet,
};
use async_graphql::{ServerError, ServerResult, ValidationResult, Variables};
use plasma_gateway::Principal;
use plasma_gateway::rate_limit::{Quota, RateLimiter};
use plasma_http::Problem;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};

/// Top-level fields that cost nothing: introspection and federation's (`__schema`,
/// `_service`, ...) and `health`, whose REST twin is public and unmetered.
fn free(field: &str) -> bool {
    field.starts_with('_') || field == "health"
}

/// One request's charge, put into the request's data by the HTTP handler and read back
/// after execution: the quota to report, or the refusal to answer instead.
pub struct Ledger {
    pub principal: Principal,
    pub operation: Option<String>,
    outcome: Mutex<Option<Result<Quota, Problem>>>,
}

impl Ledger {
    pub fn new(principal: Principal, operation: Option<String>) -> Arc<Self> {
        Arc::new(Self {
            principal,
            operation,
            outcome: Mutex::new(None),
        })
    }

    /// `None` when nothing beyond the guard's token was charged.
    pub fn outcome(&self) -> Option<Result<Quota, Problem>> {
        self.outcome.lock().map(|mut o| o.take()).unwrap_or(None)
    }

    fn record(&self, outcome: Result<Quota, Problem>) {
        if let Ok(mut slot) = self.outcome.lock() {
            *slot = Some(outcome);
        }
    }
}

/// The schema extension that charges each operation.
pub struct Metered(pub RateLimiter);

impl ExtensionFactory for Metered {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Meter {
            limiter: self.0.clone(),
            fields: Mutex::new(0),
        })
    }
}

struct Meter {
    limiter: RateLimiter,
    /// Counted when the query is parsed, charged once it is valid.
    fields: Mutex<u32>,
}

#[async_trait::async_trait]
impl Extension for Meter {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        if let Some(ledger) = ctx.data_opt::<Arc<Ledger>>() {
            let fields = charged_fields(&document, ledger.operation.as_deref());
            if let Ok(mut slot) = self.fields.lock() {
                *slot = fields;
            }
        }
        Ok(document)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        let fields = self.fields.lock().map(|n| *n).unwrap_or(0);
        let Some(ledger) = ctx.data_opt::<Arc<Ledger>>() else {
            return Ok(result);
        };
        // The guard's token paid for the first field.
        let extra = fields.saturating_sub(1);
        if extra == 0 {
            return Ok(result);
        }
        let charged = self.limiter.charge(&ledger.principal, extra).await;
        let refused = charged
            .as_ref()
            .err()
            .map(|p| p.detail.clone().unwrap_or_default());
        ledger.record(charged);
        match refused {
            None => Ok(result),
            Some(detail) => Err(vec![ServerError::new(detail, None)]),
        }
    }
}

/// The operation's distinct top-level response keys that are not free. Fields with the same
/// alias merge into one (GraphQL resolves them once), so a fragment spread twice counts once.
/// A field under `@skip` or `@include` counts: charging for what may run is the safe side.
pub fn charged_fields(document: &ExecutableDocument, operation: Option<&str>) -> u32 {
    let Some(op) = selected(&document.operations, operation) else {
        return 0;
    };
    let mut keys = HashSet::new();
    let mut seen = HashSet::new();
    collect(document, &op.selection_set.node, &mut keys, &mut seen);
    u32::try_from(keys.len()).unwrap_or(u32::MAX)
}

/// The operation that will run; `None` when it is ambiguous or missing (execution then
/// fails without running anything).
fn selected<'a>(
    operations: &'a DocumentOperations,
    name: Option<&str>,
) -> Option<&'a OperationDefinition> {
    match (operations, name) {
        (DocumentOperations::Single(op), _) => Some(&op.node),
        (DocumentOperations::Multiple(ops), Some(name)) => ops
            .iter()
            .find(|(n, _)| n.as_str() == name)
            .map(|(_, op)| &op.node),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => {
            ops.values().next().map(|op| &op.node)
        }
        (DocumentOperations::Multiple(_), None) => None,
    }
}

fn collect<'a>(
    document: &'a ExecutableDocument,
    set: &'a SelectionSet,
    keys: &mut HashSet<&'a str>,
    seen: &mut HashSet<&'a str>,
) {
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) => {
                let field = &field.node;
                if !free(field.name.node.as_str()) {
                    let key = field.alias.as_ref().unwrap_or(&field.name);
                    keys.insert(key.node.as_str());
                }
            }
            Selection::InlineFragment(inline) => {
                collect(document, &inline.node.selection_set.node, keys, seen);
            }
            Selection::FragmentSpread(spread) => {
                let name = spread.node.fragment_name.node.as_str();
                // Once is enough (its keys are the same again), and a cycle ends here.
                if seen.insert(name)
                    && let Some(fragment) = document.fragments.get(name)
                {
                    collect(document, &fragment.node.selection_set.node, keys, seen);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cost(query: &str, operation: Option<&str>) -> u32 {
        charged_fields(
            &async_graphql::parser::parse_query(query).unwrap(),
            operation,
        )
    }

    #[test]
    fn each_top_level_response_key_costs_one() {
        assert_eq!(cost("{ health { status } __typename }", None), 0);
        assert_eq!(
            cost(
                "{ a: researchAsk(question: \"q\") b: researchAsk(question: \"q\") }",
                None
            ),
            2
        );
        assert_eq!(
            cost(
                "{ ...F ...F ... on Query { c: apiKeys { id } } } fragment F on Query { a: apiKeys { id } b: apiKeys { id } }",
                None
            ),
            3,
            "fragments expand; the same key twice is one field"
        );
        assert_eq!(
            cost(
                "query A { apiKeys { id } } query B { x: apiKeys { id } y: apiKeys { id } }",
                Some("B")
            ),
            2
        );
        assert_eq!(
            cost(
                "query A { apiKeys { id } } query B { apiKeys { id } }",
                None
            ),
            0
        );
        assert_eq!(
            cost("{ ...F } fragment F on Query { ...F apiKeys { id } }", None),
            1
        );
    }
}
