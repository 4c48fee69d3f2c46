/* test_demand.c: demand synthesis: IPF balancing (row and column totals,
 * against a brute-force check), the Yangcheng base demand (plausible totals,
 * IPF exact), determinism by seed, growth by year and zone. */
#include "network/load.h"
#include "network/th-error.h"
#include "output/trips-write.h"
#include "scenarios/scenario-demand.h"
#include "scenarios/scenario-world.h"
#include "sim/demand.h"
#include "sim/demand-longdist.h"
#include "tests/testutil.h"

#include <math.h>
#include <string.h>

/* Random positive matrices with some structural zeros: every row and column
 * total of the balanced matrix equals its target. */
static void test_ipf_random(void) {
  GRand *rng = g_rand_new_with_seed(42);
  for (int rep = 0; rep < 50; rep++) {
    int n = g_rand_int_range(rng, 2, 30);
    g_autofree double *O = g_new(double, n);
    g_autofree double *F = g_new(double, n * n);
    g_autofree double *T = g_new(double, n * n);
    /* targets from a random matrix with the same zero pattern, so the
     * problem is feasible (row and column totals of some matrix) */
    g_autofree double *D = g_new0(double, n);
    for (int i = 0; i < n; i++) O[i] = 0;
    for (int i = 0; i < n; i++)
      for (int j = 0; j < n; j++) {
        gboolean zero = i == j || g_rand_double(rng) < 0.1;
        F[i * n + j] = zero ? 0 : exp(-0.05 * g_rand_double_range(rng, 1, 100));
        double x = zero ? 0 : g_rand_double_range(rng, 1, 100);
        O[i] += x;
        D[j] += x;
      }
    double err;
    int it = th_ipf_balance(n, O, D, F, 1000, 1e-10, T, &err);
    g_assert_cmpint(it, <, 1000);
    g_assert_cmpfloat(err, <=, 1e-10);
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int j = 0; j < n; j++) s += T[i * n + j];
      if (O[i] > 0) g_assert_cmpfloat(fabs(s - O[i]) / O[i], <, 1e-9);
      else g_assert_cmpfloat(s, ==, 0);
    }
    for (int j = 0; j < n; j++) {
      double s = 0;
      for (int i = 0; i < n; i++) s += T[i * n + j];
      if (D[j] > 0) g_assert_cmpfloat(fabs(s - D[j]) / D[j], <, 1e-9);
    }
    /* structural zeros stay zero; the result is a gravity form A_i B_j F_ij */
    for (int i = 0; i < n; i++)
      for (int j = 0; j < n; j++)
        if (F[i * n + j] == 0) g_assert_cmpfloat(T[i * n + j], ==, 0);
  }
  g_rand_free(rng);
}

/* A 2x2 case solved by hand: F = [[0,1],[1,0]] forces T = [[0,O1],[O2,0]]. */
static void test_ipf_exact(void) {
  double O[2] = {5, 7}, D[2] = {7, 5}, F[4] = {0, 1, 1, 0}, T[4];
  double err;
  th_ipf_balance(2, O, D, F, 10, 1e-12, T, &err);
  g_assert_cmpfloat(T[0], ==, 0);
  g_assert_cmpfloat(fabs(T[1] - 5), <, 1e-12);
  g_assert_cmpfloat(fabs(T[2] - 7), <, 1e-12);
  g_assert_cmpfloat(T[3], ==, 0);
}

typedef struct {
  ThScenario *sc;
  ThScenarioWorld *w;
} Base;

static Base *base_load(void) {
  g_autofree char *p = th_test_src("scenarios/yangcheng/base2020.ini");
  GError *e = NULL;
  Base *b = g_new0(Base, 1);
  b->sc = th_scenario_load(p, &e);
  g_assert_no_error(e);
  b->w = th_scenario_world_new(b->sc, &e);
  g_assert_no_error(e);
  return b;
}

static void base_free(Base *b) {
  th_scenario_world_free(b->w);
  th_scenario_free(b->sc);
  g_free(b);
}

