/* test_gmns_spec.c: GMNS as the specification writes it (network/gmns.h,
 * gmns-spec.h, crs.h), on tests/data/gmns-spec/utm (a one-mile square in
 * UTM 49N, see its SOURCE.md) and on small bad folders written here; the
 * default demand.csv of assign; the length-unit warning; cut-off zones;
 * GeoPackage and split GeoJSON exports. */
#include "network/crs.h"
#include "network/gmns.h"
#include "network/load.h"
#include "network/validate.h"
#include "output/geojson.h"
#include "output/results-read.h"
#include "sim/od-trips.h"
#include "tests/testutil.h"

#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <string.h>

#define MILE_M 1609.344
#define MPH_MPS 0.44704

static ThNetwork *load_utm(GPtrArray *warnings) {
  g_autofree char *dir = th_test_src("tests/data/gmns-spec/utm");
  g_autoptr(GError) e = NULL;
  ThNetwork *net = th_network_load_opt(dir, FALSE, warnings, &e);
  g_assert_no_error(e);
  g_assert_nonnull(net);
  return net;
}

static int link_by_label(const ThNetwork *net, const char *label) {
  char b[32];
  for (int e = 0; e < net->n_links; e++)
    if (!strcmp(th_network_link_label(net, e, b), label)) return e;
  return -1;
}

static int node_by_label(const ThNetwork *net, const char *label) {
  char b[32];
  for (int v = 0; v < net->n_nodes; v++)
    if (!strcmp(th_network_node_label(net, v, b), label)) return v;
  return -1;
}

static gboolean has_warning(GPtrArray *w, const char *needle) {
  for (guint i = 0; i < w->len; i++)
    if (strstr(w->pdata[i], needle)) return TRUE;
  return FALSE;
}

/* Units, CRS, directed, per-lane capacity, uses, ids, zones: every value
 * below is worked out by hand from the files. */
static void test_utm_read(void) {
  g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(ThNetwork) net = load_utm(w);
  g_assert_true(net->gmns_spec);
  g_assert_cmpstr(net->crs, ==, "32649");
  g_assert_cmpint(net->n_nodes, ==, 4);
  /* a b (undirected: 2), 2, 3, 4 (undirected walk: 2); 5 (bike) and 6
   * (scooter, a use of use_definition.csv) are left out */
  g_assert_cmpint(net->n_links, ==, 6);
  g_assert_true(has_warning(w, "link.csv:6: warning: 2 links, from this line, allow only uses "
                               "taihang does not model (bike,scooter); left out"));
  g_assert_true(has_warning(w, "zone.csv:4: warning: no node has this zone_id"));
  /* coordinates: UTM 49N -> WGS84 as gdaltransform gives them */
  int n1 = node_by_label(net, "1"), n3 = node_by_label(net, "3"), n2 = node_by_label(net, "2 a");
  g_assert_cmpint(n2, >=, 0);
  g_assert_cmpfloat_with_epsilon(net->lon[n1], 111.440870006459, 1e-8);
  g_assert_cmpfloat_with_epsilon(net->lat[n1], 35.4676953231383, 1e-8);
  g_assert_cmpfloat_with_epsilon(net->lon[n3], 111.458689706181, 1e-8);
  g_assert_cmpfloat_with_epsilon(net->lat[n3], 35.4821397907074, 1e-8);
  /* free-text node_type: junction */
  g_assert_cmpint(net->node_kind[n2], ==, TH_NODE_JUNCTION);
  /* a b: 1 mile, 30 mph, 900 veh/h per lane x 2 lanes, both ways */
  int ab = link_by_label(net, "a b"), ba = link_by_label(net, "a b:r");
  g_assert_cmpint(ab, >=, 0);
  g_assert_cmpint(ba, >=, 0);
  g_assert_cmpint(net->link_from[ab], ==, net->link_to[ba]);
  g_assert_cmpint(net->link_to[ab], ==, net->link_from[ba]);
  g_assert_cmpfloat(net->length_m[ab], ==, MILE_M);
  g_assert_cmpfloat_with_epsilon(net->free_speed_mps[ab], 30 * MPH_MPS, 1e-12);
  g_assert_cmpfloat(net->capacity_vph[ab], ==, 1800);
  g_assert_cmpfloat(net->capacity_vph[ba], ==, 1800);
  g_assert_cmpuint(net->link_modes[ab], ==, TH_MODE_ROAD); /* "auto, bike": bike ignored */
  g_assert_nonnull(strstr(net->link_geometry[ba], "LINESTRING (111.458"));
  /* 3 allows the use group "cars" = sov, hov2 */
  int l3 = link_by_label(net, "3");
  g_assert_cmpuint(net->link_modes[l3], ==, TH_MODE_ROAD);
  g_assert_cmpfloat(net->capacity_vph[l3], ==, 1800);
  /* 4: a walk path, lanes 0, no length: measured between its nodes */
  int l4 = link_by_label(net, "4");
  g_assert_cmpuint(net->link_modes[l4], ==, TH_MODE_WALK);
  g_assert_cmpfloat(net->lanes[l4], ==, 0);
  g_assert_true(isinf(net->capacity_vph[l4]));
  double straight = th_haversine_m(net->lon[n3], net->lat[n3], net->lon[link_by_label(net, "4") >= 0 ? net->link_to[l4] : 0],
                                   net->lat[net->link_to[l4]]);
  g_assert_cmpfloat(net->length_m[l4], ==, straight);
  g_assert_cmpfloat_with_epsilon(net->length_m[l4], MILE_M, 0.002 * MILE_M);
  /* zones: 1 is node "1" (node_id = zone_id) though "2 a" lies in zone 1
   * too; Z3 is a text zone id */
  g_assert_cmpint(net->n_zones, ==, 2);
  int z1 = th_network_zone_lookup(net, "1"), z3 = th_network_zone_lookup(net, "Z3");
  g_assert_cmpint(z1, >=, 0);
  g_assert_cmpint(z3, >=, 0);
  g_assert_cmpint(net->zone_node[z1], ==, n1);
  g_assert_cmpint(net->zone_node[z3], ==, n3);
  g_assert_cmpint(net->node_zone[n2], ==, -1);
  char b[32];
  g_assert_cmpstr(th_network_zone_label(net, z3, b), ==, "Z3");
  g_assert_cmpstr(net->node_name[n3], ==, "North East"); /* from zone.csv */
}

