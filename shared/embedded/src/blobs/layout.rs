//! Where a blob key lives on disk. Each `/`-separated segment is percent-encoded (everything
//! but `[a-z0-9._-]`, so case-insensitive file systems cannot merge `A` and `a`) and given a
//! suffix: `.d` for a directory, `.f` for a body, `.m` for its metadata sidecar. The suffixes
//! keep a key `a` and a key `a/b` (a file and a directory of the same name in S3 terms) apart,
//! and temp files (`.tmp`) can never be mistaken for a blob.

use plasma_core::blob::validate_key;
use plasma_core::{PortError, PortResult};
use std::fmt::Write as _;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use tempfile::NamedTempFile;

const DIR_SUFFIX: &str = ".d";
const BODY_SUFFIX: &str = ".f";
const META_SUFFIX: &str = ".m";
/// Most bytes in one file name on common file systems.
const MAX_NAME: usize = 255;

pub(crate) struct BlobPaths {
    pub(crate) body: PathBuf,
    pub(crate) meta: PathBuf,
}

/// The paths of `key`'s body and sidecar under `root`; refuses keys `validate_key` refuses,
/// so no key can name a path outside `root`.
pub(crate) fn paths(root: &Path, key: &str) -> PortResult<BlobPaths> {
    validate_key(key)?;
    let (dirs, last) = key
        .rsplit_once('/')
        .map_or((None, key), |(d, l)| (Some(d), l));
    let mut dir = root.to_path_buf();
    for segment in dirs.into_iter().flat_map(|d| d.split('/')) {
        dir.push(name(segment, DIR_SUFFIX)?);
    }
    Ok(BlobPaths {
        body: dir.join(name(last, BODY_SUFFIX)?),
        meta: dir.join(name(last, META_SUFFIX)?),
    })
}

fn name(segment: &str, suffix: &str) -> PortResult<String> {
    let mut out = String::with_capacity(segment.len() + suffix.len());
    for b in segment.bytes() {
        if b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out.push_str(suffix);
    if out.len() > MAX_NAME {
        return Err(PortError::Invalid(format!(
            "blob key segment {segment:?} is too long for the embedded store"
        )));
    }
    Ok(out)
}

/// The segment a file or directory name encodes, if it is one of ours with `suffix`.
fn decode(file_name: &str, suffix: &str) -> Option<String> {
    let encoded = file_name.strip_suffix(suffix)?.as_bytes();
    let mut bytes = Vec::with_capacity(encoded.len());
    let mut i = 0;
    while i < encoded.len() {
        if encoded[i] == b'%' {
            let hex = std::str::from_utf8(encoded.get(i + 1..i + 3)?).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            bytes.push(encoded[i]);
            i += 1;
        }
    }
    String::from_utf8(bytes).ok()
}

/// Every key under `root` starting with `prefix`, unsorted. Directories that cannot hold such
/// a key are not entered.
pub(crate) fn keys_with_prefix(root: &Path, prefix: &str) -> io::Result<Vec<String>> {
    let mut keys = Vec::new();
    let mut pending = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, above)) = pending.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        for entry in entries {
            let entry = entry?;
            let Some(file_name) = entry.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            if let Some(segment) = decode(&file_name, DIR_SUFFIX).filter(|_| entry.path().is_dir())
            {
                let path = format!("{above}{segment}/");
                if path.starts_with(prefix) || prefix.starts_with(&path) {
                    pending.push((entry.path(), path));
                }
            } else if let Some(segment) = decode(&file_name, BODY_SUFFIX) {
                let key = format!("{above}{segment}");
                // A stray file that decodes to no valid key is not a blob.
                if key.starts_with(prefix) && validate_key(&key).is_ok() {
                    keys.push(key);
                }
            }
        }
    }
    Ok(keys)
}

/// Write `bytes` to a synced temp file beside `path`; `persist(path)` then replaces `path`
/// all at once: readers see the old file or the new one, never a part, and after a crash the
/// file is whole (old or new). An unpersisted temp file deletes itself when dropped.
pub(crate) fn stage(path: &Path, bytes: &[u8]) -> io::Result<NamedTempFile> {
    let dir = path
        .parent()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "blob path has no parent"))?;
    fs::create_dir_all(dir)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    Ok(temp)
}

/// Make the renames in `dir` durable; file systems that cannot sync a directory are skipped.
pub(crate) fn sync_dir(dir: &Path) {
    if let Ok(handle) = fs::File::open(dir) {
        let _ = handle.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_round_trip_and_cannot_collide() {
        let root = Path::new("/data");
        let a = paths(root, "a").unwrap();
        let ab = paths(root, "a/b").unwrap();
        assert_eq!(a.body, Path::new("/data/a.f"));
        assert_eq!(ab.body, Path::new("/data/a.d/b.f"));
        assert_eq!(paths(root, "A").unwrap().body, Path::new("/data/%41.f"));
        for segment in ["Ü x%", "...", "a.f", "a.d"] {
            let encoded = name(segment, BODY_SUFFIX).unwrap();
            assert_eq!(decode(&encoded, BODY_SUFFIX).as_deref(), Some(segment));
            assert_eq!(decode(&encoded, DIR_SUFFIX), None);
        }
    }
}
