use super::key_file::KEY_LEN;
use super::*;
use std::sync::{Arc, Barrier};

fn context(tenant: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("tenant".to_string(), tenant.to_string()),
        ("purpose".to_string(), "publishing".to_string()),
    ])
}

fn open(dir: &Path) -> LocalCipher {
    LocalCipher::open(&dir.join("keys").join("secrets.key")).expect("open cipher")
}

#[tokio::test]
async fn layout_is_version_key_id_nonce_sealed_tag() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cipher = open(dir.path());
    let ciphertext = cipher.encrypt(b"token", &context("acme")).await.unwrap();
    assert_eq!(ciphertext.len(), HEADER_LEN + 5 + TAG_LEN);
    assert_eq!(ciphertext[0], VERSION);
    assert_eq!(ciphertext[1..1 + KEY_ID_LEN], cipher.key_id);
}

#[tokio::test]
async fn every_altered_byte_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cipher = open(dir.path());
    let ctx = context("acme");
    let ciphertext = cipher.encrypt(b"token", &ctx).await.unwrap();
    for i in 0..ciphertext.len() {
        let mut altered = ciphertext.clone();
        altered[i] ^= 0x01;
        match cipher.decrypt(&altered, &ctx).await {
            Err(PortError::Invalid(m)) if m.contains("cannot be decrypted") => {}
            other => panic!("byte {i} altered: {other:?}"),
        }
    }
    for len in [0, HEADER_LEN + TAG_LEN - 1] {
        match cipher.decrypt(&ciphertext[..len], &ctx).await {
            Err(PortError::Invalid(m)) if m.contains("too short") => {}
            other => panic!("{len} bytes: {other:?}"),
        }
    }
}

#[test]
fn aad_length_prefixes_keys_and_values() {
    let one = |k: &str, v: &str| BTreeMap::from([(k.to_string(), v.to_string())]);
    assert_ne!(aad(&one("ab", "c")), aad(&one("a", "bc")));
    let prefixed = |c: u8| [0, 0, 0, 0, 0, 0, 0, 1, c];
    assert_eq!(
        aad(&one("a", "b")),
        [prefixed(b'a'), prefixed(b'b')].concat()
    );
    assert!(aad(&BTreeMap::new()).is_empty());
}

#[test]
fn processes_starting_at_once_agree_on_one_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let start = Arc::new(Barrier::new(8));
    let ids: Vec<[u8; KEY_ID_LEN]> = (0..8)
        .map(|_| {
            let (dir, start) = (dir.path().to_path_buf(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                open(&dir).key_id
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().expect("opener thread"))
        .collect();
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("keys"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["secrets.key"], "no candidate files are left");
}

#[test]
fn a_damaged_key_file_is_reported_not_replaced() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("secrets.key");
    std::fs::write(&path, [7u8; KEY_LEN - 1]).unwrap();
    match LocalCipher::open(&path) {
        Err(PortError::Backend(m)) => assert!(m.contains("31 bytes, not a 32-byte key"), "{m}"),
        Err(other) => panic!("{other:?}"),
        Ok(_) => panic!("a truncated key file was accepted"),
    }
    assert_eq!(std::fs::read(&path).unwrap(), [7u8; KEY_LEN - 1]);
}

#[cfg(unix)]
#[test]
fn keys_directory_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    open(dir.path());
    let mode = std::fs::metadata(dir.path().join("keys"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o700);
}