/* write -> read gives the same network: ids, lengths, capacities exact;
 * coordinates within PROJ's round trip; the CRS kept. */
static void test_utm_round_trip(void) {
  g_autoptr(ThNetwork) a = load_utm(NULL);
  g_autofree char *tmp = th_test_tmpdir();
  g_autoptr(GError) e = NULL;
  g_assert_true(th_gmns_write(a, tmp, &e));
  g_assert_no_error(e);
  g_autofree char *cfg = NULL;
  g_autofree char *cfg_path = g_build_filename(tmp, "config.csv", NULL);
  g_assert_true(g_file_get_contents(cfg_path, &cfg, NULL, NULL));
  g_assert_nonnull(strstr(cfg, ",32649,string"));
  g_autoptr(ThNetwork) b = th_network_load_opt(tmp, FALSE, NULL, &e);
  g_assert_no_error(e);
  g_assert_cmpint(b->n_nodes, ==, a->n_nodes);
  g_assert_cmpint(b->n_links, ==, a->n_links);
  g_assert_cmpint(b->n_zones, ==, a->n_zones);
  char x[32], y[32];
  for (int v = 0; v < a->n_nodes; v++) {
    g_assert_cmpstr(th_network_node_label(a, v, x), ==, th_network_node_label(b, v, y));
    g_assert_cmpfloat_with_epsilon(a->lon[v], b->lon[v], 1e-9);
    g_assert_cmpfloat_with_epsilon(a->lat[v], b->lat[v], 1e-9);
  }
  for (int l = 0; l < a->n_links; l++) {
    g_assert_cmpstr(th_network_link_label(a, l, x), ==, th_network_link_label(b, l, y));
    g_assert_cmpfloat(a->length_m[l], ==, b->length_m[l]);
    g_assert_cmpfloat(a->free_speed_mps[l], ==, b->free_speed_mps[l]);
    g_assert_cmpfloat(a->capacity_vph[l], ==, b->capacity_vph[l]);
    g_assert_cmpfloat(a->lanes[l], ==, b->lanes[l]);
    g_assert_cmpuint(a->link_modes[l], ==, b->link_modes[l]);
  }
  for (int z = 0; z < a->n_zones; z++)
    g_assert_cmpstr(th_network_zone_label(a, z, x), ==, th_network_zone_label(b, z, y));
  th_test_rmtree(tmp);
}

/* A DTALite-style folder assigns as shipped: demand.csv is the default
 * demand. 100 trips 1 -> Z3 take a b then 2 (the only road path); 50 trips
 * Z3 -> 1 take 3 then a b:r. */
static void test_utm_assign_default_demand(void) {
  g_autofree char *dir = th_test_src("tests/data/gmns-spec/utm");
  g_autofree char *tmp = th_test_tmpdir();
  g_autofree char *flows = g_build_filename(tmp, "flows.csv", NULL);
  g_autofree char *err = NULL;
  int st = th_test_taihang(NULL, &err, "assign", dir, "--flows", flows, NULL);
  g_assert_cmpint(st, ==, 0);
  g_autofree char *text = NULL;
  g_assert_true(g_file_get_contents(flows, &text, NULL, NULL));
  g_assert_nonnull(strstr(text, "\na b,1,2 a,total,100,100,"));
  g_assert_nonnull(strstr(text, "\na b:r,2 a,1,total,50,50,"));
  g_assert_nonnull(strstr(text, "\n2,2 a,3,total,100,100,"));
  g_assert_nonnull(strstr(text, "\n3,3,2 a,total,50,50,"));
  /* free-flow 2 min on a b (1 mile at 30 mph); BPR with 1800 veh/h (per
   * lane x 2): 2 * (1 + 0.15 * (100/1800)^4) */
  double t = 2.0 * (1 + 0.15 * pow(100.0 / 1800.0, 4));
  g_autofree char *want = g_strdup_printf("a b,1,2 a,total,100,100,%.10g,", t);
  g_assert_nonnull(strstr(text, want));
  th_test_rmtree(tmp);
}

