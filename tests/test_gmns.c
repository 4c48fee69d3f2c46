/* test_gmns.c: the GMNS reader and writer: good input with exact values,
 * every kind of bad input with its exact FILE:LINE message, several broken
 * lines in one file, and exact write -> read round trips. */
#include "network/gmns.h"
#include "network/th-error.h"
#include "network/tntp.h"
#include "tests/testutil.h"

#include <glib/gstdio.h>
#include <math.h>
#include <unistd.h>
#include <string.h>

static const char *NODE_HEAD = "node_id,name,x_coord,y_coord,node_type,zone_id,population,gdp,jobs\n";
static const char *LINK_HEAD =
    "link_id,from_node_id,to_node_id,name,facility_type,allowed_uses,length,free_speed,capacity\n";

/* A small good network: 3 nodes, zone 1 and zone 2, road both ways. */
static const char *GOOD_NODES = "1,甲,112.40,35.40,town,1,1000,2.5,300\n"
                                "2,乙,112.50,35.45,zone,2,,,\n"
                                "3,,112.45,35.42,junction,,,,\n";
static const char *GOOD_LINKS = "10,1,3,a,national,road,6,60,1800\n"
                                "11,3,1,a,national,road,6,60,1800\n"
                                "12,3,2,b,connector,connector,5.5,40,\n"
                                "13,2,3,b,connector,connector,5.5,40,\n";

typedef struct {
  char *dir;
} Fixture;

static void fx_setup(Fixture *f, gconstpointer data) { f->dir = th_test_tmpdir(); }
static void fx_teardown(Fixture *f, gconstpointer data) {
  th_test_rmtree(f->dir);
  g_free(f->dir);
}

/* Writes node.csv and link.csv (each with its header unless HEAD is NULL). */
static void write_net(const char *dir, const char *nhead, const char *nodes, const char *lhead,
                      const char *links) {
  g_autofree char *n = g_strconcat(nhead ? nhead : "", nodes, NULL);
  g_autofree char *l = g_strconcat(lhead ? lhead : "", links, NULL);
  g_free(th_test_write(dir, "node.csv", n));
  g_free(th_test_write(dir, "link.csv", l));
}

/* Reads DIR, expects failure with CODE, returns the message. */
static char *read_fail(const char *dir, int code) {
  g_autoptr(GError) e = NULL;
  g_autoptr(ThNetwork) net = th_gmns_read(dir, &e);
  g_assert_null(net);
  g_assert_error(e, TH_ERROR, code);
  return g_strdup(e->message);
}

/* Expected message: each line of LINES (with "N:" or "L:" meaning the node
 * or link file of DIR) joined by "\n". */
static char *expect(const char *dir, const char *const *lines) {
  GString *s = g_string_new(NULL);
  for (int i = 0; lines[i]; i++) {
    const char *file = lines[i][0] == 'N' ? "node.csv" : "link.csv";
    g_autofree char *path = g_build_filename(dir, file, NULL);
    g_string_append_printf(s, "%s%s:%s", i ? "\n" : "", path, lines[i] + 2);
  }
  return g_string_free(s, FALSE);
}

static void assert_fails_with(const char *dir, int code, const char *const *lines) {
  g_autofree char *got = read_fail(dir, code);
  g_autofree char *want = expect(dir, lines);
  g_assert_cmpstr(got, ==, want);
}

/* ---------------------------------------------------------------- good input */