static char *trips_text(const ThTrips *t, const Base *b) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *p = g_build_filename(dir, "t.csv", NULL);
  GError *e = NULL;
  g_assert_true(th_trips_write(p, t, b->w->net, b->w->classes, &e));
  char *text = NULL;
  g_file_get_contents(p, &text, NULL, NULL);
  th_test_rmtree(dir);
  return text;
}

static void test_yangcheng_base(void) {
  Base *b = base_load();
  GError *e = NULL;
  ThDemandStats *st = NULL;
  ThTrips *t = th_scenario_demand(b->sc, b->w->net, b->w->classes, &st, &e);
  g_assert_no_error(e);
  /* IPF converged: every purpose's rows and columns meet their targets */
  g_assert_cmpfloat(st->ipf_error, <, 1e-8);
  const int nz = st->n_zones;
  for (int k = 0; k < 2; k++)
    for (int i = 0; i < nz; i++) {
      double row = 0, col = 0, target = st->production[k * nz + i];
      for (int j = 0; j < nz; j++) {
        row += st->matrix[(size_t)k * nz * nz + (size_t)i * nz + j];
        col += st->matrix[(size_t)k * nz * nz + (size_t)j * nz + i];
      }
      if (target > 0) {
        g_assert_cmpfloat(fabs(row - target) / target, <, 1e-8);
        g_assert_cmpfloat(fabs(col - target) / target, <, 1e-8);
      }
    }
  /* plausible totals for a county of 366,800 people (README, "Demand") */
  double internal_ends = 0;
  for (int z = 0; z < nz; z++)
    if (b->w->net->zone_id[z] <= 18) internal_ends += st->production[z] + st->production[nz + z];
  g_assert_cmpfloat(fabs(internal_ends - 0.35 * 366800), <, 1);
  g_assert_cmpfloat(st->passenger_trips_per_day, >, 120000);
  g_assert_cmpfloat(st->passenger_trips_per_day, <, 300000);
  g_assert_cmpfloat(fabs(st->tonnes_per_day[TH_COMMODITY_COAL] - 101000), <, 1);
  /* long-distance (base2020.ini's bands): 太原, 266 km from every town, gets
   * 2.5/1000 x 366,800 x 5.304/80 = 60.8 trips a day each way (about 12 in
   * the 10 % sample), where the gravity alone gave none */
  g_assert_cmpfloat(st->longdist_trips_per_day, >, 5000);
  int taiyuan = th_network_zone_lookup(b->w->net, "太原"), n_taiyuan = 0;
  g_assert_cmpint(taiyuan, >=, 0);
  for (int i = 0; i < t->n; i++)
    n_taiyuan += t->destination_zone[i] == taiyuan || t->origin_zone[i] == taiyuan;
  g_assert_cmpint(n_taiyuan, >, 3);
  g_assert_cmpint(n_taiyuan, <, 30);
  /* the sample is about 10 % of the expected trips */
  double expected = (st->passenger_trips_per_day) * 0.1;
  int n_pass = 0;
  for (int i = 0; i < t->n; i++) n_pass += b->w->classes->cls[t->cls[i]].kind == TH_CLASS_PASSENGER;
  g_assert_cmpfloat(fabs(n_pass - expected) / expected, <, 0.03);
  /* deterministic by seed: the same trips.csv byte for byte */
  g_autofree char *a = trips_text(t, b);
  ThTrips *t2 = th_scenario_demand(b->sc, b->w->net, b->w->classes, NULL, &e);
  g_autofree char *a2 = trips_text(t2, b);
  g_assert_cmpstr(a, ==, a2);
  /* another seed: other draws */
  th_scenario_set(b->sc, "sim.seed", "99", &e);
  ThTrips *t3 = th_scenario_demand(b->sc, b->w->net, b->w->classes, NULL, &e);
  g_autofree char *a3 = trips_text(t3, b);
  g_assert_cmpstr(a, !=, a3);
  th_trips_free(t);
  th_trips_free(t2);
  th_trips_free(t3);
  th_demand_stats_free(st);
  base_free(b);
}

