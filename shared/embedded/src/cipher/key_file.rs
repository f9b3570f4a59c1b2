//! The secrets key file: 32 random bytes, owner-only, never rewritten once it exists. Losing
//! or replacing it makes every stored secret undecryptable.

use crate::random::random_bytes;
use plasma_core::{PortError, PortResult};
use std::io::{self, Write};
use std::path::Path;

pub(super) const KEY_LEN: usize = 32;

/// The key in `path`, creating it on first use. Two processes starting at once agree on one
/// key: each writes a candidate aside and links it into place only if nothing is there yet,
/// so the loser reads the winner's key.
pub(super) fn load_or_create(path: &Path) -> PortResult<[u8; KEY_LEN]> {
    let fail = |what: &str, e: io::Error| {
        PortError::Backend(format!("{what} the secrets key {}: {e}", path.display()))
    };
    if !path.exists() {
        let dir = path
            .parent()
            .ok_or_else(|| PortError::Backend(format!("{} has no parent", path.display())))?;
        create_private_dir(dir).map_err(|e| fail("creating the directory of", e))?;
        let fresh = random_bytes::<KEY_LEN>()?;
        // tempfile creates the file readable by its owner only (0600 on Unix).
        let candidate = tempfile::Builder::new()
            .prefix(".secrets-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .and_then(|mut temp| {
                temp.write_all(&fresh)?;
                temp.as_file().sync_all()?;
                Ok(temp)
            })
            .map_err(|e| fail("writing", e))?;
        match candidate.persist_noclobber(path) {
            Ok(_) => {}
            Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(fail("writing", e.error)),
        }
    }
    let bytes = std::fs::read(path).map_err(|e| fail("reading", e))?;
    <[u8; KEY_LEN]>::try_from(bytes.as_slice()).map_err(|_| {
        PortError::Backend(format!(
            "{} holds {} bytes, not a {KEY_LEN}-byte key; restore it from a backup (secrets \
             encrypted with it cannot be decrypted without it)",
            path.display(),
            bytes.len()
        ))
    })
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)
}
