/* test_skim.c: travel-time tables (network/skim.h, output/skim-write.h,
 * `taihang skim`): thread-count independence, a golden file for the sample
 * network, Sioux Falls against Floyd-Warshall, metrics, --from, unreachable
 * pairs, and every usage error (exit 2, no file left). */
#include "network/load.h"
#include "network/skim.h"
#include "network/tntp.h"
#include "output/skim-write.h"
#include "tests/testutil.h"

#include <math.h>
#include <string.h>

static char *slurp(const char *path) {
  char *text = NULL;
  g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
  return text;
}

/* ----------------------------------------------------------- helpers */

/* Floyd-Warshall over the links of NET usable by MODE with WEIGHT; no-through
 * nodes are never used as intermediate nodes. Returns n x n (INFINITY when
 * unreachable). O(n^3): fine for the test networks. */
static double *floyd_warshall(const ThNetwork *net, const double *weight, uint32_t mode) {
  int n = net->n_nodes;
  double *d = g_new(double, (gsize)n * n);
  for (int i = 0; i < n * n; i++) d[i] = INFINITY;
  for (int i = 0; i < n; i++) d[i * n + i] = 0;
  for (int e = 0; e < net->n_links; e++) {
    if (!(net->link_modes[e] & (mode | TH_MODE_CONNECTOR))) continue;
    int a = net->link_from[e], b = net->link_to[e];
    if (weight[e] < d[a * n + b]) d[a * n + b] = weight[e];
  }
  for (int k = 0; k < n; k++) {
    if (net->node_no_thru[k]) continue;
    for (int i = 0; i < n; i++)
      for (int j = 0; j < n; j++)
        if (d[i * n + k] + d[k * n + j] < d[i * n + j]) d[i * n + j] = d[i * n + k] + d[k * n + j];
  }
  return d;
}

/* Checks column COL (0 time_min, 1 distance_km, 2 cost) of table T, computed
 * with the metric of that column, against Floyd-Warshall on WEIGHT (divided
 * by DIV). TOL = 0: exact. */
static void check_fw(const ThNetwork *net, const ThSkimTable *t, int col, const double *weight,
                     double div, double tol) {
  g_autofree double *fw = floyd_warshall(net, weight, TH_MODE_ROAD);
  int n = net->n_nodes, nz = net->n_zones, reached = 0;
  const double *tab = col == 0 ? t->time_min : col == 1 ? t->distance_km : t->cost;
  for (int i = 0; i < t->n_origins; i++)
    for (int z = 0; z < nz; z++) {
      double want = fw[net->zone_node[t->origins[i]] * n + net->zone_node[z]] / div;
      double got = tab[(gsize)i * nz + z];
      if (isinf(want)) {
        g_assert_true(isnan(got));
        continue;
      }
      reached++;
      if (tol == 0) g_assert_cmpfloat(got, ==, want);
      else g_assert_cmpfloat_with_epsilon(got, want, tol * (1 + want));
    }
  g_assert_cmpint(reached, >, 0);
}

static ThNetwork *load_or_skip(const char *rel) {
  g_autofree char *path = th_test_src(rel);
  g_autoptr(GError) error = NULL;
  ThNetwork *net = th_network_load(path, &error);
  if (!net) g_test_skip_printf("cannot load %s yet: %s", rel, error->message);
  return net;
}

/* A grid of towns (passable zones) and junctions, links both ways, with a
 * few one-way links so that some pairs are unreachable. */
static ThNetwork *grid_network(int side, int zone_every) {
  ThNetwork *net = th_network_new();
  g_autoptr(GRand) r = g_rand_new_with_seed(11);
  int zid = 100;
  for (int v = 0; v < side * side; v++) {
    gboolean zone = v % zone_every == 0;
    th_network_add_node(net, v + 1, NULL, 112 + v * 1e-4, 35, zone ? TH_NODE_TOWN : TH_NODE_JUNCTION,
                        zone ? zid-- : -1, 0, 0, 0, 0);
  }
  /* an isolated zone: reachable from nowhere */
  th_network_add_node(net, 99999, "island", 113, 36, TH_NODE_ZONE, 1000, 0, 0, 0, 0);
  ThLinkSpec s = {.modes = TH_MODE_ROAD, .capacity_vph = 1000, .lanes = 1};
  int id = 1;
  for (int v = 0; v < side * side; v++) {
    int nb[2] = {(v + 1) % side ? v + 1 : -1, v + side < side * side ? v + side : -1};
    for (int k = 0; k < 2; k++) {
      if (nb[k] < 0) continue;
      for (int dir = 0; dir < 2; dir++) {
        s.id = id++;
        s.from_id = (dir ? nb[k] : v) + 1;
        s.to_id = (dir ? v : nb[k]) + 1;
        s.length_m = g_rand_int_range(r, 100, 3000);
        s.free_speed_mps = g_rand_int_range(r, 8, 30);
        s.free_time_s = 0;
        s.toll = g_rand_double(r) < 0.1 ? 5 : 0;
        th_network_add_link(net, &s);
      }
    }
  }
  g_assert_true(th_network_finalize(net, NULL));
  return net;
}

