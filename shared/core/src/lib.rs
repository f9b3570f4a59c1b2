//! Plasma Engine core: the domain's shared types and the ports (traits) every capability
//! depends on. Adapters live elsewhere: `plasma-embedded` (SQLite, files) and `plasma-aws`
//! (DynamoDB, S3, SQS, EventBridge, EventBridge Scheduler). Nothing in here performs I/O.

pub mod blob;
pub mod cipher;
pub mod clock;
pub mod config;
pub mod embed;
pub mod error;
pub mod events;
pub mod item;
pub mod keys;
pub mod llm;
pub mod queue;
pub mod schedule;
pub mod search;
pub mod workflow;

/// The `tracing` target of the debug event each capability's constructor emits: the
/// composition builds every capability once per process, and a test counts these.
pub const BUILT: &str = "plasma::built";

pub use blob::{Blob, BlobMeta, BlobPage, BlobStore, PresignedUpload, PutOptions};
pub use cipher::{Cipher, MAX_SECRET_BYTES};
pub use clock::{Clock, IdGen, ManualClock, SequentialIds, SystemClock, UuidV7Ids};
pub use config::{AwsConfig, Backend, Config, ConfigError};
pub use embed::{EmbedKind, Embedder, EmbeddingModel};
pub use error::{PortError, PortResult};
pub use events::{Event, EventBus, EventEnvelope, Rule};
pub use item::{Condition, Index, Item, ItemStore, Key, Page, Query, SortKey, TxOp, Update};
pub use llm::{Completion, CompletionOutput, Llm, Message, Role};
pub use queue::{OutMessage, Queue, QueueDepth, QueueSpec, Received};
pub use schedule::{OneTimeSchedule, ScheduleExpression, Scheduler};
pub use search::{
    Fusion, IndexedChunk, SearchFilters, SearchHit, SearchIndex, SearchMode, SearchRequest, fuse,
};
pub use workflow::{RemoteExecution, StateMachines};
