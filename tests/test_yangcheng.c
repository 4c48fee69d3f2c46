/* test_yangcheng.c: the shipped Yangcheng scenarios, end to end.
 *  - every shipped scenario passes `taihang check`;
 *  - base 2020 travel times meet the published references within 20 %
 *    (tests/data/yangcheng_reference.csv);
 *  - hsr-yangcheng lowers the best 阳城 -> 郑州 and 阳城 -> 太原 times and
 *    raises rail's passenger share;
 *  - jinyang-8lane lowers the congested peak road time 阳城 <-> 晋城;
 *  - a scenario that changes nothing reproduces the base byte for byte;
 *  - compare's tables have their columns and the runs are reused;
 *  - the door-to-door airport time (sim/airport-access.h) on a hand-computed
 *    network, `compare --airports` on Yangcheng (the HSR brings 郑州新郑
 *    closer) and an unknown airport (exit 2, nothing written);
 *  - tourism as its own purpose (sim/demand-tourism.h) on a hand-computed
 *    case, and the Yangcheng holiday adding 2 x 3.3 x 1.8 million / 365 trips;
 *  - replications: effects.csv has its columns; a copy of the base has no
 *    significant effect, the HSR's rail share effect is significant; fixed
 *    demand gives every scenario the base's trips unless induced = true;
 *  - walk, e-bike and car ownership (base2020-modes): e-bike trips are at
 *    most ebike_max_km long and take length / 15 km/h; the seven mode
 *    shares of indicators.csv (walk and e-bike included) add up to 1; bad car shares and
 *    speeds are refused (FILE:LINE at check; a zone the network lacks at
 *    run, exit 2, nothing written);
 *  - design years: plan2035's freight by commodity, by hand;
 *  - the complete skims of base 2020: skim_road_am_time_min has a value for
 *    every pair of zones the road network connects, and export carries it. */
#include "network/csv.h"
#include "network/load.h"
#include "sim/airport-access.h"
#include "sim/demand-tourism.h"
#include "network/skim.h"
#include "output/results-read.h"
#include "network/th-error.h"
#include "output/compare-write.h"
#include "scenarios/compare.h"
#include "scenarios/run-scenario.h"
#include "sim/transit.h"
#include "tests/testutil.h"

#include <math.h>
#include <string.h>

static char *cmp_dir; /* one compare run shared by the tests */

static const char *shipped[] = {"base2020", "hsr-yangcheng", "yangji-intercity", "jinyang-8lane",
                                "yangyun-expressway", "provincial-roads", "logistics-hubs",
                                "intercity-bus", "plan2025", "base2020-uncalibrated",
                                "houyue-upgrade", "expressway-ring", "airport-access",
                                "passenger-hubs", "scenic-road", "luoyang-bus",
                                "luoyang-bus-holiday", "plan2030", "plan2035", "base2020-tourism",
                                "base2020-tourism-weekend", "base2020-holiday",
                                "scenic-road-on-holiday", "luoyang-bus-free-on-holiday",
                                "intercity-bus-on-holiday", "gongzhuantie", "gongzhuantie-parks",
                                "base2020-modes", NULL};

static char *scenario_path(const char *name) {
  g_autofree char *rel = g_strdup_printf("scenarios/yangcheng/%s.ini", name);
  return th_test_src(rel);
}

static void ensure_compare(void) {
  if (cmp_dir) return;
  cmp_dir = th_test_tmpdir();
  g_autofree char *out = g_build_filename(cmp_dir, "cmp", NULL);
  g_autofree char *b = scenario_path("base2020");
  g_autofree char *h = scenario_path("hsr-yangcheng");
  g_autofree char *j = scenario_path("jinyang-8lane");
  const char *paths[] = {h, j, b};
  ThCompareOptions o = {0, TRUE, NULL, NULL, 0, "郑州新郑机场;242;洛阳北郊机场;244", FALSE};
  g_autoptr(GString) rep = g_string_new(NULL);
  GError *e = NULL;
  g_assert_true(th_compare(b, paths, 2, out, &o, rep, &e));
  g_assert_no_error(e);
  g_assert_nonnull(strstr(rep->str, "biggest travel-time gains"));
}

/* The value of column COL in the first row of FILE (in cmp/) whose columns
 * match KEYS (pairs column, value; NULL-terminated). NAN if none. */
static double lookup(const char *file, const char *col, ...) {
  g_autofree char *p = g_build_filename(cmp_dir, "cmp", file, NULL);
  GError *e = NULL;
  g_autoptr(ThCsv) csv = th_csv_open(p, &e);
  g_assert_no_error(e);
  const char *keys[16];
  int n = 0;
  va_list ap;
  va_start(ap, col);
  const char *k;
  while ((k = va_arg(ap, const char *)) && n < 16) keys[n++] = k;
  va_end(ap);
  int c = th_csv_column(csv, col);
  g_assert_cmpint(c, >=, 0);
  while (th_csv_next(csv, &e)) {
    gboolean match = TRUE;
    for (int i = 0; i + 1 < n && match; i += 2)
      match = !strcmp(th_csv_field(csv, th_csv_column(csv, keys[i])), keys[i + 1]);
    if (!match) continue;
    double v;
    return th_parse_double(th_csv_field(csv, c), &v) ? v : NAN;
  }
  return NAN;
}

static void test_check_all(void) {
  for (int i = 0; shipped[i]; i++) {
    g_autofree char *p = scenario_path(shipped[i]);
    g_autofree char *out = NULL;
    int st = th_test_taihang(&out, NULL, "check", p, NULL);
    if (st != 0) g_error("taihang check %s: exit %d\n%s", p, st, out);
    g_assert_nonnull(strstr(out, "OK (scenario"));
  }
}

/* Station-to-station ride time of the fastest journey from stop A to stop B
 * departing from 06:00 on, minutes. */
static double ride_min(const ThScenarioWorld *w, int64_t a, int64_t b) {
  g_autoptr(ThTransitRouter) r =
      th_transit_router_new(w->net, w->services, w->hubs, TH_SERVICE_PASSENGER, TH_MODE_HSR);
  int n;
  const int *stops = th_transit_router_stops(r, &n);
  g_autofree int *acc = g_new(int, n), *egr = g_new(int, n);
  int va = th_network_node_index(w->net, a), vb = th_network_node_index(w->net, b);
  for (int k = 0; k < n; k++) {
    acc[k] = stops[k] == va ? 0 : -1;
    egr[k] = stops[k] == vb ? 0 : -1;
  }
  double best = INFINITY;
  for (int t = 6 * 3600; t < 20 * 3600; t += 600) {
    ThTransitJourney j;
    th_transit_route(r, t, acc, egr, 30 * 3600, &j);
    if (!j.n_legs) continue;
    int dep = th_run_dep_s(w->services, j.legs[0].run, j.legs[0].board_k);
    best = fmin(best, (j.arrive_s - dep) / 60.0);
  }
  return best;
}

