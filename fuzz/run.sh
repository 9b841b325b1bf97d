#!/usr/bin/env bash
# Builds the per-file fuzz target with libFuzzer's coverage instrumentation on the stable
# toolchain (the flags cargo-fuzz would pass), seeds a corpus from fixtures/, and fuzzes for a
# bounded time: `fuzz/run.sh [seconds] [seed]` (default 60 s, seed 1). A crash, a hang over 10 s on
# one input or over 2 GiB of memory fails the run and leaves the input in fuzz/artifacts/.
# The inputs in fuzz/regressions/ (past crashes) run first, every time. The seed is fixed so that a
# CI failure can be replayed; pass another (or 0, for one drawn at random) to explore further.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
seed="${2:-1}"
host="$(rustc -vV | sed -n 's/^host: //p')"
# --target keeps these flags off build scripts, which are not linked with libFuzzer.
RUSTFLAGS="-Cpasses=sancov-module \
 -Cllvm-args=-sanitizer-coverage-level=4 \
 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
 -Cllvm-args=-sanitizer-coverage-pc-table \
 -Cllvm-args=-sanitizer-coverage-trace-compares \
 --cfg fuzzing -Cdebug-assertions -Coverflow-checks" \
  cargo build --locked --release --target "$host" -p conflictguard-fuzz --bin per_file
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 seed.py ../fixtures "$work/seeds"
mkdir -p "$work/corpus" artifacts
"../target/$host/release/per_file" "$work/corpus" "$work/seeds" regressions \
  -seed="$seed" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=262144 \
  -artifact_prefix=artifacts/ -print_final_stats=1