/* ---------------------------------------------------------------- tests */

/* The same bytes for 1, 2 and 3 threads (blocks of 32 x threads origins, so
 * 70 zones make several blocks), with and without --from. */
static void test_threads_identical(void) {
  g_autoptr(ThNetwork) net = grid_network(20, 6);
  g_assert_cmpint(net->n_zones, >, 64);
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *ref = NULL;
  int from[] = {5, 0, 3, 66};
  for (int pass = 0; pass < 2; pass++) {
    g_clear_pointer(&ref, g_free);
    for (int t = 1; t <= 3; t++) {
      ThSkimParams p;
      th_skim_params_init(&p);
      p.n_threads = t;
      g_autofree char *path = g_strdup_printf("%s/skim-%d-%d.csv", dir, pass, t);
      g_autoptr(GError) error = NULL;
      g_assert_true(th_skim_write_csv(path, net, &p, pass ? from : NULL, pass ? 4 : 0, "road", &error));
      g_assert_no_error(error);
      g_autofree char *text = slurp(path);
      if (!ref) ref = g_strdup(text);
      else g_assert_cmpstr(text, ==, ref);
    }
    /* unreachable pairs are omitted: the island (zone 1000) only reaches
     * itself, and only when it is an origin */
    const char *self = strstr(ref, "\n1000,1000,road,0.0000,0.0000,0.0000\n");
    g_assert_true(pass ? self == NULL : self != NULL);
    g_auto(GStrv) lines = g_strsplit(ref, "\n", -1);
    for (int i = 1; lines[i] && *lines[i]; i++) {
      long o = 0, d = 0;
      g_assert_cmpint(sscanf(lines[i], "%ld,%ld,", &o, &d), ==, 2);
      g_assert_true((o == 1000) == (d == 1000));
    }
    g_assert_true(g_str_has_prefix(ref, "origin,destination,mode,time_min,distance_km,cost\n"));
    if (pass) { /* origins in the order asked: zone index 5 first */
      g_autofree char *first = g_strdup_printf("%" G_GINT64_FORMAT ",", (gint64)net->zone_id[5]);
      g_assert_true(g_str_has_prefix(strchr(ref, '\n') + 1, first));
    }
  }
  th_test_rmtree(dir);
}

/* Every metric against Floyd-Warshall on a grid with tolls. */
static void test_metrics_vs_fw(void) {
  g_autoptr(ThNetwork) net = grid_network(9, 4);
  int m = net->n_links;
  g_autofree double *cost = g_new(double, m);
  for (int e = 0; e < m; e++) cost[e] = net->toll[e] + 0.8 * net->length_m[e] / 1000.0;
  ThSkimParams p;
  th_skim_params_init(&p);
  p.n_threads = 2;
  p.metric = TH_SKIM_TIME;
  g_autoptr(ThSkimTable) tt = th_skim_table_new(net, &p, NULL, 0);
  check_fw(net, tt, 0, net->free_time_s, 60.0, 1e-12);
  p.metric = TH_SKIM_DISTANCE;
  g_autoptr(ThSkimTable) td = th_skim_table_new(net, &p, NULL, 0);
  check_fw(net, td, 1, net->length_m, 1000.0, 0); /* integer metres: exact */
  p.metric = TH_SKIM_COST;
  g_autoptr(ThSkimTable) tc = th_skim_table_new(net, &p, NULL, 0);
  check_fw(net, tc, 2, cost, 1.0, 1e-12);
  /* the minimum of each metric is no larger than that metric on another
   * metric's path */
  for (int i = 0; i < tt->n_origins * tt->n_zones; i++) {
    if (isnan(tt->time_min[i])) continue;
    g_assert_cmpfloat(tt->time_min[i], <=, td->time_min[i] + 1e-9);
    g_assert_cmpfloat(td->distance_km[i], <=, tt->distance_km[i] + 1e-9);
    g_assert_cmpfloat(tc->cost[i], <=, tt->cost[i] + 1e-9);
  }
}

