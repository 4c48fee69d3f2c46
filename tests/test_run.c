/* test_run.c: the day loop and `taihang run`: free-flow equals shortest
 * paths, the gap falls on a congested grid, thread count and seed behave,
 * freight platoons, results files, and every bad-input path of trips.csv and
 * classes.csv (FILE:LINE, exit 2, no output folder). */
#include "network/gmns.h"
#include "network/load.h"
#include "output/trips-write.h"
#include "network/paths.h"
#include "sim/simulate.h"
#include "tests/testutil.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <string.h>

/* An N x N grid of 200 m links both ways; node ids 1..N*N; capacity CAP. */
static ThNetwork *grid(int n, double cap) {
  ThNetwork *net = th_network_new();
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++)
      th_network_add_node(net, 1 + i * n + j, NULL, 112.5 + j * 0.0022, 35.5 + i * 0.0018,
                          TH_NODE_JUNCTION, -1, 0, 0, 0, 0);
  int64_t id = 1;
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) {
      int64_t a = 1 + i * n + j;
      int64_t nb[2] = {j + 1 < n ? a + 1 : -1, i + 1 < n ? a + n : -1};
      for (int k = 0; k < 2; k++) {
        if (nb[k] < 0) continue;
        ThLinkSpec s = {.id = id++, .from_id = a, .to_id = nb[k], .modes = TH_MODE_ROAD, .length_m = 200,
                        .free_speed_mps = 13.89, .capacity_vph = cap, .lanes = 1, .bpr_alpha = 0.15,
                        .bpr_beta = 4};
        g_assert_cmpint(th_network_add_link(net, &s), >=, 0);
        s.id = id++;
        s.from_id = nb[k];
        s.to_id = a;
        g_assert_cmpint(th_network_add_link(net, &s), >=, 0);
      }
    }
  g_assert_true(th_network_finalize(net, NULL));
  return net;
}

static ThTrips *random_trips(const ThNetwork *net, const ThClassTable *classes, int n, int32_t spread,
                             unsigned long seed) {
  ThTrips *t = th_trips_new(NULL);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
  gsl_rng_set(r, seed);
  for (int i = 0; i < n; i++) {
    int o = (int)gsl_rng_uniform_int(r, net->n_nodes), d = (int)gsl_rng_uniform_int(r, net->n_nodes);
    th_trips_add(t, i + 1, net, o, d, (int32_t)gsl_rng_uniform_int(r, spread), classes, 0, 0, 0);
  }
  gsl_rng_free(r);
  return t;
}

/* Huge capacities: nobody ever waits, so every experienced travel time is the
 * free-flow shortest-path time (on the engine's 1/64 s link times). */
static void test_free_flow(void) {
  g_autoptr(ThNetwork) net = grid(7, 1e9);
  g_autoptr(ThClassTable) classes = th_class_table_new();
  g_autoptr(ThTrips) trips = random_trips(net, classes, 3000, 1800, 5);
  ThSimParams p;
  th_sim_params_init(&p);
  p.iterations = 3;
  p.gap = 0;
  g_autoptr(ThRunResults) r = th_simulate(net, trips, classes, &p, NULL);
  g_assert_nonnull(r);
  /* the engine's exact free-flow times: 1/64 s fixed point, not whole
   * seconds per link (sim/engine.c); the trip ends in the second that holds
   * the exact sum (the grid's links are all alike, so the route search's
   * whole-second times pick paths of the same exact time) */
  double *w = g_new(double, net->n_links);
  for (int l = 0; l < net->n_links; l++) w[l] = floor(net->free_time_s[l] * 64 + 0.5) / 64;
  g_autoptr(ThShortestPaths) sp = th_sp_new(net);
  for (int i = 0; i < trips->n; i++) {
    g_assert_cmpint(r->status[i], ==, TH_TRIP_ARRIVED);
    th_sp_run(sp, trips->origin[i], w, TH_MODE_ROAD);
    double d = th_sp_dist(sp)[trips->destination[i]];
    g_assert_cmpfloat(r->arrive_s[i] - r->depart_s[i], ==, floor(d + 1e-9));
  }
  g_assert_cmpfloat(r->relative_gap, ==, 0);
  g_free(w);
}

/* A congested grid: the relative gap after the last day is well below the
 * first day's (free-flow routes), and every day conserves trips. */
