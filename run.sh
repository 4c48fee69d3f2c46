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
  "$Y/intercity-bus.ini" "$Y/plan2025.ini" \
  "$Y/houyue-upgrade.ini" "$Y/expressway-ring.ini" "$Y/airport-access.ini" \
  "$Y/passenger-hubs.ini" "$Y/scenic-road.ini" "$Y/luoyang-bus.ini" "$Y/luoyang-bus-holiday.ini" \
  "$Y/plan2030.ini" "$Y/plan2035.ini" "$Y/gongzhuantie.ini" "$Y/gongzhuantie-parks.ini" \
  "$Y/dache-bujincheng.ini" \
  --airports "郑州新郑机场;太原武宿机场;洛阳北郊机场;运城关公机场" --out out/yangcheng
echo "results: out/yangcheng/ (summary.csv, od_delta.csv, accessibility.csv, airports.csv, report.txt; one results folder per scenario)"
# Tourism as its own purpose (README, "Tourism demand"): what it adds to the
# base on a weekday, a weekend day and a holiday, and three projects compared
# on the holiday day type (the 2020 base with holiday tourism as their base).
./build/taihang compare "$Y/base2020.ini" "$Y/base2020-tourism.ini" "$Y/base2020-tourism-weekend.ini" \
  "$Y/base2020-holiday.ini" --out out/yangcheng-tourism
./build/taihang compare "$Y/base2020-holiday.ini" "$Y/scenic-road-on-holiday.ini" \
  "$Y/luoyang-bus-free-on-holiday.ini" "$Y/intercity-bus-on-holiday.ini" --out out/yangcheng-holiday
echo "results: out/yangcheng-tourism/, out/yangcheng-holiday/ (the same tables)"
# Flow maps (taihang map) into out/maps/: the base (passengers, road, freight,
# county v/c) and each scenario's difference from the base. The date line is
# the date of the commit built (a map never reads the clock, so the same
# inputs give the same bytes).
R=out/yangcheng B=out/yangcheng/base2020 M=out/maps
D=$(git log -1 --format=%cs 2>/dev/null || true)
BB=110.85,34.5,114.05,36.3   # the region around 阳城 (太原, 250 km north, would leave half the map empty)
mkdir -p "$M"
map() { ./build/taihang map "$@" ${D:+--date "$D"}; }
map "$B" --bbox "$BB" --out "$M/base2020-passengers.png" --title "阳城 2020: passenger flows, all modes 客流"
map "$B" --bbox "$BB" --mode road --out "$M/base2020-road.png" --title "阳城 2020: road traffic 道路交通量"
map "$B" --bbox "$BB" --mode freight --out "$M/base2020-freight.png" --title "阳城 2020: freight by road and rail 货运量"
map "$B" --bbox 112.0,35.2,112.95,35.75 --mode road --metric v/c --out "$M/base2020-county-vc.png" \
  --title "阳城县 2020: road volume / capacity 道路饱和度"
while read -r s mode bb title; do  # bb: the region, or the box around the county town
  [ "$bb" = region ] && bb=$BB
  map "$R/$s" --diff "$B" --bbox "$bb" --mode "$mode" --out "$M/$s-vs-base2020.png" --title "$title"
done <<'LIST'
hsr-yangcheng all region 晋城–侯马高铁 HSR: change in passengers per day
yangji-intercity all region 阳济城际铁路 intercity rail: change in passengers per day
jinyang-8lane road region 晋阳高速 8 lanes: change in road traffic
yangyun-expressway road region 阳运高速 expressway: change in road traffic
provincial-roads road region Four provincial roads 四条省道: change in road traffic
logistics-hubs freight 112.2,35.3,112.75,35.65 Logistics parks 物流园区 near 阳城: change in freight tonnes
intercity-bus all region 晋城–阳城–济源–洛阳 bus: change in passengers per day
plan2025 all region Plan 2025, all projects 规划2025: change in passengers per day
houyue-upgrade freight region 侯月铁路/阳城站 提质升级: change in freight tonnes
expressway-ring road region 一环四射 expressway ring: change in road traffic
passenger-hubs all region 皇城相府/阳城南 综合客运枢纽 with the HSR: change in passengers per day
plan2035 all region Plan 2035, all projects 规划2035: change in passengers per day
LIST
echo "maps: $M/ (base2020-*.png, SCENARIO-vs-base2020.png)"
# The planner's report (taihang report): one self-contained HTML file and the
# same as an A4 PDF, dated like the maps.
./build/taihang report out/yangcheng --out out/report.html --pdf out/report.pdf ${D:+--date "$D"}