static void test_references(void) {
  ensure_compare();
  g_autofree char *ref = th_test_src("tests/data/yangcheng_reference.csv");
  g_autofree char *bp = scenario_path("base2020");
  GError *e = NULL;
  g_autoptr(ThScenario) sc = th_scenario_load(bp, &e);
  g_assert_no_error(e);
  g_autoptr(ThScenarioWorld) w = th_scenario_world_new(sc, &e);
  g_assert_no_error(e);
  g_autoptr(ThCsv) csv = th_csv_open(ref, &e);
  g_assert_no_error(e);
  int n = 0;
  while (th_csv_next(csv, &e)) {
    const char *from = th_csv_field(csv, 0), *to = th_csv_field(csv, 1),
               *mode = th_csv_field(csv, 2);
    double want;
    g_assert_true(th_parse_double(th_csv_field(csv, 3), &want));
    double got;
    if (!strcmp(mode, "road"))
      /* the base run's morning-peak road time (od_delta base_min) */
      got = lookup("od_delta.csv", "base_min", "scenario", "jinyang-8lane", "origin", from,
                   "destination", to, "mode", "road", NULL);
    else
      got = ride_min(w, g_ascii_strtoll(from, NULL, 10), g_ascii_strtoll(to, NULL, 10));
    g_test_message("%s -> %s %s: %.1f min (reference %.0f)", from, to, mode, got, want);
    if (!(fabs(got - want) <= 0.2 * want))
      g_error("%s -> %s by %s: %.1f min, reference %.0f min (more than 20 %% off)", from, to, mode,
              got, want);
    n++;
  }
  g_assert_no_error(e);
  g_assert_cmpint(n, ==, 5);
}

static void test_hsr(void) {
  ensure_compare();
  for (int k = 0; k < 2; k++) {
    const char *to = k ? "34" : "24"; /* 太原, 郑州 */
    double b = lookup("od_delta.csv", "base_min", "scenario", "hsr-yangcheng", "origin", "1",
                      "destination", to, "mode", "best", NULL);
    double s = lookup("od_delta.csv", "scenario_min", "scenario", "hsr-yangcheng", "origin", "1",
                      "destination", to, "mode", "best", NULL);
    g_test_message("Yangcheng -> %s best: %.1f -> %.1f min", to, b, s);
    g_assert_false(isnan(b) || isnan(s));
    g_assert_cmpfloat(s, <, b - 5);
  }
  double rb = 0, rs = 0;
  const char *cols[] = {"share_rail", "share_hsr", "share_intercity"};
  for (int i = 0; i < 3; i++) {
    rb += lookup("summary.csv", cols[i], "scenario", "base2020", NULL);
    rs += lookup("summary.csv", cols[i], "scenario", "hsr-yangcheng", NULL);
  }
  g_test_message("rail share (rail + hsr + intercity): %.4f -> %.4f", rb, rs);
  g_assert_cmpfloat(rs, >, rb);
}

static void test_jinyang(void) {
  ensure_compare();
  double b = 0, s = 0;
  for (int dir = 0; dir < 2; dir++) {
    const char *o = dir ? "21" : "1", *d = dir ? "1" : "21";
    b += lookup("od_delta.csv", "base_min", "scenario", "jinyang-8lane", "origin", o,
                "destination", d, "mode", "road", NULL);
    s += lookup("od_delta.csv", "scenario_min", "scenario", "jinyang-8lane", "origin", o,
                "destination", d, "mode", "road", NULL);
  }
  g_test_message("Yangcheng <-> Jincheng peak road time, both ways: %.3f -> %.3f min", b, s);
  g_assert_cmpfloat(s, <=, b);
  /* the widened links themselves: vehicle-weighted mean time in the morning
   * (07-09) and evening (17-19) peak bins falls */
  double t[2];
  for (int k = 0; k < 2; k++) {
    g_autofree char *p = g_build_filename(cmp_dir, "cmp", k ? "jinyang-8lane" : "base2020",
                                          "link_flows_bins.csv", NULL);
    GError *e = NULL;
    g_autoptr(ThCsv) csv = th_csv_open(p, &e);
    g_assert_no_error(e);
    int cl = th_csv_column(csv, "link_id"), cb = th_csv_column(csv, "bin_start_s"),
        cv = th_csv_column(csv, "vehicles"), ct = th_csv_column(csv, "mean_travel_time_s");
    double sum = 0, n = 0;
    while (th_csv_next(csv, &e)) {
      int64_t link, bin;
      double v, tt;
      th_parse_int64(th_csv_field(csv, cl), &link);
      th_parse_int64(th_csv_field(csv, cb), &bin);
      if (link != 11 && link != 12 && link != 21 && link != 22) continue;
      if (!((bin >= 7 * 3600 && bin < 9 * 3600) || (bin >= 17 * 3600 && bin < 19 * 3600))) continue;
      if (!th_parse_double(th_csv_field(csv, cv), &v) || !th_parse_double(th_csv_field(csv, ct), &tt))
        continue;
      sum += v * tt;
      n += v;
    }
    g_assert_cmpfloat(n, >, 0);
    t[k] = sum / n;
  }
  g_test_message("S86 peak link time: %.2f -> %.2f s", t[0], t[1]);
  /* the section runs at free flow either way (1,299 s on links 11 and 12);
   * what remains is seconds of delay at its ends, where traffic meets the
   * entry (inflow) capacity of the 4-lane links it feeds, which widening
   * does not change (sim/engine.h): not slower by more than a second */
  g_assert_cmpfloat(t[1], <, t[0] + 1.0);
}

