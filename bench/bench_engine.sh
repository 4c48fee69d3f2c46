#!/usr/bin/env bash
# bench_engine.sh: taihang's engine and SUMO on the same grid cases, in one run.
#
#   bench/bench_engine.sh [WORK_DIR]         (default: /tmp/taihang-bench-engine)
#
# Cases (the SUMO harness's, ../shared/peers/sumo/): 20x20 with 10k trips,
# 50x50 with 100k, 100x100 with 500k over 2 h. For each:
#   1. the case (gen_grid.py) -> a taihang network folder + trips.csv (bench/case2taihang);
#   2. `taihang run --iterations 1 --timing` under /usr/bin/time -v, the
#      fastest of REPEATS runs (default 3: a run of a second is at the mercy
#      of the machine's neighbours, and timings only err upwards): wall seconds
#      for one simulated day (load, free-flow routes, the day, the gap search,
#      writing the results), its load, route-search, simulation and write parts, link
#      traversals per second, peak memory and bytes per trip;
#   3. build/bench/bench_engine_core: the engine alone on one core (fastest of
#      3 repeats, CPU seconds): link traversals per CPU second;
#   4. when `sumo` is installed: the harness's run_sumo.sh with MODES=meso
#      (duarouter routing + mesoscopic run, capacity-exact headways), whose
#      wall seconds give the speed-up in the same run.
# Results: WORK_DIR/results.csv and a markdown table on stdout.
#
# Knobs: CASES (default "20:10000:3600 50:100000:3600 100:500000:7200"),
# BUILD (default build), THREADS (default 2), REPEATS (default 3),
# SUMO=0 to skip SUMO, SUMO_CASES (default: the 20x20 and 50x50 cases; the
# 100x100 SUMO run takes over 15 minutes), SUMO_TIMEOUT_S (default 1800),
# REUSE_SUMO=1 to take SUMO's times from an earlier run in the same WORK_DIR.
# CONGESTED (default "1200 900 750 600"; empty to skip): the 50x50 grid with
# 100k trips at these link capacities (veh/h), one day on free-flow routes
# in taihang (its default congestion rules) and in SUMO meso with a constant
# jam headway (TO_SUMO_OPTS="--meso-capacity flatjam", duarouter's free-flow
# routes), compared by bench/sumo_compare.py: mean trip times, per-trip
# differences, teleports/stuck and per-link GEH (WORK_DIR/congested.csv).
# TAIHANG_OPTS: extra `taihang run` options for the congested cases (e.g.
# "--backward-wave 0"). Only the congested grids: CASES=" " (a blank; an
# empty CASES means the default cases).
# Wall seconds depend on what else the machine runs; CPU seconds (user + sys)
# much less: both are reported, and ratios are taken within one run.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
PEER=${PEER:-$ROOT/../shared/peers/sumo}
WORK=${1:-/tmp/taihang-bench-engine}
CASES=${CASES:-"20:10000:3600 50:100000:3600 100:500000:7200"}
SUMO_CASES=${SUMO_CASES:-"20:10000:3600 50:100000:3600"}
THREADS=${THREADS:-2}
REPEATS=${REPEATS:-3}
SUMO_TIMEOUT_S=${SUMO_TIMEOUT_S:-1800}
if [ -z "${BUILD:-}" ]; then
    BUILD=$ROOT/build
fi
TAIHANG=$BUILD/taihang
CORE=$BUILD/bench/bench_engine_core
[ -x "$TAIHANG" ] && [ -x "$CORE" ] || { echo "bench_engine.sh: build first (ninja -C $BUILD)" >&2; exit 2; }
[ -d "$PEER" ] || { echo "bench_engine.sh: the SUMO harness $PEER is missing" >&2; exit 2; }
HAVE_SUMO=0
[ "${SUMO:-1}" != 0 ] && command -v sumo > /dev/null && command -v duarouter > /dev/null && HAVE_SUMO=1
mkdir -p "$WORK"

field() { grep -E "$2" "$1" | head -1 | awk '{ print $NF }'; }
wall_s() { # GNU time's h:mm:ss or m:ss.ss -> seconds
    field "$1" "Elapsed \(wall clock\)" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }'
}
cpu_s() { awk -v u="$(field "$1" "User time")" -v s="$(field "$1" "System time")" 'BEGIN { printf "%.2f", u + s }'; }
rss_mb() { awk '{ printf "%.0f", $1 / 1024 }' <<< "$(field "$1" "Maximum resident set size")"; }

