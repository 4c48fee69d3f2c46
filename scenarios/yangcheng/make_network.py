#!/usr/bin/env python3
"""make_network.py: generates the Yangcheng (阳城) base network of 2020 and the
patch files of the plan's projects, as GMNS-style CSV (see README, "Network
files").  Standard library only; run it from anywhere:

    python3 scenarios/yangcheng/make_network.py

It rewrites base2020/{node,link,services,hubs,classes}.csv and patches/*.csv
beside itself.  The generated files are committed; ids are fixed in this
script (never derived from list positions), so patches and results stay valid
when the script changes.

Provenance (the `source` column): H = stated by a source, M = one secondary
source or rounded, E = estimate.  Facts and their confidence come from
/work/shared/design/YANGCHENG.md (copied into README); everything else is E.
Lengths: a stated length where one is known (H/M), otherwise the great-circle
distance between the end nodes times a detour factor for the road class and
terrain (DETOUR below), marked E.  Speeds and capacities: the design-speed
table of JTG B01-2014 (CAPS below), marked E because the class of each road is
itself an estimate.
"""
import csv
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))

# --------------------------------------------------------------------------
# Nodes: id, name, lat, lon, type, population, gdp (亿元), source
# Zones use their node id as zone id.  Towns of Yangcheng 1..18, external
# zones 21..35 (cities are `town` nodes so that buses can stop there).
# --------------------------------------------------------------------------
# Yangcheng: county 366,800 people (2021, M) and GDP 244.6 亿元 (2020, M),
# split over the towns by an estimated share (E); the county town 凤城 holds
# about a third.
TOWNS = [
    (1, "阳城(凤城)", 35.48, 112.42, 120000),
    (2, "北留", 35.50, 112.56, 26000),
    (3, "润城", 35.47, 112.52, 22000),
    (4, "町店", 35.54, 112.43, 20000),
    (5, "芹池", 35.57, 112.30, 18000),
    (6, "次营", 35.61, 112.44, 12000),
    (7, "横河", 35.37, 112.13, 10000),
    (8, "河北", 35.41, 112.38, 15000),
    (9, "蟒河", 35.28, 112.44, 9000),
    (10, "东冶", 35.32, 112.57, 14000),
    (11, "白桑", 35.42, 112.46, 13000),
    (12, "寺头", 35.33, 112.33, 10000),
    (13, "西河", 35.49, 112.33, 12000),
    (14, "演礼", 35.44, 112.35, 14000),
    (15, "固隆", 35.55, 112.50, 12000),
    (16, "驾岭", 35.62, 112.50, 11000),
    (17, "董封", 35.46, 112.24, 11000),
    (18, "八甲口", 35.48, 112.47, 17800),
]
COUNTY_GDP = 244.6
# towns with coal mines and industry produce more per head (E)
GDP_WEIGHT = {1: 1.3, 2: 1.5, 3: 1.4, 4: 1.2, 5: 1.2, 15: 1.3, 16: 1.2, 18: 1.3}

# External zones: population 2020 census, GDP 2020 (亿元).  Prefectures that
# contain another zone of the model are reduced by it (晋城 without 阳城, 高平
# and 沁水; 运城 without 垣曲; 临汾 without 侯马 and 翼城), so no one is
# counted twice; such derived figures are marked M.
EXTERNAL = [
    # id, name, lat, lon, pop, gdp, source
    (21, "晋城", 35.491, 112.852, 2194545 - 366800 - 453054 - 194800, 1425.7 - 244.6 - 300 - 170, "M"),
    (22, "济源", 35.067, 112.602, 727265, 703.16, "H"),
    (23, "洛阳", 34.62, 112.45, 7056699, 5128.4, "M"),
    (24, "郑州", 34.75, 113.62, 12600574, 12003, "M"),
    (25, "焦作", 35.216, 113.242, 3521078, 2124, "H"),
    (26, "长治", 36.195, 113.097, 3180884, 1711.6, "M"),
    (27, "运城", 35.028, 111.001, 4774508 - 193900, 1643.6 - 100, "M"),
    (28, "侯马", 35.60, 111.35, 257854, 120, "E"),
    (29, "沁水", 35.68, 112.18, 194800, 170, "E"),
    (30, "高平", 35.798, 112.918, 453054, 300, "E"),
    (31, "垣曲", 35.30, 111.67, 193900, 100, "E"),
    (32, "翼城", 35.740, 111.713, 264181, 110, "E"),
    (33, "新乡", 35.304, 113.927, 6251929, 3014.5, "H"),
    (34, "太原", 37.87, 112.56, 5304061, 4153.3, "M"),
    (35, "临汾", 36.088, 111.519, 3976481 - 257854 - 264181, 1505 - 120 - 110, "M"),
]

# Road junctions (expressway interchanges), all positions E.
JUNCTIONS = [
    (101, "洪上枢纽(晋阳/阳济/阳翼)", 35.52, 112.45),
    (102, "北留互通", 35.515, 112.575),
    (103, "晋城南枢纽(G55/晋阳)", 35.45, 112.80),
    (104, "演礼南任村枢纽(阳蟒/阳运)", 35.43, 112.37),
    (105, "蟒河互通", 35.30, 112.45),
    (106, "晋豫省界(阳济)", 35.20, 112.50),
    (107, "济源枢纽(G55/阳济)", 35.10, 112.62),
    (108, "芹池互通", 35.575, 112.31),
    (109, "郑庄互通(阳翼)", 35.64, 112.05),
    (110, "翼城东互通", 35.70, 111.86),
    (111, "晋城北枢纽(G55/长晋)", 35.56, 112.87),
    (112, "晋豫省界(G55)", 35.28, 112.72),
    (113, "阳运省界(垣曲)", 35.36, 112.02),
    # city entries: the last kilometres into a large city run on urban streets
    (114, "洛阳北入口", 34.70, 112.44),
    (115, "郑州西北入口", 34.85, 113.50),
]

