/* test_check.c: the built `taihang check` and `taihang export --graphml`:
 * exit status, every broken line printed, no file left behind on error. */
#include "network/igraph-bridge.h"
#include "tests/testutil.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

/* Expected output: LINES with "N:"/"L:" standing for DIR/node.csv or
 * DIR/link.csv, each followed by "\n". */
static char *expect(const char *dir, const char *const *lines) {
  GString *s = g_string_new(NULL);
  for (int i = 0; lines[i]; i++) {
    if (lines[i][0] == 'N' || lines[i][0] == 'L')
      g_string_append_printf(s, "%s/%s:%s\n", dir, lines[i][0] == 'N' ? "node.csv" : "link.csv",
                             lines[i] + 2);
    else
      g_string_append_printf(s, "%s%s\n", dir, lines[i]);
  }
  return g_string_free(s, FALSE);
}

static void check_fails_opt(const char *rel, const char *opt, const char *const *lines) {
  g_autofree char *dir = th_test_src(rel);
  g_autofree char *out = NULL, *err = NULL;
  int status = opt ? th_test_taihang(&out, &err, "check", opt, dir, NULL)
                   : th_test_taihang(&out, &err, "check", dir, NULL);
  g_autofree char *want = expect(dir, lines);
  g_assert_cmpstr(out, ==, want);
  g_assert_cmpstr(err, ==, "");
  g_assert_cmpint(status, ==, 2);
}

static void check_fails(const char *rel, const char *const *lines) {
  check_fails_opt(rel, NULL, lines);
}

static void test_bad_values(void) {
  const char *const want[] = {
      "N:4: population -40000 is negative (a number of persons, 0 or more was expected)",
      "N:5: x_coord 312.51 is outside -180..180 (a WGS84 longitude in degrees was expected)",
      "N:6: duplicate node_id 3 (first on line 5; each node_id must be unique)",
      "N:7: node_type 'village' is unknown (junction, zone, town, station or hub was expected)",
      "L:3: free_speed 'seventy' is not a number (a speed in km/h above 0 was expected)",
      "L:4: allowed_uses has unknown mode 'truck' (road, rail, hsr, intercity, bus, walk or "
      "connector was expected)",
      "L:5: length -8 is negative (a length in km, 0 or more was expected)",
      "L:6: to_node_id 9 is not in node.csv (a node_id of node.csv was expected)",
      "L:6: capacity is empty on a link that allows road (a capacity in veh/h above 0 was "
      "expected)",
      ": 9 errors",
      NULL};
  check_fails("tests/data/bad-values", want);
}

static void test_bad_header(void) {
  const char *const want[] = {
      "N:1: missing required column 'x_coord' (header has: node_id, name, lon, lat)",
      "N:1: missing required column 'y_coord' (header has: node_id, name, lon, lat)",
      "L:1: missing required column 'from_node_id' (header has: link_id, from, to, "
      "allowed_uses, length, free_speed, capacity)",
      "L:1: missing required column 'to_node_id' (header has: link_id, from, to, allowed_uses, "
      "length, free_speed, capacity)",
      ": 4 errors",
      NULL};
  check_fails("tests/data/bad-header", want);
}

static void test_unreachable(void) {
  const char *const want[] = {
      "N:5: zone 3 (润城) cannot reach zone 1 (县城) and the 1 zone connected to it by road "
      "(road and connector links joining every zone both ways were expected)",
      "N:6: zone 4 (演礼) cannot reach and cannot be reached from zone 1 (县城) and the 1 zone "
      "connected to it by road (road and connector links joining every zone both ways were "
      "expected)",
      ": 2 errors",
      NULL};
  check_fails_opt("tests/data/bad-unreachable", "--strict", want);
}

