/* test_osm.c: `import osm` on the hand-written extract tests/data/osm/town.osm
 * (and the same data as town.osm.pbf): classes, oneway, lanes, maxspeed,
 * degree-2 merging with the geometry kept, the largest strongly connected
 * road component, railways and a station, zones, the road length against
 * the ways' own, --bbox, an edited class table, bad inputs, and the command
 * (import, check, skim, assign). */
#include "network/gmns.h"
#include "network/osm.h"
#include "network/th-error.h"
#include "testutil.h"

#include <math.h>
#include <string.h>

static ThOsmImport *import(const char *file_rel, const ThOsmOptions *extra, GError **e) {
  g_autofree char *path = th_test_src(file_rel);
  g_autofree char *zones = th_test_src("tests/data/osm/zones.csv");
  ThOsmOptions o = extra ? *extra : (ThOsmOptions){0};
  if (!o.zones_csv) o.zones_csv = zones;
  return th_osm_import(path, &o, e);
}

static int link_between(const ThNetwork *net, int64_t a, int64_t b) {
  int u = th_network_node_index(net, a), v = th_network_node_index(net, b);
  for (int e = 0; e < net->n_links; e++)
    if (net->link_from[e] == u && net->link_to[e] == v) return e;
  return -1;
}

/* Length of the polyline of (lon, lat) pairs, m. */
static double poly_m(const double *p, int n) {
  double L = 0;
  for (int i = 1; i < n; i++) L += th_haversine_m(p[2 * i - 2], p[2 * i - 1], p[2 * i], p[2 * i + 1]);
  return L;
}

/* Every road way of town.osm, by its nodes' coordinates (from the file). */
static double road_ways_m(gboolean kept_only) {
  static const double w10[] = {112.400, 35.480, 112.410, 35.480, 112.420, 35.480};
  static const double w11[] = {112.420, 35.480, 112.430, 35.480, 112.440, 35.480};
  static const double w12[] = {112.430, 35.480, 112.430, 35.490, 112.430, 35.500};
  static const double w13[] = {112.410, 35.480, 112.410, 35.490, 112.420, 35.490, 112.430, 35.490};
  static const double w14[] = {112.420, 35.490, 112.425, 35.485, 112.430, 35.480};
  static const double w16[] = {112.400, 35.470, 112.440, 35.470};
  static const double w18[] = {112.400, 35.480, 112.400, 35.470};
  static const double w19[] = {112.440, 35.470, 112.440, 35.480};
  static const double w20[] = {112.450, 35.495, 112.455, 35.495}; /* cut off */
  static const double w21[] = {112.440, 35.480, 112.445, 35.485}; /* one-way dead end */
  double kept = poly_m(w10, 3) + poly_m(w11, 3) + poly_m(w12, 3) + poly_m(w13, 4) +
                poly_m(w14, 3) + 2 * poly_m(w16, 2) + poly_m(w18, 2) + poly_m(w19, 2);
  return kept_only ? kept : kept + poly_m(w20, 2) + poly_m(w21, 2);
}

