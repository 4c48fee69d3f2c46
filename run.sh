#!/usr/bin/env bash
# run.sh: installs what is missing, builds, and runs the main job into out/.
set -euo pipefail
cd "$(dirname "$0")"
./setup.sh
[ -d build ] || meson setup build
ninja -C build
mkdir -p out
./build/taihang skim scenarios/sample --mode road --out out/sample_skim.csv
echo "results: out/sample_skim.csv"
