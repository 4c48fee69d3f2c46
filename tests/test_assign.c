/* test_assign.c: static UE assignment against the TNTP best-known
 * equilibria, an analytic Wardrop solution, a truck ban and thread
 * independence. */
#include "network/th-error.h"
#include "network/tntp.h"
#include "sim/assign.h"
#include "sim/assign-internal.h"
#include "tests/testutil.h"

#include <math.h>
#include <string.h>

static ThAssignResult *solve_ex(const char *rel, ThAssignAlgorithm alg, double gap,
                                double max_excess, gboolean report_excess, int threads,
                                ThNetwork **net_out) {
  g_autofree char *path = th_test_src(rel);
  g_autoptr(GError) e = NULL;
  ThNetwork *net = th_tntp_read_net(path, &e);
  g_assert_no_error(e);
  g_autofree char *tp = th_tntp_sibling(path, "trips");
  g_autoptr(ThOdTable) od = th_tntp_read_trips(tp, net, &e);
  g_assert_no_error(e);
  ThAssignClass c = {"car", 1.0, od, NULL, NULL};
  ThAssignParams p;
  th_assign_params_init(&p);
  p.algorithm = alg;
  p.gap = gap;
  p.max_excess = max_excess;
  p.report_excess = report_excess;
  p.max_iter = alg == TH_ASSIGN_B ? 1000 : 60;
  p.threads = threads;
  ThAssignResult *r = th_assign_run(net, &c, 1, &p, &e);
  g_assert_no_error(e);
  *net_out = net;
  return r;
}

static ThAssignResult *solve(const char *rel, ThAssignAlgorithm alg, double gap, int threads,
                             ThNetwork **net_out) {
  return solve_ex(rel, alg, gap, 0.0, FALSE, threads, net_out);
}

/* Solves REL at GAP (and MAX_EXCESS when > 0); checks TSTT against the
 * best-known value and every link flow against the best-known flows
 * (within 0.1% or 1 vehicle) when CHECK_FLOWS; checks that 2 threads give
 * the same bits. */
static void check_best_known(const char *rel, const char *flow_rel, double gap, double max_excess,
                             double tstt, gboolean check_flows) {
  ThNetwork *net;
  g_autoptr(ThAssignResult) r = solve_ex(rel, TH_ASSIGN_B, gap, max_excess, FALSE, 1, &net);
  g_assert_true(r->converged);
  g_assert_cmpfloat(fabs(r->tstt - tstt) / tstt, <, 1e-5);
  /* the stopping rule: the last iteration met the gap and, when asked,
   * every OD pair's used paths are within MAX_EXCESS of the shortest */
  const ThAssignIter *last = &g_array_index(r->log, ThAssignIter, r->log->len - 1);
  if (max_excess > 0) g_assert_cmpfloat(last->max_excess, <=, max_excess);
  else g_assert_true(isnan(last->max_excess));
  g_assert_cmpfloat(last->relative_gap, <=, gap);
  g_autofree char *fp = th_test_src(flow_rel);
  g_autoptr(GError) e = NULL;
  g_autoptr(ThTntpFlow) f = th_tntp_read_flow(fp, &e);
  g_assert_no_error(e);
  g_assert_cmpint(f->n, ==, net->n_links);
  double worst = 0;
  for (int a = 0; a < f->n; a++) {
    g_assert_cmpint(f->from[a], ==, net->node_id[net->link_from[a]]);
    double tol = MAX(1.0, 1e-3 * f->volume[a]);
    worst = MAX(worst, fabs(r->volume[a] - f->volume[a]) / tol);
  }
  g_test_message("%s: gap %.3e, TSTT %.3f, worst flow error / tolerance %.3f", rel, r->relative_gap,
                 r->tstt, worst);
  if (check_flows) g_assert_cmpfloat(worst, <=, 1.0);
  /* same bits with two threads */
  ThNetwork *net2;
  g_autoptr(ThAssignResult) r2 = solve_ex(rel, TH_ASSIGN_B, gap, max_excess, FALSE, 2, &net2);
  g_assert_cmpint(memcmp(r->volume, r2->volume, sizeof(double) * net->n_links), ==, 0);
  g_assert_cmpfloat(r->relative_gap, ==, r2->relative_gap);
  g_assert_cmpfloat(r->tstt, ==, r2->tstt);
  th_network_free(net);
  th_network_free(net2);
}

