/* test_tntp.c: the TNTP readers on the shipped networks and on every kind of
 * bad input, with the exact FILE:LINE messages a planner sees. */
#include "network/th-error.h"
#include "network/tntp.h"
#include "tests/testutil.h"

#include <math.h>
#include <string.h>

static void test_sioux_falls(void) {
  g_autofree char *path = th_test_src("tests/data/tntp/SiouxFalls/SiouxFalls_net.tntp");
  g_autoptr(GError) e = NULL;
  g_autoptr(ThNetwork) net = th_tntp_read_net(path, &e);
  g_assert_no_error(e);
  g_assert_cmpint(net->n_nodes, ==, 24);
  g_assert_cmpint(net->n_links, ==, 76);
  g_assert_cmpint(net->n_zones, ==, 24);
  g_assert_cmpstr(net->format, ==, "tntp");
  /* FIRST THRU NODE 1: every zone may be passed through */
  for (int v = 0; v < net->n_nodes; v++) g_assert_cmpint(net->node_no_thru[v], ==, 0);
  /* link 1 is the first line: 1 -> 2, capacity 25900.20064, fft 6 min */
  int e1 = th_network_link_index(net, 1);
  g_assert_cmpint(e1, ==, 0);
  g_assert_cmpint(net->node_id[net->link_from[e1]], ==, 1);
  g_assert_cmpint(net->node_id[net->link_to[e1]], ==, 2);
  g_assert_cmpfloat(net->capacity_vph[e1], ==, 25900.20064);
  g_assert_cmpfloat(net->free_time_s[e1], ==, 360.0);
  g_assert_cmpfloat(net->bpr_alpha[e1], ==, 0.15);
  g_assert_cmpfloat(net->bpr_beta[e1], ==, 4.0);
  g_assert_cmpfloat(net->tntp_length[e1], ==, 6.0);
  g_assert_cmpuint(net->link_modes[e1], ==, TH_MODE_ROAD);
  int e76 = th_network_link_index(net, 76);
  g_assert_cmpint(net->node_id[net->link_from[e76]], ==, 24);
  g_assert_cmpint(net->node_id[net->link_to[e76]], ==, 23);
  /* coordinates from SiouxFalls_node.tntp beside the net file */
  int v1 = th_network_node_index(net, 1);
  g_assert_cmpfloat_with_epsilon(net->lon[v1], -96.77041974, 1e-9);
  g_assert_cmpfloat_with_epsilon(net->lat[v1], 43.61282792, 1e-9);

  g_autofree char *tp = th_tntp_sibling(path, "trips");
  g_assert_true(g_str_has_suffix(tp, "SiouxFalls/SiouxFalls_trips.tntp"));
  g_autoptr(ThOdTable) od = th_tntp_read_trips(tp, net, &e);
  g_assert_no_error(e);
  g_assert_cmpfloat_with_epsilon(od->total, 360600.0, 1e-6);
  g_assert_cmpint(od->n_zones, ==, 24);
  /* the first entry is 1 -> 2 with 100 trips (zero entries are dropped) */
  g_assert_cmpint(od->dest[od->origin_start[0]], ==, 1);
  g_assert_cmpfloat(od->trips[od->origin_start[0]], ==, 100.0);
}

static void test_anaheim(void) {
  g_autofree char *path = th_test_src("tests/data/tntp/Anaheim/Anaheim_net.tntp");
  g_autoptr(GError) e = NULL;
  g_autoptr(ThNetwork) net = th_tntp_read_net(path, &e);
  g_assert_no_error(e);
  g_assert_cmpint(net->n_nodes, ==, 416);
  g_assert_cmpint(net->n_links, ==, 914);
  g_assert_cmpint(net->n_zones, ==, 38);
  for (int v = 0; v < net->n_nodes; v++)
    g_assert_cmpint(net->node_no_thru[v], ==, net->node_id[v] < 39);
  g_assert_cmpint(net->node_kind[th_network_node_index(net, 38)], ==, TH_NODE_ZONE);
  g_assert_cmpint(net->node_kind[th_network_node_index(net, 39)], ==, TH_NODE_JUNCTION);
  /* no node file: no coordinates; length in feet from the header */
  g_assert_true(isnan(net->lon[0]));
  g_assert_cmpfloat_with_epsilon(net->length_m[0], 5280 * 0.3048, 1e-9);
  g_autofree char *tp = th_tntp_sibling(path, "trips");
  g_autoptr(ThOdTable) od = th_tntp_read_trips(tp, net, &e);
  g_assert_no_error(e);
  g_assert_cmpfloat_with_epsilon(od->total, 104694.40, 1e-6);
  g_autofree char *fp = th_tntp_sibling(path, "flow");
  g_autoptr(ThTntpFlow) f = th_tntp_read_flow(fp, &e);
  g_assert_no_error(e);
  g_assert_cmpint(f->n, ==, 914);
  g_assert_cmpint(f->from[0], ==, 1);
  g_assert_cmpint(f->to[0], ==, 117);
  g_assert_cmpfloat(f->volume[0], ==, 7074.9000000000015);
}