static void test_good_small(Fixture *f, gconstpointer data) {
  write_net(f->dir, NODE_HEAD, GOOD_NODES, LINK_HEAD, GOOD_LINKS);
  g_autoptr(GError) e = NULL;
  g_autoptr(ThNetwork) net = th_gmns_read(f->dir, &e);
  g_assert_no_error(e);
  g_assert_cmpint(net->n_nodes, ==, 3);
  g_assert_cmpint(net->n_links, ==, 4);
  g_assert_cmpint(net->n_zones, ==, 2);
  g_assert_cmpstr(net->format, ==, "gmns");
  g_assert_cmpstr(net->node_name[0], ==, "甲");
  g_assert_cmpstr(net->node_name[2], ==, "");
  g_assert_cmpfloat(net->lon[1], ==, 112.50);
  g_assert_cmpint(net->node_kind[0], ==, TH_NODE_TOWN);
  g_assert_cmpint(net->node_no_thru[0], ==, 0);
  g_assert_cmpint(net->node_kind[1], ==, TH_NODE_ZONE);
  g_assert_cmpint(net->node_no_thru[1], ==, 1);
  g_assert_cmpint(net->node_zone[2], ==, -1);
  g_assert_cmpint(net->zone_id[0], ==, 1);
  g_assert_cmpfloat(net->zone_population[0], ==, 1000);
  g_assert_cmpfloat(net->zone_gdp[0], ==, 2.5);
  g_assert_cmpfloat(net->zone_jobs[0], ==, 300);
  g_assert_cmpfloat(net->zone_population[1], ==, 0);
  int e0 = th_network_link_index(net, 10);
  g_assert_cmpint(e0, ==, 0);
  g_assert_cmpfloat(net->length_m[0], ==, 6000);
  g_assert_cmpfloat(net->free_speed_mps[0], ==, 60 / 3.6);
  g_assert_cmpfloat(net->free_time_s[0], ==, 6000 / (60 / 3.6));
  g_assert_cmpfloat(net->capacity_vph[0], ==, 1800);
  g_assert_cmpfloat(net->lanes[0], ==, 1);
  g_assert_cmpfloat(net->bpr_alpha[0], ==, 0.15);
  g_assert_cmpfloat(net->bpr_beta[0], ==, 4);
  g_assert_cmpfloat(net->toll[0], ==, 0);
  g_assert_cmpfloat(net->cost_per_tkm[0], ==, 0);
  g_assert_cmpuint(net->link_modes[0], ==, TH_MODE_ROAD);
  g_assert_cmpuint(net->link_modes[2], ==, TH_MODE_CONNECTOR);
  g_assert_true(isinf(net->capacity_vph[2])); /* empty: unlimited */
  g_assert_cmpfloat(net->length_m[2], ==, 5500);
  g_assert_cmpint(net->link_line[3], ==, 5);
  g_assert_cmpint(net->node_line[2], ==, 4);
}

static void test_good_sample(void) {
  g_autofree char *dir = th_test_src("scenarios/sample");
  g_autoptr(GError) e = NULL;
  g_autoptr(ThNetwork) net = th_gmns_read(dir, &e);
  g_assert_no_error(e);
  g_assert_cmpint(net->n_nodes, ==, 23);
  g_assert_cmpint(net->n_links, ==, 60);
  g_assert_cmpint(net->n_zones, ==, 9);
  int e0 = th_network_link_index(net, 1001);
  g_assert_cmpstr(net->link_name[e0], ==, "晋阳高速 G5512");
  g_assert_cmpstr(net->link_facility[e0], ==, "expressway");
  g_assert_cmpuint(net->link_modes[e0], ==, TH_MODE_ROAD | TH_MODE_BUS);
  g_assert_cmpfloat(net->length_m[e0], ==, 19650);
  g_assert_cmpfloat(net->capacity_vph[e0], ==, 4000);
  g_assert_cmpfloat(net->lanes[e0], ==, 2);
  g_assert_cmpfloat(net->toll[e0], ==, 8.8);
  g_assert_cmpfloat(net->cost_per_tkm[e0], ==, 0.3);
  g_assert_true(g_str_has_prefix(net->link_geometry[e0], "LINESTRING (112.79 35.498, "));
  g_assert_cmpstr(net->link_source[e0], ==, "E");
  int v = th_network_node_index(net, 301);
  g_assert_cmpint(net->node_kind[v], ==, TH_NODE_HUB);
  g_assert_cmpint(net->node_kind[th_network_node_index(net, 201)], ==, TH_NODE_STATION);
}

/* Unknown extra columns, a BOM, CRLF, comments and column order are fine. */
static void test_extra_columns(Fixture *f, gconstpointer data) {
  write_net(f->dir, NULL,
            "\xEF\xBB\xBFy_coord,x_coord,node_id,ctrl_type\r\n"
            "# a comment\r\n"
            "35.4,112.4,1,signal\r\n35.5,112.5,2,\r\n",
            NULL,
            "link_id,from_node_id,to_node_id,allowed_uses,length,free_speed,capacity,vdf_code\n"
            "7,1,2,road;bus,1.25,50,900,xyz\n"
            "8,2,1,rail,1e1,80,,\n");
  g_autoptr(GError) e = NULL;
  g_autoptr(ThNetwork) net = th_gmns_read(f->dir, &e);
  g_assert_no_error(e);
  g_assert_cmpint(net->n_nodes, ==, 2);
  g_assert_cmpfloat(net->lat[0], ==, 35.4);
  g_assert_cmpint(net->node_kind[0], ==, TH_NODE_JUNCTION);
  g_assert_cmpfloat(net->length_m[0], ==, 1250);
  g_assert_cmpfloat(net->length_m[1], ==, 10000);
  g_assert_cmpuint(net->link_modes[0], ==, TH_MODE_ROAD | TH_MODE_BUS);
  g_assert_cmpint(net->n_zones, ==, 0);
}