static void test_gap_falls(void) {
  g_autoptr(ThNetwork) net = grid(6, 300);
  g_autoptr(ThClassTable) classes = th_class_table_new();
  g_autoptr(ThTrips) trips = random_trips(net, classes, 2500, 1200, 11);
  ThSimParams p;
  th_sim_params_init(&p);
  p.iterations = 10;
  p.gap = 0;
  p.threads = 2;
  g_autoptr(ThRunResults) r = th_simulate(net, trips, classes, &p, NULL);
  g_assert_nonnull(r);
  g_assert_cmpuint(r->convergence->len, ==, 10);
  const ThIterStats *first = &g_array_index(r->convergence, ThIterStats, 0);
  const ThIterStats *last = &g_array_index(r->convergence, ThIterStats, r->convergence->len - 1);
  for (guint k = 0; k < r->convergence->len; k++) {
    const ThIterStats *x = &g_array_index(r->convergence, ThIterStats, k);
    g_assert_cmpint(x->arrived + x->stuck + x->unserved + x->en_route, ==, trips->n);
    if (g_test_verbose())
      g_printerr("day %d gap %.4f switched %.3f mean %.1f stuck %ld\n", x->iteration, x->relative_gap,
                 x->switched_share, x->mean_travel_time_s, (long)x->stuck);
  }
  g_assert_cmpfloat(first->relative_gap, >, 0.05); /* congestion makes free-flow routes poor */
  g_assert_cmpfloat(last->relative_gap, <, 0.5 * first->relative_gap);
  g_assert_cmpfloat(last->mean_travel_time_s, <, first->mean_travel_time_s);
  g_assert_cmpint(r->arrived + r->stuck + r->unserved + r->en_route, ==, trips->n);
}

/* A horizon that cuts the day: trips still on the road are en route, those
 * with no path unserved, and the counts add up. */
static void test_horizon_unserved(void) {
  g_autoptr(ThNetwork) net = grid(5, 600);
  g_autoptr(ThClassTable) classes = th_class_table_new();
  g_autoptr(ThTrips) trips = random_trips(net, classes, 1000, 900, 7);
  ThSimParams p;
  th_sim_params_init(&p);
  p.iterations = 2;
  p.horizon_s = 600;
  g_autoptr(ThRunResults) r = th_simulate(net, trips, classes, &p, NULL);
  g_assert_nonnull(r);
  g_assert_cmpint(r->en_route, >, 0);
  g_assert_cmpint(r->arrived, >, 0);
  g_assert_cmpint(r->arrived + r->stuck + r->unserved + r->en_route, ==, trips->n);
  for (int i = 0; i < trips->n; i++) {
    if (r->status[i] == TH_TRIP_EN_ROUTE) g_assert_cmpint(r->arrive_s[i], ==, -1);
    if (r->status[i] == TH_TRIP_ARRIVED) g_assert_cmpint(r->arrive_s[i], <=, 600);
  }
  /* a one-way link: the way back does not exist */
  ThNetwork *one = th_network_new();
  th_network_add_node(one, 1, NULL, 112, 35, TH_NODE_JUNCTION, -1, 0, 0, 0, 0);
  th_network_add_node(one, 2, NULL, 112.01, 35, TH_NODE_JUNCTION, -1, 0, 0, 0, 0);
  ThLinkSpec s = {.id = 1, .from_id = 1, .to_id = 2, .modes = TH_MODE_ROAD, .length_m = 500,
                  .free_speed_mps = 10, .capacity_vph = 900, .lanes = 1};
  th_network_add_link(one, &s);
  g_assert_true(th_network_finalize(one, NULL));
  g_autoptr(ThTrips) t2 = th_trips_new(NULL);
  th_trips_add(t2, 1, one, 0, 1, 0, classes, 0, 0, 0);
  th_trips_add(t2, 2, one, 1, 0, 0, classes, 0, 0, 0);
  th_trips_add(t2, 3, one, 1, 1, 10, classes, 0, 0, 0);
  g_autoptr(ThRunResults) r2 = th_simulate(one, t2, classes, &p, NULL);
  g_assert_cmpint(r2->status[0], ==, TH_TRIP_ARRIVED);
  g_assert_cmpint(r2->arrive_s[0], ==, 50);
  g_assert_cmpint(r2->status[1], ==, TH_TRIP_UNSERVED);
  g_assert_cmpint(r2->status[2], ==, TH_TRIP_ARRIVED); /* origin = destination: there at once */
  g_assert_cmpint(r2->arrive_s[2], ==, 10);
  g_assert_cmpint(r2->unserved, ==, 1);
  th_network_free(one);
}