echo "case,trips,taihang_day_wall_s,taihang_day_cpu_s,load_wall_s,route_wall_s,sim_wall_s,write_wall_s,sim_traversals,sim_M_trav_per_s,core_M_trav_per_cpu_s,peak_mb,bytes_per_trip,sumo_route_wall_s,sumo_meso_wall_s,sumo_cpu_s,sumo_peak_mb,speedup_wall,speedup_cpu" > "$WORK/results.csv"
for c in $CASES; do
    IFS=: read -r n trips horizon <<< "$c"
    name=grid${n}_${trips}
    case_dir=$WORK/$name/case
    net=$WORK/$name/taihang
    if [ ! -f "$case_dir/trips.csv" ]; then
        if [ -f "$PEER/cases/$name/trips.csv" ]; then mkdir -p "$case_dir"; cp "$PEER/cases/$name/"*.csv "$case_dir/"
        else python3 "$PEER/gen_grid.py" --n "$n" --trips "$trips" --horizon "$horizon" --out "$case_dir" > /dev/null || exit 1; fi
    fi
    "$HERE/case2taihang" "$case_dir" "$net" || exit 1
    echo "== $name: taihang run (fastest of $REPEATS)" >&2
    best=""
    for r in $(seq "$REPEATS"); do
        rm -rf "$WORK/$name/out"
        /usr/bin/time -v -o "$WORK/$name/taihang.$r.time" "$TAIHANG" run "$net" --trips "$net/trips.csv" \
            --out "$WORK/$name/out" --iterations 1 --threads "$THREADS" --quiet --timing > "$WORK/$name/taihang.$r.log" 2>&1 \
            || { echo "taihang failed on $name:"; cat "$WORK/$name/taihang.$r.log"; exit 1; } >&2
        w=$(wall_s "$WORK/$name/taihang.$r.time")
        echo "   run $r: $w s wall" >&2
        if [ -z "$best" ] || awk -v a="$w" -v b="$(wall_s "$WORK/$name/taihang.time")" 'BEGIN { exit !(a < b) }'; then
            best=$r
            cp "$WORK/$name/taihang.$r.time" "$WORK/$name/taihang.time"
            cp "$WORK/$name/taihang.$r.log" "$WORK/$name/taihang.log"
        fi
    done
    cat "$WORK/$name/taihang.log" >&2
    day=$(wall_s "$WORK/$name/taihang.time"); peak=$(rss_mb "$WORK/$name/taihang.time")
    daycpu=$(cpu_s "$WORK/$name/taihang.time")
    read -r load write < <(sed -n 's/^timing: load \([0-9.]*\) s, simulate [0-9.]* s, write \([0-9.]*\) s.*/\1 \2/p' "$WORK/$name/taihang.log")
    read -r route sim trav < <(sed -n 's/^timing: route search \([0-9.]*\) s, simulation \([0-9.]*\) s.*, \([0-9]*\) link traversals.*/\1 \2 \3/p' "$WORK/$name/taihang.log")
    echo "== $name: engine alone" >&2
    "$CORE" "$net" "$net/trips.csv" 3 > "$WORK/$name/core.csv" || exit 1
    core=$(tail -1 "$WORK/$name/core.csv" | cut -d, -f7)
    sr=""; sm=""; sc=""; sp=""; speed=""; speedc=""
    if [ $HAVE_SUMO = 1 ] && [[ " $SUMO_CASES " == *" $c "* ]]; then
        sw=$WORK/$name/sumo
        if [ "${REUSE_SUMO:-0}" = 1 ] && [ -f "$sw/meso.time" ]; then
            echo "== $name: SUMO times reused from $sw (REUSE_SUMO=1)" >&2
        else
            echo "== $name: SUMO duarouter + meso (run_sumo.sh)" >&2
            MODES=meso TIMEOUT_S=$SUMO_TIMEOUT_S "$PEER/run_sumo.sh" "$case_dir" "$sw" > "$WORK/$name/sumo.log" 2>&1
        fi
        if [ -f "$sw/duarouter.time" ] && [ -f "$sw/meso.time" ]; then
            sr=$(wall_s "$sw/duarouter.time"); sm=$(wall_s "$sw/meso.time"); sp=$(rss_mb "$sw/meso.time")
            sc=$(awk -v a="$(cpu_s "$sw/duarouter.time")" -v b="$(cpu_s "$sw/meso.time")" 'BEGIN { printf "%.2f", a + b }')
            speed=$(awk -v a="$sr" -v b="$sm" -v d="$day" 'BEGIN { printf "%.1f", (a + b) / d }')
            speedc=$(awk -v a="$sc" -v d="$daycpu" 'BEGIN { printf "%.1f", a / d }')
        fi
    fi
    awk -v OFS=, -v name="$name" -v trips="$trips" -v day="$day" -v daycpu="$daycpu" -v load="$load" -v route="$route" -v sim="$sim" -v write="$write" \
        -v trav="$trav" -v core="$core" -v peak="$peak" -v sr="$sr" -v sm="$sm" -v sc="$sc" -v sp="$sp" \
        -v speed="$speed" -v speedc="$speedc" 'BEGIN {
        print name, trips, day, daycpu, load, route, sim, write, trav, sprintf("%.2f", trav / sim / 1e6), core, peak,
              sprintf("%.0f", peak * 1048576 / trips), sr, sm, sc, sp, speed, speedc }' >> "$WORK/results.csv"
