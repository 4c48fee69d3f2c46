/* test_period_skims.c: skims.csv of a results folder (output/period-skims.h)
 * on a hand-computable corridor, and its OMX / matrix names through
 * th_od_time_matrices_read. Every expected number is worked out beside it. */
#include "network/csv.h"
#include "network/services.h"
#include "network/th-error.h"
#include "output/period-skims.h"
#include "sim/params.h"
#include "testutil.h"

#include <math.h>
#include <string.h>

/* Nodes 1..4, 10 km apart; node 1 is zone 1, node 4 zone 2. Road links both
 * ways at 80 km/h (450 s each; ids 1000+i forward, 2000+i back), rail links
 * 1 -> 4 only at 100 km/h (ids 3000+i). */
static ThNetwork *corridor(void) {
  ThNetwork *net = th_network_new();
  for (int i = 1; i <= 4; i++)
    th_network_add_node(net, i, NULL, 112.0 + 0.09 * (i - 1), 35.5,
                        i == 1 || i == 4 ? TH_NODE_ZONE : TH_NODE_JUNCTION,
                        i == 1 ? 1 : i == 4 ? 2 : -1, 0, 0, 0, i);
  for (int i = 1; i < 4; i++) {
    for (int dir = 0; dir < 2; dir++) {
      ThLinkSpec s = {.id = (dir ? 2000 : 1000) + i, .from_id = dir ? i + 1 : i,
                      .to_id = dir ? i : i + 1, .modes = TH_MODE_ROAD, .length_m = 10000,
                      .free_speed_mps = 80 / 3.6, .capacity_vph = 2000, .lanes = 2,
                      .bpr_alpha = 0.15, .bpr_beta = 4};
      th_network_add_link(net, &s);
    }
    ThLinkSpec r = {.id = 3000 + i, .from_id = i, .to_id = i + 1, .modes = TH_MODE_RAIL,
                    .length_m = 10000, .free_speed_mps = 100 / 3.6, .lanes = 1};
    th_network_add_link(net, &r);
  }
  g_autoptr(GError) e = NULL;
  g_assert_true(th_network_finalize(net, &e));
  g_assert_no_error(e);
  return net;
}

/* Row (origin, destination, mode, period) of skims.csv as 5 doubles (NAN:
 * empty); FALSE when there is no such row. */
static gboolean row(const char *path, const char *o, const char *d, const char *mode,
                    const char *period, double v[5]) {
  GError *e = NULL;
  g_autoptr(ThCsv) c = th_csv_open(path, &e);
  g_assert_no_error(e);
  const char *q[5] = {"time_min", "distance_km", "cost", "wait_min", "transfers"};
  while (th_csv_next(c, &e)) {
    if (strcmp(th_csv_field(c, 0), o) || strcmp(th_csv_field(c, 1), d) ||
        strcmp(th_csv_field(c, 2), mode) || strcmp(th_csv_field(c, 3), period))
      continue;
    for (int k = 0; k < 5; k++)
      g_assert_true(th_csv_double_or(c, th_csv_column(c, q[k]), NAN, &v[k], NULL));
    return TRUE;
  }
  g_assert_no_error(e);
  return FALSE;
}