static void test_sioux_falls(void) {
  check_best_known("tests/data/tntp/SiouxFalls/SiouxFalls_net.tntp",
                   "tests/data/tntp/SiouxFalls/SiouxFalls_flow.tntp", 1e-6, 1e-9, 7480225.345, TRUE);
}

static void test_anaheim(void) {
  /* Every link within tolerance at --gap 1e-6 with --max-excess 1e-9
   * (about 50 links with nearly flat costs are off by up to 61x with the
   * gap alone at 5e-7), and with the gap alone at 1e-10 */
  check_best_known("tests/data/tntp/Anaheim/Anaheim_net.tntp",
                   "tests/data/tntp/Anaheim/Anaheim_flow.tntp", 1e-6, 1e-9, 1419913.851, TRUE);
  check_best_known("tests/data/tntp/Anaheim/Anaheim_net.tntp",
                   "tests/data/tntp/Anaheim/Anaheim_flow.tntp", 1e-10, 0.0, 1419913.851, TRUE);
}

/* Stop when asked: the run ends at the first iteration whose gap is at
 * most the target (every earlier one is above it), for several targets;
 * with report_excess every iteration of B carries a maximum excess, which
 * bounds nothing below but is >= 0 and 0 only at an exact equilibrium. */
static void test_stop_at_gap(void) {
  const char *nets[] = {"tests/data/tntp/SiouxFalls/SiouxFalls_net.tntp",
                        "tests/data/tntp/Anaheim/Anaheim_net.tntp"};
  const double gaps[] = {1e-2, 1e-4, 1e-6};
  for (int i = 0; i < 2; i++)
    for (int g = 0; g < 3; g++)
      for (int report = 0; report < 2; report++) {
        ThNetwork *net;
        g_autoptr(ThAssignResult) r =
            solve_ex(nets[i], TH_ASSIGN_B, gaps[g], 0.0, report, 1, &net);
        const ThAssignIter *it = (const ThAssignIter *)r->log->data;
        int n = (int)r->log->len;
        g_assert_true(r->converged);
        g_assert_cmpfloat(it[n - 1].relative_gap, <=, gaps[g]);
        g_assert_cmpfloat(r->relative_gap, ==, it[n - 1].relative_gap);
        for (int j = 0; j < n - 1; j++) g_assert_cmpfloat(it[j].relative_gap, >, gaps[g]);
        for (int j = 0; j < n; j++) {
          if (report) g_assert_cmpfloat(it[j].max_excess, >=, 0.0);
          else g_assert_true(isnan(it[j].max_excess));
        }
        g_test_message("%s gap %g: %d iterations, final %.3e", nets[i], gaps[g], r->iterations,
                       r->relative_gap);
        th_network_free(net);
      }
  /* the excess criterion: stops only when both hold, and the excess of
   * the last iteration is within the bound */
  ThNetwork *net;
  g_autoptr(ThAssignResult) r = solve_ex(nets[1], TH_ASSIGN_B, 1e-4, 1e-8, FALSE, 1, &net);
  const ThAssignIter *last = &g_array_index(r->log, ThAssignIter, r->log->len - 1);
  g_assert_true(r->converged);
  g_assert_cmpfloat(last->relative_gap, <=, 1e-4);
  g_assert_cmpfloat(last->max_excess, <=, 1e-8);
  th_network_free(net);
}