# Stations and hubs.  Positions E (±2 km) unless a source gives them.
STATIONS = [
    # conventional rail: 侯月 (freight only since 2019) and 太焦, 焦柳, 京广
    (201, "侯马北站", 35.64, 111.37, "station"),
    (202, "翼城东站(侯月)", 35.72, 111.75, "station"),
    (203, "沁水站", 35.69, 112.12, "station"),
    (204, "嘉峰站", 35.62, 112.35, "station"),
    (205, "蒿谷站", 35.55, 112.40, "station"),
    (206, "阳城站", 35.455, 112.47, "station"),
    (207, "磨滩站", 35.35, 112.62, "station"),
    (208, "盘古寺站", 35.17, 112.88, "station"),
    (209, "月山站", 35.20, 113.08, "station"),
    (210, "焦作站", 35.21, 113.23, "station"),
    (211, "新乡站", 35.30, 113.90, "station"),
    (212, "郑州站", 34.75, 113.65, "station"),
    (213, "晋城北站", 35.53, 112.85, "station"),
    (214, "高平站", 35.79, 112.92, "station"),
    (215, "长治北站", 36.22, 113.10, "station"),
    (216, "太原站", 37.87, 112.57, "station"),
    (217, "洛阳站", 34.68, 112.45, "station"),
    # high-speed rail
    (251, "太原南站", 37.79, 112.60, "station"),
    (252, "长治东站", 36.17, 113.14, "station"),
    (253, "高平东站", 35.81, 112.96, "station"),
    (254, "晋城东站", 35.50, 112.90, "station"),
    (256, "郑州东站", 34.76, 113.77, "station"),
    (257, "洛阳龙门站", 34.59, 112.46, "station"),
    (258, "临汾西站", 36.08, 111.48, "station"),
    (259, "侯马西站", 35.62, 111.33, "station"),
    (260, "运城北站", 35.07, 111.03, "station"),
]
# The airports that matter to 阳城 (issue 20), for the door-to-door airport
# times of `taihang compare --airports`: aerodrome reference points rounded
# to 0.01 degree (M; public airport listings), as plain road nodes.
AIRPORTS = [
    (241, "郑州新郑机场", 34.52, 113.84),
    (242, "太原武宿机场", 37.75, 112.63),
    (243, "洛阳北郊机场", 34.74, 112.39),
    (244, "运城关公机场", 35.12, 111.03),
]
# nodes that exist only in project patches
PROJECT_NODES = {
    "hsr-yangcheng": [
        (271, "晋城南站", 35.45, 112.78, "station"),
        (272, "皇城相府站", 35.52, 112.58, "station"),
        (273, "阳城南站", 35.44, 112.43, "station"),
        (274, "沁水南站", 35.63, 112.15, "station"),
        (275, "翼城站(高铁)", 35.72, 111.72, "station"),
    ],
    "yangji-intercity": [
        (281, "阳城站(城际)", 35.47, 112.44, "station"),
        (282, "蟒河站(城际)", 35.29, 112.45, "station"),
        (283, "济源东站", 35.09, 112.64, "station"),
    ],
    "logistics-hubs": [
        (301, "八甲口物流园", 35.485, 112.48, "hub"),
        (302, "太行现代产业物流园", 35.45, 112.485, "hub"),
    ],
}

# --------------------------------------------------------------------------
# Road classes: design speed (JTG B01-2014) and capacity per lane (pcu/h).
# Mountain expressways of Shanxi and western Henan are mostly 80 km/h; the
# plain expressways of Henan 100-120.  Capacities: about 1,800 pcu/h/lane at
# 80 km/h with long grades and many trucks (E), 2,000 at 100+.
# --------------------------------------------------------------------------
CAPS = {
    # facility: (free_speed km/h, capacity per lane pcu/h, lanes per direction, cost per tkm)
    "expressway": (80, 1800, 2, 0.40),
    "expressway_plain": (100, 2000, 2, 0.40),
    "national": (50, 1300, 1, 0.45),     # class II, two-lane; 50 km/h average through towns (E)
    "provincial": (50, 1100, 1, 0.45),   # class II/III in the mountains
    "county": (40, 800, 1, 0.50),        # class III
    "urban": (40, 1200, 1, 0.50),
}
DETOUR = {"expressway": 1.2, "expressway_plain": 1.15, "national": 1.35,
          "provincial": 1.4, "county": 1.45, "urban": 1.3}


def hav_km(a, b):
    lat1, lon1 = math.radians(a[0]), math.radians(a[1])
    lat2, lon2 = math.radians(b[0]), math.radians(b[1])
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


POS = {}
NAME = {}
for t in TOWNS:
    POS[t[0]] = (t[2], t[3]); NAME[t[0]] = t[1]
for t in EXTERNAL:
    POS[t[0]] = (t[2], t[3]); NAME[t[0]] = t[1]
for t in JUNCTIONS:
    POS[t[0]] = (t[2], t[3]); NAME[t[0]] = t[1]
for t in STATIONS + [a + ("junction",) for a in AIRPORTS]:
    POS[t[0]] = (t[2], t[3]); NAME[t[0]] = t[1]
for lst in PROJECT_NODES.values():
    for t in lst:
        POS[t[0]] = (t[2], t[3]); NAME[t[0]] = t[1]


def fmt(x, nd=3):
    s = ("%." + str(nd) + "f") % x
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def geometry(nodes):
    return "LINESTRING (" + ", ".join("%s %s" % (fmt(POS[n][1], 4), fmt(POS[n][0], 4)) for n in nodes) + ")"


# --------------------------------------------------------------------------
# Road segments: (segment id, [node chain], facility, name, known length km or
# None, source of the length).  Every segment becomes two directed links with
# ids 10*sid+1 (forward along the chain's ends) and 10*sid+2 (back).  A chain
# of more than two nodes is one link whose geometry passes the middle nodes.
# --------------------------------------------------------------------------
ROADS = []


def road(sid, a, b, fac, name, length=None, src="E", lanes=None, speed=None, via=(), cap=None):
    ROADS.append(dict(sid=sid, a=a, b=b, fac=fac, name=name, length=length, src=src,
                      lanes=lanes, speed=speed, via=list(via), cap=cap))


def split_len(chain, total):
    """Splits a stated total length over consecutive segments in proportion to
    their great-circle lengths."""
    d = [hav_km(POS[chain[i]], POS[chain[i + 1]]) for i in range(len(chain) - 1)]
    s = sum(d)
    return [total * x / s for x in d]