/* ---------------------------------------------------------------- bad input */

static void test_missing_files(Fixture *f, gconstpointer data) {
  g_autoptr(GError) e = NULL;
  g_autofree char *nodir = g_build_filename(f->dir, "nope", NULL);
  g_assert_null(th_gmns_read(nodir, &e));
  g_assert_error(e, TH_ERROR, TH_ERROR_INVALID);
  g_autofree char *m1 = g_strdup_printf(
      "%s: no such folder (a GMNS network folder with node.csv and link.csv was expected)", nodir);
  g_assert_cmpstr(e->message, ==, m1);
  g_clear_error(&e);
  g_free(th_test_write(f->dir, "node.csv", "node_id,x_coord,y_coord\n1,1,1\n"));
  g_assert_null(th_gmns_read(f->dir, &e));
  g_autofree char *m2 = g_strdup_printf(
      "%s/link.csv: file is missing (a GMNS network folder holds node.csv and link.csv)", f->dir);
  g_assert_cmpstr(e->message, ==, m2);
}

static void test_missing_columns(Fixture *f, gconstpointer data) {
  write_net(f->dir, NULL, "node_id,name,y_coord\n1,a,35\n", NULL,
            "link_id,from_node_id,allowed_uses,length\n1,1,road,1\n");
  const char *const want[] = {
      "N:1: missing required column 'x_coord' (header has: node_id, name, y_coord)",
      "L:1: missing required column 'to_node_id' (header has: link_id, from_node_id, "
      "allowed_uses, length)",
      "L:1: missing required column 'free_speed' (header has: link_id, from_node_id, "
      "allowed_uses, length)",
      NULL};
  assert_fails_with(f->dir, TH_ERROR_PARSE, want);
}

static void test_empty_file(Fixture *f, gconstpointer data) {
  write_net(f->dir, NULL, "", LINK_HEAD, "");
  const char *const want[] = {"N:1: file is empty (a header row was expected)", NULL};
  assert_fails_with(f->dir, TH_ERROR_PARSE, want);
}

/* Issue 17, defect 4: header-only files read as "0 nodes, 0 links" and
 * passed; a network without nodes or links is an error. */
static void test_header_only(Fixture *f, gconstpointer data) {
  write_net(f->dir, NODE_HEAD, "", LINK_HEAD, "");
  const char *const want[] = {"N:1: no nodes (a row per node below the header was expected)",
                              "L:1: no links (a row per link below the header was expected)",
                              NULL};
  assert_fails_with(f->dir, TH_ERROR_INVALID, want);
}

/* Issue 17, defect 4: CR-only line ends (Excel "CSV (Macintosh)") read as
 * one header line each, so 0 nodes and 0 links; now the same network. */
static void test_cr_line_ends(Fixture *f, gconstpointer data) {
  g_autofree char *n = g_strconcat(NODE_HEAD, GOOD_NODES, NULL);
  g_autofree char *l = g_strconcat(LINK_HEAD, GOOD_LINKS, NULL);
  g_strdelimit(n, "\n", '\r');
  g_strdelimit(l, "\n", '\r');
  write_net(f->dir, NULL, n, NULL, l);
  g_autoptr(GError) e = NULL;
  g_autoptr(ThNetwork) net = th_gmns_read(f->dir, &e);
  g_assert_no_error(e);
  g_assert_cmpint(net->n_nodes, ==, 3);
  g_assert_cmpint(net->n_links, ==, 4);
}

/* Issue 17, defect 3: an unquoted thousands separator (population 120,000)
 * became 120 and shifted the later columns; now refused at its line. In
 * link.csv (length 19,65) the message named WKT or lanes. */