static void test_frank_wolfe_family(void) {
  for (int alg = TH_ASSIGN_FW; alg <= TH_ASSIGN_BFW; alg++) {
    ThNetwork *net;
    g_autoptr(ThAssignResult) r =
        solve("tests/data/tntp/SiouxFalls/SiouxFalls_net.tntp", alg, 1e-2, 1, &net);
    const ThAssignIter *it = (const ThAssignIter *)r->log->data;
    g_test_message("%s: %d iterations, gap %.3e", th_assign_algorithm_name(alg), r->iterations,
                   r->relative_gap);
    g_assert_true(r->converged);
    g_assert_cmpfloat(it[r->log->len - 1].relative_gap, <, it[0].relative_gap);
    th_network_free(net);
  }
}

/* Algorithm B's bushes are updated in parallel batches: the flows, gap,
 * TSTT and every logged gap are the same bits for 1, 2, 3 and 5 threads. */
static void test_threads_same_bits(void) {
  const char *rel = "tests/data/tntp/Anaheim/Anaheim_net.tntp";
  ThNetwork *net1;
  g_autoptr(ThAssignResult) r1 = solve_ex(rel, TH_ASSIGN_B, 1e-8, 0.0, TRUE, 1, &net1);
  const int threads[] = {2, 3, 5};
  for (int i = 0; i < 3; i++) {
    ThNetwork *net;
    g_autoptr(ThAssignResult) r = solve_ex(rel, TH_ASSIGN_B, 1e-8, 0.0, TRUE, threads[i], &net);
    g_assert_cmpint(memcmp(r1->volume, r->volume, sizeof(double) * net->n_links), ==, 0);
    g_assert_cmpint(r->iterations, ==, r1->iterations);
    g_assert_cmpfloat(r->relative_gap, ==, r1->relative_gap);
    g_assert_cmpfloat(r->tstt, ==, r1->tstt);
    for (guint j = 0; j < r->log->len; j++) {
      g_assert_cmpfloat(g_array_index(r->log, ThAssignIter, j).relative_gap, ==,
                        g_array_index(r1->log, ThAssignIter, j).relative_gap);
      g_assert_cmpfloat(g_array_index(r->log, ThAssignIter, j).max_excess, ==,
                        g_array_index(r1->log, ThAssignIter, j).max_excess);
    }
    th_network_free(net);
  }
  th_network_free(net1);
}

static ThNetwork *two_link(const char *dir) {
  g_autofree char *p = th_test_write(dir, "two_net.tntp",
                                     "<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 3\n<FIRST THRU NODE> 3\n"
                                     "<NUMBER OF LINKS> 4\n<END OF METADATA>\n"
                                     "1 2 100 1 10 1 1 0 0 1 ;\n"  /* t = 10 + 0.1 x */
                                     "1 3 100 1 10 1 1 0 0 1 ;\n"  /* t = 10 + 0.1 x, then */
                                     "3 2 100 1 10 0 1 0 0 1 ;\n"  /* constant 10 */
                                     "2 1 100 1 10 1 1 0 0 1 ;\n");
  g_autoptr(GError) e = NULL;
  ThNetwork *net = th_tntp_read_net(p, &e);
  g_assert_no_error(e);
  return net;
}

static void test_two_link_wardrop(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autoptr(ThNetwork) net = two_link(dir);
  int o = 0, d = 1;
  double t = 300;
  g_autoptr(ThOdTable) od = th_od_table_new(2, 1, &o, &d, &t);
  ThAssignClass c = {"car", 1.0, od, NULL, NULL};
  for (int alg = TH_ASSIGN_FW; alg <= TH_ASSIGN_B; alg++) {
    ThAssignParams p;
    th_assign_params_init(&p);
    p.algorithm = alg;
    p.gap = 1e-9;
    p.max_iter = 5000;
    g_autoptr(GError) e = NULL;
    g_autoptr(ThAssignResult) r = th_assign_run(net, &c, 1, &p, &e);
    g_assert_no_error(e);
    /* 10 + 0.1 x1 = 20 + 0.1 x2, x1 + x2 = 300: x1 = 200, x2 = 100, cost 30 */
    g_assert_cmpfloat_with_epsilon(r->volume[0], 200.0, 1e-3);
    g_assert_cmpfloat_with_epsilon(r->volume[1], 100.0, 1e-3);
    g_assert_cmpfloat_with_epsilon(r->cost_min[0], 30.0, 1e-5);
  }
  th_test_rmtree(dir);
}