static void test_growth(void) {
  Base *b = base_load();
  GError *e = NULL;
  ThDemandStats *s0 = NULL, *s1 = NULL, *s2 = NULL;
  ThTrips *t0 = th_scenario_demand(b->sc, b->w->net, b->w->classes, &s0, &e);
  /* 2025 (base2020.ini's design-year rates, README "Design years"): the
   * county town's trip ends grow by 1.037^5, a town's (北留) by 1.017^5 */
  th_scenario_set(b->sc, "demand.year", "2025", &e);
  ThTrips *t1 = th_scenario_demand(b->sc, b->w->net, b->w->classes, &s1, &e);
  g_assert_no_error(e);
  int z1 = th_network_zone_lookup(b->w->net, "1"), z2 = th_network_zone_lookup(b->w->net, "2");
  g_assert_cmpfloat(fabs(s1->production[z1] / s0->production[z1] - pow(1.037, 5)), <, 1e-9);
  g_assert_cmpfloat(fabs(s1->production[z2] / s0->production[z2] - pow(1.017, 5)), <, 1e-9);
  /* a zone factor applies to that zone only */
  th_scenario_set(b->sc, "demand.growth_zone_八甲口", "2", &e);
  ThTrips *t2 = th_scenario_demand(b->sc, b->w->net, b->w->classes, &s2, &e);
  g_assert_no_error(e);
  int z18 = th_network_zone_lookup(b->w->net, "18");
  g_assert_cmpfloat(fabs(s2->production[z18] / s1->production[z18] - 2), <, 1e-9);
  g_assert_cmpfloat(fabs(s2->production[z1] / s1->production[z1] - 1), <, 1e-9);
  g_assert_cmpint(t1->n, >, t0->n);
  /* a bad zone name in a weight list is reported */
  th_scenario_set(b->sc, "demand.coal_destinations", "火星:1", &e);
  g_assert_null(th_scenario_demand(b->sc, b->w->net, b->w->classes, NULL, &e));
  g_assert_error(e, TH_ERROR, TH_ERROR_INVALID);
  g_assert_nonnull(strstr(e->message, "coal_destinations names zone '火星'"));
  g_clear_error(&e);
  th_trips_free(t0);
  th_trips_free(t1);
  th_trips_free(t2);
  th_demand_stats_free(s0);
  th_demand_stats_free(s1);
  th_demand_stats_free(s2);
  base_free(b);
}

/* Freight grows per commodity: base 2020 has coal 101,000 t/day (README);
 * at year 2025 with base2020.ini's rates coal stays 101,000 (0 %/year; the
 * design files set coal_growth), ceramics 2,500 x 1.05^5 and agri 900 x
 * 1.01^5; with
 * growth 1.5 every commodity x 1.5; coal_growth = 2 overrides growth for
 * coal alone; a negative factor is an error. */