static void test_thousands_separator(Fixture *f, gconstpointer data) {
  write_net(f->dir, NODE_HEAD,
            "1,甲,112.40,35.40,town,1,120,000,2.5,300\n"
            "2,乙,112.50,35.45,zone,2,,,\n"
            "3,,112.45,35.42,junction,,,,\n",
            LINK_HEAD,
            "10,1,3,a,national,road,19,65,60,1800\n"
            "11,3,1,a,national,road,6,60,1800\n"
            "12,3,2,b,connector,connector,5.5,40,\n"
            "13,2,3,b,connector,connector,5.5,40,\n");
  const char *const want[] = {
      "N:2: 10 fields where the header has 9 (a value with an unquoted comma, such as a "
      "thousands separator in 120,000 or a decimal comma in 19,65? write 120000 and 19.65, or "
      "quote the value)",
      "L:2: 10 fields where the header has 9 (a value with an unquoted comma, such as a "
      "thousands separator in 120,000 or a decimal comma in 19,65? write 120000 and 19.65, or "
      "quote the value)",
      NULL};
  assert_fails_with(f->dir, TH_ERROR_PARSE, want);
}

/* Issue 17, defect 5: a dangling symlink for node.csv said "file is
 * missing"; now it is unreadable, with the reason. */
static void test_dangling_symlink(Fixture *f, gconstpointer data) {
  write_net(f->dir, NODE_HEAD, GOOD_NODES, LINK_HEAD, GOOD_LINKS);
  g_autofree char *n = g_build_filename(f->dir, "node.csv", NULL);
  g_assert_cmpint(g_unlink(n), ==, 0);
  g_assert_cmpint(symlink("gone.csv", n), ==, 0);
  const char *const want[] = {"N: cannot read (No such file or directory)", NULL};
  assert_fails_with(f->dir, TH_ERROR_PARSE, want);
}

static void test_bad_ids(Fixture *f, gconstpointer data) {
  write_net(f->dir, NODE_HEAD,
            "1,a,112,35,,,,,\n"
            "x1,b,112,35,,,,,\n"
            ",c,112,35,,,,,\n"
            "1,d,112,35,,,,,\n"
            "2.0,e,112,35,,,,,\n", /* 2.0 is accepted as 2 (pandas writes ids so) */
            LINK_HEAD,
            "5,1,2,,,road,1,50,100\n"
            "5,2,1,,,road,1,50,100\n"
            "6,1,99,,,road,1,50,100\n"
            "7,abc,2,,,road,1,50,100\n"
            "8,2,2,,,road,1,50,100\n");
  const char *const want[] = {
      "N:3: node_id 'x1' is not a whole number (an integer id was expected)",
      "N:4: node_id is empty (an integer id was expected)",
      "N:5: duplicate node_id 1 (first on line 2; each node_id must be unique)",
      "L:3: duplicate link_id 5 (first on line 2; each link_id must be unique)",
      "L:4: to_node_id 99 is not in node.csv (a node_id of node.csv was expected)",
      "L:5: from_node_id 'abc' is not a whole number (an integer id was expected)",
      "L:6: link starts and ends at node 2 (two different nodes were expected)",
      NULL};
  assert_fails_with(f->dir, TH_ERROR_PARSE, want);
}

static void test_bad_nodes(Fixture *f, gconstpointer data) {
  write_net(f->dir, NODE_HEAD,
            "1,a,181,35,,,,,\n"
            "2,b,112,-91,,,,,\n"
            "3,c,35,112,,,,,\n"
            "4,d,112,,,,,,\n"
            "5,e,112,35,depot,,,,\n"
            "6,f,112,35,town,-3,,,\n"
            "7,g,112,35,town,7,-5,,\n"
            "8,h,112,35,junction,,100,,\n"
            "9,i,112,35,zone,7,,,\n"
            "10,j,NaN,35,,,,,\n"
            "11,k,112,35,zone,,,abc,\n",
            LINK_HEAD, "");
  const char *const want[] = {
      "N:2: x_coord 181 is outside -180..180 (a WGS84 longitude in degrees was expected)",
      "N:3: y_coord -91 is outside -90..90 (a WGS84 latitude in degrees was expected)",
      "N:4: y_coord 112 is outside -90..90 (a WGS84 latitude in degrees was expected; are "
      "x_coord and y_coord swapped?)",
      "N:5: y_coord is empty (a WGS84 latitude in degrees was expected)",
      "N:6: node_type 'depot' is unknown (junction, zone, town, station or hub was expected)",
      "N:7: zone_id -3 is negative (a zone id of 0 or more was expected)",
      "N:8: population -5 is negative (a number of persons, 0 or more was expected)",
      "N:9: population is given but the node is not a zone (a zone_id or node_type zone was "
      "expected with it)",
      "N:10: duplicate zone_id 7 (first on line 8; each zone_id must be unique)",
      "N:11: x_coord 'NaN' is not a finite number (a WGS84 longitude in degrees was expected)",
      "N:12: gdp 'abc' is not a number (a GDP in 100 million yuan, 0 or more was expected)",
      NULL};
  assert_fails_with(f->dir, TH_ERROR_PARSE, want);
}