/* without --strict, cut-off zones are warnings and the network loads */
static void test_unreachable_lenient(void) {
  g_autofree char *dir = th_test_src("tests/data/bad-unreachable");
  g_autofree char *out = NULL, *err = NULL;
  int status = th_test_taihang(&out, &err, "check", dir, NULL);
  const char *const lines[] = {
      "N:5: warning: zone 3 (润城) cannot reach zone 1 (县城) and the 1 zone connected to it by "
      "road (road and connector links joining every zone both ways were expected); it is left "
      "out of the demand (--strict refuses the network)",
      "N:6: warning: zone 4 (演礼) cannot reach and cannot be reached from zone 1 (县城) and the "
      "1 zone connected to it by road (road and connector links joining every zone both ways "
      "were expected); it is left out of the demand (--strict refuses the network)",
      ": OK (gmns): 5 nodes, 7 links, 4 zones; links by mode: road 5, rail 2; 2 warnings",
      NULL};
  g_autofree char *want = expect(dir, lines);
  g_assert_cmpstr(out, ==, want);
  g_assert_cmpint(status, ==, 0);
}

static void test_sample_ok(void) {
  g_autofree char *dir = th_test_src("scenarios/sample");
  g_autofree char *out = NULL, *err = NULL;
  int status = th_test_taihang(&out, &err, "check", dir, NULL);
  g_autofree char *want = g_strdup_printf(
      "%s: OK (gmns): 23 nodes, 60 links, 9 zones; links by mode: road 44, rail 10, bus 44, "
      "walk 10, connector 6\n",
      dir);
  /* the network's line comes first; other checks (services) may follow */
  g_assert_true(g_str_has_prefix(out, want));
  g_assert_cmpint(status, ==, 0);
}

static void test_tntp_ok(void) {
  g_autofree char *net = th_test_src("tests/data/tntp/SiouxFalls/SiouxFalls_net.tntp");
  g_autofree char *out = NULL;
  int status = th_test_taihang(&out, NULL, "check", net, NULL);
  g_assert_cmpint(status, ==, 0);
  g_assert_nonnull(strstr(out, ": OK (tntp): 24 nodes, 76 links, 24 zones; links by mode: road 76\n"));
}

static void test_usage(void) {
  g_autofree char *err = NULL;
  g_assert_cmpint(th_test_taihang(NULL, NULL, "check", NULL), ==, 2);
  g_assert_cmpint(th_test_taihang(NULL, &err, "check", "/nonexistent/net", NULL), ==, 2);
  g_assert_cmpstr(err, ==,
                  "taihang check: /nonexistent/net: no such file or folder (a GMNS network folder "
                  "or a TNTP *_net.tntp file was expected)\n");
  g_autofree char *out = NULL;
  g_assert_cmpint(th_test_taihang(&out, NULL, "check", "--help", NULL), ==, 0);
  g_assert_nonnull(strstr(out, "PATH..."));
}

/* Several paths: the worst status wins; every path is reported. */
static void test_several(void) {
  g_autofree char *good = th_test_src("scenarios/sample");
  g_autofree char *bad = th_test_src("tests/data/bad-header");
  g_autofree char *out = NULL;
  g_assert_cmpint(th_test_taihang(&out, NULL, "check", good, bad, NULL), ==, 2);
  g_assert_nonnull(strstr(out, ": OK (gmns)"));
  g_assert_nonnull(strstr(out, "bad-header: 4 errors\n"));
}

static int count_files(const char *dir) {
  GDir *d = g_dir_open(dir, 0, NULL);
  int n = 0;
  while (g_dir_read_name(d)) n++;
  g_dir_close(d);
  return n;
}

static void test_export_graphml(void) {
  g_autofree char *tmp = th_test_tmpdir();
  g_autofree char *file = g_build_filename(tmp, "sub", "sample.graphml", NULL);
  g_autofree char *sample = th_test_src("scenarios/sample");
  g_autofree char *err = NULL;
  g_assert_cmpint(th_test_taihang(NULL, &err, "export", sample, "--graphml", file, NULL), ==, 0);
  g_assert_cmpstr(err, ==, "");
  th_igraph_init();
  FILE *fp = fopen(file, "rb");
  g_assert_nonnull(fp);
  igraph_t g;
  g_assert_cmpint(igraph_read_graph_graphml(&g, fp, 0), ==, IGRAPH_SUCCESS);
  fclose(fp);
  g_assert_true(igraph_is_directed(&g));
  g_assert_cmpint(igraph_vcount(&g), ==, 23);
  g_assert_cmpint(igraph_ecount(&g), ==, 60);
  g_assert_cmpfloat(VAN(&g, "node_id", 0), ==, 1);
  g_assert_cmpstr(VAS(&g, "name", 0), ==, "阳城县城 (凤城镇)");
  g_assert_cmpstr(VAS(&g, "kind", 22), ==, "hub");
  g_assert_cmpfloat(VAN(&g, "lon", 0), ==, 112.42);
  g_assert_cmpfloat(EAN(&g, "link_id", 0), ==, 1001);
  g_assert_cmpfloat(EAN(&g, "length_km", 0), ==, 19.65);
  g_assert_cmpstr(EAS(&g, "allowed_uses", 0), ==, "road;bus");
  igraph_integer_t from, to;
  igraph_edge(&g, 0, &from, &to);
  g_assert_cmpfloat(VAN(&g, "node_id", from), ==, 103);
  g_assert_cmpfloat(VAN(&g, "node_id", to), ==, 102);
  igraph_destroy(&g);
  th_test_rmtree(tmp);
}

