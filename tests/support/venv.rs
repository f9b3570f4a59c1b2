//! Python virtualenvs under the cargo target directory for tools the tests run (moto, the MCP
//! SDK), created once and pinned, so a fresh machine needs only `python3` with `venv`.

use std::fs::{self, OpenOptions};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The venv `<target>/<name>` with `requirement` installed (e.g. `mcp==1.30.0`), unless a
/// previous run finished making it; returns its Python. A lock file serialises creation
/// across test processes running at once. `PLASMA_PYTHON` names another base interpreter.
pub fn ensure(target: &Path, name: &str, requirement: &str) -> Result<PathBuf, String> {
    let venv = target.join(name);
    let python = venv.join("bin").join("python");
    let marker = venv.join(format!(
        ".installed-{}",
        requirement.replace(['/', ' '], "_")
    ));
    fs::create_dir_all(target).map_err(|e| format!("creating {}: {e}", target.display()))?;
    let lock_path = target.join(format!("{name}.lock"));
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| format!("opening {}: {e}", lock_path.display()))?;
    lock.lock()
        .map_err(|e| format!("locking {}: {e}", lock_path.display()))?;
    if marker.exists() {
        return Ok(python);
    }
    // A half-built venv (interrupted install, another version) is rebuilt from scratch.
    let _ = fs::remove_dir_all(&venv);
    let system_python = std::env::var("PLASMA_PYTHON").unwrap_or_else(|_| "python3".into());
    run(Command::new(&system_python)
        .arg("-m")
        .arg("venv")
        .arg(&venv))?;
    run(Command::new(&python).args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        requirement,
    ]))?;
    fs::write(&marker, b"").map_err(|e| format!("writing {}: {e}", marker.display()))?;
    Ok(python)
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let out = cmd.output().map_err(|e| format!("running {cmd:?}: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    Err(format!(
        "{cmd:?} failed with {}:\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    ))
}
