//! A real MCP client nobody on this team wrote: the Python MCP SDK, installed on first use
//! into a venv under the cargo target directory, driven by a short script. An install that
//! cannot reach PyPI fails the test that asked for it; it never skips.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

/// Pinned so every machine runs the same client: the newest 1.x on PyPI when written.
pub const MCP_VERSION: &str = "1.30.0";

/// Initializes, lists the tools, calls each `[name, arguments]` of the JSON list given as
/// its third argument, and prints one JSON line. Refused, it prints the HTTP status.
const SCRIPT: &str = r#"
import asyncio, json, sys
import httpx
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

async def run(url, token, calls):
    headers = {"Authorization": f"Bearer {token}"} if token != "-" else {}
    async with httpx.AsyncClient(headers=headers, timeout=60) as http:
        async with streamable_http_client(url, http_client=http) as (read, write, _):
            async with ClientSession(read, write) as session:
                init = await session.initialize()
                listed = await session.list_tools()
                results = []
                for name, arguments in calls:
                    result = await session.call_tool(name, arguments)
                    results.append(result.model_dump(mode="json", by_alias=True, exclude_none=True))
    return {
        "protocol": init.protocolVersion,
        "server": init.serverInfo.name,
        "tools": [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in listed.tools],
        "results": results,
    }

def http_status(error):
    # The SDK fails from inside a task group, so the HTTP error sits in an exception group.
    if isinstance(error, httpx.HTTPStatusError):
        return error.response.status_code
    for inner in getattr(error, "exceptions", ()):
        status = http_status(inner)
        if status is not None:
            return status
    return None

url, token, calls = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
try:
    print(json.dumps(asyncio.run(asyncio.wait_for(run(url, token, calls), 90))))
except BaseException as error:
    print(json.dumps({"refused": http_status(error), "error": repr(error)}))
    sys.exit(1)
"#;

/// The venv's Python, with the pinned SDK.
pub fn ensure_venv() -> Result<PathBuf, String> {
    crate::venv::ensure(&target_dir(), "mcp-venv", &format!("mcp=={MCP_VERSION}"))
}

/// Runs the client against `url` (`token` `None`: no Authorization header).
pub async fn run_client(python: &Path, url: &str, token: Option<&str>, calls: &Value) -> Output {
    let mut command = tokio::process::Command::new(python);
    command
        .arg("-c")
        .arg(SCRIPT)
        .arg(url)
        .arg(token.unwrap_or("-"))
        .arg(calls.to_string())
        .kill_on_drop(true);
    tokio::time::timeout(Duration::from_secs(150), command.output())
        .await
        .expect("the Python client did not finish within 150 s")
        .expect("the Python client could not start")
}

/// The client's JSON line.
pub fn last_json_line(out: &Output) -> Value {
    let stdout = String::from_utf8_lossy(&out.stdout);
    stdout
        .lines()
        .rev()
        .find_map(|line| serde_json::from_str(line).ok())
        .unwrap_or_else(|| panic!("no JSON from the Python client:\n{}", describe(out)))
}

pub fn describe(out: &Output) -> String {
    format!(
        "exit {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The cargo target directory: test binaries run from `<target>/<profile>/deps/`.
fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    exe.ancestors()
        .nth(3)
        .expect("the test binary sits in <target>/<profile>/deps")
        .to_path_buf()
}
