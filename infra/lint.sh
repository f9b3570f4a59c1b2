#!/usr/bin/env bash
# Lint template.yaml with cfn-lint, installed into a venv on first use.
#
#   infra/lint.sh [VENV_DIR]      (default: target/ci-venv, relative to the repo root)
#
# Exits non-zero on any cfn-lint error or warning. Pin a cfn-lint version with
# CFN_LINT_SPEC (default: cfn-lint, the newest release).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${1:-$repo_root/target/ci-venv}"
spec="${CFN_LINT_SPEC:-cfn-lint}"

if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv"
fi
if [[ ! -x "$venv/bin/cfn-lint" ]]; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$spec"
fi

cd "$repo_root"
echo "cfn-lint $("$venv/bin/cfn-lint" --version | awk '{print $NF}') on template.yaml"
"$venv/bin/cfn-lint" --non-zero-exit-code warning -- template.yaml
echo "cfn-lint: template.yaml clean"
