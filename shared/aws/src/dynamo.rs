//! [`ItemStore`] on one DynamoDB table: string keys `PK`/`SK`, index `GSI1` on
//! `GSI1PK`/`GSI1SK` (projection ALL) and TTL attribute `ttl` (epoch seconds).
//!
//! DynamoDB's TTL sweeper deletes expired items only eventually, so every read filters them
//! out and every condition treats them as absent, comparing `ttl` with the injected clock.

mod attrs;
mod expr;

use crate::errors::{build_error, sdk_error};
use crate::retry::Backoff;
use async_trait::async_trait;
use attrs::{Attrs, GSI1PK, GSI1SK, PK, SK, attrs_to_item, item_to_attrs, key_attrs};
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{
    AttributeValue, ConditionCheck, Delete, DeleteRequest, KeysAndAttributes, Put, PutRequest,
    ReturnValue, TransactWriteItem, WriteRequest,
};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use expr::{Expr, all};
use plasma_core::item::{RESERVED_ATTRIBUTES, validate_item, validate_transaction};
use plasma_core::{
    Clock, Condition, Index, Item, ItemStore, Key, Page, PortError, PortResult, Query, SortKey,
    TxOp, Update,
};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// BatchGetItem takes at most 100 keys, BatchWriteItem at most 25 requests.
const BATCH_GET_MAX: usize = 100;
const BATCH_WRITE_MAX: usize = 25;

/// How many times a write that met an expired-but-unswept item sweeps it and tries again.
/// One sweep is enough unless another writer keeps racing us.
const SWEEP_ATTEMPTS: usize = 3;

/// Retries of the writes or keys a batch call left unprocessed (throttling).
const UNPROCESSED_RETRIES: u32 = 6;

const GSI1: &str = "GSI1";

pub struct DynamoItemStore {
    client: Client,
    table: String,
    clock: Arc<dyn Clock>,
}

impl DynamoItemStore {
    pub fn new(client: Client, table: String, clock: Arc<dyn Clock>) -> Self {
        Self {
            client,
            table,
            clock,
        }
    }

    fn now(&self) -> i64 {
        self.clock.now().timestamp()
    }