static void test_truck_ban(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autoptr(ThNetwork) net = two_link(dir);
  int o = 0, d = 1;
  double cars = 100, trucks = 40;
  g_autoptr(ThOdTable) odc = th_od_table_new(2, 1, &o, &d, &cars);
  g_autoptr(ThOdTable) odt = th_od_table_new(2, 1, &o, &d, &trucks);
  guint8 ban[4] = {1, 0, 0, 0}; /* trucks may not use the direct link */
  ThAssignClass cls[2] = {{"car", 1.0, odc, NULL, NULL}, {"truck", 2.5, odt, ban, NULL}};
  ThAssignParams p;
  th_assign_params_init(&p);
  p.gap = 1e-10;
  g_autoptr(GError) e = NULL;
  g_autoptr(ThAssignResult) r = th_assign_run(net, cls, 2, &p, &e);
  g_assert_no_error(e);
  int m = net->n_links;
  /* trucks: all 40 on the detour (100 pcu); cars: 10 + 0.1 x1 = 20 + 0.1 (100 + x2) */
  g_assert_cmpfloat_with_epsilon(r->volume[m + 0], 0.0, 1e-9);
  g_assert_cmpfloat_with_epsilon(r->volume[m + 1], 40.0, 1e-6);
  g_assert_cmpfloat_with_epsilon(r->volume[0], 100.0, 1e-3);
  g_assert_cmpfloat_with_epsilon(r->volume[1], 0.0, 1e-3);
  g_assert_cmpfloat_with_epsilon(r->pcu[1], 100.0, 1e-3);
  th_test_rmtree(dir);
}

/* The command: TNTP in, CSV and TNTP flows, skim and log out; GMNS-free
 * OD CSV with classes; bad input exits 2 and leaves no file. */