static char *write_folder(const char *config, const char *node, const char *link,
                          const char *zone) {
  char *dir = th_test_tmpdir();
  if (config) g_free(th_test_write(dir, "config.csv", config));
  g_free(th_test_write(dir, "node.csv", node));
  g_free(th_test_write(dir, "link.csv", link));
  if (zone) g_free(th_test_write(dir, "zone.csv", zone));
  return dir;
}

static char *load_error(const char *dir) {
  g_autoptr(GError) e = NULL;
  g_autoptr(ThNetwork) net = th_network_load_opt(dir, FALSE, NULL, &e);
  g_assert_null(net);
  g_assert_nonnull(e);
  /* messages name the folder: strip it */
  g_autofree char *prefix = g_strdup_printf("%s/", dir);
  g_auto(GStrv) parts = g_strsplit(e->message, prefix, -1);
  return g_strjoinv("", parts);
}

/* Spec violations: FILE:LINE each, all at once. */
static void test_bad_rows(void) {
  g_autofree char *dir = write_folder(
      "long_length,speed\nkm,kmh\n",
      "node_id,x_coord,y_coord,zone_id\na,112,35,Z1\nb,112.01,35,\nb,112.02,35,\nc,112.03,35,Q\n",
      "link_id,from_node_id,to_node_id,directed,length,free_speed,capacity,lanes,allowed_uses\n"
      "x y,a,b,maybe,1,50,900,1,auto\n"
      "x y,b,a,true,1,50,900,1,auto\n"
      "l3,a,q,true,1,50,900,1,auto\n"
      "l4,a,b,true,1,50,900,0,auto\n"
      "l5,a,b,true,1,50,900,1,hovercraft\n",
      "zone_id,name\nZ1,one\n");
  g_autofree char *msg = load_error(dir);
  g_assert_cmpstr(msg, ==,
                  "node.csv:4: duplicate node_id b (first on line 3; each node_id must be unique)\n"
                  "node.csv:5: zone_id Q is not in zone.csv (a zone_id of zone.csv was expected)\n"
                  "link.csv:2: directed 'maybe' is not a boolean (true or false was expected)\n"
                  "link.csv:3: duplicate link_id x y (first on line 2; each link_id must be unique)\n"
                  "link.csv:4: to_node_id q is not in node.csv (a node_id of node.csv was expected)\n"
                  "link.csv:5: lanes is 0 on a link that allows motor vehicles (lanes above 0 were "
                  "expected; 0 is for walk and bike links)\n"
                  "link.csv:6: allowed_uses has unknown use 'hovercraft' (a use of "
                  "use_definition.csv or use_group.csv, or a GMNS use such as auto, sov, hov2, "
                  "truck, bus, walk, bike or rail, was expected)");
  th_test_rmtree(dir);
}

static void test_bad_config(void) {
  g_autofree char *dir = write_folder("long_length,speed,crs,id_type\nfurlong,knots,EPSG:999999,uuid\nx,y,z,w\n",
                                      "node_id,x_coord,y_coord\n1,0,0\n2,1,1\n",
                                      "link_id,from_node_id,to_node_id,directed,length,free_speed\n"
                                      "1,1,2,true,1,50\n",
                                      NULL);
  g_autofree char *msg = load_error(dir);
  g_assert_nonnull(strstr(msg, "config.csv:2: long_length 'furlong' is not a unit taihang knows "
                               "(km, m, mile or feet was expected)\n"));
  g_assert_nonnull(strstr(msg, "config.csv:2: speed 'knots' is not a unit taihang knows"));
  g_assert_nonnull(strstr(msg, "config.csv:2: id_type 'uuid' is neither string nor integer"));
  g_assert_nonnull(strstr(msg, "config.csv:3: a second data row (config.csv holds exactly one row)"));
  g_assert_nonnull(strstr(msg, "config.csv:2: crs 'EPSG:999999' is not known to PROJ"));
  th_test_rmtree(dir);
}

/* config.csv and the use tables are reported with the node, zone and link
 * tables' problems, all at once (issue 13); what hangs on a broken table is
 * not made an error of every row: with a crs PROJ does not know, the
 * coordinates are not checked; a use a broken use_definition.csv row meant
 * to define is not called unknown. */
