#!/usr/bin/env bash
# setup.sh: installs what taihang needs to build and test, from Debian's
# packages, when it is missing. Safe to run again; does nothing when all is there.
set -euo pipefail
pkgs=(meson ninja-build pkg-config gcc libc6-dev
      libigraph-dev libglib2.0-dev libgsl-dev libpng-dev zlib1g-dev
      libcairo2-dev libpango1.0-dev libjson-glib-dev libhdf5-dev fonts-wqy-microhei)
# the sanitizer build and the fuzz targets: clang, its sanitizer and libFuzzer runtimes
pkgs+=(clang llvm libclang-rt-14-dev)
# the report test: headless Chromium renders the HTML, pdftotext reads the PDF
pkgs+=(chromium poppler-utils)
pkgs+=(libzip-dev libreadosm-dev) # taihang import: zipped GTFS feeds; OpenStreetMap XML and PBF
pkgs+=(libproj-dev libgdal-dev)   # GMNS coordinate systems (PROJ); GeoPackage export (GDAL)
[ "${TH_SETUP_EXTRA:-}" ] && read -r -a extra <<<"$TH_SETUP_EXTRA" && pkgs+=("${extra[@]}")
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
