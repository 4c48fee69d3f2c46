#!/usr/bin/env python3
"""sumo_compare.py SUMO_WORK TAIHANG_RESULTS: one congested grid, side by side.

SUMO_WORK is a run_sumo.sh folder of a meso run with
MESO_OPTS="--tripinfo-output tripinfo.xml" (case.rou.xml, tripinfo.xml);
TAIHANG_RESULTS a `taihang run` results folder of the same case (trips_out.csv,
link_flows.csv, network/link.csv). Prints one CSV line (no header):

  sumo_mean_s,taihang_mean_s,mean_diff_pct,trips_within_10pct,median_abs_diff_pct,
  sumo_teleports,taihang_stuck,links_geh_below_5_pct

Trip times: SUMO's duration plus its departDelay (the wait to be inserted),
against taihang's travel_time_s (arrival minus scheduled departure, which
includes its departure queue); means over trips both completed. Per-trip
differences compare the same trip id. Link volumes: the day's vehicles per
link (SUMO: the routes of the vehicles that arrived; taihang: link_flows.csv),
GEH = sqrt(2 (a - b)^2 / (a + b)) on hourly volumes (daily / hours of
demand), the share of links used by either with GEH < 5.
Python 3 standard library only."""
import csv
import statistics
import sys
import xml.etree.ElementTree as ET


def main():
    sumo, th = sys.argv[1], sys.argv[2]
    hours = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
    s_tt, teleports, arrived_ids = {}, 0, set()
    for _, el in ET.iterparse(f"{sumo}/tripinfo.xml"):
        if el.tag == "tripinfo":
            vid = el.get("id")
            s_tt[vid] = float(el.get("duration")) + float(el.get("departDelay", 0))
            arrived_ids.add(vid)
            if el.get("vaporized"):
                teleports += 1
        el.clear()
    s_vol = {}
    for _, el in ET.iterparse(f"{sumo}/case.rou.xml"):
        if el.tag == "vehicle":
            if el.get("id") in arrived_ids:
                r = el.find("route")
                if r is not None:
                    for e in r.get("edges").split():
                        s_vol[e] = s_vol.get(e, 0) + 1
            el.clear()
    try:
        with open(f"{sumo}/meso.log", encoding="utf-8", errors="replace") as f:
            for line in f:
                if "Teleports:" in line:
                    teleports = int(line.split("Teleports:")[1].split()[0])
    except OSError:
        pass
    t_tt, stuck = {}, 0
    with open(f"{th}/trips_out.csv", newline="") as f:
        for r in csv.DictReader(f):
            stuck += r["status"] == "stuck"
            if r["travel_time_s"]:
                t_tt[r["id"]] = float(r["travel_time_s"])
    t_vol = {}
    with open(f"{th}/link_flows.csv", newline="") as f:
        for r in csv.DictReader(f):
            t_vol[r["link_id"]] = t_vol.get(r["link_id"], 0) + float(r["vehicles"])
    both = [k for k in s_tt if k in t_tt]
    sm = statistics.fmean(s_tt[k] for k in both)
    tm = statistics.fmean(t_tt[k] for k in both)
    d = [abs(t_tt[k] - s_tt[k]) / s_tt[k] for k in both if s_tt[k] > 0]
    within = sum(1 for x in d if x <= 0.10) / len(d)
    geh_ok = n = 0
    for k in set(s_vol) | set(t_vol):
        a, b = s_vol.get(k, 0) / hours, t_vol.get(k, 0) / hours
        if a + b <= 0:
            continue
        n += 1
        geh_ok += (2 * (a - b) ** 2 / (a + b)) ** 0.5 < 5
    print(f"{sm:.1f},{tm:.1f},{100 * (tm - sm) / sm:.1f},{100 * within:.1f},"
          f"{100 * statistics.median(d):.1f},{teleports},{stuck},{100 * geh_ok / max(n, 1):.1f}")


if __name__ == "__main__":
    main()