/* Files of a results folder, byte for byte (run.ini: all but the scenario name). */
static void assert_same_dir(const char *a, const char *b) {
  GDir *d = g_dir_open(a, 0, NULL);
  g_assert_nonnull(d);
  const char *n;
  int files = 0;
  while ((n = g_dir_read_name(d))) {
    g_autofree char *pa = g_build_filename(a, n, NULL), *pb = g_build_filename(b, n, NULL);
    if (g_file_test(pa, G_FILE_TEST_IS_DIR)) {
      assert_same_dir(pa, pb);
      continue;
    }
    g_autofree char *ta = NULL, *tb = NULL;
    g_assert_true(g_file_get_contents(pa, &ta, NULL, NULL));
    g_assert_true(g_file_get_contents(pb, &tb, NULL, NULL));
    if (!strcmp(n, "run.ini")) {
      char *x = strstr(ta, "scenario="), *y = strstr(tb, "scenario=");
      g_assert_nonnull(x);
      g_assert_nonnull(y);
      g_assert_cmpstr(strchr(x, '\n'), ==, strchr(y, '\n'));
      *x = *y = 0;
    }
    if (!strcmp(n, "indicators.csv")) {
      /* the same numbers; the row names its scenario (key, name, description) */
      g_auto(GStrv) la = g_strsplit(ta, "\n", 3), lb = g_strsplit(tb, "\n", 3);
      g_assert_cmpstr(la[0], ==, lb[0]);
      g_auto(GStrv) fa = g_strsplit(la[1], ",", 3 + TH_CMP_N), fb = g_strsplit(lb[1], ",", 3 + TH_CMP_N);
      for (int k = 2; k < 2 + TH_CMP_N; k++) g_assert_cmpstr(fa[k], ==, fb[k]);
      files++;
      continue;
    }
    if (strcmp(ta, tb)) g_error("%s and %s differ", pa, pb);
    files++;
  }
  g_dir_close(d);
  g_assert_cmpint(files, >, 0);
}

static void test_nochange(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *bp = scenario_path("base2020");
  /* a patch that sets a value to what it is, through a separate file chain */
  g_autofree char *patch = th_test_write(dir, "same.csv", "link_id,capacity,action\n11,2800,change\n");
  g_autofree char *ini = g_strdup_printf("[scenario]\nname = nochange\nbase = %s\n[network]\n"
                                         "patches = same.csv\n", bp);
  g_autofree char *np = th_test_write(dir, "nochange.ini", ini);
  GError *e = NULL;
  g_autoptr(ThScenario) a = th_scenario_load(bp, &e);
  g_assert_no_error(e);
  g_autoptr(ThScenario) b = th_scenario_load(np, &e);
  g_assert_no_error(e);
  g_autofree char *fa = th_scenario_fingerprint(a), *fb = th_scenario_fingerprint(b);
  g_assert_cmpstr(fa, ==, fb);
  /* two separate runs (not a shared one), written separately */
  ThScenarioRunOptions o = {NULL, TRUE, FALSE, 1, NULL, NULL};
  g_autoptr(ThScenarioResult) ra = th_scenario_run(a, &o, &e);
  g_assert_no_error(e);
  ThScenarioRunOptions o2 = {NULL, TRUE, FALSE, 2, NULL, NULL};
  g_autoptr(ThScenarioResult) rb = th_scenario_run(b, &o2, &e);
  g_assert_no_error(e);
  g_autofree char *da = g_build_filename(dir, "a", NULL), *db = g_build_filename(dir, "b", NULL);
  g_assert_true(th_scenario_result_write(a, ra, da, FALSE, &e));
  g_assert_true(th_scenario_result_write(b, rb, db, FALSE, &e));
  assert_same_dir(da, db);
  assert_same_dir(db, da);
  th_test_rmtree(dir);
}

static void test_tables(void) {
  ensure_compare();
  g_autofree char *p = g_build_filename(cmp_dir, "cmp", "summary.csv", NULL);
  g_autofree char *text = NULL;
  g_assert_true(g_file_get_contents(p, &text, NULL, NULL));
  g_assert_true(g_str_has_prefix(text, "scenario,name,trips,arrived,"));
  /* base first, then the scenarios in the order given */
  char *l2 = strchr(text, '\n') + 1;
  g_assert_true(g_str_has_prefix(l2, "base2020,"));
  g_assert_nonnull(strstr(text, "\nhsr-yangcheng,"));
  g_autofree char *od = g_build_filename(cmp_dir, "cmp", "od_delta.csv", NULL);
  g_autofree char *odt = NULL;
  g_assert_true(g_file_get_contents(od, &odt, NULL, NULL));
  g_assert_true(g_str_has_prefix(odt, "scenario,origin,origin_name,destination,destination_name,"
                                      "mode,base_min,scenario_min,delta_min\n"));
  g_assert_nonnull(strstr(odt, "\nhsr-yangcheng,1,阳城(凤城),24,郑州,best,"));
  g_autofree char *acc = g_build_filename(cmp_dir, "cmp", "accessibility.csv", NULL);
  g_autofree char *acct = NULL;
  g_assert_true(g_file_get_contents(acc, &acct, NULL, NULL));
  g_assert_true(g_str_has_prefix(acct, "scenario,zone,zone_name,population,pop_60_base,"
                                       "pop_60_scenario,pop_120_base,pop_120_scenario,"
                                       "to_洛阳_base_min,to_洛阳_scenario_min,"
                                       "to_郑州_base_min,to_郑州_scenario_min\n"));
  /* each scenario has a results folder a map can draw */
  for (int i = 0; i < 3; i++) {
    const char *k = i == 0 ? "base2020" : i == 1 ? "hsr-yangcheng" : "jinyang-8lane";
    g_autofree char *f = g_build_filename(cmp_dir, "cmp", k, "network", "link.csv", NULL);
    g_autofree char *t = g_build_filename(cmp_dir, "cmp", k, "link_flows.csv", NULL);
    g_assert_true(g_file_test(f, G_FILE_TEST_EXISTS));
    g_assert_true(g_file_test(t, G_FILE_TEST_EXISTS));
  }
  /* the base's own accessibility: 阳城 reaches its own people within 60 min */
  double pop60 = lookup("accessibility.csv", "pop_60_base", "scenario", "hsr-yangcheng", "zone",
                        "1", NULL);
  g_assert_cmpfloat(pop60, >=, 366800 - 1);
}

/* Hand-computed: towns A (zone 1) and B (zone 2) 60 km apart at 60 km/h,
 * the airport X 10 km beyond B; a best-mode table says A -> B takes 30 min
 * (a train). A -> X = min(drive 70, train 30 + drive 10) = 40 min; B -> X =
 * 10. With the B -> X link at 20 min (peak times): 50 and 20. */