static void test_command(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *net = th_test_src("tests/data/tntp/SiouxFalls/SiouxFalls_net.tntp");
  g_autofree char *flows = g_build_filename(dir, "f_flow.tntp", NULL);
  g_autofree char *csv = g_build_filename(dir, "flows.csv", NULL);
  g_autofree char *skim = g_build_filename(dir, "skim.csv", NULL);
  g_autofree char *log = g_build_filename(dir, "log.csv", NULL);
  g_autofree char *out = NULL, *err = NULL;
  int st = th_test_taihang(&out, &err, "assign", net, "--gap", "1e-4", "--flows", flows, "--skim",
                           skim, "--log", log, "--threads", "2", NULL);
  g_assert_cmpint(st, ==, 0);
  g_assert_true(g_str_has_prefix(out, "algorithm b, iterations "));
  g_autoptr(GError) e = NULL;
  g_autoptr(ThTntpFlow) f = th_tntp_read_flow(flows, &e);
  g_assert_no_error(e);
  g_assert_cmpint(f->n, ==, 76);
  g_autofree char *sk = NULL, *lg = NULL;
  g_assert_true(g_file_get_contents(skim, &sk, NULL, NULL));
  g_assert_true(g_str_has_prefix(sk, "origin,destination,mode,time_min,distance_km,cost\n1,2,car,"));
  g_auto(GStrv) sk_lines = g_strsplit(sk, "\n", -1);
  g_assert_cmpint(g_strv_length(sk_lines), ==, 24 * 23 + 2);
  g_assert_true(g_file_get_contents(log, &lg, NULL, NULL));
  g_assert_true(g_str_has_prefix(lg, "iteration,relative_gap,tstt,beckmann,elapsed_s,aec_min,max_excess\n0,"));
  /* --log: both measures on every iteration, the last gap within --gap */
  {
    g_auto(GStrv) rows = g_strsplit(lg, "\n", -1);
    int n = 0;
    for (int i = 1; rows[i] && *rows[i]; i++, n++) {
      g_auto(GStrv) f = g_strsplit(rows[i], ",", -1);
      g_assert_cmpint(g_strv_length(f), ==, 7);
      g_assert_cmpstr(f[6], !=, "");
      g_assert_cmpfloat(g_ascii_strtod(f[6], NULL), >=, 0.0);
      if (!rows[i + 1] || !*rows[i + 1]) g_assert_cmpfloat(g_ascii_strtod(f[1], NULL), <=, 1e-4);
      else g_assert_cmpfloat(g_ascii_strtod(f[1], NULL), >, 1e-4);
    }
    g_assert_cmpint(n, >=, 2);
  }

  /* OD CSV with two classes and a class table banning trucks from link 1 */
  g_autofree char *od = th_test_write(dir, "od.csv", "origin,destination,class,trips\n1,2,car,100\n1,2,truck,10\n");
  g_autofree char *cl = th_test_write(dir, "classes.csv", "class,pcu,vot_per_h,banned_links\ncar,1,,\ntruck,2.5,,1\n");
  g_clear_pointer(&out, g_free);
  g_clear_pointer(&err, g_free);
  st = th_test_taihang(&out, &err, "assign", net, "--trips", od, "--classes", cl, "--flows", csv, NULL);
  g_assert_cmpint(st, ==, 0);
  g_autofree char *fl = NULL;
  g_assert_true(g_file_get_contents(csv, &fl, NULL, NULL));
  g_assert_true(g_str_has_prefix(fl, "link_id,from,to,class,volume,pcu,time_min,cost\n1,1,2,car,100,100,"));
  g_assert_nonnull(strstr(fl, "\n1,1,2,truck,0,0,"));
  g_assert_nonnull(strstr(fl, "\n1,1,2,total,100,100,"));

  /* bad input: exit 2, FILE:LINE message, no output */
  g_autofree char *bad = th_test_write(dir, "bad.csv", "origin,destination,class,trips\n1,99,car,5\n1,2,bus,x\n");
  g_autofree char *never = g_build_filename(dir, "never.csv", NULL);
  g_clear_pointer(&out, g_free);
  g_clear_pointer(&err, g_free);
  st = th_test_taihang(&out, &err, "assign", net, "--trips", bad, "--flows", never, NULL);
  g_assert_cmpint(st, ==, 2);
  g_autofree char *msg = g_strdup_printf(
      "%s:2: destination '99' is not a zone (a zone id, node id or zone name)\n"
      "%s:3: trips 'x' is not a number >= 0 (vehicles per period)\n", bad, bad);
  g_assert_cmpstr(err, ==, msg);
  g_assert_false(g_file_test(never, G_FILE_TEST_EXISTS));
  g_clear_pointer(&out, g_free);
  g_clear_pointer(&err, g_free);
  st = th_test_taihang(&out, &err, "assign", net, "--algorithm", "xx", NULL);
  g_assert_cmpint(st, ==, 2);
  /* --max-excess: negative, or with an algorithm that keeps no paths */
  g_clear_pointer(&out, g_free);
  g_clear_pointer(&err, g_free);
  st = th_test_taihang(&out, &err, "assign", net, "--max-excess", "-1", "--flows", never, NULL);
  g_assert_cmpint(st, ==, 2);
  g_assert_nonnull(strstr(err, "--max-excess -1 is negative"));
  g_assert_false(g_file_test(never, G_FILE_TEST_EXISTS));
  g_clear_pointer(&out, g_free);
  g_clear_pointer(&err, g_free);
  st = th_test_taihang(&out, &err, "assign", net, "--max-excess", "1e-9", "--algorithm", "fw",
                       "--flows", never, NULL);
  g_assert_cmpint(st, ==, 2);
  g_assert_nonnull(strstr(err, "--max-excess needs --algorithm b"));
  g_assert_false(g_file_test(never, G_FILE_TEST_EXISTS));
  g_clear_pointer(&out, g_free);
  g_clear_pointer(&err, g_free);
  st = th_test_taihang(&out, &err, "assign", net, "--max-excess", "1e-9", "--gap", "1e-6", NULL);
  g_assert_cmpint(st, ==, 0);
  th_test_rmtree(dir);
}