static void test_freight_growth(void) {
  Base *b = base_load();
  GError *e = NULL;
  ThDemandStats *s0 = NULL, *s1 = NULL, *s2 = NULL, *s3 = NULL;
  ThTrips *t0 = th_scenario_demand(b->sc, b->w->net, b->w->classes, &s0, &e);
  g_assert_no_error(e);
  const int C = TH_COMMODITY_COAL, G = TH_COMMODITY_GENERAL;
  g_assert_cmpfloat(fabs(s0->tonnes_per_day[C] - 101000), <, 1e-6);
  th_scenario_set(b->sc, "demand.year", "2025", &e);
  ThTrips *t1 = th_scenario_demand(b->sc, b->w->net, b->w->classes, &s1, &e);
  g_assert_no_error(e);
  g_assert_cmpfloat(fabs(s1->tonnes_per_day[C] - 101000), <, 1e-6);
  g_assert_cmpfloat(fabs(s1->tonnes_per_day[TH_COMMODITY_CERAMICS] - 2500 * pow(1.05, 5)), <, 1e-6);
  g_assert_cmpfloat(fabs(s1->tonnes_per_day[TH_COMMODITY_AGRI] - 900 * pow(1.01, 5)), <, 1e-6);
  th_scenario_set(b->sc, "demand.year", "2020", &e);
  th_scenario_set(b->sc, "demand.growth", "1.5", &e);
  ThTrips *t2 = th_scenario_demand(b->sc, b->w->net, b->w->classes, &s2, &e);
  g_assert_no_error(e);
  g_assert_cmpfloat(fabs(s2->tonnes_per_day[C] - 151500), <, 1e-6);
  g_assert_cmpfloat(fabs(s2->tonnes_per_day[G] - 1.5 * s0->tonnes_per_day[G]), <, 1e-6);
  th_scenario_set(b->sc, "demand.coal_growth", "2", &e);
  ThTrips *t3 = th_scenario_demand(b->sc, b->w->net, b->w->classes, &s3, &e);
  g_assert_no_error(e);
  g_assert_cmpfloat(fabs(s3->tonnes_per_day[C] - 202000), <, 1e-6);
  g_assert_cmpfloat(fabs(s3->tonnes_per_day[G] - 1.5 * s0->tonnes_per_day[G]), <, 1e-6);
  /* more shipments drawn, in proportion */
  int n0 = 0, n2 = 0;
  for (int i = 0; i < t0->n; i++) n0 += t0->tonnes[i] > 0;
  for (int i = 0; i < t2->n; i++) n2 += t2->tonnes[i] > 0;
  g_test_message("shipments: %d at growth 1, %d at 1.5", n0, n2);
  g_assert_cmpfloat(fabs((double)n2 / n0 - 1.5), <, 0.1);
  /* a negative factor is refused where it is set (the table's range, sim/params.c) */
  g_assert_false(th_scenario_set(b->sc, "demand.coal_growth", "-1", &e));
  g_assert_nonnull(e);
  g_assert_nonnull(strstr(e->message, "[demand] coal_growth = '-1' is not a number (a factor >= 0)"));
  g_clear_error(&e);
  th_trips_free(t0);
  th_trips_free(t1);
  th_trips_free(t2);
  th_trips_free(t3);
  th_demand_stats_free(s0);
  th_demand_stats_free(s1);
  th_demand_stats_free(s2);
  th_demand_stats_free(s3);
  base_free(b);
}

/* `taihang demand` writes the engine's trips format and reads back. */
static void test_command(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *out = g_build_filename(dir, "trips.csv", NULL);
  g_autofree char *sc = th_test_src("scenarios/yangcheng/base2020.ini");
  g_autofree char *so = NULL;
  g_assert_cmpint(th_test_taihang(&so, NULL, "demand", sc, "--out", out, "--sample", "0.02", NULL), ==, 0);
  g_assert_nonnull(strstr(so, "IPF"));
  g_autofree char *text = NULL;
  g_assert_true(g_file_get_contents(out, &text, NULL, NULL));
  /* the synthesis names its purposes (sim/trips.h): work and other, none for freight */
  g_assert_true(g_str_has_prefix(text, "id,origin,destination,depart,class,mode,tonnes,purpose\n"));
  g_assert_nonnull(strstr(text, ",coal,,30.000,\n"));
  g_assert_nonnull(strstr(text, ",car,,,work\n"));
  g_assert_nonnull(strstr(text, ",car,,,other\n"));
  g_assert_cmpint(th_test_taihang(NULL, NULL, "demand", sc, "--out", out, "--sample", "2", NULL), ==, 2);
  th_test_rmtree(dir);
}

/* A zone cut off from the main road component (tests/data/bad-unreachable:
 * zone 3 has no road back, zone 4 only rail) has no trip ends: every trip
 * runs between zones 1 and 2, and zones 3 and 4 produce nothing
 * (sim/demand.h). Scenario runs and compare warn and go on; --strict
 * refuses the network as before. */