static void test_airport_rule(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *nd = g_build_filename(dir, "net", NULL);
  g_mkdir_with_parents(nd, 0755);
  g_free(th_test_write(nd, "node.csv",
                       "node_id,name,x_coord,y_coord,node_type,zone_id,population,gdp,jobs,source\n"
                       "1,A,112.0,35.0,town,1,1000,1,,E\n"
                       "2,B,112.6,35.0,town,2,1000,1,,E\n"
                       "9,X,112.7,35.0,junction,,,,,E\n"));
  g_free(th_test_write(nd, "link.csv",
                       "link_id,from_node_id,to_node_id,name,facility_type,allowed_uses,length,"
                       "free_speed,capacity,lanes,source\n"
                       "1,1,2,ab,provincial,road,60,60,1000,1,E\n"
                       "2,2,1,ab,provincial,road,60,60,1000,1,E\n"
                       "3,2,9,bx,provincial,road,10,60,1000,1,E\n"
                       "4,9,2,bx,provincial,road,10,60,1000,1,E\n"));
  GError *e = NULL;
  g_autoptr(ThNetwork) net = th_network_load(nd, &e);
  g_assert_no_error(e);
  g_assert_cmpint(net->n_zones, ==, 2);
  ThModeSkim sk = {.n_zones = 2, .time_min = g_new(double, TH_SKIM_N_MODES * 4)};
  for (int i = 0; i < TH_SKIM_N_MODES * 4; i++) sk.time_min[i] = NAN;
  int za = 0, zb = 1; /* zone indices in the order of the file */
  g_assert_cmpint(net->zone_id[za], ==, 1);
  sk.time_min[(TH_SKIM_BEST * 2 + za) * 2 + zb] = 30;
  sk.time_min[(TH_SKIM_BEST * 2 + zb) * 2 + za] = 30;
  int x = th_network_node_index(net, 9);
  g_autofree double *m = th_airport_access_new(net, &sk, NULL, &x, 1);
  g_assert_cmpfloat_with_epsilon(m[za], 40, 1e-9);
  g_assert_cmpfloat_with_epsilon(m[zb], 10, 1e-9);
  g_autofree double *t = g_new(double, net->n_links);
  for (int k = 0; k < net->n_links; k++) t[k] = NAN; /* free flow */
  for (int k = 0; k < net->n_links; k++)
    if (net->link_from[k] == th_network_node_index(net, 2) && net->link_to[k] == x) t[k] = 1200;
  g_autofree double *m2 = th_airport_access_new(net, &sk, t, &x, 1);
  g_assert_cmpfloat_with_epsilon(m2[za], 50, 1e-9);
  g_assert_cmpfloat_with_epsilon(m2[zb], 20, 1e-9);
  g_free(sk.time_min);
  th_test_rmtree(dir);
}

/* compare --airports on Yangcheng: every zone and airport, and the HSR
 * brings 阳城 closer to 郑州新郑, 太原武宿 and 运城关公. */
static void test_airports(void) {
  ensure_compare();
  g_autofree char *p = g_build_filename(cmp_dir, "cmp", "airports.csv", NULL);
  g_autofree char *text = NULL;
  g_assert_true(g_file_get_contents(p, &text, NULL, NULL));
  g_assert_true(g_str_has_prefix(text, "scenario,zone,zone_name,airport,airport_name,base_min,"
                                       "scenario_min,delta_min\n"));
  int rows = 0;
  for (const char *c = text; *c; c++) rows += *c == '\n';
  g_assert_cmpint(rows, ==, 1 + 2 * 33 * 4);
  for (int k = 0; k < 4; k++) {
    const char *id = k == 0 ? "241" : k == 1 ? "242" : k == 2 ? "243" : "244";
    double b = lookup("airports.csv", "base_min", "scenario", "hsr-yangcheng", "zone", "1",
                      "airport", id, NULL);
    double s = lookup("airports.csv", "scenario_min", "scenario", "hsr-yangcheng", "zone", "1",
                      "airport", id, NULL);
    g_test_message("阳城 -> airport %s: %.1f -> %.1f min", id, b, s);
    g_assert_false(isnan(b) || isnan(s));
    g_assert_cmpfloat(b, >, 30);
    /* the HSR serves 郑州, 太原 and 运城 (via 侯马西); 洛阳 only moves with
     * the peak's congestion */
    if (k == 2) g_assert_cmpfloat(fabs(s - b), <, 5);
    else g_assert_cmpfloat(s, <, b - 5);
  }
  double b = lookup("airports.csv", "base_min", "scenario", "hsr-yangcheng", "zone", "1",
                    "airport", "241", NULL);
  double s = lookup("airports.csv", "scenario_min", "scenario", "hsr-yangcheng", "zone", "1",
                    "airport", "241", NULL);
  g_assert_cmpfloat(s, <, b - 5);
}

/* An airport that is not a node: exit 2, no results folder. */
static void test_airports_bad(void) {
  g_autofree char *base = th_test_src("tests/data/sweep/base.ini");
  g_autofree char *proj = th_test_src("tests/data/sweep/extra-lane.ini");
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *out = g_build_filename(dir, "cmp", NULL);
  g_autofree char *err = NULL;
  g_assert_cmpint(th_test_taihang(NULL, &err, "compare", base, proj, "--out", out, "-q",
                                  "--to", "1", "--airports", "Centre;新郑", NULL),
                  ==, 2);
  g_assert_nonnull(strstr(err, "--airports: '新郑' is not a node of"));
  g_assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
  g_assert_cmpint(th_test_taihang(NULL, NULL, "compare", base, proj, "--out", out, "-q",
                                  "--to", "1", "--airports", "Centre;1", NULL),
                  ==, 0);
  g_autofree char *air = g_build_filename(out, "airports.csv", NULL);
  g_assert_true(g_file_test(air, G_FILE_TEST_EXISTS));
  th_test_rmtree(dir);
}

/* Hand-computed: site S (365,000 visitors a year) and towns A and B of 1,000
 * people at 10 and 20 generalized minutes, beta 0.1. A weekday (0.6) brings
 * 600 visitors: A sends 600 e^-1 / (e^-1 + e^-2) = 438.635, B 161.365; each
 * makes the return trip (1,200 trips expected). Sample 1 draws 438 or 439 and
 * 161 or 162 visitors, out in 07-11 h and back in 14-19 h; the same seed
 * draws the same trips. */