    /// Delete `key` if it is present but expired. Returns whether it did.
    ///
    /// UpdateItem merges into whatever is stored, so updating an expired item that the TTL
    /// sweeper has not removed yet would resurrect its old attributes (and its past `ttl`).
    /// Writes guard against that and, when the guard trips, sweep the item themselves.
    async fn sweep_expired(&self, key: &Key, now: i64) -> PortResult<bool> {
        let mut e = Expr::default();
        let expired = e.expired(now);
        let (names, values) = e.into_parts();
        let result = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key_attrs(key)))
            .condition_expression(expired)
            .set_expression_attribute_names(names)
            .set_expression_attribute_values(values)
            .send()
            .await;
        match result {
            Ok(_) => Ok(true),
            Err(err)
                if err
                    .as_service_error()
                    .is_some_and(|e| e.is_conditional_check_failed_exception()) =>
            {
                Ok(false)
            }
            Err(err) => Err(sdk_error("dynamodb DeleteItem", err)),
        }
    }

    fn transact_item(&self, op: &TxOp, now: i64) -> PortResult<TransactWriteItem> {
        const OP: &str = "dynamodb TransactWriteItems";
        let mut e = Expr::default();
        let item = TransactWriteItem::builder();
        Ok(match op {
            TxOp::Put(item_to_put, condition) => {
                let condition = e.condition(condition, now);
                let (names, values) = e.into_parts();
                let put = Put::builder()
                    .table_name(&self.table)
                    .set_item(Some(item_to_attrs(item_to_put)))
                    .set_condition_expression(condition)
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values)
                    .build()
                    .map_err(|err| build_error(OP, err))?;
                item.put(put).build()
            }
            TxOp::Update(key, update, condition) => {
                let condition = update_condition(&mut e, condition, now);
                let Some(expression) = e.update(update) else {
                    return Err(PortError::Invalid(format!(
                        "the update of {key:?} in a transaction changes nothing"
                    )));
                };
                let (names, values) = e.into_parts();
                let update = aws_sdk_dynamodb::types::Update::builder()
                    .table_name(&self.table)
                    .set_key(Some(key_attrs(key)))
                    .update_expression(expression)
                    .set_condition_expression(condition)
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values)
                    .build()
                    .map_err(|err| build_error(OP, err))?;
                item.update(update).build()
            }
            TxOp::Delete(key, condition) => {
                let condition = e.condition(condition, now);
                let (names, values) = e.into_parts();
                let delete = Delete::builder()
                    .table_name(&self.table)
                    .set_key(Some(key_attrs(key)))
                    .set_condition_expression(condition)
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values)
                    .build()
                    .map_err(|err| build_error(OP, err))?;
                item.delete(delete).build()
            }
            TxOp::Check(key, condition) => {
                // ConditionCheck requires an expression; an unconditional check holds always.
                let condition = match e.condition(condition, now) {
                    Some(condition) => condition,
                    None => {
                        let pk = e.name(PK);
                        format!("attribute_not_exists({pk}) OR attribute_exists({pk})")
                    }
                };
                let (names, values) = e.into_parts();
                let check = ConditionCheck::builder()
                    .table_name(&self.table)
                    .set_key(Some(key_attrs(key)))
                    .condition_expression(condition)
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values)
                    .build()
                    .map_err(|err| build_error(OP, err))?;
                item.condition_check(check).build()
            }
        })
    }

    async fn batch_write_chunk(&self, mut requests: Vec<WriteRequest>) -> PortResult<()> {
        let mut backoff = Backoff::new(UNPROCESSED_RETRIES);
        loop {
            let out = self
                .client
                .batch_write_item()
                .request_items(&self.table, requests)
                .send()
                .await
                .map_err(|err| sdk_error("dynamodb BatchWriteItem", err))?;
            requests = out
                .unprocessed_items
                .and_then(|mut left| left.remove(&self.table))
                .unwrap_or_default();
            if requests.is_empty() {
                return Ok(());
            }
            if !backoff.retry().await {
                return Err(PortError::Backend(format!(
                    "dynamodb BatchWriteItem: {} writes still unprocessed after retries",
                    requests.len()
                )));
            }
        }
    }
}

/// The condition for an update: the caller's, plus (when the caller allows the item to be
/// absent) a guard that it is not expired-but-unswept; see [`DynamoItemStore::sweep_expired`].
fn update_condition(e: &mut Expr, condition: &Condition, now: i64) -> Option<String> {
    let guard = may_create(condition).then(|| e.absent_or_live(now));
    all([e.condition(condition, now), guard])
}

/// Whether an update under `condition` may create the item, and so needs the expiry guard.
fn may_create(condition: &Condition) -> bool {
    matches!(condition, Condition::None | Condition::NotExists)
}

/// User attributes may not touch the key and expiry attributes (`Update::expires_at` is the
/// way to change the expiry), nor one attribute twice, which DynamoDB refuses as overlapping
/// paths. Checked here so the refusal does not depend on the backend (moto is laxer).
fn validate_update(update: &Update) -> PortResult<()> {
    let mut seen = HashSet::new();
    let touched = update
        .set
        .keys()
        .chain(&update.remove)
        .chain(update.add.iter().map(|(attr, _)| attr));
    for attr in touched {
        if RESERVED_ATTRIBUTES.contains(&attr.as_str()) {
            return Err(PortError::Invalid(format!(
                "attribute name {attr} is reserved"
            )));
        }
        if !seen.insert(attr) {
            return Err(PortError::Invalid(format!(
                "update touches attribute {attr} twice"
            )));
        }
    }
    Ok(())
}

/// DynamoDB refuses empty key strings outright; an item with one can never have been stored,
/// so reads of such a key find nothing instead of failing.
fn storable(key: &Key) -> bool {
    !key.pk.is_empty() && !key.sk.is_empty()
}

/// The sort-key part of a query's key condition.
enum SortRange {
    Unbounded,
    Bounded(String),
    /// Nothing can match (sort keys are never empty); DynamoDB would reject some of these
    /// ranges (`BETWEEN` with bounds reversed, empty key values) rather than return nothing.
    Empty,
}

