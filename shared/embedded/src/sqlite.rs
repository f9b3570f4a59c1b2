//! SQLite plumbing shared by the item store, the queue and the scheduler: one connection per
//! database file, used from blocking threads so the async runtime never waits on disk.

use plasma_core::{PortError, PortResult};
use rusqlite::Connection;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long a writer waits for another connection (possibly in another process sharing the
/// file) to finish before the call fails with a backend error.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub(crate) struct Db {
    conn: Arc<Mutex<Connection>>,
    /// File name, for health reports.
    pub(crate) name: String,
}

impl Db {
    /// Open (creating if needed) the database at `path` and apply `schema`, which must be
    /// idempotent (`CREATE ... IF NOT EXISTS`) because every process sharing the file runs it.
    pub(crate) fn open(path: &Path, schema: &str) -> PortResult<Self> {
        let conn = Connection::open(path)
            .map_err(|e| PortError::Backend(format!("opening {}: {e}", path.display())))?;
        conn.busy_timeout(BUSY_TIMEOUT).db()?;
        // WAL lets readers run beside the writer, including one in another process. NORMAL
        // sync keeps every committed transaction across a process crash (kill -9); only a
        // power loss may drop the last few commits, which is fine for a local runner.
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0))
            .db()?;
        conn.pragma_update(None, "synchronous", "NORMAL").db()?;
        conn.execute_batch(schema).db()?;
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
            name,
        })
    }

    /// Run `work` on the calling thread; for setup in synchronous constructors only.
    pub(crate) fn run_now<T>(
        &self,
        work: impl FnOnce(&mut Connection) -> PortResult<T>,
    ) -> PortResult<T> {
        let mut conn = self
            .conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        work(&mut conn)
    }

    /// Run `work` on the connection in a blocking thread. Calls from many tasks queue on the
    /// connection's lock; other processes are kept out by SQLite's own file locking.
    pub(crate) async fn call<T, F>(&self, work: F) -> PortResult<T>
    where
        F: FnOnce(&mut Connection) -> PortResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            // A panic inside `work` dropped its transaction, which rolled back: the
            // connection is still consistent, so a poisoned lock is safe to reuse.
            let mut conn = conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            work(&mut conn)
        })
        .await
        .map_err(PortError::backend)?
    }
}

/// Maps SQLite errors onto the port's retryable backend error.
pub(crate) trait SqlResult<T> {
    fn db(self) -> PortResult<T>;
}

impl<T> SqlResult<T> for rusqlite::Result<T> {
    fn db(self) -> PortResult<T> {
        self.map_err(|e| PortError::Backend(format!("sqlite: {e}")))
    }
}

/// The smallest string greater than every string starting with `prefix`, so that a prefix
/// match becomes an index range `>= prefix AND < end`. `None` when no such bound exists
/// (empty prefix, or one made only of `char::MAX`). UTF-8 byte order equals code point order,
/// so bumping the last character is exact under SQLite's binary collation.
pub(crate) fn prefix_end(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let next = match last {
            '\u{D7FF}' => Some('\u{E000}'),
            c => char::from_u32(c as u32 + 1),
        };
        if let Some(next) = next {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// A `COUNT(*)` column; SQLite hands integers out as i64.
pub(crate) fn count_at(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<u64> {
    Ok(u64::try_from(row.get::<_, i64>(index)?).unwrap_or(0))
}

/// Milliseconds since the epoch, the unit the queue stores times in.
pub(crate) fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::prefix_end;

    #[test]
    fn prefix_end_bounds_exactly_the_prefixed_strings() {
        assert_eq!(prefix_end("ab").as_deref(), Some("ac"));
        assert_eq!(prefix_end("a\u{D7FF}").as_deref(), Some("a\u{E000}"));
        assert_eq!(prefix_end("a\u{10FFFF}").as_deref(), Some("b"));
        assert_eq!(prefix_end(""), None);
        let end = prefix_end("ab").unwrap_or_default();
        for inside in ["ab", "ab\u{10FFFF}\u{10FFFF}", "abz"] {
            assert!(inside < end.as_str());
        }
    }
}