static void test_tourism_rule(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *nd = g_build_filename(dir, "net", NULL);
  g_mkdir_with_parents(nd, 0755);
  g_free(th_test_write(nd, "node.csv",
                       "node_id,name,x_coord,y_coord,node_type,zone_id,population,gdp,jobs,source\n"
                       "1,S,112.0,35.0,town,1,500,1,,E\n"
                       "2,A,112.1,35.0,town,2,1000,1,,E\n"
                       "3,B,112.2,35.0,town,3,1000,1,,E\n"));
  g_free(th_test_write(nd, "link.csv",
                       "link_id,from_node_id,to_node_id,name,facility_type,allowed_uses,length,"
                       "free_speed,capacity,lanes,source\n"
                       "1,1,2,a,provincial,road,10,60,1000,1,E\n2,2,1,a,provincial,road,10,60,1000,1,E\n"
                       "3,2,3,b,provincial,road,10,60,1000,1,E\n4,3,2,b,provincial,road,10,60,1000,1,E\n"));
  GError *e = NULL;
  g_autoptr(ThNetwork) net = th_network_load(nd, &e);
  g_assert_no_error(e);
  g_autoptr(ThClassTable) ct = th_class_table_new();
  /* generalized minutes, zones S, A, B */
  const double cost[9] = {0, 10, 20, 10, 0, 10, 20, 10, 0};
  double annual[3] = {365000, 0, 0};
  ThTourismParams tp = {7, 1.0, TH_DAY_WEEKDAY, 0.1, annual, NULL};
  for (int rep = 0; rep < 2; rep++) {
    g_autoptr(ThTrips) t = th_trips_new(NULL);
    int64_t next = 1;
    double x = th_demand_tourism_add(net, ct, cost, &tp, t, &next);
    g_assert_cmpfloat_with_epsilon(x, 1200, 1e-9);
    g_assert_cmpint(next, ==, t->n + 1);
    int from_a = 0, from_b = 0, to_a = 0, to_b = 0;
    int s = th_network_node_index(net, 1), a = th_network_node_index(net, 2),
        b = th_network_node_index(net, 3);
    for (int i = 0; i < t->n; i++) {
      g_assert_cmpstr(th_trips_purpose(t, i), ==, "tourism");
      gboolean out = t->destination[i] == s;
      if (out) {
        g_assert_cmpint(t->depart_s[i], >=, 7 * 3600);
        g_assert_cmpint(t->depart_s[i], <, 11 * 3600);
        from_a += t->origin[i] == a;
        from_b += t->origin[i] == b;
      } else {
        g_assert_cmpint(t->origin[i], ==, s);
        g_assert_cmpint(t->depart_s[i], >=, 14 * 3600);
        g_assert_cmpint(t->depart_s[i], <, 19 * 3600);
        to_a += t->destination[i] == a;
        to_b += t->destination[i] == b;
      }
    }
    g_assert_cmpint(from_a, ==, to_a);
    g_assert_cmpint(from_b, ==, to_b);
    g_assert_true(from_a == 438 || from_a == 439);
    g_assert_true(from_b == 161 || from_b == 162);
    g_assert_cmpint(t->n, ==, 2 * (from_a + from_b));
    static int first_a = -1;
    if (rep == 0) first_a = from_a;
    else g_assert_cmpint(from_a, ==, first_a);
  }
  g_assert_cmpfloat_with_epsilon(th_day_type_factor(TH_DAY_HOLIDAY), 3.3, 1e-12);
  g_assert_cmpint(th_day_type_lookup("weekend"), ==, TH_DAY_WEEKEND);
  g_assert_cmpint(th_day_type_lookup("Sunday"), ==, -1);
  th_test_rmtree(dir);
}

/* The Yangcheng holiday: 1.8 million visitors a year x 3.3 / 365 x 2 trips
 * more than the base; a bad day type is refused at check. */
static void test_tourism_yangcheng(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *tb = g_build_filename(dir, "b.csv", NULL);
  g_autofree char *th = g_build_filename(dir, "h.csv", NULL);
  g_autofree char *b = scenario_path("base2020");
  g_autofree char *h = scenario_path("base2020-holiday");
  g_autofree char *ob = NULL, *oh = NULL;
  g_assert_cmpint(th_test_taihang(&ob, NULL, "demand", b, "--out", tb, NULL), ==, 0);
  g_assert_cmpint(th_test_taihang(&oh, NULL, "demand", h, "--out", th, NULL), ==, 0);
  double pb = g_ascii_strtod(strstr(ob, "drawn from ") + 11, NULL);
  double ph = g_ascii_strtod(strstr(oh, "drawn from ") + 11, NULL);
  g_test_message("person trips a day: base %.0f, holiday %.0f", pb, ph);
  g_assert_cmpfloat(fabs(ph - pb - 2 * 1800000.0 * 3.3 / 365), <, 1.0);
  g_autofree char *ini = g_strdup_printf("[scenario]\nbase = %s\n[demand]\ntourism_day = Sunday\n", h);
  g_autofree char *bp = th_test_write(dir, "bad.ini", ini);
  g_autofree char *err = NULL;
  g_assert_cmpint(th_test_taihang(NULL, &err, "demand", bp, "--out", tb, NULL), ==, 2);
  g_assert_nonnull(strstr(err, "tourism_day = 'Sunday' is not a day type (weekday, weekend or holiday)"));
  th_test_rmtree(dir);
}

/* The value of column COL in the row of CSV file PATH whose column KEY_COL is
 * KEY (and, if KEY2_COL is non-NULL, KEY2_COL is KEY2); the field as text. */
static char *field_of(const char *path, const char *col, const char *key_col, const char *key,
                      const char *key2_col, const char *key2) {
  GError *e = NULL;
  g_autoptr(ThCsv) csv = th_csv_open(path, &e);
  g_assert_no_error(e);
  int c = th_csv_column(csv, col), k = th_csv_column(csv, key_col),
      k2 = key2_col ? th_csv_column(csv, key2_col) : -1;
  g_assert_cmpint(c, >=, 0);
  while (th_csv_next(csv, &e))
    if (!strcmp(th_csv_field(csv, k), key) && (k2 < 0 || !strcmp(th_csv_field(csv, k2), key2)))
      return g_strdup(th_csv_field(csv, c));
  return NULL;
}