/* A toll expressway against a free county road: each metric picks its own
 * route, and the other columns are those of the chosen route. */
static void test_metric_choice(void) {
  g_autoptr(ThNetwork) net = th_network_new();
  th_network_add_node(net, 1, "A", 112, 35, TH_NODE_ZONE, 1, 0, 0, 0, 0);
  th_network_add_node(net, 2, "B", 112.5, 35, TH_NODE_ZONE, 2, 0, 0, 0, 0);
  th_network_add_node(net, 3, NULL, 112.2, 35.1, TH_NODE_JUNCTION, -1, 0, 0, 0, 0);
  th_network_add_node(net, 4, NULL, 112.2, 34.9, TH_NODE_JUNCTION, -1, 0, 0, 0, 0);
  ThLinkSpec s = {.modes = TH_MODE_CONNECTOR, .capacity_vph = 1000, .lanes = 1, .free_speed_mps = 10};
  /* expressway via 3: 2 x 30 km at 30 m/s (2000 s), toll 20 on the second */
  s.id = 1, s.from_id = 1, s.to_id = 3, s.length_m = 30000, s.free_speed_mps = 30, s.modes = TH_MODE_ROAD;
  th_network_add_link(net, &s);
  s.id = 2, s.from_id = 3, s.to_id = 2, s.toll = 20;
  th_network_add_link(net, &s);
  /* county road via 4: 2 x 20 km at 10 m/s (4000 s), no toll */
  s.id = 3, s.from_id = 1, s.to_id = 4, s.length_m = 20000, s.free_speed_mps = 10, s.toll = 0;
  th_network_add_link(net, &s);
  s.id = 4, s.from_id = 4, s.to_id = 2;
  th_network_add_link(net, &s);
  g_assert_true(th_network_finalize(net, NULL));
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *path = g_build_filename(dir, "t.csv", NULL);
  const char *want[] = {
      /* time: expressway, 60 km, 20 + 0.8 x 60 = 68 */
      "1,2,road,33.3333,60.0000,68.0000\n",
      /* distance: county road, 40 km, 32 */
      "1,2,road,66.6667,40.0000,32.0000\n",
      /* cost: county road (32 < 68) */
      "1,2,road,66.6667,40.0000,32.0000\n",
  };
  for (int metric = 0; metric < 3; metric++) {
    ThSkimParams p;
    th_skim_params_init(&p);
    p.metric = metric;
    int from[] = {0};
    g_assert_true(th_skim_write_csv(path, net, &p, from, 1, "road", NULL));
    g_autofree char *text = slurp(path);
    g_autofree char *expect = g_strconcat("origin,destination,mode,time_min,distance_km,cost\n"
                                          "1,1,road,0.0000,0.0000,0.0000\n",
                                          want[metric], NULL);
    g_assert_cmpstr(text, ==, expect);
  }
  /* without operating cost the toll alone decides: county road, cost 0;
   * at 2 yuan/km: county 80 against expressway 140 */
  ThSkimParams p;
  th_skim_params_init(&p);
  p.metric = TH_SKIM_COST;
  p.cost_per_km = 0;
  g_autoptr(ThSkimTable) t0 = th_skim_table_new(net, &p, NULL, 0);
  g_assert_cmpfloat(t0->cost[1], ==, 0.0);
  g_assert_cmpfloat(t0->distance_km[1], ==, 40.0);
  g_assert_true(isnan(t0->cost[2])); /* B -> A: no link back */
  p.cost_per_km = 2.0;
  g_autoptr(ThSkimTable) t = th_skim_table_new(net, &p, NULL, 0);
  g_assert_cmpfloat(t->cost[1], ==, 80.0);
  /* rail: no rail link, only connectors: unreachable */
  p.mode = TH_MODE_RAIL;
  g_autoptr(ThSkimTable) tr = th_skim_table_new(net, &p, NULL, 0);
  g_assert_true(isnan(tr->time_min[1]));
  g_assert_cmpfloat(tr->time_min[0], ==, 0);
  th_test_rmtree(dir);
}