/* A 90-tonne coal shipment drives as 3 trucks of 2.5 pcu: through a link of
 * 1800 pcu/h it takes 7.5 headways of 2 s, and the next car waits for it. */
static void test_platoon(void) {
  ThNetwork *net = th_network_new();
  th_network_add_node(net, 1, NULL, 112, 35, TH_NODE_ZONE, 1, 0, 0, 0, 0);
  th_network_add_node(net, 2, NULL, 112.01, 35, TH_NODE_ZONE, 2, 0, 0, 0, 0);
  ThLinkSpec s = {.id = 1, .from_id = 1, .to_id = 2, .modes = TH_MODE_ROAD, .length_m = 1000,
                  .free_speed_mps = 10, .capacity_vph = 1800, .lanes = 1};
  th_network_add_link(net, &s);
  g_assert_true(th_network_finalize(net, NULL));
  g_autoptr(ThClassTable) classes = th_class_table_new();
  g_autoptr(ThTrips) t = th_trips_new(NULL);
  int coal = th_class_table_lookup(classes, "coal");
  th_trips_add(t, 1, net, 0, 1, 0, classes, coal, 0, 90);
  th_trips_add(t, 2, net, 0, 1, 0, classes, 0, 0, 0);
  g_assert_cmpint(t->vehicles[0], ==, 3);
  g_assert_cmpfloat(t->pcu[0], ==, 7.5);
  ThSimParams p;
  th_sim_params_init(&p);
  p.iterations = 1;
  g_autoptr(ThRunResults) r = th_simulate(net, t, classes, &p, NULL);
  g_assert_cmpint(r->arrive_s[0], ==, 100);
  g_assert_cmpint(r->arrive_s[1], ==, 115); /* 100 + 7.5 x 2 s */
  g_assert_cmpuint(r->link_flows->len, ==, 2);
  const ThLinkFlow *f = &g_array_index(r->link_flows, ThLinkFlow, 0);
  g_assert_cmpint(f->cls, ==, 0); /* car first: class-table order */
  f = &g_array_index(r->link_flows, ThLinkFlow, 1);
  g_assert_cmpint(f->cls, ==, coal);
  g_assert_cmpfloat(f->vehicles, ==, 3);
  g_assert_cmpfloat(f->pcu, ==, 7.5);
  g_assert_cmpfloat(f->tonnes, ==, 90);
  g_assert_cmpfloat(f->passengers, ==, 0);
  th_network_free(net);
}

/* ---------------------------------------------------------- the command */

static char *write_case(const char *dir, int n, double cap, int trips, int32_t spread, unsigned long seed) {
  g_autoptr(ThNetwork) net = grid(n, cap);
  char *nd = g_build_filename(dir, "net", NULL);
  g_assert_true(th_gmns_write(net, nd, NULL));
  GString *s = g_string_new("id,origin,destination,depart\n");
  gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
  gsl_rng_set(r, seed);
  for (int i = 0; i < trips; i++)
    g_string_append_printf(s, "%d,%d,%d,%d\n", i + 1, 1 + (int)gsl_rng_uniform_int(r, n * n),
                           1 + (int)gsl_rng_uniform_int(r, n * n), (int)gsl_rng_uniform_int(r, spread));
  gsl_rng_free(r);
  g_free(th_test_write(dir, "trips.csv", s->str));
  g_string_free(s, TRUE);
  return nd;
}

static char *slurp(const char *dir, const char *name) {
  g_autofree char *p = g_build_filename(dir, name, NULL);
  char *text = NULL;
  gsize len;
  if (!g_file_get_contents(p, &text, &len, NULL)) return NULL;
  if (g_str_has_suffix(name, ".gz")) { /* binary: compare as hex-free length+bytes */
    GString *s = g_string_new(NULL);
    g_string_append_len(s, text, (gssize)len);
    g_free(text);
    return g_string_free(s, FALSE);
  }
  return text;
}

static const char *const files[] = {"run.ini", "trips_out.csv", "link_flows.csv", "link_flows_bins.csv",
                                    "od_times.csv", "convergence.csv", "network/link.csv", "network/node.csv"};