static void test_replications(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *bp = scenario_path("base2020");
  g_autofree char *hp = scenario_path("hsr-yangcheng");
  g_autofree char *yp = scenario_path("yangyun-expressway");
  g_autofree char *copy = g_strdup_printf("[scenario]\nname = copy\nbase = %s\n", bp);
  g_autofree char *cp = th_test_write(dir, "copy.ini", copy);
  g_autofree char *ind = g_strdup_printf("[scenario]\nname = yangyun-induced\nbase = %s\n[demand]\n"
                                         "induced = true\n", yp);
  g_autofree char *ip = th_test_write(dir, "yangyun-induced.ini", ind);
  g_autofree char *out = g_build_filename(dir, "cmp", NULL);
  const char *paths[] = {cp, hp, yp, ip};
  ThCompareOptions o = {0, TRUE, NULL, NULL, 3, NULL, FALSE};
  g_autoptr(GString) rep = g_string_new(NULL);
  GError *e = NULL;
  g_assert_true(th_compare(bp, paths, 4, out, &o, rep, &e));
  g_assert_no_error(e);
  g_assert_nonnull(strstr(rep->str, "3 replications (seeds 2020-2022"));
  g_assert_nonnull(strstr(rep->str, "not distinguishable from noise"));
  /* effects by market; the gains leave out pairs whose modes differ between
   * the runs (太原 -> 阳城 gains HSR, so its -90 min is not a like-for-like gain) */
  g_assert_nonnull(strstr(rep->str, "door-to-door time by market (best mode, morning peak, "
                                    "weighted by the base's trips): within the study area "));
  g_assert_null(strstr(rep->str, "    太原 -> 阳城(凤城): "));
  g_autofree char *eff = g_build_filename(out, "effects.csv", NULL);
  g_autofree char *text = NULL;
  g_assert_true(g_file_get_contents(eff, &text, NULL, NULL));
  g_assert_true(g_str_has_prefix(text, "scenario,indicator,base_mean,scenario_mean,effect,ci_low,"
                                       "ci_high,significant\n"));
  /* the copy: no indicator moves */
  for (int i = 0; i < TH_CMP_N; i++) {
    g_autofree char *sig = field_of(eff, "significant", "scenario", "copy", "indicator",
                                    th_compare_indicator_name(i));
    g_assert_cmpstr(sig, ==, "false");
  }
  /* the HSR moves passengers from road to rail beyond the noise: with access
   * by walk, bike or a car to a park-and-ride station no farther than the
   * longest ride (sim/access.h), few in the base reach 晋城东 (HSR 0.55 %),
   * and the new 阳城南 and 皇城相府 stations raise the HSR share to about
   * 12 % (before the access rules the base drove to any station: HSR 14 %,
   * and the project moved conventional rail instead) */
  g_autofree char *rs =
      field_of(eff, "significant", "scenario", "hsr-yangcheng", "indicator", "share_hsr");
  g_autofree char *rlo =
      field_of(eff, "ci_low", "scenario", "hsr-yangcheng", "indicator", "share_hsr");
  g_autofree char *ds = field_of(eff, "significant", "scenario", "hsr-yangcheng", "indicator",
                                 "share_road");
  g_autofree char *dhi = field_of(eff, "ci_high", "scenario", "hsr-yangcheng", "indicator",
                                  "share_road");
  g_assert_cmpstr(rs, ==, "true");
  g_assert_cmpfloat(g_ascii_strtod(rlo, NULL), >, 0);
  g_assert_cmpstr(ds, ==, "true");
  g_assert_cmpfloat(g_ascii_strtod(dhi, NULL), <, 0);
  /* summary: means with standard errors; fixed demand keeps the base's trips */
  g_autofree char *sum = g_build_filename(out, "summary.csv", NULL);
  g_autofree char *tb = field_of(sum, "trips", "scenario", "base2020", NULL, NULL);
  g_autofree char *th = field_of(sum, "trips", "scenario", "hsr-yangcheng", NULL, NULL);
  g_autofree char *ty = field_of(sum, "trips", "scenario", "yangyun-expressway", NULL, NULL);
  g_autofree char *ti = field_of(sum, "trips", "scenario", "yangyun-induced", NULL, NULL);
  g_autofree char *dy = field_of(sum, "demand", "scenario", "yangyun-expressway", NULL, NULL);
  g_autofree char *di = field_of(sum, "demand", "scenario", "yangyun-induced", NULL, NULL);
  g_autofree char *nr = field_of(sum, "replications", "scenario", "base2020", NULL, NULL);
  g_autofree char *se = field_of(sum, "co2_t_se", "scenario", "base2020", NULL, NULL);
  g_test_message("trips: base %s, hsr %s, yangyun %s, yangyun induced %s; base co2 se %s", tb, th,
                 ty, ti, se);
  g_assert_cmpstr(th, ==, tb);
  g_assert_cmpstr(ty, ==, tb);
  g_assert_cmpstr(ti, !=, tb);
  g_assert_cmpstr(dy, ==, "fixed");
  g_assert_cmpstr(di, ==, "induced");
  g_assert_cmpstr(nr, ==, "3");
  g_assert_cmpfloat(g_ascii_strtod(se, NULL), >, 0);
  /* appraisal.csv: every replication appraised against the base of its
   * seed; time benefits by class and purpose; NPV and BCR with intervals
   * for a project with costs; the copy gains nothing in any replication */
  g_autofree char *app = g_build_filename(out, "appraisal.csv", NULL);
  g_autofree char *atext = NULL;
  g_assert_true(g_file_get_contents(app, &atext, NULL, NULL));
  g_assert_true(g_str_has_prefix(atext, "scenario,item,class,purpose,unit,replications,mean,ci_low,"
                                        "ci_high,significant\n"));
  g_assert_nonnull(strstr(atext, "\ncopy,time,car,work,yuan_per_day,3,0.00,0.00,0.00,false\n"));
  g_assert_nonnull(strstr(atext, "\ncopy,daily_benefit,,,yuan_per_day,3,0.00,0.00,0.00,false\n"));
  g_assert_null(strstr(atext, "\ncopy,npv,")); /* no cost: not appraised */
  g_assert_nonnull(strstr(atext, "\nhsr-yangcheng,time,car,other,yuan_per_day,3,"));
  g_autofree char *nlo = field_of(app, "ci_low", "scenario", "hsr-yangcheng", "item", "npv");
  g_autofree char *nhi = field_of(app, "ci_high", "scenario", "hsr-yangcheng", "item", "npv");
  g_autofree char *nm = field_of(app, "mean", "scenario", "hsr-yangcheng", "item", "npv");
  g_autofree char *bm = field_of(app, "mean", "scenario", "hsr-yangcheng", "item", "bcr");
  g_autofree char *blo = field_of(app, "ci_low", "scenario", "hsr-yangcheng", "item", "bcr");
  g_test_message("hsr-yangcheng NPV %s [%s, %s] yuan, BCR %s (low %s)", nm, nlo, nhi, bm, blo);
  g_assert_cmpfloat(g_ascii_strtod(nlo, NULL), <, g_ascii_strtod(nm, NULL));
  g_assert_cmpfloat(g_ascii_strtod(nm, NULL), <, g_ascii_strtod(nhi, NULL));
  g_assert_cmpfloat(g_ascii_strtod(blo, NULL), <, g_ascii_strtod(bm, NULL));
  th_test_rmtree(dir);
}