static void test_town(void) {
  g_autoptr(GError) e = NULL;
  g_autoptr(ThOsmImport) imp = import("tests/data/osm/town.osm", NULL, &e);
  g_assert_no_error(e);
  const ThNetwork *net = imp->net;
  g_assert_cmpint(imp->n_ways_road, ==, 11); /* the footway and the private road are not */
  g_assert_cmpint(imp->n_ways_rail, ==, 2);
  /* 13 OSM nodes (1003, 1012, 1023 merged away; 1041, 1042, 1051 dropped;
   * 1061 is only on the footway and the private road; 1201 is a station
   * beside the tracks) + 3 zones */
  g_assert_cmpint(net->n_nodes, ==, 16);
  g_assert_cmpint(th_network_node_index(net, 1003), <, 0);
  g_assert_cmpint(th_network_node_index(net, 1051), <, 0);
  g_assert_cmpint(th_network_node_index(net, 1201), <, 0);
  /* ways 10 and 11 (same class, name, speed, lanes) meet at 1003 only: one
   * link 1002 -> 1004 whose geometry keeps 1003 */
  int e1 = link_between(net, 1002, 1004);
  g_assert_cmpint(e1, >=, 0);
  g_assert_nonnull(strstr(net->link_geometry[e1], "112.4200000 35.4800000"));
  g_assert_cmpfloat(fabs(net->length_m[e1] - th_haversine_m(112.41, 35.48, 112.42, 35.48) -
                             th_haversine_m(112.42, 35.48, 112.43, 35.48)), <, 1e-6);
  g_assert_cmpstr(net->link_name[e1], ==, "S331 凤城路");
  /* primary: lanes=4 on a two-way road is 2 each way; 二级 capacity 1400 per lane; maxspeed 60 */
  g_assert_cmpfloat(net->lanes[e1], ==, 2);
  g_assert_cmpfloat(net->capacity_vph[e1], ==, 2800);
  g_assert_cmpfloat(fabs(net->free_speed_mps[e1] * 3.6 - 60), <, 1e-9);
  g_assert_cmpstr(net->link_facility[e1], ==, "provincial");
  /* X101: lanes:forward 2, lanes:backward 1 at 1250 per lane; "fast" is no speed: 60 */
  int xf = link_between(net, 1004, 1014), xb = link_between(net, 1014, 1004);
  g_assert_cmpfloat(net->capacity_vph[xf], ==, 2500);
  g_assert_cmpfloat(net->capacity_vph[xb], ==, 1250);
  g_assert_cmpfloat(fabs(net->free_speed_mps[xf] * 3.6 - 60), <, 1e-9);
  /* tertiary at 30 mph = 48.28032 km/h, merged through 1012 */
  int t = link_between(net, 1002, 1013);
  g_assert_cmpfloat(fabs(net->free_speed_mps[t] * 3.6 - 48.28032), <, 1e-9);
  /* the one-way street runs 1013 -> 1004 only; the motorway is one-way by default */
  g_assert_cmpint(link_between(net, 1013, 1004), >=, 0);
  g_assert_cmpint(link_between(net, 1004, 1013), <, 0);
  int m = link_between(net, 1031, 1032);
  g_assert_cmpfloat(net->capacity_vph[m], ==, 4400); /* 2 lanes x 2200 (高速公路 120 km/h) */
  /* railways: main line at 120 km/h, high-speed line as hsr at 300; the
   * station drawn 33 m from the tracks sits at rail node 1102 */
  int r = link_between(net, 1101, 1102), h = link_between(net, 1103, 1104);
  g_assert_cmpint(net->link_modes[r], ==, TH_MODE_RAIL);
  g_assert_cmpint(net->link_modes[h], ==, TH_MODE_HSR);
  g_assert_true(isinf(net->capacity_vph[r]));
  int st = th_network_node_index(net, 1102);
  g_assert_cmpint(net->node_kind[st], ==, TH_NODE_STATION);
  g_assert_cmpstr(net->node_name[st], ==, "阳城站");
  g_assert_cmpint(imp->n_stations, ==, 1);
  g_assert_cmpint(link_between(net, 1102, 1002), >=, 0); /* to the nearest kept road node */
  /* zones, joined to their nearest road node: zone 1 (112.405, 35.485) to 1001 */
  g_assert_cmpint(net->n_zones, ==, 3);
  int z1 = link_between(net, 1, 1001);
  g_assert_cmpint(net->link_modes[z1], ==, TH_MODE_CONNECTOR);
  g_assert_cmpfloat(net->length_m[z1], ==, th_haversine_m(112.405, 35.485, 112.4, 35.48));
  g_assert_cmpfloat(net->zone_population[th_network_zone_index(net, 1)], ==, 30000);
  /* the largest strongly connected road component: the dead end and the
   * cut-off street (2 + 1 links) go, and are reported */
  g_assert_cmpint(imp->n_components, ==, 3);
  g_assert_cmpint(imp->dropped_road_links, ==, 3);
  /* road length: the network's (each road once) against the ways' own,
   * summed from the file's coordinates here */
  double ways = road_ways_m(FALSE) / 1000, kept = road_ways_m(TRUE) / 1000;
  g_assert_cmpfloat(fabs(imp->ways_road_km - ways) / ways, <, 1e-9);
  g_assert_cmpfloat(fabs(imp->net_road_km - kept) / kept, <, 1e-9); /* asked: 1% */
  g_assert_cmpfloat(fabs(imp->net_road_km + imp->dropped_road_km - ways) / ways, <, 1e-9);
  /* and summed from the links themselves: a two-way road is two links */
  double links_km = 0;
  for (int i = 0; i < net->n_links; i++) {
    if (!(net->link_modes[i] & TH_MODE_ROAD)) continue;
    int back = link_between(net, net->node_id[net->link_to[i]], net->node_id[net->link_from[i]]);
    gboolean two_way = back >= 0 && net->length_m[back] == net->length_m[i] &&
                       (net->link_from[i] != th_network_node_index(net, 1031) ||
                        net->link_to[i] != th_network_node_index(net, 1032)) &&
                       (net->link_from[i] != th_network_node_index(net, 1032) ||
                        net->link_to[i] != th_network_node_index(net, 1031));
    links_km += net->length_m[i] / 1000 / (two_way ? 2 : 1);
  }
  g_assert_cmpfloat(fabs(links_km - kept) / kept, <, 1e-9);
  /* the bad maxspeed, the private road (way 23), the dropped components */
  g_assert_cmpint(imp->notes->len, ==, 3);
  g_assert_cmpstr(imp->notes->pdata[1], ==, "1 road way(s) closed to motor traffic (access or "
                                            "motor_vehicle = no or private) left out");
}

