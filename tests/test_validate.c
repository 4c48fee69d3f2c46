/* test_validate.c: whole-network checks (zone reachability against a brute
 * force on random graphs, coordinates, sanity warnings), the igraph bridge,
 * and th_network_load's dispatch. */
#include "network/igraph-bridge.h"
#include "network/load.h"
#include "network/th-error.h"
#include "network/validate.h"
#include "tests/testutil.h"

#include <math.h>
#include <string.h>

/* Nodes 1..N at distinct positions (node v on line v+1 of "n.csv"); zones
 * for the first NZ nodes with zone id = node id; names "A", "B", ... */
static int link_seq = 0;

static ThNetwork *make_nodes(int n, int nz) {
  link_seq = 0; /* link ids and lines restart for every network */
  ThNetwork *net = th_network_new();
  net->source_node_file = g_strdup("n.csv");
  net->source_link_file = g_strdup("l.csv");
  net->format = g_strdup("gmns");
  for (int v = 0; v < n; v++) {
    char name[2] = {(char)('A' + v % 26), 0};
    th_network_add_node(net, v + 1, name, 112.0 + 0.01 * v, 35.0 + 0.005 * (v % 7),
                        v < nz ? TH_NODE_TOWN : TH_NODE_JUNCTION, v < nz ? v + 1 : -1, 0, 0, 0,
                        v + 2);
  }
  return net;
}

static void add_link(ThNetwork *net, int64_t from, int64_t to, uint32_t modes) {
  int a = th_network_node_index(net, from), b = th_network_node_index(net, to);
  double straight = th_haversine_m(net->lon[a], net->lat[a], net->lon[b], net->lat[b]);
  ThLinkSpec s = {.id = ++link_seq, .from_id = from, .to_id = to, .modes = modes,
                  .length_m = straight * 1.2 + 1, .free_speed_mps = 50 / 3.6,
                  .capacity_vph = 1000, .lanes = 1, .bpr_alpha = 0.15, .bpr_beta = 4,
                  .line = link_seq + 1};
  g_assert_cmpint(th_network_add_link(net, &s), >=, 0);
}

static void finalize(ThNetwork *net) {
  g_autoptr(GError) e = NULL;
  g_assert_true(th_network_finalize(net, &e));
}

static char *joined(GPtrArray *a) {
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < a->len; i++) g_string_append_printf(s, "%s%s", i ? "\n" : "", (char *)a->pdata[i]);
  return g_string_free(s, FALSE);
}

static char *reach_errors(ThNetwork *net, uint32_t modes) {
  g_autoptr(GPtrArray) errs = g_ptr_array_new_with_free_func(g_free);
  int n = th_validate_zone_reachability(net, modes, errs);
  g_assert_cmpint(n, ==, (int)errs->len);
  return joined(errs);
}

static void test_unreachable_kinds(void) {
  /* zones A, B, C, D; A<->B by road; B->C only; D->A only; E junction */
  g_autoptr(ThNetwork) net = make_nodes(5, 4);
  add_link(net, 1, 2, TH_MODE_ROAD);
  add_link(net, 2, 1, TH_MODE_ROAD);
  add_link(net, 2, 3, TH_MODE_ROAD);
  add_link(net, 4, 1, TH_MODE_ROAD | TH_MODE_BUS);
  add_link(net, 3, 5, TH_MODE_RAIL); /* rail does not count for road */
  add_link(net, 5, 2, TH_MODE_RAIL);
  finalize(net);
  g_autofree char *got = reach_errors(net, TH_MODE_ROAD);
  g_assert_cmpstr(got, ==,
                  "n.csv:4: zone 3 (C) cannot reach zone 1 (A) and the 1 zone connected to it "
                  "by road (road and connector links joining every zone both ways were expected)\n"
                  "n.csv:5: zone 4 (D) cannot be reached from zone 1 (A) and the 1 zone "
                  "connected to it by road (road and connector links joining every zone both "
                  "ways were expected)");
  /* on rail;road together C reaches B again; D stays one-way */
  g_autofree char *got2 = reach_errors(net, TH_MODE_ROAD | TH_MODE_RAIL);
  g_assert_cmpstr(got2, ==,
                  "n.csv:5: zone 4 (D) cannot be reached from zone 1 (A) and the 2 zones "
                  "connected to it by road;rail (road;rail and connector links joining every "
                  "zone both ways were expected)");
}