static void test_export_fails_cleanly(void) {
  g_autofree char *tmp = th_test_tmpdir();
  g_autofree char *file = g_build_filename(tmp, "bad.graphml", NULL);
  g_autofree char *bad = th_test_src("tests/data/bad-values");
  g_autofree char *err = NULL;
  g_assert_cmpint(th_test_taihang(NULL, &err, "export", bad, "--graphml", file, NULL), ==, 2);
  g_assert_true(g_str_has_prefix(err, bad));
  g_assert_nonnull(strstr(err, "/link.csv:6: to_node_id 9 is not in node.csv"));
  g_assert_false(g_file_test(file, G_FILE_TEST_EXISTS));
  g_assert_cmpint(count_files(tmp), ==, 0);
  /* usage errors: nothing asked, no source */
  g_autofree char *sample = th_test_src("scenarios/sample");
  g_assert_cmpint(th_test_taihang(NULL, NULL, "export", sample, NULL), ==, 2);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "export", "--graphml", file, NULL), ==, 2);
  g_assert_cmpint(count_files(tmp), ==, 0);
  th_test_rmtree(tmp);
}

/* Issue 17, defect 5: a dangling symlink for services.csv (or hubs.csv) was
 * silently "0 service lines", exit 0. Now: exit 2, the file and the reason. */
static void test_unreadable_services(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *src = th_test_src("scenarios/sample");
  const char *names[] = {"node.csv", "link.csv"};
  for (int k = 0; k < 2; k++) {
    g_autofree char *from = g_build_filename(src, names[k], NULL);
    g_autofree char *text = NULL;
    g_assert_true(g_file_get_contents(from, &text, NULL, NULL));
    g_free(th_test_write(dir, names[k], text));
  }
  const char *opt[] = {"services.csv", "hubs.csv"};
  for (int k = 0; k < 2; k++) {
    g_autofree char *p = g_build_filename(dir, opt[k], NULL);
    g_assert_cmpint(symlink("gone.csv", p), ==, 0);
    g_autofree char *out = NULL, *err = NULL;
    int st = th_test_taihang(&out, &err, "check", dir, NULL);
    g_autofree char *want = g_strdup_printf("%s: cannot read (No such file or directory)", p);
    g_autofree char *all = g_strconcat(out, err, NULL);
    if (st != 2 || !strstr(all, want)) g_error("%s: status %d, expected '%s' in:\n%s", opt[k], st, want, all);
    g_unlink(p);
  }
  th_test_rmtree(dir);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/check/bad-values", test_bad_values);
  g_test_add_func("/check/bad-header", test_bad_header);
  g_test_add_func("/check/unreachable", test_unreachable);
  g_test_add_func("/check/unreachable-lenient", test_unreachable_lenient);
  g_test_add_func("/check/sample-ok", test_sample_ok);
  g_test_add_func("/check/tntp-ok", test_tntp_ok);
  g_test_add_func("/check/usage", test_usage);
  g_test_add_func("/check/unreadable-services", test_unreadable_services);
  g_test_add_func("/check/several", test_several);
  g_test_add_func("/export/graphml", test_export_graphml);
  g_test_add_func("/export/fails-cleanly", test_export_fails_cleanly);
  return g_test_run();
}
