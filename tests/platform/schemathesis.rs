//! The OpenAPI document is exact: schemathesis (a contract fuzzer from PyPI, installed into a
//! pinned venv) runs against a real runner with an admin token and must find nothing. Its
//! checks: no 5xx, only documented status codes and content types, and bodies that match their
//! schemas; its stateful phase follows the document's links from each create to the reads,
//! updates and deletes of what it created, so real ids are exercised, not only 404s.

use crate::common::TestApp;
use plasma_gateway::rate_limit::RateLimits;
use plasma_platform::Settings;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

/// Pinned so every machine fuzzes alike (latest on PyPI when the test was written).
const SCHEMATHESIS: &str = "schemathesis==4.32.5";

const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
                      response_schema_conformance";

const ALL_PHASES: &str = "examples,coverage,fuzzing,stateful";

/// Cases per operation and phase, and scenarios of the stateful phase run alone: small enough
/// for CI on two cores, and with the deterministic mode the same cases every run, so a finding
/// reproduces.
const MAX_EXAMPLES: &str = "4";
const STATEFUL_EXAMPLES: &str = "40";

/// Runs schemathesis's command line. CPython before 3.11.8 can fail `ast.parse` called deep in
/// a stack with a SystemError ("AST constructor recursion depth mismatch", CPython gh-106905);
/// hypothesis parses source only to name a lambda in a strategy's repr and already falls back
/// to `<unknown>` on a SyntaxError, so that error is turned into one. Generation is unchanged.
const CLI: &str = r#"
import ast, sys, types
import hypothesis.internal.lambda_sources as sources

def parse(source, *args, **kwargs):
    try:
        return ast.parse(source, *args, **kwargs)
    except SystemError as e:
        raise SyntaxError(str(e)) from e

if sys.version_info < (3, 11, 8):
    sources.ast = types.SimpleNamespace(**{**vars(ast), "parse": parse})
sys.argv[0] = "schemathesis"
from schemathesis.cli import schemathesis
sys.exit(schemathesis())
"#;

/// Far above the slowest run seen, so only a wedged fuzzer trips it.
const TIMEOUT: Duration = Duration::from_secs(600);

/// The fuzzer sends thousands of requests as one principal; the rate limiter's 429 is in the
/// document, but a run that mostly gets 429s exercises nothing else.
fn unlimited() -> Settings {
    let limits = r#"{"plans": {"fuzz": {"tenant_per_minute": 1000000,
        "principal_per_minute": 1000000}}, "default_plan": "fuzz"}"#;
    Settings {
        rate_limits: RateLimits::parse(limits).expect("valid limits"),
        ..Settings::default()
    }
}

/// `API Links: N covered / ...` from the stateful phase's summary.
fn links_covered(report: &str) -> u32 {
    report
        .lines()
        .find_map(|line| line.trim().strip_prefix("API Links:"))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_nothing_the_document_does_not_say() {
    let app = TestApp::spawn_with(unlimited()).await;
    let token = app.token("fuzz", &["admin"]);
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target");
    let python = tokio::task::spawn_blocking(move || {
        plasma_tests::venv::ensure(&target, "schemathesis-venv", SCHEMATHESIS)
    })
    .await
    .expect("venv thread")
    .unwrap_or_else(|e| panic!("installing {SCHEMATHESIS}: {e}"));
    let work = tempfile::tempdir().expect("work dir");
    let bearer = format!("Authorization: Bearer {token}");
    let document = format!("{}/openapi.json", app.url);
    // Every phase with a few cases per operation, then the stateful phase alone with more
    // scenarios: most generated creates are refused (400), so chains need more tries.
    for (phases, examples) in [(ALL_PHASES, MAX_EXAMPLES), ("stateful", STATEFUL_EXAMPLES)] {
        let run = tokio::process::Command::new(&python)
            .args(["-c", CLI, "run", &document])
            .args(["--checks", CHECKS, "--header", &bearer])
            .args(["--phases", phases, "--max-examples", examples])
            .arg("--generation-deterministic")
            // The token in the header is the credential; an `x-api-key` it generated would
            // only ever meet the 401 the document already gives.
            .args(["--generation-with-security-parameters", "false"])
            .args(["--workers", "2", "--no-color"])
            // Hypothesis keeps state in the working directory: not in the repository.
            .current_dir(work.path())
            .stdin(Stdio::null())
            .kill_on_drop(true)
            .output();
        let out = tokio::time::timeout(TIMEOUT, run)
            .await
            .unwrap_or_else(|_| panic!("schemathesis ran longer than {TIMEOUT:?}"))
            .expect("schemathesis runs");
        let report = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.status.success(),
            "schemathesis ({phases}) found problems:\n{report}"
        );
        println!("{report}");
        if phases == "stateful" {
            assert!(
                links_covered(&report) > 0,
                "the stateful run followed no link, so it exercised no real id:\n{report}"
            );
        }
    }
    app.stop().await;
}