/* The PBF (osmium cat of the XML) writes the same files. */
static void test_pbf_same(void) {
  g_autoptr(GError) e = NULL;
  g_autoptr(ThOsmImport) a = import("tests/data/osm/town.osm", NULL, &e);
  g_assert_no_error(e);
  g_autoptr(ThOsmImport) b = import("tests/data/osm/town.osm.pbf", NULL, &e);
  g_assert_no_error(e);
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *da = g_build_filename(dir, "a", NULL), *db = g_build_filename(dir, "b", NULL);
  g_assert_true(th_gmns_write(a->net, da, &e));
  g_assert_true(th_gmns_write(b->net, db, &e));
  const char *files[] = {"node.csv", "link.csv"};
  for (int i = 0; i < 2; i++) {
    g_autofree char *pa = g_build_filename(da, files[i], NULL), *pb = g_build_filename(db, files[i], NULL);
    g_autofree char *ta = NULL, *tb = NULL;
    g_assert_true(g_file_get_contents(pa, &ta, NULL, NULL));
    g_assert_true(g_file_get_contents(pb, &tb, NULL, NULL));
    g_assert_cmpstr(ta, ==, tb);
  }
  th_test_rmtree(dir);
}

/* Turn restrictions (osm.h): read from XML and PBF alike, not applied (the
 * network is town.osm's, byte for byte), listed with the via node's place in
 * the network; a conditional restriction and a route relation are not. */
static void test_turn_restrictions(void) {
  g_autoptr(GError) e = NULL;
  g_autoptr(ThOsmImport) town = import("tests/data/osm/town.osm", NULL, &e);
  g_assert_no_error(e);
  g_assert_cmpint(town->n_turn_restrictions, ==, 0);
  g_assert_null(town->turn_restrictions_csv);
  const char *want = "relation_id,restriction,tag,from_way,via_type,via_id,to_way,"
                     "via_node_in_network,applied\n"
                     "501,no_left_turn,restriction,10,node,1002,13,yes,no\n"
                     "502,only_straight_on,restriction:hgv,11,node,1004,12,yes,no\n"
                     "503,no_u_turn,restriction,10,way,13,12,no,no\n";
  const char *files[] = {"tests/data/osm/town-turns.osm", "tests/data/osm/town-turns.osm.pbf"};
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *dt = g_build_filename(dir, "town", NULL);
  g_assert_true(th_gmns_write(town->net, dt, &e));
  for (int f = 0; f < 2; f++) {
    g_autoptr(ThOsmImport) imp = import(files[f], NULL, &e);
    g_assert_no_error(e);
    g_assert_cmpint(imp->n_turn_restrictions, ==, 3);
    g_assert_cmpstr(imp->turn_restrictions_csv, ==, want);
    gboolean noted = FALSE;
    for (guint i = 0; i < imp->notes->len; i++)
      noted |= strstr(imp->notes->pdata[i], "3 turn restriction(s) (relations type=restriction: 2 "
                                            "no_*, 1 only_*) not applied") != NULL;
    g_assert_true(noted);
    g_autofree char *d = g_build_filename(dir, f ? "pbf" : "xml", NULL);
    g_assert_true(th_gmns_write(imp->net, d, &e));
    const char *tables[] = {"node.csv", "link.csv"};
    for (int k = 0; k < 2; k++) {
      g_autofree char *pa = g_build_filename(dt, tables[k], NULL), *pb = g_build_filename(d, tables[k], NULL);
      g_autofree char *ta = NULL, *tb = NULL;
      g_assert_true(g_file_get_contents(pa, &ta, NULL, NULL));
      g_assert_true(g_file_get_contents(pb, &tb, NULL, NULL));
      g_assert_cmpstr(ta, ==, tb);
    }
  }
  /* the command writes the list into the network folder */
  g_autofree char *out = g_build_filename(dir, "net", NULL);
  g_autofree char *src = th_test_src("tests/data/osm/town-turns.osm.pbf");
  g_autofree char *zones = th_test_src("tests/data/osm/zones.csv");
  g_autofree char *err = NULL;
  g_assert_cmpint(th_test_taihang(NULL, &err, "import", "osm", src, "--zones", zones, "--out", out, NULL), ==, 0);
  g_assert_nonnull(strstr(err, "note: 3 turn restriction(s)"));
  g_autofree char *list = g_build_filename(out, "turn_restrictions.csv", NULL), *text = NULL;
  g_assert_true(g_file_get_contents(list, &text, NULL, NULL));
  g_assert_cmpstr(text, ==, want);
  th_test_rmtree(dir);
}

