#!/bin/sh
# stand-in-run.sh SCENARIO.ini --out DIR: a stand-in for `taihang run` with the
# same interface, used to measure the sweep's own overhead (bench/bench_sweep.sh)
# and to test the runner without the engine (TH_SWEEP_RUNNER="sh stand-in-run.sh").
# Deterministic: od_times.csv depends only on the scenario's parameters.
# ([sim] threads is left out: results never depend on it.) A growth of "bad"
# fails like a bad parameter; STAND_IN_SLEEP sets the run time.
sc="$1"; out="$3"
if grep -q '^growth *= *bad' "$sc"; then
  echo "$sc:1: demand.growth 'bad' is not a number (expected a factor such as 1.05)" >&2
  exit 2
fi
sleep "${STAND_IN_SLEEP:-0.1}"
mkdir -p "$out"
h=$(grep -v '^#' "$sc" | grep -v '^base\|^apply\|^name\|^threads' | cksum | cut -d' ' -f1)
printf 'origin,destination,class,mode,period,trips,time_min,distance_km,cost\n1,2,car,road,day,10,%d.5,3,1\n2,1,car,road,day,5,7.25,3,1\n' $((h % 100)) >"$out/od_times.csv"
printf 'id,class,mode,origin,destination,depart,arrive,travel_time_s,status\n1,car,road,1,2,0,60,60,arrived\n2,car,road,2,1,0,,,stuck\n' >"$out/trips_out.csv"
printf '[run]\nscenario=stand-in\n' >"$out/run.ini"