static void test_all_tables_at_once(void) {
  g_autofree char *dir = write_folder(
      "long_length,speed,crs\nfurlong,mph,EPSG:999999\n",
      "node_id,x_coord,y_coord\n1,500000,4000000\n2,500100,4000000\n2,500200,4000000\n",
      "link_id,from_node_id,to_node_id,directed,length,free_speed,allowed_uses\n"
      "a,1,2,true,1,50,scooter2\n"
      "a,2,1,true,1,50,auto\n"
      "c,1,9,true,1,50,auto\n",
      NULL);
  g_free(th_test_write(dir, "use_definition.csv", "use,persons_per_vehicle\n,1\nscooter2,1\nscooter2,1\n"));
  g_autofree char *msg = load_error(dir);
  g_test_message("%s", msg);
  g_assert_nonnull(strstr(msg, "config.csv:2: long_length 'furlong' is not a unit taihang knows"));
  g_assert_nonnull(strstr(msg, "config.csv:2: crs 'EPSG:999999' is not known to PROJ"));
  g_assert_nonnull(strstr(msg, "use_definition.csv:2: use is empty (a name was expected)"));
  g_assert_nonnull(strstr(msg, "use_definition.csv:4: duplicate use 'scooter2'"));
  g_assert_nonnull(strstr(msg, "node.csv:4: duplicate node_id 2"));
  g_assert_nonnull(strstr(msg, "link.csv:3: duplicate link_id a"));
  g_assert_nonnull(strstr(msg, "link.csv:4: to_node_id 9 is not in node.csv"));
  g_assert_null(strstr(msg, "WGS84"));
  g_assert_null(strstr(msg, "unknown use"));
  /* with sound tables the same rows are still what they were */
  g_free(th_test_write(dir, "config.csv", "long_length,speed,crs\nkm,kmh,EPSG:32649\n"));
  g_free(th_test_write(dir, "use_definition.csv", "use,persons_per_vehicle,pce\nscooter2,1,0.5\n"));
  g_autofree char *msg2 = load_error(dir);
  g_assert_null(strstr(msg2, "config.csv"));
  g_assert_null(strstr(msg2, "use_definition.csv"));
  g_assert_nonnull(strstr(msg2, "node.csv:4: duplicate node_id 2"));
  g_assert_nonnull(strstr(msg2, "link.csv:4: to_node_id 9 is not in node.csv"));
  th_test_rmtree(dir);
}

/* What real GMNS files leave empty: directed (read as one way, one
 * warning), capacity on road links (unlimited, one warning), optional
 * fields; directed = 0 gives two links; WGS84 needs no crs. */
static void test_empty_optional_fields(void) {
  g_autofree char *dir = write_folder(
      "dataset_name,long_length,speed,crs\nx,m,kmh,EPSG:4326\n",
      "node_id,name,x_coord,y_coord,z_coord,node_type,ctrl_type,zone_id,parent_node_id\n"
      "1,,112.0,35.0,,external,,3,\n2,,112.01,35.0,NaN,diverge,,,\n3,,112.01,35.01,,,,3,\n",
      "link_id,from_node_id,to_node_id,directed,length,free_speed,capacity,lanes,allowed_uses,grade\n"
      "1,1,2,,950,60,,,,\n2,2,3,0,1150,60,1000,2,auto,\n3,3,1,,1500,60,,1,,\n",
      NULL);
  g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) e = NULL;
  g_autoptr(ThNetwork) net = th_network_load_opt(dir, FALSE, w, &e);
  g_assert_no_error(e);
  g_assert_null(net->crs);
  g_assert_cmpint(net->n_links, ==, 4);
  g_assert_true(has_warning(w, "link.csv:2: warning: capacity is empty on 2 road links, from this "
                               "line (read as unlimited"));
  g_assert_true(has_warning(w, "link.csv:2: warning: directed is empty on 2 links, from this line "
                               "(the spec requires true or false; read as true, one way)"));
  int l1 = link_by_label(net, "1"), l2 = link_by_label(net, "2"), l2r = link_by_label(net, "2:r");
  g_assert_cmpfloat(net->length_m[l1], ==, 950); /* long_length m */
  g_assert_true(isinf(net->capacity_vph[l1]));
  g_assert_cmpfloat(net->lanes[l1], ==, 1);
  g_assert_cmpfloat(net->capacity_vph[l2], ==, 2000);
  g_assert_cmpfloat(net->capacity_vph[l2r], ==, 2000);
  /* zone 3 lies on nodes 1 and 3: its node is 3 (node_id = zone_id), though listed later */
  g_assert_cmpint(net->n_zones, ==, 1);
  g_assert_cmpint(net->zone_node[0], ==, node_by_label(net, "3"));
  g_assert_cmpint(net->node_zone[node_by_label(net, "1")], ==, -1);
  th_test_rmtree(dir);
}

/* DTALite-style: no config.csv, no directed, no allowed_uses (optional in
 * GMNS): read as the specification (one-way auto links, km and km/h). */
static void test_no_allowed_uses(void) {
  g_autofree char *dir = write_folder(NULL,
      "node_id,x_coord,y_coord,zone_id\n1,112.0,35.0,1\n2,112.01,35.0,2\n",
      "link_id,from_node_id,to_node_id,length,free_speed,capacity,lanes\n"
      "1,1,2,0.95,60,1000,2\n2,2,1,0.95,60,1000,2\n",
      NULL);
  g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) e = NULL;
  g_autoptr(ThNetwork) net = th_network_load_opt(dir, FALSE, w, &e);
  g_assert_no_error(e);
  g_assert_cmpint(net->n_links, ==, 2);
  int l1 = link_by_label(net, "1");
  g_assert_cmpfloat(net->length_m[l1], ==, 950);
  g_assert_cmpfloat(net->capacity_vph[l1], ==, 2000); /* per lane, as GMNS says */
  g_assert_true(net->link_modes[l1] & TH_MODE_ROAD);
  th_test_rmtree(dir);
}

