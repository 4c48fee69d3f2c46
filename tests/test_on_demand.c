/* test_on_demand.c: on-demand freight runs (run_if_tonnes, max_wait_h;
 * sim/transit.h, network/services.h). Every expected number is worked out
 * by hand in the comment beside it. */
#include "network/services.h"
#include "network/th-error.h"
#include "sim/transit.h"
#include "testutil.h"

#include <string.h>

/* Two stations 20 km apart (ids 1, 2) joined by rail both ways. */
static ThNetwork *two_stations(void) {
  ThNetwork *net = th_network_new();
  th_network_add_node(net, 1, "A", 112.0, 35.5, TH_NODE_JUNCTION, -1, 0, 0, 0, 1);
  th_network_add_node(net, 2, "B", 112.2, 35.5, TH_NODE_JUNCTION, -1, 0, 0, 0, 2);
  for (int dir = 0; dir < 2; dir++) {
    ThLinkSpec r = {.id = 10 + dir, .from_id = dir ? 2 : 1, .to_id = dir ? 1 : 2, .modes = TH_MODE_RAIL,
                    .length_m = 20000, .free_speed_mps = 20, .lanes = 1};
    th_network_add_link(net, &r);
  }
  g_autoptr(GError) e = NULL;
  g_assert_true(th_network_finalize(net, &e));
  return net;
}

#define HEADER                                                                                      \
  "line,name,mode,kind,stops,run_min,speed_kmh,dwell_min,first_dep,last_dep,headway_min,departures," \
  "capacity,fare_flat,fare_per_km,source,run_if_tonnes,max_wait_h\n"

/* Line F, A -> B, departures 04:00, 06:00, 08:00, 10:00 and 12:00, 1,000 t,
 * runs only with 500 t waiting or a 3-hour wait. Shipments (at sample
 * factor F, loads x F):
 *   a 200 t ready 05:00, b 200 t ready 07:00, c 600 t ready 09:00,
 *   d 100 t ready 11:00.
 * 04:00: nothing waits: cancelled. 06:00: 200 t < 500 and a waited 1 h:
 * cancelled (a held once). 08:00: 400 t < 500 but a waited 3 h: runs with a
 * and b (400 t). 10:00: 600 t >= 500: runs with c. 12:00: 100 t, 1 h, but
 * the day's last run: runs with d. Waits: a 3 h, b, c, d 1 h each. The
 * same decisions at sample 0.1 with a tenth of the tonnes (waiting tonnes
 * are divided by the sample factor). */
static void test_rule(void) {
  g_autoptr(ThNetwork) net = two_stations();
  const char *text = HEADER "F,freight,rail,freight,1;2,30,,,,,,04:00;06:00;08:00;10:00;12:00,1000,0,0,E,500,3\n";
  g_autoptr(GError) e = NULL;
  g_autoptr(ThServices) sv = th_services_read_text("services.csv", text, strlen(text), net, &e);
  g_assert_no_error(e);
  g_assert_cmpfloat(sv->lines[0].run_if_tonnes, ==, 500);
  g_assert_cmpint(sv->lines[0].max_wait_s, ==, 3 * 3600);
  for (int pass = 0; pass < 2; pass++) {
    double f = pass ? 0.1 : 1.0;
    g_autoptr(ThTransitSim) s = th_transit_sim_new(net, sv, NULL);
    th_transit_sim_set_sample_factor(s, f);
    ThTransitLeg leg = {.line = 0, .run = 0, .board_k = 0, .alight_k = 1};
    const double load[4] = {200, 200, 600, 100};
    const int ready_h[4] = {5, 7, 9, 11};
    for (int i = 0; i < 4; i++) th_transit_sim_add(s, load[i] * f, ready_h[i] * 3600, &leg, 1, 0);
    th_transit_sim_run(s, 24 * 3600);
    const int cancelled[5] = {1, 1, 0, 0, 0};
    const double boarded[5] = {0, 0, 400, 600, 100};
    for (int r = 0; r < 5; r++) {
      const ThTransitRunLoad *x = th_transit_sim_run_result(s, r);
      g_assert_cmpint(x->cancelled, ==, cancelled[r]);
      g_assert_cmpfloat_with_epsilon(x->boarded_load, boarded[r] * f, 1e-9);
      /* a cancelled run carries no tonne-km: 20 km x its load otherwise */
      g_assert_cmpfloat_with_epsilon(x->load_km, boarded[r] * f * 20, 1e-6);
    }
    const int wait_h[4] = {3, 1, 1, 1}, held[4] = {1, 0, 0, 0};
    for (int i = 0; i < 4; i++) {
      const ThRiderResult *rs = th_transit_sim_rider(s, i);
      g_assert_cmpint(rs->status, ==, TH_RIDER_ARRIVED);
      g_assert_cmpint(rs->wait_s, ==, wait_h[i] * 3600);
      g_assert_cmpint(rs->held, ==, held[i]);
      g_assert_cmpint(rs->left_behind, ==, 0);
    }
  }
  /* without the columns every run leaves, also empty */
  const char *plain = HEADER "F,freight,rail,freight,1;2,30,,,,,,04:00;06:00,1000,0,0,E,,\n";
  g_autoptr(ThServices) sv2 = th_services_read_text("services.csv", plain, strlen(plain), net, &e);
  g_assert_no_error(e);
  g_autoptr(ThTransitSim) s2 = th_transit_sim_new(net, sv2, NULL);
  th_transit_sim_run(s2, 24 * 3600);
  g_assert_cmpint(th_transit_sim_run_result(s2, 0)->cancelled, ==, 0);
  g_assert_cmpint(th_transit_sim_run_result(s2, 1)->cancelled, ==, 0);
}

/* Bad values name FILE:LINE: negative tonnes, a wait beyond 240 h, and
 * the columns on a passenger line. */
static void test_bad(void) {
  g_autoptr(ThNetwork) net = two_stations();
  const char *text = HEADER "F,,rail,freight,1;2,30,,,,,,04:00,1000,0,0,E,-5,\n"
                            "G,,rail,freight,1;2,30,,,,,,04:00,1000,0,0,E,,300\n"
                            "P,,rail,passenger,1;2,30,,,,,,04:00,500,0,0,E,100,\n";
  g_autoptr(GError) e = NULL;
  g_autoptr(ThServices) sv = th_services_read_text("services.csv", text, strlen(text), net, &e);
  g_assert_null(sv);
  g_assert_error(e, TH_ERROR, TH_ERROR_INVALID); /* bad input: exit 2 */
  g_test_message("%s", e->message);
  g_assert_nonnull(strstr(e->message, "services.csv:2: run_if_tonnes '-5' is not a number >= 0"));
  g_assert_nonnull(strstr(e->message, "services.csv:3: max_wait_h '300' is not a number from 0 to 240"));
  g_assert_nonnull(strstr(e->message, "services.csv:4: run_if_tonnes and max_wait_h apply to freight lines only"));
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/on-demand/rule", test_rule);
  g_test_add_func("/on-demand/bad", test_bad);
  return g_test_run();
}