static void test_threads_identical(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *net = write_case(dir, 6, 400, 2000, 1200, 3);
  g_autofree char *trips = g_build_filename(dir, "trips.csv", NULL);
  g_autofree char *o1 = g_build_filename(dir, "out1", NULL), *o2 = g_build_filename(dir, "out2", NULL);
  g_autofree char *out = NULL, *err = NULL;
  int st = th_test_taihang(&out, &err, "run", net, "--trips", trips, "--out", o1, "--iterations", "4",
                           "--gap", "0", "--threads", "1", "--events", "-q", NULL);
  g_assert_cmpstr(err, ==, "");
  g_assert_cmpint(st, ==, 0);
  g_assert_nonnull(strstr(out, "= 2000 trips"));
  st = th_test_taihang(NULL, NULL, "run", net, "--trips", trips, "--out", o2, "--iterations", "4", "--gap",
                       "0", "--threads", "2", "--events", "-q", NULL);
  g_assert_cmpint(st, ==, 0);
  for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
    g_autofree char *a = slurp(o1, files[i]), *b = slurp(o2, files[i]);
    g_assert_nonnull(a);
    g_assert_cmpstr(a, ==, b);
  }
  g_autofree char *p1 = g_build_filename(o1, "events.csv.gz", NULL), *p2 = g_build_filename(o2, "events.csv.gz", NULL);
  g_autofree char *e1 = NULL, *e2 = NULL;
  gsize l1, l2;
  g_assert_true(g_file_get_contents(p1, &e1, &l1, NULL));
  g_assert_true(g_file_get_contents(p2, &e2, &l2, NULL));
  g_assert_cmpuint(l1, ==, l2);
  g_assert_true(memcmp(e1, e2, l1) == 0);
  g_assert_cmpuint(l1, >, 1000);
  /* the headers are the documented ones */
  g_autofree char *t = slurp(o1, "trips_out.csv");
  g_assert_true(g_str_has_prefix(t, "id,class,mode,origin,destination,depart,arrive,travel_time_s,status,depart_delay_s\n"));
  g_autofree char *c = slurp(o1, "convergence.csv");
  g_assert_true(g_str_has_prefix(c, "iteration,relative_gap,switched_share,mean_travel_time_s,arrived,stuck,unserved,en_route,"
                                  "left_behind\n1,"));
  g_autofree char *ini = slurp(o1, "run.ini");
  g_assert_nonnull(strstr(ini, "\nseed=1\n"));
  g_assert_nonnull(strstr(ini, "\niterations=4\n"));
  /* the congestion rules of the run, here the defaults (sim/simulate.h) */
  g_assert_nonnull(strstr(ini, "\n[sim]\ninflow_capacity=true\nbackward_wave_kmh=0\ndeparture_queue=true\n"
                               "replanning=gap\n"));
  /* another seed: other travellers switch, so other routes */
  g_autofree char *o3 = g_build_filename(dir, "out3", NULL);
  st = th_test_taihang(NULL, NULL, "run", net, "--trips", trips, "--out", o3, "--iterations", "4", "--gap",
                       "0", "--seed", "2", "-q", NULL);
  g_assert_cmpint(st, ==, 0);
  g_autofree char *f1 = slurp(o1, "link_flows.csv"), *f3 = slurp(o3, "link_flows.csv");
  g_assert_cmpstr(f1, !=, f3);
  /* other rules are recorded as run; without departure queues there is no
   * depart_delay_s column */
  g_autofree char *o4 = g_build_filename(dir, "out4", NULL);
  st = th_test_taihang(NULL, NULL, "run", net, "--trips", trips, "--out", o4, "--iterations", "1",
                       "--inflow-capacity", "false", "--backward-wave", "18", "--departure-queue", "false",
                       "--replanning", "msa", "-q", NULL);
  g_assert_cmpint(st, ==, 0);
  g_autofree char *ini4 = slurp(o4, "run.ini");
  g_assert_nonnull(strstr(ini4, "\n[sim]\ninflow_capacity=false\nbackward_wave_kmh=18\ndeparture_queue=false\n"
                                "replanning=msa\n"));
  g_autofree char *t4 = slurp(o4, "trips_out.csv");
  g_assert_true(g_str_has_prefix(t4, "id,class,mode,origin,destination,depart,arrive,travel_time_s,status\n"));
  th_test_rmtree(dir);
}