/* --bbox 112.395,35.465,112.435,35.505 leaves out everything east of
 * 112.435: 1005, 1032, 1051, 1041, 1042, 1103, 1104; ways are cut there. */
static void test_bbox(void) {
  g_autoptr(GError) e = NULL;
  ThOsmOptions o = {.has_bbox = TRUE, .west = 112.395, .south = 35.465, .east = 112.435,
                    .north = 35.505};
  g_autoptr(ThOsmImport) imp = import("tests/data/osm/town.osm", &o, &e);
  g_assert_no_error(e);
  g_assert_cmpint(th_network_node_index(imp->net, 1005), <, 0);
  g_assert_cmpint(th_network_node_index(imp->net, 1032), <, 0);
  g_assert_cmpint(th_network_node_index(imp->net, 1004), >=, 0);
  /* inside: w10 + w11 up to 1004 + w12 + w13 + w14 + w18 */
  double in = 3 * th_haversine_m(112.40, 35.48, 112.41, 35.48) +   /* w10, w11 to 1004 */
              2 * th_haversine_m(112.43, 35.48, 112.43, 35.49) +   /* w12 */
              th_haversine_m(112.41, 35.48, 112.41, 35.49) +       /* w13 */
              2 * th_haversine_m(112.41, 35.49, 112.42, 35.49) +
              th_haversine_m(112.42, 35.49, 112.425, 35.485) +     /* w14 */
              th_haversine_m(112.425, 35.485, 112.43, 35.48) +
              th_haversine_m(112.40, 35.48, 112.40, 35.47);        /* w18 */
  g_assert_cmpfloat(fabs(imp->ways_road_km * 1000 - in) / in, <, 1e-9);
  g_assert_cmpfloat(fabs(imp->net_road_km + imp->dropped_road_km - imp->ways_road_km), <, 1e-9);
  /* the rail line keeps 1101-1102; the station is still there */
  g_assert_cmpint(imp->n_stations, ==, 1);
}