/* Sioux Falls: the travel-time table equals Floyd-Warshall exactly (integer
 * free-flow minutes), distance and cost tables within rounding. */
static void test_sioux_falls_fw(void) {
  g_autofree char *path = th_test_src("tests/data/tntp/SiouxFalls/SiouxFalls_net.tntp");
  g_autoptr(GError) error = NULL;
  g_autoptr(ThNetwork) net = th_tntp_read_net(path, &error);
  if (!net) {
    g_test_skip_printf("TNTP reader not available: %s", error->message);
    return;
  }
  g_assert_cmpint(net->n_zones, ==, 24);
  ThSkimParams p;
  th_skim_params_init(&p);
  p.n_threads = 2;
  g_autoptr(ThSkimTable) t = th_skim_table_new(net, &p, NULL, 0);
  check_fw(net, t, 0, net->free_time_s, 60.0, 0);
  /* a known value: 1 -> 2 is the direct 6-minute link, 1 -> 24 needs 3 links */
  g_assert_cmpfloat(t->time_min[1], ==, 6);
  /* the CLI writes the same table */
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *out = g_build_filename(dir, "sf.csv", NULL);
  g_autofree char *out2 = g_build_filename(dir, "sf2.csv", NULL);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "skim", path, "--out", out, "--threads", "1", NULL), ==, 0);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "skim", path, "--out", out2, "--threads", "2", NULL), ==, 0);
  g_autofree char *a = slurp(out), *b = slurp(out2);
  g_assert_cmpstr(a, ==, b);
  g_auto(GStrv) lines = g_strsplit(a, "\n", -1);
  g_assert_cmpint(g_strv_length(lines), ==, 1 + 24 * 24 + 1); /* header, rows, "" */
  g_autofree double *fw = floyd_warshall(net, net->free_time_s, TH_MODE_ROAD);
  for (int i = 1; lines[i] && *lines[i]; i++) {
    int o, d;
    char mode[16];
    double tm;
    g_assert_cmpint(sscanf(lines[i], "%d,%d,%15[^,],%lf", &o, &d, mode, &tm), ==, 4);
    g_assert_cmpstr(mode, ==, "road");
    g_assert_cmpfloat(tm, ==, fw[(o - 1) * 24 + (d - 1)] / 60);
  }
  /* distance metric against Floyd-Warshall on lengths */
  p.metric = TH_SKIM_DISTANCE;
  g_autoptr(ThSkimTable) td = th_skim_table_new(net, &p, NULL, 0);
  check_fw(net, td, 1, net->length_m, 1000.0, 1e-12);
  th_test_rmtree(dir);
}

/* Anaheim: zones are centroids (FIRST THRU NODE 39) never passed through. */
static void test_anaheim_fw(void) {
  g_autofree char *path = th_test_src("tests/data/tntp/Anaheim/Anaheim_net.tntp");
  g_autoptr(GError) error = NULL;
  g_autoptr(ThNetwork) net = th_tntp_read_net(path, &error);
  if (!net) {
    g_test_skip_printf("TNTP reader not available: %s", error->message);
    return;
  }
  g_assert_cmpint(net->n_zones, ==, 38);
  ThSkimParams p;
  th_skim_params_init(&p);
  int from[] = {0, 7, 37};
  g_autoptr(ThSkimTable) t = th_skim_table_new(net, &p, from, 3);
  check_fw(net, t, 0, net->free_time_s, 60.0, 1e-12);
}

/* The sample network's table, byte for byte (tests/data/skim/). */
static void test_sample_golden(void) {
  g_autoptr(ThNetwork) net = load_or_skip("scenarios/sample");
  if (!net) return;
  g_autofree char *sample = th_test_src("scenarios/sample");
  g_autofree char *golden = th_test_src("tests/data/skim/sample_road_time.csv");
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *out = g_build_filename(dir, "sample.csv", NULL);
  g_autofree char *err = NULL;
  int rc = th_test_taihang(NULL, &err, "skim", sample, "--mode", "road", "--out", out, "--threads", "2", NULL);
  g_assert_cmpstr(err, ==, "");
  g_assert_cmpint(rc, ==, 0);
  g_autofree char *got = slurp(out);
  /* TH_UPDATE_GOLDEN=1 rewrites the golden file (review the diff!) */
  if (g_getenv("TH_UPDATE_GOLDEN")) g_assert_true(g_file_set_contents(golden, got, -1, NULL));
  g_autofree char *want = slurp(golden);
  g_assert_cmpstr(got, ==, want);
  /* and the golden times agree with Floyd-Warshall */
  ThSkimParams p;
  th_skim_params_init(&p);
  g_autoptr(ThSkimTable) t = th_skim_table_new(net, &p, NULL, 0);
  check_fw(net, t, 0, net->free_time_s, 60.0, 1e-12);
  th_test_rmtree(dir);
}