fn sort_range(e: &mut Expr, attr: &str, sk: &SortKey) -> SortRange {
    let string = |s: &str| AttributeValue::S(s.to_string());
    match sk {
        SortKey::All => SortRange::Unbounded,
        SortKey::Prefix(p) | SortKey::From(p) if p.is_empty() => SortRange::Unbounded,
        SortKey::To(t) if t.is_empty() => SortRange::Empty,
        SortKey::Between(from, to) if from > to || to.is_empty() => SortRange::Empty,
        SortKey::Between(from, to) if from.is_empty() => {
            sort_range(e, attr, &SortKey::To(to.clone()))
        }
        SortKey::Prefix(p) => SortRange::Bounded(format!(
            "begins_with({}, {})",
            e.name(attr),
            e.value(string(p))
        )),
        SortKey::From(f) => {
            SortRange::Bounded(format!("{} >= {}", e.name(attr), e.value(string(f))))
        }
        SortKey::To(t) => SortRange::Bounded(format!("{} <= {}", e.name(attr), e.value(string(t)))),
        SortKey::Between(from, to) => SortRange::Bounded(format!(
            "{} BETWEEN {} AND {}",
            e.name(attr),
            e.value(string(from)),
            e.value(string(to))
        )),
    }
}

/// Cursors are the LastEvaluatedKey (string attributes only) as base64url JSON.
fn encode_cursor(key: &Attrs) -> PortResult<String> {
    let mut json = serde_json::Map::new();
    for (name, value) in key {
        let AttributeValue::S(s) = value else {
            return Err(PortError::Backend(format!(
                "dynamodb LastEvaluatedKey attribute {name} is not a string"
            )));
        };
        json.insert(name.clone(), serde_json::Value::String(s.clone()));
    }
    Ok(URL_SAFE_NO_PAD.encode(serde_json::Value::Object(json).to_string()))
}

/// Decode a cursor and check it came from a query of the same index and partition: DynamoDB
/// would otherwise resume wherever a foreign key happens to sort.
fn decode_cursor(cursor: &str, query: &Query) -> PortResult<Attrs> {
    let invalid = || PortError::Invalid(format!("malformed query cursor {cursor:?}"));
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    let json: HashMap<String, String> = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    let (partition, expected): (&str, &[&str]) = match query.index {
        Index::Primary => (PK, &[PK, SK]),
        Index::Gsi1 => (GSI1PK, &[PK, SK, GSI1PK, GSI1SK]),
    };
    if json.len() != expected.len() || !expected.iter().all(|name| json.contains_key(*name)) {
        return Err(invalid());
    }
    if json.get(partition) != Some(&query.pk) {
        return Err(PortError::Invalid(
            "query cursor belongs to another query".into(),
        ));
    }
    Ok(json
        .into_iter()
        .map(|(k, v)| (k, AttributeValue::S(v)))
        .collect())
}

/// TransactionCanceledException carries one reason per operation, in order; the operations
/// whose condition failed have code `ConditionalCheckFailed`. `None` when the error is not a
/// cancellation or no condition failed (e.g. a conflicting concurrent transaction).
fn failed_conditions<R>(err: &SdkError<TransactWriteItemsError, R>) -> Option<Vec<usize>> {
    let Some(TransactWriteItemsError::TransactionCanceledException(cancel)) =
        err.as_service_error()
    else {
        return None;
    };
    let failed: Vec<usize> = cancel
        .cancellation_reasons()
        .iter()
        .enumerate()
        .filter(|(_, reason)| reason.code() == Some("ConditionalCheckFailed"))
        .map(|(i, _)| i)
        .collect();
    (!failed.is_empty()).then_some(failed)
}

