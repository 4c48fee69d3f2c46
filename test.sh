#!/usr/bin/env bash
# test.sh: installs what is missing, builds, and runs every test twice: in the
# normal build and in a build with AddressSanitizer and UndefinedBehaviorSanitizer
# (clang, with float-cast-overflow).
set -euo pipefail
cd "$(dirname "$0")"
# the Slurm integration test (tests/test_slurm.sh) starts a one-node cluster
TH_SETUP_EXTRA="${TH_SETUP_EXTRA:-} slurmd slurmctld slurm-client munge" ./setup.sh
[ -d build ] || meson setup build
ninja -C build
meson test -C build --print-errorlogs "$@"
# clang's UBSan, with float-to-integer overflow checked too (issue 17, defect 2)
[ -d build-asan ] || CC=clang meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false \
  -Dc_args=-fsanitize=float-cast-overflow
ninja -C build-asan
meson test -C build-asan --print-errorlogs --timeout-multiplier 4 "$@"