static void test_bad_links(Fixture *f, gconstpointer data) {
  write_net(f->dir, NODE_HEAD, "1,a,112,35,,,,,\n2,b,112.1,35,,,,,\n", NULL,
            "link_id,from_node_id,to_node_id,allowed_uses,length,free_speed,capacity,lanes,"
            "bpr_alpha,bpr_beta,toll,cost_per_tkm,geometry,free_time_min\n"
            "1,1,2,car,1,50,100,,,,,,,\n"
            "2,1,2,,1,50,100,,,,,,,\n"
            "3,1,2,road,-1,50,100,,,,,,,\n"
            "4,1,2,road,1,0,100,,,,,,,\n"
            "5,1,2,road,1,50,,,,,,,,\n"
            "6,1,2,bus,1,50,0,,,,,,,\n"
            "7,1,2,rail,1,50,-4,0,,,,,,\n"
            "8,1,2,rail,1,inf,,,-0.1,x,-2,-1,,\n"
            "9,1,2,rail,abc,50,,,,,,,\"LINESTRING (1 2)\",\n"
            "10,1,2,rail,1,50,,,,,,,\"POINT (1 2)\",0\n"
            "11,1,2,rail,1,50,,,,,,,\"LINESTRING (112 35, 200 35)\",\n"
            "12,1,2,;,1,50,,,,,,,,\n");
  const char *const want[] = {
      "L:2: allowed_uses has unknown mode 'car' (road, rail, hsr, intercity, bus, walk or "
      "connector was expected)",
      "L:3: allowed_uses is empty (modes among road, rail, hsr, intercity, bus, walk, connector, "
      "separated by ';', were expected)",
      "L:4: length -1 is negative (a length in km, 0 or more was expected)",
      "L:5: free_speed 0 is zero (a speed in km/h above 0 was expected)",
      "L:6: capacity is empty on a link that allows road (a capacity in veh/h above 0 was "
      "expected)",
      "L:7: capacity 0 is zero (a capacity in veh/h above 0, or empty for unlimited was "
      "expected)",
      "L:8: capacity -4 is negative (a capacity in veh/h above 0, or empty for unlimited was "
      "expected)",
      "L:8: lanes 0 is zero (a number of lanes above 0 was expected)",
      "L:9: free_speed 'inf' is not a finite number (a speed in km/h above 0 was expected)",
      "L:9: bpr_alpha -0.1 is negative (a BPR alpha of 0 or more was expected)",
      "L:9: bpr_beta 'x' is not a number (a BPR beta of 0 or more was expected)",
      "L:9: toll -2 is negative (a toll in yuan, 0 or more was expected)",
      "L:9: cost_per_tkm -1 is negative (a cost in yuan per tonne-km, 0 or more was expected)",
      "L:10: length 'abc' is not a number (a length in km, 0 or more was expected)",
      "L:10: geometry has fewer than two points (LINESTRING (lon lat, lon lat, ...) in WGS84 "
      "degrees was expected)",
      "L:11: free_time_min 0 is zero (a free-flow time in minutes above 0, or empty was "
      "expected)",
      "L:11: geometry is not a WKT LINESTRING (LINESTRING (lon lat, lon lat, ...) in WGS84 "
      "degrees was expected)",
      "L:12: geometry has a point outside WGS84 longitude -180..180, latitude -90..90 "
      "(LINESTRING (lon lat, lon lat, ...) in WGS84 degrees was expected)",
      "L:13: allowed_uses ';' names no mode (at least one mode was expected)",
      NULL};
  assert_fails_with(f->dir, TH_ERROR_PARSE, want);
}

