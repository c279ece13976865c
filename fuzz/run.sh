#!/usr/bin/env bash
# Runs every fuzz target for a while and reports how many inputs each one tried.
#
#   bash fuzz/run.sh [seconds-per-target]     (default 60)
#
# The targets (fuzz/fuzz_targets/) feed arbitrary input to the parsers of typed input and assert
# their invariants (round trips, Khmer and ASCII digits alike, ranges), not only that they do not
# panic. cargo-fuzz is installed on first use. It needs nightly-only compiler flags, which
# RUSTC_BOOTSTRAP=1 lets the stable compiler accept. Inputs found along the way are kept in
# fuzz/corpus/<target>/ (starting from fuzz/seeds/<target>/ where there is one); an input that
# breaks an invariant is written to fuzz/artifacts/<target>/, and the run then fails.
# FUZZ_SANITIZER=address turns AddressSanitizer on (the parsers are safe Rust, so it is off).
set -euo pipefail

SECONDS_PER_TARGET="${1:-60}"
FUZZ_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$FUZZ_DIR/.."
export PATH="$HOME/.cargo/bin:$PATH"
# Build outputs outside the clone, apart from the main build's (other flags, other profile).
export CARGO_TARGET_DIR="${OWSO_FUZZ_TARGET_DIR:-$HOME/.cache/owso-fuzz-target}"
export RUSTC_BOOTSTRAP=1
SANITIZER="${FUZZ_SANITIZER:-none}"
CARGO_FUZZ_VERSION=0.13.2

if [ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
  echo "==> installing cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

mapfile -t TARGETS < <(cargo fuzz list)
echo "==> building ${#TARGETS[@]} fuzz targets (release, debug assertions and overflow checks on)"
cargo fuzz build --sanitizer "$SANITIZER" --debug-assertions

mkdir -p "$FUZZ_DIR/logs"
total=0
failed=()
for target in "${TARGETS[@]}"; do
  corpus="$FUZZ_DIR/corpus/$target"
  mkdir -p "$corpus" "$FUZZ_DIR/artifacts/$target"
  corpora=("$corpus")
  if [ -d "$FUZZ_DIR/seeds/$target" ]; then corpora+=("$FUZZ_DIR/seeds/$target"); fi
  log="$FUZZ_DIR/logs/$target.log"
  echo "==> $target: ${SECONDS_PER_TARGET}s"
  status=0
  cargo fuzz run --sanitizer "$SANITIZER" --debug-assertions "$target" "${corpora[@]}" -- \
    -max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1 \
    -artifact_prefix="$FUZZ_DIR/artifacts/$target/" >"$log" 2>&1 || status=$?
  runs="$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)"
  if [ -z "$runs" ]; then
    runs="$(sed -n 's/^#\([0-9]*\)[[:space:]]*DONE.*/\1/p' "$log" | tail -n 1)"
  fi
  runs="${runs:-0}"
  total=$((total + runs))
  if [ "$status" = 0 ]; then
    echo "$target: $runs executions in ${SECONDS_PER_TARGET}s, no failure"
  else
    failed+=("$target")
    echo "$target: FAILED after $runs executions (exit $status); the input is in fuzz/artifacts/$target/"
    grep -E "panicked|assertion|ERROR: libFuzzer" "$log" | head -n 5 || true
    echo "   full log: $log"
  fi
done

echo "fuzz: ${#TARGETS[@]} targets, ${SECONDS_PER_TARGET}s each, $total executions in total, ${#failed[@]} failed${failed:+: ${failed[*]}}"
[ "${#failed[@]}" = 0 ]
