#!/usr/bin/env bash
# tests/fuzz/run.sh [SECONDS] [TARGET...]: runs each libFuzzer target (every
# folder of tests/fuzz/corpus/, or the TARGETs given) for SECONDS (default
# 20), starting from its seeds. Sets up and builds build-fuzz (clang, ASan,
# UBSan with float-cast-overflow, libFuzzer) when it is missing.
#
# A crash, leak, sanitizer report, timeout (10 s for one input) or memory
# blow-up (2 GB) fails: exit 1, the log printed, and the input that did it
# kept as build-fuzz/fuzz-artifacts/TARGET/crash-* (replay it with
# `TH_FUZZ_TARGET=TARGET build-fuzz/tests/fuzz/taihang-fuzz FILE`). Inputs
# that reach new code go to build-fuzz/fuzz-corpus/TARGET/, never into the
# shipped seeds. TH_FUZZ_BUILD names another build folder. The random seed
# is TH_FUZZ_SEED (default 1), so that CI explores the same inputs for the
# same code and a red CI is reproducible; a long campaign sets its own.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-20}
[ $# -gt 0 ] && shift
B=${TH_FUZZ_BUILD:-build-fuzz}
if [ ! -d "$B" ]; then
  CC=clang meson setup "$B" -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false
fi
ninja -C "$B" tests/fuzz/taihang-fuzz
if [ $# -gt 0 ]; then targets=("$@"); else mapfile -t targets < <(ls tests/fuzz/corpus); fi
failed=()
for t in "${targets[@]}"; do
  [ -d "tests/fuzz/corpus/$t" ] || { echo "fuzz: no seeds for '$t' (tests/fuzz/corpus/$t)"; exit 2; }
  mkdir -p "$B/fuzz-corpus/$t" "$B/fuzz-artifacts/$t"
  log="$B/fuzz-artifacts/$t/log.txt"
  if TH_FUZZ_TARGET="$t" ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
     UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
     "$B/tests/fuzz/taihang-fuzz" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
       -seed="${TH_FUZZ_SEED:-1}" \
       -print_final_stats=1 -artifact_prefix="$B/fuzz-artifacts/$t/" \
       "$B/fuzz-corpus/$t" "tests/fuzz/corpus/$t" </dev/null >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz $t: ${runs:-?} inputs in ${secs} s, no crash"
  else
    echo "fuzz $t: FAILED (log: $log)"
    tail -n 60 "$log"
    failed+=("$t")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: ${#failed[@]} target(s) failed: ${failed[*]}"
  exit 1
fi