static void test_connectors_count(void) {
  /* zone 1 (a centroid) joined only by connectors: fine for road */
  g_autoptr(ThNetwork) net = make_nodes(3, 2);
  add_link(net, 1, 3, TH_MODE_CONNECTOR);
  add_link(net, 3, 1, TH_MODE_CONNECTOR);
  add_link(net, 3, 2, TH_MODE_ROAD);
  add_link(net, 2, 3, TH_MODE_ROAD);
  finalize(net);
  g_autofree char *got = reach_errors(net, TH_MODE_ROAD);
  g_assert_cmpstr(got, ==, "");
}

static void test_isolated_and_ties(void) {
  /* two pairs of zones (1,2) and (3,4), none joining the other: the main
   * component is the one of the lowest zone; both others are cut off */
  g_autoptr(ThNetwork) net = make_nodes(4, 4);
  add_link(net, 1, 2, TH_MODE_ROAD);
  add_link(net, 2, 1, TH_MODE_ROAD);
  add_link(net, 3, 4, TH_MODE_ROAD);
  add_link(net, 4, 3, TH_MODE_ROAD);
  finalize(net);
  g_autofree char *got = reach_errors(net, TH_MODE_ROAD);
  g_assert_cmpstr(got, ==,
                  "n.csv:4: zone 3 (C) cannot reach and cannot be reached from zone 1 (A) and "
                  "the 1 zone connected to it by road (road and connector links joining every "
                  "zone both ways were expected)\n"
                  "n.csv:5: zone 4 (D) cannot reach and cannot be reached from zone 1 (A) and "
                  "the 1 zone connected to it by road (road and connector links joining every "
                  "zone both ways were expected)");
}

/* Zone ids differ from node ids: the label names both. */
static void test_zone_label(void) {
  g_autoptr(ThNetwork) net = th_network_new();
  th_network_add_node(net, 101, "东城", 112, 35, TH_NODE_ZONE, 7, 0, 0, 0, 2);
  th_network_add_node(net, 102, "", 112.1, 35, TH_NODE_ZONE, 3, 0, 0, 0, 3);
  finalize(net);
  g_autofree char *got = reach_errors(net, TH_MODE_ROAD);
  g_assert_cmpstr(got, ==,
                  "network:2: zone 7 at node 101 (东城) cannot reach and cannot be reached from "
                  "zone 3 at node 102 by road (road and connector links joining every zone both "
                  "ways were expected)");
}

/* Brute force: zones flagged = zones not mutually reachable with the main
 * class (most zones, ties: lowest zone), by BFS over the same links. */
static void test_reachability_random(void) {
  GRand *rng = g_rand_new_with_seed(7);
  for (int round = 0; round < 150; round++) {
    int n = 2 + g_rand_int_range(rng, 0, 25), nz = 2 + g_rand_int_range(rng, 0, n - 1);
    if (nz > n) nz = n;
    g_autoptr(ThNetwork) net = make_nodes(n, nz);
    int m = g_rand_int_range(rng, 0, 3 * n);
    for (int k = 0; k < m; k++) {
      int a = g_rand_int_range(rng, 1, n + 1), b = g_rand_int_range(rng, 1, n + 1);
      if (a == b) continue;
      const uint32_t choices[] = {TH_MODE_ROAD, TH_MODE_RAIL, TH_MODE_CONNECTOR,
                                  TH_MODE_ROAD | TH_MODE_BUS};
      add_link(net, a, b, choices[g_rand_int_range(rng, 0, 4)]);
    }
    finalize(net);
    /* reach[i][j]: node i reaches node j on road/connector links */
    g_autofree guint8 *reach = g_new0(guint8, n * n);
    for (int s = 0; s < n; s++) {
      reach[s * n + s] = 1;
      for (gboolean changed = TRUE; changed;) {
        changed = FALSE;
        for (int e = 0; e < net->n_links; e++)
          if ((net->link_modes[e] & (TH_MODE_ROAD | TH_MODE_CONNECTOR)) &&
              reach[s * n + net->link_from[e]] && !reach[s * n + net->link_to[e]])
            reach[s * n + net->link_to[e]] = changed = 1;
      }
    }
    int best = 0, best_size = 0;
    for (int z = 0; z < nz; z++) {
      int size = 0;
      for (int y = 0; y < nz; y++) size += reach[z * n + y] && reach[y * n + z];
      if (size > best_size) best = z, best_size = size;
    }
    g_autoptr(GPtrArray) errs = g_ptr_array_new_with_free_func(g_free);
    th_validate_zone_reachability(net, TH_MODE_ROAD, errs);
    guint expected = 0;
    for (int z = 0; z < nz; z++) {
      if (reach[z * n + best] && reach[best * n + z]) continue;
      g_autofree char *prefix = g_strdup_printf("n.csv:%d: zone %d ", z + 2, z + 1);
      g_assert_cmpuint(expected, <, errs->len);
      const char *msg = errs->pdata[expected++];
      g_assert_true(g_str_has_prefix(msg, prefix));
      const char *what = !reach[z * n + best] && !reach[best * n + z]
                             ? "cannot reach and cannot be reached from"
                             : !reach[z * n + best] ? "cannot reach" : "cannot be reached from";
      g_autofree char *ref = g_strdup_printf(") %s zone %d (", what, best + 1);
      g_assert_nonnull(strstr(msg, ref));
    }
    g_assert_cmpuint(expected, ==, errs->len);
  }
  g_rand_free(rng);
}