/* A point that PROJ cannot place: FILE:LINE. */
static void test_bad_projected_point(void) {
  g_autofree char *dir = write_folder("crs\n32649\n", "node_id,x_coord,y_coord\n1,540000,3925000\n2,1e30,1e30\n",
                                      "link_id,from_node_id,to_node_id,directed,length,free_speed\n"
                                      "1,1,2,true,1,50\n",
                                      NULL);
  g_autofree char *msg = load_error(dir);
  g_assert_cmpstr(msg, ==,
                  "node.csv:3: x_coord 1e30, y_coord 1e30 cannot be converted from crs 32649 to "
                  "WGS84 (a point inside that CRS's area was expected)");
  th_test_rmtree(dir);
}

static const char *const square_nodes =
    "node_id,x_coord,y_coord\n1,112.0,35.0\n2,112.01,35.0\n3,112.01,35.01\n4,112.0,35.01\n";

/* Lengths in miles under km: median length / straight line 0.62/1.2 -> the
 * warning names miles read as km; feet under miles: x 5280. */
static void test_length_unit_warning(void) {
  /* the sides are 0.911 km (east) and 1.112 km (north); in miles 0.566, 0.691 */
  g_autofree char *dir = write_folder(
      "long_length,speed\nkm,kmh\n", square_nodes,
      "link_id,from_node_id,to_node_id,directed,length,free_speed,capacity\n"
      "1,1,2,true,0.566,50,900\n2,2,3,true,0.691,50,900\n3,3,4,true,0.566,50,900\n"
      "4,4,1,true,0.691,50,900\n",
      NULL);
  g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) e = NULL;
  g_autoptr(ThNetwork) net = th_network_load_opt(dir, FALSE, w, &e);
  g_assert_no_error(e);
  g_assert_true(has_warning(w, "link.csv:1: warning: the median link is 0.621 times the straight "
                               "line between its nodes, over 4 links (0.9..1.8 was expected of "
                               "lengths in the declared unit; this looks like lengths in miles "
                               "read as km"));
  th_test_rmtree(dir);
  /* the same square in feet under a config saying mile */
  g_autofree char *dir2 = write_folder(
      "long_length,speed\nmile,mph\n", square_nodes,
      "link_id,from_node_id,to_node_id,directed,length,free_speed,capacity\n"
      "1,1,2,true,2989,30,900\n2,2,3,true,3648,30,900\n3,3,4,true,2989,30,900\n"
      "4,4,1,true,3648,30,900\n",
      NULL);
  g_ptr_array_set_size(w, 0);
  g_autoptr(ThNetwork) net2 = th_network_load_opt(dir2, FALSE, w, &e);
  g_assert_no_error(e);
  g_assert_true(has_warning(w, "this looks like lengths in feet read as miles"));
  th_test_rmtree(dir2);
  /* right units: no such warning (ratio 1.0) */
  g_autofree char *dir3 = write_folder(
      NULL, "node_id,x_coord,y_coord\n1,112.0,35.0\n2,112.01,35.0\n3,112.01,35.01\n4,112.0,35.01\n",
      "link_id,from_node_id,to_node_id,allowed_uses,length,free_speed,capacity\n"
      "1,1,2,road,0.911,50,900\n2,2,3,road,1.112,50,900\n3,3,4,road,0.911,50,900\n"
      "4,4,1,road,1.112,50,900\n",
      NULL);
  g_ptr_array_set_size(w, 0);
  g_autoptr(ThNetwork) net3 = th_network_load_opt(dir3, FALSE, w, &e);
  g_assert_no_error(e);
  g_assert_false(has_warning(w, "median link"));
  th_test_rmtree(dir3);
}

/* A zone cut off: assign leaves its trips out with a warning; --strict
 * refuses the network. */
static void test_cut_off_zone_assign(void) {
  g_autofree char *net = th_test_src("tests/data/bad-unreachable");
  g_autofree char *tmp = th_test_tmpdir();
  g_autofree char *od = th_test_write(tmp, "od.csv", "o_zone_id,d_zone_id,volume\n1,2,30\n3,1,7\n");
  g_autofree char *flows = g_build_filename(tmp, "f.csv", NULL);
  g_autofree char *err = NULL;
  int st = th_test_taihang(NULL, &err, "assign", net, "--trips", od, "--flows", flows, NULL);
  g_assert_cmpint(st, ==, 0);
  g_assert_nonnull(strstr(err, "taihang assign: warning: 7 trips from or to zones cut off from "
                               "the others were left out"));
  g_clear_pointer(&err, g_free);
  st = th_test_taihang(NULL, &err, "assign", net, "--trips", od, "--strict", "--flows", flows, NULL);
  g_assert_cmpint(st, ==, 2);
  g_assert_nonnull(strstr(err, "zone 4 (演礼) cannot reach and cannot be reached from"));
  th_test_rmtree(tmp);
}

