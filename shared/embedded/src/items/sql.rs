//! The items table: one row per item, keys in columns, attributes as a JSON object.

use super::cursor::Cursor;
use crate::sqlite::{SqlResult, count_at, prefix_end};
use plasma_core::{Index, Item, Key, Page, PortError, PortResult, Query, SortKey};
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};
use serde_json::{Map, Value};

pub(crate) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS items (
    pk TEXT NOT NULL,
    sk TEXT NOT NULL,
    gsi1pk TEXT,
    gsi1sk TEXT,
    expires_at INTEGER,
    attrs TEXT NOT NULL,
    PRIMARY KEY (pk, sk)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS items_gsi1 ON items (gsi1pk, gsi1sk);
";

const COLUMNS: &str = "pk, sk, gsi1pk, gsi1sk, expires_at, attrs";
const VISIBLE: &str = "(expires_at IS NULL OR expires_at > ?)";

/// The item at `key`, unless it is absent or expired at `now`.
pub(crate) fn load(conn: &Connection, key: &Key, now: i64) -> PortResult<Option<Item>> {
    let sql = format!("SELECT {COLUMNS} FROM items WHERE pk = ? AND sk = ? AND {VISIBLE}");
    let row = conn
        .query_row(&sql, params![key.pk, key.sk, now], raw_row)
        .optional()
        .db()?;
    row.map(into_item).transpose()
}

pub(crate) fn store(conn: &Connection, item: &Item) -> PortResult<()> {
    let attrs = serde_json::to_string(&item.attrs).map_err(PortError::backend)?;
    let (gpk, gsk) = item.gsi1.as_ref().map(|k| (&k.pk, &k.sk)).unzip();
    conn.execute(
        &format!("INSERT OR REPLACE INTO items ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)"),
        params![item.key.pk, item.key.sk, gpk, gsk, item.expires_at, attrs],
    )
    .db()?;
    Ok(())
}

pub(crate) fn remove(conn: &Connection, key: &Key) -> PortResult<()> {
    conn.execute(
        "DELETE FROM items WHERE pk = ? AND sk = ?",
        params![key.pk, key.sk],
    )
    .db()?;
    Ok(())
}

/// Physically drop expired items, as DynamoDB's TTL sweeper eventually does; readers never
/// see them either way.
pub(crate) fn purge_expired(conn: &Connection, now: i64) -> PortResult<usize> {
    conn.execute("DELETE FROM items WHERE expires_at <= ?", [now])
        .db()
}

pub(crate) fn count_visible(conn: &Connection, now: i64) -> PortResult<u64> {
    conn.query_row(
        &format!("SELECT COUNT(*) FROM items WHERE {VISIBLE}"),
        [now],
        |r| count_at(r, 0),
    )
    .db()
}

/// One page of `query`. Items come in (sort key, then primary key for GSI1 ties) order, so a
/// cursor naming the last item resumes exactly after it.
pub(crate) fn query(conn: &Connection, query: &Query, now: i64) -> PortResult<Page> {
    let limit = match query.limit {
        Some(0) => return Err(PortError::Invalid("query limit must be at least 1".into())),
        Some(n) => Some(n as usize),
        None => None,
    };
    let (pk_col, sk_col) = match query.index {
        Index::Primary => ("pk", "sk"),
        Index::Gsi1 => ("gsi1pk", "gsi1sk"),
    };
    let mut sql = format!("SELECT {COLUMNS} FROM items WHERE {pk_col} = ? AND {VISIBLE}");
    let mut args = vec![SqlValue::from(query.pk.clone()), SqlValue::from(now)];
    let mut bound = |sql: &mut String, op: &str, value: &str| {
        sql.push_str(&format!(" AND {sk_col} {op} ?"));
        args.push(SqlValue::from(value.to_owned()));
    };
    match &query.sk {
        SortKey::All => {}
        SortKey::Prefix(prefix) => {
            bound(&mut sql, ">=", prefix);
            if let Some(end) = prefix_end(prefix) {
                bound(&mut sql, "<", &end);
            }
        }
        SortKey::Between(from, to) => {
            bound(&mut sql, ">=", from);
            bound(&mut sql, "<=", to);
        }
        SortKey::From(from) => bound(&mut sql, ">=", from),
        SortKey::To(to) => bound(&mut sql, "<=", to),
    }
    let (cmp, dir) = if query.descending {
        ("<", "DESC")
    } else {
        (">", "ASC")
    };
    if let Some(text) = &query.cursor {
        let cursor = Cursor::decode(text, query)?;
        match (query.index, cursor.gsi1) {
            (Index::Primary, _) => {
                sql.push_str(&format!(" AND sk {cmp} ?"));
                args.push(SqlValue::from(cursor.key.sk));
            }
            (Index::Gsi1, Some(gsi1)) => {
                sql.push_str(&format!(" AND (gsi1sk, pk, sk) {cmp} (?, ?, ?)"));
                args.extend([gsi1.sk, cursor.key.pk, cursor.key.sk].map(SqlValue::from));
            }
            (Index::Gsi1, None) => return Err(PortError::Invalid("malformed query cursor".into())),
        }
    }
    match query.index {
        Index::Primary => sql.push_str(&format!(" ORDER BY sk {dir}")),
        Index::Gsi1 => sql.push_str(&format!(" ORDER BY gsi1sk {dir}, pk {dir}, sk {dir}")),
    }
    if let Some(limit) = limit {
        // One extra row tells whether another page exists, so the last page has no cursor.
        sql.push_str(" LIMIT ?");
        args.push(SqlValue::from(limit as i64 + 1));
    }
    let mut stmt = conn.prepare(&sql).db()?;
    let mut items = stmt
        .query_map(params_from_iter(args), raw_row)
        .db()?
        .map(|row| row.db().and_then(into_item))
        .collect::<PortResult<Vec<_>>>()?;
    let next = match limit {
        Some(limit) if items.len() > limit => {
            items.truncate(limit);
            items
                .last()
                .map(|last| Cursor::after(last, query.index).encode())
                .transpose()?
        }
        _ => None,
    };
    Ok(Page { items, next })
}

type RawRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
    String,
);

fn raw_row(row: &Row<'_>) -> rusqlite::Result<RawRow> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
    ))
}

fn into_item((pk, sk, gpk, gsk, expires_at, attrs): RawRow) -> PortResult<Item> {
    let key = Key { pk, sk };
    let attrs: Map<String, Value> = serde_json::from_str(&attrs)
        .map_err(|e| PortError::Backend(format!("stored item {key:?} is malformed: {e}")))?;
    Ok(Item {
        gsi1: gpk.zip(gsk).map(|(pk, sk)| Key { pk, sk }),
        expires_at,
        attrs,
        key,
    })
}