/* Capacity feedback at full sample: base2020 with every trip and every seat
 * ends with under 1 % of its trips stuck or unserved, and its gap counts
 * them. */
static void test_full_sample(void) {
  g_autofree char *bp = scenario_path("base2020");
  GError *e = NULL;
  g_autoptr(ThScenario) sc = th_scenario_load(bp, &e);
  g_assert_no_error(e);
  g_assert_true(th_scenario_set(sc, "demand.sample", "1", &e));
  g_assert_true(th_scenario_set(sc, "sim.sample_factor", "1", &e));
  ThScenarioRunOptions o = {NULL, TRUE, FALSE, 0, NULL, NULL};
  g_autoptr(ThScenarioResult) r = th_scenario_run(sc, &o, &e);
  g_assert_no_error(e);
  const ThRunResults *run = r->run;
  int n = r->trips->n;
  double bad = (double)(run->stuck + run->unserved) / n;
  const ThIterStats *first = &g_array_index(run->convergence, ThIterStats, 0);
  g_test_message("full sample: %d trips, %" G_GINT64_FORMAT " stuck, %" G_GINT64_FORMAT
                 " unserved (%.2f %%), gap %.4f (first iteration: %" G_GINT64_FORMAT " stuck, gap %.3f)",
                 n, run->stuck, run->unserved, 100 * bad, run->relative_gap, first->stuck,
                 first->relative_gap);
  g_assert_cmpint(n, >, 150000);
  g_assert_cmpfloat(bad, <, 0.01);
  g_assert_cmpfloat(run->relative_gap, >=, bad);
  g_assert_cmpfloat(first->relative_gap, >=, (double)first->stuck / n);
}

/* skims.csv of base2020 (from the compare folder): no off-diagonal empty
 * cell in skim_road_am_time_min where a free-flow road path exists, none
 * where it does not; transit skims exist; export --matrix-dir writes them. */
static void test_skims(void) {
  ensure_compare();
  g_autofree char *dir = g_build_filename(cmp_dir, "cmp", "base2020", NULL);
  GError *e = NULL;
  g_autoptr(ThResults) r = th_results_read(dir, &e);
  g_assert_no_error(e);
  g_autoptr(ThOdTimeMatrices) t = th_od_time_matrices_read(r, &e);
  g_assert_no_error(e);
  const ThOdMatrix *road = NULL, *rail = NULL, *obs = NULL;
  for (guint i = 0; i < t->mats->len; i++) {
    const ThOdMatrix *m = t->mats->pdata[i];
    if (!strcmp(m->period, "am") && !strcmp(m->mode, "skim_road")) road = m;
    if (!strcmp(m->period, "day") && !strcmp(m->mode, "skim_rail")) rail = m;
    if (!strcmp(m->period, "day") && !strcmp(m->mode, "observed_road")) obs = m;
  }
  g_assert_nonnull(road);
  g_assert_nonnull(rail);
  g_assert_nonnull(obs);
  g_assert_null(obs->wait_min);
  g_assert_nonnull(rail->wait_min);
  const ThNetwork *net = r->net;
  ThSkimParams sp;
  th_skim_params_init(&sp);
  g_autoptr(ThSkimTable) ff = th_skim_table_new(net, &sp, NULL, 0);
  int n = net->n_zones, connected = 0, rail_served = 0;
  for (int o = 0; o < n; o++)
    for (int d = 0; d < n; d++) {
      size_t c = (size_t)o * n + d;
      if (o == d) continue;
      gboolean reach = isfinite(ff->time_min[c]);
      g_assert_cmpint(reach, ==, isfinite(road->time_min[c]));
      if (reach) {
        connected++;
        /* loaded times are never below free flow (rounding aside) */
        g_assert_cmpfloat(road->time_min[c], >=, ff->time_min[c] - 1e-3);
        g_assert_true(isfinite(road->distance_km[c]) && road->distance_km[c] > 0);
      }
      rail_served += isfinite(rail->time_min[c]);
    }
  g_assert_cmpint(connected, >, n * (n - 1) / 2);
  g_assert_cmpint(rail_served, >, 0);
  g_autofree char *md = g_build_filename(cmp_dir, "matrices", NULL);
  int st = th_test_taihang(NULL, NULL, "export", dir, "--matrix-dir", md, NULL);
  g_assert_cmpint(st, ==, 0);
  g_autofree char *f = g_build_filename(md, "skim_road_am_time_min.csv", NULL);
  g_autofree char *f2 = g_build_filename(md, "skim_bus_am_transfers.csv", NULL);
  g_autofree char *f3 = g_build_filename(md, "observed_road_day_time_min.csv", NULL);
  g_assert_true(g_file_test(f, G_FILE_TEST_IS_REGULAR));
  g_assert_true(g_file_test(f2, G_FILE_TEST_IS_REGULAR));
  g_assert_true(g_file_test(f3, G_FILE_TEST_IS_REGULAR));
}

/* base2020-modes: every e-bike trip is at most 20 km and takes its length
 * at 15 km/h (to the second); walkers at most 5 km; bad inputs are refused. */