static void test_coordinates(void) {
  g_autoptr(ThNetwork) net = make_nodes(2, 0);
  net->lon[0] = 200;
  net->lat[1] = -95;
  th_network_add_node(net, 9, "x", NAN, NAN, TH_NODE_JUNCTION, -1, 0, 0, 0, 4);
  add_link(net, 1, 2, TH_MODE_RAIL);
  add_link(net, 2, 9, TH_MODE_RAIL);
  finalize(net);
  g_autoptr(GPtrArray) errs = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) warns = g_ptr_array_new_with_free_func(g_free);
  g_assert_cmpint(th_validate_coordinates(net, errs, warns), ==, 2);
  g_autofree char *e = joined(errs), *w = joined(warns);
  g_assert_cmpstr(e, ==,
                  "n.csv:2: node 1 longitude 200 is outside -180..180 (a WGS84 longitude in "
                  "degrees was expected)\n"
                  "n.csv:3: node 2 latitude -95 is outside -90..90 (a WGS84 latitude in degrees "
                  "was expected)");
  g_assert_cmpstr(w, ==,
                  "n.csv:4: warning: node 9 has no coordinates (x_coord and y_coord in WGS84 "
                  "degrees were expected; maps will leave it out)");
  /* TNTP coordinates are in the file's own units: not checked */
  g_free(net->format);
  net->format = g_strdup("tntp");
  g_ptr_array_set_size(errs, 0);
  g_assert_cmpint(th_validate_coordinates(net, errs, warns), ==, 0);
  g_assert_cmpuint(errs->len, ==, 0);
}

static void test_sanity_warnings(void) {
  g_autoptr(ThNetwork) net = make_nodes(4, 0);
  add_link(net, 1, 2, TH_MODE_ROAD);
  add_link(net, 2, 3, TH_MODE_ROAD);
  net->length_m[0] = 10; /* 10 m for a 1.1 km straight line: metres as km? */
  net->length_m[1] = 50000; /* 50 km for ~1.1 km */
  net->free_speed_mps[1] = 200 / 3.6;
  finalize(net);
  g_autoptr(GPtrArray) warns = g_ptr_array_new_with_free_func(g_free);
  th_validate_sanity(net, warns);
  g_autofree char *w = joined(warns);
  g_assert_cmpstr(w, ==,
                  "n.csv:5: warning: node 4 has no links (a node used by at least one link was "
                  "expected)\n"
                  "l.csv:2: warning: link 1 length 0.01 km is less than half the straight line "
                  "of 1.07 km between its nodes (length in km, and node coordinates in WGS84, "
                  "were expected)\n"
                  "l.csv:3: warning: link 2 length 50 km is more than 10 times the straight "
                  "line of 1.07 km between its nodes (length in km, not metres, was expected)\n"
                  "l.csv:3: warning: link 2 free_speed 200 km/h is implausibly high for a road "
                  "link (km/h was expected)");
}

