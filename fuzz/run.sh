#!/usr/bin/env bash
# Runs the fuzz targets, each for SECONDS (default 60), one after another, and prints a table
# of executions and crashes per target at the end.
#
#   fuzz/run.sh [SECONDS] [TARGET...]     all targets when none is named
#   JOBS=2 fuzz/run.sh 600                two targets at a time
#   SANITIZER=address fuzz/run.sh 60      AddressSanitizer (default: none; the code is safe
#                                         Rust, and without it a target runs several times faster)
#
# Each target is one libFuzzer process on one core at a time (niced), restarted after a crash
# until its time is up, so one crash does not end the run. Needs the nightly toolchain and
# cargo-fuzz (`cargo install cargo-fuzz --locked`). New corpus entries go to
# fuzz/corpus/TARGET (not committed; fuzz/seeds/TARGET are the committed starting inputs),
# crashing inputs to fuzz/artifacts/TARGET; turn each into a unit test in the crate that owns
# the parser.
set -euo pipefail
cd "$(dirname "$0")"

seconds=${1:-60}
shift || true
case $seconds in '' | *[!0-9]*)
    echo "usage: $0 [SECONDS] [TARGET...]" >&2
    exit 2
    ;;
esac
jobs=${JOBS:-1}
sanitizer=${SANITIZER:-none}

mapfile -t all < <(cargo +nightly fuzz list)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
for t in "${targets[@]}"; do
    printf '%s\n' "${all[@]}" | grep -qx -- "$t" || {
        echo "unknown target $t; targets: ${all[*]}" >&2
        exit 2
    }
done

echo "building ${#targets[@]} target(s) (sanitizer: $sanitizer)" >&2
nice -n 10 cargo +nightly fuzz build --sanitizer "$sanitizer" >&2
triple=$(rustc +nightly -vV | sed -n 's/^host: //p')
export bin_dir="$PWD/target/$triple/release" seconds results
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

run_target() {
    local t=$1 execs=0 crashes=0 started=$SECONDS remaining log rc n
    mkdir -p "corpus/$t" "artifacts/$t" "seeds/$t"
    log="$results/$t.log"
    : >"$results/$t.artifacts"
    while remaining=$((seconds - (SECONDS - started))) && [ "$remaining" -gt 0 ]; do
        rc=0
        nice -n 10 "$bin_dir/$t" -max_total_time="$remaining" -print_final_stats=1 \
            -rss_limit_mb=2048 -timeout=30 -artifact_prefix="artifacts/$t/" \
            "corpus/$t" "seeds/$t" >"$log" 2>&1 || rc=$?
        n=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | awk '{print $2}')
        execs=$((execs + ${n:-0}))
        [ "$rc" -eq 0 ] && break
        crashes=$((crashes + 1))
        grep -o 'Test unit written to [^ ]*' "$log" | awk '{print $5}' >>"$results/$t.artifacts" || true
        cp "$log" "artifacts/$t/last-crash.log"
        echo "$t: crash $crashes ($(grep -m1 -E 'panicked at|ERROR: libFuzzer' "$log" || echo "exit $rc"))" >&2
        # A target that crashes at once every time would spin; its first crashes say enough.
        [ "$crashes" -lt 20 ] || break
    done
    echo "$t $execs $crashes" >"$results/$t.result"
    echo "$t: $execs executions, $crashes crash(es) in $((SECONDS - started)) s" >&2
}
export -f run_target

printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'run_target "$@"' _ {}

printf '\n%-22s %14s %8s\n' target executions crashes
status=0
for t in "${targets[@]}"; do
    read -r _ execs crashes <"$results/$t.result"
    printf '%-22s %14s %8s\n' "$t" "$execs" "$crashes"
    [ "$crashes" -eq 0 ] || status=1
done
for t in "${targets[@]}"; do
    while read -r artifact; do
        [ -n "$artifact" ] && echo "crashing input: fuzz/$artifact"
    done <"$results/$t.artifacts"
done
exit $status
