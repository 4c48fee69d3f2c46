#!/usr/bin/env bash
# bench_assign.sh [NET_FILE ...]: `taihang assign` (Algorithm B) and tap-b,
# the reference C implementation of Algorithm B, side by side in one run, on
# the same TNTP files, to relative gaps 1e-4 and 1e-6.
#
# For each network and gap, every program runs RUNS times (default 3) and the
# run with the median wall time is reported: TSTT, the gap it reached, wall
# and CPU (user + system) seconds, peak resident memory (GNU time's maximum
# RSS), all from reading the files to writing nothing (taihang: no output
# file; tap-b writes its flows file, a few hundred kB at most).
#
# Programs (rows):
#   taihang, 1 thread and 2 threads (BUILD/taihang assign NET --gap G --threads T)
#   tap-b serial     ($TAPB, if set)
#   tap-b parallel   ($TAPB_PARALLEL, if set, with 2 threads)
# tap-b is never part of taihang: build it yourself from its MIT-licensed
# source (see bench/README.md: `bash ../shared/peers/tapb/build.sh DIR`
# gives DIR/tap-serial and DIR/tap-parallel).
#
# Networks: Sioux Falls and Anaheim from tests/data/tntp, a synthetic
# congested grid written by `bench_assign --write-grid` (GRID="SIDE ZONES
# SCALE", default "30 300 8": 1,200 nodes, 4,080 links, 300 zones; GRID=""
# for none), and every *_net.tntp given as an argument (its *_trips.tntp
# beside it), e.g. Barcelona, Winnipeg or Chicago Sketch from
# github.com/bstabler/TransportationNetworks.
#
# Environment: BUILD (default build), TAPB, TAPB_PARALLEL, RUNS (3),
# GAPS ("1e-4 1e-6"), THREADS ("1 2"), GRID, WORK (scratch, default a temp
# folder). Needs GNU time (/usr/bin/time, Debian package `time`).
#
# The gaps are each program's own: taihang's (TSTT - SPTT) / TSTT, tap-b's
# TSTT / SPTT - 1 (the same to first order). Times on a shared machine are
# noisy: the load average is printed at the start and the end; compare rows
# of one run, never across runs.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$here/build}
RUNS=${RUNS:-3}
GAPS=${GAPS:-1e-4 1e-6}
THREADS=${THREADS:-1 2}
GRID=${GRID-30 300 8}
TAIHANG=$BUILD/taihang
[ -x "$TAIHANG" ] || { echo "bench_assign.sh: $TAIHANG not built (ninja -C build)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench_assign.sh: needs GNU time (apt-get install time)" >&2; exit 2; }
WORK=${WORK:-$(mktemp -d)}
mkdir -p "$WORK"

nets=("$here/tests/data/tntp/SiouxFalls/SiouxFalls_net.tntp" "$here/tests/data/tntp/Anaheim/Anaheim_net.tntp")
if [ -n "$GRID" ]; then
  read -r side zones scale <<<"$GRID"
  "$BUILD/bench/bench_assign" --write-grid "$WORK/grid" "$side" "$zones" "$scale" >/dev/null
  nets+=("$WORK/grid/Grid${side}_net.tntp")
fi
nets+=("$@")

# one run: prints "tstt gap wall cpu rss_kb" (gap as the program printed it)
# GNU time gives the peak memory; bash's time the seconds to the millisecond
TIMEFORMAT='%3R %3U %3S'
timed() { # OUT_FILE CMD...: runs CMD, writes "wall user sys rss_kb" to OUT_FILE
  local o=$1 r
  shift
  { time /usr/bin/time -f "%M" -o "$o.rss" "$@" >"$o.out" 2>/dev/null; } 2>"$o.t" || true
  r=$(cat "$o.rss" | tail -1)
  echo "$(cat "$o.t") $r" >"$o"
}