# 晋阳 expressway (S86): about 44 km 晋城 (G55) – 洪上 (M), 4 lanes today (E).
# Long grades with a large share of coal trucks: 1,400 pcu/h/lane instead of
# 1,800 (E; HCM grade and heavy-vehicle adjustments of about 20 %).
JINYANG_CAP = 1400
for sid, (a, b), L in zip((1, 2), ((103, 102), (102, 101)), split_len([103, 102, 101], 44.0)):
    road(sid, a, b, "expressway", "晋阳高速 S86", L, "M", cap=JINYANG_CAP)
# 阳济 expressway: 阳蟒 section in Shanxi 40.1 km (E), 济源 section 19.7 km (H)
for sid, (a, b), L in zip((3, 4, 5), ((101, 104), (104, 105), (105, 106)), split_len([101, 104, 105, 106], 40.1)):
    road(sid, a, b, "expressway", "阳济高速(阳蟒段)", L, "E")
road(6, 106, 107, "expressway", "阳济高速(济源段)", 19.7, "H")
# 阳翼 expressway 64.8 km (M), then 翼侯 to 侯马 (E)
for sid, (a, b), L in zip((7, 8, 9), ((101, 108), (108, 109), (109, 110)), split_len([101, 108, 109, 110], 64.8)):
    road(sid, a, b, "expressway", "阳翼高速", L, "M")
road(10, 110, 32, "national", "翼城连接线")
road(11, 110, 28, "expressway", "翼侯高速")
# G55 二广 expressway 晋城 – 济源 – 洛阳; 长晋 to 高平/长治
# expressway connectors and city entries: urban arterials with 2 lanes per direction (E)
road(12, 21, 111, "urban", "晋城北连接线", lanes=2)
road(13, 21, 103, "urban", "晋城南连接线", lanes=2)
road(14, 111, 103, "expressway", "G55 二广高速(晋城绕城)")
road(15, 103, 112, "expressway", "G55 二广高速(晋城–省界)")
road(16, 112, 107, "expressway", "G55 二广高速(省界–济源)")
road(17, 107, 22, "urban", "济源连接线", lanes=2)
road(18, 107, 114, "expressway_plain", "G55 二广高速(济源–洛阳)")
road(31, 114, 23, "urban", "洛阳北入城道路", lanes=2)
road(32, 115, 24, "urban", "郑州西北入城道路", lanes=2)
road(19, 111, 30, "expressway", "G55 长晋高速(晋城–高平)")
road(20, 30, 26, "expressway", "G55 长晋高速(高平–长治)")
road(21, 26, 34, "expressway_plain", "长太高速(长治–太原)")
# onward to 焦作, 郑州, 新乡, 运城, 临汾
road(22, 103, 25, "expressway", "晋焦高速 G5512")
road(23, 25, 115, "expressway_plain", "郑焦高速")
road(24, 25, 33, "expressway_plain", "焦新高速")
road(25, 33, 24, "expressway_plain", "京港澳高速(新乡–郑州)")
road(26, 23, 24, "expressway_plain", "连霍高速 G30(洛阳–郑州)")
road(27, 22, 25, "expressway_plain", "济焦高速")
road(28, 28, 27, "expressway_plain", "侯运高速")
road(29, 28, 35, "expressway_plain", "大运高速(侯马–临汾)")
road(30, 35, 34, "expressway_plain", "大运高速(临汾–太原)")
# routes that avoid the county, so through traffic is not forced across it
road(33, 27, 23, "expressway_plain", "运宝/连霍高速(运城–三门峡–洛阳)", 250.0, "E")
road(34, 35, 26, "expressway", "长临高速(临汾–长治)", 200.0, "E")
# national and provincial roads between towns and to neighbours (E)
road(40, 1, 18, "national", "阳城–八甲口(晋阳公路)")
road(41, 18, 3, "national", "八甲口–润城(晋阳公路)")
road(42, 3, 2, "national", "润城–北留(晋阳公路)")
road(43, 2, 21, "national", "北留–晋城(晋阳公路)")
road(44, 1, 13, "national", "阳城–西河")
road(45, 13, 5, "national", "西河–芹池")
road(46, 5, 29, "national", "芹池–沁水")
road(47, 1, 14, "provincial", "阳城–演礼")
road(48, 14, 8, "provincial", "演礼–河北")
road(49, 8, 12, "provincial", "河北–寺头")
road(50, 11, 9, "provincial", "白桑–蟒河")
road(51, 9, 22, "provincial", "蟒河–济源(邵原方向)")
road(52, 17, 7, "provincial", "董封–横河")
road(53, 7, 31, "provincial", "横河–垣曲")
road(54, 2, 102, "urban", "北留互通连接线", lanes=2)
road(55, 1, 101, "urban", "阳城北连接线(洪上)", lanes=2)
road(56, 14, 104, "urban", "演礼互通连接线", lanes=2)
road(57, 9, 105, "urban", "蟒河互通连接线", lanes=2)
road(58, 5, 108, "urban", "芹池互通连接线", lanes=2)
road(59, 29, 109, "national", "沁水–郑庄互通")
road(60, 31, 27, "national", "垣曲–运城")
road(61, 32, 28, "national", "翼城–侯马")
road(62, 29, 26, "national", "沁水–长治(沁长公路)")
# county road grid (class III, E)
road(70, 1, 4, "county", "阳城–町店")
road(71, 4, 15, "county", "町店–固隆")
road(72, 15, 2, "county", "固隆–北留")
road(73, 4, 6, "county", "町店–次营")
road(74, 6, 16, "county", "次营–驾岭")
road(75, 15, 16, "county", "固隆–驾岭")
road(76, 13, 17, "county", "西河–董封")
road(77, 14, 17, "county", "演礼–董封")
road(78, 5, 17, "county", "芹池–董封")
road(79, 12, 7, "county", "寺头–横河")
road(80, 1, 11, "county", "阳城–白桑")
road(81, 11, 10, "county", "白桑–东冶")
road(82, 9, 10, "county", "蟒河–东冶")
road(83, 3, 10, "county", "润城–东冶")
road(84, 8, 11, "county", "河北–白桑")
road(85, 5, 4, "county", "芹池–町店")
road(86, 16, 204, "county", "驾岭–嘉峰")
road(87, 10, 21, "county", "东冶–晋城(泽州)")
# station access roads (urban, E)
road(90, 206, 18, "urban", "阳城站进站路")
road(91, 206, 1, "urban", "阳城站–县城")
road(92, 213, 21, "urban", "晋城北站进站路")
road(93, 254, 21, "urban", "晋城东站进站路")
road(94, 210, 25, "urban", "焦作站进站路")
road(95, 211, 33, "urban", "新乡站进站路")
road(96, 212, 24, "urban", "郑州站进站路")
road(97, 256, 24, "urban", "郑州东站进站路")
road(98, 257, 23, "urban", "洛阳龙门站进站路")
road(99, 217, 23, "urban", "洛阳站进站路")
road(100, 251, 34, "urban", "太原南站进站路")
road(101, 216, 34, "urban", "太原站进站路")
road(102, 252, 26, "urban", "长治东站进站路")
road(103, 215, 26, "urban", "长治北站进站路")
road(104, 253, 30, "urban", "高平东站进站路")
road(105, 214, 30, "urban", "高平站进站路")
road(106, 258, 35, "urban", "临汾西站进站路")
road(107, 259, 28, "urban", "侯马西站进站路")
road(108, 201, 28, "urban", "侯马北站进站路")
road(109, 260, 27, "urban", "运城北站进站路")
road(110, 202, 32, "urban", "翼城东站进站路")
road(111, 203, 29, "urban", "沁水站进站路")
road(112, 204, 6, "county", "嘉峰站–次营")
road(113, 205, 4, "county", "蒿谷站–町店")
road(114, 207, 10, "county", "磨滩站–东冶")
road(115, 208, 22, "provincial", "盘古寺站–济源")
road(116, 209, 25, "urban", "月山站–焦作")
# airport access roads (airport expressways, E): to the city's zone node
road(117, 241, 24, "expressway_plain", "郑州机场高速")
road(118, 242, 34, "urban", "太原武宿机场路")
road(119, 243, 23, "urban", "洛阳北郊机场路")
road(120, 244, 27, "urban", "运城机场路")