static void test_igraph_bridge(void) {
  g_autoptr(ThNetwork) net = make_nodes(3, 0);
  add_link(net, 1, 2, TH_MODE_ROAD);
  add_link(net, 2, 3, TH_MODE_RAIL);
  add_link(net, 3, 1, TH_MODE_ROAD | TH_MODE_RAIL);
  finalize(net);
  igraph_t g;
  igraph_vector_t w;
  igraph_vector_int_t el;
  igraph_vector_init(&w, 0);
  igraph_vector_int_init(&el, 0);
  g_autoptr(GError) e = NULL;
  g_assert_true(th_igraph_from_network(net, TH_MODE_RAIL, net->free_time_s, &g, &w, &el, &e));
  g_assert_true(igraph_is_directed(&g));
  g_assert_cmpint(igraph_vcount(&g), ==, 3);
  g_assert_cmpint(igraph_ecount(&g), ==, 2);
  g_assert_cmpint(VECTOR(el)[0], ==, 1);
  g_assert_cmpint(VECTOR(el)[1], ==, 2);
  g_assert_cmpfloat(VECTOR(w)[1], ==, net->free_time_s[2]);
  igraph_integer_t from, to;
  igraph_edge(&g, 1, &from, &to);
  g_assert_cmpint(from, ==, 2);
  g_assert_cmpint(to, ==, 0);
  igraph_destroy(&g);
  /* all modes: edge e is link e */
  g_assert_true(th_igraph_from_network(net, TH_MODE_ALL, NULL, &g, NULL, &el, &e));
  g_assert_cmpint(igraph_ecount(&g), ==, 3);
  for (int k = 0; k < 3; k++) {
    igraph_edge(&g, k, &from, &to);
    g_assert_cmpint(from, ==, net->link_from[k]);
    g_assert_cmpint(to, ==, net->link_to[k]);
  }
  igraph_destroy(&g);
  igraph_vector_destroy(&w);
  igraph_vector_int_destroy(&el);
}

static void test_load_dispatch(void) {
  g_autoptr(GError) e = NULL;
  /* the sample loads as a folder and through its node.csv */
  g_autofree char *sample = th_test_src("scenarios/sample");
  g_autoptr(ThNetwork) a = th_network_load(sample, &e);
  g_assert_no_error(e);
  g_autofree char *node = th_test_src("scenarios/sample/node.csv");
  g_autoptr(ThNetwork) b = th_network_load(node, &e);
  g_assert_no_error(e);
  g_assert_cmpint(a->n_links, ==, b->n_links);
  /* validation runs on load: the unreachable folder fails with its lines */
  g_autofree char *bad = th_test_src("tests/data/bad-unreachable");
  g_assert_null(th_network_load(bad, &e));
  g_assert_error(e, TH_ERROR, TH_ERROR_INVALID);
  g_autofree char *want = g_strdup_printf(
      "%s/node.csv:5: zone 3 (润城) cannot reach zone 1 (县城) and the 1 zone connected to it by "
      "road (road and connector links joining every zone both ways were expected)\n"
      "%s/node.csv:6: zone 4 (演礼) cannot reach and cannot be reached from zone 1 (县城) and "
      "the 1 zone connected to it by road (road and connector links joining every zone both "
      "ways were expected)",
      bad, bad);
  g_assert_cmpstr(e->message, ==, want);
  g_clear_error(&e);
  g_assert_null(th_network_load("/nonexistent/x", &e));
  g_assert_error(e, TH_ERROR, TH_ERROR_INVALID);
  g_assert_cmpstr(e->message, ==,
                  "/nonexistent/x: no such file or folder (a GMNS folder with node.csv and "
                  "link.csv, or a TNTP *_net.tntp file, was expected)");
  g_clear_error(&e);
  g_autofree char *readme = th_test_src("README.md");
  g_assert_null(th_network_load(readme, &e));
  g_assert_true(g_str_has_suffix(e->message, "README.md: not a network (a GMNS folder with "
                                              "node.csv and link.csv, or a TNTP *_net.tntp "
                                              "file, was expected)"));
  g_clear_error(&e);
  g_assert_null(th_network_load("/nonexistent/x_net.tntp", &e));
  g_assert_cmpstr(e->message, ==,
                  "/nonexistent/x_net.tntp: no such file (a TNTP *_net.tntp file was expected)");
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  th_igraph_init();
  g_test_add_func("/validate/reach/kinds", test_unreachable_kinds);
  g_test_add_func("/validate/reach/connectors", test_connectors_count);
  g_test_add_func("/validate/reach/isolated-ties", test_isolated_and_ties);
  g_test_add_func("/validate/reach/zone-label", test_zone_label);
  g_test_add_func("/validate/reach/random-vs-brute-force", test_reachability_random);
  g_test_add_func("/validate/coordinates", test_coordinates);
  g_test_add_func("/validate/sanity", test_sanity_warnings);
  g_test_add_func("/validate/igraph-bridge", test_igraph_bridge);
  g_test_add_func("/validate/load-dispatch", test_load_dispatch);
  return g_test_run();
}