static void test_cut_off_zones(void) {
  g_autofree char *net_dir = th_test_src("tests/data/bad-unreachable");
  GError *e = NULL;
  g_autoptr(ThNetwork) net = th_network_load_opt(net_dir, FALSE, NULL, &e);
  g_assert_no_error(e);
  g_assert_nonnull(net->zone_cut_off);
  int z3 = th_network_zone_index(net, 3), z4 = th_network_zone_index(net, 4);
  g_assert_true(net->zone_cut_off[z3] && net->zone_cut_off[z4]);
  g_autoptr(ThClassTable) classes = th_class_table_new();
  ThDemandParams p;
  th_demand_params_init(&p);
  p.freight = FALSE;
  ThDemandStats *st = NULL;
  ThTrips *t = th_demand_synthesize(net, classes, &p, &st, &e);
  g_assert_no_error(e);
  g_assert_cmpint(t->n, >, 0);
  for (int i = 0; i < t->n; i++) {
    /* passengers of the gravity model carry its purposes */
    const char *pur = th_trips_purpose(t, i);
    g_assert_true(!strcmp(pur, "work") || !strcmp(pur, "other"));
    g_assert_true(t->origin_zone[i] != z3 && t->origin_zone[i] != z4);
    g_assert_true(t->destination_zone[i] != z3 && t->destination_zone[i] != z4);
  }
  const int nz = st->n_zones;
  for (int k = 0; k < p.n_purposes; k++) {
    g_assert_cmpfloat(st->production[(size_t)k * nz + z3], ==, 0);
    g_assert_cmpfloat(st->production[(size_t)k * nz + z4], ==, 0);
  }
  th_trips_free(t);
  th_demand_stats_free(st);
  /* the commands: run SCENARIO.ini and compare warn; --strict refuses */
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *ini_text = g_strdup_printf("[scenario]\nname = cut\n[network]\ndir = %s\n", net_dir);
  g_autofree char *ini = th_test_write(dir, "cut.ini", ini_text);
  g_autofree char *ini_b_text = g_strdup_printf("[scenario]\nname = cut-b\n[network]\ndir = %s\n", net_dir);
  g_autofree char *ini_b = th_test_write(dir, "cut-b.ini", ini_b_text);
  g_autofree char *out = g_build_filename(dir, "res", NULL);
  g_autofree char *err = NULL;
  g_assert_cmpint(th_test_taihang(NULL, &err, "run", ini, "--out", out, "-q", NULL), ==, 0);
  g_assert_nonnull(strstr(err, "cut.ini: zone 3 is cut off from the main road network; its demand is left out"));
  g_assert_nonnull(strstr(err, "cut.ini: zone 4 is cut off"));
  g_autofree char *trips_out = g_build_filename(out, "trips_out.csv", NULL);
  g_autofree char *text = NULL;
  g_assert_true(g_file_get_contents(trips_out, &text, NULL, NULL));
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  for (int i = 1; lines[i] && *lines[i]; i++) {
    g_auto(GStrv) f = g_strsplit(lines[i], ",", -1);
    g_assert_true(!strcmp(f[3], "1") || !strcmp(f[3], "2"));
    g_assert_true(!strcmp(f[4], "1") || !strcmp(f[4], "2"));
  }
  g_clear_pointer(&err, g_free);
  g_autofree char *out2 = g_build_filename(dir, "res2", NULL);
  g_assert_cmpint(th_test_taihang(NULL, &err, "run", ini, "--out", out2, "-q", "--strict", NULL), ==, 2);
  g_assert_nonnull(strstr(err, "zone 4 (演礼) cannot reach and cannot be reached from"));
  g_assert_false(g_file_test(out2, G_FILE_TEST_EXISTS));
  g_clear_pointer(&err, g_free);
  g_autofree char *cmp = g_build_filename(dir, "cmp", NULL);
  g_assert_cmpint(th_test_taihang(NULL, &err, "compare", ini, ini_b, "--out", cmp, "-q", "--to", "1;2", NULL), ==, 0);
  g_assert_nonnull(strstr(err, "zone 3 is cut off"));
  g_clear_pointer(&err, g_free);
  g_autofree char *cmp2 = g_build_filename(dir, "cmp2", NULL);
  g_assert_cmpint(th_test_taihang(NULL, &err, "compare", ini, ini_b, "--out", cmp2, "-q", "--to", "1;2", "--strict", NULL), ==, 2);
  g_assert_nonnull(strstr(err, "zone 3 (润城) cannot reach zone 1"));
  th_test_rmtree(dir);
}

