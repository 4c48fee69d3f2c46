#!/usr/bin/env bash
# run.sh: installs what is missing, builds, and runs the main job into out/:
# the Yangcheng (阳城) comparison of the 2020 base against every project
# scenario of the plan (taihang compare).
set -euo pipefail
cd "$(dirname "$0")"
./setup.sh
[ -d build ] || meson setup build
ninja -C build
mkdir -p out
Y=scenarios/yangcheng
./build/taihang compare "$Y/base2020.ini" \
  "$Y/hsr-yangcheng.ini" "$Y/yangji-intercity.ini" "$Y/jinyang-8lane.ini" \
  "$Y/yangyun-expressway.ini" "$Y/provincial-roads.ini" "$Y/logistics-hubs.ini" \
  "$Y/intercity-bus.ini" "$Y/plan2025.ini" --out out/yangcheng
echo "results: out/yangcheng/ (summary.csv, od_delta.csv, accessibility.csv, report.txt; one results folder per scenario)"