static void test_classes(void) {
  g_autofree char *dir = th_test_tmpdir();
  /* an edited table: primary at 70 km/h, 3 lanes a way, 1500 per lane */
  g_autoptr(GString) t = g_string_new(th_osm_default_classes());
  char *p = strstr(t->str, "highway=primary,provincial,road,80,1,1400");
  g_assert_nonnull(p);
  memcpy(p, "highway=primary,provincial,road,70,3,1500", 41);
  g_autofree char *path = th_test_write(dir, "classes.csv", t->str);
  g_autoptr(GError) e = NULL;
  ThOsmOptions o = {.classes_csv = path};
  g_autoptr(ThOsmImport) imp = import("tests/data/osm/town.osm", &o, &e);
  g_assert_no_error(e);
  /* maxspeed 60 and lanes 4 are the way's own; the capacity per lane is the table's */
  int e1 = link_between(imp->net, 1002, 1004);
  g_assert_cmpfloat(imp->net->capacity_vph[e1], ==, 3000);
  g_assert_cmpfloat(fabs(imp->net->free_speed_mps[e1] * 3.6 - 60), <, 1e-9);
  g_autofree char *bad = th_test_write(dir, "bad.csv",
                                       "tag,facility_type,mode,free_speed,lanes,capacity_per_lane\n"
                                       "highway=primary,provincial,rail,80,1,1400\n"
                                       "landuse=farm,x,road,80,1,1400\n"
                                       "highway=primary,provincial,road,-5,0,\n");
  o.classes_csv = bad;
  g_autoptr(ThOsmImport) none = import("tests/data/osm/town.osm", &o, &e);
  g_assert_null(none);
  g_assert_error(e, TH_ERROR, TH_ERROR_INVALID);
  g_autofree char *want = g_strdup_printf(
      "%s:2: mode 'rail' does not fit the tag (road for highway=, rail, hsr or intercity for railway=)\n"
      "%s:3: tag 'landuse=farm' is not highway=VALUE or railway=rail[:main|branch|industrial|highspeed]\n"
      "%s:4: free_speed '-5' is not a positive speed (km/h)\n"
      "%s:4: lanes '0' is not a number of lanes >= 1 (per direction)\n"
      "%s:4: capacity_per_lane '' is not a positive number (pcu/h per lane)",
      bad, bad, bad, bad, bad);
  g_assert_cmpstr(e->message, ==, want);
  th_test_rmtree(dir);
}

static void test_bad(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autoptr(GError) e = NULL;
  g_autofree char *zones = th_test_write(dir, "zones.csv",
                                         "zone_id,name,x_coord,y_coord,population\n"
                                         "1,a,112.4,35.48,\n1,b,112.4,35.48,\nx,c,200,35,-1\n");
  ThOsmOptions o = {.zones_csv = zones};
  g_autoptr(ThOsmImport) i1 = import("tests/data/osm/town.osm", &o, &e);
  g_assert_null(i1);
  g_autofree char *want = g_strdup_printf("%s:3: zone_id 1 appears twice\n"
                                          "%s:4: zone_id 'x' is not a whole number >= 0\n"
                                          "%s:4: x_coord '200' is not a longitude (-180..180)\n"
                                          "%s:4: population '-1' is not a number >= 0",
                                          zones, zones, zones, zones);
  g_assert_cmpstr(e->message, ==, want);
  g_clear_error(&e);
  /* a zone id that an OSM node of the network has */
  g_autofree char *clash = th_test_write(dir, "clash.csv", "zone_id,x_coord,y_coord\n1001,112.4,35.48\n");
  o.zones_csv = clash;
  g_autoptr(ThOsmImport) i2 = import("tests/data/osm/town.osm", &o, &e);
  g_assert_null(i2);
  g_assert_nonnull(strstr(e->message, "clash.csv:2: zone_id 1001 is also the id of an OpenStreetMap node"));
  g_clear_error(&e);
  o.zones_csv = NULL;
  /* not XML, a wrong name, a missing file, no road */
  g_autofree char *junk = th_test_write(dir, "junk.osm", "<osm><node id=\"1\" lat=\"x\"");
  g_autoptr(ThOsmImport) i3 = th_osm_import(junk, &(ThOsmOptions){.zones_csv = clash}, &e);
  g_assert_null(i3);
  g_assert_error(e, TH_ERROR, TH_ERROR_INVALID);
  g_assert_nonnull(strstr(e->message, "junk.osm:1: not well-formed OSM XML ("));
  g_clear_error(&e);
  g_autofree char *badlat = th_test_write(dir, "badlat.osm", "<osm>\n<node id=\"1\" lat=\"3x\" lon=\"1\"/>\n</osm>\n");
  g_autoptr(ThOsmImport) i3b = th_osm_import(badlat, &(ThOsmOptions){.zones_csv = clash}, &e);
  g_assert_null(i3b);
  g_assert_error(e, TH_ERROR, TH_ERROR_INVALID);
  g_assert_nonnull(strstr(e->message, "badlat.osm:2: lat '3x' is not a number"));
  g_clear_error(&e);
  /* an id past long long (strtoll saturates; casting 2^63 back overflowed:
   * found by the osm_xml fuzz target) */
  g_autofree char *bigid = th_test_write(dir, "bigid.osm",
                                         "<osm>\n<node id=\"99999999999999999999\" lat=\"1\" lon=\"1\"/>\n</osm>\n");
  g_autoptr(ThOsmImport) i3c = th_osm_import(bigid, &(ThOsmOptions){.zones_csv = clash}, &e);
  g_assert_null(i3c);
  g_assert_error(e, TH_ERROR, TH_ERROR_INVALID);
  g_assert_nonnull(strstr(e->message, "bigid.osm:2: node id '99999999999999999999' is not a number"));
  g_clear_error(&e);
  g_autofree char *txt = th_test_write(dir, "town.txt", "x");
  g_autoptr(ThOsmImport) i4 = th_osm_import(txt, &(ThOsmOptions){.zones_csv = clash}, &e);
  g_assert_null(i4);
  g_assert_nonnull(strstr(e->message, "town.txt: the name must end in .osm or .pbf"));
  g_clear_error(&e);
  g_autofree char *missing = g_build_filename(dir, "none.osm.pbf", NULL);
  g_autoptr(ThOsmImport) i5 = th_osm_import(missing, &(ThOsmOptions){.zones_csv = clash}, &e);
  g_assert_null(i5);
  g_assert_error(e, TH_ERROR, TH_ERROR_IO);
  g_clear_error(&e);
  g_autofree char *rail = th_test_write(dir, "rail.osm",
                                        "<osm version=\"0.6\"><node id=\"1\" lat=\"35\" lon=\"112\"/>"
                                        "<node id=\"2\" lat=\"35.1\" lon=\"112\"/><way id=\"1\">"
                                        "<nd ref=\"1\"/><nd ref=\"2\"/><tag k=\"railway\" v=\"rail\"/>"
                                        "</way></osm>");
  g_autoptr(ThOsmImport) i6 = th_osm_import(rail, &(ThOsmOptions){.zones_csv = clash}, &e);
  g_assert_null(i6);
  g_assert_nonnull(strstr(e->message, "rail.osm: no road (ways tagged highway="));
  th_test_rmtree(dir);
}