static void test_flow_round_trip(void) {
  g_autofree char *path = th_test_src("tests/data/tntp/SiouxFalls/SiouxFalls_net.tntp");
  g_autoptr(GError) e = NULL;
  g_autoptr(ThNetwork) net = th_tntp_read_net(path, &e);
  g_assert_no_error(e);
  double vol[76], cost[76];
  for (int i = 0; i < 76; i++) {
    vol[i] = 1000.0 / (i + 3);
    cost[i] = 0.1 * i + 1e-3 / 7;
  }
  gsize len;
  g_autofree char *text = th_tntp_format_flow(net, vol, cost, &len);
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *fp = th_test_write(dir, "x_flow.tntp", text);
  g_autoptr(ThTntpFlow) f = th_tntp_read_flow(fp, &e);
  g_assert_no_error(e);
  g_assert_cmpint(f->n, ==, 76);
  for (int i = 0; i < 76; i++) {
    g_assert_cmpfloat(f->volume[i], ==, vol[i]);
    g_assert_cmpfloat(f->cost[i], ==, cost[i]);
    g_assert_cmpint(f->from[i], ==, net->node_id[net->link_from[i]]);
  }
  th_test_rmtree(dir);
}

/* --- bad input: every message exactly --- */

#define HEAD(zones, nodes, links) \
  "<NUMBER OF ZONES> " zones "\n<NUMBER OF NODES> " nodes "\n<FIRST THRU NODE> 1\n" \
  "<NUMBER OF LINKS> " links "\n<END OF METADATA>\n\n"                           \
  "~ init_node term_node capacity length free_flow_time b power speed toll link_type ;\n"

static void expect_net_error(const char *text, int code, const char *msg) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *p = th_test_write(dir, "bad_net.tntp", text);
  g_autoptr(GError) e = NULL;
  g_autoptr(ThNetwork) net = th_tntp_read_net(p, &e);
  g_assert_null(net);
  g_assert_error(e, TH_ERROR, code);
  g_autofree char *expect = g_strdup_printf(msg, p, p, p, p, p, p, p, p);
  g_assert_cmpstr(e->message, ==, expect);
  th_test_rmtree(dir);
}

static void test_bad_net(void) {
  /* truncated: last line cut in the middle, and fewer links than declared */
  expect_net_error(HEAD("2", "3", "3")
                   "1 2 100 1 1 0.15 4 0 0 1 ;\n"
                   "2 3 100 1 1 0.15 4 0 0 1 ;\n"
                   "3 1 100 1",
                   TH_ERROR_INVALID,
                   "%s:10: link line has 4 fields and no ';' terminator (init_node term_node capacity "
                   "length free_flow_time b power [speed toll link_type] ;) - truncated?");
}

