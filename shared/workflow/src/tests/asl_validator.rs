//! Checks compiled state machines with the `asl-validator` npm package, the same check CI
//! relies on. The package is installed once into the target directory; without node and
//! npm these tests fail with a message saying so rather than skip, so a machine without
//! them can't pass the suite unchecked.

use super::{kitchen_sink, research};
use crate::compile_asl;
use serde_json::Value;
use std::fs::{self, OpenOptions};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Pinned so every machine checks against the same rules.
const VERSION: &str = "4.0.0";
const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:agent-step";

static INSTALLED: OnceLock<Result<PathBuf, String>> = OnceLock::new();

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"))
}

/// The installed CLI, installing it on first use.
fn validator() -> PathBuf {
    match INSTALLED.get_or_init(install) {
        Ok(cli) => cli.clone(),
        Err(why) => panic!("asl-validator is needed to check the compiled ASL: {why}"),
    }
}

/// Installs the pinned package under `target/asl-validator` unless a previous run did; a
/// lock file keeps test processes running at once from installing over each other.
fn install() -> Result<PathBuf, String> {
    let target = target_dir();
    let dir = target.join("asl-validator");
    let cli = dir.join("node_modules/.bin/asl-validator");
    let marker = dir.join(format!(".installed-{VERSION}"));
    fs::create_dir_all(&target).map_err(|e| format!("creating {}: {e}", target.display()))?;
    let lock_path = target.join("asl-validator.lock");
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| format!("opening {}: {e}", lock_path.display()))?;
    lock.lock()
        .map_err(|e| format!("locking {}: {e}", lock_path.display()))?;
    // Checked even when installed: the CLI is a node script.
    run(Command::new("node").arg("--version")).map_err(|e| {
        format!("node is missing (CI installs it; install Node.js 18 or later): {e}")
    })?;
    if marker.exists() {
        return Ok(cli);
    }
    // A half-done install (interrupted, other version) starts over.
    let _ = fs::remove_dir_all(&dir);
    run(Command::new("npm").args([
        "install",
        "--prefix",
        &dir.to_string_lossy(),
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        &format!("asl-validator@{VERSION}"),
    ]))?;
    fs::write(&marker, b"").map_err(|e| format!("writing {}: {e}", marker.display()))?;
    Ok(cli)
}

fn run(command: &mut Command) -> Result<String, String> {
    let output = command
        .output()
        .map_err(|e| format!("running {command:?}: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if output.status.success() {
        Ok(text)
    } else {
        Err(format!(
            "{command:?} exited with {}:\n{text}",
            output.status
        ))
    }
}

/// Runs the CLI on a state machine; `Err` holds its report.
fn check(name: &str, asl: &Value) -> Result<String, String> {
    static FILES: AtomicUsize = AtomicUsize::new(0);
    let cli = validator();
    let file = cli
        .parent()
        .and_then(Path::parent)
        .and_then(Path::parent)
        .expect("the CLI sits in node_modules/.bin")
        .join(format!(
            "{name}-{}-{}.json",
            std::process::id(),
            FILES.fetch_add(1, Ordering::Relaxed)
        ));
    fs::write(
        &file,
        serde_json::to_vec_pretty(asl).expect("ASL serializes"),
    )
    .expect("writes the ASL");
    // `--json-path` rather than `--json-definition`: the CLI reports a definition it can't
    // parse from a file as an error, but one passed inline only as a log line, exiting 0.
    let result = run(Command::new(&cli).arg("--json-path").arg(&file));
    let _ = fs::remove_file(&file);
    result
}

#[test]
fn the_compiled_example_is_valid_asl() {
    let report =
        check("research", &compile_asl(&research(), ARN)).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.contains("is valid"), "{report}");
}

#[test]
fn the_compiled_kitchen_sink_is_valid_asl() {
    let report =
        check("kitchen-sink", &compile_asl(&kitchen_sink(), ARN)).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.contains("is valid"), "{report}");
}

/// The check itself can fail: a transition to a state that doesn't exist is reported.
#[test]
fn the_validator_rejects_a_broken_machine() {
    let mut asl = compile_asl(&research(), ARN);
    asl["States"]["route"]["Default"] = "nowhere".into();
    let report = check("broken", &asl).expect_err("a dangling Default is invalid");
    assert!(report.contains("nowhere"), "{report}");
}

/// What template.yaml deploys (with its `DefinitionSubstitutions` placeholder in place).
#[test]
fn the_deployed_example_is_valid_asl() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../infra/workflows/research-and-draft.asl.json");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let asl: Value = serde_json::from_str(&text).expect("the deployed ASL is JSON");
    let report = check("deployed", &asl).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.contains("is valid"), "{report}");
}

/// A replay's state machine, which starts at a later step with a whole context.
#[test]
fn the_compiled_resume_machine_is_valid_asl() {
    let asl = crate::compile_asl_from(&research(), ARN, "review");
    assert_eq!(asl["StartAt"], crate::asl::RESUME_STATE);
    assert_eq!(
        asl["States"][crate::asl::RESUME_STATE]["Choices"][0]["Next"],
        "review"
    );
    let report = check("resume", &asl).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.contains("is valid"), "{report}");
}