/* The command: imports, checks, skims and assigns; a bad input writes nothing. */
static void test_cli(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *out = g_build_filename(dir, "net", NULL);
  g_autofree char *pbf = th_test_src("tests/data/osm/town.osm.pbf");
  g_autofree char *zones = th_test_src("tests/data/osm/zones.csv");
  g_autofree char *o = NULL, *err = NULL;
  int rc = th_test_taihang(&o, &err, "import", "osm", pbf, "--zones", zones, "--out", out, NULL);
  g_assert_cmpint(rc, ==, 0);
  g_assert_nonnull(strstr(o, "16 nodes, 35 links (11 road ways, 2 rail ways), 1 stations, 3 zones"));
  g_clear_pointer(&o, g_free);
  g_clear_pointer(&err, g_free);
  rc = th_test_taihang(&o, &err, "check", out, NULL);
  g_assert_cmpint(rc, ==, 0);
  g_assert_nonnull(strstr(o, "OK (gmns): 16 nodes, 35 links, 3 zones"));
  g_clear_pointer(&o, g_free);
  g_clear_pointer(&err, g_free);
  g_autofree char *skim = g_build_filename(dir, "skim.csv", NULL);
  rc = th_test_taihang(&o, &err, "skim", out, "--out", skim, NULL);
  g_assert_cmpint(rc, ==, 0);
  g_clear_pointer(&o, g_free);
  g_clear_pointer(&err, g_free);
  g_autofree char *od = th_test_write(dir, "od.csv", "origin,destination,class,trips\n1,2,car,800\n"
                                                     "2,1,car,600\n1,3,car,500\n3,2,truck,200\n");
  g_autofree char *flows = g_build_filename(dir, "flows.csv", NULL);
  rc = th_test_taihang(&o, &err, "assign", out, "--trips", od, "--flows", flows, NULL);
  g_assert_cmpint(rc, ==, 0);
  g_assert_true(g_file_test(flows, G_FILE_TEST_EXISTS));
  g_clear_pointer(&o, g_free);
  g_clear_pointer(&err, g_free);
  /* the class table the import used is written beside the network */
  g_autofree char *table = g_build_filename(out, "osm_classes.csv", NULL);
  g_assert_true(g_file_test(table, G_FILE_TEST_EXISTS));
  rc = th_test_taihang(&o, &err, "import", "osm", "--print-classes", NULL);
  g_assert_cmpint(rc, ==, 0);
  g_assert_cmpstr(o, ==, th_osm_default_classes());
  g_clear_pointer(&o, g_free);
  g_clear_pointer(&err, g_free);
  g_autofree char *out2 = g_build_filename(dir, "net2", NULL);
  g_autofree char *osm = th_test_src("tests/data/osm/town.osm");
  rc = th_test_taihang(&o, &err, "import", "osm", osm, "--zones", osm, "--out", out2, NULL);
  g_assert_cmpint(rc, ==, 2);
  g_assert_false(g_file_test(out2, G_FILE_TEST_EXISTS));
  g_clear_pointer(&o, g_free);
  g_clear_pointer(&err, g_free);
  rc = th_test_taihang(&o, &err, "import", "osm", osm, "--zones", zones, "--bbox", "1,2,3", "--out",
                       out2, NULL);
  g_assert_cmpint(rc, ==, 2);
  g_assert_nonnull(strstr(err, "--bbox '1,2,3' is not W,S,E,N"));
  g_clear_pointer(&o, g_free);
  g_clear_pointer(&err, g_free);
  th_test_rmtree(dir);
}