#[async_trait]
impl ItemStore for DynamoItemStore {
    async fn get(&self, key: &Key) -> PortResult<Option<Item>> {
        if !storable(key) {
            return Ok(None);
        }
        let now = self.now();
        // Strongly consistent, like the embedded store: a read after a write sees it.
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key_attrs(key)))
            .consistent_read(true)
            .send()
            .await
            .map_err(|err| sdk_error("dynamodb GetItem", err))?;
        match out.item {
            Some(attrs) => Ok(Some(attrs_to_item(attrs)?).filter(|item| !item.is_expired(now))),
            None => Ok(None),
        }
    }

    async fn put(&self, item: Item, condition: Condition) -> PortResult<()> {
        validate_item(&item)?;
        let mut e = Expr::default();
        let condition = e.condition(&condition, self.now());
        let (names, values) = e.into_parts();
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item_to_attrs(&item)))
            .set_condition_expression(condition)
            .set_expression_attribute_names(names)
            .set_expression_attribute_values(values)
            .send()
            .await
            .map_err(|err| sdk_error("dynamodb PutItem", err))?;
        Ok(())
    }

    async fn update(&self, key: &Key, update: Update, condition: Condition) -> PortResult<Item> {
        validate_update(&update)?;
        let mut attempts = 0;
        loop {
            let now = self.now();
            let mut e = Expr::default();
            let condition_expression = update_condition(&mut e, &condition, now);
            let update_expression = e.update(&update);
            let (names, values) = e.into_parts();
            let result = self
                .client
                .update_item()
                .table_name(&self.table)
                .set_key(Some(key_attrs(key)))
                .set_update_expression(update_expression)
                .set_condition_expression(condition_expression)
                .set_expression_attribute_names(names)
                .set_expression_attribute_values(values)
                .return_values(ReturnValue::AllNew)
                .send()
                .await;
            let err = match result {
                Ok(out) => return attrs_to_item(out.attributes.unwrap_or_default()),
                Err(err) => err,
            };
            let guard_may_have_tripped = may_create(&condition)
                && err
                    .as_service_error()
                    .is_some_and(|e| e.is_conditional_check_failed_exception());
            attempts += 1;
            if !guard_may_have_tripped || attempts >= SWEEP_ATTEMPTS {
                return Err(sdk_error("dynamodb UpdateItem", err));
            }
            // Not swept means the item is live: a genuine NotExists failure. (Under
            // Condition::None it means another writer revived it meanwhile; try again.)
            if !self.sweep_expired(key, now).await? && condition == Condition::NotExists {
                return Err(sdk_error("dynamodb UpdateItem", err));
            }
        }
    }

    async fn delete(&self, key: &Key, condition: Condition) -> PortResult<()> {
        if !storable(key) {
            return match condition {
                Condition::None | Condition::NotExists => Ok(()),
                Condition::Exists | Condition::Equals(..) => {
                    Err(PortError::Conflict(format!("{key:?} does not exist")))
                }
            };
        }
        let mut e = Expr::default();
        let condition = e.condition(&condition, self.now());
        let (names, values) = e.into_parts();
        self.client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key_attrs(key)))
            .set_condition_expression(condition)
            .set_expression_attribute_names(names)
            .set_expression_attribute_values(values)
            .send()
            .await
            .map_err(|err| sdk_error("dynamodb DeleteItem", err))?;
        Ok(())
    }

    async fn query(&self, query: Query) -> PortResult<Page> {
        let start = query
            .cursor
            .as_deref()
            .map(|cursor| decode_cursor(cursor, &query))
            .transpose()?;
        let limit = match query.limit {
            Some(0) => return Err(PortError::Invalid("query limit must be at least 1".into())),
            Some(n) => Some(i32::try_from(n).unwrap_or(i32::MAX)),
            None => None,
        };
        let (pk_attr, sk_attr, index) = match query.index {
            Index::Primary => (PK, SK, None),
            Index::Gsi1 => (GSI1PK, GSI1SK, Some(GSI1)),
        };
        let mut e = Expr::default();
        let partition = format!(
            "{} = {}",
            e.name(pk_attr),
            e.value(AttributeValue::S(query.pk.clone()))
        );
        let key_condition = match sort_range(&mut e, sk_attr, &query.sk) {
            SortRange::Unbounded => partition,
            SortRange::Bounded(range) => format!("{partition} AND {range}"),
            SortRange::Empty => return Ok(Page::default()),
        };
        let live = e.live(self.now());
        let (names, values) = e.into_parts();
        let out = self
            .client
            .query()
            .table_name(&self.table)
            .set_index_name(index.map(String::from))
            .key_condition_expression(key_condition)
            .filter_expression(live)
            .set_expression_attribute_names(names)
            .set_expression_attribute_values(values)
            .scan_index_forward(!query.descending)
            .set_limit(limit)
            .set_exclusive_start_key(start)
            // Global secondary indexes only support eventually consistent reads.
            .consistent_read(query.index == Index::Primary)
            .send()
            .await
            .map_err(|err| sdk_error("dynamodb Query", err))?;
        let items = out
            .items
            .unwrap_or_default()
            .into_iter()
            .map(attrs_to_item)
            .collect::<PortResult<_>>()?;
        let next = out
            .last_evaluated_key
            .as_ref()
            .map(encode_cursor)
            .transpose()?;
        Ok(Page { items, next })
    }

    async fn batch_get(&self, keys: &[Key]) -> PortResult<Vec<Item>> {
        // BatchGetItem rejects a request naming the same key twice, or an empty key string.
        let keys: Vec<&Key> = keys
            .iter()
            .filter(|key| storable(key))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut items = Vec::with_capacity(keys.len());
        for chunk in keys.chunks(BATCH_GET_MAX) {
            let mut request = KeysAndAttributes::builder()
                .set_keys(Some(chunk.iter().map(|key| key_attrs(key)).collect()))
                .consistent_read(true)
                .build()
                .map_err(|err| build_error("dynamodb BatchGetItem", err))?;
            let mut backoff = Backoff::new(UNPROCESSED_RETRIES);
            loop {
                let out = self
                    .client
                    .batch_get_item()
                    .request_items(&self.table, request)
                    .send()
                    .await
                    .map_err(|err| sdk_error("dynamodb BatchGetItem", err))?;
                let found = out
                    .responses
                    .and_then(|mut r| r.remove(&self.table))
                    .unwrap_or_default();
                for attrs in found {
                    items.push(attrs_to_item(attrs)?);
                }
                match out
                    .unprocessed_keys
                    .and_then(|mut left| left.remove(&self.table))
                {
                    Some(left) if !left.keys.is_empty() => request = left,
                    _ => break,
                }
                if !backoff.retry().await {
                    return Err(PortError::Backend(format!(
                        "dynamodb BatchGetItem: {} keys still unprocessed after retries",
                        request.keys.len()
                    )));
                }
            }
        }
        let now = self.now();
        items.retain(|item| !item.is_expired(now));
        Ok(items)
    }

    async fn batch_write(&self, puts: Vec<Item>, deletes: Vec<Key>) -> PortResult<()> {
        puts.iter().try_for_each(validate_item)?;
        // BatchWriteItem refuses a request touching one key twice. Writing the puts in order
        // and then the deletes (what the embedded store does) comes to the same as keeping
        // the last put of each key and dropping the puts of deleted keys.
        let deleted: BTreeSet<&Key> = deletes.iter().collect();
        let mut last_puts: BTreeMap<&Key, &Item> = BTreeMap::new();
        for item in puts.iter().filter(|item| !deleted.contains(&item.key)) {
            last_puts.insert(&item.key, item);
        }
        let mut requests = Vec::with_capacity(last_puts.len() + deleted.len());
        for item in last_puts.into_values() {
            let put = PutRequest::builder()
                .set_item(Some(item_to_attrs(item)))
                .build()
                .map_err(|err| build_error("dynamodb BatchWriteItem", err))?;
            requests.push(WriteRequest::builder().put_request(put).build());
        }
        for key in deleted.into_iter().filter(|key| storable(key)) {
            let delete = DeleteRequest::builder()
                .set_key(Some(key_attrs(key)))
                .build()
                .map_err(|err| build_error("dynamodb BatchWriteItem", err))?;
            requests.push(WriteRequest::builder().delete_request(delete).build());
        }
        for chunk in requests.chunks(BATCH_WRITE_MAX) {
            self.batch_write_chunk(chunk.to_vec()).await?;
        }
        Ok(())
    }

    async fn transact_write(&self, ops: Vec<TxOp>) -> PortResult<()> {
        validate_transaction(&ops)?;
        for op in &ops {
            if let TxOp::Update(_, update, _) = op {
                validate_update(update)?;
            }
        }
        let mut attempts = 0;
        loop {
            let now = self.now();
            let items = ops
                .iter()
                .map(|op| self.transact_item(op, now))
                .collect::<PortResult<Vec<_>>>()?;
            let err = match self
                .client
                .transact_write_items()
                .set_transact_items(Some(items))
                .send()
                .await
            {
                Ok(_) => return Ok(()),
                Err(err) => err,
            };
            let Some(failed) = failed_conditions(&err) else {
                return Err(sdk_error("dynamodb TransactWriteItems", err));
            };
            attempts += 1;
            let mut swept = false;
            if attempts < SWEEP_ATTEMPTS {
                for &i in &failed {
                    if let Some(TxOp::Update(key, _, condition)) = ops.get(i)
                        && may_create(condition)
                    {
                        swept |= self.sweep_expired(key, now).await?;
                    }
                }
            }
            if !swept {
                return Err(PortError::TransactionCanceled { failed });
            }
        }
    }

    async fn health(&self) -> PortResult<String> {
        let out = self
            .client
            .describe_table()
            .table_name(&self.table)
            .send()
            .await
            .map_err(|err| sdk_error("dynamodb DescribeTable", err))?;
        let status = out
            .table
            .and_then(|t| t.table_status)
            .map_or_else(|| "unknown".to_string(), |s| s.as_str().to_string());
        Ok(format!("dynamodb {} ({status})", self.table))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let key: Attrs = HashMap::from([
            (PK.to_string(), AttributeValue::S("p".into())),
            (SK.to_string(), AttributeValue::S("s/é".into())),
        ]);
        let cursor = encode_cursor(&key).unwrap();
        assert!(
            cursor
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_eq!(decode_cursor(&cursor, &Query::partition("p")).unwrap(), key);
        let garbage = URL_SAFE_NO_PAD.encode("[1]");
        for (cursor, query) in [
            (cursor.as_str(), Query::partition("other")),
            (cursor.as_str(), Query::gsi1("p")),
            ("!!", Query::partition("p")),
            (garbage.as_str(), Query::partition("p")),
        ] {
            assert!(matches!(
                decode_cursor(cursor, &query),
                Err(PortError::Invalid(_))
            ));
        }
    }

    #[test]
    fn sort_ranges_never_send_what_dynamodb_rejects() {
        let mut e = Expr::default();
        let range = |e: &mut Expr, sk: SortKey| match sort_range(e, SK, &sk) {
            SortRange::Unbounded => "all".to_string(),
            SortRange::Bounded(s) => s,
            SortRange::Empty => "none".to_string(),
        };
        assert_eq!(range(&mut e, SortKey::Prefix(String::new())), "all");
        assert_eq!(range(&mut e, SortKey::From(String::new())), "all");
        assert_eq!(range(&mut e, SortKey::To(String::new())), "none");
        assert_eq!(
            range(&mut e, SortKey::Between("b".into(), "a".into())),
            "none"
        );
        assert_eq!(
            range(&mut e, SortKey::Between(String::new(), "a".into())),
            "#n0 <= :v0"
        );
        assert_eq!(
            range(&mut e, SortKey::Between("a".into(), "b".into())),
            "#n0 BETWEEN :v1 AND :v2"
        );
    }

    #[test]
    fn updates_may_not_touch_reserved_attributes() {
        assert!(validate_update(&Update::default().set("a", 1).add("n", 1)).is_ok());
        for update in [
            Update::default().set("ttl", 1),
            Update::default().remove("GSI1PK"),
            Update::default().add("PK", 1),
            Update::default().set("a", 1).remove("a"),
        ] {
            assert!(matches!(
                validate_update(&update),
                Err(PortError::Invalid(_))
            ));
        }
    }
}