static void test_corridor(void) {
  g_autoptr(ThNetwork) net = corridor();
  /* one rail line 1 -> 4, runs at 07:10 and 08:10: 30 km at 100 km/h = 18
   * min, fare 2 + 0.5 x 30 = 17 yuan */
  const char *sv =
      "line,name,mode,kind,stops,run_min,speed_kmh,dwell_min,first_dep,last_dep,headway_min,"
      "departures,capacity,fare_flat,fare_per_km,source\n"
      "R,,rail,,1;4,,,,07:10,08:10,60,,100,2,0.5,\n";
  g_autoptr(GError) e = NULL;
  g_autoptr(ThServices) s = th_services_read_text("services.csv", sv, strlen(sv), net, &e);
  g_assert_no_error(e);
  /* loaded times: link 1 -> 2 took 900 s for vehicles entering 07:00-09:00
   * and 600 s over the day */
  g_autoptr(ThRunResults) r = th_run_results_new(0);
  int l12 = -1;
  for (int k = 0; k < net->n_links; k++)
    if (net->link_id[k] == 1001) l12 = k;
  ThLinkFlowBin b = {l12, 0, 7 * 3600, 10, 900};
  ThLinkFlowBin b2 = {l12, 0, 12 * 3600, 10, 300}; /* outside am: ignored there */
  g_array_append_val(r->link_bins, b);
  g_array_append_val(r->link_bins, b2);
  ThLinkFlow f = {l12, 0, TH_MODE_ROAD, 20, 20, 20, 0, 600};
  g_array_append_val(r->link_flows, f);
  g_autofree char *tmp = th_test_tmpdir();
  g_assert_true(th_period_skims_write(tmp, net, s, NULL, r, NULL, &e));
  g_assert_no_error(e);
  g_autofree char *path = g_build_filename(tmp, "skims.csv", NULL);
  double v[5];
  /* road am 1 -> 2: 900 + 450 + 450 s = 30 min, 30 km, 30 x 0.8 = 24 yuan */
  g_assert_true(row(path, "1", "2", "road", "am", v));
  g_assert_cmpfloat_with_epsilon(v[0], 30, 1e-9);
  g_assert_cmpfloat_with_epsilon(v[1], 30, 1e-9);
  g_assert_cmpfloat_with_epsilon(v[2], 24, 1e-9);
  g_assert_cmpfloat(v[3], ==, 0);
  g_assert_cmpfloat(v[4], ==, 0);
  /* road day: 600 + 900 s = 25 min; back 2 -> 1 free flow: 22.5 min */
  g_assert_true(row(path, "1", "2", "road", "day", v));
  g_assert_cmpfloat_with_epsilon(v[0], 25, 1e-9);
  g_assert_true(row(path, "2", "1", "road", "am", v));
  g_assert_cmpfloat_with_epsilon(v[0], 22.5, 1e-9);
  /* rail am, departures 07:00 07:20 07:40 08:00 (08:20 and 08:40 find no run
   * that day: left out): waits 10, 50, 30, 10 min, each + 18 min riding:
   * times 28, 68, 48, 28, mean 43; wait mean 25 */
  g_assert_true(row(path, "1", "2", "rail", "am", v));
  g_assert_cmpfloat_with_epsilon(v[0], 43, 1e-9);
  g_assert_cmpfloat_with_epsilon(v[1], 30, 1e-9);
  g_assert_cmpfloat_with_epsilon(v[2], 17, 1e-9);
  g_assert_cmpfloat_with_epsilon(v[3], 25, 1e-9);
  g_assert_cmpfloat(v[4], ==, 0);
  /* rail day, hourly 06:00..21:00: 06:00 (wait 70), 07:00 and 08:00 (wait
   * 10) are served: times 88, 28, 28, mean 48; wait 30 */
  g_assert_true(row(path, "1", "2", "rail", "day", v));
  g_assert_cmpfloat_with_epsilon(v[0], 48, 1e-9);
  g_assert_cmpfloat_with_epsilon(v[3], 30, 1e-9);
  /* no bus runs at all: empty cells. Rail 2 -> 1 would need a 30 km drive
   * to node 1 (no park-and-ride there, and longer than the ride): the
   * access rules (sim/access.h) leave it empty too (it was served before
   * them, with road access up to 90 min) */
  g_assert_true(row(path, "1", "2", "bus", "day", v));
  for (int k = 0; k < 5; k++) g_assert_true(isnan(v[k]));
  g_assert_true(row(path, "2", "1", "rail", "am", v));
  g_assert_true(isnan(v[0]));
  /* the diagonal: road 0 */
  g_assert_true(row(path, "1", "1", "road", "am", v));
  g_assert_cmpfloat(v[0], ==, 0);
  th_test_rmtree(tmp);
}

/* `[output] periods`: a custom evening period replaces am. Road pm
 * (17:00-19:00) on the bin of 17:00 (link 1 -> 2 took 1,200 s): 1,200 +
 * 450 + 450 s = 35 min; the 07:00 bin is outside it. Rail pm: departures
 * 17:00 ... 18:40 find no run (the last leaves 08:10): empty. Rows come in
 * the order given (pm before day), and no am row is written. */