/* PBF framing (network/osm.c): block sizes beyond the format's bounds are
 * refused before readosm allocates them. The first file is the osm_pbf fuzz
 * target's find: it made readosm ask for 3.4 GB. */
static void test_pbf_sizes(void) {
  static const char oom_b64[] =
      "AAAADQoJT1NNSGVhZGVyGDgQLBo0eJxT4vMvzg1OzkjNTdQNM9AzU+JySc0rTgAAAA0KCU9TTUhlYWRlchg4ECwaNHic"
      "U+LzL84NTs5IzU3UDTPQM1PicknNK071y09JLW5i5M0vzs0szdU31DM01TMAADCoDVgAAAAMCgdPU01EYXRhGMcBEMkC"
      "GsEBeJzjUudiAEL2osTMnPLESi724pLEksz8PC6WvMTcVC7OlzM2P53f9/XLT0ktbmLkzS/OzXz1TKG5TEKzmLjEL/Ez"
      "AQEfE5MQLM2Q";
  g_autofree char *zones = th_test_src("tests/data/osm/zones.csv");
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *path = g_build_filename(dir, "x.osm.pbf", NULL);
  gsize n = 0;
  g_autofree guchar *oom = g_base64_decode(oom_b64, &n);
  /* a BlobHeader whose datasize (field 3) is 40 MiB, then a BlobHeader
   * length of 1 GiB, then a Blob whose raw_size (field 2) is 33 MiB */
  static const guchar big_data[] = {0, 0, 0, 8, 0x0a, 1, 'x', 0x18, 0x80, 0x80, 0x80, 0x14};
  static const guchar big_header[] = {0x40, 0, 0, 0, 0x0a};
  static const guchar big_raw[] = {0, 0, 0, 5, 0x0a, 1, 'x', 0x18, 5, 0x10, 0x80, 0x80, 0xC0, 0x10, 0};
  const struct {
    const guchar *b;
    gsize n;
    const char *want;
  } cases[] = {{oom, n, "a BlobHeader over 64 KiB or past the end of the file"},
               {big_data, sizeof big_data, ": byte 0: a Blob over 32 MiB or past the end of the file (size 41943040;"},
               {big_header, sizeof big_header, "a BlobHeader over 64 KiB"},
               {big_raw, sizeof big_raw - 1, ": byte 0: a Blob whose raw_size is over 32 MiB (size 34603008;"}};
  /* a PBF with a header block and no way at all: "no road", and no NULL to
   * qsort (the fuzz target's second find; UBSan in the sanitizer build) */
  static const char noway_b64[] =
      "AAAADQoJT1NNSGVhZGVyGDgQdgA0eJxT4vMvzg1OzkjNzS/OARDJAhrBAXic480vzs189UyhuUxCs5i4xC/xNAEBHxOTECzNkA==";
  gsize nw = 0;
  g_autofree guchar *noway = g_base64_decode(noway_b64, &nw);
  g_assert_true(g_file_set_contents(path, (const char *)noway, (gssize)nw, NULL));
  GError *ne = NULL;
  g_assert_null(th_osm_import(path, &(ThOsmOptions){.zones_csv = zones}, &ne));
  g_assert_nonnull(ne);
  g_assert_nonnull(strstr(ne->message, "x.osm.pbf: no road"));
  g_error_free(ne);
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_assert_true(g_file_set_contents(path, (const char *)cases[i].b, (gssize)cases[i].n, NULL));
    GError *e = NULL;
    ThOsmImport *imp = th_osm_import(path, &(ThOsmOptions){.zones_csv = zones}, &e);
    g_assert_null(imp);
    g_assert_error(e, TH_ERROR, TH_ERROR_INVALID);
    if (!strstr(e->message, cases[i].want)) g_error("case %zu: %s", i, e->message);
    g_error_free(e);
  }
  th_test_rmtree(dir);
}