static void test_modes_yangcheng(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *m = scenario_path("base2020-modes");
  g_autofree char *out = g_build_filename(dir, "modes", NULL);
  g_assert_cmpint(th_test_taihang(NULL, NULL, "run", m, "--out", out, "-q", "--set",
                                  "sim.choice_iterations=2", "--set", "sim.iterations=2", NULL),
                  ==, 0);
  g_autofree char *tp = g_build_filename(out, "trips_out.csv", NULL);
  GError *e = NULL;
  g_autoptr(ThCsv) csv = th_csv_open(tp, &e);
  g_assert_no_error(e);
  int c_mode = th_csv_column(csv, "mode"), c_tt = th_csv_column(csv, "travel_time_s");
  g_assert_cmpint(c_mode, >=, 0);
  int n_ebike = 0, n = 0;
  while (th_csv_next(csv, &e)) {
    n++;
    const char *md = th_csv_field(csv, c_mode);
    double tt = g_ascii_strtod(th_csv_field(csv, c_tt), NULL);
    if (!strcmp(md, "ebike")) {
      n_ebike++;
      g_assert_cmpfloat(tt, <=, 20.0 / 15.0 * 3600 + 0.5);
    } else if (!strcmp(md, "walk")) {
      g_assert_cmpfloat(tt, <=, 5.0 / 4.5 * 3600 + 0.5);
    }
  }
  g_assert_no_error(e);
  g_test_message("e-bike trips %d of %d", n_ebike, n);
  g_assert_cmpint(n_ebike, >, n / 20);
  /* indicators.csv (compare's summary.csv row): the seven passenger shares,
   * walk and e-bike included, add up to 1, and share_ebike is the e-bike
   * trips of trips_out.csv over the passenger trips (0.1 sample, none
   * unserved; shares printed to 4 decimals) */
  g_autofree char *ip = g_build_filename(out, "indicators.csv", NULL);
  g_autoptr(ThCsv) ind = th_csv_open(ip, &e);
  g_assert_no_error(e);
  g_assert_true(th_csv_next(ind, &e));
  const char *shares[] = {"share_road", "share_bus", "share_rail", "share_hsr",
                          "share_intercity", "share_walk", "share_ebike"};
  double sum = 0;
  for (int i = 0; i < 7; i++) {
    int col = th_csv_column(ind, shares[i]);
    g_assert_cmpint(col, >=, 0);
    sum += g_ascii_strtod(th_csv_field(ind, col), NULL);
  }
  g_assert_cmpfloat(fabs(sum - 1), <, 5e-4);
  g_assert_cmpstr(th_csv_field(ind, th_csv_column(ind, "unserved")), ==, "0");
  double sh_e = g_ascii_strtod(th_csv_field(ind, th_csv_column(ind, "share_ebike")), NULL);
  double n_pass = 0.1 * g_ascii_strtod(th_csv_field(ind, th_csv_column(ind, "passenger_trips")), NULL);
  g_assert_cmpfloat(fabs(sh_e * n_pass - n_ebike), <, 2);
  /* bad values: FILE:LINE at check */
  g_autofree char *ini_a = g_strdup_printf("[scenario]\nbase = %s\n[demand]\ncar_share = 1.5\n"
                                           "[sim]\nwalk_max_km = -1\n", m);
  g_autofree char *a = th_test_write(dir, "a.ini", ini_a);
  g_autofree char *err = NULL, *sout = NULL;
  g_assert_cmpint(th_test_taihang(&sout, &err, "check", a, NULL), ==, 2);
  g_autofree char *both = g_strconcat(sout, err, NULL);
  g_assert_nonnull(strstr(both, "a.ini:4: [demand] car_share = '1.5' is not a number (a share from 0 to 1)"));
  g_assert_nonnull(strstr(both, "a.ini:6: [sim] walk_max_km = '-1'"));
  g_clear_pointer(&err, g_free);
  /* a zone the network lacks, a share that is not one: at run, nothing written */
  g_autofree char *ini_b = g_strdup_printf("[scenario]\nbase = %s\n[demand]\n"
                                           "car_share_zones = 1:0.4;Atlantis:0.3;2:x\n", m);
  g_autofree char *b = th_test_write(dir, "b.ini", ini_b);
  g_autofree char *out_b = g_build_filename(dir, "bad", NULL);
  g_assert_cmpint(th_test_taihang(NULL, &err, "run", b, "--out", out_b, "-q", NULL), ==, 2);
  g_assert_nonnull(strstr(err, "b.ini: [demand] car_share_zones names zone 'Atlantis', which the "
                               "network does not have"));
  g_assert_nonnull(strstr(err, "car_share_zones: '2:x' has no share from 0 to 1"));
  g_assert_false(g_file_test(out_b, G_FILE_TEST_EXISTS));
  th_test_rmtree(dir);
}

/* Design years (README, "Design years"): plan2035's freight is coal 101,000
 * x 1.076 + ceramics 2,500 x 1.05^15 + agri 900 x 1.01^15 + general 6,000 x
 * 1.05^15 = 127,392 t a day (4 %/year for all gave 198,824). */
static void test_design_years(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *p = scenario_path("plan2035");
  g_autofree char *tp = g_build_filename(dir, "t.csv", NULL);
  g_autofree char *out = NULL;
  g_assert_cmpint(th_test_taihang(&out, NULL, "demand", p, "--out", tp, NULL), ==, 0);
  double expected = 101000 * 1.076 + 2500 * pow(1.05, 15) + 900 * pow(1.01, 15) + 6000 * pow(1.05, 15);
  const char *at = strstr(out, " person trips and ");
  g_assert_nonnull(at);
  double tpd = g_ascii_strtod(at + strlen(" person trips and "), NULL);
  g_test_message("plan2035 freight %.0f t a day, expected %.1f", tpd, expected);
  g_assert_cmpfloat(fabs(tpd - expected), <, 1.0);
  th_test_rmtree(dir);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/yangcheng/check-all", test_check_all);
  g_test_add_func("/yangcheng/references", test_references);
  g_test_add_func("/yangcheng/hsr", test_hsr);
  g_test_add_func("/yangcheng/jinyang-8lane", test_jinyang);
  g_test_add_func("/yangcheng/tables", test_tables);
  g_test_add_func("/yangcheng/no-change", test_nochange);
  g_test_add_func("/yangcheng/airport-rule", test_airport_rule);
  g_test_add_func("/yangcheng/airports", test_airports);
  g_test_add_func("/yangcheng/airports-bad", test_airports_bad);
  g_test_add_func("/yangcheng/tourism-rule", test_tourism_rule);
  g_test_add_func("/yangcheng/tourism-yangcheng", test_tourism_yangcheng);
  g_test_add_func("/yangcheng/replications", test_replications);
  g_test_add_func("/yangcheng/full-sample", test_full_sample);
  g_test_add_func("/yangcheng/skims", test_skims);
  g_test_add_func("/yangcheng/modes", test_modes_yangcheng);
  g_test_add_func("/yangcheng/design-years", test_design_years);
  int r = g_test_run();
  if (cmp_dir) th_test_rmtree(cmp_dir);
  g_free(cmp_dir);
  return r;
}