/* Long-distance trips by band (sim/demand-longdist.h), by hand: study-area
 * zone A (1,000 people) at 35.0 N; X (1 million) 0.9 degrees north and Y (3
 * million) 0.9 south, both 100.08 km away (band 50-150 km); Z (2 million)
 * 1.8 north, 200.15 km (band 150-300); W (0.5 million) 0.3 north, 33 km.
 * Rates 10 and 5 per 1,000 a day, band 2 shared by 4 million people:
 *   T_AX = 10/1000 x 1000 x 1/(1+3) = 2.5,  T_AY = 7.5,
 *   T_AZ = 5/1000 x 1000 x 2/4 = 2.5, and as many back; B the same (94.5,
 *   105.6, 194.6 km: the same bands): 50 trips a day.
 * The gravity keeps A <-> W (33 km) and leaves out A <-> X, Y, Z; with every
 * rate 0 it keeps them all. Sample 1 draws 2-3, 7-8 and 2-3 travellers,
 * out in 06-12 h and back in 13-21 h; the same seed the same trips. */
static void test_longdist(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *nd = g_build_filename(dir, "net", NULL);
  g_mkdir_with_parents(nd, 0755);
  g_free(th_test_write(nd, "node.csv",
                       "node_id,name,x_coord,y_coord,node_type,zone_id,population,gdp,jobs,source\n"
                       "1,A,112.0,35.0,town,1,1000,1,,E\n"
                       "2,W,112.0,35.3,town,2,500000,1,,E\n"
                       "3,X,112.0,35.9,town,3,1000000,1,,E\n"
                       "4,Y,112.0,34.1,town,4,3000000,1,,E\n"
                       "5,Z,112.0,36.8,town,5,2000000,1,,E\n"
                       "6,B,112.0,35.05,town,6,1000,1,,E\n"));
  g_free(th_test_write(nd, "link.csv",
                       "link_id,from_node_id,to_node_id,name,facility_type,allowed_uses,length,"
                       "free_speed,capacity,lanes,source\n"
                       "1,1,2,a,provincial,road,33,60,1000,1,E\n2,2,1,a,provincial,road,33,60,1000,1,E\n"
                       "3,2,3,b,provincial,road,67,60,1000,1,E\n4,3,2,b,provincial,road,67,60,1000,1,E\n"
                       "5,1,4,c,provincial,road,100,60,1000,1,E\n6,4,1,c,provincial,road,100,60,1000,1,E\n"
                       "7,3,5,d,provincial,road,100,60,1000,1,E\n8,5,3,d,provincial,road,100,60,1000,1,E\n"
                       "9,1,6,e,provincial,road,6,60,1000,1,E\n10,6,1,e,provincial,road,6,60,1000,1,E\n"));
  GError *e = NULL;
  g_autoptr(ThNetwork) net = th_network_load(nd, &e);
  g_assert_no_error(e);
  g_autoptr(ThClassTable) ct = th_class_table_new();
  const int A = th_network_zone_index(net, 1), W = th_network_zone_index(net, 2),
            X = th_network_zone_index(net, 3), Y = th_network_zone_index(net, 4),
            Z = th_network_zone_index(net, 5), B = th_network_zone_index(net, 6);
  g_assert_cmpfloat(fabs(th_zone_distance_km(net, A, X) - 100.08), <, 0.01);
  g_assert_cmpfloat(fabs(th_zone_distance_km(net, A, Z) - 200.15), <, 0.01);
  guint8 internal[6] = {0};
  internal[A] = internal[B] = 1;
  ThDemandParams p;
  th_demand_params_init(&p);
  p.freight = FALSE;
  p.seed = 5;
  p.internal = internal;
  p.external_decay = 0;
  p.external_rate = 1e-5;
  const int nz = net->n_zones;
  /* off: the gravity keeps every pair */
  {
    ThDemandStats *st = NULL;
    g_autoptr(ThTrips) t = th_demand_synthesize(net, ct, &p, &st, &e);
    g_assert_no_error(e);
    g_assert_cmpfloat(st->longdist_trips_per_day, ==, 0);
    g_assert_cmpfloat(st->matrix[(size_t)A * nz + X], >, 0);
    th_demand_stats_free(st);
  }
  p.longdist_rate[0] = 10;
  p.longdist_rate[1] = 5;
  p.longdist_pop_m[1] = 4;
  int first_n = -1;
  for (int rep = 0; rep < 2; rep++) {
    ThDemandStats *st = NULL;
    g_autoptr(ThTrips) t = th_demand_synthesize(net, ct, &p, &st, &e);
    g_assert_no_error(e);
    g_assert_cmpfloat(fabs(st->longdist_trips_per_day - 50), <, 1e-9);
    for (int k = 0; k < p.n_purposes; k++) {
      const double *T = st->matrix + (size_t)k * nz * nz;
      g_assert_cmpfloat(T[(size_t)A * nz + X], ==, 0);
      g_assert_cmpfloat(T[(size_t)Y * nz + A], ==, 0);
      g_assert_cmpfloat(T[(size_t)A * nz + Z], ==, 0);
      g_assert_cmpfloat(T[(size_t)A * nz + W], >, 0);
    }
    int out[6] = {0}, back[6] = {0};
    for (int i = 0; i < t->n; i++) {
      int o = t->origin_zone[i], d = t->destination_zone[i];
      if (o == A && d != W && d != B) {
        g_assert_cmpint(t->depart_s[i], >=, 6 * 3600);
        g_assert_cmpint(t->depart_s[i], <, 12 * 3600);
        out[d]++;
      } else if (d == A && o != W && o != B) {
        g_assert_cmpint(t->depart_s[i], >=, 13 * 3600);
        g_assert_cmpint(t->depart_s[i], <, 21 * 3600);
        back[o]++;
      }
    }
    g_assert_true(out[X] == 2 || out[X] == 3);
    g_assert_true(out[Y] == 7 || out[Y] == 8);
    g_assert_true(out[Z] == 2 || out[Z] == 3);
    for (int z = 0; z < 6; z++) g_assert_cmpint(out[z], ==, back[z]);
    if (rep == 0) first_n = t->n;
    else g_assert_cmpint(t->n, ==, first_n);
    th_demand_stats_free(st);
  }
  /* a negative rate is refused */
  p.longdist_rate[2] = -1;
  g_assert_null(th_demand_synthesize(net, ct, &p, NULL, &e));
  g_assert_error(e, TH_ERROR, TH_ERROR_INVALID);
  g_assert_nonnull(strstr(e->message, "long-distance band 3"));
  g_clear_error(&e);
  th_test_rmtree(dir);
}