/* The gap's bucket-queue search (as_sp_dist) gives the heap's distances
 * (as_sp_run) exactly, with and without targets, on Anaheim with congested
 * costs drawn at random (free-flow time times 1..14, BPR's range), with a
 * few links banned (INFINITY) and some centroids no-through; and
 * as_bucket_setup refuses a zero weight. */
static void test_gap_search(void) {
  g_autofree char *path = th_test_src("tests/data/tntp/Anaheim/Anaheim_net.tntp");
  g_autoptr(GError) e = NULL;
  g_autoptr(ThNetwork) net = th_tntp_read_net(path, &e);
  g_assert_no_error(e);
  int n = net->n_nodes, m = net->n_links;
  g_autoptr(GRand) r = g_rand_new_with_seed(16);
  g_autofree double *cost = g_new(double, m), *w = g_new(double, m);
  g_autofree int *head = g_new(int, m);
  g_autofree double *ref = g_new(double, n);
  as_csr_heads(net, head);
  AsSp *a = as_sp_new(n), *b = as_sp_new(n);
  for (int round = 0; round < 6; round++) {
    for (int e2 = 0; e2 < m; e2++)
      cost[e2] = (net->free_time_s[e2] / 60 + 0.01) * g_rand_double_range(r, 1, 14);
    for (int k = 0; k < 5; k++) cost[g_rand_int_range(r, 0, m)] = INFINITY;
    as_csr_weights(net, cost, NULL, w);
    double inv;
    int nb;
    g_assert_true(as_bucket_setup(w, m, n, &inv, &nb));
    int targets[3];
    for (int s = 0; s < net->n_zones; s += 3) {
      int src = net->zone_node[s];
      for (int t = 0; t < 3; t++) targets[t] = net->zone_node[g_rand_int_range(r, 0, net->n_zones)];
      int nt = round % 2 ? 3 : 0;
      as_sp_run(a, net, src, head, w, net->node_no_thru, targets, nt);
      as_sp_dist(b, net, src, head, w, net->node_no_thru, targets, nt, inv, nb);
      if (nt)
        for (int t = 0; t < 3; t++) g_assert_cmpfloat(a->dist[targets[t]], ==, b->dist[targets[t]]);
      else {
        memcpy(ref, a->dist, sizeof(double) * n);
        g_assert_cmpmem(ref, sizeof(double) * n, b->dist, sizeof(double) * n);
      }
    }
  }
  w[0] = 0;
  double inv;
  int nb;
  g_assert_false(as_bucket_setup(w, m, n, &inv, &nb));
  as_sp_free(a);
  as_sp_free(b);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/assign/gap-search", test_gap_search);
  g_test_add_func("/assign/two-link-wardrop", test_two_link_wardrop);
  g_test_add_func("/assign/truck-ban", test_truck_ban);
  g_test_add_func("/assign/fw-family", test_frank_wolfe_family);
  g_test_add_func("/assign/sioux-falls", test_sioux_falls);
  g_test_add_func("/assign/anaheim", test_anaheim);
  g_test_add_func("/assign/stop-at-gap", test_stop_at_gap);
  g_test_add_func("/assign/threads-same-bits", test_threads_same_bits);
  g_test_add_func("/assign/command", test_command);
  return g_test_run();
}