/* Runs `taihang run` on a bad trips/classes file: exit 2, every expected
 * message, and no results folder. */
static void bad_run(const char *trips_text, const char *classes_text, const char *const *want,
                    const char *horizon) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *net = write_case(dir, 3, 600, 0, 1, 1);
  g_autofree char *trips = th_test_write(dir, "bad_trips.csv", trips_text);
  g_autofree char *classes = classes_text ? th_test_write(dir, "classes.csv", classes_text) : NULL;
  g_autofree char *o = g_build_filename(dir, "out", NULL);
  g_autofree char *err = NULL;
  int st = classes ? th_test_taihang(NULL, &err, "run", net, "--trips", trips, "--out", o, "--classes", classes,
                                     "--horizon", horizon, "-q", NULL)
                   : th_test_taihang(NULL, &err, "run", net, "--trips", trips, "--out", o, "--horizon", horizon,
                                     "-q", NULL);
  g_assert_cmpint(st, ==, 2);
  for (int i = 0; want[i]; i++) {
    g_autofree char *full = g_strdup_printf(want[i], dir);
    if (!strstr(err, full)) g_error("missing message\n  %s\nin\n%s", full, err);
  }
  g_assert_false(g_file_test(o, G_FILE_TEST_EXISTS));
  th_test_rmtree(dir);
}

static void test_bad_trips(void) {
  /* every problem of the file, each with its line */
  const char *text = "id,origin,destination,depart,class,mode,tonnes\n"
                     "1,1,9,08:00:00,car,,\n"
                     "2,999,9,08:00:00,car,,\n"
                     "3,1,9,25:00:00,car,,\n"
                     "4,1,9,08:00:00,coal,,-5\n"
                     "5,1,9,08:00:00,bicycle,,\n"
                     "6,1,9,08:00:00,car,rail,\n"
                     "6,1,9,8:00,car,,\n"
                     "8,1,777,x,car,,\n"
                     "9,1,9,08:00:00,car,,3\n";
  const char *const want[] = {
    "%s/bad_trips.csv:3: unknown origin '999' (a zone id or node id of the network)",
    "%s/bad_trips.csv:4: depart 25:00:00 is after the horizon of 86400 s",
    "%s/bad_trips.csv:5: negative tonnes -5 (a number >= 0)",
    "%s/bad_trips.csv:6: unknown class 'bicycle' (one of car, truck, coal, ceramics, agri, general, bus, or a class in classes.csv)",
    "%s/bad_trips.csv:7: mode 'rail' cannot be served by this run",
    "%s/bad_trips.csv:8: duplicate trip id 6 (unique ids)",
    "%s/bad_trips.csv:9: unknown destination '777'",
    "%s/bad_trips.csv:9: bad depart 'x' (HH:MM:SS or whole seconds)",
    "%s/bad_trips.csv:10: tonnes given for passenger class 'car'",
    NULL};
  bad_run(text, NULL, want, "24:00:00");
  /* purposes: a word, and for passenger classes only */
  const char *const want_p[] = {
    "%s/bad_trips.csv:3: bad purpose 'day out' (a word of at most 32 letters, digits, '_' or '-'",
    "%s/bad_trips.csv:4: purpose 'work' given for freight class 'coal' (purposes only for "
    "passenger classes; leave it empty)",
    "%s/bad_trips.csv:5: bad purpose 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'",
    NULL};
  bad_run("id,origin,destination,depart,class,tonnes,purpose\n1,1,9,10,car,,work\n"
          "2,1,9,10,car,,day out\n3,1,9,10,coal,5,work\n"
          "4,1,9,10,car,,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
          NULL, want_p, "3600");
  const char *const want_h[] = {"%s/bad_trips.csv:2: depart 3601 is after the horizon of 3600 s", NULL};
  bad_run("id,origin,destination,depart\n1,1,2,3601\n", NULL, want_h, "3600");
  /* ids out of order: a repeat found after the ids stopped ascending */
  const char *const want_dup[] = {"%s/bad_trips.csv:5: duplicate trip id 7 (unique ids)",
                                  "%s/bad_trips.csv:6: duplicate trip id 3 (unique ids)", NULL};
  bad_run("id,origin,destination,depart\n3,1,2,10\n7,1,2,10\n5,1,2,10\n7,1,2,10\n3,1,2,10\n", NULL,
          want_dup, "3600");
  const char *const want_col[] = {"%s/bad_trips.csv:1: missing required column 'depart'", NULL};
  bad_run("id,origin,destination\n1,1,2\n", NULL, want_col, "3600");
}