/* GeoPackage of a results folder: three layers, counts, flows, ids;
 * the same bytes twice. GeoJSON: a lines file and a points file. */
static void test_gpkg_and_geojson(void) {
  g_autofree char *res = th_test_src("tests/data/results-tiny");
  g_autofree char *tmp = th_test_tmpdir();
  g_autofree char *g1 = g_build_filename(tmp, "a.gpkg", NULL);
  g_autofree char *g2 = g_build_filename(tmp, "b.gpkg", NULL);
  g_autofree char *gj = g_build_filename(tmp, "f.geojson", NULL);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "export", res, "--gpkg", g1, "--geojson", gj, NULL), ==, 0);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "export", res, "--gpkg", g2, NULL), ==, 0);
  g_autofree char *b1 = NULL, *b2 = NULL;
  gsize n1, n2;
  g_assert_true(g_file_get_contents(g1, &b1, &n1, NULL));
  g_assert_true(g_file_get_contents(g2, &b2, &n2, NULL));
  g_assert_cmpmem(b1, n1, b2, n2);
  GDALAllRegister();
  GDALDatasetH ds = GDALOpenEx(g1, GDAL_OF_VECTOR, NULL, NULL, NULL);
  g_assert_nonnull(ds);
  g_assert_cmpint(GDALDatasetGetLayerCount(ds), ==, 3);
  OGRLayerH links = GDALDatasetGetLayerByName(ds, "links");
  OGRLayerH nodes = GDALDatasetGetLayerByName(ds, "nodes");
  OGRLayerH zones = GDALDatasetGetLayerByName(ds, "zones");
  g_assert_nonnull(links);
  g_assert_nonnull(nodes);
  g_assert_nonnull(zones);
  g_assert_cmpint(OGR_L_GetFeatureCount(links, TRUE), ==, 12);
  g_assert_cmpint(OGR_L_GetFeatureCount(nodes, TRUE), ==, 6);
  g_assert_cmpint(wkbFlatten(OGR_L_GetGeomType(links)), ==, wkbLineString);
  g_assert_cmpint(wkbFlatten(OGR_L_GetGeomType(nodes)), ==, wkbPoint);
  /* link 10 carries 3000 trucks (see test_maps) */
  OGR_L_SetAttributeFilter(links, "link_id = 10");
  OGRFeatureH f = OGR_L_GetNextFeature(links);
  g_assert_nonnull(f);
  int iv = OGR_F_GetFieldIndex(f, "vehicles"), ie = OGR_F_GetFieldIndex(f, "vehicles_expanded");
  g_assert_cmpfloat(OGR_F_GetFieldAsDouble(f, ie), >=, OGR_F_GetFieldAsDouble(f, iv));
  g_assert_cmpfloat(OGR_F_GetFieldAsDouble(f, iv), >=, 3000);
  OGR_F_Destroy(f);
  GDALClose(ds);
  g_autofree char *gn = g_build_filename(tmp, "f-nodes.geojson", NULL);
  g_assert_true(g_file_test(gn, G_FILE_TEST_EXISTS));
  th_test_rmtree(tmp);
}

/* Text ids through run (trips name zones "1" and "Z3"), the results
 * folder's GMNS network/ and the GeoPackage, which keeps "a b". */
static void test_utm_run_gpkg(void) {
  g_autofree char *net = th_test_src("tests/data/gmns-spec/utm");
  g_autofree char *tmp = th_test_tmpdir();
  g_autofree char *trips =
      th_test_write(tmp, "trips.csv", "id,origin,destination,depart\n1,1,Z3,08:00:00\n2,Z3,1,08:05:00\n");
  g_autofree char *out = g_build_filename(tmp, "res", NULL);
  g_autofree char *gpkg = g_build_filename(tmp, "r.gpkg", NULL);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "run", net, "--trips", trips, "--out", out, NULL), ==, 0);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "export", out, "--gpkg", gpkg, NULL), ==, 0);
  GDALAllRegister();
  GDALDatasetH ds = GDALOpenEx(gpkg, GDAL_OF_VECTOR, NULL, NULL, NULL);
  g_assert_nonnull(ds);
  OGRLayerH links = GDALDatasetGetLayerByName(ds, "links");
  OGR_L_SetAttributeFilter(links, "link_id = 'a b'");
  OGRFeatureH f = OGR_L_GetNextFeature(links);
  g_assert_nonnull(f);
  g_assert_cmpfloat(OGR_F_GetFieldAsDouble(f, OGR_F_GetFieldIndex(f, "vehicles")), ==, 1);
  g_assert_cmpstr(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "to_node_id")), ==, "2 a");
  OGR_F_Destroy(f);
  OGRLayerH zones = GDALDatasetGetLayerByName(ds, "zones");
  g_assert_cmpint(OGR_L_GetFeatureCount(zones, TRUE), ==, 2);
  GDALClose(ds);
  th_test_rmtree(tmp);
}

/* Text ids kept as given in every output of run (issue 13): trips_out,
 * link_flows, link_flows_bins and od_times name "a b", "2 a" and "Z3" as
 * written, the results reader maps them back, and GraphML writes them as
 * string attributes. */
