//! Embedded adapters for the Plasma Engine ports, used by the local runner: SQLite for items,
//! the queue and one-time schedules, files for blobs, an in-process event bus that routes
//! through the durable queue, and AES-256-GCM under a key file for secrets. Every adapter
//! that keeps time takes the injected [`Clock`], so tests drive time.

mod blobs;
mod bus;
mod cipher;
mod items;
mod queue;
mod random;
mod scheduler;
mod sqlite;
#[cfg(test)]
mod test_support;

pub use blobs::FileBlobStore;
pub use bus::EmbeddedEventBus;
pub use cipher::LocalCipher;
pub use items::SqliteItemStore;
pub use queue::SqliteQueue;
pub use scheduler::EmbeddedScheduler;

use plasma_core::{Clock, IdGen, PortError, PortResult, QueueSpec, Rule};
use std::path::Path;
use std::sync::Arc;

/// Every embedded adapter, opened over one data directory:
/// `items.db`, `queue.db`, `schedules.db`, `blobs/` and `keys/secrets.key`.
pub struct Embedded {
    pub items: Arc<SqliteItemStore>,
    pub blobs: Arc<FileBlobStore>,
    pub queue: Arc<SqliteQueue>,
    pub bus: Arc<EmbeddedEventBus>,
    pub scheduler: Arc<EmbeddedScheduler>,
    pub cipher: Arc<LocalCipher>,
}

impl Embedded {
    pub fn open(
        data_dir: &Path,
        specs: Vec<QueueSpec>,
        rules: Vec<Rule>,
        upload_base_url: String,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdGen>,
    ) -> PortResult<Embedded> {
        std::fs::create_dir_all(data_dir)
            .map_err(|e| PortError::Backend(format!("creating {}: {e}", data_dir.display())))?;
        let cipher = Arc::new(LocalCipher::open(
            &data_dir.join("keys").join("secrets.key"),
        )?);
        let items = Arc::new(SqliteItemStore::open(
            &data_dir.join("items.db"),
            Arc::clone(&clock),
        )?);
        let blobs = Arc::new(FileBlobStore::open(
            &data_dir.join("blobs"),
            Arc::clone(&clock),
            upload_base_url,
        )?);
        let queue = Arc::new(SqliteQueue::open(
            &data_dir.join("queue.db"),
            specs,
            Arc::clone(&clock),
            Arc::clone(&ids),
        )?);
        let bus = Arc::new(EmbeddedEventBus::new(
            queue.clone(),
            rules,
            Arc::clone(&clock),
            ids,
        ));
        let scheduler = Arc::new(EmbeddedScheduler::open(
            &data_dir.join("schedules.db"),
            queue.clone(),
            clock,
        )?);
        Ok(Embedded {
            items,
            blobs,
            queue,
            bus,
            scheduler,
            cipher,
        })
    }
}