/* th_scenario_demand's stages add to one list of problems: every bad
 * [demand] value that needs the network is said at once, in the order of
 * the stages (zone keys, then the growth), nothing is written, exit 2. */
static void test_scenario_demand_problems(void) {
  g_autofree char *dir = th_test_tmpdir();
  g_autofree char *base = th_test_src("tests/data/sweep/base.ini");
  g_autofree char *text = g_strdup_printf(
      "[scenario]\nbase = %s\n[demand]\ngrowth_zone_99 = 1.2\ninternal_zones = 1-x\n"
      "coal_origins = 1:-2\nfreight = 1\ntourism_sites = 1:x\n", base);
  g_autofree char *ini = th_test_write(dir, "bad.ini", text);
  g_autofree char *out = g_build_filename(dir, "trips.csv", NULL);
  g_autofree char *err = NULL;
  g_assert_cmpint(th_test_taihang(NULL, &err, "demand", ini, "--out", out, NULL), ==, 2);
  g_autofree char *want = g_strdup_printf(
      "%s: [demand] growth_zone_99 names zone '99', which the network does not have (a zone id or "
      "name)\n"
      "%s: [demand] internal_zones: '1-x' is not a range of zone ids\n"
      "%s: [demand] coal_origins: weight '-2' is not a number >= 0\n"
      "%s: [demand] tourism_sites: weight 'x' is not a number >= 0\n",
      ini, ini, ini, ini);
  g_assert_nonnull(strstr(err, want));
  g_assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
  th_test_rmtree(dir);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/demand/ipf/random", test_ipf_random);
  g_test_add_func("/demand/ipf/exact", test_ipf_exact);
  g_test_add_func("/demand/yangcheng-base", test_yangcheng_base);
  g_test_add_func("/demand/growth", test_growth);
  g_test_add_func("/demand/scenario-problems", test_scenario_demand_problems);
  g_test_add_func("/demand/freight-growth", test_freight_growth);
  g_test_add_func("/demand/command", test_command);
  g_test_add_func("/demand/cut-off-zones", test_cut_off_zones);
  g_test_add_func("/demand/longdist", test_longdist);
  return g_test_run();
}