# --------------------------------------------------------------------------
# Rail segments: (sid, a, b, mode, name, length or None, src, speed km/h)
# ids 10*sid+1 / +2 as for roads.  Conventional rail freight 80 km/h line
# speed (E); HSR 250 km/h (郑太, H) and 350 km/h (郑西, 大西 at 250, M).
# --------------------------------------------------------------------------
RAILS = []


def rail(sid, a, b, mode, fac, name, length=None, src="E", speed=80, cost=0.155):
    RAILS.append(dict(sid=sid, a=a, b=b, mode=mode, fac=fac, name=name, length=length, src=src,
                      speed=speed, cost=cost))


# 侯月 railway, 252 km 侯马–月山 (H), stations from the facts file
HOUYUE = [201, 202, 203, 204, 205, 206, 207, 208, 209]
for k, L in enumerate(split_len(HOUYUE, 252.0)):
    rail(200 + k, HOUYUE[k], HOUYUE[k + 1], "rail", "rail", "侯月铁路", L, "H", 80)
# 太焦 railway 太原–长治北–高平–晋城北–月山–焦作, 焦柳/新焦/京广 onward (E)
rail(210, 216, 215, "rail", "rail", "太焦铁路(太原–长治北)", None, "E", 90)
rail(211, 215, 214, "rail", "rail", "太焦铁路(长治北–高平)", None, "E", 90)
rail(212, 214, 213, "rail", "rail", "太焦铁路(高平–晋城北)", None, "E", 90)
rail(213, 213, 209, "rail", "rail", "太焦铁路(晋城北–月山)", None, "E", 70)
rail(214, 209, 210, "rail", "rail", "焦柳铁路(月山–焦作)", None, "E", 80)
rail(215, 210, 211, "rail", "rail", "新焦铁路(焦作–新乡)", None, "E", 100)
rail(216, 211, 212, "rail", "rail", "京广铁路(新乡–郑州)", None, "E", 120)
rail(217, 210, 217, "rail", "rail", "焦柳铁路(焦作–洛阳)", None, "E", 90)
# 郑太 HSR: 晋城东–焦作 62 km, 晋城东–郑州 140 km, 晋城东–太原南 297 km (M)
for k, L in enumerate(split_len([254, 253, 252, 251], 297.0)):
    rail(230 + k, [254, 253, 252, 251][k], [254, 253, 252, 251][k + 1], "hsr", "hsr", "郑太高铁", L, "M", 250, 0)
rail(233, 254, 210, "hsr", "hsr", "郑太高铁(晋城东–焦作)", 62.0, "M", 250, 0)
rail(234, 210, 256, "hsr", "hsr", "郑焦城际(焦作–郑州东)", 78.0, "M", 200, 0)
# 郑西 HSR 郑州东–洛阳龙门 and 大西 HSR 太原南–临汾西–侯马西–运城北 (E lengths)
rail(235, 256, 257, "hsr", "hsr", "郑西高铁(郑州东–洛阳龙门)", None, "E", 300, 0)
rail(236, 251, 258, "hsr", "hsr", "大西高铁(太原南–临汾西)", None, "E", 250, 0)
rail(237, 258, 259, "hsr", "hsr", "大西高铁(临汾西–侯马西)", None, "E", 250, 0)
rail(238, 259, 260, "hsr", "hsr", "大西高铁(侯马西–运城北)", None, "E", 250, 0)

DETOUR_RAIL = {"rail": 1.25, "hsr": 1.12, "intercity": 1.15, "siding": 1.3}


def link_rows_for_road(r):
    cap = CAPS[r["fac"]]
    speed = r["speed"] or cap[0]
    lanes = r["lanes"] or cap[2]
    chain = [r["a"]] + r["via"] + [r["b"]]
    if r["length"] is not None:
        L, src = r["length"], r["src"]
    else:
        L = sum(hav_km(POS[chain[i]], POS[chain[i + 1]]) for i in range(len(chain) - 1)) * DETOUR[r["fac"]]
        src = "E"
        L = max(L, 0.5)
    fac = "expressway" if r["fac"].startswith("expressway") else r["fac"]
    uses = "road;bus"
    toll = 0.0
    if fac == "expressway":
        toll = round(L * 0.5, 1)  # Shanxi/Henan class-1 car toll about 0.5 yuan/km (M)
    rows = []
    for k, (a, b, ch) in enumerate(((r["a"], r["b"], chain), (r["b"], r["a"], chain[::-1]))):
        rows.append(dict(link_id=r["sid"] * 10 + 1 + k, from_node_id=a, to_node_id=b, name=r["name"],
                         facility_type=fac, allowed_uses=uses, length=fmt(L), free_speed=fmt(speed, 1),
                         capacity=fmt((r["cap"] or cap[1]) * lanes, 0), lanes=lanes, bpr_alpha="0.15", bpr_beta="4",
                         toll=fmt(toll, 1), cost_per_tkm=fmt(cap[3], 3), geometry=geometry(ch), source=src))
    return rows


