//! The embedding model an index's vectors came from, kept in `model.json` beside the index.

use plasma_core::{EmbeddingModel, PortError, PortResult};
use std::path::{Path, PathBuf};

pub(crate) struct ModelFile {
    path: PathBuf,
}

impl ModelFile {
    pub(crate) fn new(dir: &Path) -> Self {
        ModelFile {
            path: dir.join("model.json"),
        }
    }

    pub(crate) fn read(&self) -> PortResult<Option<EmbeddingModel>> {
        match std::fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| PortError::Backend(format!("{}: {e}", self.path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(PortError::backend(e)),
        }
    }

    /// Written to a temporary file and renamed, so a crash never leaves half a record.
    pub(crate) fn write(&self, model: &EmbeddingModel) -> PortResult<()> {
        let tmp = self.path.with_extension("json.tmp");
        let json = serde_json::to_vec_pretty(model).map_err(PortError::backend)?;
        std::fs::write(&tmp, json).map_err(PortError::backend)?;
        std::fs::rename(&tmp, &self.path).map_err(PortError::backend)
    }
}

/// `Conflict` naming both models unless `wanted` is the one recorded.
pub(crate) fn check(recorded: &EmbeddingModel, wanted: &EmbeddingModel) -> PortResult<()> {
    if recorded == wanted {
        Ok(())
    } else {
        Err(PortError::Conflict(format!(
            "the index holds vectors of {} ({} dimensions); {} ({} dimensions) cannot be mixed with them",
            recorded.model, recorded.dimension, wanted.model, wanted.dimension
        )))
    }
}
