#!/usr/bin/env bash
# bench_sweep.sh [BUILD_DIR]: what a sweep costs beyond the engine.
#
# 1. A sweep of N Yangcheng runs (base2020, seeds 1..N; N = BENCH_SWEEP_RUNS,
#    default 50) with --jobs 1, then again into a fresh folder with --jobs 2,
#    alternating, twice each (best of two): wall times and speed-up. Each run
#    gets [sim] threads = 1 in both cases (--run-threads 1), so the speed-up is
#    that of running runs side by side.
# 2. The engine's own time: the same run scenarios run directly with
#    `taihang run` (BENCH_SWEEP_DIRECT of them, default 10), one after another.
#    Per-run overhead = (sweep wall with --jobs 1) / N - mean direct run time.
# 3. The sweep's pure overhead with a stand-in run of no work (200 runs): spawn,
#    bookkeeping, fsync and rename of each run folder, and the merge.
# Extra sweep parameters: BENCH_SWEEP_EXTRA (lines of section.key = value,
# e.g. "sim.iterations = 3" to shorten runs). Prints a table; writes nothing
# outside a temporary folder.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
taihang=$(cd "$build" && pwd)/taihang
n=${BENCH_SWEEP_RUNS:-50}
direct=${BENCH_SWEEP_DIRECT:-10}
T=$(mktemp -d /tmp/taihang-bench-sweep-XXXXXX)
trap 'rm -rf "$T"' EXIT

now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc -l; }

cat >"$T/bench.ini" <<EOF
[sweep]
name = bench
base = $root/scenarios/yangcheng/base2020.ini
[parameters]
sim.seed = 1:$n:1
${BENCH_SWEEP_EXTRA:-}
EOF

echo "bench_sweep: $n Yangcheng runs (base2020, seeds 1..$n), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
# --jobs 1 and --jobs 2 alternate, twice each, best of two: on a shared machine
# the load of others changes within minutes and would otherwise decide the ratio
w1=""; w2=""
best() { if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc -l)" = 1 ]; then echo "$2"; else echo "$1"; fi; }
for round in 1 2; do
  rm -rf "$T/j1" "$T/j2"
  t=$(now)
  "$taihang" sweep "$T/bench.ini" --out "$T/j1" --jobs 1 --run-threads 1 --quiet
  w1=$(best "$w1" "$(since "$t")")
  t=$(now)
  "$taihang" sweep "$T/bench.ini" --out "$T/j2" --jobs 2 --run-threads 1 --quiet
  w2=$(best "$w2" "$(since "$t")")
done
cmp -s "$T/j1/travel_times.csv" "$T/j2/travel_times.csv" && same=yes || same=NO

# the engine alone, on the very scenarios the sweep ran
k=0
t=$(now)
for d in "$T"/j1/runs/*/; do
  [ "$k" -ge "$direct" ] && break
  "$taihang" run "$d/scenario.ini" --out "$T/direct-$k" >/dev/null 2>&1
  k=$((k + 1))
done
wd=$(since "$t")
per_engine=$(echo "$wd / $k" | bc -l)
per_sweep=$(echo "$w1 / $n" | bc -l)

# the sweep machinery alone
m=200
cat >"$T/empty.ini" <<EOF
[sweep]
name = empty
base = $root/tests/data/sweep/base.ini
[parameters]
sim.seed = 1:$m:1
EOF
t=$(now)
STAND_IN_SLEEP=0 TH_SWEEP_RUNNER="sh $root/tests/data/sweep/stand-in-run.sh" \
  "$taihang" sweep "$T/empty.ini" --out "$T/empty" --jobs 1 --quiet
we=$(since "$t")
t=$(now)
for i in $(seq 20); do
  printf '[scenario]\nname=x\n[sim]\nseed=%d\n' "$i" >"$T/s$i.ini"
  STAND_IN_SLEEP=0 sh "$root/tests/data/sweep/stand-in-run.sh" "$T/s$i.ini" --out "$T/so$i"
done
ws=$(since "$t")

printf '%-52s %10s\n' "measure" "value"
printf '%-52s %10.2f\n' "sweep wall, --jobs 1 (s)" "$w1"
printf '%-52s %10.2f\n' "sweep wall, --jobs 2 (s)" "$w2"
printf '%-52s %10.2f\n' "speed-up jobs 2 / jobs 1" "$(echo "$w1 / $w2" | bc -l)"
printf '%-52s %10s\n' "tables identical (jobs 1 vs 2)" "$same"
printf '%-52s %10.3f\n' "sweep wall per run, --jobs 1 (s)" "$per_sweep"
printf '%-52s %10.3f\n' "taihang run alone per run, $k runs (s)" "$per_engine"
printf '%-52s %10.3f\n' "overhead per run (s)" "$(echo "$per_sweep - $per_engine" | bc -l)"
printf '%-52s %10.1f\n' "overhead per run (% of the run)" \
  "$(echo "100 * ($per_sweep - $per_engine) / $per_engine" | bc -l)"
printf '%-52s %10.2f\n' "machinery: $m empty runs, wall per run (ms)" "$(echo "1000 * $we / $m" | bc -l)"
printf '%-52s %10.2f\n' "  of which the stand-in itself per run (ms)" "$(echo "1000 * $ws / 20" | bc -l)"
printf '%-52s %10s\n' "travel_times.csv rows" "$(($(wc -l <"$T/j1/travel_times.csv") - 1))"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