static void test_custom_periods(void) {
  ThSkimPeriod per[TH_SKIM_PERIODS_MAX];
  g_autoptr(GError) e = NULL;
  g_assert_cmpint(th_skim_periods_parse("pm=17:00-19:00; day", per, &e), ==, 2);
  g_assert_no_error(e);
  g_assert_cmpstr(per[0].name, ==, "pm");
  g_assert_cmpint(per[0].from_s, ==, 17 * 3600);
  g_assert_cmpint(per[0].to_s, ==, 19 * 3600);
  g_assert_cmpstr(per[1].name, ==, "day");
  g_assert_cmpint(per[1].from_s, ==, -1);
  g_assert_cmpint(
      th_skim_periods_parse(th_param_find(th_param_table, "output", "periods")->def, per, NULL), ==,
      2);
  g_assert_cmpint(per[0].from_s, ==, 7 * 3600);
  /* bad ones, each with what was expected */
  const char *bad[][2] = {
      {"pm=19:00-17:00",
       "is not a window HH:MM-HH:MM within 00:00-30:00 that ends after it begins"},
      {"pm=17:00", "is not a window HH:MM-HH:MM"},
      {"pm=17:61-19:00", "is not a window HH:MM-HH:MM"},
      {"night", "has no window (NAME=HH:MM-HH:MM, or day)"},
      {"p m=07:00-08:00", "is not 1-23 letters, digits or _"},
      {"am=07:00-09:00;am=08:00-09:00", "period 'am' is given twice"},
      {";", "no period in"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(GError) be = NULL;
    g_assert_cmpint(th_skim_periods_parse(bad[i][0], per, &be), ==, -1);
    g_assert_error(be, TH_ERROR, TH_ERROR_INVALID);
    if (!strstr(be->message, bad[i][1])) g_error("'%s': %s", bad[i][0], be->message);
  }
  /* the custom period in skims.csv */
  g_assert_cmpint(th_skim_periods_parse("pm=17:00-19:00;day", per, &e), ==, 2);
  g_autoptr(ThNetwork) net = corridor();
  const char *sv =
      "line,name,mode,kind,stops,run_min,speed_kmh,dwell_min,first_dep,last_dep,headway_min,"
      "departures,capacity,fare_flat,fare_per_km,source\n"
      "R,,rail,,1;4,,,,07:10,08:10,60,,100,2,0.5,\n";
  g_autoptr(ThServices) s = th_services_read_text("services.csv", sv, strlen(sv), net, &e);
  g_assert_no_error(e);
  g_autoptr(ThRunResults) r = th_run_results_new(0);
  int l12 = -1;
  for (int k = 0; k < net->n_links; k++)
    if (net->link_id[k] == 1001) l12 = k;
  ThLinkFlowBin b = {l12, 0, 7 * 3600, 10, 900}, b2 = {l12, 0, 17 * 3600, 10, 1200};
  g_array_append_val(r->link_bins, b);
  g_array_append_val(r->link_bins, b2);
  g_autofree char *tmp = th_test_tmpdir();
  ThPeriodSkimOptions o = {NULL, per, 2};
  g_assert_true(th_period_skims_write(tmp, net, s, NULL, r, &o, &e));
  g_assert_no_error(e);
  g_autofree char *path = g_build_filename(tmp, "skims.csv", NULL);
  double v[5];
  g_assert_true(row(path, "1", "2", "road", "pm", v));
  g_assert_cmpfloat_with_epsilon(v[0], 35, 1e-9);
  g_assert_false(row(path, "1", "2", "road", "am", v));
  g_assert_true(row(path, "1", "2", "rail", "pm", v));
  g_assert_true(isnan(v[0]));
  g_assert_true(row(path, "1", "2", "rail", "day", v));
  g_assert_cmpfloat_with_epsilon(v[0], 48, 1e-9);
  g_autofree char *text = NULL;
  g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
  g_assert_true(g_str_has_prefix(text, "origin,destination,mode,period,time_min,distance_km,cost,"
                                       "wait_min,transfers\n1,1,road,pm,0,0,0,0,0\n1,1,road,day,"));
  th_test_rmtree(tmp);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/period-skims/corridor", test_corridor);
  g_test_add_func("/period-skims/custom-periods", test_custom_periods);
  return g_test_run();
}