static void test_bad_classes(void) {
  const char *const want[] = {
    "%s/classes.csv:2: bad pcu '-1' (a number > 0)",
    "%s/classes.csv:3: unknown kind 'boat' (passenger or freight)",
    "%s/classes.csv:4: class 'bus2' defined twice (one row per class)",
    NULL};
  bad_run("id,origin,destination,depart\n1,1,2,0\n",
          "class,kind,pcu,vot_per_h\nbus2,passenger,-1,10\nferry,boat,1,1\nbus2,passenger,2,1\n", want, "3600");
}

/* The congestion options: bad values are usage errors (exit 2, nothing
 * written); with every rule off trips_out.csv has the columns of the model
 * before them, and with departure queues (the default) depart_delay_s. */
static void test_congestion_options(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *net = write_case(dir, 4, 300, 600, 300, 2);
  g_autofree char *trips = g_build_filename(dir, "trips.csv", NULL);
  g_autofree char *o = g_build_filename(dir, "o", NULL);
  const char *bad[][3] = {{"--inflow-capacity", "maybe", "bad --inflow-capacity 'maybe' (true or false)"},
                          {"--departure-queue", "x", "bad --departure-queue 'x' (true or false)"},
                          {"--replanning", "random", "bad --replanning 'random' (msa or gap)"},
                          {"--backward-wave", "-3", "bad --backward-wave '-3' (0 to 200 km/h; 0 for none)"}};
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autofree char *err = NULL;
    int st = th_test_taihang(NULL, &err, "run", net, "--trips", trips, "--out", o, bad[i][0], bad[i][1], "-q", NULL);
    g_assert_cmpint(st, ==, 2);
    g_assert_nonnull(strstr(err, bad[i][2]));
    g_assert_false(g_file_test(o, G_FILE_TEST_EXISTS));
  }
  int st = th_test_taihang(NULL, NULL, "run", net, "--trips", trips, "--out", o, "--inflow-capacity", "false",
                           "--backward-wave", "0", "--departure-queue", "false", "--replanning", "msa", "-q", NULL);
  g_assert_cmpint(st, ==, 0);
  g_autofree char *t = slurp(o, "trips_out.csv");
  g_assert_true(g_str_has_prefix(t, "id,class,mode,origin,destination,depart,arrive,travel_time_s,status\n"));
}

/* --warm-start: day 1 routes on the file's link times, the assignment's
 * "total" row before its class rows; bad files are FILE:LINE errors. */