run_taihang() { # NET GAP THREADS
  local t=$WORK/time.txt out
  timed "$t" "$TAIHANG" assign "$1" --gap "$2" --threads "$3"
  out=$(cat "$t.out")
  # "algorithm b, iterations 4, relative gap 9.026e-07, TSTT 7480176.422, Beckmann ..."
  local gap tstt w u s m
  gap=$(sed -n 's/.*relative gap \([^,]*\),.*/\1/p' <<<"$out")
  tstt=$(sed -n 's/.*TSTT \([^,]*\),.*/\1/p' <<<"$out")
  read -r w u s m <"$t"
  awk -v a="$tstt" -v g="$gap" -v w="$w" -v u="$u" -v s="$s" -v m="$m" \
    'BEGIN { printf "%s %s %s %.3f %s\n", a, g, w, u + s, m }'
}

run_tapb() { # BIN NET GAP THREADS
  local dir=$WORK/tapb.$$ t=$WORK/time.txt
  mkdir -p "$dir"
  cat >"$dir/params.txt" <<EOF
<NETWORK FILE> $(basename "$2")
<TRIPS FILE> $(basename "${2%_net.tntp}")_trips.tntp
<FILE PATH> $(dirname "$2")/
<DATA PATH> $dir/
<FLOWS FILE> $dir/flows.txt
<CONVERGENCE GAP> $3
<MAX RUN TIME> 3600
<NUMBER OF THREADS> $4
EOF
  (cd "$dir" && timed "$t" "$1" params.txt) || true
  cp "$t.out" "$dir/out.txt"
  local gap tstt w u s m
  gap=$(sed -n 's/^Iteration [0-9]*:.* gap \([0-9.e+-]*\),.*/\1/p' "$dir/out.txt" | tail -1)
  tstt=$(sed -n 's/^Aggregate TSTT: \(.*\)/\1/p' "$dir/out.txt" | tail -1)
  read -r w u s m <"$t"
  awk -v a="${tstt:-?}" -v g="${gap:-?}" -v w="$w" -v u="$u" -v s="$s" -v m="$m" \
    'BEGIN { printf "%s %s %s %.3f %s\n", a, g, w, u + s, m }'
  rm -rf "$dir"
}

# median of RUNS by wall time: prints the median run's line
median() { sort -k3,3g | awk -v n="$RUNS" '{ l[NR] = $0 } END { print l[int((NR + 1) / 2)] }'; }

row() { # NETNAME LINKS ZONES GAP PROGRAM THREADS LINE
  local tstt gap wall cpu rss
  read -r tstt gap wall cpu rss <<<"$7"
  awk -v n="$1" -v l="$2" -v z="$3" -v g="$4" -v p="$5" -v t="$6" -v a="$tstt" -v r="$gap" \
      -v w="$wall" -v c="$cpu" -v m="$rss" \
    'BEGIN { printf "| %s | %s | %s | %s | %s | %s | %s | %.2e | %.3f | %.3f | %.1f |\n", n, l, z, g, p, t, a, r, w, c, m / 1024 }'
}

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; median of $RUNS runs"
echo
echo "| network | links | zones | gap asked | program | threads | TSTT | gap reached | wall s | CPU s | peak MB |"
echo "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for net in "${nets[@]}"; do
  name=$(basename "$net" _net.tntp)
  links=$(sed -n 's/^ *<NUMBER OF LINKS> *\([0-9]*\).*/\1/p' "$net")
  zones=$(sed -n 's/^ *<NUMBER OF ZONES> *\([0-9]*\).*/\1/p' "$net")
  for gap in $GAPS; do
    for th in $THREADS; do
      line=$(for r in $(seq "$RUNS"); do run_taihang "$net" "$gap" "$th"; done | median)
      row "$name" "$links" "$zones" "$gap" taihang "$th" "$line"
    done
    if [ -n "${TAPB:-}" ]; then
      line=$(for r in $(seq "$RUNS"); do run_tapb "$TAPB" "$net" "$gap" 1; done | median)
      row "$name" "$links" "$zones" "$gap" "tap-b serial" 1 "$line"
    fi
    if [ -n "${TAPB_PARALLEL:-}" ]; then
      line=$(for r in $(seq "$RUNS"); do run_tapb "$TAPB_PARALLEL" "$net" "$gap" 2; done | median)
      row "$name" "$links" "$zones" "$gap" "tap-b parallel" 2 "$line"
    fi
  done
done
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