def link_rows_for_rail(r):
    if r["length"] is not None:
        L, src = r["length"], r["src"]
    else:
        L = hav_km(POS[r["a"]], POS[r["b"]]) * DETOUR_RAIL[r["fac"]]
        src = "E"
    rows = []
    for k, (a, b) in enumerate(((r["a"], r["b"]), (r["b"], r["a"]))):
        rows.append(dict(link_id=r["sid"] * 10 + 1 + k, from_node_id=a, to_node_id=b, name=r["name"],
                         facility_type=r["fac"], allowed_uses=r["mode"], length=fmt(L), free_speed=fmt(r["speed"], 1),
                         capacity="", lanes=2, bpr_alpha="", bpr_beta="", toll="0",
                         cost_per_tkm=fmt(r["cost"], 3), geometry=geometry([a, b]), source=src))
    return rows


NODE_COLS = ["node_id", "name", "x_coord", "y_coord", "node_type", "zone_id", "population", "gdp", "jobs", "source"]
LINK_COLS = ["link_id", "from_node_id", "to_node_id", "name", "facility_type", "allowed_uses", "length",
             "free_speed", "capacity", "lanes", "bpr_alpha", "bpr_beta", "toll", "cost_per_tkm", "geometry", "source"]
SERVICE_COLS = ["line", "name", "mode", "kind", "stops", "run_min", "speed_kmh", "dwell_min", "first_dep",
                "last_dep", "headway_min", "departures", "capacity", "fare_flat", "fare_per_km", "source"]
HUB_COLS = ["node_id", "name", "kind", "modes", "transfer_min", "handling_rate_tph", "handling_cost_per_t",
            "dwell_limit_h", "source"]


def node_row(nid, name, lat, lon, typ, pop="", gdp="", src="E"):
    zone = nid if typ == "town" else ""
    return dict(node_id=nid, name=name, x_coord=fmt(lon, 4), y_coord=fmt(lat, 4), node_type=typ, zone_id=zone,
                population=pop, gdp=gdp, jobs="", source=src)


def base_nodes():
    rows = []
    wsum = sum(t[4] * GDP_WEIGHT.get(t[0], 1.0) for t in TOWNS)
    for t in TOWNS:
        gdp = COUNTY_GDP * t[4] * GDP_WEIGHT.get(t[0], 1.0) / wsum
        rows.append(node_row(t[0], t[1], t[2], t[3], "town", t[4], fmt(gdp, 2), "E"))
    for t in EXTERNAL:
        rows.append(node_row(t[0], t[1], t[2], t[3], "town", t[4], fmt(t[5], 2), t[6]))
    for t in JUNCTIONS:
        rows.append(node_row(t[0], t[1], t[2], t[3], "junction"))
    for t in STATIONS:
        rows.append(node_row(t[0], t[1], t[2], t[3], t[4]))
    for t in AIRPORTS:
        rows.append(node_row(t[0], t[1], t[2], t[3], "junction", src="M"))
    return rows


# --------------------------------------------------------------------------
# Services (2020 timetable, simplified to regular headways).  Run minutes per
# segment where a timetable gives them (M), otherwise from link speeds (E).
# Fares: HSR second class about 0.46-0.48 yuan/km (M), conventional hard seat
# about 0.15 yuan/km (M), intercity buses about 0.35 yuan/km (E).
# --------------------------------------------------------------------------
def svc(line, name, mode, kind, stops, run_min="", speed="", dwell="2", first="", last="", headway="",
        deps="", cap="", flat="0", per_km="0", src="E"):
    return dict(line=line, name=name, mode=mode, kind=kind, stops=";".join(str(s) for s in stops),
                run_min=";".join(str(x) for x in run_min) if run_min else "", speed_kmh=speed, dwell_min=dwell,
                first_dep=first, last_dep=last, headway_min=headway, departures=deps, capacity=cap,
                fare_flat=flat, fare_per_km=per_km, source=src)


def both(line, name, mode, kind, stops, run_min="", **kw):
    """A line in both directions: LINE-1 along STOPS, LINE-2 back."""
    a = svc(line + "-1", name, mode, kind, stops, run_min, **kw)
    b = svc(line + "-2", name + "(返)", mode, kind, stops[::-1], run_min[::-1] if run_min else "", **kw)
    return [a, b]