static gboolean has_line_prefix(const char *path, const char *prefix) {
  g_autofree char *text = NULL;
  g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  for (int i = 0; lines[i]; i++)
    if (g_str_has_prefix(lines[i], prefix)) return TRUE;
  return FALSE;
}

static void test_text_ids_in_outputs(void) {
  g_autofree char *net = th_test_src("tests/data/gmns-spec/utm");
  g_autofree char *tmp = th_test_tmpdir();
  g_autofree char *trips =
      th_test_write(tmp, "trips.csv", "id,origin,destination,depart\n1,1,Z3,08:00:00\n2,Z3,1,08:05:00\n");
  g_autofree char *out = g_build_filename(tmp, "res", NULL);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "run", net, "--trips", trips, "--out", out, "-q", NULL), ==, 0);
  g_autofree char *to = g_build_filename(out, "trips_out.csv", NULL);
  g_assert_true(has_line_prefix(to, "1,car,road,1,Z3,"));
  g_assert_true(has_line_prefix(to, "2,car,road,Z3,1,"));
  g_autofree char *lf = g_build_filename(out, "link_flows.csv", NULL);
  g_assert_true(has_line_prefix(lf, "a b,1,2 a,car,road,1,"));
  g_assert_true(has_line_prefix(lf, "a b:r,2 a,1,car,road,1,"));
  g_autofree char *od = g_build_filename(out, "od_times.csv", NULL);
  g_assert_true(has_line_prefix(od, "1,Z3,car,"));
  g_assert_true(has_line_prefix(od, "Z3,1,car,"));
  g_autofree char *bins = g_build_filename(out, "link_flows_bins.csv", NULL);
  if (g_file_test(bins, G_FILE_TEST_EXISTS)) g_assert_true(has_line_prefix(bins, "a b,car,"));
  /* read back: the flows land on the links of those ids */
  g_autoptr(GError) e = NULL;
  g_autoptr(ThResults) r = th_results_read(out, &e);
  g_assert_no_error(e);
  int ab = th_network_link_find(r->net, "a b");
  g_assert_cmpint(ab, >=, 0);
  g_assert_cmpint(ab, ==, link_by_label(r->net, "a b"));
  g_assert_cmpfloat(th_results_flow(r, ab, TH_FLOW_CAR)->vehicles, ==, 1);
  g_assert_cmpint(th_network_node_find(r->net, "2 a"), ==, node_by_label(r->net, "2 a"));
  g_assert_cmpint(th_network_zone_find(r->net, "Z3"), ==, th_network_zone_lookup(r->net, "Z3"));
  g_assert_cmpint(th_network_link_find(r->net, "nope"), ==, -1);
  g_autoptr(ThOdTimeMatrices) odt = th_od_time_matrices_read(r, &e);
  g_assert_no_error(e);
  /* GraphML: the ids as string attributes */
  g_autofree char *gml = g_build_filename(tmp, "n.graphml", NULL);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "export", net, "--graphml", gml, NULL), ==, 0);
  g_autofree char *g = NULL;
  g_assert_true(g_file_get_contents(gml, &g, NULL, NULL));
  g_assert_nonnull(strstr(g, "attr.name=\"link_id\" attr.type=\"string\""));
  g_assert_nonnull(strstr(g, ">a b:r<"));
  g_assert_nonnull(strstr(g, ">2 a<"));
  g_assert_nonnull(strstr(g, ">Z3<"));
  th_test_rmtree(tmp);
}

/* demand.csv as trips (sim/od-trips.h): cumulative rounding, even
 * departures, file order; and run's default demand. */