/* Damaged extracts (seeded random byte changes and cuts of town.osm): a
 * result or an error, never both, never neither; clean under ASan. */
static void test_damaged(void) {
  g_autofree char *src = th_test_src("tests/data/osm/town.osm");
  g_autofree char *zones = th_test_src("tests/data/osm/zones.csv");
  g_autofree char *orig = NULL;
  gsize len;
  g_assert_true(g_file_get_contents(src, &orig, &len, NULL));
  g_autofree char *dir = th_test_tmpdir();
  const char alphabet[] = "<>/\"=0123456789.-ab ";
  GRand *rng = g_rand_new_with_seed(13);
  int ok = 0, bad = 0;
  for (int it = 0; it < 120; it++) {
    g_autofree char *text = g_strdup(orig);
    int n = g_rand_int_range(rng, 1, 4);
    for (int k = 0; k < n; k++)
      text[g_rand_int_range(rng, 0, (gint32)len)] = alphabet[g_rand_int_range(rng, 0, sizeof alphabet - 1)];
    if (g_rand_int_range(rng, 0, 4) == 0) text[g_rand_int_range(rng, 0, (gint32)len)] = 0;
    g_autofree char *path = th_test_write(dir, "x.osm", text);
    GError *e = NULL;
    ThOsmImport *imp = th_osm_import(path, &(ThOsmOptions){.zones_csv = zones}, &e);
    g_assert_true((imp != NULL) != (e != NULL));
    if (e) {
      g_error_free(e);
      bad++;
    } else {
      ok++;
    }
    th_osm_import_free(imp);
  }
  /* and the PBF: single bytes changed, or cut */
  g_autofree char *pbf_src = th_test_src("tests/data/osm/town.osm.pbf");
  g_autofree char *pbf = NULL;
  gsize plen;
  g_assert_true(g_file_get_contents(pbf_src, &pbf, &plen, NULL));
  g_autofree char *ppath = g_build_filename(dir, "x.osm.pbf", NULL);
  for (int it = 0; it < 40; it++) {
    g_autofree char *b = g_memdup2(pbf, plen);
    b[g_rand_int_range(rng, 0, (gint32)plen)] = (char)g_rand_int_range(rng, 0, 256);
    gsize n = g_rand_boolean(rng) ? plen : (gsize)g_rand_int_range(rng, 1, (gint32)plen);
    g_assert_true(g_file_set_contents(ppath, b, (gssize)n, NULL));
    GError *e = NULL;
    ThOsmImport *imp = th_osm_import(ppath, &(ThOsmOptions){.zones_csv = zones}, &e);
    g_assert_true((imp != NULL) != (e != NULL));
    if (e) g_error_free(e);
    th_osm_import_free(imp);
  }
  g_rand_free(rng);
  th_test_rmtree(dir);
  g_test_message("damaged extracts: %d imported, %d refused", ok, bad);
  g_assert_cmpint(ok, >, 0);
  g_assert_cmpint(bad, >, 0);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/osm/town", test_town);
  g_test_add_func("/osm/pbf", test_pbf_same);
  g_test_add_func("/osm/turn-restrictions", test_turn_restrictions);
  g_test_add_func("/osm/bbox", test_bbox);
  g_test_add_func("/osm/classes", test_classes);
  g_test_add_func("/osm/bad", test_bad);
  g_test_add_func("/osm/pbf-sizes", test_pbf_sizes);
  g_test_add_func("/osm/cli", test_cli);
  g_test_add_func("/osm/damaged", test_damaged);
  return g_test_run();
}