/* A broken node row still defines its id: links to it are not "unknown". */
static void test_no_cascade(Fixture *f, gconstpointer data) {
  write_net(f->dir, NODE_HEAD, "1,a,112,35,,,,,\n2,b,bad,35,,,,,\n", LINK_HEAD,
            "1,1,2,,,road,1,50,100\n");
  const char *const want[] = {
      "N:3: x_coord 'bad' is not a number (a WGS84 longitude in degrees was expected)", NULL};
  assert_fails_with(f->dir, TH_ERROR_PARSE, want);
}

/* Only problems of meaning (no parse problem): TH_ERROR_INVALID. */
static void test_invalid_code(Fixture *f, gconstpointer data) {
  write_net(f->dir, NODE_HEAD, "1,a,112,35,,,,,\n", LINK_HEAD, "1,1,2,,,road,1,50,100\n");
  const char *const want[] = {
      "L:2: to_node_id 2 is not in node.csv (a node_id of node.csv was expected)", NULL};
  assert_fails_with(f->dir, TH_ERROR_INVALID, want);
}

static void test_unterminated_quote(Fixture *f, gconstpointer data) {
  write_net(f->dir, NODE_HEAD, "1,a,112,35,,,,,\n2,\"b,112,35,,,,,\n", LINK_HEAD, "");
  const char *const want[] = {
      "N:3: unterminated quoted field (a closing \" was expected)", NULL};
  assert_fails_with(f->dir, TH_ERROR_PARSE, want);
}

/* ---------------------------------------------------------------- round trip */

static gboolean same_double(double a, double b) {
  return (isnan(a) && isnan(b)) || a == b;
}

static void assert_same_network(const ThNetwork *a, const ThNetwork *b) {
  g_assert_cmpint(a->n_nodes, ==, b->n_nodes);
  g_assert_cmpint(a->n_links, ==, b->n_links);
  g_assert_cmpint(a->n_zones, ==, b->n_zones);
  for (int v = 0; v < a->n_nodes; v++) {
    g_assert_cmpint(a->node_id[v], ==, b->node_id[v]);
    g_assert_cmpstr(a->node_name[v], ==, b->node_name[v]);
    g_assert_true(same_double(a->lon[v], b->lon[v]));
    g_assert_true(same_double(a->lat[v], b->lat[v]));
    g_assert_cmpint(a->node_kind[v], ==, b->node_kind[v]);
    g_assert_cmpint(a->node_zone[v], ==, b->node_zone[v]);
    g_assert_cmpint(a->node_no_thru[v], ==, b->node_no_thru[v]);
    g_assert_cmpstr(a->node_source[v], ==, b->node_source[v]);
  }
  for (int z = 0; z < a->n_zones; z++) {
    g_assert_cmpint(a->zone_node[z], ==, b->zone_node[z]);
    g_assert_cmpint(a->zone_id[z], ==, b->zone_id[z]);
    g_assert_cmpfloat(a->zone_population[z], ==, b->zone_population[z]);
    g_assert_cmpfloat(a->zone_gdp[z], ==, b->zone_gdp[z]);
    g_assert_cmpfloat(a->zone_jobs[z], ==, b->zone_jobs[z]);
  }
  for (int e = 0; e < a->n_links; e++) {
    g_assert_cmpint(a->link_id[e], ==, b->link_id[e]);
    g_assert_cmpint(a->link_from[e], ==, b->link_from[e]);
    g_assert_cmpint(a->link_to[e], ==, b->link_to[e]);
    g_assert_cmpuint(a->link_modes[e], ==, b->link_modes[e]);
    g_assert_cmpstr(a->link_name[e], ==, b->link_name[e]);
    g_assert_cmpstr(a->link_facility[e], ==, b->link_facility[e]);
    g_assert_cmpstr(a->link_geometry[e], ==, b->link_geometry[e]);
    g_assert_cmpstr(a->link_source[e], ==, b->link_source[e]);
    g_assert_cmpfloat(a->length_m[e], ==, b->length_m[e]);
    g_assert_cmpfloat(a->free_speed_mps[e], ==, b->free_speed_mps[e]);
    g_assert_cmpfloat(a->free_time_s[e], ==, b->free_time_s[e]);
    g_assert_true(same_double(a->capacity_vph[e], b->capacity_vph[e]));
    g_assert_cmpfloat(a->lanes[e], ==, b->lanes[e]);
    g_assert_cmpfloat(a->bpr_alpha[e], ==, b->bpr_alpha[e]);
    g_assert_cmpfloat(a->bpr_beta[e], ==, b->bpr_beta[e]);
    g_assert_cmpfloat(a->toll[e], ==, b->toll[e]);
    g_assert_cmpfloat(a->cost_per_tkm[e], ==, b->cost_per_tkm[e]);
  }
  g_autofree char *fa = th_network_fingerprint(a);
  g_autofree char *fb = th_network_fingerprint(b);
  g_assert_cmpstr(fa, ==, fb);
}

