#!/usr/bin/env python3
"""make_import_cases.py OUT_DIR: synthetic inputs for bench/bench_import.sh.

OUT_DIR/grid/        a 100 x 100 GMNS road grid (10,000 nodes, 39,600 links, 25 zones),
                     nodes 0.005 deg apart (about 450 x 550 m)
OUT_DIR/feed/        a GTFS feed on it: 1,500 stops, 100 bus routes of 25 stops with two
                     stop patterns each (the second skips the first 5 stops), 60 trips per
                     pattern 15 min apart, every trip with its own running times:
                     12,000 trips, 270,000 stop_times
OUT_DIR/grid.osm     an OSM XML grid of 200 x 200 nodes 0.002 deg apart, 8,000 ways of
                     five highway classes (some one-way, maxspeed in km/h, mph or junk)
OUT_DIR/zones.csv    50 zone centroids over it
Seeded: the same files every time."""
import os
import random
import sys

out = sys.argv[1]
random.seed(1)

grid = os.path.join(out, "grid")
os.makedirs(grid, exist_ok=True)
N = 100
with open(os.path.join(grid, "node.csv"), "w") as f:
    f.write("node_id,x_coord,y_coord,node_type,zone_id\n")
    for i in range(N):
        for j in range(N):
            nid = i * N + j + 1
            z = i % 20 == 0 and j % 20 == 0
            f.write(f"{nid},{112 + j * 0.005:.4f},{35 + i * 0.005:.4f},"
                    f"{'zone' if z else 'junction'},{nid if z else ''}\n")
lid = 1
with open(os.path.join(grid, "link.csv"), "w") as f:
    f.write("link_id,from_node_id,to_node_id,allowed_uses,length,free_speed,capacity,lanes\n")
    for i in range(N):
        for j in range(N):
            a = i * N + j + 1
            for di, dj in ((0, 1), (1, 0)):
                ii, jj = i + di, j + dj
                if ii < N and jj < N:
                    b = ii * N + jj + 1
                    length = 0.4556 if dj else 0.556
                    for x, y in ((a, b), (b, a)):
                        f.write(f"{lid},{x},{y},road;bus,{length},50,1800,2\n")
                        lid += 1

feed = os.path.join(out, "feed")
os.makedirs(feed, exist_ok=True)
pts = [(112 + j * 0.005, 35 + i * 0.005) for i in range(N) for j in range(N)]
NS = 1500
stops = [(x + random.uniform(-0.001, 0.001), y + random.uniform(-0.001, 0.001))
         for x, y in (random.choice(pts) for _ in range(NS))]
with open(os.path.join(feed, "agency.txt"), "w") as f:
    f.write("agency_id,agency_name,agency_url,agency_timezone\nA,bench,https://example.org,Asia/Shanghai\n")
with open(os.path.join(feed, "stops.txt"), "w") as f:
    f.write("stop_id,stop_name,stop_lat,stop_lon\n")
    for k, (x, y) in enumerate(stops):
        f.write(f"S{k},S{k},{y:.6f},{x:.6f}\n")
with open(os.path.join(feed, "calendar.txt"), "w") as f:
    f.write("service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
            "WK,1,1,1,1,1,0,0,20260101,20261231\n")
R = 100
with open(os.path.join(feed, "routes.txt"), "w") as f:
    f.write("route_id,route_short_name,route_type\n")
    for r in range(R):
        f.write(f"R{r},{r},3\n")
with open(os.path.join(feed, "trips.txt"), "w") as tr, \
        open(os.path.join(feed, "stop_times.txt"), "w") as st:
    tr.write("route_id,service_id,trip_id\n")
    st.write("trip_id,arrival_time,departure_time,stop_id,stop_sequence\n")
    for r in range(R):
        seq = random.sample(range(NS), 25)
        for p in range(2):
            pattern = seq if p == 0 else seq[5:]
            for t in range(60):
                tid = f"T{r}_{p}_{t}"
                tr.write(f"R{r},WK,{tid}\n")
                tm = 6 * 3600 + t * 900 + random.randint(0, 120)
                for k, s in enumerate(pattern):
                    hms = f"{tm // 3600:02d}:{tm // 60 % 60:02d}:{tm % 60:02d}"
                    st.write(f"{tid},{hms},{hms},S{s},{k + 1}\n")
                    tm += random.randint(120, 400)

M = 200
classes = ["primary", "secondary", "tertiary", "residential", "unclassified"]
with open(os.path.join(out, "grid.osm"), "w") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6">\n')
    for i in range(M):
        for j in range(M):
            f.write(f' <node id="{1000000 + i * M + j}" lat="{35 + i * 0.002:.6f}" lon="{112 + j * 0.002:.6f}"/>\n')
    wid = 1
    for i in range(M):
        for j0 in range(0, M - 1, 10):
            refs = "".join(f'<nd ref="{1000000 + i * M + j}"/>' for j in range(j0, min(j0 + 10, M - 1) + 1))
            oneway = '<tag k="oneway" v="yes"/>' if i % 7 == 3 else ""
            f.write(f' <way id="{wid}">{refs}<tag k="highway" v="{classes[i % 5]}"/>{oneway}</way>\n')
            wid += 1
    for j in range(M):
        for i0 in range(0, M - 1, 10):
            refs = "".join(f'<nd ref="{1000000 + i * M + j}"/>' for i in range(i0, min(i0 + 10, M - 1) + 1))
            speed = random.choice(["40", "60", "30 mph", "x"])
            f.write(f' <way id="{wid}">{refs}<tag k="highway" v="{classes[j % 5]}"/>'
                    f'<tag k="maxspeed" v="{speed}"/></way>\n')
            wid += 1
    f.write("</osm>\n")
with open(os.path.join(out, "zones.csv"), "w") as f:
    f.write("zone_id,name,x_coord,y_coord\n")
    for k in range(50):
        f.write(f"{k + 1},z{k},{112 + random.random() * 0.4:.4f},{35 + random.random() * 0.4:.4f}\n")