def base_services():
    s = []
    # 郑太 HSR 太原南–长治东–高平东–晋城东–焦作–郑州东; 晋城东–郑州东 about 53
    # min, 太原–郑州 about 2 h 24 (H/M)
    s += both("G-TZ", "郑太高铁 太原南–郑州东", "hsr", "passenger", [251, 252, 253, 254, 210, 256],
              [58, 13, 10, 22, 28], dwell="3", first="07:00", last="19:00", headway="60", cap="578",
              flat="2", per_km="0.48", src="M")
    s += both("G-JZ", "郑太高铁 晋城东–郑州东(始发)", "hsr", "passenger", [254, 210, 256], [22, 28], dwell="3",
              first="06:40", last="20:40", headway="120", cap="578", flat="2", per_km="0.48", src="M")
    s += both("G-ZL", "郑西高铁 郑州东–洛阳龙门", "hsr", "passenger", [256, 257], [36], first="06:30",
              last="22:00", headway="30", cap="578", flat="2", per_km="0.45", src="M")
    s += both("D-DX", "大西高铁 太原南–临汾西–侯马西–运城北", "hsr", "passenger", [251, 258, 259, 260],
              [78, 20, 26], first="07:00", last="20:00", headway="60", cap="578", flat="2", per_km="0.42", src="M")
    # conventional passenger trains on 太焦 (K trains; a few a day, M)
    s += both("K-TJ", "太焦线 太原–长治北–高平–晋城北–焦作–郑州", "rail", "passenger",
              [216, 215, 214, 213, 210, 212], "", speed="", dwell="5", deps="07:30;11:20;15:10;21:40",
              cap="1100", flat="5", per_km="0.15", src="E")
    s += both("K-JL", "焦柳线 焦作–洛阳", "rail", "passenger", [210, 217], "", dwell="5",
              deps="08:10;13:30;18:20", cap="1100", flat="5", per_km="0.15", src="E")
    # coal and general freight on 侯月 (about 100 Mt/year on the line; 阳城's
    # share about 12 coal trains a day of 5,000 t, E)
    s.append(svc("F-COAL-XX", "侯月线 运煤 阳城–月山–焦作–新乡", "rail", "freight", [206, 209, 210, 211],
                 "", speed="60", dwell="20", first="00:30", last="22:30", headway="120", cap="5000", src="E"))
    s.append(svc("F-COAL-ZZ", "侯月线 运煤 阳城–月山–焦作–郑州", "rail", "freight", [206, 209, 210, 211, 212],
                 "", speed="60", dwell="20", first="01:30", last="21:30", headway="240", cap="5000", src="E"))
    s.append(svc("F-COAL-LY", "侯月线 运煤 阳城–月山–焦作–洛阳", "rail", "freight", [206, 209, 210, 217],
                 "", speed="60", dwell="20", first="03:00", last="21:00", headway="360", cap="4000", src="E"))
    s.append(svc("F-GEN-1", "侯月线 杂货 新乡–焦作–月山–阳城–侯马北", "rail", "freight", [211, 210, 209, 206, 201],
                 "", speed="60", dwell="20", first="02:00", last="20:00", headway="360", cap="3000", src="E"))
    s.append(svc("F-GEN-2", "侯月线 杂货 侯马北–阳城–月山–焦作–新乡", "rail", "freight", [201, 206, 209, 210, 211],
                 "", speed="60", dwell="20", first="04:00", last="22:00", headway="360", cap="3000", src="E"))
    # buses: 阳城–晋城 intercity every 30 min, county lines, 洛阳–阳城 coach
    s += both("B-YJ", "阳城–晋城 城际公交", "bus", "passenger", [1, 21], "", dwell="1", first="06:30",
              last="19:30", headway="20", cap="45", flat="25", per_km="0", src="E")
    s += both("B-C1", "县内公交 阳城–八甲口–润城–北留", "bus", "passenger", [1, 18, 3, 2], "", dwell="1",
              first="06:30", last="19:30", headway="30", cap="40", flat="3", src="E")
    s += both("B-C2", "县内公交 阳城–町店–次营–驾岭", "bus", "passenger", [1, 4, 6, 16], "", dwell="1",
              first="06:30", last="19:30", headway="30", cap="40", flat="3", src="E")
    s += both("B-C3", "县内公交 阳城–演礼–河北–寺头", "bus", "passenger", [1, 14, 8, 12], "", dwell="1",
              first="06:30", last="19:30", headway="30", cap="40", flat="3", src="E")
    s += both("B-C4", "县内公交 阳城–西河–芹池", "bus", "passenger", [1, 13, 5], "", dwell="1",
              first="06:30", last="19:30", headway="30", cap="40", flat="3", src="E")
    s += both("B-LY", "洛阳–阳城 省际客运", "bus", "passenger", [1, 23], "", dwell="1",
              deps="08:00;14:00", cap="45", flat="75", src="E")
    return s


def base_hubs():
    h = []
    # freight: 阳城站 coal loading (rail–road), terminals at the receiving end
    h.append(dict(node_id=206, name="阳城站", kind="station", modes="road;rail", transfer_min="10",
                  handling_rate_tph="1500", handling_cost_per_t="18", dwell_limit_h="48", source="E"))
    for nid in (210, 211, 212, 217, 201, 209):
        h.append(dict(node_id=nid, name=NAME[nid], kind="station", modes="road;rail", transfer_min="10",
                      handling_rate_tph="3000", handling_cost_per_t="15", dwell_limit_h="48", source="E"))
    for nid in (213, 214, 215, 216):
        h.append(dict(node_id=nid, name=NAME[nid], kind="station", modes="road;rail", transfer_min="10",
                      handling_rate_tph="", handling_cost_per_t="", dwell_limit_h="", source="E"))
    for nid in (251, 252, 253, 254, 256, 257, 258, 259, 260):
        h.append(dict(node_id=nid, name=NAME[nid], kind="station", modes="road;hsr", transfer_min="12",
                      handling_rate_tph="", handling_cost_per_t="", dwell_limit_h="", source="E"))
    # 焦作 joins conventional rail and HSR in one station
    for r in h:
        if r["node_id"] == 210:
            r["modes"] = "road;rail;hsr"
    return h


CLASSES = [
    # class,kind,pcu,vot_per_h,tonnes_per_vehicle,wait_weight,transfer_weight,cost_per_km
    # value of time: passengers 30 yuan/h (about a third of the 2020 hourly
    # wage in 晋城, E); freight in yuan per tonne-hour: coal 3, ceramics 10,
    # agri 15 (perishable), general 8 (E).  cost_per_km per vehicle-km: car
    # 0.6 (fuel and wear, E); trucks about 0.25 yuan per tonne-km at full load
    # (fuel 35 L/100 km, driver, wear, depreciation; E): coal 30 t -> 8,
    # ceramics 20 t -> 5.5, agri 10 t -> 3.5, general 15 t -> 4.5 yuan/km.
    # Rail pays cost_per_tkm on rail links (0.155 yuan/tkm, the 2020 tariff
    # level, M) and handling at hubs.
    ("car", "passenger", "1", "30", "", "2", "10", "0.6"),
    ("truck", "freight", "2.5", "8", "25", "1", "1", "6.5"),
    ("coal", "freight", "2.5", "3", "30", "1", "1", "8"),
    ("ceramics", "freight", "2.5", "10", "20", "1", "1", "5.5"),
    ("agri", "freight", "2.5", "15", "10", "1", "1", "3.5"),
    ("general", "freight", "2.5", "8", "15", "1", "1", "4.5"),
]