static ThNetwork *write_read(const ThNetwork *net, const char *dir) {
  g_autoptr(GError) e = NULL;
  g_assert_true(th_gmns_write(net, dir, &e));
  g_assert_no_error(e);
  ThNetwork *back = th_gmns_read(dir, &e);
  g_assert_no_error(e);
  return back;
}

static void test_roundtrip_sample(Fixture *f, gconstpointer data) {
  g_autofree char *src = th_test_src("scenarios/sample");
  g_autoptr(GError) e = NULL;
  g_autoptr(ThNetwork) net = th_gmns_read(src, &e);
  g_assert_no_error(e);
  g_assert_cmpstr(net->node_source[0], ==, "M"); /* provenance is kept */
  g_autoptr(ThNetwork) back = write_read(net, f->dir);
  assert_same_network(net, back);
  /* the written file needs no free_time_min column: times are length/speed */
  g_autofree char *lp = g_build_filename(f->dir, "link.csv", NULL);
  g_autofree char *text = NULL;
  g_assert_true(g_file_get_contents(lp, &text, NULL, NULL));
  g_assert_null(strstr(text, "free_time_min"));
  g_assert_nonnull(strstr(text, "\n1001,103,102,晋阳高速 G5512,expressway,road;bus,19.65,100,"
                                "4000,2,0.15,4,8.8,0.3,\"LINESTRING (112.79 35.498, "));
}

/* Random values of every kind, names that need quoting, unknown
 * coordinates, unlimited capacities: read back bit for bit. */
static void test_roundtrip_random(Fixture *f, gconstpointer data) {
  GRand *rng = g_rand_new_with_seed(20261128);
  for (int round = 0; round < 20; round++) {
    g_autoptr(ThNetwork) net = th_network_new();
    int n = 2 + g_rand_int_range(rng, 0, 30);
    for (int v = 0; v < n; v++) {
      gboolean zone = g_rand_boolean(rng);
      /* a zone-kind node always has a zone id in a file, so not here */
      const ThNodeKind kinds[] = {TH_NODE_JUNCTION, TH_NODE_TOWN, TH_NODE_STATION, TH_NODE_HUB};
      const char *names[] = {"plain", "a, b", "say \"hi\"", "two\nlines", "阳城", "", "#hash"};
      double lon = g_rand_double_range(rng, -180, 180), lat = g_rand_double_range(rng, -90, 90);
      if (v == 1) lon = lat = NAN;
      th_network_add_node(net, 1000 - 7 * v, names[g_rand_int_range(rng, 0, 7)], lon, lat,
                          zone ? TH_NODE_ZONE : kinds[g_rand_int_range(rng, 0, 4)],
                          zone ? v * 3 : -1, zone ? g_rand_double_range(rng, 0, 1e6) : 0,
                          zone ? g_rand_double(rng) * 100 : 0, 0, v + 2);
    }
    int m = g_rand_int_range(rng, 1, 60); /* a network without links is refused */
    for (int k = 0; k < m; k++) {
      int a = g_rand_int_range(rng, 0, n), b = g_rand_int_range(rng, 0, n - 1);
      if (b >= a) b++;
      /* lengths: any double; speeds: any value a km/h text gives */
      double len = g_rand_double_range(rng, 0, 1e6);
      if (k % 5 == 0) len = ldexp(g_rand_double(rng), -g_rand_int_range(rng, 0, 40));
      ThLinkSpec s = {.id = k * 11 + 1,
                      .from_id = 1000 - 7 * a,
                      .to_id = 1000 - 7 * b,
                      /* any link modes; ebike is a traveller's, not a link's */
                      .modes = ((1 + g_rand_int_range(rng, 0, TH_MODE_ALL)) & ~TH_MODE_EBIKE) ?: TH_MODE_ROAD,
                      .name = k % 3 ? "G342, 北段" : "",
                      .facility = "national",
                      .length_m = len,
                      .free_speed_mps = g_rand_double_range(rng, 1, 400) / 3.6,
                      .capacity_vph = g_rand_double_range(rng, 1, 1e4),
                      .lanes = 1 + g_rand_int_range(rng, 0, 4),
                      .bpr_alpha = g_rand_double(rng),
                      .bpr_beta = g_rand_double_range(rng, 0, 8),
                      .toll = g_rand_double_range(rng, 0, 100),
                      .cost_per_tkm = g_rand_double(rng),
                      .geometry_wkt = k % 2 ? "LINESTRING (1 2, 3.5 4)" : NULL,
                      .source = "E",
                      .line = k + 2};
      /* unlimited capacity is allowed only without road and bus */
      if (k % 4 == 0) {
        s.modes &= ~(uint32_t)(TH_MODE_ROAD | TH_MODE_BUS);
        if (!s.modes) s.modes = TH_MODE_RAIL;
        s.capacity_vph = INFINITY;
      }
      /* a TNTP-like time that is not length/speed, in whole seconds x 0.6 */
      if (k % 7 == 3) s.free_time_s = g_rand_double_range(rng, 1, 5000) * 60;
      g_assert_cmpint(th_network_add_link(net, &s), >=, 0);
    }
    g_autoptr(GError) e = NULL;
    g_assert_true(th_network_finalize(net, &e));
    g_autoptr(ThNetwork) back = write_read(net, f->dir);
    assert_same_network(net, back);
  }
  g_rand_free(rng);
}