static void test_demand_as_trips(void) {
  g_autoptr(ThNetwork) net = load_utm(NULL);
  g_autoptr(ThClassTable) classes = th_class_table_new();
  g_autofree char *tmp = th_test_tmpdir();
  /* C = 0.4, 0.8, 1.2, 3.2: trips 0, 1, 0, 2 (round half up of the running sum) */
  g_autofree char *d = th_test_write(tmp, "demand.csv",
                                     "o_zone_id,d_zone_id,volume\n1,Z3,0.4\nZ3,1,0.4\n1,Z3,0.4\n1,Z3,2\n1,1,9\n");
  g_autoptr(GError) e = NULL;
  g_autoptr(ThTrips) t = th_trips_from_demand_csv(d, net, classes, 3600, 3600 + 60, NULL, &e);
  g_assert_no_error(e);
  g_assert_cmpint(t->n, ==, 3);
  int z1 = th_network_zone_lookup(net, "1"), z3 = th_network_zone_lookup(net, "Z3");
  g_assert_cmpint(t->origin[0], ==, net->zone_node[z3]); /* row 2 */
  g_assert_cmpint(t->depart_s[0], ==, 3600 + 30);
  g_assert_cmpint(t->line[0], ==, 3);
  g_assert_cmpint(t->origin[1], ==, net->zone_node[z1]); /* row 4: two trips at 15 s and 45 s */
  g_assert_cmpint(t->depart_s[1], ==, 3600 + 15);
  g_assert_cmpint(t->depart_s[2], ==, 3600 + 45);
  g_assert_cmpint(t->id[2], ==, 3);
  /* bad rows: every one, FILE:LINE */
  g_autofree char *bad = th_test_write(tmp, "bad.csv", "o_zone_id,d_zone_id,volume\nQ,1,2\n1,Z3,-1\n");
  g_autoptr(ThTrips) none = th_trips_from_demand_csv(bad, net, classes, 0, 60, NULL, &e);
  g_assert_null(none);
  g_autofree char *want = g_strdup_printf(
      "%s:2: o_zone_id 'Q' is not a zone (a zone id of the network was expected)\n"
      "%s:3: volume '-1' is not a number >= 0 (trips in the demand period were expected)",
      bad, bad);
  g_assert_cmpstr(e->message, ==, want);
  g_clear_error(&e);
  /* more trips than a run simulates: refused at the row that passes the
   * limit, before any is made (the demand_csv fuzz target ran out of memory) */
  g_autofree char *huge = th_test_write(tmp, "huge.csv", "o_zone_id,d_zone_id,volume\n1,Z3,2\nZ3,1,1e12\n");
  g_autoptr(ThTrips) none2 = th_trips_from_demand_csv(huge, net, classes, 0, 60, NULL, &e);
  g_assert_null(none2);
  g_autofree char *want2 = g_strdup_printf(
      "%s:3: volume '1e12' takes the file past 10000000 trips, more than a run simulates (a "
      "sample of the demand, with the run's sample factor, was expected)", huge);
  g_assert_cmpstr(e->message, ==, want2);
  g_clear_error(&e);
  /* run without --trips: the folder's 150 trips, 07:00-08:00 */
  g_autofree char *dir = th_test_src("tests/data/gmns-spec/utm");
  g_autofree char *out = g_build_filename(tmp, "res", NULL);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "run", dir, "--out", out, "-q", NULL), ==, 0);
  g_autofree char *trips_out = g_build_filename(out, "trips_out.csv", NULL);
  g_autofree char *text = NULL;
  g_assert_true(g_file_get_contents(trips_out, &text, NULL, NULL));
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  g_assert_cmpint(g_strv_length(lines), ==, 1 + 150 + 1);
  g_assert_true(g_str_has_prefix(lines[1], "1,car,road,"));
  g_assert_nonnull(strstr(lines[1], ",25218,")); /* 07:00 + 3600 / 100 / 2 */
  th_test_rmtree(tmp);
}

static void test_crs_basics(void) {
  g_assert_true(th_crs_is_wgs84("EPSG:4326"));
  g_assert_true(th_crs_is_wgs84(" 4326 "));
  g_assert_false(th_crs_is_wgs84("32649"));
  g_autoptr(GError) e = NULL;
  g_autoptr(ThCrs) c = th_crs_new("32649", &e);
  g_assert_no_error(e);
  double lon, lat, x, y;
  g_assert_true(th_crs_to_wgs84(c, 500000, 0, &lon, &lat)); /* the zone's meridian at the equator */
  g_assert_cmpfloat_with_epsilon(lon, 111, 1e-9);
  g_assert_cmpfloat_with_epsilon(lat, 0, 1e-9);
  g_assert_true(th_crs_from_wgs84(c, lon, lat, &x, &y));
  g_assert_cmpfloat_with_epsilon(x, 500000, 1e-6);
  g_autofree char *ls = th_crs_linestring(c, "LINESTRING (500000 0, 500000 0)", TRUE, 3);
  g_assert_cmpstr(ls, ==, "LINESTRING (111.000 0.000, 111.000 0.000)");
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/gmns-spec/all-tables-at-once", test_all_tables_at_once);
  g_test_add_func("/gmns-spec/crs", test_crs_basics);
  g_test_add_func("/gmns-spec/utm-read", test_utm_read);
  g_test_add_func("/gmns-spec/utm-round-trip", test_utm_round_trip);
  g_test_add_func("/gmns-spec/utm-assign-default-demand", test_utm_assign_default_demand);
  g_test_add_func("/gmns-spec/utm-run-gpkg", test_utm_run_gpkg);
  g_test_add_func("/gmns-spec/empty-optional-fields", test_empty_optional_fields);
  g_test_add_func("/gmns-spec/no-allowed-uses", test_no_allowed_uses);
  g_test_add_func("/gmns-spec/demand-as-trips", test_demand_as_trips);
  g_test_add_func("/gmns-spec/text-ids-in-outputs", test_text_ids_in_outputs);
  g_test_add_func("/gmns-spec/bad-rows", test_bad_rows);
  g_test_add_func("/gmns-spec/bad-config", test_bad_config);
  g_test_add_func("/gmns-spec/bad-projected-point", test_bad_projected_point);
  g_test_add_func("/gmns-spec/length-unit-warning", test_length_unit_warning);
  g_test_add_func("/gmns-spec/cut-off-zone-assign", test_cut_off_zone_assign);
  g_test_add_func("/gmns-spec/gpkg-geojson", test_gpkg_and_geojson);
  return g_test_run();
}