static void test_bad_net_counts(void) {
  /* NUMBER OF LINKS larger than the file */
  expect_net_error(HEAD("2", "3", "4")
                   "1 2 100 1 1 0.15 4 0 0 1 ;\n"
                   "2 3 100 1 1 0.15 4 0 0 1 ;\n",
                   TH_ERROR_INVALID,
                   "%s:9: file ends after 2 links (4 links declared by <NUMBER OF LINKS> on line 4)"
                   " - truncated file or wrong header?");
  /* NUMBER OF LINKS smaller than the file */
  expect_net_error(HEAD("2", "3", "1")
                   "1 2 100 1 1 0.15 4 0 0 1 ;\n"
                   "2 3 100 1 1 0.15 4 0 0 1 ;\n",
                   TH_ERROR_INVALID,
                   "%s:9: link 2 is beyond <NUMBER OF LINKS> 1 (as many link lines as declared on line 4)");
  /* NUMBER OF NODES too small: links to undeclared nodes */
  expect_net_error(HEAD("2", "2", "2")
                   "1 2 100 1 1 0.15 4 0 0 1 ;\n"
                   "2 3 100 1 1 0.15 4 0 0 1 ;\n",
                   TH_ERROR_INVALID,
                   "%s:9: term_node 3 is not a declared node (a node 1..2 from <NUMBER OF NODES> on line 2)");
  expect_net_error(HEAD("2", "3", "1") "0 2 100 1 1 0.15 4 0 0 1 ;\n", TH_ERROR_INVALID,
                   "%s:8: init_node 0 is not a declared node (a node 1..3 from <NUMBER OF NODES> on line 2)");
  /* zones beyond nodes; missing counts */
  expect_net_error(HEAD("4", "3", "1") "1 2 100 1 1 0.15 4 0 0 1 ;\n", TH_ERROR_PARSE,
                   "%s:1: <NUMBER OF ZONES> 4 exceeds <NUMBER OF NODES> 3 (zones are nodes 1..NUMBER OF ZONES)");
  expect_net_error("<NUMBER OF ZONES> 1\n<NUMBER OF NODES> x\n<END OF METADATA>\n", TH_ERROR_PARSE,
                   "%s:2: <NUMBER OF NODES> 'x' is not a count (a whole number >= 0)\n"
                   "%s:1: missing <NUMBER OF LINKS> in the metadata (a line `<NUMBER OF LINKS> N` before <END OF METADATA>)");
  expect_net_error("<NUMBER OF ZONES> 1\n1 2 3\n", TH_ERROR_PARSE,
                   "%s:2: no <END OF METADATA> line (a TNTP metadata block ending with <END OF METADATA>)");
}

static void test_bad_net_values(void) {
  /* every problem of the file, one per line */
  expect_net_error(HEAD("2", "3", "5")
                   "1 2 -100 1 1 0.15 4 0 0 1 ;\n"
                   "2 3 0 1 1 0.15 4 0 0 1 ;\n"
                   "3 1 abc 1 1 0.15 4 0 0 1 ;\n"
                   "1 3 100 1 -2 0.15 4 0 0 1 ;\n"
                   "3 2 100 1 1 0.15 x4 0 0 1 ;\n",
                   TH_ERROR_INVALID,
                   "%s:8: capacity -100 is not positive (a capacity > 0 in veh/h)\n"
                   "%s:9: capacity 0 is not positive (a capacity > 0 in veh/h)\n"
                   "%s:10: capacity 'abc' is not a number (a number)\n"
                   "%s:11: free_flow_time -2 is negative (a time >= 0 in minutes)\n"
                   "%s:12: power 'x4' is not a number (a number)");
}

/* The branches of the link checks and the header that the cases above do
 * not reach: negative length and BPR parameters, several problems on one
 * line (every one said), a link after a bad one still counted, and a
 * header too large to allocate. */
static void test_bad_net_more(void) {
  expect_net_error(HEAD("2", "3", "3")
                   "1 2 100 -1 1 0.15 4 0 0 1 ;\n"
                   "2 3 100 1 1 -0.15 4 0 0 1 ;\n"
                   "3 9 -5 1 1 0.15 -4 0 0 1 ;\n",
                   TH_ERROR_INVALID,
                   "%s:8: length -1 is negative (a length >= 0)\n"
                   "%s:9: b -0.15 is negative (a BPR parameter >= 0)\n"
                   "%s:10: term_node 9 is not a declared node (a node 1..3 from <NUMBER OF NODES> "
                   "on line 2)\n"
                   "%s:10: capacity -5 is not positive (a capacity > 0 in veh/h)\n"
                   "%s:10: power -4 is negative (a BPR parameter >= 0)");
  expect_net_error(HEAD("2", "3", "2000000000") "1 2 100 1 1 0.15 4 0 0 1 ;\n", TH_ERROR_PARSE,
                   "%s:2: network too large (fewer than 1e9 nodes and links)");
}