static void test_warm_start(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *net = write_case(dir, 3, 1800, 0, 1, 1);
  /* node 1 -> node 9 of the 3x3 grid: link 1 is 1->2, link 3 is 1->4 */
  g_autofree char *trips = th_test_write(dir, "trips.csv", "id,origin,destination,depart\n1,1,9,0\n2,1,9,60\n");
  const struct {
    const char *text;
    const char *used, *avoided;
  } cases[] = {
      {"link_id,from,to,class,volume,pcu,time_min,cost\n1,1,2,car,0,0,0.1,0.1\n1,1,2,total,0,0,500,500\n",
       "\n3,1,4,", "\n1,1,2,"},
      {"link_id,mean_travel_time_s\n3,9999\n", "\n1,1,2,", "\n3,1,4,"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *w = th_test_write(dir, "warm.csv", cases[i].text);
    g_autofree char *o = g_build_filename(dir, "out", NULL);
    th_test_rmtree(o);
    g_autofree char *err = NULL;
    int st = th_test_taihang(NULL, &err, "run", net, "--trips", trips, "--out", o, "--iterations", "1",
                             "--warm-start", w, "-q", NULL);
    g_assert_cmpstr(err, ==, "");
    g_assert_cmpint(st, ==, 0);
    g_autofree char *flows = slurp(o, "link_flows.csv");
    if (!strstr(flows, cases[i].used) || strstr(flows, cases[i].avoided))
      g_error("warm start %" G_GSIZE_FORMAT ": expected %s used and %s avoided in\n%s", i, cases[i].used,
              cases[i].avoided, flows);
  }
  /* bad files: every problem with its line, exit 2, no results folder */
  const struct {
    const char *text;
    const char *want[4];
  } bad[] = {
      {"link_id,time_min\n999,1\n1,-3\nx,2\n4,nan\n",
       {"warm.csv:2: unknown link 999 (a link_id of the network)", "warm.csv:3: bad link time '-3' (a number >= 0)",
        "warm.csv:4: bad link_id 'x' (a whole number)", "warm.csv:5: bad link time 'nan' (a number >= 0)"}},
      {"link_id,volume\n1,2\n", {"warm.csv:1: no link time column (travel_time_s, mean_travel_time_s or time_min)"}},
      {"time_min\n1\n", {"warm.csv:1: missing required column 'link_id'"}},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autofree char *w = th_test_write(dir, "warm.csv", bad[i].text);
    g_autofree char *o = g_build_filename(dir, "bad-out", NULL);
    g_autofree char *err = NULL;
    int st = th_test_taihang(NULL, &err, "run", net, "--trips", trips, "--out", o, "--warm-start", w, "-q", NULL);
    g_assert_cmpint(st, ==, 2);
    for (int k = 0; k < 4 && bad[i].want[k]; k++)
      if (!strstr(err, bad[i].want[k])) g_error("missing message\n  %s\nin\n%s", bad[i].want[k], err);
    g_assert_false(g_file_test(o, G_FILE_TEST_EXISTS));
  }
  th_test_rmtree(dir);
}

static void test_classes_and_trips(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *cp = th_test_write(dir, "classes.csv",
                                      "class,kind,pcu,vot_per_h,tonnes_per_vehicle\nvan,freight,1.5,5,2\ncar,passenger,1,45,\n");
  g_autoptr(ThClassTable) c = th_class_table_new();
  g_assert_cmpint(c->n, ==, 7); /* car .. general, and bus (the bus runs of services.csv) */
  g_assert_cmpfloat(c->cls[th_class_table_lookup(c, "truck")].pcu, ==, 2.5);
  g_assert_cmpfloat(c->cls[th_class_table_lookup(c, "bus")].pcu, ==, 2.5);
  g_assert_true(th_class_table_load(c, cp, NULL));
  g_assert_cmpint(c->n, ==, 8);
  int van = th_class_table_lookup(c, "van");
  g_assert_cmpint(c->cls[van].kind, ==, TH_CLASS_FREIGHT);
  g_assert_cmpfloat(c->cls[th_class_table_lookup(c, "car")].vot_per_h, ==, 45);
  /* zones by zone id, nodes by node id; times in both forms; tonnes to trucks */
  ThNetwork *net = th_network_new();
  th_network_add_node(net, 10, NULL, 112, 35, TH_NODE_ZONE, 1, 0, 0, 0, 0);
  th_network_add_node(net, 20, NULL, 112.01, 35, TH_NODE_JUNCTION, -1, 0, 0, 0, 0);
  g_assert_true(th_network_finalize(net, NULL));
  g_autofree char *tp = th_test_write(dir, "trips.csv",
                                      "\xEF\xBB\xBFid,origin,destination,depart,class,tonnes\n"
                                      "7,1,20,07:30:05,van,5\n8,20,10,3600,,\n");
  g_autoptr(ThTrips) t = th_trips_read(tp, net, c, NULL, NULL);
  g_assert_nonnull(t);
  g_assert_cmpint(t->n, ==, 2);
  g_assert_cmpint(t->origin[0], ==, 0);
  g_assert_cmpint(t->origin_zone[0], ==, 0);
  g_assert_cmpint(t->destination_zone[0], ==, -1);
  g_assert_cmpint(t->depart_s[0], ==, 7 * 3600 + 30 * 60 + 5);
  g_assert_cmpint(t->vehicles[0], ==, 3);
  g_assert_cmpfloat(t->pcu[0], ==, 4.5);
  g_assert_cmpint(t->cls[1], ==, th_class_table_lookup(c, "car"));
  g_assert_cmpint(t->destination[1], ==, 0); /* node id 10, which is zone 1 */
  g_assert_cmpstr(th_period_name(7 * 3600), ==, "am");
  g_assert_cmpstr(th_period_name(25 * 3600), ==, "night");
  g_assert_cmpstr(th_period_name(18 * 3600 - 1), ==, "pm");
  th_network_free(net);
  th_test_rmtree(dir);
}

/* A trip's purpose (sim/trips.h) goes from trips.csv to trips_out.csv's last
 * column, and back through th_trips_write; a file without purposes gives
 * the columns it always had. */
static void test_purpose(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *net = write_case(dir, 3, 600, 0, 1, 1);
  g_autofree char *with = th_test_write(dir, "with.csv",
                                        "id,origin,destination,depart,class,tonnes,purpose\n"
                                        "1,1,9,10,car,,work\n2,9,1,20,car,,\n3,1,9,30,coal,5,\n"
                                        "4,2,8,40,car,,tourism\n");
  g_autofree char *without = th_test_write(dir, "without.csv",
                                           "id,origin,destination,depart,class\n1,1,9,10,car\n");
  g_autofree char *o1 = g_build_filename(dir, "o1", NULL), *o2 = g_build_filename(dir, "o2", NULL);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "run", net, "--trips", with, "--out", o1, "-q", NULL), ==, 0);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "run", net, "--trips", without, "--out", o2, "-q", NULL), ==, 0);
  g_autofree char *t1 = slurp(o1, "trips_out.csv"), *t2 = slurp(o2, "trips_out.csv");
  g_auto(GStrv) l1 = g_strsplit(t1, "\n", -1);
  g_assert_true(g_str_has_suffix(l1[0], ",status,depart_delay_s,purpose") ||
                g_str_has_suffix(l1[0], ",purpose"));
  g_assert_true(g_str_has_prefix(l1[1], "1,car,") && g_str_has_suffix(l1[1], ",work"));
  g_assert_true(g_str_has_prefix(l1[2], "2,car,") && g_str_has_suffix(l1[2], ","));
  g_assert_true(g_str_has_prefix(l1[3], "3,coal,") && g_str_has_suffix(l1[3], ","));
  g_assert_true(g_str_has_suffix(l1[4], ",tourism"));
  g_assert_null(strstr(t2, "purpose"));
  /* the reader keeps them; the writer writes them back */
  g_autoptr(ThNetwork) n = th_network_load_opt(net, FALSE, NULL, NULL);
  g_autoptr(ThClassTable) c = th_class_table_new();
  g_autoptr(ThTrips) t = th_trips_read(with, n, c, NULL, NULL);
  g_assert_nonnull(t);
  g_assert_cmpstr(th_trips_purpose(t, 0), ==, "work");
  g_assert_cmpstr(th_trips_purpose(t, 1), ==, "");
  g_assert_cmpstr(th_trips_purpose(t, 3), ==, "tourism");
  g_assert_cmpint(t->purpose_names->len, ==, 2);
  g_autofree char *back = g_build_filename(dir, "back.csv", NULL);
  g_assert_true(th_trips_write(back, t, n, c, NULL));
  g_autofree char *b = slurp(dir, "back.csv");
  g_assert_cmpstr(b, ==, "id,origin,destination,depart,class,mode,tonnes,purpose\n"
                         "1,1,9,00:00:10,car,,,work\n2,9,1,00:00:20,car,,,\n"
                         "3,1,9,00:00:30,coal,,5.000,\n4,2,8,00:00:40,car,,,tourism\n");
  g_autoptr(ThTrips) t0 = th_trips_read(without, n, c, NULL, NULL);
  g_assert_false(th_trips_have_purpose(t0));
  g_assert_true(th_trips_write(back, t0, n, c, NULL));
  g_autofree char *b0 = slurp(dir, "back.csv");
  g_assert_cmpstr(b0, ==, "id,origin,destination,depart,class,mode,tonnes\n1,1,9,00:00:10,car,,\n");
  th_test_rmtree(dir);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/run/free-flow-shortest-paths", test_free_flow);
  g_test_add_func("/run/gap-falls", test_gap_falls);
  g_test_add_func("/run/platoon", test_platoon);
  g_test_add_func("/run/horizon-unserved", test_horizon_unserved);
  g_test_add_func("/run/threads-and-seeds", test_threads_identical);
  g_test_add_func("/run/bad-trips", test_bad_trips);
  g_test_add_func("/run/bad-classes", test_bad_classes);
  g_test_add_func("/run/purpose", test_purpose);
  g_test_add_func("/run/classes-and-trips", test_classes_and_trips);
  g_test_add_func("/run/warm-start", test_warm_start);
  g_test_add_func("/run/congestion-options", test_congestion_options);
  return g_test_run();
}