/* A TNTP network written as GMNS keeps its free-flow times exactly
 * (free_time_min), and has no coordinates where TNTP gave none. */
static void test_roundtrip_tntp(Fixture *f, gconstpointer data) {
  g_autofree char *src = th_test_src("tests/data/tntp/SiouxFalls/SiouxFalls_net.tntp");
  g_autoptr(GError) e = NULL;
  g_autoptr(ThNetwork) net = th_tntp_read_net(src, &e);
  if (!net) {
    g_test_skip(e->message);
    return;
  }
  g_autoptr(ThNetwork) back = write_read(net, f->dir);
  g_assert_cmpint(back->n_links, ==, 76);
  for (int k = 0; k < net->n_links; k++) {
    g_assert_cmpfloat(back->free_time_s[k], ==, net->free_time_s[k]);
    g_assert_cmpfloat(back->length_m[k], ==, net->length_m[k]);
    g_assert_cmpfloat(back->free_speed_mps[k], ==, net->free_speed_mps[k]);
  }
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
#define FX(path, fn) g_test_add(path, Fixture, NULL, fx_setup, fn, fx_teardown)
  FX("/gmns/bad/header-only", test_header_only);
  FX("/gmns/bad/thousands-separator", test_thousands_separator);
  FX("/gmns/bad/dangling-symlink", test_dangling_symlink);
  FX("/gmns/good/cr-line-ends", test_cr_line_ends);
  FX("/gmns/good/small", test_good_small);
  g_test_add_func("/gmns/good/sample", test_good_sample);
  FX("/gmns/good/extra-columns", test_extra_columns);
  FX("/gmns/bad/missing-files", test_missing_files);
  FX("/gmns/bad/missing-columns", test_missing_columns);
  FX("/gmns/bad/empty-file", test_empty_file);
  FX("/gmns/bad/ids", test_bad_ids);
  FX("/gmns/bad/nodes", test_bad_nodes);
  FX("/gmns/bad/links", test_bad_links);
  FX("/gmns/bad/no-cascade", test_no_cascade);
  FX("/gmns/bad/invalid-code", test_invalid_code);
  FX("/gmns/bad/unterminated-quote", test_unterminated_quote);
  FX("/gmns/roundtrip/sample", test_roundtrip_sample);
  FX("/gmns/roundtrip/random", test_roundtrip_random);
  FX("/gmns/roundtrip/tntp", test_roundtrip_tntp);
  return g_test_run();
}