done

echo
echo "| case | taihang wall s/day (load + route + sim + write) | CPU s | traversals | M trav/s in the run | M trav/CPU s, engine alone | peak MB | bytes/trip | SUMO route + meso wall s | SUMO CPU s | speed-up wall / CPU |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
tail -n +2 "$WORK/results.csv" | while IFS=, read -r name trips day daycpu load route sim write trav mps core peak bpt sr sm sc sp speed speedc; do
    echo "| $name | $day ($load + $route + $sim + $write) | $daycpu | $trav | $mps | $core | $peak | $bpt | ${sr:--} + ${sm:--} | ${sc:--} | ${speed:+${speed}x / ${speedc}x} |"
done

# ---- congested grids: taihang against SUMO meso (flatjam) ----
CONGESTED=${CONGESTED-"1200 900 750 600"}
if [ -n "$CONGESTED" ]; then
    echo "capacity_vph,taihang_day_wall_s,sumo_meso_wall_s,sumo_mean_s,taihang_mean_s,mean_diff_pct,trips_within_10pct,median_abs_diff_pct,sumo_teleports,taihang_stuck,links_geh_below_5_pct" > "$WORK/congested.csv"
    for cap in $CONGESTED; do
        name=grid50_100000_cap$cap
        case_dir=$WORK/$name/case
        net=$WORK/$name/taihang
        [ -f "$case_dir/trips.csv" ] || python3 "$PEER/gen_grid.py" --n 50 --trips 100000 --capacity "$cap" --out "$case_dir" > /dev/null || exit 1
        "$HERE/case2taihang" "$case_dir" "$net" || exit 1
        echo "== $name: taihang run, one day on free-flow routes" >&2
        rm -rf "$WORK/$name/out"
        # shellcheck disable=SC2086
        /usr/bin/time -v -o "$WORK/$name/taihang.time" "$TAIHANG" run "$net" --trips "$net/trips.csv" \
            --out "$WORK/$name/out" --iterations 1 --threads "$THREADS" --quiet ${TAIHANG_OPTS:-} > "$WORK/$name/taihang.log" 2>&1 \
            || { echo "taihang failed on $name:"; cat "$WORK/$name/taihang.log"; exit 1; } >&2
        day=$(wall_s "$WORK/$name/taihang.time")
        line=",,,,,,,"; sm=""
        if [ $HAVE_SUMO = 1 ]; then
            sw=$WORK/$name/sumo
            if [ "${REUSE_SUMO:-0}" = 1 ] && [ -f "$sw/tripinfo.xml" ]; then
                echo "== $name: SUMO run reused from $sw (REUSE_SUMO=1)" >&2
            else
                echo "== $name: SUMO duarouter + meso flatjam (run_sumo.sh)" >&2
                TO_SUMO_OPTS="--meso-capacity flatjam" MESO_OPTS="--tripinfo-output tripinfo.xml" MODES=meso \
                    TIMEOUT_S=$SUMO_TIMEOUT_S "$PEER/run_sumo.sh" "$case_dir" "$sw" > "$WORK/$name/sumo.log" 2>&1
            fi
            [ -f "$sw/meso.time" ] && sm=$(wall_s "$sw/meso.time")
            [ -f "$sw/tripinfo.xml" ] && line=$(python3 "$HERE/sumo_compare.py" "$sw" "$WORK/$name/out" 1)
        fi
        echo "$cap,$day,$sm,$line" >> "$WORK/congested.csv"
    done
    echo
    echo "| capacity veh/h | SUMO meso mean trip s | taihang mean trip s | difference | trips within ±10% | median per-trip difference | SUMO teleports | taihang stuck | links with GEH < 5 |"
    echo "|---|---|---|---|---|---|---|---|---|"
    tail -n +2 "$WORK/congested.csv" | while IFS=, read -r cap day sm smean tmean diff within med tel stuck geh; do
        echo "| $cap | ${smean:--} | ${tmean:--} | ${diff:+$diff %} | ${within:+$within %} | ${med:+$med %} | ${tel:--} | ${stuck:--} | ${geh:+$geh %} |"
    done
fi