static void test_metadata_factors(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *p = th_test_write(dir, "f_net.tntp",
                                     "~ a comment\n<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 3\n"
                                     "<FIRST THRU NODE> 3\n<NUMBER OF LINKS> 2\n"
                                     "<TOLL FACTOR> 0.5 ~ yuan\n<DISTANCE FACTOR> 0.25\n<END OF METADATA>\n"
                                     "1\t3\t100\t2\t0\t0\t1\t0\t4\t1\t; ~ zero time connector\n"
                                     "3 2 200 1 1.5 0.15 4 0 0 1;\n");
  g_autoptr(GError) e = NULL;
  g_autoptr(ThNetwork) net = th_tntp_read_net(p, &e);
  g_assert_no_error(e);
  g_assert_cmpfloat(net->tntp_toll_factor, ==, 0.5);
  g_assert_cmpfloat(net->tntp_distance_factor, ==, 0.25);
  g_assert_cmpfloat(net->free_time_s[0], ==, 0.0);
  g_assert_cmpfloat(net->toll[0], ==, 4.0);
  g_assert_cmpfloat(net->free_time_s[1], ==, 90.0);
  g_assert_cmpint(net->node_no_thru[0], ==, 1);
  g_assert_cmpint(net->node_no_thru[1], ==, 1);
  g_assert_cmpint(net->node_no_thru[2], ==, 0);
  g_assert_true(isnan(net->lon[0])); /* no f_node.tntp */
  /* trips: unknown zones, bad numbers, entries before Origin */
  g_autofree char *tp = th_test_write(dir, "f_trips.tntp",
                                      "<NUMBER OF ZONES> 2\n<END OF METADATA>\n"
                                      "1 : 5;\n"
                                      "Origin 1\n 2 : 10.5; 3 : 1;\n"
                                      "Origin 2\n 1 : x; 2 : -1;\n"
                                      "Origin 9\n");
  g_autoptr(ThOdTable) od = th_tntp_read_trips(tp, net, &e);
  g_assert_null(od);
  g_autofree char *msg = g_strdup_printf(
      "%s:3: entry before any `Origin N` line (an `Origin N` line first)\n"
      "%s:5: destination 3 is not a zone (a zone 1..2)\n"
      "%s:7: trips 'x' is not a number (a number >= 0)\n"
      "%s:7: trips -1 is negative (a number >= 0)\n"
      "%s:8: origin 9 is not a zone (a zone 1..2)",
      tp, tp, tp, tp, tp);
  g_assert_cmpstr(e->message, ==, msg);
  g_clear_error(&e);
  g_autofree char *tp2 = th_test_write(dir, "g_trips.tntp",
                                       "<END OF METADATA>\nOrigin 1\n 2 : 10.5; 1 : 3;\nOrigin 2\n1:4;\n"
                                       "Origin 1\n2 : 1.5\n");
  g_autoptr(ThOdTable) od2 = th_tntp_read_trips(tp2, net, &e);
  g_assert_no_error(e);
  g_assert_cmpint(od2->n_entries, ==, 3);
  g_assert_cmpint(od2->origin_start[1], ==, 2);
  g_assert_cmpint(od2->dest[0], ==, 0);
  g_assert_cmpfloat(od2->trips[1], ==, 12.0); /* duplicates summed */
  g_assert_cmpfloat(od2->total, ==, 19.0);
  /* flow file with a bad row */
  g_autofree char *fp = th_test_write(dir, "f_flow.tntp", "From To Volume Cost\n1 3 10 2\n3 2 x 1\n3 2\n");
  g_autoptr(ThTntpFlow) f = th_tntp_read_flow(fp, &e);
  g_assert_null(f);
  g_autofree char *msg2 = g_strdup_printf(
      "%s:3: row '3 2 x 1' is not numeric (From To Volume Cost: numbers)\n"
      "%s:4: row has 2 fields (From To Volume Cost)", fp, fp);
  g_assert_cmpstr(e->message, ==, msg2);
  th_test_rmtree(dir);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/tntp/sioux-falls", test_sioux_falls);
  g_test_add_func("/tntp/anaheim", test_anaheim);
  g_test_add_func("/tntp/flow-round-trip", test_flow_round_trip);
  g_test_add_func("/tntp/bad/truncated", test_bad_net);
  g_test_add_func("/tntp/bad/counts", test_bad_net_counts);
  g_test_add_func("/tntp/bad/values", test_bad_net_values);
  g_test_add_func("/tntp/bad/more", test_bad_net_more);
  g_test_add_func("/tntp/metadata-trips-flow", test_metadata_factors);
  return g_test_run();
}