def write_csv(path, cols, rows, comment=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        if comment:
            for c in comment:
                f.write("# " + c + "\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(cols)
        for r in rows:
            w.writerow([r.get(c, "") for c in cols])


# --------------------------------------------------------------------------
# Project patches: same columns as the base file plus `action` (add, remove,
# change; for change, an empty field keeps the base value).
# --------------------------------------------------------------------------
def patch_rows(rows, action):
    out = []
    for r in rows:
        r = dict(r)
        r["action"] = action
        out.append(r)
    return out


def change_row(cols, key, **fields):
    r = {c: "" for c in cols}
    r.update(key)
    r.update({k: str(v) for k, v in fields.items()})
    r["action"] = "change"
    return r


def project_nodes(name):
    return [node_row(t[0], t[1], t[2], t[3], t[4]) for t in PROJECT_NODES[name]]


def main():
    global RAILS
    base = os.path.join(HERE, "base2020")
    pdir = os.path.join(HERE, "patches")
    head = ["Yangcheng (阳城) network, base year 2020. Generated by make_network.py; edit that, not this.",
            "source: H stated by a source, M one secondary source or rounded, E estimate."]
    write_csv(os.path.join(base, "node.csv"), NODE_COLS, base_nodes(), head)
    links = []
    for r in ROADS:
        links += link_rows_for_road(r)
    for r in RAILS:
        links += link_rows_for_rail(r)
    write_csv(os.path.join(base, "link.csv"), LINK_COLS, links, head)
    write_csv(os.path.join(base, "services.csv"), SERVICE_COLS, base_services(), head)
    write_csv(os.path.join(base, "hubs.csv"), HUB_COLS, base_hubs(), head)
    write_csv(os.path.join(base, "classes.csv"),
              ["class", "kind", "pcu", "vot_per_h", "tonnes_per_vehicle", "wait_weight", "transfer_weight",
               "cost_per_km"], [dict(zip(["class", "kind", "pcu", "vot_per_h", "tonnes_per_vehicle",
                                          "wait_weight", "transfer_weight", "cost_per_km"], c)) for c in CLASSES],
              head + ["freight vot_per_h is per tonne-hour."])

    phead = ["Project patch generated by make_network.py: same columns as the base file plus action."]
    NA = NODE_COLS + ["action"]
    LA = LINK_COLS + ["action"]
    SA = SERVICE_COLS + ["action"]
    HA = HUB_COLS + ["action"]

    # --- hsr-yangcheng: 晋城东 → 晋城南 → 皇城相府 → 阳城南 → 沁水南 → 翼城 → 侯马西, about 169 km (M)
    chain = [254, 271, 272, 273, 274, 275, 259]
    saved = RAILS
    RAILS = []
    for k, L in enumerate(split_len(chain, 169.0)):
        rail(300 + k, chain[k], chain[k + 1], "hsr", "hsr", "晋侯高铁", L, "M", 250, 0)
    hsr_links = [row for r in RAILS for row in link_rows_for_rail(r)]
    RAILS = saved
    ROADS.clear()
    road(320, 271, 21, "urban", "晋城南站进站路")
    road(321, 272, 2, "urban", "皇城相府站进站路")
    road(322, 273, 1, "urban", "阳城南站进站路")
    road(323, 274, 29, "urban", "沁水南站进站路")
    road(324, 275, 32, "urban", "翼城站进站路")
    hsr_roads = [row for r in ROADS for row in link_rows_for_road(r)]
    write_csv(os.path.join(pdir, "hsr-yangcheng-node.csv"), NA, patch_rows(project_nodes("hsr-yangcheng"), "add"), phead)
    write_csv(os.path.join(pdir, "hsr-yangcheng-link.csv"), LA, patch_rows(hsr_links + hsr_roads, "add"), phead)
    hs = []
    hs += both("G-HZ", "晋侯高铁 侯马西–阳城南–晋城东–郑州东", "hsr", "passenger",
               [259, 275, 274, 273, 272, 271, 254, 210, 256], "", dwell="2", first="07:10", last="20:10",
               headway="60", cap="578", flat="2", per_km="0.48", src="E")
    hs += both("G-HT", "晋侯高铁 阳城南–晋城东–长治东–太原南", "hsr", "passenger",
               [273, 272, 271, 254, 253, 252, 251], "", dwell="2", first="07:30", last="19:30",
               headway="120", cap="578", flat="2", per_km="0.48", src="E")
    write_csv(os.path.join(pdir, "hsr-yangcheng-services.csv"), SA, patch_rows(hs, "add"), phead)
    hh = [dict(node_id=n, name=NAME[n], kind="station", modes="road;hsr", transfer_min="8", handling_rate_tph="",
               handling_cost_per_t="", dwell_limit_h="", source="E") for n in (271, 272, 273, 274, 275)]
    write_csv(os.path.join(pdir, "hsr-yangcheng-hubs.csv"), HA, patch_rows(hh, "add"), phead)

    # --- yangji-intercity: 阳城–蟒河–济源东 along the 阳济 corridor (E), on to
    # 洛阳龙门 over the 焦洛平 line (350 km/h, E)
    RAILS = []
    rail(400, 281, 282, "intercity", "intercity", "阳济城际", None, "E", 160, 0)
    rail(401, 282, 283, "intercity", "intercity", "阳济城际", None, "E", 160, 0)
    rail(402, 283, 257, "intercity;hsr", "hsr", "焦洛平高铁(济源东–洛阳龙门)", None, "E", 300, 0)
    ic_links = [row for r in RAILS for row in link_rows_for_rail(r)]
    RAILS = saved
    ROADS.clear()
    road(420, 281, 1, "urban", "阳城城际站进站路")
    road(421, 282, 9, "urban", "蟒河城际站进站路")
    road(422, 283, 22, "urban", "济源东站进站路")
    ic_roads = [row for r in ROADS for row in link_rows_for_road(r)]
    write_csv(os.path.join(pdir, "yangji-intercity-node.csv"), NA, patch_rows(project_nodes("yangji-intercity"), "add"), phead)
    write_csv(os.path.join(pdir, "yangji-intercity-link.csv"), LA, patch_rows(ic_links + ic_roads, "add"), phead)
    ics = both("C-YJ", "阳济城际 阳城–蟒河–济源东–洛阳龙门", "intercity", "passenger", [281, 282, 283, 257], "",
               dwell="2", first="06:30", last="21:30", headway="60", cap="600", flat="2", per_km="0.40", src="E")
    write_csv(os.path.join(pdir, "yangji-intercity-services.csv"), SA, patch_rows(ics, "add"), phead)
    ih = [dict(node_id=n, name=NAME[n], kind="station", modes="road;intercity" + (";hsr" if n == 257 else ""),
               transfer_min="8", handling_rate_tph="", handling_cost_per_t="", dwell_limit_h="", source="E")
          for n in (281, 282, 283)]
    ih.append(change_row(HUB_COLS, {"node_id": 257}, modes="road;hsr;intercity"))
    write_csv(os.path.join(pdir, "yangji-intercity-hubs.csv"), HA, patch_rows(ih[:3], "add") + [ih[3]], phead)

    # --- jinyang-8lane: 晋阳 S86 widened from 4 to 8 lanes (2 -> 4 per direction)
    jl = []
    for sid in (1, 2):
        for k in (1, 2):
            jl.append(change_row(LINK_COLS, {"link_id": sid * 10 + k}, lanes=4, capacity=4 * JINYANG_CAP,
                                 name="晋阳高速 S86(八车道)", source="M"))
    write_csv(os.path.join(pdir, "jinyang-8lane-link.csv"), LA, jl, phead)

    # --- yangyun-expressway: 演礼 南任村 (阳蟒 junction) → 垣曲 → 运城, 35.7 km inside 晋城 (M)
    ROADS.clear()
    road(500, 104, 113, "expressway", "阳运高速(晋城段)", 35.7, "M")
    road(501, 113, 31, "expressway", "阳运高速(垣曲段)")
    road(502, 31, 27, "expressway", "阳运高速(垣曲–运城)")
    road(503, 7, 113, "urban", "横河互通连接线")
    write_csv(os.path.join(pdir, "yangyun-expressway-link.csv"), LA,
              patch_rows([row for r in ROADS for row in link_rows_for_road(r)], "add"), phead)

    # --- provincial-roads: S233 阳城–杜甲 (杜甲 is in 次营/驾岭 direction, E),
    # S372 阳城–古城 (古城 toward 东冶, E), S367 高平–南唐 (through 北留/固隆, E),
    # S534 阳城–蟒河; class II 60 km/h, alignments E
    ROADS.clear()
    road(600, 1, 16, "provincial", "S233 阳城–杜甲", speed=60, via=[6])
    road(601, 1, 10, "provincial", "S372 阳城–古城", speed=60, via=[11])
    road(602, 30, 15, "provincial", "S367 高平–南唐", speed=60, via=[16])
    road(603, 1, 9, "provincial", "S534 阳城–蟒河", speed=60, via=[11])
    pr = [row for r in ROADS for row in link_rows_for_road(r)]
    for row in pr:
        row["capacity"] = "1300"
    write_csv(os.path.join(pdir, "provincial-roads-link.csv"), LA, patch_rows(pr, "add"), phead)

    # --- logistics-hubs: 八甲口 and 太行 parks with rail sidings to 阳城站 (侯月)
    RAILS = []
    rail(700, 301, 206, "rail", "siding", "八甲口物流园专用线", None, "E", 30)
    rail(701, 302, 206, "rail", "siding", "太行物流园专用线", None, "E", 30)
    sd = [row for r in RAILS for row in link_rows_for_rail(r)]
    RAILS = saved
    ROADS.clear()
    road(720, 301, 18, "urban", "八甲口物流园进场路")
    road(721, 302, 1, "urban", "太行物流园进场路")
    road(722, 302, 101, "urban", "太行物流园–洪上互通")
    sd += [row for r in ROADS for row in link_rows_for_road(r)]
    write_csv(os.path.join(pdir, "logistics-hubs-node.csv"), NA, patch_rows(project_nodes("logistics-hubs"), "add"), phead)
    write_csv(os.path.join(pdir, "logistics-hubs-link.csv"), LA, patch_rows(sd, "add"), phead)
    lh = [dict(node_id=301, name=NAME[301], kind="logistics", modes="road;rail", transfer_min="",
               handling_rate_tph="2500", handling_cost_per_t="10", dwell_limit_h="72", source="E"),
          dict(node_id=302, name=NAME[302], kind="logistics", modes="road;rail", transfer_min="",
               handling_rate_tph="2500", handling_cost_per_t="10", dwell_limit_h="72", source="E")]
    # the parks consolidate part loads up to 10 t onto their trains (issue 12;
    # below a 15 t general-cargo truckload, E); 阳城站 takes wagonloads
    for r in lh:
        r["consolidate_max_t"] = "10"
    write_csv(os.path.join(pdir, "logistics-hubs-hubs.csv"), [c for c in HA if c != "action"] + ["consolidate_max_t", "action"],
              patch_rows(lh, "add"), phead)
    # freight trains start at the parks (their sidings) as well as at 阳城站
    fs = [svc("F-HUB-BJK", "八甲口物流园–阳城–月山–焦作–新乡", "rail", "freight", [301, 206, 209, 210, 211], "",
              speed="60", dwell="20", first="01:00", last="23:00", headway="180", cap="4000", src="E"),
          svc("F-HUB-TH", "太行物流园–阳城–月山–焦作–郑州", "rail", "freight", [302, 206, 209, 210, 211, 212], "",
              speed="60", dwell="20", first="02:00", last="22:00", headway="240", cap="4000", src="E")]
    # the parks' trains run on demand (issue 12): a run leaves with 2,000 t
    # waiting (half a train) or when the first shipment has waited 12 h (E)
    for r in fs:
        r.update(run_if_tonnes="2000", max_wait_h="12")
    write_csv(os.path.join(pdir, "logistics-hubs-services.csv"), SERVICE_COLS + ["run_if_tonnes", "max_wait_h", "action"],
              patch_rows(fs, "add"), phead)

    # --- intercity-bus: 晋城–阳城–济源–洛阳 every 60 min (E)
    bs = both("B-JYJL", "城际公交 晋城–阳城–济源–洛阳", "bus", "passenger", [21, 1, 22, 23], "", dwell="3",
              first="06:30", last="18:30", headway="60", cap="50", flat="10", per_km="0.3", src="E")
    write_csv(os.path.join(pdir, "intercity-bus-services.csv"), SA, patch_rows(bs, "add"), phead)


if __name__ == "__main__":
    main()
