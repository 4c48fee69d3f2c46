/* test_network.c: the network builder, CSR adjacency, zones and lookups. */
#include "network/network.h"

#include <math.h>
#include <string.h>

static ThNetwork *tiny(void) {
  ThNetwork *n = th_network_new();
  g_assert_cmpint(th_network_add_node(n, 10, "阳城", 112.42, 35.48, TH_NODE_TOWN, 2, 366800, 244.6, 0, 2), ==, 0);
  g_assert_cmpint(th_network_add_node(n, 20, "晋城", 112.85, 35.49, TH_NODE_ZONE, 1, 2194545, 1425.7, 0, 3), ==, 1);
  g_assert_cmpint(th_network_add_node(n, 30, NULL, 112.6, 35.5, TH_NODE_JUNCTION, -1, 0, 0, 0, 4), ==, 2);
  g_assert_cmpint(th_network_add_node(n, 30, NULL, 0, 0, TH_NODE_JUNCTION, -1, 0, 0, 0, 5), ==, -1);
  ThLinkSpec s = {.id = 1, .from_id = 10, .to_id = 30, .modes = TH_MODE_ROAD, .length_m = 20000,
                  .free_speed_mps = 20, .capacity_vph = 3600, .lanes = 2, .bpr_alpha = 0.15, .bpr_beta = 4};
  g_assert_cmpint(th_network_add_link(n, &s), ==, 0);
  s.id = 2; s.from_id = 30; s.to_id = 20;
  g_assert_cmpint(th_network_add_link(n, &s), ==, 1);
  s.id = 3; s.from_id = 30; s.to_id = 10; s.free_time_s = 5;
  g_assert_cmpint(th_network_add_link(n, &s), ==, 2);
  s.id = 3;
  g_assert_cmpint(th_network_add_link(n, &s), ==, -1);  /* duplicate id */
  s.id = 4; s.to_id = 99;
  g_assert_cmpint(th_network_add_link(n, &s), ==, -1);  /* unknown node */
  g_assert_true(th_network_finalize(n, NULL));
  return n;
}

static void test_build(void) {
  g_autoptr(ThNetwork) n = tiny();
  g_assert_cmpint(n->n_nodes, ==, 3);
  g_assert_cmpint(n->n_links, ==, 3);
  g_assert_cmpfloat(n->free_time_s[0], ==, 1000.0);
  g_assert_cmpfloat(n->free_time_s[2], ==, 5.0);
  /* CSR: node 2 (id 30) has out links 1 and 2 in input order */
  g_assert_cmpint(n->out_start[2 + 1] - n->out_start[2], ==, 2);
  g_assert_cmpint(n->out_link[n->out_start[2]], ==, 1);
  g_assert_cmpint(n->out_link[n->out_start[2] + 1], ==, 2);
  g_assert_cmpint(n->in_start[1] - n->in_start[0], ==, 1);
  /* zones sorted by zone id: 晋城 (1) then 阳城 (2) */
  g_assert_cmpint(n->n_zones, ==, 2);
  g_assert_cmpint(n->zone_node[0], ==, 1);
  g_assert_cmpint(n->zone_id[1], ==, 2);
  g_assert_cmpfloat(n->zone_population[1], ==, 366800);
  g_assert_true(n->node_no_thru[1]);
  g_assert_false(n->node_no_thru[0]);
  g_assert_cmpint(th_network_zone_lookup(n, "阳城"), ==, 1);
  g_assert_cmpint(th_network_zone_lookup(n, "1"), ==, 0);
  g_assert_cmpint(th_network_zone_lookup(n, "10"), ==, 1); /* by node id */
  g_assert_cmpint(th_network_zone_lookup(n, "nowhere"), ==, -1);
  g_assert_cmpint(th_network_zone_lookup(n, ""), ==, -1);
  /* id 0 is an id like any other (it was once taken for a name) */
  g_autoptr(ThNetwork) z0 = th_network_new();
  th_network_add_node(z0, 0, "零", 112, 35, TH_NODE_ZONE, 0, 0, 0, 0, 0);
  th_network_add_node(z0, 5, NULL, 112.01, 35, TH_NODE_ZONE, 7, 0, 0, 0, 0);
  g_assert_true(th_network_finalize(z0, NULL));
  g_assert_cmpint(th_network_zone_lookup(z0, "0"), ==, 0);
  g_assert_cmpint(th_network_zone_lookup(z0, "7"), ==, 1);
  g_assert_cmpint(th_network_zone_lookup(z0, "5"), ==, 1); /* node 5 is zone 7 */
  g_assert_cmpint(th_network_zone_lookup(z0, "零"), ==, 0);
  g_assert_cmpint(th_network_zone_lookup(z0, "-0"), ==, 0);
  g_assert_cmpint(th_network_link_index(n, 3), ==, 2);
  g_autofree char *fp = th_network_fingerprint(n);
  g_assert_cmpint(strlen(fp), ==, 16);
}

static void test_modes(void) {
  uint32_t m;
  char *bad = NULL;
  g_assert_true(th_modes_parse("road;bus", &m, &bad));
  g_assert_cmpuint(m, ==, TH_MODE_ROAD | TH_MODE_BUS);
  g_assert_true(th_modes_parse("HSR|intercity", &m, &bad));
  g_assert_cmpuint(m, ==, TH_MODE_HSR | TH_MODE_INTERCITY);
  g_assert_false(th_modes_parse("road;boat", &m, &bad));
  g_assert_cmpstr(bad, ==, "boat");
  g_free(bad);
  g_autofree char *s = th_modes_format(TH_MODE_ROAD | TH_MODE_CONNECTOR);
  g_assert_cmpstr(s, ==, "road;connector");
}

static void test_haversine(void) {
  /* one degree of latitude is about 111.2 km */
  g_assert_cmpfloat(fabs(th_haversine_m(112, 35, 112, 36) - 111195), <, 10);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/network/build", test_build);
  g_test_add_func("/network/modes", test_modes);
  g_test_add_func("/network/haversine", test_haversine);
  return g_test_run();
}
