#!/usr/bin/env bash
# bench_import.sh: `taihang import gtfs` and `taihang import osm` on the
# synthetic cases of bench/make_import_cases.py (see its header), with
# /usr/bin/time: wall and user seconds, peak memory. The OSM case runs from
# XML and from PBF (osmium cat, when osmium-tool is installed); the two
# network folders must be identical. Prints the load average: on a shared
# machine wall time is the neighbours' as much as ours, user time less so.
#
#   bench/bench_import.sh [WORK_DIR]      (default: /tmp/taihang-bench-import)
set -euo pipefail
cd "$(dirname "$0")/.."
W=${1:-/tmp/taihang-bench-import}
T=./build/taihang
mkdir -p "$W"
[ -f "$W/grid.osm" ] || python3 bench/make_import_cases.py "$W"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f "import gtfs: %e s wall, %U s user, %M KB" \
  $T import gtfs "$W/feed" --net "$W/grid" --date 2026-03-16 --out "$W/gtfs-out"
/usr/bin/time -f "import osm (XML): %e s wall, %U s user, %M KB" \
  $T import osm "$W/grid.osm" --zones "$W/zones.csv" --out "$W/osm-xml" 2>&1 | grep -v '^note:'
if command -v osmium >/dev/null; then
  osmium cat "$W/grid.osm" -o "$W/grid.osm.pbf" -O
  /usr/bin/time -f "import osm (PBF): %e s wall, %U s user, %M KB" \
    $T import osm "$W/grid.osm.pbf" --zones "$W/zones.csv" --out "$W/osm-pbf" 2>&1 | grep -v '^note:'
  diff -r "$W/osm-xml" "$W/osm-pbf" >/dev/null && echo "XML and PBF folders: identical"
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