/* Usage and input errors: exit 2, a message naming the problem, no file. */
static void test_errors(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *out = g_build_filename(dir, "x.csv", NULL);
  g_autofree char *sf = th_test_src("tests/data/tntp/SiouxFalls/SiouxFalls_net.tntp");
  struct {
    const char *args[8];
    const char *msg;
  } cases[] = {
      {{"skim", sf, NULL}, "--out FILE.csv is required"},
      {{"skim", sf, "--out", out, "--mode", "boat", NULL}, "unknown mode 'boat'"},
      {{"skim", sf, "--out", out, "--mode", "connector", NULL}, "unknown mode 'connector'"},
      {{"skim", sf, "--out", out, "--metric", "speed", NULL}, "unknown metric 'speed'"},
      {{"skim", sf, "--out", out, "--from", "1,99,x", NULL}, "--from: unknown zone '99'"},
      {{"skim", sf, "--out", out, "--from", " , ", NULL}, "--from: no zone given"},
      {{"skim", sf, "--out", out, "--cost-per-km", "-1", NULL}, "--cost-per-km must be >= 0"},
      {{"skim", "--out", out, NULL}, "expected one network"},
      {{"skim", sf, sf, "--out", out, NULL}, "expected one network"},
      {{"skim", sf, "--out", out, "--bogus", NULL}, "Unknown option --bogus"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *err = NULL;
    const char *const *a = cases[i].args;
    int rc = th_test_taihang(NULL, &err, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], NULL);
    if (!strstr(err, cases[i].msg)) g_error("case %zu: '%s' not in '%s'", i, cases[i].msg, err);
    g_assert_cmpint(rc, ==, 2);
    g_assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
  }
  /* every unknown zone of --from is reported, one per line */
  g_autofree char *err = NULL;
  th_test_taihang(NULL, &err, "skim", sf, "--out", out, "--from", "1,99,x", NULL);
  g_assert_nonnull(strstr(err, "'x'"));
  /* a broken network: the loader's FILE:LINE message, exit 2, no file */
  g_autofree char *bad = th_test_write(dir, "bad_net.tntp",
                                       "<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 2\n"
                                       "<FIRST THRU NODE> 1\n<NUMBER OF LINKS> 1\n<END OF METADATA>\n"
                                       "~ init term cap len fft b power speed toll type ;\n"
                                       "1 2 100 1 abc 0.15 4 0 0 1 ;\n");
  g_clear_pointer(&err, g_free);
  int rc = th_test_taihang(NULL, &err, "skim", bad, "--out", out, NULL);
  g_assert_cmpint(rc, ==, 2);
  g_assert_nonnull(strstr(err, "bad_net.tntp:7:"));
  g_assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
  /* a folder that cannot be written: exit 1, nothing left */
  g_autofree char *blocked = th_test_write(dir, "file", "x");
  g_autofree char *inside = g_build_filename(blocked, "t.csv", NULL);
  g_clear_pointer(&err, g_free);
  rc = th_test_taihang(NULL, &err, "skim", sf, "--out", inside, NULL);
  g_assert_cmpint(rc, ==, 1);
  th_test_rmtree(dir);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/skim/threads-identical", test_threads_identical);
  g_test_add_func("/skim/metrics-vs-floyd-warshall", test_metrics_vs_fw);
  g_test_add_func("/skim/metric-choice", test_metric_choice);
  g_test_add_func("/skim/sioux-falls-floyd-warshall", test_sioux_falls_fw);
  g_test_add_func("/skim/anaheim-centroids", test_anaheim_fw);
  g_test_add_func("/skim/sample-golden", test_sample_golden);
  g_test_add_func("/skim/errors", test_errors);
  return g_test_run();
}
